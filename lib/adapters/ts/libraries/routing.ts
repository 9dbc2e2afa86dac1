/**
 * What the libraries that register routes with method calls (Koa, Hono, Fastify) share:
 * route paths as far as the file tells them, middleware lists, the route paths a
 * middleware pattern covers, auth middleware as each framework writes it, routers mounted
 * from other files, and an ordered route graph (routes, guards, mounts) that decides which
 * guards run before a route.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type {
  Endpoint,
  ExternalMount,
  FrameworkVocabulary,
  HttpMethod,
  Loc,
  Protection,
  ProtectionSource,
} from "../../../core/model.js";
import type { Handlers } from "../handlers.js";
import type { RequestBinding } from "../concerns/value-origins.js";
import { routePath } from "../../../core/model.js";
import { lowerBound } from "../../../core/adapter-utils.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import {
  isFunction,
  locOf,
  memberPath,
  paramName,
  propertyName,
  sourceText,
  staticString,
  unwrap,
  unwrapAwait,
  type FunctionNode,
  type Node,
  returnedFunction,
  hasBooleanOption,
} from "../ast.js";
import { AuthClassifier, authNameVerdict, type AuthMatch } from "../concerns/auth-middleware.js";
import { withChecks, type RequestChecks } from "../concerns/request-checks.js";
import type { Collected, FileFacts } from "../facts.js";
import { exportPath, isPackage, matches, originOf, type ImportSpecifier } from "../imports.js";

/** How deep constants, aliases and arrays of middleware are followed. */
const MAX_DEPTH = 8;
/** Protections recorded per route: any one protects it, and a long list is only listed. */
export const MAX_PROTECTIONS = 32;

// ---------------------------------------------------------------------------------
// Strings and paths.
// ---------------------------------------------------------------------------------

/**
 * The string an expression evaluates to, from this file alone: literals, constants, and
 * templates or `+` concatenations of those.
 */
export function stringValue(facts: FileFacts, node: Node, scope: Node, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const n = unwrap(node);
  const literal = staticString(n);
  if (literal !== undefined) return literal;
  switch (n.type) {
    case T.Identifier: {
      const b = facts.resolve(n.name, scope);
      return b?.kind === "var" && b.init ? stringValue(facts, b.init, b.scope, depth + 1) : undefined;
    }
    case T.TemplateLiteral: {
      let out = n.quasis[0]?.value.cooked ?? "";
      for (let i = 0; i < n.expressions.length; i++) {
        const part = stringValue(facts, n.expressions[i], scope, depth + 1);
        if (part === undefined) return undefined;
        out += part + (n.quasis[i + 1]?.value.cooked ?? "");
      }
      return out;
    }
    case T.BinaryExpression: {
      if (n.operator !== "+") return undefined;
      const left = stringValue(facts, n.left, scope, depth + 1);
      const right = left === undefined ? undefined : stringValue(facts, n.right, scope, depth + 1);
      return right === undefined ? undefined : left! + right;
    }
    default:
      return undefined;
  }
}

/** A route path as written: its value when the file tells it, the first of an array, else the source text. */
export function pathText(facts: FileFacts, node: Node, scope: Node): string {
  let n = unwrap(node);
  while (n.type === T.ArrayExpression && n.elements[0] && n.elements[0].type !== T.SpreadElement)
    n = unwrap(n.elements[0]);
  return stringValue(facts, n, scope) ?? sourceText(facts.text, n);
}

/** Could the argument be a path (rather than middleware or a handler)? */
export function isPathLike(facts: FileFacts, node: Node, scope: Node): boolean {
  const n = unwrap(node);
  if (n.type === T.Literal) return typeof n.value === "string" || ("regex" in n && n.regex != null);
  if (n.type === T.TemplateLiteral || n.type === T.BinaryExpression) return true;
  if (n.type === T.ArrayExpression) return n.elements.length > 0 && n.elements.every((e) => e?.type === T.Literal);
  return (n.type === T.Identifier || n.type === T.MemberExpression) && stringValue(facts, n, scope) !== undefined;
}

/** `/api` + `/orders/:id` → `/api/orders/:id`; a missing or `/` prefix leaves the path as it is. */
export function joinPaths(prefix: string | undefined, path: string): string {
  if (prefix === undefined || prefix === "" || prefix === "/") return path === "" ? "/" : path;
  const head = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  const withSlash = head.startsWith("/") ? head : `/${head}`;
  if (path === "/" || path === "") return withSlash;
  return path.startsWith("/") ? withSlash + path : `${withSlash}/${path}`;
}

