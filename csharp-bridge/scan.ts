/**
 * What ESLint needs of a C# file before any rule runs, read from its tree in the parser
 * worker as plain data: the comments (for `eslint-disable` directives), the
 * `#pragma warning` lines and the `[SuppressMessage("ApiPosture", …)]` attributes, and
 * where the first syntax error is.
 *
 * The three are found from the text and confirmed in the tree, in one forward pass that
 * enters only the subtrees holding a candidate position: linear in the file whatever
 * shape error recovery gave the tree (a query over a tree that recovery left flat, such
 * as a file of unclosed braces, takes time in the square of its size).
 */
import type { Loc, Position } from "../lib/core/model.js";
import type { SyntaxNode, Tree, TreeCursor } from "./parser.js";
import { errorNodes, nodeLoc, stringLiteralValue } from "./adapter/syntax.js";

export interface ScannedComment {
  /** Text without the comment delimiters, as ESLint's directive parser expects. */
  value: string;
  range: [number, number];
  loc: Loc;
}

export interface ScannedPragma {
  /** The whole `#pragma warning …` line. */
  text: string;
  start: number;
  loc: Loc;
}

export interface ScannedSuppression {
  /** The second argument: `AP101:RequireRouteAuth`. */
  checkId: string;
  justification: string;
  /** The declaration the attribute is attached to. */
  declaration: { range: [number, number]; loc: Loc };
  /** What removing the suppression removes: the `[…]` list when it holds only this attribute. */
  removal: [number, number];
  /** Where the attribute ends. */
  attributeEnd: Position;
}

export interface FileScan {
  /** Whether tree-sitter had to recover from syntax errors. */
  hasError: boolean;
  /** The first ERROR or MISSING node, 0-based. */
  firstError?: { row: number; column: number };
  comments: ScannedComment[];
  pragmas: ScannedPragma[];
  suppressions: ScannedSuppression[];
}

const SUPPRESS_ATTRIBUTE = /^(?:global::)?(?:System\.Diagnostics\.CodeAnalysis\.)?SuppressMessage(?:Attribute)?$/u;
const SUPPRESS_CATEGORY = /^(?:api-?posture)$/iu;

export function scanFile(tree: Tree, text: string): FileScan {
  const root = tree.rootNode;
  const hasError = root.hasError;
  const scan: FileScan = { hasError, comments: [], pragmas: [], suppressions: [] };
  if (hasError) {
    const error = firstError(tree);
    if (error) scan.firstError = error;
  }
  const candidates = candidatePositions(text);
  if (candidates.length === 0) return scan;
  const cursor = tree.walk();
  try {
    visitCandidates(cursor, candidates, (type) => {
      switch (type) {
        case "comment":
          scan.comments.push(comment(cursor));
          return "skip";
        case "preproc_pragma":
          scan.pragmas.push({ text: cursor.nodeText, start: cursor.startIndex, loc: cursorLoc(cursor) });
          return "skip";
        case "attribute": {
          const suppression = suppressionOf(cursor.currentNode);
          if (suppression) scan.suppressions.push(suppression);
          // Its arguments may hold comments.
          return "enter";
        }
        default:
          return "enter";
      }
    });
  } finally {
    cursor.delete();
  }
  return scan;
}

/** Where a comment, a pragma or a SuppressMessage attribute may start, in order. */
function candidatePositions(text: string): number[] {
  const positions: number[] = [];
  for (let i = text.indexOf("/"); i !== -1; i = text.indexOf("/", i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === 0x2f /* / */ || next === 0x2a /* * */) {
      positions.push(i);
      // `///` and `////` are one comment; skip the run of slashes.
      while (text.charCodeAt(i + 1) === 0x2f) i++;
    }
  }
  for (const match of text.matchAll(/^[ \t]*#[ \t]*pragma\b/gmu)) positions.push(match.index + match[0].indexOf("#"));
  for (const match of text.matchAll(/\bSuppressMessage/gu)) positions.push(match.index);
  return positions.sort((a, b) => a - b);
}

/**
 * Visits, in document order, the nodes whose range holds one of the (sorted) positions,
 * from the root down. `visit` says whether to go into the node's children or past it.
 * A node that holds no position is stepped over without entering it.
 */
function visitCandidates(cursor: TreeCursor, positions: number[], visit: (type: string) => "enter" | "skip"): void {
  let next = 0;
  for (;;) {
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    while (next < positions.length && positions[next] < start) next++;
    if (next === positions.length) return;
    const holds = positions[next] < end;
    if (holds && visit(cursor.nodeType) === "enter" && cursor.gotoFirstChild()) continue;
    // Past this node: to its next sibling, or up until there is one.
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return;
    }
  }
}

function cursorLoc(cursor: TreeCursor): Loc {
  const start = cursor.startPosition;
  const end = cursor.endPosition;
  return { start: { line: start.row + 1, column: start.column }, end: { line: end.row + 1, column: end.column } };
}

function comment(cursor: TreeCursor): ScannedComment {
  const raw = cursor.nodeText;
  const value = raw.startsWith("/*") ? raw.slice(2, raw.endsWith("*/") ? -2 : undefined) : raw.replace(/^\/\/\/?/u, "");
  return { value, range: [cursor.startIndex, cursor.endIndex], loc: cursorLoc(cursor) };
}

/** `[SuppressMessage("ApiPosture", "AP101:…", Justification = "…")]` on a type or member (not `[assembly: …]`). */
function suppressionOf(node: SyntaxNode): ScannedSuppression | undefined {
  const attributeName = node.childForFieldName("name");
  if (!attributeName || !SUPPRESS_ATTRIBUTE.test(attributeName.text)) return undefined;
  const args = node.namedChildren.find((c) => c.type === "attribute_argument_list")?.namedChildren ?? [];
  const positional = args.filter(
    (a) => !a.namedChildren.some((c) => c.type === "name_equals" || c.type === "name_colon"),
  );
  const category = stringValue(positional[0]);
  const checkId = stringValue(positional[1]);
  if (!category || !SUPPRESS_CATEGORY.test(category) || !checkId) return undefined;
  const attributeList = node.parent;
  const declaration = attributeList?.parent;
  if (
    !attributeList ||
    !declaration ||
    attributeList.namedChildren.some((c) => c.type === "attribute_target_specifier")
  )
    return undefined;
  const justification = stringValue(args.find((a) => /^Justification\b/u.test(a.text))) ?? "";
  const removal = attributeList.namedChildren.filter((c) => c.type === "attribute").length === 1 ? attributeList : node;
  return {
    checkId,
    justification,
    declaration: { range: [declaration.startIndex, declaration.endIndex], loc: nodeLoc(declaration) },
    removal: [removal.startIndex, removal.endIndex],
    attributeEnd: nodeLoc(node).end,
  };
}

/** The value of a plain, verbatim or raw string literal argument, or undefined. */
function stringValue(argument: SyntaxNode | undefined): string | undefined {
  const literal = argument?.namedChildren.find(
    (c) => c.type === "string_literal" || c.type === "verbatim_string_literal" || c.type === "raw_string_literal",
  );
  return literal ? stringLiteralValue(literal) : undefined;
}

/** The first ERROR or MISSING node, entering only subtrees that hold an error. */
function firstError(tree: Tree): { row: number; column: number } | undefined {
  for (const node of errorNodes(tree)) return node.startPosition;
  return undefined;
}
