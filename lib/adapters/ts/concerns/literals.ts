/**
 * String literals for AP201, with where they go: the name they are assigned or
 * passed to (variable, property, class field, parameter or destructuring default,
 * JSX attribute, enum member, `headers.set("Authorization", …)` pair), the names that
 * own that target, the secret sink they are passed to (the keys and secrets the library
 * records name in their `secrets` sections: jsonwebtoken keys, crypto HMAC and cipher
 * keys, cookie and session secrets), and the source text that would read the value from
 * the environment instead. Literals that go nowhere in particular are kept only when
 * long enough to hold a provider credential. A literal compared with a value (`===`, `!==`,
 * a `switch` case) is named for that value and says whether the value is the client's
 * request input (`req.headers["x-api-key"] === "…"`: the literal is the credential a
 * request must present) or not (`apiKey !== "changeme"`: a placeholder check).
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { StringLiteral } from "../../../core/model.js";
import { locOf, propertyName, staticString, terminalName, memberPath, unwrap, type Node } from "../ast.js";
import type { FileFacts } from "../facts.js";
import { exportPath, matchesAny, originOf, type ImportSpecifier, type Origin } from "../imports.js";
import { libraries } from "../libraries/index.js";
import type { TsSecretKnowledge } from "../libraries/library.js";
import { mayBeNamedSecret } from "../../../core/secrets/index.js";
import { RequestInput } from "./request-input.js";

/** Node types the walk collects for this pass. */
export const LITERAL_NODE_TYPES: readonly string[] = [
  T.Literal,
  T.TemplateLiteral,
  T.VariableDeclarator,
  T.Property,
  T.PropertyDefinition,
  T.AssignmentExpression,
  T.AssignmentPattern,
  T.CallExpression,
  T.NewExpression,
  T.JSXAttribute,
  T.TSEnumMember,
  T.BinaryExpression,
  T.SwitchStatement,
];

const EQUALITY_OPERATORS = new Set(["===", "==", "!==", "!="]);
/** Methods that read a named value: `headers.get("x-api-key")`, `c.req.header("x-api-key")`, `config.get("apiKey")`. */
const NAMED_READS = new Set(["get", "header", "param", "query", "getHeader", "getOrThrow"]);

/** A literal that goes nowhere named is worth keeping only if it could hold a credential. */
const MIN_UNTARGETED_LENGTH = 16;

/** Where a literal goes. */
interface Placement {
  target?: string;
  /** The object literal the target is a key of, for owners and siblings. */
  object?: TSESTree.ObjectExpression;
  /** Owner names known directly (`process.env` for `process.env.X = …`). */
  owners?: string[];
  fallback?: boolean;
  sink?: string;
  /** How a reference to the environment must be written here; undefined where an expression cannot stand. */
  wrap?: (expression: string) => string;
  /** The string values of the array the literal is an element of. */
  list?: readonly string[];
  /** Compared with a value: the client's request input, or another value. */
  compared?: "request" | "value";
}

/** Calls whose arguments are a name and its value: `headers.set("Authorization", "…")`. */
const PAIR_METHODS = new Set([
  "set",
  "add",
  "put",
  "append",
  "setitem",
  "setheader",
  "header",
  "setvalue",
  "tryadd",
  "setenvironmentvariable",
]);

/** Owner names too generic to help name an environment variable. */
const GENERIC_OWNERS = new Set([
  "config",
  "configuration",
  "settings",
  "options",
  "opts",
  "env",
  "process",
  "this",
  "module",
  "exports",
  "default",
  "app",
  "defaults",
  "common",
  "params",
  "props",
  "data",
  "values",
  "constants",
]);

type KeyArgument = NonNullable<TsSecretKnowledge["keyArguments"]>[number];

interface KeyOptions {
  properties: ReadonlySet<string>;
  sink: string;
}

interface Known {
  keyArguments: readonly KeyArgument[];
  /** Options that hold keys, by the package they are passed to. */
  keyOptions: ReadonlyMap<string, KeyOptions>;
  /** The packages of either: a file that imports none needs no lookups. */
  packages: readonly string[];
}

let known: Known | undefined;

