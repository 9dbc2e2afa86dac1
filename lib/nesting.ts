/**
 * How deeply JS/TS source nests, estimated from the text before any parser sees it.
 *
 * Parsers, scope analysis and ESLint's traversal recurse once per level of nesting. When
 * the stack runs out they throw a RangeError, which the guarded parsers turn into a
 * parsing error; but when it runs out while V8 compiles a regular expression (the
 * tokenizers use several), V8 aborts the whole process ("FATAL ERROR: RegExpCompiler
 * Allocation failed"), which no `catch` can stop. So the depth is decided here, in one
 * linear pass that never recurses, and text nested deeper than a limit is never parsed.
 *
 * The estimate counts what makes a recursive-descent parser recurse:
 *  - every open bracket: `(`, `[`, `{`, a template's `${`, a JSX element;
 *  - within each bracket, the operators, dots and keywords (`if`, `else`, `typeof`, `new`,
 *    `=>`, …) of the statement or expression being read, since a chain of them
 *    (`a + b + …`, `a.b.c…`, `x ? y : z ? …`, `!!!…a`, `if (a) {} else if …`) nests in the
 *    tree as deeply as brackets do. A comma or a statement boundary ends the chain.
 * Strings, comments, regular expressions, template text and JSX text are skipped. The
 * scan only has to be right about depth, not about syntax: on text that does not parse it
 * still ends, and a stray closer never takes more than its own bracket with it.
 */

/** What a level of the scan is, and what closes it. */
const enum Level {
  Root,
  Paren,
  Bracket,
  Brace,
  /** `${` in a template literal: its `}` goes back to template text. */
  Template,
  /** Inside a JSX opening tag, before its `>` or `/>`. */
  JsxTag,
  /** The children of a JSX element, up to its closing tag. */
  JsxChildren,
}

/** Keywords that continue a chain like an operator: each can nest another level in the tree. */
const CHAIN_KEYWORDS = new Set([
  "if",
  "else",
  "for",
  "while",
  "do",
  "with",
  "typeof",
  "void",
  "delete",
  "await",
  "new",
  "yield",
  "in",
  "of",
  "instanceof",
  "extends",
  "class",
  "function",
  "as",
  "satisfies",
  "keyof",
]);

/** Keywords after which an expression starts (so `/` begins a regular expression, `<` a JSX element). */
const EXPRESSION_KEYWORDS = new Set([
  "return",
  "typeof",
  "void",
  "delete",
  "await",
  "new",
  "yield",
  "in",
  "of",
  "instanceof",
  "throw",
  "case",
  "do",
  "else",
  "extends",
  "export",
  "default",
  "as",
  "satisfies",
]);

/** Keywords that go on with the statement before them (`} else {`, `} catch {`, `x(); else`). */
const CONTINUING_KEYWORDS = new Set(["else", "catch", "finally"]);

/** Keywords whose parenthesised head is followed by the body of the statement. */
const CONTROL_HEADS = new Set(["if", "while", "for", "with", "switch", "catch"]);

/** Operators that cannot start a statement: after a line break they continue the expression. */
const OPERATOR_KEYWORDS = new Set(["in", "of", "instanceof", "as", "satisfies"]);

export interface NestingOptions {
  /** Whether `<` at the start of an expression opens a JSX element. */
  jsx: boolean;
  /** TypeScript: `|` and `&` may join types, which do not nest. */
  typescript: boolean;
  /** The scan stops as soon as the depth goes over this. */
  limit: number;
}

export interface Nesting {
  /** The deepest level seen (only up to one over the limit: the scan stops there). */
  depth: number;
  /** Where that depth was reached. */
  offset: number;
}