/** A path's segments, without empty ones. */
function segmentsOf(path: string): string[] {
  return path.split("/").filter((s) => s !== "");
}

/** Which route paths a middleware covers; `segment`, when known, is the first segment of every one of them. */
export interface Cover {
  test(path: string): boolean;
  segment?: string;
}

export const EVERY_PATH: Cover = { test: () => true };

export interface PatternOptions {
  /** Hono and Fastify route case-sensitively; koa-router does not. */
  caseSensitive: boolean;
  /** A pattern also covers every path under it (koa-router's `use("/admin", …)`). */
  coversBelow: boolean;
}

/** `*`, `(.*)`, `*rest`, `{/*rest}`: a segment that stands for any number of segments. */
function isWildcard(segment: string): boolean {
  return segment.includes("*");
}

/** `:id`, `:id{[0-9]+}`, `:id?`, `{id}`: a segment that stands for any one segment. */
function isParameter(segment: string): boolean {
  return segment.startsWith(":") || (segment.startsWith("{") && segment.endsWith("}"));
}

/**
 * The route paths a middleware pattern covers: `/api/*` covers `/api` and everything
 * under it, `/posts/:id` covers `/posts/:id` and `/posts/42`, `*` everything. A route's
 * own parameter (`/posts/:id`) is covered only by a parameter or a wildcard.
 */
export function patternCover(pattern: string, options: PatternOptions): Cover {
  const fold = (s: string) => (options.caseSensitive ? s : s.toLowerCase());
  const parts = segmentsOf(fold(pattern));
  if (parts.length === 0 || (parts.length === 1 && isWildcard(parts[0]))) {
    return options.coversBelow || parts.length === 1 ? EVERY_PATH : { test: (path) => segmentsOf(path).length === 0 };
  }
  const first = parts[0];
  const segment = isWildcard(first) || isParameter(first) ? undefined : first;
  const test = (path: string): boolean => segmentsMatch(parts, segmentsOf(fold(path)), options.coversBelow);
  return segment === undefined ? { test } : { test, segment };
}

/** Pattern segments against path segments, wildcards matching several of them. */
function segmentsMatch(pattern: readonly string[], path: readonly string[], coversBelow: boolean): boolean {
  // reachable[j]: the pattern so far can end just before path segment j.
  let reachable = new Array<boolean>(path.length + 1).fill(false);
  reachable[0] = true;
  for (let p = 0; p < pattern.length; p++) {
    const part = pattern[p];
    const next = new Array<boolean>(path.length + 1).fill(false);
    if (isWildcard(part)) {
      // At the end a wildcard also matches nothing (`/api/*` covers `/api`); inside a pattern at least one segment.
      const atEnd = p === pattern.length - 1;
      let any = false;
      for (let j = 0; j <= path.length; j++) {
        if (atEnd) any ||= reachable[j];
        next[j] = any;
        if (!atEnd) any ||= reachable[j];
      }
    } else {
      for (let j = 0; j < path.length; j++) {
        if (!reachable[j]) continue;
        const segment = path[j];
        if (isParameter(part) ? true : !isParameter(segment) && !isWildcard(segment) && part === segment)
          next[j + 1] = true;
      }
    }
    reachable = next;
  }
  return coversBelow ? reachable.some((r) => r) : reachable[path.length];
}

/** The first segment of a path, as a cover's `segment` is written. */
export function firstSegment(path: string, caseSensitive: boolean): string {
  const first = segmentsOf(path)[0] ?? "";
  return caseSensitive ? first : first.toLowerCase();
}

// ---------------------------------------------------------------------------------
// Middleware lists.
// ---------------------------------------------------------------------------------

/** An argument in a route or `use()` call, after spreading arrays, with the scope it is evaluated in. */
export interface Item {
  node: Node;
  scope: Node;
}

