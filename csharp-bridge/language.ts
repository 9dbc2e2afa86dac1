/**
 * The C# Language for ESLint (`language: "api-posture/csharp"`), on tree-sitter.
 * Shaped after @eslint/css's CSSLanguage: parse, language options, SourceCode.
 * Parsing happens in the parser worker (host.ts); what comes back is plain data.
 */
import type { File, Language, LanguageContext, OkParseResult } from "@eslint/core";
import type { CSharpRoot } from "./source-code.js";
import { CSharpSourceCode } from "./source-code.js";
import { parseInWorker } from "./host.js";
import type { FileScan } from "./scan.js";
import type { ModelWithParse } from "./protocol.js";
import { binaryReason, oversizeReason } from "../lib/core/bad-input.js";

export interface CSharpLanguageOptions {
  [option: string]: unknown;
  /**
   * `true` (default): a file with syntax errors is linted where tree-sitter recovered,
   * as real code bases have `#if` blocks that split statements. `false`: the first
   * syntax error is reported as a parsing error and the file is not linted.
   */
  tolerant?: boolean;
  /** Files larger than this many bytes (UTF-16 code units) get a parsing error instead of being linted. */
  maxFileSize?: number;
  /** Milliseconds tree-sitter may spend on one file before it gives up with a parsing error. */
  maxParseTime?: number;
}

/**
 * Above this size a C# file is generated code (EF Core model snapshots, designer files
 * and the largest hand-written services stay well below); the same limit as for
 * TypeScript. `languageOptions.maxFileSize` changes it.
 */
export const DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024;

/**
 * tree-sitter's WebAssembly build parses about 100,000 lines of real C# a second on one
 * core, so a file at the size limit takes one or two seconds even on a slow machine;
 * malformed input can make it far slower, and is cut off.
 */
export const DEFAULT_MAX_PARSE_TIME = 5_000;

interface ParseError {
  message: string;
  line: number;
  column: number;
}

export type CSharpParseResult =
  | { ok: true; ast: CSharpRoot; id: number; scan: FileScan; model?: ModelWithParse; maxParseTime: number }
  | { ok: false; errors: ParseError[] };

type CSharpLanguageTypes = {
  LangOptions: CSharpLanguageOptions;
  Code: CSharpSourceCode;
  RootNode: CSharpRoot;
  Node: CSharpRoot;
};

export class CSharpLanguage implements Language<CSharpLanguageTypes> {
  readonly fileType = "text" as const;
  readonly lineStart = 1 as const;
  readonly columnStart = 0 as const;
  readonly nodeTypeKey = "type";
  readonly visitorKeys: Record<string, string[]> = { compilation_unit: [] };
  readonly defaultLanguageOptions: CSharpLanguageOptions = {
    tolerant: true,
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    maxParseTime: DEFAULT_MAX_PARSE_TIME,
  };
  readonly #ruleNames: ReadonlyMap<string, string>;

  /** @param ruleNames `AP101` → `api-posture/require-route-auth`, for `#pragma` and `[SuppressMessage]`. */
  constructor({ ruleNames }: { ruleNames: ReadonlyMap<string, string> }) {
    this.#ruleNames = ruleNames;
  }

  /**
   * `tolerant`, `maxFileSize` and `maxParseTime` are ours. Other keys are ignored rather
   * than rejected: shared configs and testers (typescript-eslint's RuleTester injects a
   * `parser`) set options meant for other languages.
   */
  validateLanguageOptions(languageOptions: CSharpLanguageOptions): void {
    if ("tolerant" in languageOptions && typeof languageOptions.tolerant !== "boolean") {
      throw new TypeError("Expected a boolean value for the 'tolerant' option of api-posture/csharp.");
    }
    for (const key of ["maxFileSize", "maxParseTime"] as const) {
      const value = languageOptions[key];
      if (key in languageOptions && !(typeof value === "number" && Number.isFinite(value) && value > 0)) {
        throw new TypeError(`Expected a positive number for the '${key}' option of api-posture/csharp.`);
      }
    }
  }

  parse(file: Pick<File, "body" | "path">, context?: LanguageContext<CSharpLanguageOptions>): CSharpParseResult {
    const options = { ...this.defaultLanguageOptions, ...context?.languageOptions };
    const text = typeof file.body === "string" ? file.body : new TextDecoder().decode(file.body);
    const binary = binaryReason(text);
    if (binary) return failure(binary);
    const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    const oversize = oversizeReason(text.length, maxFileSize, "generated code", "languageOptions.maxFileSize");
    if (oversize) return failure(oversize);
    const maxParseTime = options.maxParseTime ?? DEFAULT_MAX_PARSE_TIME;
    const parsed = parseInWorker(text, maxParseTime, file.path);
    if (!parsed.ok) {
      const remedy = /took longer/u.test(parsed.reason) ? "; raise languageOptions.maxParseTime to wait longer" : "";
      return failure(`${parsed.reason}${remedy}`);
    }
    const { scan } = parsed;
    if (scan.hasError && options.tolerant === false) {
      return {
        ok: false,
        errors: [
          {
            message: "Syntax error in C# code",
            line: (scan.firstError?.row ?? 0) + 1,
            column: (scan.firstError?.column ?? 0) + 1,
          },
        ],
      };
    }
    const lines = text.split(/\r?\n/u);
    const ast: CSharpRoot = {
      type: "compilation_unit",
      range: [0, text.length],
      loc: { start: { line: 1, column: 0 }, end: { line: lines.length, column: lines.at(-1)!.length } },
      hasError: scan.hasError,
    };
    return { ok: true, ast, id: parsed.id, scan, ...(parsed.model ? { model: parsed.model } : {}), maxParseTime };
  }

  createSourceCode(
    file: Pick<File, "body"> & Partial<Pick<File, "path" | "physicalPath">>,
    parseResult: OkParseResult<CSharpRoot>,
  ): CSharpSourceCode {
    const text = typeof file.body === "string" ? file.body : new TextDecoder().decode(file.body);
    const { ast, id, scan, model, maxParseTime } = parseResult as OkParseResult<CSharpRoot> &
      Extract<CSharpParseResult, { ok: true }>;
    return new CSharpSourceCode({
      text,
      ast,
      id,
      scan,
      model,
      maxParseTime,
      ruleNames: this.#ruleNames,
      filename: file.physicalPath ?? file.path,
    });
  }
}

function failure(message: string): CSharpParseResult {
  return { ok: false, errors: [{ message, line: 1, column: 1 }] };
}
