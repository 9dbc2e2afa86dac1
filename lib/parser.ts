/**
 * The parsers the configs set for the files they lint: espree for JavaScript (the parser
 * ESLint itself uses, with ESLint's defaults) and typescript-eslint's parser for
 * TypeScript. Both are guarded, so that input no parser can handle gives one clear parsing
 * error for that file instead of a crash of the whole run:
 *  - binary content, or a file too large to hold in memory (`parserOptions.maxFileSize`);
 *  - nesting deeper than the parsers' recursion allows (`parserOptions.maxNestingDepth`),
 *    refused before parsing because running out of stack at the wrong moment aborts Node
 *    itself (see nesting.ts);
 *  - for TypeScript files, a `typescript` package that is missing or that typescript-eslint
 *    cannot use.
 *
 * typescript-eslint (and through it `typescript`) is loaded when the first TypeScript file
 * is parsed, synchronously: a project without TypeScript never loads it, and the plugin
 * still loads through `require()` from an eslint.config.cjs.
 */
import { createRequire } from "node:module";
import * as espree from "espree";
import type * as TsParser from "@typescript-eslint/parser";
import { binaryReason, oversizeReason } from "./core/bad-input.js";
import { PLUGIN_VERSION } from "./core/descriptor.js";
import { scanNesting } from "./nesting.js";

/**
 * typescript-eslint needs about 600 MB of memory per MB of dense source; above this
 * size a file risks exhausting Node's heap and killing the run. Such files are
 * generated or bundled code. `parserOptions.maxFileSize` (bytes) changes the limit.
 */
export const DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024;

/**
 * The deepest nesting a file may have, in the levels nesting.ts counts (brackets, and the
 * operators and keywords of a chain). Measured with Node's default stack in a child
 * process per depth, the parsers run out of stack at:
 *  - typescript-eslint: 361 levels of nested object literals, 386 of a call chain
 *    (`a.b().b()…`), 514 of type arguments, 660 of nested `if` blocks (323 blocks);
 *  - espree (with ESLint's scope analysis and traversal): 562 levels of nested object
 *    literals, 574 of nested template literals, 623 of nested calls, 1,808 of a call chain;
 *    above about 1,700 nested blocks it can end Node with "FATAL ERROR: RegExpCompiler
 *    Allocation failed" instead of a catchable error.
 * The deepest real code found in 32 MB of published JavaScript and TypeScript (the
 * TypeScript compiler, ESLint, Ajv, minified bundles) reaches 97. 250 leaves real code
 * two and a half times that, and keeps a third of the stack free below the shallowest
 * failure, for callers that start parsing deeper in the stack (editors, test runners).
 * `parserOptions.maxNestingDepth` changes it; above the failures above, a parser may
 * crash the run.
 */
export const DEFAULT_MAX_NESTING_DEPTH = 250;

/** The options the guard takes, besides the parser's own. */
export interface GuardOptions {
  /** Files larger than this (in UTF-16 code units, about bytes) get a parsing error. */
  maxFileSize?: number;
  /** Files nested deeper than this get a parsing error. */
  maxNestingDepth?: number;
}

/** A parsing error as ESLint reports it: one fatal message at a line and column (1-based). */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly lineNumber = 1,
    readonly column = 1,
  ) {
    super(message);
  }
}

/** Refuses text that is binary, too large or too deeply nested for the parsers; returns the parser's own options. */
function guard<O extends GuardOptions>(
  code: string,
  options: O | undefined,
  syntax: { jsx: boolean; typescript: boolean },
): Omit<O, keyof GuardOptions> {
  const {
    maxFileSize = DEFAULT_MAX_FILE_SIZE,
    maxNestingDepth = DEFAULT_MAX_NESTING_DEPTH,
    ...parserOptions
  } = options ?? ({} as O);
  for (const [name, value] of [
    ["maxFileSize", maxFileSize],
    ["maxNestingDepth", maxNestingDepth],
  ] as const) {
    if (typeof value !== "number" || !(value > 0))
      throw new ParseError(`parserOptions.${name} must be a positive number, not ${JSON.stringify(value)}`);
  }
  const binary = binaryReason(code);
  if (binary) throw new ParseError(binary);
  const oversize = oversizeReason(code.length, maxFileSize, "generated or bundled code", "parserOptions.maxFileSize");
  if (oversize) throw new ParseError(oversize);
  const nesting = scanNesting(code, { ...syntax, limit: maxNestingDepth });
  if (nesting.depth > maxNestingDepth) {
    const { line, column } = position(code, nesting.offset);
    throw new ParseError(
      `the file is nested too deeply to parse (more than ${maxNestingDepth} levels at line ${line}: generated code?); parserOptions.maxNestingDepth raises the limit, at the risk of a stack overflow`,
      line,
      column,
    );
  }
  return parserOptions;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10) || c === 0x2028 || c === 0x2029) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A RangeError from deep recursion the scan did not foresee: still one parsing error. */