/** Read on first use: the records import this module's users, so they are complete only once loading ends. */
function knownSinks(): Known {
  if (known) return known;
  const keyArguments: KeyArgument[] = [];
  const keyOptions = new Map<string, KeyOptions>();
  const packages: string[] = [];
  for (const { packages: names = [], secrets } of libraries()) {
    if (!secrets) continue;
    keyArguments.push(...(secrets.keyArguments ?? []));
    const options = secrets.keyOptions;
    if (options)
      for (const name of names) keyOptions.set(name, { properties: new Set(options.names), sink: options.sink });
    packages.push(...names);
  }
  return (known = { keyArguments, keyOptions, packages });
}

type ObjectOwners = Map<TSESTree.ObjectExpression, { name: string; outer?: TSESTree.ObjectExpression }>;

/** The keys of each object literal, listed once and shared by every literal of the object. */
type ObjectKeys = Map<TSESTree.ObjectExpression, readonly string[]>;

export function collectLiterals(facts: FileFacts): StringLiteral[] {
  const placements = new Map<Node, Placement>();
  const objectOwners: ObjectOwners = new Map();
  const objectKeys: ObjectKeys = new Map();
  const place = (value: Node | null | undefined, placement: Placement): void => {
    for (const { literal, fallback, lookup, list } of literalsOf(value)) {
      placements.set(literal, {
        ...placement,
        target: lookup ?? placement.target,
        fallback: fallback || placement.fallback,
        ...(list ? { list } : {}),
      });
    }
    const object = value ? unwrap(value) : undefined;
    if (object?.type === T.ObjectExpression && placement.target !== undefined)
      objectOwners.set(object, { name: placement.target, outer: placement.object });
  };
  const collected = (type: string) => facts.collected.get(type) ?? [];
  const importsSinks = knownSinks().packages.some((p) => facts.imports(p));

  for (const { node } of collected(T.VariableDeclarator)) {
    const n = node as TSESTree.VariableDeclarator;
    if (n.id.type === T.Identifier) place(n.init, { target: n.id.name, wrap: plain });
  }
  for (const { node, parent } of collected(T.Property)) {
    const n = node as TSESTree.Property;
    if (parent?.type !== T.ObjectExpression) continue; // destructuring patterns are AssignmentPatterns
    const key = keyName(n);
    if (key !== undefined) place(n.value, { target: key, object: parent, wrap: n.shorthand ? undefined : plain });
  }
  for (const { node } of collected(T.PropertyDefinition)) {
    const n = node as TSESTree.PropertyDefinition;
    const key = n.computed
      ? staticString(n.key)
      : n.key.type === T.Identifier || n.key.type === T.PrivateIdentifier
        ? n.key.name
        : staticString(n.key);
    if (key !== undefined) place(n.value, { target: key, wrap: plain });
  }
  for (const { node } of collected(T.AssignmentExpression)) {
    const n = node as TSESTree.AssignmentExpression;
    const target = terminalName(n.left);
    if (target === undefined || target === "this") continue;
    const owner = n.left.type === T.MemberExpression ? memberPath(n.left.object) : undefined;
    place(n.right, { target, owners: owner ? owner.split(".").reverse() : [], wrap: plain });
  }
  for (const { node } of collected(T.AssignmentPattern)) {
    const n = node as TSESTree.AssignmentPattern;
    if (n.left.type === T.Identifier) place(n.right, { target: n.left.name, wrap: plain });
  }
  for (const { node } of collected(T.TSEnumMember)) {
    const n = node as TSESTree.TSEnumMember;
    const name = n.id.type === T.Identifier ? n.id.name : staticString(n.id);
    if (name !== undefined) place(n.initializer, { target: name }); // string enum members must be constants
  }
  for (const { node } of collected(T.JSXAttribute)) {
    const n = node as TSESTree.JSXAttribute;
    if (n.name.type !== T.JSXIdentifier || !n.value) continue;
    if (n.value.type === T.Literal) place(n.value, { target: n.name.name, wrap: (e) => `{${e}}` });
    else if (n.value.type === T.JSXExpressionContainer && n.value.expression.type !== T.JSXEmptyExpression)
      place(n.value.expression, { target: n.name.name, wrap: plain });
  }
  let requests: RequestInput | undefined;
  const placeCompared = (literal: Node, other: Node, scope: Node): void => {
    const l = unwrap(literal);
    const value = staticString(l);
    if (value === undefined || !mayBeNamedSecret(value) || staticString(unwrap(other)) !== undefined) return;
    const target = comparedName(other);
    if (target === undefined) return;
    const request = (requests ??= new RequestInput(facts)).readOf(other, scope) !== undefined;
    placements.set(l, request ? { target, compared: "request", wrap: plain } : { target, compared: "value" });
  };
  for (const { node, scope } of collected(T.BinaryExpression)) {
    const n = node as TSESTree.BinaryExpression;
    if (!EQUALITY_OPERATORS.has(n.operator) || n.left.type === T.PrivateIdentifier) continue;
    placeCompared(n.right, n.left, scope);
    placeCompared(n.left, n.right, scope);
  }
  for (const { node, scope } of collected(T.SwitchStatement)) {
    const n = node as TSESTree.SwitchStatement;
    for (const c of n.cases) if (c.test) placeCompared(c.test, n.discriminant, scope);
  }
  for (const type of [T.CallExpression, T.NewExpression]) {
    for (const { node, scope } of collected(type))
      placeCallArguments(
        facts,
        node as TSESTree.CallExpression | TSESTree.NewExpression,
        scope,
        importsSinks,
        place,
        objectOwners,
      );
  }

  const out: StringLiteral[] = [];
  for (const type of [T.Literal, T.TemplateLiteral]) {
    for (const { node, parent } of collected(type)) {
      const value = staticString(node);
      if (value === undefined || isModuleSpecifier(node, parent)) continue;
      const placement = placements.get(node);
      if (!placement && value.length < MIN_UNTARGETED_LENGTH) continue;
      out.push(toFact(node, value, placement, objectOwners, objectKeys));
    }
  }
  return out;
}

