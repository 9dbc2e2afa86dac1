/**
 * Small readers over tree-sitter-c-sharp nodes shared by the adapter's modules. They
 * touch only the nodes they need: materialising whole subtrees costs more than parsing.
 */
import type { Loc } from "../../lib/core/model.js";
import type { SyntaxNode, Tree } from "../parser.js";

/**
 * The ERROR and MISSING nodes of a tree in document order, entering only the subtrees
 * that hold an error: on a tree without errors this visits the root alone.
 */
export function* errorNodes(tree: Tree): Generator<SyntaxNode> {
  const cursor = tree.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.type === "ERROR" || node.isMissing) yield node;
      if (node.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** ESLint-style location of a node: 1-based lines, 0-based columns (UTF-16 code units, as tree-sitter reports them for a JS string). */
export function nodeLoc(node: SyntaxNode): Loc {
  const start = node.startPosition;
  const end = node.endPosition;
  return { start: { line: start.row + 1, column: start.column }, end: { line: end.row + 1, column: end.column } };
}

/**
 * The longest name the adapter builds into a pattern or looks for in a text: longer ones are
 * no real identifiers (a mutated or generated file), and would make a pattern too large.
 */
export const MAX_NAME_LENGTH = 512;

/** `Foo`, `Ns.Foo`, `global::Ns.Foo`, `Foo<T>`, `Foo?` → `Foo`. */
export function simpleName(node: SyntaxNode | null | undefined): string {
  let current = node;
  for (let guard = 0; current && guard < 64; guard++) {
    switch (current.type) {
      case "identifier":
        return current.text;
      case "generic_name":
        current = current.firstNamedChild;
        break;
      case "qualified_name":
      case "alias_qualified_name":
      case "member_access_expression":
        current = current.childForFieldName("name");
        break;
      case "nullable_type":
        current = current.childForFieldName("type");
        break;
      default:
        return current.text;
    }
  }
  return "";
}

/** The `modifier` keywords of a declaration (`public`, `static`, `override`, …). */
export function modifiersOf(declaration: SyntaxNode): Set<string> {
  const modifiers = new Set<string>();
  for (const child of declaration.namedChildren) {
    if (child.type === "modifier") modifiers.add(child.text);
  }
  return modifiers;
}

/** Types whose children are skipped-over wrappers of declarations: `#if` blocks and recovered syntax errors. */
export function isTransparent(node: SyntaxNode): boolean {
  const type = node.type;
  return type === "ERROR" || type.startsWith("preproc_if") || type === "preproc_else" || type === "preproc_elif";
}

/**
 * The named children of `node`, looking through `#if`/`#else` blocks and ERROR nodes,
 * in document order. Iterative: recovered trees can nest wrappers deeply.
 */
export function childrenThroughWrappers(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const stack: SyntaxNode[] = [...node.namedChildren].reverse();
  while (stack.length > 0) {
    const child = stack.pop()!;
    if (isTransparent(child)) {
      const inner = child.namedChildren;
      for (let i = inner.length - 1; i >= 0; i--) stack.push(inner[i]);
    } else {
      out.push(child);
    }
  }
  return out;
}

/**
 * The literal value of a plain, verbatim or raw string literal node, UTF-8 ones (`"…"u8`)
 * included; undefined for anything else.
 */
export function stringLiteralValue(node: SyntaxNode): string | undefined {
  switch (node.type) {
    case "string_literal":
      return unescape(withoutEncoding(node.text).slice(1, -1));
    case "verbatim_string_literal":
      return withoutEncoding(node.text).slice(2, -1).replace(/""/g, '"');
    case "interpolated_string_expression":
      // Without holes (`$"…"`), the text is the value.
      return interpolatedValue(node);
    case "raw_string_literal":
      return rawValue(
        node.namedChildren
          .filter((c) => c.type === "raw_string_content")
          .map((c) => c.text)
          .join(""),
      );
    default:
      return undefined;
  }
}

/** `"…"u8` → `"…"`. */
function withoutEncoding(text: string): string {
  return /u8$/i.test(text) ? text.slice(0, -2) : text;
}

/**
 * The value of a raw string from the text between its quotes: a multi-line one loses its
 * first and last line breaks and, on every line, the indentation of its closing quotes.
 */
function rawValue(content: string): string {
  const last = content.lastIndexOf("\n");
  if (!content.startsWith("\n") && !content.startsWith("\r\n")) return content;
  if (last < 0 || !/^[ \t]*$/.test(content.slice(last + 1))) return content;
  const indent = content.slice(last + 1);
  if (last === content.indexOf("\n")) return "";
  return content
    .slice(content.indexOf("\n") + 1, last)
    .split(/\r?\n/)
    .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()))
    .join("\n");
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", "0": "\0", "\\": "\\", '"': '"', "'": "'" };

/** A regular string's body with its escapes resolved. */
export function unescape(body: string): string {
  return body.includes("\\") ? body.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c) : body;
}

export { shortText } from "../../lib/core/adapter-utils.js";

/** The value of an interpolated string without holes: `$"…"`, `$@"…"`, `$"""…"""`. */
function interpolatedValue(node: SyntaxNode): string | undefined {
  const text = node.text;
  const raw = /^\$+"""/.test(text);
  const verbatim = /^(?:\$@|@\$)/.test(text);
  let value = "";
  for (const child of node.namedChildren) {
    if (child.type === "interpolation") return undefined;
    if (child.type === "escape_sequence") value += unescape(child.text);
    else if (child.type === "string_content") {
      const part = raw ? child.text : child.text.replace(/\{\{/g, "{").replace(/\}\}/g, "}");
      value += verbatim ? part.replace(/""/g, '"') : part;
    }
  }
  return value;
}