/** Spreads `...stack`, arrays and same-file arrays of middleware (`const protect = [a, b]`). */
export function flatten(facts: FileFacts, args: readonly Node[], scope: Node, depth = 0): Item[] {
  const items: Item[] = [];
  for (const arg of args) {
    const node = unwrap(arg.type === T.SpreadElement ? arg.argument : arg);
    if (node.type === T.ArrayExpression && depth < MAX_DEPTH) {
      items.push(...flatten(facts, present(node.elements), scope, depth + 1));
      continue;
    }
    if (node.type === T.Identifier && depth < MAX_DEPTH) {
      const b = facts.resolve(node.name, scope);
      const init = b?.kind === "var" && b.init ? unwrap(b.init) : undefined;
      if (init?.type === T.ArrayExpression) {
        items.push(...flatten(facts, present(init.elements), b!.scope, depth + 1));
        continue;
      }
    }
    items.push({ node, scope });
  }
  return items;
}

function present<E>(elements: readonly (E | null)[]): E[] {
  return elements.filter((e): e is E => e != null);
}

/** `{ a: 1 }`, or a same-file constant holding one, with the scope its values are evaluated in. */
export function objectValue(
  facts: FileFacts,
  node: Node,
  scope: Node,
): { object: TSESTree.ObjectExpression; scope: Node } | undefined {
  let n = unwrap(node);
  let s = scope;
  for (let depth = 0; n.type === T.Identifier && depth < MAX_DEPTH; depth++) {
    const b = facts.resolve(n.name, s);
    if (b?.kind !== "var" || !b.init) return undefined;
    n = unwrap(b.init);
    s = b.scope;
  }
  return n.type === T.ObjectExpression ? { object: n, scope: s } : undefined;
}

/** The value of a plain `key:` property of an object literal. */
export function propertyValue(facts: FileFacts, object: TSESTree.ObjectExpression, key: string): Node | undefined {
  const property = facts.objectProperty(object, key);
  return property ? property.value : undefined;
}

// ---------------------------------------------------------------------------------
// Functions of the file.
// ---------------------------------------------------------------------------------

/** The function an expression names in this file: inline, declared, or a constant holding one. */
export function localFunction(facts: FileFacts, node: Node, scope: Node): FunctionNode | undefined {
  let n = unwrap(node);
  let s = scope;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (isFunction(n)) return n;
    if (n.type !== T.Identifier) return undefined;
    const b = facts.resolve(n.name, s);
    if (b?.kind === "function" && isFunction(b.node)) return b.node;
    if (b?.kind !== "var" || !b.init) return undefined;
    n = unwrap(b.init);
    s = b.scope;
  }
  return undefined;
}

/** Calls made directly in a function's body (not in functions nested in it), from the walk's collected calls. */
function callsIn(facts: FileFacts, fn: FunctionNode): TSESTree.CallExpression[] {
  const calls = facts.collected.get(T.CallExpression) ?? [];
  const [start, end] = fn.body.range;
  const out: TSESTree.CallExpression[] = [];
  for (let i = lowerBound(calls, start, (c: Collected) => c.node.range[0]); i < calls.length; i++) {
    const { node, scope } = calls[i];
    if (node.range[0] >= end) break;
    if (scope === fn) out.push(node as TSESTree.CallExpression);
  }
  return out;
}

/** Does the function call its parameter at `index` (`await next()`, `done()`)? */
export function callsParameter(facts: FileFacts, fn: FunctionNode, index: number): boolean {
  const param = fn.params[index];
  const name = param && paramName(param);
  if (name === undefined) return false;
  return facts
    .sitesWithin(facts.localCalls, fn.body)
    .some((site) => (site.call.callee as TSESTree.Identifier).name === name);
}

// ---------------------------------------------------------------------------------
// Auth middleware.
// ---------------------------------------------------------------------------------

/** An auth package's export: a guard, or (with `softWhen`) one that some option makes soft. */
export interface AuthExport {
  specifier: ImportSpecifier;
  /** `soft`: the export lets requests without credentials through (`clerkMiddleware()` only reads them). */
  kind: "guard" | "soft";
  /** An option that makes the guard soft: koa-jwt's `{ passthrough: true }`. */
  softWhen?: { option: string; value: boolean };
}

