/**
 * SQL text handed to a driver (AP103 and the data layer): which statement it is, the table
 * it works on, and the equality conditions of its `WHERE` with the placeholder or
 * interpolated value each one compares with. Only what a query's text says plainly is read:
 * a `WHERE` of `AND`-joined comparisons of a column with one value; anything else (`OR`,
 * a subquery, a function call, an interpolated column) leaves the selection incomplete, so
 * that a condition the reader did not understand can still scope the query.
 *
 * The text comes from a string, a template literal (its `${…}` are the values), a tagged
 * `sql` template passed to the driver (`db.execute(sql\`…\`)`), a name bound to one of
 * those, or a driver's config object (`pool.query({ text, values })`).
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import { staticString, terminalName, unwrap, type Node } from "../ast.js";
import type { FileFacts } from "../facts.js";

/** A statement's text as handed over: interpolated values are marked `\u0000<n>\u0000`. */
export interface SqlSource {
  text: string;
  /** The interpolated values, by marker number. */
  expressions: readonly Node[];
  /** A config object's `values` (`pool.query({ text, values })`). */
  values?: Node;
  /** The node holding the text, and the scope it is read in. */
  node: Node;
  scope: Node;
}

/** One `WHERE` term that compares a column with a value. */
export interface SqlCondition {
  column: string;
  /** `i:<n>` an interpolation, `p:<n>` a numbered placeholder (`$1`), `q:<n>` the n-th `?` (0-based), `n:<name>` a named one; `literal` a constant. */
  value: string;
}

export interface ParsedSql {
  verb: "select" | "update" | "delete";
  table?: string;
  conditions: SqlCondition[];
  complete: boolean;
  /** A `SELECT` of nothing but a count or a constant (`SELECT count(*) …`, `SELECT 1 …`): it says whether rows exist. */
  counts?: true;
}

/** Characters of SQL text read at most. */
const MAX_SQL = 20_000;
/** Tokens of one statement read at most. */
const MAX_TOKENS = 4_000;

/** The SQL text an argument holds, followed through one name. */
export function sqlSource(arg: Node | undefined, scope: Node, facts: FileFacts): SqlSource | undefined {
  if (!arg) return undefined;
  let node = unwrap(arg);
  let at = scope;
  if (node.type === T.Identifier) {
    const b = facts.resolve(node.name, scope);
    if (b?.kind !== "var" || !b.init) return undefined;
    node = unwrap(b.init);
    at = b.scope;
  }
  if (node.type === T.ObjectExpression) {
    // `pool.query({ text: "…", values: [id] })`, mysql's `{ sql, values }`.
    const text = facts.objectProperty(node, "text") ?? facts.objectProperty(node, "sql");
    const values = facts.objectProperty(node, "values");
    const inner = text ? sqlSource(text.value, at, facts) : undefined;
    return inner && values ? { ...inner, values: values.value } : inner;
  }
  if (node.type === T.TaggedTemplateExpression) {
    const tag = terminalName(node.tag);
    if (tag === undefined || !/sql/i.test(tag)) return undefined;
    node = node.quasi;
  }
  const plain = staticString(node);
  if (plain !== undefined)
    return plain.length > MAX_SQL ? undefined : { text: plain, expressions: [], node, scope: at };
  if (node.type !== T.TemplateLiteral) return undefined;
  let text = "";
  node.quasis.forEach((quasi, i) => {
    text += quasi.value.cooked ?? quasi.value.raw;
    if (i < node.expressions.length) text += `\u0000${i}\u0000`;
  });
  return text.length > MAX_SQL ? undefined : { text, expressions: node.expressions, node, scope: at };
}

type Token =
  | { t: "word"; v: string; up: string }
  | { t: "id"; v: string }
  | { t: "ph"; key: string }
  | { t: "str" }
  | { t: "num" }
  | { t: "op"; v: string };

