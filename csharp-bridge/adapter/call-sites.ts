/**
 * Reading calls and member chains from source text. The data layer uses these as a
 * cheap pre-screen and to split receiver expressions the tree has already delimited;
 * visiting every node of every method body from JavaScript would cost more than
 * parsing the file. Every scan is linear in the text it reads or capped at a fixed distance.
 */

/**
 * `Name(` and `Name<T>(` in `text[start, end)`: every call site, and declarations and
 * keywords (`if (`), which the name sets and the tree check drop. Found from each `(`
 * backwards, which is cheaper than matching a pattern at every position.
 */
export function* callSites(
  text: string,
  start: number,
  end: number,
): Generator<{ name: string; index: number; paren: number }> {
  for (let paren = text.indexOf("(", start); paren >= 0 && paren < end; paren = text.indexOf("(", paren + 1)) {
    let i = paren - 1;
    while (i >= start && SPACE.test(text[i])) i--;
    if (text[i] === ">") {
      i = typeArgumentsStart(text, i);
      while (i >= start && SPACE.test(text[i])) i--;
    }
    const nameEnd = i + 1;
    while (i >= start && WORD.test(text[i])) i--;
    if (nameEnd - i > 1 && !/[0-9]/.test(text[i + 1])) yield { name: text.slice(i + 1, nameEnd), index: i + 1, paren };
  }
}

const SPACE = /\s/;
const WORD = /[A-Za-z0-9_]/;
const TYPE_ARGUMENT_CHAR = /[\w\s.,?[\]]/;
const CLOSING: Record<string, string> = { ")": "(", "]": "[", ">": "<" };

/** Index of the `.` (of `.`, `?.`, `!.`) before the name at `index`, or -1. */
export function dotBefore(text: string, index: number): number {
  let i = index - 1;
  while (i >= 0 && SPACE.test(text[i])) i--;
  return text[i] === "." ? i : -1;
}

/**
 * The text of the member chain that ends at the dot: identifiers joined by dots, with
 * the bracket groups attached to them (`Set<Order>()`, `Where(…)`, `[0]`). Only a
 * pre-screen: the tree decides in the end.
 */
export function receiverBefore(text: string, dot: number): string {
  let i = dot - 1;
  if (text[i] === "?" || text[i] === "!") i--;
  for (let guard = 0; guard < 64; guard++) {
    while (i >= 0 && SPACE.test(text[i])) i--;
    // One chain element: an identifier and/or bracket groups directly attached to it.
    const elementEnd = i;
    for (;;) {
      const open = CLOSING[text[i] ?? ""];
      if (open) i = matchingOpen(text, i, open);
      else if (i >= 0 && WORD.test(text[i])) while (i >= 0 && (WORD.test(text[i]) || text[i] === "@")) i--;
      else break;
      if (i < 0) break;
    }
    if (i === elementEnd) break;
    let j = i;
    while (j >= 0 && SPACE.test(text[j])) j--;
    if (text[j] !== ".") break;
    i = j - 1;
    if (text[i] === "?" || text[i] === "!") i--;
  }
  return text.slice(i + 1, text[dot - 1] === "?" || text[dot - 1] === "!" ? dot - 1 : dot).trim();
}

/** Index just before the `<` of the type argument list closing at `close`, or -1 when the `>` is not one (`=>`, `a > (b)`). */
function typeArgumentsStart(text: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0 && close - i < 200; i--) {
    const c = text[i];
    if (c === ">") depth++;
    else if (c === "<" && --depth === 0) return i - 1;
    else if (!TYPE_ARGUMENT_CHAR.test(c)) return -1;
  }
  return -1;
}

/** Index just before the bracket that opens the group closing at `close`. */
function matchingOpen(text: string, close: number, open: string): number {
  const closer = text[close];
  let depth = 0;
  for (let i = close; i >= 0 && close - i < 4000; i--) {
    if (text[i] === closer) depth++;
    else if (text[i] === open && --depth === 0) return i - 1;
  }
  return -1;
}

export interface ReceiverChain {
  /** The variable the chain starts from (`_db` in `this._db.Orders.Where(…)`); undefined for `new X()`, literals. */
  root: string | undefined;
  /** Member names along the chain, the immediate receiver first: [`Where`, `Orders`, `_db`]. */
  names: string[];
}

const IDENTIFIER = /^@?([A-Za-z_]\w*)/;
const PREFIXED = /^(?:\(\s*[\w.<>,?\s]+\)\s*|await\s+)([\s\S]+)$/;
const AS_CAST = /^([\s\S]+?)\s+as\s+[\w.<>,?\s]+$/;

/**
 * Splits a receiver expression's text (taken from the tree) at its top-level dots:
 * `this._db.Set<Order>().Where(o => o.Id == id)` → root `_db`, names [Where, Set, _db].
 * A parenthesised first part (`((AppDb)ctx).Orders`, `(await GetDbAsync()).Orders`,
 * `(ctx as AppDb).Orders`) is unwrapped.
 */
export function receiverChain(text: string, depth = 0): ReceiverChain {
  if (depth > 8) return { root: undefined, names: [] };
  const segments = topLevelSegments(text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ""));
  const names: string[] = [];
  let root: string | undefined;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i].trim();
    if (i === 0 && segment.startsWith("(") && segment.endsWith(")")) {
      let inner = segment.slice(1, -1).trim();
      inner = PREFIXED.exec(inner)?.[1] ?? AS_CAST.exec(inner)?.[1] ?? inner;
      const nested = receiverChain(inner, depth + 1);
      root = nested.root;
      names.unshift(...nested.names);
      continue;
    }
    const identifier = IDENTIFIER.exec(segment)?.[1];
    if (identifier === undefined) {
      if (i === 0) return { root: undefined, names: [] };
      continue;
    }
    if (i === 0 && (identifier === "this" || identifier === "base")) continue;
    root ??= identifier;
    names.unshift(identifier);
  }
  return { root, names };
}

/** Splits at `.`/`?.`/`!.` outside brackets, type arguments and string literals. */
function topLevelSegments(text: string): string[] {
  const segments: string[] = [];
  let brackets = 0;
  let angles = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
    } else if (c === "(" || c === "[") {
      brackets++;
    } else if (c === ")" || c === "]") {
      brackets--;
    } else if (brackets === 0 && c === "<") {
      angles++;
    } else if (brackets === 0 && c === ">" && angles > 0) {
      angles--;
    } else if (c === "." && brackets === 0 && angles === 0) {
      segments.push(text.slice(from, i).replace(/[?!]\s*$/, ""));
      from = i + 1;
    }
  }
  segments.push(text.slice(from));
  return segments;
}