export interface GuardKnowledge {
  /** Auth middleware that a framework's packages export. */
  exports: readonly AuthExport[];
  /** Is a same-file function shaped like this framework's middleware (`(ctx, next)`, `(request, reply)`)? */
  isMiddleware(fn: FunctionNode): boolean;
  /** Calls that wrap a middleware function: Hono's `createMiddleware(async (c, next) => …)`. */
  wrappers?: readonly ImportSpecifier[];
  /** Methods that verify the caller's credentials when a middleware calls them (`request.jwtVerify()`). */
  verifyingMethods?: ReadonlySet<string>;
  /** A framework's own member references (`fastify.authenticate` from `fastify.decorate`): the function they stand for. */
  memberFunction?(node: TSESTree.MemberExpression, scope: Node): FunctionNode | undefined;
  /**
   * The parameter that passes the request on (`next` of `(ctx, next)`). A middleware that
   * calls it inside `try` or with `.catch()` and answers 401 afterwards
   * (`next().catch(err => { if (err.status === 401) … })`) translates errors: only what it
   * does before that call guards. The walk must collect `TryStatement`s for this.
   */
  passOn?: number;
  /** What an inline guard function is called in protections: `inline middleware`, `inline hook`. */
  inlineName: string;
}

/** What a package export says about a call: `guard`, `soft`, or nothing. */
type PackageVerdict = "guard" | "soft" | undefined;

/**
 * Auth middleware as a framework writes it: its packages' guards (and their soft
 * variants), same-file middleware of its shape that answers 401/403 or verifies
 * credentials, wrappers such as `createMiddleware`, and everything the shared
 * `AuthClassifier` knows (the auth-name rule, `settings["api-posture"].auth`, passport,
 * `.unless()`).
 */
export class Guards {
  private readonly shared: AuthClassifier;
  private readonly memo = new Map<Node, AuthMatch | null>();
  private readonly functionMemo = new Map<FunctionNode, boolean>();

  constructor(
    private readonly facts: FileFacts,
    private readonly settings: ResolvedSettings,
    private readonly knowledge: GuardKnowledge,
  ) {
    this.shared = new AuthClassifier(facts, settings);
  }

  /** The auth middleware `node` is, evaluated in `scope`; undefined when it is not one. */
  classify(node: Node, scope: Node): AuthMatch | undefined {
    let match = this.memo.get(node);
    if (match === undefined) {
      this.memo.set(node, null); // a function that refers to itself is not decided by itself
      match = this.decide(node, scope, 0) ?? null;
      this.memo.set(node, match);
    }
    return match ?? undefined;
  }

  /**
   * A same-file function of the framework's middleware shape that answers 401/403, or
   * verifies credentials (`await request.jwtVerify()`, `await auth(c, next)` with an auth
   * middleware, `return fastify.authenticate(request, reply)`).
   */
  isGuardFunction(fn: FunctionNode): boolean {
    let verdict = this.functionMemo.get(fn);
    if (verdict === undefined) {
      this.functionMemo.set(fn, false);
      verdict = this.knowledge.isMiddleware(fn) && this.guardsBefore(fn, this.passedOnAt(fn));
      this.functionMemo.set(fn, verdict);
    }
    return verdict;
  }

  /**
   * How far into the function a 401/403 answer guards: to the end, unless it first calls
   * its pass-on parameter inside `try` or with `.catch()` / `.then()`: then up to that call.
   */
  private passedOnAt(fn: FunctionNode): number {
    const end = fn.body.range[1];
    const index = this.knowledge.passOn;
    const param = index === undefined ? undefined : fn.params[index];
    const name = param && paramName(param);
    if (name === undefined) return end;
    const site = this.facts
      .sitesWithin(this.facts.localCalls, fn.body)
      .find((s) => (s.call.callee as TSESTree.Identifier).name === name);
    if (!site) return end;
    const call = site.call;
    const tries = this.facts.collected.get(T.TryStatement) ?? [];
    let inTry = false;
    for (let i = lowerBound(tries, fn.body.range[0], (t) => t.node.range[0]); i < tries.length; i++) {
      const { node } = tries[i];
      if (node.range[0] > call.range[0]) break;
      if (node.type === T.TryStatement && node.block.range[0] <= call.range[0] && call.range[1] <= node.block.range[1])
        inTry = true;
    }
    const chained = callsIn(this.facts, fn).some((c) => {
      const callee = unwrap(c.callee);
      return (
        callee.type === T.MemberExpression &&
        unwrapAwait(callee.object) === call &&
        ["catch", "then", "finally"].includes(propertyName(callee) ?? "")
      );
    });
    return inTry || chained ? call.range[0] : end;
  }

