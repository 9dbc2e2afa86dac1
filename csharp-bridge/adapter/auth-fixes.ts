/**
 * Edits that add the authorization a route lacks, as C# writes it: `[Authorize]` on its own
 * line above an action or a page model, with `using Microsoft.AspNetCore.Authorization;`
 * among the usings when the file does not have it yet, and `.RequireAuthorization()` at the
 * end of a Minimal API endpoint's chain. The libraries attach them to the endpoints nothing
 * protects (`Endpoint.authFixes`); AP101 offers them as suggestions.
 *
 * The text is the file's own (recovery only blanks characters out, so offsets hold), and
 * each edit keeps the indentation and the line endings around it.
 */
import { orderedEdits } from "../../lib/core/adapter-utils.js";
import type { AuthFix, TextEdit } from "../../lib/core/model.js";
import type { SyntaxNode } from "../parser.js";
import { calledName, callOnResult } from "./invocations.js";
import type { CSharpFile } from "./libraries/library.js";

const NAMESPACE = "Microsoft.AspNetCore.Authorization";
const AUTHORIZE = "[Authorize]";
const REQUIRE_AUTHORIZATION = ".RequireAuthorization()";
/** Attributes of that namespace: one written without its namespace shows the namespace is in scope. */
const NAMESPACE_ATTRIBUTES = new Set(["Authorize", "AllowAnonymous"]);
/** What may stand before the first using directive of a file. */
const FILE_PREAMBLE = /^(?:comment|preproc_\w+|extern_alias_directive)$/;

/** `[Authorize]` above `declaration` (an action method or a page model class). */
export function authorizeFix(file: CSharpFile, declaration: SyntaxNode, target: string): AuthFix {
  const { text } = file;
  const eol = lineEnding(text);
  const start = lineStart(text, declaration.startIndex);
  const before = text.slice(start, declaration.startIndex);
  // A declaration opening with `#if` is indented as its attributes and modifiers are.
  const first = declaration.namedChildren.find((c) => c.type === "attribute_list" || c.type === "modifier");
  const attribute: TextEdit = /^[ \t]*$/.test(before)
    ? { range: [start, start], text: `${first ? indentation(text, first.startIndex) : before}${AUTHORIZE}${eol}` }
    : { range: [declaration.startIndex, declaration.startIndex], text: `${AUTHORIZE} ` };
  const using = usingEdit(file);
  return {
    insert: AUTHORIZE,
    place: "declaration",
    target,
    edits: orderedEdits(using ? [using, attribute] : [attribute]),
  };
}

/** `.RequireAuthorization()` after the calls chained on a `MapX(…)` call, in the same statement. */
export function requireAuthorizationFix(file: CSharpFile, mapCall: SyntaxNode): AuthFix {
  const { text } = file;
  let last = mapCall;
  for (let next = callOnResult(last); next; next = callOnResult(next)) {
    if (calledName(next).startsWith("Map")) break;
    last = next;
  }
  let insert = REQUIRE_AUTHORIZATION;
  // A chain written one call per line gets one more line.
  const dot = last === mapCall ? undefined : last.firstNamedChild?.children.find((c) => c.type === ".");
  if (dot && /^[ \t]*$/.test(text.slice(lineStart(text, dot.startIndex), dot.startIndex)))
    insert = `${lineEnding(text)}${indentation(text, dot.startIndex)}${REQUIRE_AUTHORIZATION}`;
  return {
    insert: REQUIRE_AUTHORIZATION,
    place: "registration",
    edits: [{ range: [last.endIndex, last.endIndex], text: insert }],
  };
}

// ---------------------------------------------------------------- the using directive

const usingEdits = new WeakMap<CSharpFile, TextEdit | null>();

/** The `using` that brings `[Authorize]` into scope, once per file; undefined when the file has it. */
function usingEdit(file: CSharpFile): TextEdit | undefined {
  let edit = usingEdits.get(file);
  if (edit === undefined) {
    edit = computeUsingEdit(file) ?? null;
    usingEdits.set(file, edit);
  }
  return edit ?? undefined;
}

interface UsingDirective {
  node: SyntaxNode;
  name: string;
  /** Neither `global`, `static` nor an alias. */
  plain: boolean;
  global: boolean;
}

