/**
 * Small, iterative helpers over TSESTree nodes. They also serve espree's ESTree (the
 * tree ESLint builds for .js files): every node type used here exists in both.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { Loc } from "../../core/model.js";

export type Node = TSESTree.Node;
export type FunctionNode =
  TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;
export type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

export function isFunction(node: Node | null | undefined): node is FunctionNode {
  return (
    node != null &&
    (node.type === T.FunctionDeclaration ||
      node.type === T.FunctionExpression ||
      node.type === T.ArrowFunctionExpression)
  );
}

export function isClass(node: Node | null | undefined): node is ClassNode {
  return node != null && (node.type === T.ClassDeclaration || node.type === T.ClassExpression);
}

/** Strips what does not change the value: TS assertions, `!`, `satisfies`, optional chains. */
export function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    switch (current.type) {
      case T.TSAsExpression:
      case T.TSNonNullExpression:
      case T.TSSatisfiesExpression:
      case T.TSTypeAssertion:
      case T.TSInstantiationExpression:
        current = current.expression;
        break;
      case T.ChainExpression:
        current = current.expression;
        break;
      default:
        return current;
    }
  }
}

/** `unwrap`, and also `await x`. */
export function unwrapAwait(node: Node): Node {
  let current = unwrap(node);
  while (current.type === T.AwaitExpression) current = unwrap(current.argument);
  return current;
}

/** `a.b` → `b`, `a["b"]` → `b`; undefined for a computed, non-literal key. */
export function propertyName(member: TSESTree.MemberExpression): string | undefined {
  const property = member.property;
  if (!member.computed) return property.type === T.Identifier ? property.name : undefined;
  return staticString(property);
}

/** The last name of an identifier, member or `this`: `req.user` → `user`, `this` → `this`. */
export function terminalName(node: Node): string | undefined {
  const n = unwrap(node);
  if (n.type === T.Identifier) return n.name;
  if (n.type === T.MemberExpression) return propertyName(n);
  if (n.type === T.ThisExpression) return "this";
  return undefined;
}

/** `a.b.c` and `this.x` as a dotted path; undefined when any link is not a plain name. */
export function memberPath(node: Node): string | undefined {
  const parts: string[] = [];
  let current = unwrap(node);
  while (current.type === T.MemberExpression) {
    const name = propertyName(current);
    if (name === undefined) return undefined;
    parts.push(name);
    current = unwrap(current.object);
  }
  if (current.type === T.Identifier) parts.push(current.name);
  else if (current.type === T.ThisExpression) parts.push("this");
  else return undefined;
  return parts.reverse().join(".");
}

/** The value of a string literal or a template literal without expressions. */
export function staticString(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === T.Literal && typeof node.value === "string") return node.value;
  if (node.type === T.TemplateLiteral && node.expressions.length === 0)
    return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

export function isRegExpLiteral(node: Node): node is TSESTree.RegExpLiteral {
  return node.type === T.Literal && "regex" in node && node.regex != null;
}

export function sourceText(text: string, node: Node): string {
  return text.slice(node.range[0], node.range[1]);
}

/** Links of a call chain `callText` shows; a longer chain is shown from its end, after an ellipsis. */
const MAX_CALL_TEXT_LINKS = 16;

/**
 * `knex(…).where(…).update(…)`: a call's callee with every non-empty argument list elided,
 * whitespace collapsed. Its cost is bounded whatever the chain or head: a message never
 * needs more.
 */
export function callText(text: string, call: TSESTree.CallExpression | TSESTree.NewExpression): string {
  const parts: string[] = [];
  let current: Node = call;
  const args = (node: TSESTree.CallExpression | TSESTree.NewExpression) => (node.arguments.length > 0 ? "(…)" : "()");
  if (call.type === T.NewExpression) {
    parts.push(args(call));
    current = call.callee;
  }
  for (;;) {
    if (
      parts.length >= MAX_CALL_TEXT_LINKS &&
      (current.type === T.CallExpression || current.type === T.MemberExpression)
    ) {
      parts.push("…");
      break;
    }
    if (current.type === T.CallExpression) {
      parts.push(args(current));
      current = current.callee;
    } else if (current.type === T.MemberExpression && !current.computed && current.property.type === T.Identifier) {
      parts.push(`${current.optional ? "?." : "."}${current.property.name}`);
      current = current.object;
    } else if (current.type === T.ChainExpression || current.type === T.TSNonNullExpression) {
      current = current.expression;
    } else {
      parts.push(shortSource(text, current, 40, "..."));
      break;
    }
  }
  const shown = parts.reverse().join("");
  return call.type === T.NewExpression ? `new ${shown}` : shown;
}

/**
 * A node's source text on one line, cut to `max` characters with `ellipsis`. Only a
 * bounded prefix of the node is read, so a large node costs no more than a small one.
 */
export function shortSource(text: string, node: Node, max = 60, ellipsis = "…"): string {
  const [start, end] = node.range;
  const stop = Math.min(end, start + max * 4);
  const flat = text.slice(start, stop).replace(/\s+/g, " ").trim();
  if (stop === end && flat.length <= max) return flat;
  return `${flat.slice(0, max - ellipsis.length)}${ellipsis}`;
}