  /** A 401/403 answer or a credential check in the function before `limit`. */
  private guardsBefore(fn: FunctionNode, limit: number): boolean {
    const denials = this.facts.denySignals;
    const i = lowerBound(denials, fn.body.range[0], (x) => x);
    if (i < denials.length && denials[i] < limit) return true;
    const first = fn.params[0] && paramName(fn.params[0]);
    for (const call of callsIn(this.facts, fn)) {
      if (call.range[0] >= limit) break;
      const callee = unwrap(call.callee);
      if (callee.type === T.MemberExpression) {
        const name = propertyName(callee);
        if (name !== undefined && this.knowledge.verifyingMethods?.has(name)) return true;
      }
      // Hands the request to auth middleware: `await basicAuth(options)(c, next)`, `fastify.authenticate(request, reply)`.
      const passesRequest = call.arguments.some((a) => a.type === T.Identifier && a.name === first);
      if (passesRequest && this.classify(callee, fn)) return true;
    }
    return false;
  }

  private decide(expr: Node, scope: Node, depth: number): AuthMatch | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const node = unwrap(expr);
    switch (node.type) {
      case T.Identifier:
        return this.identifier(node, scope, depth);
      case T.CallExpression:
        return this.call(node, scope, depth);
      case T.MemberExpression: {
        const shared = this.shared.classify(node, scope);
        if (shared) return shared;
        const prop = propertyName(node);
        if (prop !== undefined && authNameVerdict(prop) === "not-auth") return undefined;
        const fn = this.knowledge.memberFunction?.(node, scope);
        return fn && this.isGuardFunction(fn)
          ? { name: memberPath(node) ?? sourceText(this.facts.text, node) }
          : undefined;
      }
      case T.FunctionExpression:
      case T.ArrowFunctionExpression:
        return this.isGuardFunction(node)
          ? { name: node.type === T.FunctionExpression && node.id ? node.id.name : this.knowledge.inlineName }
          : undefined;
      default:
        return undefined;
    }
  }

  private identifier(node: TSESTree.Identifier, scope: Node, depth: number): AuthMatch | undefined {
    const name = node.name;
    if (this.settings.auth(name)) return { name };
    if (authNameVerdict(name) === "not-auth") return undefined;
    const binding = this.facts.resolve(name, scope);
    if (binding?.kind === "var" && binding.init) {
      const init = unwrap(binding.init);
      if (isFunction(init)) {
        if (this.isGuardFunction(init)) return { name };
      } else if (init.type === T.CallExpression) {
        if (this.packageVerdict(init, binding.scope) === "soft") return undefined;
        const inner = this.decide(init, binding.scope, depth + 1);
        if (inner) return { ...inner, name };
      }
    } else if (binding?.kind === "function" && isFunction(binding.node) && this.isGuardFunction(binding.node)) {
      return { name };
    }
    return this.shared.classify(node, scope);
  }

  private call(node: TSESTree.CallExpression, scope: Node, depth: number): AuthMatch | undefined {
    const callee = unwrap(node.callee);
    const calleeText = memberPath(callee) ?? sourceText(this.facts.text, callee);
    // `jwt({ secret }).unless({ path: [/^\/public/] })`: the shared classifier reads the exemptions.
    if (callee.type === T.MemberExpression && propertyName(callee) === "unless") {
      const inner = this.decide(callee.object, scope, depth + 1);
      return inner ? (this.shared.classify(node, scope) ?? inner) : undefined;
    }
    const verdict = this.packageVerdict(node, scope);
    if (verdict === "soft") return undefined;
    if (verdict === "guard") return { name: calleeText };
    if (this.isWrapper(callee, scope)) {
      const fn = node.arguments[0] && localFunction(this.facts, node.arguments[0], scope);
      return fn && this.isGuardFunction(fn) ? { name: calleeText } : undefined;
    }
    const shared = this.shared.classify(node, scope);
    if (shared) return shared;
    // A same-file factory whose middleware answers 401/403: `const allow = (role) => async (ctx, next) => …`.
    const name = callee.type === T.Identifier ? callee.name : undefined;
    if (name !== undefined && authNameVerdict(name) !== "not-auth") {
      const factory = localFunction(this.facts, callee, scope);
      const produced = factory && returnedFunction(factory);
      if (produced && this.isGuardFunction(produced)) return { name: calleeText };
    }
    return undefined;
  }

  private packageVerdict(call: TSESTree.CallExpression, scope: Node): PackageVerdict {
    const origin = originOf(this.facts, call.callee, scope);
    if (!origin) return undefined;
    const entry = this.knowledge.exports.find((e) => matches(origin, e.specifier));
    if (!entry) return undefined;
    if (entry.kind === "soft") return "soft";
    const soft = entry.softWhen;
    return soft && hasBooleanOption(call, soft.option, soft.value) ? "soft" : "guard";
  }

  private isWrapper(callee: Node, scope: Node): boolean {
    const wrappers = this.knowledge.wrappers;
    if (!wrappers || wrappers.length === 0) return false;
    const origin = originOf(this.facts, callee, scope);
    return origin !== undefined && wrappers.some((w) => matches(origin, w));
  }
}

