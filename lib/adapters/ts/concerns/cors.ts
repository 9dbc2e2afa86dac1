/**
 * CORS configurations in TS/JS, as the library will apply them:
 *  - the libraries whose records have a `cors` section (the `cors` package, also behind
 *    NestJS's `app.enableCors(…)` and `NestFactory.create(M, { cors })`; `@koa/cors`; Hono's
 *    `hono/cors`; `@fastify/cors` through `fastify.register(cors, options)`): their
 *    middleware calls, plugin registrations and typed options objects;
 *  - handlers that write `Access-Control-Allow-Origin` (and `…-Allow-Credentials`) themselves.
 * Options are read inline or from a `const` in the same file. Origin functions and
 * delegates are followed far enough to tell "allows every origin" from "checks something".
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { CorsCredentials, CorsOrigin, CorsPolicy } from "../../../core/facts/cors.js";
import {
  callText,
  isFunction,
  isRegExpLiteral,
  locOf,
  memberPath,
  nameWords,
  paramName,
  propertyName,
  shortSource,
  staticString,
  terminalName,
  typeAnnotationName,
  unwrap,
  unwrapAwait,
  type FunctionNode,
  type Node,
} from "../ast.js";
import { type Collected, type FileFacts } from "../facts.js";
import { matchesAny, originOf, type Origin } from "../imports.js";
import { libraries } from "../libraries/index.js";
import type { TsCorsKnowledge } from "../libraries/library.js";
import { lowerBound } from "../../../core/adapter-utils.js";

/**
 * Node types the walk collects for this pass: calls, and for each function the declarations
 * and tests that show what it does with the request's origin.
 */
export const CORS_NODE_TYPES: readonly string[] = [
  T.CallExpression,
  T.VariableDeclarator,
  T.AssignmentExpression,
  T.IfStatement,
  T.ConditionalExpression,
  T.LogicalExpression,
  T.SwitchStatement,
];

/** A library's CORS knowledge, under the record's id. */
interface Library extends TsCorsKnowledge {
  id: string;
}

interface Known {
  libraries: readonly Library[];
  /** The packages of the libraries: a file that imports none needs no name lookups. */
  packages: readonly string[];
  /** Option type names (`CorsOptions`) with their library. */
  optionTypes: ReadonlyMap<string, Library>;
}

let known: Known | undefined;

/** Read on first use: the records import this module's users, so they are complete only once loading ends. */
function knownLibraries(): Known {
  if (known) return known;
  const records: Library[] = [];
  const packages: string[] = [];
  const optionTypes = new Map<string, Library>();
  for (const record of libraries()) {
    if (!record.cors) continue;
    const library = { ...record.cors, id: record.id };
    records.push(library);
    packages.push(...(record.packages ?? []));
    for (const type of record.cors.optionTypes ?? []) optionTypes.set(type, library);
  }
  return (known = { libraries: records, packages, optionTypes });
}

/** Whether the walk must keep parents for this file: it may write CORS headers itself. */
export function corsNeedsParents(text: string): boolean {
  return WRITES_HEADERS.test(text);
}

const HINT = /cors|access-control-allow-origin/i;
const WRITES_HEADERS = /access-control-allow-origin/i;
const ALLOW_ORIGIN = "access-control-allow-origin";
const ALLOW_CREDENTIALS = "access-control-allow-credentials";
/** `res.setHeader(name, value)`, Express `res.header`/`res.set`, Koa `ctx.set`, fetch `headers.set`/`append`, Fastify `reply.header`. */
const HEADER_SETTERS = new Set(["setHeader", "header", "set", "append", "appendHeader"]);
/** `res.set({ … })`, `res.writeHead(204, { … })`, `reply.headers({ … })`. */
const HEADER_OBJECT_SETTERS = new Set(["set", "header", "headers", "writeHead", "setHeaders"]);
/** Receivers whose `get('origin')` reads a response header, not the request's. */
const RESPONSE_NAMES = /^(?:res|response|reply|resp)$/i;
const MAX_RESOLVE_DEPTH = 4;

interface Context {
  facts: FileFacts;
  /** Whether the file imports a CORS library at all: most calls need no name lookup then. */
  importsLibrary: boolean;
  /** Branches that run only in development: the consequent of `if (isDev)`, the alternate of `if (isProd)`. */
  devBranches: Ranges;
  /** Options objects already read for a library call, so a typed declaration of one is not counted twice. */
  readObjects: Set<Node>;
  /** What the walk collected, by the function it is in; built when a function is first asked about. */
  functions: FunctionIndex | undefined;
}

export function collectCorsPolicies(facts: FileFacts): CorsPolicy[] {
  if (!HINT.test(facts.text)) return [];
  const ctx: Context = {
    facts,
    importsLibrary: knownLibraries().packages.some((module) => facts.imports(module)),
    devBranches: new Ranges(developmentBranches(facts.collected.get(T.IfStatement) ?? [])),
    readObjects: new Set(),
    functions: undefined,
  };
  const writesHeaders = WRITES_HEADERS.test(facts.text);
  const policies: CorsPolicy[] = [];
  const headerWrites: HeaderWrite[] = [];
  for (const site of facts.collected.get(T.CallExpression) ?? []) {
    const call = site.node as TSESTree.CallExpression;
    const found = libraryPolicies(ctx, call, site.scope);
    if (found) policies.push(...found);
    else if (writesHeaders) collectHeaderWrites(call, site.scope, headerWrites);
  }
  if ([...knownLibraries().optionTypes.keys()].some((type) => facts.text.includes(type))) {
    for (const site of facts.collected.get(T.VariableDeclarator) ?? [])
      policies.push(...typedOptions(ctx, site.node as TSESTree.VariableDeclarator, site.scope));
  }
  policies.push(...headerPolicies(ctx, headerWrites));
  return policies;
}

/** `CorsOptions` in `cors.CorsOptions`. */
function entityTail(name: TSESTree.EntityName): string {
  return name.type === T.Identifier ? name.name : name.type === T.TSQualifiedName ? name.right.name : "";
}