export function span(start: Node, end: Node): Loc {
  return {
    start: { line: start.loc.start.line, column: start.loc.start.column },
    end: { line: end.loc.end.line, column: end.loc.end.column },
  };
}

export function locOf(node: Node): Loc {
  return span(node, node);
}

/** Does the range of `inner` lie within `outer`? */
export function contains(outer: Node, inner: Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/** The name a function parameter binds (`req`, `req: Request`, `req = x`), if it is a plain name. */
export function paramName(param: TSESTree.Parameter): string | undefined {
  const p = param.type === T.TSParameterProperty ? param.parameter : param;
  if (p.type === T.Identifier) return p.name;
  if (p.type === T.AssignmentPattern && p.left.type === T.Identifier) return p.left.name;
  return undefined;
}

/** The written type of a parameter or variable: `Router`, `express.Router`, as a dotted name. */
export function typeAnnotationName(node: Node): { node: TSESTree.EntityName; path: string } | undefined {
  const target = node.type === T.TSParameterProperty ? node.parameter : node;
  const annotation =
    "typeAnnotation" in target ? (target.typeAnnotation as TSESTree.TSTypeAnnotation | undefined) : undefined;
  const type = annotation?.type === T.TSTypeAnnotation ? annotation.typeAnnotation : undefined;
  if (type?.type !== T.TSTypeReference) return undefined;
  const parts: string[] = [];
  let name: TSESTree.EntityName = type.typeName;
  while (name.type === T.TSQualifiedName) {
    parts.push(name.right.name);
    name = name.left;
  }
  if (name.type !== T.Identifier) return undefined;
  parts.push(name.name);
  return { node: type.typeName, path: parts.reverse().join(".") };
}

/**
 * Splits an identifier into lower-case words: `verifyJWT` → verify, jwt; `api_key_auth` →
 * api, key, auth. Pairs that read as one word are joined (`api key` → `apikey`,
 * `logged in` → `loggedin`), so name rules can match them as one.
 */
export function nameWords(name: string): string[] {
  const raw = name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? [];
  const words: string[] = [];
  for (const word of raw.map((w) => w.toLowerCase())) {
    const previous = words.at(-1);
    const joined = previous === undefined ? undefined : JOINED_PAIRS.get(`${previous} ${word}`);
    if (joined) words[words.length - 1] = joined;
    else words.push(word);
  }
  return words;
}

const JOINED_PAIRS: ReadonlyMap<string, string> = new Map([
  ["api key", "apikey"],
  ["logged in", "loggedin"],
  ["signed in", "signedin"],
  ["log in", "login"],
  ["sign in", "signin"],
  ["o auth", "oauth"],
  ["logged out", "loggedout"],
]);

/**
 * `req.body.password` → req, body, password; `this.user.id` → this, user, id. Stops at
 * anything that is not a plain name; `through` says what to look through between
 * steps (parentheses and casts by default).
 */
export function memberNames(node: Node, through: (node: Node) => Node = unwrap): string[] {
  const parts: string[] = [];
  let current = through(node);
  while (current.type === T.MemberExpression) {
    const name = propertyName(current);
    if (name === undefined) break;
    parts.push(name);
    current = through(current.object);
  }
  if (current.type === T.Identifier) parts.push(current.name);
  else if (current.type === T.ThisExpression) parts.push("this");
  return parts.reverse();
}

/** The function a factory or wrapper returns: `(role) => (req, res, next) => …` or `return async function (req) { … }`. */
export function returnedFunction(factory: FunctionNode): FunctionNode | undefined {
  if (factory.body.type !== T.BlockStatement) {
    const body = unwrap(factory.body);
    return isFunction(body) ? body : undefined;
  }
  for (const statement of factory.body.body) {
    if (statement.type === T.ReturnStatement && statement.argument) {
      const value = unwrap(statement.argument);
      if (isFunction(value)) return value;
    }
  }
  return undefined;
}

/** `401`, `403`, `StatusCodes.UNAUTHORIZED`, `HttpStatus.FORBIDDEN`: a status that denies the caller. */
export function isDenyStatus(node: Node | undefined): boolean {
  if (!node) return false;
  const n = unwrap(node);
  if (n.type === T.Literal) return n.value === 401 || n.value === 403;
  if (n.type === T.MemberExpression) {
    const name = propertyName(n)?.toLowerCase();
    return name === "unauthorized" || name === "unauthorised" || name === "forbidden";
  }
  return false;
}

/** `{ credentialsRequired: false }`, `{ passthrough: true }`: an object argument of the call sets `option` to `value`. */
export function hasBooleanOption(call: TSESTree.CallExpression, option: string, value: boolean): boolean {
  return call.arguments.some(
    (arg) =>
      arg.type === T.ObjectExpression &&
      arg.properties.some(
        (p) =>
          p.type === T.Property &&
          !p.computed &&
          ((p.key.type === T.Identifier && p.key.name === option) || staticString(p.key) === option) &&
          p.value.type === T.Literal &&
          p.value.value === value,
      ),
  );
}