const plain = (expression: string): string => expression;

function keyName(property: TSESTree.Property): string | undefined {
  if (!property.computed && property.key.type === T.Identifier) return property.key.name;
  return staticString(property.key);
}

/**
 * The name of what a literal is compared with: `token`, `apiKey` in `config.apiKey`,
 * `x-api-key` in `req.headers["x-api-key"]` or `request.headers.get("x-api-key")`.
 */
function comparedName(node: Node): string | undefined {
  const n = unwrap(node);
  if (n.type === T.Identifier) return n.name;
  if (n.type === T.MemberExpression) return propertyName(n);
  if (n.type === T.CallExpression && n.callee.type === T.MemberExpression) {
    const method = propertyName(n.callee);
    if (method !== undefined && NAMED_READS.has(method)) return staticString(n.arguments[0]);
  }
  return undefined;
}

/** `import x from "m"`, `require("m")`, `export * from "m"`, `import("m")`: names of modules, never values. */
function isModuleSpecifier(node: Node, parent: Node | undefined): boolean {
  if (!parent) return false;
  switch (parent.type) {
    case T.ImportDeclaration:
    case T.ExportAllDeclaration:
    case T.ExportNamedDeclaration:
    case T.ImportExpression:
    case T.TSExternalModuleReference:
      return true;
    case T.CallExpression:
      return parent.callee.type === T.Identifier && parent.callee.name === "require" && parent.arguments[0] === node;
    default:
      return false;
  }
}

/**
 * The string literals an expression evaluates to, looking through type assertions,
 * `cond ? "a" : "b"`, `Buffer.from("…")`, `new TextEncoder().encode("…")` and the
 * right side of `lookup ?? "…"` / `lookup || "…"` (a fallback).
 */
function literalsOf(
  value: Node | null | undefined,
): { literal: Node; fallback: boolean; lookup?: string; list?: readonly string[] }[] {
  type Entry = { literal: Node; fallback: boolean; lookup?: string; list?: readonly string[] };
  const out: Entry[] = [];
  if (!value) return out;
  const stack: { node: Node; fallback: boolean; lookup?: string; list?: readonly string[] }[] = [
    { node: value, fallback: false },
  ];
  while (stack.length > 0 && out.length < 16) {
    const { node, fallback, lookup, list } = stack.pop()!;
    const n = unwrap(node);
    if (
      (n.type === T.Literal && typeof n.value === "string") ||
      (n.type === T.TemplateLiteral && n.expressions.length === 0)
    ) {
      out.push({ literal: n, fallback, lookup, ...(list ? { list } : {}) });
    } else if (n.type === T.LogicalExpression && n.operator !== "&&") {
      stack.push({ node: n.right, fallback: true, lookup: lookup ?? lookupName(n.left) });
    } else if (n.type === T.ConditionalExpression) {
      stack.push({ node: n.consequent, fallback, lookup }, { node: n.alternate, fallback, lookup });
    } else if (n.type === T.ArrayExpression) {
      // The array's string values, shared by its literals: a list of names is judged as a whole.
      const values: string[] = [];
      for (const element of n.elements) {
        const text = element && element.type !== T.SpreadElement ? staticString(unwrap(element)) : undefined;
        if (text !== undefined) values.push(text);
      }
      for (const element of n.elements)
        if (element && element.type !== T.SpreadElement)
          stack.push({ node: element, fallback, lookup, ...(values.length > 1 ? { list: values } : {}) });
    } else if (isBytesOf(n)) {
      stack.push({ node: (n as TSESTree.CallExpression).arguments[0], fallback, lookup });
    }
  }
  return out;
}

