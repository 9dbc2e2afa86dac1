/**
 * Getting a usable tree out of a file with syntax errors. tree-sitter never fails, but
 * its recovery can take a lot with it: an `#if … #else … #endif` that splits a statement
 * or a typo in one member (`public void Broken( {`) can make it fold the following
 * members into the broken one, or give up on the whole class and leave its header and
 * members as loose pieces of an ERROR node. The other actions must still be analysed.
 *
 * Both steps below change the text only by blanking characters out (line breaks kept),
 * so every position in the file stays what it was, and run only on trees with errors:
 *  1. `#if`/`#elif`/`#else`/`#endif` lines and the `#elif`/`#else` branches are blanked,
 *     as a compiler sees the code with the `#if` branches active; the result is kept
 *     when it has fewer ERROR nodes.
 *  2. While a class has lost members to an error, the member at fault is blanked and
 *     the text parsed again (a few rounds at most): a member whose braces do not close
 *     before the next member starts, or the member holding the first error when the
 *     class header ended up inside an ERROR node or the tree's member extends past the
 *     member's own text. Members are delimited by braces and semicolons at the class
 *     body's depth, and by lines at the members' indentation.
 */
import type { SyntaxNode, Tree } from "../parser.js";
import { ParseBudgetExceeded, parseCSharp } from "../parser.js";
import { analysisTimeLeft } from "./clock.js";
import { errorNodes } from "./syntax.js";

const MAX_ROUNDS = 4;
const MEMBER_TYPES = new Set([
  "method_declaration",
  "constructor_declaration",
  "destructor_declaration",
  "field_declaration",
  "property_declaration",
  "event_field_declaration",
  "event_declaration",
  "indexer_declaration",
  "operator_declaration",
  "conversion_operator_declaration",
  "class_declaration",
  "struct_declaration",
  "record_declaration",
  "interface_declaration",
  "enum_declaration",
  "delegate_declaration",
  "attribute_list",
]);
/** Nodes on the way from the root to class bodies. */
const DECLARATION_LEVEL = new Set([
  "compilation_unit",
  "namespace_declaration",
  "file_scoped_namespace_declaration",
  "declaration_list",
  "class_declaration",
  "ERROR",
]);

export interface RecoveredSource {
  tree: Tree;
  /** The text the tree was parsed from: the file's text, with what was blanked out. */
  text: string;
}

/**
 * A tree with fewer errors when the steps find one, else the tree given. Trees made on
 * the way and not returned are deleted; the caller deletes the returned tree when it is
 * not the one it passed in. Re-parsing stops when the analysis runs out of time.
 */
export function recoverFromSyntaxErrors(tree: Tree, text: string): RecoveredSource {
  if (!tree.rootNode.hasError) return { tree, text };
  const original: RecoveredSource = { tree, text };
  let current = withInactiveBranchesBlanked(original) ?? original;
  for (let round = 0; round < MAX_ROUNDS && current.tree.rootNode.hasError; round++) {
    const member = memberThatSwallowedOthers(current);
    if (!member) break;
    const blanked = blank(current.text, member[0], member[1]);
    if (blanked === current.text) break;
    const reparsed = reparse(blanked);
    if (!reparsed) break;
    if (current !== original) current.tree.delete();
    current = { tree: reparsed, text: blanked };
  }
  return current;
}

/** The text parsed within the time the analysis has left, or undefined when it has none. */
function reparse(text: string): Tree | undefined {
  try {
    return parseCSharp(text, analysisTimeLeft());
  } catch (error) {
    if (error instanceof ParseBudgetExceeded) return undefined;
    throw error;
  }
}

function blank(text: string, from: number, to: number): string {
  return text.slice(0, from) + text.slice(from, to).replace(/[^\r\n]/g, " ") + text.slice(to);
}

/** `text` with every range blanked (ranges may overlap or nest), in one pass over the text. */
function blankAll(text: string, ranges: ReadonlyArray<[number, number]>): string {
  if (ranges.length === 0) return text;
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let at = 0;
  for (const [from, to] of sorted) {
    if (to <= at) continue;
    const start = Math.max(from, at);
    parts.push(text.slice(at, start), text.slice(start, to).replace(/[^\r\n]/g, " "));
    at = to;
  }
  parts.push(text.slice(at));
  return parts.join("");
}

const DIRECTIVE = /^[ \t]*#[ \t]*(if|elif|else|endif)\b/gm;