/** The tokens of SQL text; undefined when it is too long to read. */
function tokenize(text: string): Token[] | undefined {
  const out: Token[] = [];
  let questions = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (out.length > MAX_TOKENS) return undefined;
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "-" && text[i + 1] === "-") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'") {
      i++;
      while (i < n && !(text[i] === "'" && text[i + 1] !== "'")) i += text[i] === "'" ? 2 : 1;
      i++;
      out.push({ t: "str" });
    } else if (c === '"' || c === "`" || c === "[") {
      const close = c === "[" ? "]" : c;
      const end = text.indexOf(close, i + 1);
      if (end < 0) return undefined;
      out.push({ t: "id", v: text.slice(i + 1, end) });
      i = end + 1;
    } else if (c === "\u0000") {
      const end = text.indexOf("\u0000", i + 1);
      if (end < 0) return undefined;
      out.push({ t: "ph", key: `i:${text.slice(i + 1, end)}` });
      i = end + 1;
    } else if (c === "$" && text[i + 1] === "{") {
      // pg-promise's `${name}` in a plain string.
      const end = text.indexOf("}", i + 2);
      if (end < 0) return undefined;
      out.push({ t: "ph", key: `n:${text.slice(i + 2, end).trim()}` });
      i = end + 1;
    } else if ((c === "$" || c === "?") && /\d/.test(text[i + 1] ?? "")) {
      const m = /^\d+/.exec(text.slice(i + 1))!;
      out.push({ t: "ph", key: `p:${m[0]}` });
      i += 1 + m[0].length;
    } else if (c === "?") {
      out.push({ t: "ph", key: `q:${questions++}` });
      i++;
    } else if ((c === ":" || c === "@" || c === "$") && /[A-Za-z_]/.test(text[i + 1] ?? "") && text[i - 1] !== ":") {
      const m = /^[A-Za-z_]\w*/.exec(text.slice(i + 1))!;
      out.push({ t: "ph", key: `n:${m[0]}` });
      i += 1 + m[0].length;
    } else if (/\d/.test(c)) {
      const m = /^\d+(?:\.\d+)?/.exec(text.slice(i))!;
      out.push({ t: "num" });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w$]*/.exec(text.slice(i))!;
      out.push({ t: "word", v: m[0], up: m[0].toUpperCase() });
      i += m[0].length;
    } else {
      const two = text.slice(i, i + 2);
      const op = ["<=", ">=", "<>", "!=", "::", "||"].includes(two) ? two : c;
      out.push({ t: "op", v: op });
      i += op.length;
    }
  }
  return out;
}

/** Clauses that end a `WHERE`. */
const AFTER_WHERE = new Set([
  "GROUP",
  "ORDER",
  "LIMIT",
  "OFFSET",
  "RETURNING",
  "FOR",
  "HAVING",
  "UNION",
  "INTERSECT",
  "EXCEPT",
  "WINDOW",
  "FETCH",
]);
/** Comparisons that filter without picking by a value. */
const OTHER_COMPARISONS = new Set(["<>", "!=", "<", ">", "<=", ">="]);
const OTHER_WORDS = new Set(["LIKE", "ILIKE", "SIMILAR", "REGEXP", "RLIKE"]);

/** What a `SELECT`, `UPDATE` or `DELETE` says about the rows it picks; undefined for other statements or text it cannot read. */
export function parseSql(text: string): ParsedSql | undefined {
  const tokens = tokenize(text);
  if (!tokens || tokens.length === 0) return undefined;
  const first = tokens[0];
  if (first.t !== "word") return undefined;
  const verb =
    first.up === "SELECT" ? "select" : first.up === "UPDATE" ? "update" : first.up === "DELETE" ? "delete" : undefined;
  if (!verb) return undefined;
  // Top-level positions: depth 0 outside parentheses.
  const depth: number[] = [];
  let d = 0;
  for (const token of tokens) {
    if (token.t === "op" && token.v === "(") d++;
    depth.push(d);
    if (token.t === "op" && token.v === ")") d = Math.max(0, d - 1);
  }
  const topWord = (from: number, words: ReadonlySet<string>): number => {
    for (let i = from; i < tokens.length; i++) {
      const token = tokens[i];
      if (depth[i] === 0 && token.t === "word" && words.has(token.up)) return i;
      if (depth[i] === 0 && token.t === "op" && token.v === ";") return i;
    }
    return tokens.length;
  };
  const semicolon = tokens.findIndex((token, i) => depth[i] === 0 && token.t === "op" && token.v === ";");
  if (semicolon >= 0 && semicolon < tokens.length - 1) return undefined;

  let table: string | undefined;
  let counts = false;
  if (verb === "update") table = tableAt(tokens, tokens[1]?.t === "word" && tokens[1].up === "ONLY" ? 2 : 1);
  else {
    const from = topWord(1, new Set(["FROM"]));
    if (from < tokens.length && tokens[from].t === "word") table = tableAt(tokens, from + 1);
    counts = verb === "select" && onlyCounts(tokens.slice(1, from));
  }
  const where = topWord(1, new Set(["WHERE"]));
  const result: ParsedSql = {
    verb,
    conditions: [],
    complete: true,
    ...(table !== undefined ? { table } : {}),
    ...(counts ? { counts: true as const } : {}),
  };
  if (where >= tokens.length || tokens[where].t !== "word") return result;
  const end = topWord(where + 1, AFTER_WHERE);
  readTerms(tokens.slice(where + 1, end), result, 0);
  return result;
}