/**
 * `const corsOptions: CorsOptions = { … }` and `export const corsFactory = (config): CorsOptions => ({ … })`:
 * options handed to the library from another file.
 */
function typedOptions(ctx: Context, declarator: TSESTree.VariableDeclarator, scope: Node): CorsPolicy[] {
  if (declarator.id.type !== T.Identifier || !declarator.init) return [];
  const init = unwrap(declarator.init);
  const optionTypes = knownLibraries().optionTypes;
  let type = typeAnnotationName(declarator.id)?.path.split(".").at(-1) ?? "";
  let object: Node | undefined = init;
  let objectScope = scope;
  if (isFunction(init) && init.returnType?.typeAnnotation.type === T.TSTypeReference) {
    type = entityTail(init.returnType.typeAnnotation.typeName);
    object = init.body.type === T.BlockStatement ? singleReturn(init.body) : init.body;
    objectScope = init;
  } else if (
    !optionTypes.has(type) &&
    declarator.init.type === T.TSSatisfiesExpression &&
    declarator.init.typeAnnotation.type === T.TSTypeReference
  ) {
    type = entityTail(declarator.init.typeAnnotation.typeName);
  }
  const library = optionTypes.get(type);
  if (!library || !object || unwrap(object).type !== T.ObjectExpression || ctx.readObjects.has(unwrap(object)))
    return [];
  const options = readOptions(ctx.facts, unwrap(object), objectScope);
  if (!options) return [];
  return [
    policyOf(
      ctx,
      { library, via: `${declarator.id.name}: ${type}`, scope: objectScope, anchor: declarator },
      options,
      false,
    ),
  ];
}

// ---------------------------------------------------------------- libraries

/** The policies a library call configures, or undefined when the call configures none. */
function libraryPolicies(ctx: Context, call: TSESTree.CallExpression, scope: Node): CorsPolicy[] | undefined {
  const callee = unwrap(call.callee);
  const site = (library: Library): Site => ({ library, via: callText(ctx.facts.text, call), scope, anchor: call });
  const { libraries } = knownLibraries();
  if (ctx.importsLibrary) {
    // `cors({ … })`, `require("cors")({ … })`, `cors` from `hono/cors`.
    const middleware = libraryOf(originOf(ctx.facts, callee, scope), "middleware");
    if (middleware) return configure(ctx, site(middleware), call.arguments[0]);
  }
  if (callee.type !== T.MemberExpression) return undefined;
  const name = propertyName(callee);
  if (name === undefined) return undefined;
  const byMethod = libraries.find((library) => library.optionsMethods?.includes(name));
  if (byMethod) return configure(ctx, site(byMethod), call.arguments[0]);
  if (name === "register" && call.arguments[0]) {
    // `fastify.register(cors, options)`, with the plugin imported, required or `await import(…)`ed.
    const plugin = libraryOf(originOf(ctx.facts, call.arguments[0], scope), "plugins");
    if (plugin) return configure(ctx, site(plugin), pluginOptions(call.arguments[1]));
  }
  const receiver = unwrap(callee.object);
  if (receiver.type !== T.Identifier) return undefined;
  for (const library of libraries) {
    const keyed = library.optionsKeys?.find((k) => k.receiver === receiver.name && k.method === name);
    if (keyed) return keyedPolicies(ctx, call, site(library), keyed);
  }
  return undefined;
}

/** The library whose middleware or plugin exports the origin names. */
function libraryOf(origin: Origin | undefined, kind: "middleware" | "plugins"): Library | undefined {
  if (!origin) return undefined;
  return knownLibraries().libraries.find((library) => matchesAny(origin, library[kind] ?? []));
}

/** `register(cors, (instance) => delegate)`: Fastify calls the function for the plugin's options. */
function pluginOptions(node: Node | undefined): Node | undefined {
  if (!node) return undefined;
  const value = unwrap(node);
  if (!isFunction(value) || value.params.length > 1) return value;
  const returned = value.body.type === T.BlockStatement ? singleReturn(value.body) : value.body;
  return returned && isFunction(unwrap(returned)) ? unwrap(returned) : value;
}

function singleReturn(body: TSESTree.BlockStatement): Node | undefined {
  const last = body.body.at(-1);
  return last?.type === T.ReturnStatement && last.argument ? last.argument : undefined;
}

/** `NestFactory.create(AppModule, { cors: … })`: `cors: true` means the library's defaults. */
function keyedPolicies(
  ctx: Context,
  call: TSESTree.CallExpression,
  site: Site,
  keyed: { argument: number; key: string },
): CorsPolicy[] | undefined {
  const options = resolveObject(ctx.facts, call.arguments[keyed.argument], site.scope);
  const cors = options && readProperties(ctx.facts, options.node, options.scope).get(keyed.key);
  if (!cors) return undefined;
  const value = unwrap(cors.value);
  if (value.type === T.Literal && value.value === false) return [];
  return configure(
    ctx,
    { ...site, scope: options.scope },
    value.type === T.Literal && value.value === true ? undefined : value,
  );
}

interface Site {
  library: Library;
  via: string;
  /** The scope the options are evaluated in. */
  scope: Node;
  /** Where the configuration is, for the policy's location and the default origin. */
  anchor: Node;
}

/** The policies of one configuration: options (inline or bound to a const), a delegate, or the defaults. */
function configure(ctx: Context, site: Site, optionsNode: Node | undefined): CorsPolicy[] {
  if (!optionsNode)
    return [
      policyOf(
        ctx,
        site,
        {
          properties: new Map(),
          origin: undefined,
          credentials: undefined,
          complete: true,
          node: site.anchor,
          scope: site.scope,
        },
        false,
      ),
    ];
  const value = unwrap(optionsNode);
  const fn = resolveFunction(ctx.facts, value, site.scope);
  if (fn && site.library.delegates) return delegatePolicies(ctx, site, fn);
  const options = readOptions(ctx.facts, value, site.scope, ctx.readObjects);
  if (!options) return [];
  const { delegatorOption } = site.library;
  const delegator = delegatorOption !== undefined ? options.properties.get(delegatorOption) : undefined;
  if (delegator) {
    const delegate = resolveFunction(ctx.facts, delegator.value, options.scope);
    return delegate ? delegatePolicies(ctx, site, delegate) : [];
  }
  return [policyOf(ctx, site, options, false)];
}