// ---------------------------------------------------------------------------------
// Other files.
// ---------------------------------------------------------------------------------

/**
 * The module of the project and the export a value comes from: `import books from
 * "./books"` → `./books`, `default`; `require("./routes/orders")` and `import("./routes/orders")`
 * → the module's default. Packages are not the project's.
 */
export function projectExport(
  facts: FileFacts,
  node: Node,
  scope: Node,
): { module: string; export: string } | undefined {
  const n = unwrapAwait(node);
  if (n.type === T.ImportExpression) {
    const module = staticString(n.source);
    return module !== undefined && !isPackage(module) ? { module, export: "default" } : undefined;
  }
  // `(await import("./routes")).default`, `import("./routes").then(m => m.routes)` is not followed.
  if (n.type === T.MemberExpression && unwrapAwait(n.object).type === T.ImportExpression) {
    const inner = projectExport(facts, n.object, scope);
    const name = propertyName(n);
    return inner && name !== undefined ? { module: inner.module, export: name } : undefined;
  }
  const origin = originOf(facts, n, scope);
  if (!origin || isPackage(origin.module) || origin.path.includes("()")) return undefined;
  return { module: origin.module, export: exportPath(origin) };
}

// ---------------------------------------------------------------------------------
// The ordered route graph of routers mounted in routers.
// ---------------------------------------------------------------------------------

/**
 * The endpoint of a route whose protections are known: its path as parts, its handler's
 * name and data-layer calls followed from the handler expression, and what the handler
 * and the route's middleware check of the request (a signature, a password).
 */
export function routeEndpoint(
  handlers: Handlers,
  route: {
    framework: string;
    vocabulary: FrameworkVocabulary;
    methods: HttpMethod[];
    path: string;
    handler: Item;
    middleware?: Item[];
    loc: Loc;
    protections: Protection[];
    /** What the framework's handlers receive, for the origins of the values they use (AP103). */
    binding?: RequestBinding;
  },
  checks: RequestChecks,
): Endpoint {
  const handlerName = handlers.nameOf(route.handler.node, undefined);
  const functions = handlers.functionsOf(route.handler.node, route.handler.scope, undefined);
  const endpoint: Endpoint = {
    framework: route.framework,
    vocabulary: route.vocabulary,
    methods: route.methods,
    route: routePath(route.path),
    path: route.path,
    ...(handlerName !== undefined ? { handler: handlerName } : {}),
    loc: route.loc,
    protections: route.protections,
    anonymous: [],
    dataOperations: handlers.dataOperations(functions, route.binding),
    ...handlers.callsOf(functions, route.binding),
  };
  return withChecks(endpoint, checks.of(functions, { middleware: route.middleware ?? [], handler: route.handler }));
}

export interface GraphReceiver {
  kind: "app" | "router";
}

export interface GraphRoute<R extends GraphReceiver> {
  receiver: R;
  /** Where the route is registered: guards registered before it run before it. */
  order: number;
  methods: HttpMethod[];
  /** Relative to the receiver, its own prefix included. */
  path: string;
  loc: Loc;
  middleware: Item[];
  handler: Item;
}

/** `use()`, or a route registration whose last function is a guard, on the paths it covers (for the given methods). */
export interface GraphGuard<R extends GraphReceiver> {
  receiver: R;
  order: number;
  cover: Cover;
  methods: readonly HttpMethod[] | undefined;
  items: Item[];
}