/** A select list of one count or constant: `count(*)`, `COUNT(id) AS n`, `1`. */
function onlyCounts(list: readonly Token[]): boolean {
  let end = list.length;
  // `… AS total`, `… total`
  if (end >= 2 && (list[end - 1].t === "word" || list[end - 1].t === "id") && !isOp(list[end - 2], "."))
    end -= isWord(list[end - 2], "AS") ? 2 : list[end - 2].t === "op" ? 1 : 0;
  if (end === 1) return list[0].t === "num";
  return isWord(list[0], "COUNT") && isOp(list[1], "(") && closes(list.slice(1, end));
}

/** `invoices`, `public.invoices`, `"Invoice"`: the table named at `i`. */
function tableAt(tokens: readonly Token[], i: number): string | undefined {
  let name: string | undefined;
  for (let j = i; j < tokens.length; j += 2) {
    const token = tokens[j];
    if (token.t === "word" || token.t === "id") name = token.v;
    else return name;
    const next = tokens[j + 1];
    if (next?.t !== "op" || next.v !== ".") return name;
  }
  return name;
}

/** The `AND`-joined terms of a `WHERE` (or of a parenthesised part of one) into `out`. */
function readTerms(tokens: readonly Token[], out: ParsedSql, nesting: number): void {
  if (nesting > 4 || tokens.length === 0) {
    out.complete = false;
    return;
  }
  let d = 0;
  let start = 0;
  let between = false;
  const terms: Token[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.t === "op" && token.v === "(") d++;
    else if (token.t === "op" && token.v === ")") d--;
    if (d !== 0 || token.t !== "word") continue;
    if (token.up === "BETWEEN") between = true;
    else if (token.up === "OR") {
      out.complete = false;
      return;
    } else if (token.up === "AND") {
      if (between) {
        between = false;
        continue;
      }
      terms.push(tokens.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(tokens.slice(start));
  for (const term of terms) readTerm(term, out, nesting);
}

function readTerm(term: readonly Token[], out: ParsedSql, nesting: number): void {
  if (term.length === 0) {
    out.complete = false;
    return;
  }
  if (isOp(term[0], "(") && closes(term)) {
    readTerms(term.slice(1, -1), out, nesting + 1);
    return;
  }
  const left = columnAt(term, 0);
  if (left) {
    const rest = term.slice(left.next);
    const op = rest[0];
    if (isOp(op, "=")) {
      const value = valueOf(rest.slice(1));
      if (value === "column") return;
      if (value !== undefined) {
        out.conditions.push({ column: left.name, value });
        return;
      }
      // `id = ANY($1)`
      if (
        isWord(rest[1], "ANY") &&
        isOp(rest[2], "(") &&
        rest[3]?.t === "ph" &&
        isOp(rest[4], ")") &&
        rest.length === 5
      ) {
        out.conditions.push({ column: left.name, value: rest[3].key });
        return;
      }
    } else if (isWord(op, "IN") && isOp(rest[1], "(") && isOp(rest[rest.length - 1], ")")) {
      // `id IN ($1, $2)`: each value picks rows; the first stands for them.
      const values = rest.slice(2, -1).filter((token) => !isOp(token, ","));
      const first = values[0];
      if (first && values.every((token) => token.t === "ph" || token.t === "str" || token.t === "num")) {
        out.conditions.push({ column: left.name, value: first.t === "ph" ? first.key : "literal" });
        return;
      }
    } else if (isWord(op, "IS")) {
      return;
    } else if (
      (op?.t === "op" && OTHER_COMPARISONS.has(op.v)) ||
      (op?.t === "word" && (OTHER_WORDS.has(op.up) || op.up === "NOT" || op.up === "BETWEEN"))
    ) {
      if (rest.every((token) => token.t !== "op" || token.v !== "(")) return;
    }
  }
  // `$1 = id`
  const value = valueOf(term.slice(0, 1));
  if (value !== undefined && value !== "column" && isOp(term[1], "=")) {
    const right = columnAt(term, 2);
    if (right && right.next === term.length) {
      out.conditions.push({ column: right.name, value });
      return;
    }
  }
  out.complete = false;
}

/** A column reference at `i` (`id`, `i.user_id`, `"Invoice"."ownerId"`), with the index after it. */
function columnAt(tokens: readonly Token[], i: number): { name: string; next: number } | undefined {
  let name: string | undefined;
  let j = i;
  for (;;) {
    const token = tokens[j];
    if (token?.t !== "word" && token?.t !== "id") break;
    if (token.t === "word" && RESERVED.has(token.up)) break;
    name = token.v;
    j++;
    if (!isOp(tokens[j], ".")) break;
    j++;
  }
  return name === undefined ? undefined : { name, next: j };
}

const RESERVED = new Set(["NOT", "NULL", "TRUE", "FALSE", "EXISTS", "CASE", "SELECT", "ANY", "ALL", "IN", "IS"]);

/** The value a comparison's other side is: a placeholder key, `literal`, `column` for another column; undefined for anything else. */
function valueOf(tokens: readonly Token[]): string | undefined {
  let end = tokens.length;
  // `$1::uuid`
  if (end >= 3 && isOp(tokens[end - 2], "::") && tokens[end - 1].t === "word") end -= 2;
  if (end === 1) {
    const token = tokens[0];
    if (token.t === "ph") return token.key;
    if (token.t === "str" || token.t === "num") return "literal";
    if (token.t === "word" && (token.up === "TRUE" || token.up === "FALSE" || token.up === "NULL")) return "literal";
  }
  const column = columnAt(tokens, 0);
  return column && column.next === end ? "column" : undefined;
}

function closes(term: readonly Token[]): boolean {
  let d = 0;
  for (let i = 0; i < term.length; i++) {
    if (isOp(term[i], "(")) d++;
    else if (isOp(term[i], ")")) {
      d--;
      if (d === 0 && i < term.length - 1) return false;
    }
  }
  return d === 0 && isOp(term[term.length - 1], ")");
}

function isOp(token: Token | undefined, v: string): boolean {
  return token?.t === "op" && token.v === v;
}

function isWord(token: Token | undefined, up: string): boolean {
  return token?.t === "word" && token.up === up;
}

/** The node a placeholder stands for: an interpolation, an element of the values array, a property of the values object. */
export function placeholderValue(
  key: string,
  source: SqlSource,
  values: { list?: readonly (Node | null)[]; object?: TSESTree.ObjectExpression; single?: Node },
  facts: FileFacts,
): Node | undefined {
  const [kind, rest] = [key.slice(0, 1), key.slice(2)];
  if (kind === "i") return source.expressions[Number(rest)];
  if (kind === "p" || kind === "q") {
    const index = kind === "p" ? Number(rest) - 1 : Number(rest);
    if (values.list) {
      const element = values.list[index];
      return element && element.type !== T.SpreadElement ? element : undefined;
    }
    return index === 0 ? values.single : undefined;
  }
  if (kind === "n" && values.object) return facts.objectProperty(values.object, rest)?.value;
  return undefined;
}