/**
 * A delegate `(req, callback) => callback(null, options)` picks the options per request.
 * Each options object it hands over is a policy; one handed over only in some branch is
 * `guarded`: the delegate checked something first.
 */
function delegatePolicies(ctx: Context, site: Site, fn: FunctionNode): CorsPolicy[] {
  const callbackName = fn.params[1] ? paramName(fn.params[1]) : undefined;
  const { outcomes } = functionOutcomes(ctx.facts, fn, callbackName);
  const policies: CorsPolicy[] = [];
  for (const outcome of outcomes) {
    if (!outcome.value) continue;
    const options = readOptions(ctx.facts, unwrapAwait(outcome.value), fn, ctx.readObjects);
    if (options) policies.push(policyOf(ctx, site, options, outcome.conditional));
  }
  return policies;
}

interface Options {
  properties: ReadonlyMap<string, TSESTree.Property>;
  origin: TSESTree.Property | undefined;
  credentials: TSESTree.Property | undefined;
  /** False when a spread the pass cannot follow may set the origin or credentials. */
  complete: boolean;
  /** The options object, or the call itself for a configuration without options. */
  node: Node;
  scope: Node;
}

function readOptions(facts: FileFacts, node: Node, scope: Node, readObjects?: Set<Node>): Options | undefined {
  const object = resolveObject(facts, node, scope);
  if (!object) return undefined;
  readObjects?.add(object.node);
  const properties = readProperties(facts, object.node, object.scope);
  return {
    properties,
    origin: properties.get("origin"),
    credentials: properties.get("credentials"),
    complete: !properties.has("..."),
    node: object.node,
    scope: object.scope,
  };
}

/** An object literal, directly or through a `const` that is never reassigned. */
function resolveObject(
  facts: FileFacts,
  node: Node | undefined,
  scope: Node,
  depth = 0,
): { node: TSESTree.ObjectExpression; scope: Node } | undefined {
  if (!node || depth > MAX_RESOLVE_DEPTH) return undefined;
  const value = unwrap(node);
  if (value.type === T.ObjectExpression) return { node: value, scope };
  const init = constInit(facts, value, scope);
  return init ? resolveObject(facts, init.node, init.scope, depth + 1) : undefined;
}

/** The initialiser of a variable named by `node`, when the variable is never assigned again. */
function constInit(facts: FileFacts, node: Node, scope: Node): { node: Node; scope: Node } | undefined {
  if (node.type !== T.Identifier) return undefined;
  const binding = facts.resolve(node.name, scope);
  if (binding?.kind !== "var" || !binding.init || facts.assignments.has(node.name)) return undefined;
  return { node: binding.init, scope: binding.scope };
}

/** Properties by static key, later ones winning; spreads of const objects are merged, others recorded as `...`. */
function readProperties(
  facts: FileFacts,
  object: TSESTree.ObjectExpression,
  scope: Node,
  depth = 0,
): Map<string, TSESTree.Property> {
  const properties = new Map<string, TSESTree.Property>();
  for (const property of object.properties) {
    if (property.type === T.SpreadElement) {
      const spread = depth < MAX_RESOLVE_DEPTH ? resolveObject(facts, property.argument, scope) : undefined;
      if (!spread) properties.set("...", property as unknown as TSESTree.Property);
      else
        for (const [key, value] of readProperties(facts, spread.node, spread.scope, depth + 1))
          properties.set(key, value);
      continue;
    }
    const key = property.computed
      ? staticString(property.key)
      : property.key.type === T.Identifier
        ? property.key.name
        : staticString(property.key);
    if (key !== undefined) properties.set(key, property);
  }
  return properties;
}

function policyOf(ctx: Context, site: Site, options: Options, guarded: boolean): CorsPolicy {
  const { facts } = ctx;
  const origins: CorsOrigin[] = [];
  if (options.origin) {
    origins.push(...originSettings(ctx, options.origin.value, options.scope, site.library, options.origin));
  } else if (options.complete) {
    // The libraries default to `*`: reported where the configuration is applied.
    origins.push({ kind: "any", setting: "no origin option (the default is '*')", loc: locOf(site.anchor) });
  }
  return {
    via: site.via,
    mechanism: "middleware",
    wildcardWithCredentials: site.library.wildcardWithCredentials,
    origins,
    credentials: credentialsOf(facts, options),
    guarded,
    developmentOnly: inDevelopmentBranch(ctx, site.anchor),
    loc: locOf(site.anchor),
  };
}

function credentialsOf(facts: FileFacts, options: Options): CorsCredentials {
  if (!options.credentials) return { allowed: options.complete ? false : "unknown", setting: "no credentials option" };
  const setting = shortSource(facts.text, options.credentials, 80);
  return { allowed: booleanValue(facts, options.credentials.value, options.scope), setting };
}

function booleanValue(facts: FileFacts, node: Node, scope: Node, depth = 0): boolean | "unknown" {
  const value = unwrap(node);
  if (value.type === T.Literal && typeof value.value === "boolean") return value.value;
  const init = depth < MAX_RESOLVE_DEPTH ? constInit(facts, value, scope) : undefined;
  return init ? booleanValue(facts, init.node, init.scope, depth + 1) : "unknown";
}

/**
 * What an `origin` value lets in. Arrays are judged element by element: a string only
 * matches itself (so `'*'` in an array is not a wildcard), `'null'`, `true` and RegExps
 * count. Values computed from configuration are `restricted`: the file does not say what
 * they hold. `where` is the `origin: …` property: the setting shown and the place reported.
 */
