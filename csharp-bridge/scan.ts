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
import type { GlobalSuppression } from "../lib/core/project/summary.js";
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

/**
 * A declaration a global suppression can name: namespaces, types and their members, by the
 * name a documentation-comment id gives them (`Shop.Api.OrdersController.Delete`, nested
 * types joined by `.`, constructors as `#ctor`).
 */
export interface OutlineEntry {
  kind: "N" | "T" | "M" | "P" | "F" | "E";
  name: string;
  /** Methods and constructors: how many parameters. */
  parameters?: number;
  /** Types: declared `partial` (other parts may be in other files). */
  partial?: boolean;
  /** The declaration, attributes included; a file-scoped namespace runs to the end of the file. */
  range: [number, number];
  /** Where its name is, for messages about it. */
  nameLoc: Loc;
}

export interface FileScan {
  /** Whether tree-sitter had to recover from syntax errors. */
  hasError: boolean;
  /** The first ERROR or MISSING node, 0-based. */
  firstError?: { row: number; column: number };
  comments: ScannedComment[];
  pragmas: ScannedPragma[];
  suppressions: ScannedSuppression[];
  /** The file's own `[assembly: SuppressMessage("ApiPosture", …)]` attributes. */
  globalSuppressions: GlobalSuppression[];
  /** Its namespaces, types and members, for global suppressions in other files. */
  outline: OutlineEntry[];
}

const SUPPRESS_ATTRIBUTE = /^(?:global::)?(?:System\.Diagnostics\.CodeAnalysis\.)?SuppressMessage(?:Attribute)?$/u;
const SUPPRESS_CATEGORY = /^(?:api-?posture)$/iu;