/** What a lookup reads: `JWT_SECRET` in `process.env.JWT_SECRET`, `jwt.secret` in `config.get("jwt.secret")`. */
function lookupName(node: Node): string | undefined {
  const n = unwrap(node);
  if (n.type === T.MemberExpression && memberPath(n.object)?.endsWith("env")) return propertyName(n);
  if (n.type === T.CallExpression) return staticString(n.arguments[0]);
  return undefined;
}

/** `Buffer.from(x)`, `new TextEncoder().encode(x)`, `Buffer.from(x, "base64")`. */
function isBytesOf(node: Node): boolean {
  if (node.type !== T.CallExpression || node.arguments.length === 0 || node.callee.type !== T.MemberExpression)
    return false;
  const name = propertyName(node.callee);
  if (name === "from") return terminalName(node.callee.object) === "Buffer";
  if (name === "encode")
    return node.callee.object.type === T.NewExpression && terminalName(node.callee.object.callee) === "TextEncoder";
  return false;
}

type Place = (value: Node | null | undefined, placement: Placement) => void;

function placeCallArguments(
  facts: FileFacts,
  call: TSESTree.CallExpression | TSESTree.NewExpression,
  scope: Node,
  importsSinks: boolean,
  place: Place,
  objectOwners: ObjectOwners,
): void {
  const args = call.arguments;
  const callee = unwrap(call.callee);
  const method =
    callee.type === T.MemberExpression ? propertyName(callee) : callee.type === T.Identifier ? callee.name : undefined;
  const origin = importsSinks ? originOf(facts, callee, scope) : undefined;
  const sink = keySink(call, origin);
  if (sink) place(args[sink.index], { sink: sink.text, target: sink.name, wrap: plain });
  if (method !== undefined && PAIR_METHODS.has(method.toLowerCase()) && args.length === 2) {
    const name = staticString(args[0]);
    if (name !== undefined) place(args[1], { target: name, wrap: plain });
  }
  // Object arguments are owned by the callee: `new Mailgun({ key })`, `Stripe.create({ apiKey })`.
  let calleeName: string | undefined | null = null;
  for (const arg of args) {
    const object = unwrap(arg);
    if (object.type !== T.ObjectExpression || objectOwners.has(object)) continue;
    // Named once per call, and only for calls that take an object: a long call chain is walked once.
    if (calleeName === null)
      calleeName = callee.type === T.MemberExpression ? memberPath(callee) : terminalName(callee);
    if (calleeName !== undefined) objectOwners.set(object, { name: calleeName });
  }
  const options = importsSinks ? optionSink(facts, call, scope, method, origin) : undefined;
  if (options) {
    for (const property of options.object.properties) {
      if (property.type !== T.Property) continue;
      const key = keyName(property);
      if (key !== undefined && options.properties.has(key))
        place(property.value, { target: key, object: options.object, sink: options.sink, wrap: plain });
    }
  }
}

/** Where a call takes a key or secret positionally, and what to call it. */
function keySink(
  call: TSESTree.CallExpression | TSESTree.NewExpression,
  origin: Origin | undefined,
): { index: number; text: string; name: string } | undefined {
  if (call.type !== T.CallExpression) return undefined;
  for (const key of knownSinks().keyArguments) {
    const name = origin && matchesAny(origin, key.calls) ? exportPath(origin) : receiverCall(call.callee, key);
    if (name !== undefined) return { index: key.index, text: key.sink(name), name: key.target };
  }
  return undefined;
}