function originSettings(ctx: Context, node: Node, scope: Node, library: Library, where: Node, depth = 0): CorsOrigin[] {
  const { facts } = ctx;
  const value = unwrap(node);
  const whole = (kind: CorsOrigin["kind"], extra: Partial<CorsOrigin> = {}): CorsOrigin[] => [
    { kind, setting: shortSource(facts.text, where, 80), loc: locOf(where), ...extra },
  ];
  if (value.type === T.Literal) {
    if (value.value === true) return whole("reflect");
    if (value.value === false) return whole("disabled");
    if (value.value === "*") return whole("any");
    if (value.value === "null") return whole("null");
  }
  const pattern = regExpPattern(value);
  if (pattern) return whole("pattern", { patterns: [pattern] });
  if (value.type === T.ArrayExpression) {
    const found: CorsOrigin[] = [];
    for (const element of value.elements) {
      if (!element || element.type === T.SpreadElement) continue;
      const item = resolveElement(facts, element, scope);
      const itemPattern = regExpPattern(item);
      const literal = item.type === T.Literal ? item.value : undefined;
      const kind = itemPattern ? "pattern" : literal === "null" ? "null" : literal === true ? "reflect" : undefined;
      if (!kind) continue;
      const setting = short(`${shortSource(facts.text, element, 80)} in the origin list`);
      found.push({ kind, setting, loc: locOf(element), ...(itemPattern ? { patterns: [itemPattern] } : {}) });
    }
    return found.length > 0 ? found : whole("restricted");
  }
  if (
    value.type === T.LogicalExpression &&
    (value.operator === "||" || value.operator === "??") &&
    depth < MAX_RESOLVE_DEPTH
  ) {
    // `process.env.CORS_ORIGIN || true`: the fallback applies whenever the setting is missing.
    const fallback = originSettings(ctx, value.right, scope, library, value.right, depth + 1).filter(isOpen);
    return fallback.length > 0
      ? fallback.map((o) => ({ ...o, setting: shortSource(facts.text, where, 80), loc: locOf(where) }))
      : whole("restricted");
  }
  const fn = resolveFunction(facts, value, scope);
  if (fn)
    return whole(originFunctionVerdict(ctx, fn, library), { setting: short(`origin: ${functionSummary(facts, fn)}`) });
  const init = depth < MAX_RESOLVE_DEPTH ? constInit(facts, value, scope) : undefined;
  if (!init) return whole("restricted");
  // `origin: ALLOWED` with `const ALLOWED = true`: shown and reported where the option is set,
  // except list elements, which are reported where they are written.
  return originSettings(ctx, init.node, init.scope, library, init.node, depth + 1).map((o) =>
    unwrap(init.node).type === T.ArrayExpression
      ? o
      : { ...o, setting: shortSource(facts.text, where, 80), loc: locOf(where) },
  );
}

function isOpen(origin: CorsOrigin): boolean {
  return origin.kind !== "restricted" && origin.kind !== "disabled";
}

function resolveElement(facts: FileFacts, element: Node, scope: Node): Node {
  const init = constInit(facts, unwrap(element), scope);
  return init ? unwrap(init.node) : unwrap(element);
}

/** `/re/flags`, `new RegExp("re", "flags")`, `RegExp("re")` with static arguments. */
function regExpPattern(node: Node): { syntax: "regexp"; source: string; flags: string } | undefined {
  if (isRegExpLiteral(node)) return { syntax: "regexp", source: node.regex.pattern, flags: node.regex.flags };
  if (
    (node.type === T.NewExpression || node.type === T.CallExpression) &&
    node.callee.type === T.Identifier &&
    node.callee.name === "RegExp"
  ) {
    const source = staticString(node.arguments[0]);
    const flags = node.arguments[1] ? staticString(node.arguments[1]) : "";
    if (source !== undefined && flags !== undefined) return { syntax: "regexp", source, flags };
  }
  return undefined;
}

/** A function literal, or a function a name is bound to (`function allowAll(…)`, `const check = (…) => …`). */
function resolveFunction(facts: FileFacts, node: Node, scope: Node): FunctionNode | undefined {
  const value = unwrap(node);
  if (isFunction(value)) return value;
  if (value.type !== T.Identifier) return undefined;
  const binding = facts.resolve(value.name, scope);
  if (binding?.kind === "function" && isFunction(binding.node)) return binding.node;
  const init = constInit(facts, value, scope);
  return init && isFunction(unwrap(init.node)) ? (unwrap(init.node) as FunctionNode) : undefined;
}

/** `allowAll`, `(origin) => origin`, `(origin, callback) => …`: short enough for a message. */
function functionSummary(facts: FileFacts, fn: FunctionNode): string {
  if (fn.id) return fn.id.name;
  const text = shortSource(facts.text, fn, 40);
  if (!text.endsWith("…")) return text;
  const params = fn.params.map((p) => paramName(p) ?? "…").join(", ");
  return fn.type === T.ArrowFunctionExpression ? `(${params}) => …` : `function (${params}) { … }`;
}

/**
 * Does an origin function let every origin in? It does when every answer it gives allows
 * (`callback(null, true)`, `callback(null, origin)`, `return origin`, `return '*'`), at least
 * one answer is given unconditionally, and it never throws. Anything else checks something.
 */
function originFunctionVerdict(ctx: Context, fn: FunctionNode, library: Library): CorsOrigin["kind"] {
  const { originFirst, answers } = library.originFunction;
  return remembered(verdicts, fn, `${originFirst}:${answers}`, () => judgeOriginFunction(ctx, fn, library));
}

/** Answers per function and key: a function named by many configurations is read once. */
const verdicts = new WeakMap<FunctionNode, Map<string, CorsOrigin["kind"]>>();
const outcomesByFunction = new WeakMap<FunctionNode, Map<string, { outcomes: Outcome[]; throws: boolean }>>();