export function scanNesting(text: string, { jsx, typescript, limit }: NestingOptions): Nesting {
  const kinds: Level[] = [Level.Root];
  /** Per level: operators and keywords of the chain being read, and dots since the last of them. */
  const pending: number[] = [0];
  const dots: number[] = [0];
  /** Open paren levels that are the head of `if (…)`, `while (…)`, …: the body follows them. */
  const heads: boolean[] = [false];
  let chained = 0;
  let deepest: Nesting = { depth: 0, offset: 0 };

  let i = 0;
  /** An expression may start here: `/` is a regular expression, `<` (with JSX) an element. */
  let expressionStart = true;
  /** The last token ended an expression (a name, a literal, a closer). */
  let endsExpression = false;
  /** A line break since the last token. */
  let lineBreak = false;
  /** After `;`: the chain ends unless `else` follows (`if (a) x(); else …`). */
  let semicolon = false;
  /** After a `}`: the chain ends if a statement starts, unless it is `else`, `catch` or `finally`. */
  let blockEnd = false;
  /** After `if (…)`, `else`, `do`: a statement body follows, which continues the chain. */
  let body = false;
  let lastWord = "";
  const n = text.length;

  const depth = (): number => kinds.length - 1 + chained;
  const record = (): boolean => {
    const d = depth();
    if (d > deepest.depth) deepest = { depth: d, offset: i };
    return d > limit;
  };
  const top = (): number => kinds.length - 1;
  const resetChain = (): void => {
    chained -= pending[top()] + dots[top()];
    pending[top()] = 0;
    dots[top()] = 0;
  };
  /** An operator or keyword: the chain goes one level deeper. A member chain before it was a leaf. */
  const chain = (): boolean => {
    chained -= dots[top()] - 1;
    dots[top()] = 0;
    pending[top()]++;
    return record();
  };
  /** A dot: `a.b.c` nests one level per dot, until the next operator. */
  const dot = (): boolean => {
    dots[top()]++;
    chained++;
    return record();
  };
  const open = (kind: Level, head = false): boolean => {
    kinds.push(kind);
    pending.push(0);
    dots.push(0);
    heads.push(head);
    return record();
  };
  const close = (): void => {
    chained -= pending.pop()! + dots.pop()!;
    kinds.pop();
    heads.pop();
  };
  /** Closes up to and including the innermost open level of one of `kinds`; a closer nothing opened is ignored. */
  const closeTo = (...wanted: Level[]): Level | undefined => {
    for (let k = kinds.length - 1; k > 0; k--) {
      if (!wanted.includes(kinds[k])) continue;
      const kind = kinds[k];
      while (kinds.length > k) close();
      return kind;
    }
    return undefined;
  };
  /** Called before each token: `word` is the token's text when it is a name or keyword. */
  const startToken = (startsStatement: boolean, word?: string): void => {
    const continues = word !== undefined && CONTINUING_KEYWORDS.has(word);
    if (semicolon) {
      if (!continues) resetChain();
    } else if (blockEnd) {
      if (startsStatement && !continues) resetChain();
    } else if (lineBreak && endsExpression && startsStatement && !continues && !body) {
      // A line break between a finished expression and the start of another: a new statement (ASI).
      resetChain();
    }
    semicolon = false;
    blockEnd = false;
    lineBreak = false;
    body = false;
  };
  /** Skips the text of a template literal from `i` (just after `` ` `` or a `${…}`'s `}`). */
  const templateText = (): boolean => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 92 /* \ */) i += 2;
      else if (c === 96 /* ` */) {
        i++;
        expressionStart = false;
        endsExpression = true;
        return false;
      } else if (c === 36 /* $ */ && text.charCodeAt(i + 1) === 123 /* { */) {
        i += 2;
        expressionStart = true;
        endsExpression = false;
        return open(Level.Template);
      } else i++;
    }
    return false;
  };
  /** After a JSX element closes: back to its parent's children, or on with the expression. */
  const afterElement = (): void => {
    expressionStart = false;
    endsExpression = true;
  };

  if (text.startsWith("#!")) i = lineEnd(text, 0);

  while (i < n) {
    const kind = kinds[kinds.length - 1];
    const c = text.charCodeAt(i);

    if (kind === Level.JsxTag) {
      if (c === 47 /* / */ && text.charCodeAt(i + 1) === 62 /* > */) {
        i += 2;
        close();
        afterElement();
      } else if (c === 62 /* > */) {
        i++;
        kinds[kinds.length - 1] = Level.JsxChildren;
      } else if (c === 123 /* { */) {
        i++;
        expressionStart = true;
        if (open(Level.Brace)) return deepest;
      } else if (c === 34 || c === 39) {
        i = attributeEnd(text, i);
      } else if (c === 125 /* } */) {
        // Not JSX after all (a TypeScript `<T,>` read as a tag): its enclosing block ends here.
        i++;
        closeTo(Level.Brace, Level.Template);
      } else i++;
      continue;
    }
    if (kind === Level.JsxChildren) {
      if (c === 123 /* { */) {
        i++;
        expressionStart = true;
        if (open(Level.Brace)) return deepest;
      } else if (c === 60 /* < */ && text.charCodeAt(i + 1) === 47 /* / */) {
        const end = text.indexOf(">", i + 2);
        i = end < 0 ? n : end + 1;
        close();
        afterElement();
      } else if (c === 60 /* < */) {
        i++;
        if (open(Level.JsxTag)) return deepest;
      } else if (c === 125 /* } */) {
        i++;
        closeTo(Level.Brace, Level.Template);
      } else i++;
      continue;
    }

    // Whitespace and line terminators.
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) {
      lineBreak = true;
      i++;
      continue;
    }
    if (
      c === 32 ||
      c === 9 ||
      c === 11 ||
      c === 12 ||
      c === 0xa0 ||
      c === 0xfeff ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x1680 ||
      c === 0x202f ||
      c === 0x205f ||
      c === 0x3000
    ) {
      i++;
      continue;
    }

    if (c === 47 /* / */) {
      const next = text.charCodeAt(i + 1);
      if (next === 47) {
        i = lineEnd(text, i);
        continue;
      }
      if (next === 42 /* * */) {
        const end = text.indexOf("*/", i + 2);
        const stop = end < 0 ? n : end + 2;
        if (hasLineBreak(text, i, stop)) lineBreak = true;
        i = stop;
        continue;
      }
      if (expressionStart) {
        startToken(true);
        i = regExpEnd(text, i);
        expressionStart = false;
        endsExpression = true;
        continue;
      }
    }

    if (c === 34 || c === 39) {
      startToken(true);
      i = quoteEnd(text, i, true);
      expressionStart = false;
      endsExpression = true;
      continue;
    }
    if (c === 96 /* ` */) {
      startToken(true);
      i++;
      if (templateText()) return deepest;
      continue;
    }

    if (c === 40 || c === 91 || c === 123) {
      startToken(c === 123);
      i++;
      const head = c === 40 && CONTROL_HEADS.has(lastWord);
      lastWord = "";
      expressionStart = true;
      endsExpression = false;
      if (open(c === 40 ? Level.Paren : c === 91 ? Level.Bracket : Level.Brace, head)) return deepest;
      continue;
    }
    if (c === 41 || c === 93) {
      i++;
      const head = kinds[kinds.length - 1] === Level.Paren && heads[heads.length - 1];
      closeTo(c === 41 ? Level.Paren : Level.Bracket);
      lastWord = "";
      if (head) {
        body = true;
        expressionStart = true;
        endsExpression = false;
      } else {
        expressionStart = false;
        endsExpression = true;
      }
      continue;
    }
    if (c === 125 /* } */) {
      i++;
      lastWord = "";
      const closed = closeTo(Level.Brace, Level.Template, Level.JsxChildren, Level.JsxTag);
      if (closed === Level.Template) {
        if (templateText()) return deepest;
        continue;
      }
      blockEnd = true;
      expressionStart = true;
      endsExpression = true;
      continue;
    }
    if (c === 44 /* , */) {
      i++;
      resetChain();
      lastWord = "";
      expressionStart = true;
      endsExpression = false;
      continue;
    }
    if (c === 59 /* ; */) {
      i++;
      lastWord = "";
      semicolon = true;
      expressionStart = true;
      endsExpression = false;
      continue;
    }

    if (c === 60 /* < */ && jsx && expressionStart && isJsxStart(text.charCodeAt(i + 1))) {
      startToken(true);
      i++;
      lastWord = "";
      if (open(Level.JsxTag)) return deepest;
      continue;
    }

    if (isDigit(c) || (c === 46 /* . */ && isDigit(text.charCodeAt(i + 1)))) {
      startToken(true);
      i = wordEnd(text, i + 1, true);
      lastWord = "";
      expressionStart = false;
      endsExpression = true;
      continue;
    }
    if (c === 46 /* . */) {
      startToken(false);
      const spread = text.charCodeAt(i + 1) === 46 && text.charCodeAt(i + 2) === 46;
      i += spread ? 3 : 1;
      lastWord = "";
      expressionStart = spread;
      endsExpression = false;
      if (spread ? chain() : dot()) return deepest;
      continue;
    }
    if (c === 58 /* : */) {
      // Object keys, labels, `case x:`, type annotations: none of them nests (`?` counted the ternary).
      i++;
      lastWord = "";
      expressionStart = true;
      endsExpression = false;
      continue;
    }
    if (isOperator(c) || c === 47) {
      startToken(false);
      const start = i++;
      while (i < n && isOperator(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === 61 /* = */ && c === 47) i++;
      lastWord = "";
      expressionStart = true;
      endsExpression = false;
      // In TypeScript, `A | B | …` and `A & B & …` are also types, which a parser reads as flat lists.
      if (typescript && i - start === 1 && (c === 124 || c === 38)) continue;
      for (let k = operatorCount(text, start, i); k > 0; k--) if (chain()) return deepest;
      continue;
    }
    if (isWordStart(c)) {
      const end = wordEnd(text, i + 1, false);
      const word = text.slice(i, end);
      startToken(!OPERATOR_KEYWORDS.has(word), word);
      i = end;
      lastWord = word;
      const expects = EXPRESSION_KEYWORDS.has(word);
      expressionStart = expects;
      endsExpression = !expects;
      if (word === "else" || word === "do") body = true;
      if (CHAIN_KEYWORDS.has(word) && chain()) return deepest;
      continue;
    }
    // Anything else (`@`, stray control characters) is one character of no consequence.
    i++;
  }
  record();
  return deepest;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `= + - * % & | ^ ! < > ? ~` (`/` is decided by the caller). */