function tooDeep(error: unknown): never {
  if (error instanceof RangeError) throw new ParseError(`the file is nested too deeply to parse (${error.message})`);
  throw error;
}

const require = createRequire(import.meta.url);

// ------------------------------------------------------------------------------ JavaScript

type EspreeOptions = NonNullable<Parameters<typeof espree.parse>[1]>;

/**
 * espree as ESLint runs it by default: ESLint passes `ecmaVersion` (latest) and
 * `sourceType` (`module`, `commonjs` for .cjs), and turns `globalReturn` off in modules;
 * JSX is on where the configs say so (.jsx files).
 */
export const javascriptParser = {
  meta: { name: "api-posture/javascript-parser", version: `${PLUGIN_VERSION}+espree.${espree.version}` },
  parse(code: string, options?: EspreeOptions & GuardOptions): ReturnType<typeof espree.parse> {
    const parserOptions = guard(code, options, {
      jsx: Boolean(options?.ecmaFeatures?.jsx),
      typescript: false,
    }) as EspreeOptions;
    if (parserOptions.sourceType === "module" && parserOptions.ecmaFeatures?.globalReturn) {
      parserOptions.ecmaFeatures = { ...parserOptions.ecmaFeatures, globalReturn: false };
    }
    // ESLint asks for the latest version it knows; an espree a step behind it reads what it can.
    const { ecmaVersion } = parserOptions;
    if (typeof ecmaVersion === "number" && ecmaVersion > espree.latestEcmaVersion)
      parserOptions.ecmaVersion = espree.latestEcmaVersion;
    try {
      return espree.parse(code, parserOptions);
    } catch (error) {
      return tooDeep(error);
    }
  },
};

// ------------------------------------------------------------------------------ TypeScript

type TsParserModule = typeof TsParser;
type TsParserOptions = Parameters<typeof TsParser.parseForESLint>[1] & GuardOptions;

/** How modules are loaded: `require` from here; tests pass their own. */
export type Load = (id: string) => unknown;

/** The TypeScript versions typescript-eslint supports, as its package declares them. */
const FALLBACK_SUPPORTED_RANGE = ">=4.8.4 <6.1.0";

export type TypeScriptParserLoad =
  | { ok: true; parser: TsParserModule; typescriptVersion: string; supported: boolean; range: string }
  | { ok: false; message: string };

/**
 * Loads typescript-eslint's parser, or says why it cannot be: it or `typescript` missing
 * (both are optional peers: only TypeScript files need them), or a `typescript` whose
 * compiler API typescript-eslint cannot use (TypeScript 7 ships none). A version outside
 * typescript-eslint's supported range that still has the API is used, as typescript-eslint
 * itself allows (it warns in a terminal); see `supported`.
 */
export function loadTypeScriptParser(load: Load = require): TypeScriptParserLoad {
  const range = supportedRange(load);
  const install = (packages: string[]) => `npm install --save-dev ${packages.join(" ")}`;
  const typescriptSpec = `"typescript@${range}"`;
  const missing = [
    ...(isInstalled(load, "@typescript-eslint/parser/package.json") ? [] : ["@typescript-eslint/parser"]),
    ...(isInstalled(load, "typescript/package.json") ? [] : [typescriptSpec]),
  ];
  if (missing.length > 0) {
    const names = missing.map((m) => (m.startsWith('"typescript') ? "typescript" : m));
    const which = names.length === 1 ? `the ${names[0]} package, which is` : `${names.join(" and ")}, which are`;
    return { ok: false, message: `TypeScript files need ${which} not installed: ${install(missing)}` };
  }
  let ts: { version?: unknown; versionMajorMinor?: unknown; createSourceFile?: unknown };
  try {
    ts = load("typescript") as typeof ts;
  } catch (error) {
    return {
      ok: false,
      message: `the typescript package could not be loaded (${firstLine(error)}); install a version typescript-eslint supports: ${install([typescriptSpec])}`,
    };
  }
  const typescriptVersion = typeof ts.version === "string" ? ts.version : "of unknown version";
  if (typeof ts.createSourceFile !== "function") {
    return {
      ok: false,
      message: `typescript ${typescriptVersion} is installed, which has no compiler API typescript-eslint can parse with (it supports ${range}); install a version it supports: ${install([typescriptSpec])}`,
    };
  }
  let parser: TsParserModule;
  try {
    parser = load("@typescript-eslint/parser") as TsParserModule;
  } catch (error) {
    return {
      ok: false,
      message: `typescript-eslint's parser could not be loaded with typescript ${typescriptVersion} (${firstLine(error)}); install a version it supports: ${install([typescriptSpec])}`,
    };
  }
  return { ok: true, parser, typescriptVersion, supported: satisfies(typescriptVersion, range), range };
}