function remembered<V>(
  memo: WeakMap<FunctionNode, Map<string, V>>,
  fn: FunctionNode,
  key: string,
  compute: () => V,
): V {
  let byKey = memo.get(fn);
  if (!byKey) memo.set(fn, (byKey = new Map<string, V>()));
  let value = byKey.get(key);
  if (value === undefined) byKey.set(key, (value = compute()));
  return value;
}

function judgeOriginFunction(ctx: Context, fn: FunctionNode, library: Library): CorsOrigin["kind"] {
  const { originFirst, answers } = library.originFunction;
  const originName = originFirst && fn.params[0] ? paramName(fn.params[0]) : undefined;
  const callbackName = answers === "callback" && fn.params[1] ? paramName(fn.params[1]) : undefined;
  const { outcomes, throws } = functionOutcomes(ctx.facts, fn, callbackName);
  if (throws || outcomes.length === 0 || !outcomes.some((o) => !o.conditional)) return "restricted";
  const origins = originNamesIn(ctx, fn, originName);
  let kind: "any" | "reflect" = "any";
  for (const outcome of outcomes) {
    if (outcome.error) return "restricted";
    const verdict = outcome.value ? allowingValue(outcome.value, origins) : undefined;
    if (!verdict) return "restricted";
    if (verdict === "reflect") kind = "reflect";
  }
  return kind;
}

/** `true`, `'*'`, the request's origin or a name holding it: what an origin answer that allows everything looks like. */
function allowingValue(node: Node, origins: ReadonlySet<string>, depth = 0): "any" | "reflect" | undefined {
  const value = unwrapAwait(node);
  if (depth > MAX_RESOLVE_DEPTH) return undefined;
  if (value.type === T.Literal && value.value === true) return "reflect";
  if (value.type === T.Literal && value.value === "*") return "any";
  if (isOriginReference(value, origins)) return "reflect";
  if (value.type === T.LogicalExpression && (value.operator === "||" || value.operator === "??")) {
    const left = allowingValue(value.left, origins, depth + 1);
    const right = allowingValue(value.right, origins, depth + 1);
    if (left && right) return left === "reflect" || right === "reflect" ? "reflect" : "any";
  }
  return undefined;
}

interface Outcome {
  /** The answer: the callback's second argument or the returned value. */
  value: Node | undefined;
  /** The callback's first argument, when it is not null/undefined. */
  error?: Node;
  /** Given only on some path: inside a branch, a loop, a `catch`, or a nested function. */
  conditional: boolean;
}

/**
 * The answers a function gives: calls of `callbackName` when it is given (anywhere in the
 * body, nested callbacks included), else its return values (not those of nested functions).
 */
function functionOutcomes(
  facts: FileFacts,
  fn: FunctionNode,
  callbackName: string | undefined,
): { outcomes: Outcome[]; throws: boolean } {
  return remembered(outcomesByFunction, fn, callbackName === undefined ? "" : `callback:${callbackName}`, () =>
    readOutcomes(facts, fn, callbackName),
  );
}

function readOutcomes(
  facts: FileFacts,
  fn: FunctionNode,
  callbackName: string | undefined,
): { outcomes: Outcome[]; throws: boolean } {
  const outcomes: Outcome[] = [];
  let throws = false;
  // `(origin) => origin`: the body is the answer.
  if (fn.body.type !== T.BlockStatement && callbackName === undefined)
    return { outcomes: [{ value: fn.body, conditional: false }], throws };
  scan(facts, fn.body, (node, conditional, nested) => {
    if (node.type === T.ThrowStatement && !nested) throws = true;
    if (callbackName !== undefined) {
      if (node.type === T.CallExpression && node.callee.type === T.Identifier && node.callee.name === callbackName) {
        const error = node.arguments[0];
        const isError =
          error &&
          !(error.type === T.Literal && error.value === null) &&
          !(error.type === T.Identifier && error.name === "undefined");
        outcomes.push({
          value: node.arguments[1],
          error: isError ? error : undefined,
          conditional: conditional || nested,
        });
      }
    } else if (node.type === T.ReturnStatement && !nested) {
      outcomes.push({ value: node.argument ?? undefined, conditional });
    }
  });
  return { outcomes, throws };
}

/**
 * Visits `root` and everything under it, iteratively, with the parser's visitor keys: a
 * scan of one function's body or one test, never of the file. `conditional` says the node
 * runs only on some paths of the enclosing function; `nested` that it sits in a nested function.
 */
function scan(
  facts: FileFacts,
  root: Node,
  visit: (node: Node, conditional: boolean, nested: boolean, parent: Node | undefined) => boolean | void,
): void {
  const keys = facts.visitorKeys;
  const stack: { node: Node; conditional: boolean; nested: boolean; parent: Node | undefined }[] = [
    { node: root, conditional: false, nested: false, parent: undefined },
  ];
  while (stack.length > 0) {
    const { node, conditional, nested, parent } = stack.pop()!;
    if (visit(node, conditional, nested, parent) === false) continue;
    const record = node as unknown as Record<string, unknown>;
    const childNested = nested || (node !== root && isFunction(node));
    const nodeKeys = keys[node.type] ?? [];
    // Pushed last key first, last child first: nodes are visited in source order.
    for (let k = nodeKeys.length - 1; k >= 0; k--) {
      const key = nodeKeys[k];
      const value = record[key];
      const children = Array.isArray(value) ? value : [value];
      for (let i = children.length - 1; i >= 0; i--) {
        const child = children[i] as Node | null | undefined;
        if (!child || typeof child.type !== "string") continue;
        stack.push({
          node: child,
          conditional: conditional || isConditionalChild(node, key),
          nested: childNested,
          parent: node,
        });
      }
    }
  }
}

/** Children that run only on some paths: branches, loop bodies, `catch`, the right side of `&&`/`||`. */
function isConditionalChild(node: Node, key: string): boolean {
  switch (node.type) {
    case T.IfStatement:
    case T.ConditionalExpression:
      return key !== "test";
    case T.LogicalExpression:
      return key === "right";
    case T.SwitchStatement:
      return key === "cases";
    case T.ForStatement:
    case T.ForInStatement:
    case T.ForOfStatement:
    case T.WhileStatement:
    case T.DoWhileStatement:
      return key === "body";
    case T.TryStatement:
      return key === "handler";
    default:
      return false;
  }
}