/**
 * Step 1: the text as the compiler sees it with every `#if` branch active: directive
 * lines and `#elif`/`#else` branches blanked, kept when it parses with fewer ERROR
 * nodes. tree-sitter wants each branch to hold whole statements; code that opens a
 * block in one branch and closes it after `#endif` only parses without the directives.
 */
function withInactiveBranchesBlanked(source: RecoveredSource): RecoveredSource | undefined {
  const { text: original } = source;
  // Ranges to blank, collected first and blanked in one pass: nested branches overlap.
  const ranges: Array<[number, number]> = [];
  const open: Array<{ inactiveFrom: number | undefined }> = [];
  for (const match of original.matchAll(DIRECTIVE)) {
    const directive = match[1];
    if (directive === "if") {
      open.push({ inactiveFrom: undefined });
      ranges.push([match.index, endOfLine(original, match.index)]);
    } else if (directive === "elif" || directive === "else") {
      const block = open.at(-1);
      if (block && block.inactiveFrom === undefined) block.inactiveFrom = match.index;
    } else {
      const block = open.pop();
      ranges.push([block?.inactiveFrom ?? match.index, endOfLine(original, match.index)]);
    }
  }
  const text = blankAll(original, ranges);
  if (text === source.text) return undefined;
  const tree = reparse(text);
  if (!tree) return undefined;
  if (errorCount(tree) < errorCount(source.tree)) return { tree, text };
  tree.delete();
  return undefined;
}

/** The number of ERROR nodes, entering only subtrees that hold an error. */
function errorCount(tree: Tree): number {
  let count = 0;
  for (const node of errorNodes(tree)) if (node.type === "ERROR") count++;
  return count;
}

/**
 * Step 2: the text range of the member to blank in the first class that lost members to
 * an error: a member whose braces do not close before the next member starts, or the
 * member holding the first error when the tree shows it took more than its own text.
 */
function memberThatSwallowedOthers({ tree, text }: RecoveredSource): [number, number] | undefined {
  for (const body of classBodiesWithErrors(tree.rootNode)) {
    const members = splitMembers(text, body.start, body.end);
    const unclosed = members.find((m) => !m.closed);
    if (unclosed) return [unclosed.start, unclosed.end];
    const errorAt = firstProblem(body.pieces, body.start);
    const member = errorAt === undefined ? undefined : members.find((m) => m.start <= errorAt && errorAt < m.end);
    if (!member) continue;
    if (body.swallowed) return [member.start, member.end];
    // The tree's member holding the error reaches past the member's own braces.
    const holder = body.pieces.find((p) => p.startIndex <= errorAt! && errorAt! < p.endIndex);
    if (holder && holder.endIndex > member.end && text.slice(member.end, holder.endIndex).trim() !== "")
      return [member.start, member.end];
  }
  return undefined;
}

interface ClassBody {
  /** Index just after the body's `{`. */
  start: number;
  end: number;
  /** The nodes the body's text was parsed into. */
  pieces: SyntaxNode[];
  /** Whether the class header itself ended up inside an ERROR node. */
  swallowed: boolean;
}

/** Class bodies with syntax errors, in document order: proper class declarations and headers left inside ERROR nodes. */
function classBodiesWithErrors(root: SyntaxNode): ClassBody[] {
  const bodies: ClassBody[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "class_declaration") {
      const body = node.childForFieldName("body");
      if (body?.hasError)
        bodies.push({ start: body.startIndex + 1, end: body.endIndex, pieces: body.namedChildren, swallowed: false });
    } else if (node.type === "ERROR") {
      const children = node.children;
      const keyword = children.findIndex((c) => c.type === "class");
      const brace = keyword < 0 ? -1 : children.findIndex((c, i) => i > keyword && c.type === "{");
      if (brace >= 0) {
        const start = children[brace].endIndex;
        bodies.push({
          start,
          end: node.endIndex,
          pieces: children.slice(brace + 1).filter((c) => c.isNamed || c.isMissing),
          swallowed: true,
        });
        continue;
      }
    }
    const children = node.namedChildren;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child.hasError && DECLARATION_LEVEL.has(child.type)) stack.push(child);
    }
  }
  return bodies.sort((a, b) => a.start - b.start);
}

/** The first ERROR or missing node among the pieces after `from`, or the first piece that is not a member. */
function firstProblem(pieces: readonly SyntaxNode[], from: number): number | undefined {
  for (const piece of pieces) {
    if (piece.endIndex <= from) continue;
    if (piece.isMissing || piece.type === "ERROR") return piece.startIndex;
    if (piece.hasError) {
      const cursor = piece.walk();
      for (;;) {
        const node = cursor.currentNode;
        if (node.isMissing || node.type === "ERROR") return node.startIndex;
        if (node.hasError && cursor.gotoFirstChild()) continue;
        let advanced = false;
        while (!(advanced = cursor.gotoNextSibling())) {
          if (!cursor.gotoParent()) break;
        }
        if (!advanced) break;
      }
    }
    if (!MEMBER_TYPES.has(piece.type)) return piece.startIndex;
  }
  return undefined;
}