export interface GraphMount<R extends GraphReceiver> {
  parent: R;
  order: number;
  /** The prefix in the parent, the parent's own prefix included. */
  prefix: string | undefined;
  /** Middleware of the mounting call that runs before the router. */
  before: Item[];
  /**
   * The mount copies the routes the child has at that moment (Hono's `route()`, a
   * koa-router router mounted in another): routes added to the child later are not mounted.
   */
  copies: boolean;
}

export interface GraphExternalMount<R extends GraphReceiver> extends Omit<GraphMount<R>, "copies"> {
  module: string;
  export: string;
  loc: Loc;
}

/** The guards of one receiver in registration order, those with a known first segment also by that segment. */
interface GuardIndex<R extends GraphReceiver> {
  anyPath: GraphGuard<R>[];
  bySegment: Map<string, GraphGuard<R>[]>;
}

/** Routers mounted in routers mounted in …: deeper than this is not followed. */
const MAX_MOUNT_DEPTH = 32;
/** Mount paths looked at per route; the first ones decide in real code. */
const MAX_MOUNT_PATHS = 256;

/**
 * Which guards run before a route: those on the route, those registered before it on its
 * app or router, and, where the router is mounted in this file, the middleware before it
 * in the mounting call and the guards registered on the parent before the mount. A router
 * mounted twice is as exposed as its least protected mount.
 */
export class RouteGraph<R extends GraphReceiver> {
  private readonly guards = new Map<R, GuardIndex<R>>();
  private readonly mounts = new Map<R, GraphMount<R>[]>();

  constructor(
    private readonly classify: (item: Item) => AuthMatch | undefined,
    private readonly caseSensitive: boolean,
  ) {}

  /** Guards must be added in registration order. Items that are not auth are dropped here. */
  addGuard(guard: GraphGuard<R>): void {
    const items = guard.items.filter((item) => this.classify(item));
    if (items.length === 0) return;
    const kept = { ...guard, items };
    let index = this.guards.get(guard.receiver);
    if (!index) this.guards.set(guard.receiver, (index = { anyPath: [], bySegment: new Map() }));
    const { segment } = guard.cover;
    if (segment === undefined) index.anyPath.push(kept);
    else {
      const list = index.bySegment.get(segment);
      if (list) list.push(kept);
      else index.bySegment.set(segment, [kept]);
    }
  }

  /** The guards of a receiver registered before `order`, in registration order. */
  guardsOf(receiver: R, before: number): GraphGuard<R>[] {
    const index = this.guards.get(receiver);
    if (!index) return [];
    const all = [...index.anyPath, ...[...index.bySegment.values()].flat()];
    return all.filter((g) => g.order < before).sort((a, b) => a.order - b.order);
  }

  addMount(child: R, mount: GraphMount<R>): void {
    const list = this.mounts.get(child);
    if (list) list.push(mount);
    else this.mounts.set(child, [mount]);
  }

  /** The route's path as far as this file tells, and every protection that applies to it. */
  resolve(route: GraphRoute<R>): { path: string; protections: Protection[] } {
    const mounted = this.viaMounts(route.receiver, route.order, route.path, route.methods, new Set([route.receiver]), {
      left: MAX_MOUNT_PATHS,
    });
    const protections: Protection[] = [];
    for (const item of route.middleware) this.addIfAuth(protections, item, "route", mounted.path, route.methods);
    const own: ProtectionSource = route.receiver.kind === "app" ? "global" : "router";
    protections.push(
      ...this.guardsBefore(route.receiver, route.order, route.path, mounted.path, route.methods, own),
      ...mounted.protections,
    );
    protections.length = Math.min(protections.length, MAX_PROTECTIONS);
    return { path: mounted.path, protections };
  }

  /** What a router mounted from another file gets where this file mounts it. */
  external(mount: GraphExternalMount<R>, framework: string): ExternalMount {
    const relative = joinPaths(mount.prefix, "");
    const up = this.viaMounts(mount.parent, mount.order, relative, ["ANY"], new Set([mount.parent]), {
      left: MAX_MOUNT_PATHS,
    });
    const protections: Protection[] = [];
    for (const item of mount.before) this.addIfAuth(protections, item, "mount", up.path, ["ANY"]);
    protections.push(
      ...this.guardsBefore(mount.parent, mount.order, relative, up.path, ["ANY"], "mount"),
      ...up.protections,
    );
    protections.length = Math.min(protections.length, MAX_PROTECTIONS);
    return {
      framework,
      module: mount.module,
      export: mount.export,
      prefix: routePath(up.path),
      protections,
      loc: mount.loc,
    };
  }