// ---------------------------------------------------------------- the request's origin

/**
 * Reads of the request's `Origin` header: `req.headers.origin`, `req.headers["origin"]`,
 * `req.get("origin")`, `req.header("Origin")`, `c.req.header("origin")`, `request.headers.get("origin")`,
 * Koa's `ctx.get("Origin")` and `ctx.request.header.origin`.
 */
function isOriginRead(node: Node): boolean {
  const value = unwrap(node);
  if (value.type === T.MemberExpression) {
    const holder = terminalName(value.object)?.toLowerCase();
    return propertyName(value)?.toLowerCase() === "origin" && (holder === "headers" || holder === "header");
  }
  if (value.type === T.CallExpression && value.callee.type === T.MemberExpression && value.arguments.length === 1) {
    const method = propertyName(value.callee);
    if (method !== "get" && method !== "header" && method !== "getHeader") return false;
    if (staticString(value.arguments[0])?.toLowerCase() !== "origin") return false;
    return !RESPONSE_NAMES.test(terminalName(value.callee.object) ?? "");
  }
  return false;
}

/** The origin itself: a read of the header, a name holding it, or `read || fallback`. */
function isOriginReference(node: Node, origins: ReadonlySet<string>): boolean {
  let value = unwrap(node);
  while (value.type === T.LogicalExpression) value = unwrap(value.left);
  if (value.type === T.Identifier) return origins.has(value.name);
  return isOriginRead(value);
}

/**
 * Names that hold the request's origin inside `fn` (not in functions nested in it): the
 * origin parameter, `const origin = req.headers.origin`, `const { origin } = req.headers`,
 * `origin = req.get("origin")`, read in source order from what the walk collected.
 */
function originNamesIn(ctx: Context, fn: Node, originParam: string | undefined): Set<string> {
  const names = new Set<string>();
  if (originParam !== undefined) names.add(originParam);
  for (const node of functionIndex(ctx).get(fn)?.declarations ?? []) {
    if (node.type === T.VariableDeclarator && node.init) {
      if (node.id.type === T.Identifier && isOriginReference(node.init, names)) names.add(node.id.name);
      if (node.id.type === T.ObjectPattern && isHeaderBag(node.init)) {
        for (const property of node.id.properties) {
          if (property.type !== T.Property || property.computed) continue;
          const key = property.key.type === T.Identifier ? property.key.name : staticString(property.key);
          const target = property.value.type === T.AssignmentPattern ? property.value.left : property.value;
          if (key?.toLowerCase() === "origin" && target.type === T.Identifier) names.add(target.name);
        }
      }
    } else if (
      node.type === T.AssignmentExpression &&
      node.left.type === T.Identifier &&
      isOriginReference(node.right, names)
    ) {
      names.add(node.left.name);
    }
  }
  return names;
}

/** What the walk collected in one function (not in functions nested in it). */
interface FunctionFacts {
  /** Declarators and assignments, in source order. */
  declarations: (TSESTree.VariableDeclarator | TSESTree.AssignmentExpression)[];
  /** `if`, `?:`, `&&`/`||` and `switch`, with their parents. */
  tests: Collected[];
}

type FunctionIndex = Map<Node, FunctionFacts>;

/** What the walk collected, by function: built once per file, when a function is first asked about. */
function functionIndex(ctx: Context): FunctionIndex {
  if (ctx.functions) return ctx.functions;
  const index: FunctionIndex = new Map();
  const entry = (scope: Node): FunctionFacts => {
    let found = index.get(scope);
    if (!found) index.set(scope, (found = { declarations: [], tests: [] }));
    return found;
  };
  const collected = (type: string) => ctx.facts.collected.get(type) ?? [];
  // Both lists come in walk order; merged by position they are in source order.
  const declarators = collected(T.VariableDeclarator);
  const assignments = collected(T.AssignmentExpression);
  for (let d = 0, a = 0; d < declarators.length || a < assignments.length;) {
    const next =
      a >= assignments.length || (d < declarators.length && declarators[d].node.range[0] < assignments[a].node.range[0])
        ? declarators[d++]
        : assignments[a++];
    entry(next.scope).declarations.push(next.node as FunctionFacts["declarations"][number]);
  }
  for (const type of [T.IfStatement, T.ConditionalExpression, T.LogicalExpression, T.SwitchStatement])
    for (const site of collected(type)) entry(site.scope).tests.push(site);
  return (ctx.functions = index);
}

/** `req.headers`, `ctx.request.header`: objects whose `origin` is the request's Origin header. */
function isHeaderBag(node: Node): boolean {
  const name = terminalName(unwrap(node))?.toLowerCase();
  return name === "headers" || name === "header";
}

// ---------------------------------------------------------------- handwritten headers

interface HeaderWrite {
  header: typeof ALLOW_ORIGIN | typeof ALLOW_CREDENTIALS;
  value: Node;
  /** The call or the header object's property that writes it. */
  node: Node;
  call: TSESTree.CallExpression;
  scope: Node;
}

function collectHeaderWrites(call: TSESTree.CallExpression, scope: Node, out: HeaderWrite[]): void {
  if (call.callee.type !== T.MemberExpression) return;
  const method = propertyName(call.callee);
  if (method === undefined) return;
  const first = call.arguments[0];
  if (HEADER_SETTERS.has(method) && first && call.arguments[1]) {
    const header = corsHeader(staticString(first));
    if (header) out.push({ header, value: call.arguments[1], node: call, call, scope });
  }
  if (!HEADER_OBJECT_SETTERS.has(method)) return;
  for (const argument of call.arguments) {
    const object = unwrap(argument);
    if (object.type !== T.ObjectExpression) continue;
    for (const property of object.properties) {
      if (property.type !== T.Property) continue;
      const key =
        property.key.type === T.Identifier && !property.computed ? property.key.name : staticString(property.key);
      const header = corsHeader(key);
      if (header) out.push({ header, value: property.value, node: property, call, scope });
    }
  }
}

