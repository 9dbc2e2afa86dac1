/**
 * The C# Language for ESLint (`language: "api-posture/csharp"`), on tree-sitter.
 * Shaped after @eslint/css's CSSLanguage: parse, language options, SourceCode.
 */
import type { File, Language, LanguageContext, OkParseResult } from "@eslint/core";
import type { CSharpRoot } from "./source-code.js";
import { CSharpSourceCode } from "./source-code.js";
import { parseCSharp, type Tree } from "./parser.js";
import { binaryReason } from "../lib/core/bad-input.js";

export interface CSharpLanguageOptions {
  [option: string]: unknown;
  /**
   * `true` (default): a file with syntax errors is linted where tree-sitter recovered,
   * as real code bases have `#if` blocks that split statements. `false`: the first
   * syntax error is reported as a parsing error and the file is not linted.
   */
  tolerant?: boolean;
}

interface ParseError {
  message: string;
  line: number;
  column: number;
}

type CSharpParseResult = { ok: true; ast: CSharpRoot; tree: Tree } | { ok: false; errors: ParseError[] };

type CSharpLanguageTypes = { LangOptions: CSharpLanguageOptions; Code: CSharpSourceCode; RootNode: CSharpRoot; Node: CSharpRoot };

export class CSharpLanguage implements Language<CSharpLanguageTypes> {
  readonly fileType = "text" as const;
  readonly lineStart = 1 as const;
  readonly columnStart = 0 as const;
  readonly nodeTypeKey = "type";
  readonly visitorKeys: Record<string, string[]> = { compilation_unit: [] };
  readonly defaultLanguageOptions: CSharpLanguageOptions = { tolerant: true };
  readonly #ruleNames: ReadonlyMap<string, string>;

  /** @param ruleNames `AP101` → `api-posture/require-route-auth`, for `#pragma` and `[SuppressMessage]`. */
  constructor({ ruleNames }: { ruleNames: ReadonlyMap<string, string> }) {
    this.#ruleNames = ruleNames;
  }

  /**
   * Only `tolerant` is ours. Other keys are ignored rather than rejected: shared configs
   * and testers (typescript-eslint's RuleTester injects a `parser`) set options meant
   * for other languages.
   */
  validateLanguageOptions(languageOptions: CSharpLanguageOptions): void {
    if ("tolerant" in languageOptions && typeof languageOptions.tolerant !== "boolean") {
      throw new TypeError("Expected a boolean value for the 'tolerant' option of api-posture/csharp.");
    }
  }

  parse(file: Pick<File, "body" | "path">, context?: LanguageContext<CSharpLanguageOptions>): CSharpParseResult {
    const text = typeof file.body === "string" ? file.body : new TextDecoder().decode(file.body);
    const binary = binaryReason(text);
    if (binary) return { ok: false, errors: [{ message: binary, line: 1, column: 1 }] };
    let tree: Tree;
    try {
      tree = parseCSharp(text);
    } catch (error) {
      return { ok: false, errors: [{ message: `tree-sitter could not parse the file (${(error as Error).message})`, line: 1, column: 1 }] };
    }
    const root = tree.rootNode;
    if (root.hasError && context?.languageOptions?.tolerant === false) {
      const error = firstError(tree);
      return { ok: false, errors: [{ message: "Syntax error in C# code", line: (error?.row ?? 0) + 1, column: (error?.column ?? 0) + 1 }] };
    }
    const lines = text.split(/\r\n|[\r\n\u2028\u2029]/u);
    const ast: CSharpRoot = {
      type: "compilation_unit",
      range: [0, text.length],
      loc: { start: { line: 1, column: 0 }, end: { line: lines.length, column: lines.at(-1)!.length } },
      hasError: root.hasError,
    };
    return { ok: true, ast, tree };
  }

  createSourceCode(file: Pick<File, "body">, parseResult: OkParseResult<CSharpRoot>): CSharpSourceCode {
    const text = typeof file.body === "string" ? file.body : new TextDecoder().decode(file.body);
    return new CSharpSourceCode({ text, ast: parseResult.ast, tree: (parseResult as OkParseResult<CSharpRoot> & { tree: Tree }).tree, ruleNames: this.#ruleNames });
  }
}

function firstError(tree: Tree): { row: number; column: number } | undefined {
  const cursor = tree.walk();
  // Depth-first, iterative: deep files must not exhaust the stack.
  for (;;) {
    const node = cursor.currentNode;
    if (node.type === "ERROR" || node.isMissing) return node.startPosition;
    if (node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return undefined;
    }
  }
}