  private viaMounts(
    receiver: R,
    arrived: number,
    relativePath: string,
    methods: readonly HttpMethod[],
    seen: Set<R>,
    budget: { left: number },
  ): { path: string; protections: Protection[] } {
    const mounts = (this.mounts.get(receiver) ?? []).filter((m) => !m.copies || arrived < m.order);
    if (mounts.length === 0 || seen.size > MAX_MOUNT_DEPTH) return { path: relativePath, protections: [] };
    const results = mounts
      .filter((m) => !seen.has(m.parent) && budget.left-- > 0)
      .map((mount) => {
        const joined = joinPaths(mount.prefix, relativePath);
        const up = this.viaMounts(mount.parent, mount.order, joined, methods, new Set([...seen, mount.parent]), budget);
        const protections: Protection[] = [];
        for (const item of mount.before) this.addIfAuth(protections, item, "mount", up.path, methods);
        protections.push(...this.guardsBefore(mount.parent, mount.order, joined, up.path, methods, "mount"));
        protections.push(...up.protections);
        return { path: up.path, protections };
      });
    return results.find((r) => r.protections.length === 0) ?? results[0] ?? { path: relativePath, protections: [] };
  }

  /** Guards on `receiver` registered before `order` whose path covers the route. */
  private guardsBefore(
    receiver: R,
    order: number,
    relativePath: string,
    fullPath: string,
    methods: readonly HttpMethod[],
    source: ProtectionSource,
  ): Protection[] {
    const protections: Protection[] = [];
    const index = this.guards.get(receiver);
    if (!index) return protections;
    const anyPath = index.anyPath;
    const sameSegment = index.bySegment.get(firstSegment(relativePath, this.caseSensitive)) ?? [];
    for (let a = 0, b = 0; a < anyPath.length || b < sameSegment.length;) {
      const guard =
        b >= sameSegment.length || (a < anyPath.length && anyPath[a].order < sameSegment[b].order)
          ? anyPath[a++]
          : sameSegment[b++];
      if (guard.order >= order || protections.length >= MAX_PROTECTIONS) break;
      if (!guard.cover.test(relativePath)) continue;
      if (guard.methods && !methods.every((m) => guard.methods!.includes(m))) continue;
      for (const item of guard.items) this.addIfAuth(protections, item, source, fullPath, methods);
    }
    return protections;
  }

  private addIfAuth(
    into: Protection[],
    item: Item,
    source: ProtectionSource,
    fullPath: string,
    methods: readonly HttpMethod[],
  ): void {
    const match = this.classify(item);
    if (!match || match.exempts?.(fullPath, methods)) return;
    into.push({
      name: match.name,
      source,
      loc: locOf(item.node),
      ...(match.requirement ? { requirement: match.requirement } : {}),
    });
  }
}

/** HTTP method names as written in a route table or `on()` call (`"post"`, `"PUT"`), `ANY` for `ALL`/`*`. */
function methodOf(name: string): HttpMethod | undefined {
  const upper = name.toUpperCase();
  switch (upper) {
    case "GET":
    case "POST":
    case "PUT":
    case "PATCH":
    case "DELETE":
    case "HEAD":
    case "OPTIONS":
      return upper;
    case "ALL":
    case "*":
      return "ANY";
    default:
      return undefined;
  }
}

/** `"POST"`, `["PUT", "PATCH"]`, or a constant holding one: the methods, if the file tells them. */
export function methodsOf(facts: FileFacts, node: Node, scope: Node): HttpMethod[] | undefined {
  const n = unwrap(node);
  const names =
    n.type === T.ArrayExpression
      ? present(n.elements).map((e) => (e.type === T.SpreadElement ? undefined : stringValue(facts, e, scope)))
      : [stringValue(facts, n, scope)];
  const methods: HttpMethod[] = [];
  for (const name of names) {
    const method = name === undefined ? undefined : methodOf(name);
    if (!method) return undefined;
    if (!methods.includes(method)) methods.push(method);
  }
  return methods.length > 0 ? methods : undefined;
}