function corsHeader(name: string | undefined): HeaderWrite["header"] | undefined {
  const lower = name?.toLowerCase();
  return lower === ALLOW_ORIGIN || lower === ALLOW_CREDENTIALS ? lower : undefined;
}

/** What a function that writes CORS headers knows about the request's origin. */
interface Handler {
  /** Names holding the request's origin. */
  origins: Set<string>;
  /** Where the first test that checks the origin starts; Infinity when none does. */
  firstCheck: number;
}

/**
 * One policy per `Access-Control-Allow-Origin` write, with the credentials header written
 * with it: in the same function and not on another arm of the same branch, or in a
 * function around it.
 */
function headerPolicies(ctx: Context, writes: readonly HeaderWrite[]): CorsPolicy[] {
  const policies: CorsPolicy[] = [];
  const credentialsByScope = new Map<Node, HeaderWrite[]>();
  for (const write of writes) {
    if (write.header !== ALLOW_CREDENTIALS) continue;
    const list = credentialsByScope.get(write.scope);
    if (list) list.push(write);
    else credentialsByScope.set(write.scope, [write]);
  }
  const handlers = new Map<Node, Handler>();
  for (const write of writes) {
    if (write.header !== ALLOW_ORIGIN) continue;
    let handler = handlers.get(write.scope);
    if (!handler) handlers.set(write.scope, (handler = handlerOf(ctx, write.scope)));
    const value = unwrap(write.value);
    const setting = short(`Access-Control-Allow-Origin: ${shortSource(ctx.facts.text, value, 80)}`);
    const literal = staticString(value);
    const kind: CorsOrigin["kind"] = isOriginReference(value, handler.origins)
      ? "reflect"
      : literal === "*"
        ? "any"
        : literal === "null"
          ? "null"
          : "restricted";
    const credentials = credentialsFor(ctx.facts, write, credentialsByScope);
    policies.push({
      via: callText(ctx.facts.text, write.call),
      mechanism: "headers",
      wildcardWithCredentials: "sent",
      origins: [{ kind, setting, loc: locOf(write.node) }],
      credentials: credentials
        ? {
            allowed: headerBoolean(credentials.value),
            setting: short(
              `Access-Control-Allow-Credentials: ${shortSource(ctx.facts.text, unwrap(credentials.value), 80)}`,
            ),
          }
        : { allowed: false, setting: "no Access-Control-Allow-Credentials header" },
      guarded: kind === "reflect" && handler.firstCheck < write.node.range[0],
      developmentOnly: inDevelopmentBranch(ctx, write.node),
      loc: locOf(write.node),
    });
  }
  return policies;
}

/**
 * The credentials header that goes out with `write`: the last one in the same function that
 * is not on another arm of a branch (`if (ok) { …origin…; …credentials… } else { …'*'… }`),
 * else the first in a function around it (not at module level, unless the origin is too).
 */
function credentialsFor(
  facts: FileFacts,
  write: HeaderWrite,
  byScope: ReadonlyMap<Node, readonly HeaderWrite[]>,
): HeaderWrite | undefined {
  const same = byScope.get(write.scope);
  if (same) {
    const found = lastOutside(same, otherArms(facts, write.node, write.scope));
    if (found) return found;
  }
  for (let current = facts.outerScope(write.scope); current; current = facts.outerScope(current)) {
    if (current.type === T.Program) return undefined;
    const found = byScope.get(current)?.[0];
    if (found) return found;
  }
  return undefined;
}

/**
 * The source ranges of the arms a node is not on, for every branch around it within its
 * function `fn` (`if` then/else, `?:`, `switch` cases): a write there never goes out with it.
 * The ranges do not overlap; they come innermost first.
 */
function otherArms(facts: FileFacts, node: Node, fn: Node): [number, number][] {
  const ranges: [number, number][] = [];
  for (
    let child = node, parent = facts.parentOf(node);
    parent && child !== fn;
    child = parent, parent = facts.parentOf(parent)
  ) {
    if ((parent.type === T.IfStatement || parent.type === T.ConditionalExpression) && child !== parent.test) {
      const other = child === parent.consequent ? parent.alternate : parent.consequent;
      if (other) ranges.push(other.range);
    } else if (parent.type === T.SwitchCase) {
      const statement = facts.parentOf(parent);
      if (statement?.type !== T.SwitchStatement) continue;
      const first = statement.cases[0];
      const last = statement.cases.at(-1)!;
      if (first !== parent) ranges.push([first.range[0], parent.range[0]]);
      if (last !== parent) ranges.push([parent.range[1], last.range[1]]);
    }
  }
  return ranges;
}

/**
 * The last write (of a list in source order) outside every range. Each write found inside a
 * range skips the whole range at once, so a long `else if` chain costs one step per arm
 * around the write, not one per write.
 */
function lastOutside(writes: readonly HeaderWrite[], ranges: readonly [number, number][]): HeaderWrite | undefined {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let i = writes.length - 1;
  while (i >= 0) {
    const [start, end] = writes[i].node.range;
    const r = lowerBound(sorted, start + 1, (range) => range[0]) - 1;
    const range = r >= 0 ? sorted[r] : undefined;
    if (!range || end > range[1]) return writes[i];
    i = lowerBound(writes, range[0], (w) => w.node.range[0]) - 1;
  }
  return undefined;
}

/**
 * A test (`if`, `?:`, `&&`, `switch`) that compares the origin or passes it to a call
 * (`allowed.includes(origin)`, `origin === APP_URL`, `isAllowed(origin)`) checks it; a
 * presence check (`if (origin)`, `typeof origin === "string"`) does not. A write after such
 * a check is `guarded`.
 */
