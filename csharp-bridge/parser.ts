/**
 * The C# parser: tree-sitter's WebAssembly runtime (web-tree-sitter) with the C# grammar's
 * WebAssembly build, which this package ships in dist/. Nothing native is loaded, so the
 * parser works wherever Node runs, with `npm install --ignore-scripts` and without a C
 * compiler.
 *
 * The runtime can only be started asynchronously, while ESLint parses synchronously, so
 * this module runs inside the parser worker (worker.ts) and is started there once
 * (`loadCSharpParser`). Trees live in the WebAssembly heap, out of V8's sight: whoever
 * parses deletes the tree when done with it.
 *
 * tree-sitter never throws on bad syntax: it recovers and marks what it skipped with
 * ERROR / MISSING nodes.
 */
import { readFile } from "node:fs/promises";
import {
  Language,
  Parser,
  Query,
  Edit,
  type Node,
  type Point,
  type QueryCapture,
  type Tree,
  type TreeCursor,
} from "web-tree-sitter";

export type { Node as SyntaxNode, QueryCapture, Tree, TreeCursor };

/** The grammar, copied next to this module by the build (scripts/copy-grammar.mjs). */
const GRAMMAR = new URL("./tree-sitter-c_sharp.wasm", import.meta.url);

let language: Language | undefined;
let parser: Parser | undefined;

/** Starts the runtime and loads the grammar; later calls return at once. */
export async function loadCSharpParser(): Promise<void> {
  if (parser) return;
  await Parser.init();
  language = await Language.load(await readFile(GRAMMAR));
  const p = new Parser();
  p.setLanguage(language);
  parser = p;
}

/** The parse was stopped because it took longer than its budget. */
export class ParseBudgetExceeded extends Error {}

/**
 * Parses C# text. Given the tree of an earlier version of the text, edited to match
 * (`editBetween`), tree-sitter re-parses only what changed and reuses the rest. With a budget, parsing stops after that many milliseconds (tree-sitter
 * checks the callback as it goes) and ParseBudgetExceeded is thrown.
 */
export function parseCSharp(text: string, budgetMs?: number, previous?: Tree): Tree {
  if (!parser) throw new Error("the C# parser is not loaded");
  if (budgetMs === undefined) {
    const tree = parser.parse(text, previous ?? null);
    if (!tree) throw new Error("tree-sitter returned no tree");
    return tree;
  }
  const deadline = performance.now() + budgetMs;
  // tree-sitter cancels the parse when the callback returns true (the typings say void).
  const progressCallback = (() => performance.now() > deadline) as unknown as () => void;
  const tree = parser.parse(text, previous ?? null, { progressCallback });
  if (!tree) {
    parser.reset();
    throw new ParseBudgetExceeded(`parsing took longer than ${budgetMs} ms`);
  }
  return tree;
}

const queries = new Map<string, Query>();

/** A compiled tree-sitter query over the C# grammar, cached by its source. */
export function query(source: string): Query {
  if (!language) throw new Error("the C# parser is not loaded");
  let q = queries.get(source);
  if (!q) {
    q = new Query(language, source);
    queries.set(source, q);
  }
  return q;
}

/**
 * The one edit that turns `before` into `after` (what lies between their common start and
 * common end), in the terms `Tree.edit` takes: UTF-16 code units, as web-tree-sitter
 * counts for JavaScript strings.
 */
export function editBetween(before: string, after: string): Edit {
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  const startPosition = pointAt(before, start, 0, { row: 0, column: 0 });
  return new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition,
    oldEndPosition: pointAt(before, oldEnd, start, startPosition),
    newEndPosition: pointAt(after, newEnd, start, startPosition),
  });
}

/** The row and column of `index` in `text`, counting on from a known point at `from`. */
function pointAt(text: string, index: number, from: number, at: Point): Point {
  let row = at.row;
  let lineStart = from - at.column;
  for (let nl = text.indexOf("\n", from); nl !== -1 && nl < index; nl = text.indexOf("\n", nl + 1)) {
    row++;
    lineStart = nl + 1;
  }
  return { row, column: index - lineStart };
}