function isOperator(c: number): boolean {
  return (
    c === 61 ||
    c === 43 ||
    c === 45 ||
    c === 42 ||
    c === 37 ||
    c === 38 ||
    c === 124 ||
    c === 94 ||
    c === 33 ||
    c === 60 ||
    c === 62 ||
    c === 63 ||
    c === 126
  );
}

/**
 * How many operators a run of operator characters holds: one, plus each prefix `!` or `~`
 * (`!!!!a` nests four times, `a = !b` twice, `a !== b` once).
 */
function operatorCount(text: string, from: number, to: number): number {
  let prefixes = 0;
  let other = false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c === 33 || c === 126) && text.charCodeAt(i + 1) !== 61) prefixes++;
    else other = true;
  }
  return prefixes + (other ? 1 : 0);
}

function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c === 92 || c === 35 || c >= 0x80;
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || isDigit(c);
}

/** After `<` at the start of an expression: a tag name or `>` of a fragment. */
function isJsxStart(c: number): boolean {
  return isWordStart(c) || c === 62;
}

/** The end of a name, keyword or number (numbers take `.`, exponents and separators). */
function wordEnd(text: string, from: number, numeric: boolean): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isWordPart(c) || (numeric && c === 46)) i++;
    else if (numeric && (c === 43 || c === 45) && (text.charCodeAt(i - 1) | 32) === 101 /* e */) i++;
    else break;
  }
  return i;
}

function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) break;
    i++;
  }
  return i;
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/** The end of a quoted string; it also ends at a line break, where an unterminated string stops. */
function quoteEnd(text: string, from: number, escapes: boolean): number {
  const quote = text.charCodeAt(from);
  let i = from + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === quote) return i + 1;
    if (escapes && c === 92) i += 2;
    else if (c === 10 || c === 13) return i;
    else i++;
  }
  return i;
}

/** The end of a JSX attribute string: no escapes, and it may span lines. */
function attributeEnd(text: string, from: number): number {
  const end = text.indexOf(text[from], from + 1);
  return end < 0 ? text.length : end + 1;
}

/** The end of a regular expression literal with its flags; it also ends at a line break. */
function regExpEnd(text: string, from: number): number {
  let i = from + 1;
  let inClass = false;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 10 || c === 13) return i;
    else if (c === 91) {
      inClass = true;
      i++;
    } else if (c === 93) {
      inClass = false;
      i++;
    } else if (c === 47 && !inClass) return wordEnd(text, i + 1, false);
    else i++;
  }
  return i;
}