function handlerOf(ctx: Context, fn: Node): Handler {
  const origins = originNamesIn(ctx, fn, undefined);
  let firstCheck = Infinity;
  for (const { node, parent } of functionIndex(ctx).get(fn)?.tests ?? []) {
    if (node.range[0] >= firstCheck) continue;
    // `a && b && c`: the outer `&&` already tested everything left of it, this one included.
    if (
      node.type === T.LogicalExpression &&
      parent?.type === T.LogicalExpression &&
      parent.operator === "&&" &&
      parent.left === node
    )
      continue;
    const test =
      node.type === T.IfStatement || node.type === T.ConditionalExpression
        ? node.test
        : node.type === T.LogicalExpression && node.operator === "&&"
          ? node.left
          : node.type === T.SwitchStatement
            ? node.discriminant
            : undefined;
    if (
      test &&
      (node.type === T.SwitchStatement ? isOriginReference(test, origins) : checksOrigin(ctx.facts, test, origins))
    )
      firstCheck = node.range[0];
  }
  return { origins, firstCheck };
}

/** `true`, `'true'`, `"TRUE"`: what a credentials header value says. */
function headerBoolean(node: Node): boolean | "unknown" {
  const value = unwrap(node);
  if (value.type === T.Literal && typeof value.value === "boolean") return value.value;
  const text = staticString(value)?.trim().toLowerCase();
  return text === "true" ? true : text === "false" ? false : "unknown";
}

function checksOrigin(facts: FileFacts, test: Node, origins: ReadonlySet<string>): boolean {
  let checks = false;
  const parents = new Map<Node, Node>();
  scan(facts, test, (node, _conditional, nested, parent) => {
    if (checks || nested) return false;
    if (parent) parents.set(node, parent);
    if (!isOriginReference(node, origins) || node.type === T.LogicalExpression) return true;
    checks = parent !== undefined && isCheckOf(node, parent, parents.get(parent));
    return false;
  });
  return checks;
}

function isCheckOf(reference: Node, parent: Node, grandparent: Node | undefined): boolean {
  if (parent.type === T.CallExpression) return parent.arguments.includes(reference as TSESTree.CallExpressionArgument);
  // `origin.endsWith(…)`, `origin.match(…)`: a method call on the origin.
  if (parent.type === T.MemberExpression && parent.object === reference)
    return grandparent?.type === T.CallExpression && grandparent.callee === parent;
  if (parent.type === T.BinaryExpression) {
    if (parent.operator === "in") return true;
    if (!["===", "==", "!==", "!="].includes(parent.operator)) return false;
    const other = parent.left === reference ? parent.right : parent.left;
    const literal = other.type === T.Literal ? other.value : undefined;
    const isEmpty =
      (other.type === T.Literal && (literal === null || literal === "")) ||
      (other.type === T.Identifier && other.name === "undefined");
    return !isEmpty;
  }
  return false;
}

// ---------------------------------------------------------------- development-only branches

function developmentBranches(ifs: readonly Collected[]): Node[] {
  const branches: Node[] = [];
  for (const { node } of ifs) {
    if (node.type !== T.IfStatement) continue;
    const env = environmentOf(node.test);
    if (env === "development") branches.push(node.consequent);
    else if (env === "production" && node.alternate) branches.push(node.alternate);
  }
  return branches;
}

const DEV_WORDS = new Set(["dev", "development", "local"]);
const PROD_WORDS = new Set(["prod", "production"]);
const ENV_HOLDER = /env|mode|stage/i;

/** Which environment a test selects: `process.env.NODE_ENV === "development"`, `!isProd`, `isDevelopment`. */
function environmentOf(test: Node, depth = 0): "development" | "production" | undefined {
  const value = unwrap(test);
  if (depth > MAX_RESOLVE_DEPTH) return undefined;
  const flip = (env: "development" | "production" | undefined) =>
    env === "development" ? "production" : env === "production" ? "development" : undefined;
  if (value.type === T.UnaryExpression && value.operator === "!") return flip(environmentOf(value.argument, depth + 1));
  if (value.type === T.LogicalExpression && value.operator === "&&") {
    const left = environmentOf(value.left, depth + 1);
    const right = environmentOf(value.right, depth + 1);
    return left === "development" || right === "development" ? "development" : undefined;
  }
  if (value.type === T.BinaryExpression && ["===", "==", "!==", "!="].includes(value.operator)) {
    const literal = staticString(value.left) ?? staticString(value.right);
    const other = staticString(value.left) !== undefined ? value.right : value.left;
    const holder = memberPath(other) ?? (other.type === T.CallExpression ? memberPath(other.callee) : undefined);
    if (literal === undefined || holder === undefined || !ENV_HOLDER.test(holder)) return undefined;
    const env = DEV_WORDS.has(literal.toLowerCase())
      ? "development"
      : PROD_WORDS.has(literal.toLowerCase())
        ? "production"
        : undefined;
    return value.operator.startsWith("!") ? flip(env) : env;
  }
  const name = terminalName(value);
  if (name === undefined || (value.type !== T.Identifier && value.type !== T.MemberExpression)) return undefined;
  const words = nameWords(name);
  if (words.some((w) => DEV_WORDS.has(w))) return "development";
  if (words.some((w) => PROD_WORDS.has(w))) return "production";
  return undefined;
}

function inDevelopmentBranch(ctx: Context, node: Node): boolean {
  return ctx.devBranches.contains(node);
}

/** Source ranges that answer "is this node inside one of them?" by binary search. */
class Ranges {
  private readonly starts: number[] = [];
  /** The furthest end of the ranges up to each index. */
  private readonly reach: number[] = [];

  constructor(nodes: readonly Node[]) {
    const sorted = [...nodes].sort((a, b) => a.range[0] - b.range[0]);
    for (const node of sorted) {
      this.starts.push(node.range[0]);
      this.reach.push(Math.max(node.range[1], this.reach.at(-1) ?? -1));
    }
  }

  contains(node: Node): boolean {
    const i = lowerBound(this.starts, node.range[0] + 1, (start) => start) - 1;
    return i >= 0 && this.reach[i] >= node.range[1];
  }
}

function short(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