interface MemberText {
  start: number;
  end: number;
  /** False when the member's braces were still open where the next member starts. */
  closed: boolean;
}

/** A line that starts a member: an attribute or a modifier. */
const MEMBER_LINE =
  /^([ \t]*)(?:\[|(?:public|private|protected|internal|static|async|override|virtual|abstract|sealed|partial|readonly|const|new)\s)/;

/**
 * The members of a class body by its text: a member ends at a `}` back at the body's
 * depth or a `;` at that depth, or, when its braces never close, where a line at the
 * members' indentation starts the next one (formatted code makes that reliable).
 */
function splitMembers(text: string, bodyStart: number, bodyEnd: number): MemberText[] {
  const members: MemberText[] = [];
  let depth = 0;
  let memberStart = bodyStart;
  let indent: string | undefined;
  for (let i = bodyStart; i < bodyEnd; i++) {
    if (text[i] === "\n") {
      const line = MEMBER_LINE.exec(text.slice(i + 1, i + 200));
      if (line && depth === 0) indent ??= line[1];
      else if (line && line[1] === indent) {
        members.push({ start: memberStart, end: i + 1, closed: false });
        memberStart = i + 1;
        depth = 0;
      }
      continue;
    }
    const skipped = skipNonCode(text, i);
    if (skipped > i) {
      i = skipped - 1;
      continue;
    }
    const c = text[i];
    if (c === "{") {
      depth++;
    } else if (c === "}") {
      if (depth === 0) break; // the body closes
      if (--depth === 0) {
        members.push({ start: memberStart, end: i + 1, closed: true });
        memberStart = i + 1;
      }
    } else if (c === ";" && depth === 0) {
      members.push({ start: memberStart, end: i + 1, closed: true });
      memberStart = i + 1;
    }
  }
  return members;
}

/**
 * The index after the comment, string, character literal or preprocessor line starting
 * at `i` (after a whole `#else`/`#elif` … `#endif` branch), or `i` itself.
 */
function skipNonCode(text: string, i: number): number {
  const c = text[i];
  const next = text[i + 1];
  if (c === "/" && next === "/") return endOfLine(text, i);
  if (c === "/" && next === "*") {
    const end = text.indexOf("*/", i + 2);
    return end < 0 ? text.length : end + 2;
  }
  if (c === "#" && startsLine(text, i)) {
    return /^#[ \t]*(?:else|elif)\b/.test(text.slice(i, i + 8)) ? endOfBranch(text, i) : endOfLine(text, i);
  }
  if (c === '"' && text.startsWith('"""', i)) {
    const end = text.indexOf('"""', i + 3);
    return end < 0 ? text.length : end + 3;
  }
  if (c === '"') {
    const verbatim = text[i - 1] === "@" || (text[i - 1] === "$" && text[i - 2] === "@");
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === "\n" && !verbatim) return j;
      if (!verbatim && text[j] === "\\") j++;
      else if (text[j] === '"') {
        if (verbatim && text[j + 1] === '"') j++;
        else return j + 1;
      }
    }
    return text.length;
  }
  if (c === "'") {
    const end = text.indexOf("'", i + (next === "\\" ? 3 : 2));
    return end < 0 || end - i > 10 ? i + 1 : end + 1;
  }
  return i;
}

/** Whether only spaces and tabs stand before `i` on its line (read backwards, so long lines cost nothing). */
function startsLine(text: string, i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const c = text[j];
    if (c === "\n") return true;
    if (c !== " " && c !== "\t") return false;
  }
  return true;
}

function endOfLine(text: string, i: number): number {
  const end = text.indexOf("\n", i);
  return end < 0 ? text.length : end;
}

/** The start of the `#endif` that closes the branch beginning at `i`, nested `#if`s included. */
function endOfBranch(text: string, i: number): number {
  let depth = 0;
  DIRECTIVE.lastIndex = endOfLine(text, i);
  for (let match = DIRECTIVE.exec(text); match; match = DIRECTIVE.exec(text)) {
    if (match[1] === "if") depth++;
    else if (match[1] === "endif" && depth-- === 0) return match.index;
  }
  return text.length;
}
