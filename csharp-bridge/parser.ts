/**
 * The tree-sitter C# parser, created once per process. tree-sitter never throws on
 * bad syntax: it recovers and marks what it skipped with ERROR / MISSING nodes.
 */
import Parser from "tree-sitter";
import CSharp from "tree-sitter-c-sharp/bindings/node/index.js";

export type Tree = Parser.Tree;
export type SyntaxNode = Parser.SyntaxNode;
export type QueryCapture = Parser.QueryCapture;

const language = CSharp as unknown as Parser.Language;
let parser: Parser | undefined;

export function parseCSharp(text: string): Tree {
  parser ??= createParser();
  return parser.parse(text);
}

function createParser(): Parser {
  const p = new Parser();
  p.setLanguage(language);
  return p;
}

const queries = new Map<string, Parser.Query>();

/** A compiled tree-sitter query over the C# grammar, cached by its source. */
export function query(source: string): Parser.Query {
  let q = queries.get(source);
  if (!q) {
    q = new Parser.Query(language, source);
    queries.set(source, q);
  }
  return q;
}