/** `jwt.sign(…)` with `jwt` from where this file does not show: the export called, when the receiver has the key's name. */
function receiverCall(callee: Node, key: KeyArgument): string | undefined {
  const n = unwrap(callee);
  if (key.receiverName === undefined || n.type !== T.MemberExpression) return undefined;
  if (terminalName(n.object)?.toLowerCase() !== key.receiverName) return undefined;
  const method = propertyName(n);
  const named = (c: ImportSpecifier) => (typeof c.name === "string" ? c.name === method : c.name.includes(method!));
  return method !== undefined && key.calls.some(named) ? method : undefined;
}

/** An options object whose named properties are keys: `session({ secret })`, `new JwtStrategy({ secretOrKey })`, `app.register(fastifyJwt, { secret })`. */
function optionSink(
  facts: FileFacts,
  call: TSESTree.CallExpression | TSESTree.NewExpression,
  scope: Node,
  method: string | undefined,
  origin: Origin | undefined,
): { object: TSESTree.ObjectExpression; properties: ReadonlySet<string>; sink: string } | undefined {
  let module = origin?.module;
  let optionsArg = call.arguments.find((a) => unwrap(a).type === T.ObjectExpression);
  if (method === "register" && call.arguments[0]?.type === T.Identifier) {
    const plugin = originOf(facts, call.arguments[0], scope);
    if (plugin) {
      module = plugin.module;
      optionsArg = call.arguments[1];
    }
  }
  const entry = module !== undefined ? knownSinks().keyOptions.get(module) : undefined;
  const object = optionsArg ? unwrap(optionsArg) : undefined;
  if (!entry || object?.type !== T.ObjectExpression) return undefined;
  return { object, ...entry };
}

function toFact(
  node: Node,
  value: string,
  placement: Placement | undefined,
  objectOwners: ObjectOwners,
  objectKeys: ObjectKeys,
): StringLiteral {
  const fact: StringLiteral = { value, loc: locOf(node) };
  if (!placement) return fact;
  const owners = [...(placement.owners ?? [])];
  for (let object = placement.object, guard = 0; object && guard < 32; guard++) {
    const owner = objectOwners.get(object);
    if (!owner) break;
    owners.push(owner.name);
    object = owner.outer;
  }
  if (placement.target !== undefined) fact.target = placement.target;
  if (placement.sink !== undefined) fact.sink = placement.sink;
  if (placement.fallback) fact.fallback = true;
  if (owners.length > 0) fact.owners = owners;
  if (placement.object) fact.siblings = keysOf(placement.object, objectKeys);
  if (placement.list) fact.list = placement.list;
  if (placement.compared) fact.compared = placement.compared;
  const name =
    placement.target !== undefined && !owners.includes("env") ? envName(placement.target, owners) : undefined;
  if (name && placement.wrap) {
    fact.suggestion = { range: [node.range[0], node.range[1]], text: placement.wrap(`process.env.${name}`) };
  }
  return fact;
}

/** The static keys of an object literal, in order: computed once per object, so a large object stays linear. */
function keysOf(object: TSESTree.ObjectExpression, cache: ObjectKeys): readonly string[] {
  let keys = cache.get(object);
  if (!keys) {
    const list: string[] = [];
    for (const p of object.properties) {
      const key = p.type === T.Property ? keyName(p) : undefined;
      if (key !== undefined) list.push(key);
    }
    cache.set(object, (keys = list));
  }
  return keys;
}

/** `secretKey` owned by `stripe` → `STRIPE_SECRET_KEY`; `jwtSecret` → `JWT_SECRET`. */
function envName(target: string, owners: readonly string[]): string | undefined {
  const words = (name: string) => name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g)?.map((w) => w.toUpperCase()) ?? [];
  const targetWords = words(target);
  if (targetWords.length === 0) return undefined;
  const owner = owners.map((o) => o.split(".").pop()!).find((o) => !GENERIC_OWNERS.has(o.toLowerCase()));
  const ownerWords = owner ? words(owner).filter((w) => !targetWords.includes(w)) : [];
  const name = [...ownerWords.slice(-2), ...targetWords].join("_");
  return /^[A-Z]/.test(name) ? name : /^[A-Z]/.test(targetWords.join("_")) ? targetWords.join("_") : undefined;
}
