/**
 * The TypeScript parser the configs use for .ts files: typescript-eslint's parser,
 * guarded so that input it cannot handle gives one clear parsing error for that file
 * instead of a crash of the whole run (binary content, a file too large to hold in
 * memory, nesting deeper than the parser's recursion allows).
 */
import * as tsParser from "@typescript-eslint/parser";
import { binaryReason, formatSize } from "./core/bad-input.js";

/**
 * typescript-eslint needs about 600 MB of memory per MB of dense source; above this
 * size a file risks exhausting Node's heap and killing the run. Such files are
 * generated or bundled code. `parserOptions.maxFileSize` (bytes) changes the limit.
 */
export const DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024;

class ParseError extends Error {
  readonly lineNumber = 1;
  readonly column = 1;
}

type ParserOptions = Parameters<typeof tsParser.parseForESLint>[1] & { maxFileSize?: number };

export const parser = {
  meta: { name: "api-posture/typescript-parser", version: tsParser.version },
  parseForESLint(code: string, options?: ParserOptions): ReturnType<typeof tsParser.parseForESLint> {
    const { maxFileSize = DEFAULT_MAX_FILE_SIZE, ...parserOptions } = options ?? {};
    const binary = binaryReason(code);
    if (binary) throw new ParseError(binary);
    if (code.length > maxFileSize) {
      throw new ParseError(`the file is ${formatSize(code.length)}, over the ${formatSize(maxFileSize)} that can be linted safely (generated or bundled code?); raise parserOptions.maxFileSize to lint it`);
    }
    try {
      return tsParser.parseForESLint(code, parserOptions);
    } catch (error) {
      if (error instanceof RangeError) throw new ParseError(`the file is nested too deeply to parse (${error.message})`);
      throw error;
    }
  },
};