function computeUsingEdit(file: CSharpFile): TextEdit | undefined {
  const { root, text } = file;
  const top = usingsIn(root);
  const namespace = root.namedChildren.find((c) => c.type === "namespace_declaration");
  const body = namespace?.childForFieldName("body");
  const inNamespace = body ? usingsIn(body) : [];
  if ([...top, ...inNamespace].some((u) => u.name === NAMESPACE && (u.plain || u.global))) return undefined;
  if (usesNamespaceAttribute(file)) return undefined;
  const line = `using ${NAMESPACE};`;
  const eol = lineEnding(text);
  const plain = top.some((u) => u.plain) ? top.filter((u) => u.plain) : inNamespace.filter((u) => u.plain);
  if (plain.length > 0) {
    const next = sortedPlace(plain);
    if (next) {
      const start = lineStart(text, next.node.startIndex);
      const before = text.slice(start, next.node.startIndex);
      if (/^[ \t]*$/.test(before)) return { range: [start, start], text: `${before}${line}${eol}` };
    }
    const after = plain.at(-1)!.node;
    return { range: [after.endIndex, after.endIndex], text: `${eol}${indentation(text, after.startIndex)}${line}` };
  }
  // Only global, static or alias usings: a plain one goes after them.
  const lastTop = top.at(-1);
  if (lastTop) return { range: [lastTop.node.endIndex, lastTop.node.endIndex], text: `${eol}${line}` };
  // No usings: before the first declaration, above the doc comments that belong to it.
  const children = root.children;
  let index = children.findIndex((c) => c.isNamed && !FILE_PREAMBLE.test(c.type));
  if (index < 0) return undefined;
  while (index > 0 && isDocCommentOf(children[index - 1], children[index], text)) index--;
  const at = lineStart(text, children[index].startIndex);
  return { range: [at, at], text: `${line}${eol}${eol}` };
}

/** The using directives among a compilation unit's or namespace body's children. */
function usingsIn(container: SyntaxNode): UsingDirective[] {
  const usings: UsingDirective[] = [];
  for (const child of container.namedChildren) {
    if (child.type !== "using_directive") continue;
    const tokens = child.children.map((c) => c.type);
    const isGlobal = tokens.includes("global");
    const plain = !isGlobal && !tokens.includes("static") && !tokens.includes("=");
    const name = (child.lastNamedChild?.text ?? "").replace(/\s+/g, "");
    usings.push({ node: child, name, plain, global: isGlobal && !tokens.includes("static") && !tokens.includes("=") });
  }
  return usings;
}

/**
 * Where the new using goes when the plain usings are sorted (System first, as Visual Studio
 * sorts them, or plainly alphabetical): before the first that sorts after it; undefined
 * for the end, or when they are in no order.
 */
function sortedPlace(plain: readonly UsingDirective[]): UsingDirective | undefined {
  for (const systemFirst of [true, false]) {
    const key = (name: string) => `${systemFirst && /^System(?:\.|$)/.test(name) ? 0 : 1}${name.toLowerCase()}`;
    const keys = plain.map((u) => key(u.name));
    if (!keys.every((k, i) => i === 0 || keys[i - 1] <= k)) continue;
    const own = key(NAMESPACE);
    return plain.find((_, i) => keys[i] > own);
  }
  return undefined;
}

/** `[Authorize]` or `[AllowAnonymous]` written without a namespace somewhere in the file. */
function usesNamespaceAttribute(file: CSharpFile): boolean {
  for (const decl of file.declarations.classes) {
    for (const attribute of decl.attributes) if (NAMESPACE_ATTRIBUTES.has(attribute.qualifiedName)) return true;
    for (const method of decl.methods)
      for (const attribute of method.attributes) if (NAMESPACE_ATTRIBUTES.has(attribute.qualifiedName)) return true;
  }
  return false;
}

/** A `///` comment that ends on the line right above `next`. */
function isDocCommentOf(comment: SyntaxNode, next: SyntaxNode, text: string): boolean {
  if (comment.type !== "comment" || !comment.text.startsWith("///")) return false;
  return !/\n[ \t]*\r?\n/.test(text.slice(comment.endIndex, next.startIndex));
}

// ---------------------------------------------------------------- text

function lineEnding(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

function lineStart(text: string, index: number): number {
  return text.lastIndexOf("\n", index - 1) + 1;
}

/** The spaces and tabs that open the line `index` is on. */
function indentation(text: string, index: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, index), index))![0];
}