export function scanFile(tree: Tree, text: string): FileScan {
  const root = tree.rootNode;
  const hasError = root.hasError;
  const scan: FileScan = {
    hasError,
    comments: [],
    pragmas: [],
    suppressions: [],
    globalSuppressions: globalSuppressions(root),
    outline: outline(root, text.length),
  };
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

/**
 * The arguments of a `SuppressMessage` attribute for our category: the check id (second
 * positional argument) and the named ones by lower-case name (`justification`, `scope`,
 * `target`); undefined for any other attribute or category.
 */
function suppressMessageArguments(attribute: SyntaxNode): { checkId: string; named: Map<string, string> } | undefined {
  const attributeName = attribute.childForFieldName("name");
  if (!attributeName || !SUPPRESS_ATTRIBUTE.test(attributeName.text)) return undefined;
  const args = attribute.namedChildren.find((c) => c.type === "attribute_argument_list")?.namedChildren ?? [];
  const named = new Map<string, string>();
  const positional: Array<string | undefined> = [];
  for (const arg of args) {
    const key = /^\s*(\w+)\s*=(?!=)/u.exec(arg.text)?.[1];
    if (key) named.set(key.toLowerCase(), stringValue(arg) ?? "");
    else positional.push(stringValue(arg));
  }
  const [category, checkId] = positional;
  if (!category || !SUPPRESS_CATEGORY.test(category) || !checkId) return undefined;
  return { checkId, named };
}

/** `[SuppressMessage("ApiPosture", "AP101:…", Justification = "…")]` on a type or member (not `[assembly: …]`). */
function suppressionOf(node: SyntaxNode): ScannedSuppression | undefined {
  const args = suppressMessageArguments(node);
  if (!args) return undefined;
  const { checkId } = args;
  const attributeList = node.parent;
  const declaration = attributeList?.parent;
  if (
    !attributeList ||
    !declaration ||
    attributeList.type === "global_attribute" ||
    attributeList.namedChildren.some((c) => c.type === "attribute_target_specifier")
  )
    return undefined;
  const justification = args.named.get("justification") ?? "";
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

/** The `[assembly: SuppressMessage("ApiPosture", …)]` (and `[module: …]`) attributes of a file. */
export function globalSuppressions(root: SyntaxNode): GlobalSuppression[] {
  const found: GlobalSuppression[] = [];
  for (const child of root.namedChildren) {
    if (child.type !== "global_attribute") continue;
    for (const attribute of child.namedChildren) {
      if (attribute.type !== "attribute") continue;
      const args = suppressMessageArguments(attribute);
      if (!args) continue;
      const { checkId, named } = args;
      const at = nodeLoc(attribute).start;
      found.push({
        checkId,
        scope: (named.get("scope") ?? "").trim().toLowerCase(),
        target: (named.get("target") ?? "").trim(),
        justification: named.get("justification") ?? "",
        line: at.line,
        column: at.column,
      });
    }
  }
  return found;
}

const TYPE_DECLARATIONS = new Set([
  "class_declaration",
  "struct_declaration",
  "record_declaration",
  "record_struct_declaration",
  "interface_declaration",
  "enum_declaration",
  "delegate_declaration",
]);
const NAMESPACE_DECLARATIONS = new Set(["namespace_declaration", "file_scoped_namespace_declaration"]);

/**
 * The file's namespaces, types and members, read from declarations only (never a body):
 * linear in the number of declarations.
 */
export function outline(root: SyntaxNode, textLength: number): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  const visit = (container: SyntaxNode, prefix: string, inType: boolean) => {
    let namespace = prefix;
    for (const node of container.namedChildren) {
      if (NAMESPACE_DECLARATIONS.has(node.type)) {
        const name = node.childForFieldName("name");
        if (!name) continue;
        const full = join(namespace, name.text.replace(/\s+/gu, ""));
        if (node.type === "file_scoped_namespace_declaration") {
          // What follows it in the file is in it.
          entries.push({ kind: "N", name: full, range: [node.startIndex, textLength], nameLoc: nodeLoc(name) });
          namespace = full;
          continue;
        }
        entries.push({ kind: "N", name: full, range: [node.startIndex, node.endIndex], nameLoc: nodeLoc(name) });
        const body = node.childForFieldName("body") ?? node.namedChildren.find((c) => c.type === "declaration_list");
        if (body) visit(body, full, false);
        continue;
      }
      if (TYPE_DECLARATIONS.has(node.type)) {
        const name = node.childForFieldName("name");
        if (!name) continue;
        const full = join(namespace, name.text);
        const partial = node.namedChildren.some((c) => c.type === "modifier" && c.text === "partial");
        entries.push({
          kind: "T",
          name: full,
          ...(partial ? { partial } : {}),
          range: [node.startIndex, node.endIndex],
          nameLoc: nodeLoc(name),
        });
        const body = node.namedChildren.find((c) => c.type === "declaration_list");
        if (body) visit(body, full, true);
        continue;
      }
      if (inType) member(node, namespace, entries);
    }
  };
  visit(root, "", false);
  return entries;
}

function member(node: SyntaxNode, type: string, entries: OutlineEntry[]): void {
  const add = (kind: OutlineEntry["kind"], name: SyntaxNode, parameters?: number) =>
    entries.push({
      kind,
      name: `${type}.${kind === "M" && node.type === "constructor_declaration" ? "#ctor" : name.text}`,
      ...(parameters !== undefined ? { parameters } : {}),
      range: [node.startIndex, node.endIndex],
      nameLoc: nodeLoc(name),
    });
  switch (node.type) {
    case "method_declaration":
    case "constructor_declaration": {
      const name = node.childForFieldName("name");
      const list = node.childForFieldName("parameters") ?? node.namedChildren.find((c) => c.type === "parameter_list");
      if (name) add("M", name, list?.namedChildren.filter((c) => c.type === "parameter").length ?? 0);
      return;
    }
    case "property_declaration": {
      const name = node.childForFieldName("name");
      if (name) add("P", name);
      return;
    }
    case "event_declaration": {
      const name = node.childForFieldName("name");
      if (name) add("E", name);
      return;
    }
    case "field_declaration":
    case "event_field_declaration": {
      const declaration = node.namedChildren.find((c) => c.type === "variable_declaration");
      for (const declarator of declaration?.namedChildren ?? []) {
        if (declarator.type !== "variable_declarator") continue;
        const name = declarator.childForFieldName("name") ?? declarator.namedChildren[0];
        if (name) add(node.type === "field_declaration" ? "F" : "E", name);
      }
      return;
    }
  }
}

const join = (prefix: string, name: string) => (prefix === "" ? name : `${prefix}.${name}`);