/** Whether `id` (a package's manifest) resolves; a package that is present but broken counts as installed. */
function isInstalled(load: Load, id: string): boolean {
  try {
    load(id);
    return true;
  } catch (error) {
    const e = error as { code?: unknown } | null;
    return !(
      e?.code === "MODULE_NOT_FOUND" ||
      e?.code === "ERR_MODULE_NOT_FOUND" ||
      e?.code === "ERR_PACKAGE_PATH_NOT_EXPORTED"
    );
  }
}

function supportedRange(load: Load): string {
  try {
    const manifest = load("@typescript-eslint/parser/package.json") as { peerDependencies?: Record<string, string> };
    return manifest.peerDependencies?.typescript ?? FALLBACK_SUPPORTED_RANGE;
  } catch {
    return FALLBACK_SUPPORTED_RANGE;
  }
}

function firstLine(error: unknown): string {
  return String((error as Error | null)?.message ?? error).split("\n")[0];
}

/** A version against an npm range of the form typescript-eslint uses: `>=4.8.4 <6.1.0`, alternatives joined by `||`. */
export function satisfies(version: string, range: string): boolean {
  const parse = (v: string) => /^(\d+)\.(\d+)\.(\d+)/.exec(v)?.slice(1).map(Number);
  const actual = parse(version);
  if (!actual) return false;
  const compare = (other: number[]) => actual[0] - other[0] || actual[1] - other[1] || actual[2] - other[2];
  return range.split("||").some((alternative) =>
    alternative
      .trim()
      .split(/\s+/)
      .every((comparator) => {
        const m = /^(>=|<=|>|<|=)?v?(\d+\.\d+\.\d+)/.exec(comparator);
        if (!m) return false;
        const c = compare(parse(m[2])!);
        switch (m[1]) {
          case ">=":
            return c >= 0;
          case "<=":
            return c <= 0;
          case ">":
            return c > 0;
          case "<":
            return c < 0;
          default:
            return c === 0;
        }
      }),
  );
}

/** The parser once loaded. A failure is not kept: after `npm install typescript`, a long-lived editor process recovers. */
let loaded: (TypeScriptParserLoad & { ok: true }) | undefined;

/** The version of typescript-eslint's parser, read from its manifest without loading `typescript`. */
function typescriptEslintVersion(): string {
  try {
    return (require("@typescript-eslint/parser/package.json") as { version: string }).version;
  } catch {
    return "missing";
  }
}

export const typescriptParser = {
  meta: {
    name: "api-posture/typescript-parser",
    version: `${PLUGIN_VERSION}+typescript-eslint.${typescriptEslintVersion()}`,
  },
  parseForESLint(code: string, options?: TsParserOptions): ReturnType<typeof TsParser.parseForESLint> {
    const jsx = /\.[jt]sx$/i.test(options?.filePath ?? "") || Boolean(options?.ecmaFeatures?.jsx);
    const parserOptions = guard(code, options, { jsx, typescript: true });
    if (!loaded) {
      const load = loadTypeScriptParser();
      if (!load.ok) throw new ParseError(load.message);
      loaded = load;
    }
    try {
      return loaded.parser.parseForESLint(code, parserOptions);
    } catch (error) {
      if (error instanceof RangeError) return tooDeep(error);
      // A compiler typescript-eslint does not support may fail in ways that are not syntax errors.
      if (!loaded.supported && !isSyntaxError(error)) {
        throw new ParseError(
          `${firstLine(error)} (typescript ${loaded.typescriptVersion} is outside the versions typescript-eslint supports, ${loaded.range})`,
        );
      }
      throw error;
    }
  },
};

/** typescript-eslint reports syntax errors as a TSError with a position. */
function isSyntaxError(error: unknown): boolean {
  return typeof (error as { lineNumber?: unknown } | null)?.lineNumber === "number";
}

/** The TypeScript parser under its former name. */
export const parser = typescriptParser;
