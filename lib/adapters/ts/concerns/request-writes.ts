/**
 * What middleware puts into the request before the handler runs (AP103). Real services set
 * the caller into a place the client could also fill, and their handlers read it back from
 * there: `req.body.UserId = authenticatedUsers.tokenMap[utils.jwtFrom(req)].data.id`
 * (OWASP Juice Shop's `appendUserId()`), `req.body.userId = req.user.id`. A read of such a
 * path in the handler is the assigned value, not the client's input.
 *
 * For one middleware function, the paths of its request parameter that its framework's
 * `RequestBinding` calls the client's (`req.body.X`, `req.params.X`, `req.query.X`,
 * `ctx.request.body.X`) and that it assigns: `req.body.X = v`, `req.body = { ...req.body, X: v }`,
 * `Object.assign(req.body, { X: v })`, also inside a callback it passes on
 * (`jwt.verify(token, key, (err, decoded) => { req.body.userId = decoded.id })`). Each value is
 * the caller (a read the binding calls the caller's, or a value computed from a token, session
 * or JWT), another value that is not the client's (a constant, a clock), or the client's own
 * input, which is not listed: the read stays the client's. So does a default the client can
 * pre-empt (`req.body.userId ??= req.user.id`, `if (!req.body.userId) req.body.userId = …`).
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { RequestAssignment } from "../../../core/model.js";
import type { RequestWriteEffect } from "../../../core/project/summary.js";
import { lowerBound } from "../../../core/adapter-utils.js";
import {
  isFunction,
  locOf,
  memberPath,
  returnedFunction,
  sourceText,
  staticString,
  unwrap,
  type FunctionNode,
  type Node,
} from "../ast.js";
import type { Collected, FileFacts } from "../facts.js";
import { callExport, exportTable } from "../exports.js";
import { ValueOrigins, type OriginContext, type RequestBinding } from "./value-origins.js";

/** Node types the walk collects for this pass (calls are collected for record access already). */
export const REQUEST_WRITE_NODE_TYPES: readonly string[] = [T.AssignmentExpression, T.CallExpression, T.IfStatement];

/** Nodes of one value looked at to tell where it comes from. */
const MAX_VALUE_NODES = 200;
/** Variables followed from a value to what they hold. */
const MAX_VALUE_DEPTH = 4;
/** Paths one middleware is said to assign. */
const MAX_ASSIGNED = 32;

/** Names of what holds or reads the caller's credentials: `jwtFrom`, `tokenMap`, `session`, `decodedToken`, `authenticatedUsers`. */
const CREDENTIAL_WORDS = /jwt|token|session|principal|claims|authenticated|logged_?in|current_?user/i;
/** `auth`, `authUser`, `req.auth`, `getAuth`, `verifyAuth`; not `author`. */
const AUTH_WORD = /^auth(?:$|[A-Z_])|[a-z]Auth(?:$|[A-Z])/;
/** Request parts that carry credentials: a read of them alone is the client's, with a token lookup around it the caller. */
const CREDENTIAL_CARRIER = /^(?:headers?|cookies|signedCookies|(?:get|header|cookie)\()/i;

type ValueKind = RequestAssignment["kind"] | "client";

/** A middleware a route uses, resolved to its function in this file. */
export type MiddlewareFunctions = (node: Node, scope: Node) => FunctionNode[];

export class RequestWrites {
  private readonly origins: ValueOrigins;
  private readonly byFunction = new Map<FunctionNode, RequestAssignment[]>();
  private targets: Collected[] | undefined;
  private conditions: TSESTree.IfStatement[] | undefined;
  private callbacks: Map<Node, TSESTree.CallExpression> | undefined;

  constructor(
    private readonly facts: FileFacts,
    /** The framework's: which reads of the middleware's parameters are the client's and which the caller. */
    private readonly binding: RequestBinding,
    private readonly functionsOf: MiddlewareFunctions,
  ) {
    this.origins = new ValueOrigins(facts);
  }

  /**
   * What a middleware item of a route assigns, when it is a function of this file: the
   * function itself, or the one a same-file factory returns (`appendUserId()`); undefined
   * when it is not one.
   */
  ofMiddleware(node: Node, scope: Node): RequestAssignment[] | undefined {
    const n = unwrap(node);
    let functions: FunctionNode[];
    if (n.type === T.CallExpression) {
      functions = this.functionsOf(n.callee, scope).flatMap((factory) => {
        const made = returnedFunction(factory);
        return made ? [made] : [];
      });
    } else functions = this.functionsOf(n, scope);
    if (functions.length === 0) return undefined;
    return functions.flatMap((fn) => this.ofFunction(fn));
  }

  /** The request paths a middleware function assigns, with what it assigns them. */
  ofFunction(fn: FunctionNode): RequestAssignment[] {
    let known = this.byFunction.get(fn);
    if (!known) this.byFunction.set(fn, (known = this.compute(fn)));
    return known;
  }

  /** Exported middleware, and exported factories of middleware, that assign parts of the request. */
  exported(): RequestWriteEffect[] {
    const out: RequestWriteEffect[] = [];
    for (const [node, name] of exportTable(this.facts).byFunction) {
      if (!isFunction(node)) continue;
      const own = this.ofFunction(node);
      if (own.length > 0) out.push({ export: name, assigned: own, loc: locOf(node) });
      const made = returnedFunction(node);
      const returned = made ? this.ofFunction(made) : [];
      if (returned.length > 0) out.push({ export: callExport(name), assigned: returned, loc: locOf(node) });
    }
    return out;
  }

  private compute(fn: FunctionNode): RequestAssignment[] {
    if (fn.params.length === 0) return [];
    const context: OriginContext = { fn, result: () => undefined };
    const kinds = new Map<string, { path: string[]; kinds: Set<ValueKind> }>();
    const note = (path: string[], kind: ValueKind): void => {
      const key = path.join("\0");
      const entry = kinds.get(key);
      if (entry) entry.kinds.add(kind);
      else if (kinds.size < MAX_ASSIGNED) kinds.set(key, { path, kinds: new Set([kind]) });
    };
    const targets = this.targetsOf();
    for (let i = lowerBound(targets, fn.range[0], (t) => t.node.range[0]); i < targets.length; i++) {
      const { node, scope } = targets[i];
      if (node.range[0] >= fn.range[1]) break;
      if (node.type === T.AssignmentExpression) this.assignment(node, scope, fn, context, note);
      else if (node.type === T.CallExpression) this.objectAssign(node, scope, fn, context, note);
    }
    const out: RequestAssignment[] = [];
    for (const { path, kinds: seen } of kinds.values()) {
      // A path the client's own value may end up in stays the client's.
      if (seen.has("client")) continue;
      out.push({ path, kind: seen.has("other") ? "other" : "principal" });
    }
    return out;
  }

  /** `req.body.X = v`; `req.body = { ...req.body, X: v }`. */
  private assignment(
    node: TSESTree.AssignmentExpression,
    scope: Node,
    fn: FunctionNode,
    context: OriginContext,
    note: (path: string[], kind: ValueKind) => void,
  ): void {
    const left = unwrap(node.left);
    if (left.type !== T.MemberExpression) return;
    const path = this.requestPath(left, scope, fn, context);
    if (!path) return;
    if (this.isClientPrefix(path)) {
      // The whole part replaced (`req.body = { ...req.body, UserId: … }`): what its object literal lists is assigned.
      const right = unwrap(node.right);
      if (node.operator === "=" && right.type === T.ObjectExpression)
        this.properties(right, path, fn, scope, context, note);
      return;
    }
    const preempted = node.operator !== "=" || this.testedBefore(node, left, fn);
    note(path, preempted ? "client" : this.valueKind(node.right, scope, fn, context));
  }

  /** `Object.assign(req.body, { X: v })`. */
  private objectAssign(
    call: TSESTree.CallExpression,
    scope: Node,
    fn: FunctionNode,
    context: OriginContext,
    note: (path: string[], kind: ValueKind) => void,
  ): void {
    if (memberPath(call.callee) !== "Object.assign" || call.arguments.length < 2) return;
    const [target, ...sources] = call.arguments;
    if (target.type === T.SpreadElement) return;
    const path = this.requestPath(unwrap(target), scope, fn, context);
    if (!path || !this.isClientPrefix(path)) return;
    sources.forEach((source, i) => {
      const object = source.type === T.SpreadElement ? undefined : unwrap(source);
      // A later source that is not written out here (`Object.assign(req.body, { userId }, req.query)`) may set the same keys.
      const overridden = sources
        .slice(i + 1)
        .some((later) => later.type === T.SpreadElement || unwrap(later).type !== T.ObjectExpression);
      if (object?.type === T.ObjectExpression) this.properties(object, path, fn, scope, context, note, overridden);
    });
  }

  private properties(
    object: TSESTree.ObjectExpression,
    path: readonly string[],
    fn: FunctionNode,
    scope: Node,
    context: OriginContext,
    note: (path: string[], kind: ValueKind) => void,
    overridden = false,
  ): void {
    const lastSpread = object.properties.findLastIndex((p) => p.type === T.SpreadElement);
    object.properties.forEach((property, i) => {
      if (property.type !== T.Property || property.computed) return;
      const key = property.key.type === T.Identifier ? property.key.name : staticString(property.key);
      if (key === undefined) return;
      // `{ UserId: req.user.id, ...req.body }`: what the spread brings wins.
      const kind = overridden || i < lastSpread ? "client" : this.valueKind(property.value, scope, fn, context);
      note([...path, key], kind);
    });
  }

  /** The path a member expression names in the middleware's request parameter, when the client fills that part of it. */
  private requestPath(node: Node, scope: Node, fn: FunctionNode, context: OriginContext): string[] | undefined {
    const source = this.origins.sourceOf(node, scope, context);
    if (source.kind !== "parameter" || source.index !== 0 || source.path.length === 0) return undefined;
    return this.binding.classify(fn, 0, source.path) === "client" ? source.path : undefined;
  }

  /** A part of the request the client fills as a whole (`body`, `request.body`), not a value in it. */
  private isClientPrefix(path: readonly string[]): boolean {
    const prefixes = this.binding.request?.client ?? [];
    return prefixes.some((prefix) => prefix.length === path.length && prefix.every((p, i) => p === path[i]));
  }

  /**
   * Where an assigned value comes from: the caller, the client, or something else. A value
   * that reads the client's input is the client's; one read from the caller, or computed from
   * credentials (a token, the session, a JWT), is the caller; a value built from the whole
   * request by a function whose name does not say it reads credentials may be the client's.
   */
  private valueKind(value: Node, scope: Node, fn: FunctionNode, context: OriginContext): ValueKind {
    const seen = { client: false, principal: false, request: false };
    this.scanValue(value, scope, fn, context, seen, { nodes: MAX_VALUE_NODES }, 0);
    if (seen.client) return "client";
    if (seen.principal) return "principal";
    return seen.request ? "client" : "other";
  }

  private scanValue(
    value: Node,
    scope: Node,
    fn: FunctionNode,
    context: OriginContext,
    seen: { client: boolean; principal: boolean; request: boolean },
    budget: { nodes: number },
    depth: number,
  ): void {
    const stack: Node[] = [value];
    while (stack.length > 0) {
      if (budget.nodes-- <= 0) {
        // Too large to read: not known to be anything but the client's.
        seen.client = true;
        return;
      }
      const node = stack.pop()!;
      if (node.type === T.MemberExpression || node.type === T.Identifier) {
        const read = this.read(node, scope, fn, context);
        if (read === "client") seen.client = true;
        else if (read === "principal") seen.principal = true;
        else if (read === "request") seen.request = true;
      }
      if (node.type === T.Identifier) {
        if (CREDENTIAL_WORDS.test(node.name) || AUTH_WORD.test(node.name)) seen.principal = true;
        if (depth < MAX_VALUE_DEPTH) this.followIdentifier(node, scope, fn, context, seen, budget, depth);
        continue;
      }
      if (node.type === T.MemberExpression && !node.computed && node.property.type === T.Identifier) {
        const name = node.property.name;
        if (CREDENTIAL_WORDS.test(name) || AUTH_WORD.test(name)) seen.principal = true;
        stack.push(node.object);
        continue;
      }
      if (isFunction(node)) continue;
      for (const child of children(node, this.facts.visitorKeys)) stack.push(child);
    }
  }

  /** A read of the middleware's parameters: the client's (a credential carrier read alone counts as the client's), the caller, or the whole request. */
  private read(
    node: Node,
    scope: Node,
    fn: FunctionNode,
    context: OriginContext,
  ): "client" | "principal" | "request" | undefined {
    const source = this.origins.sourceOf(node, scope, context);
    if (source.kind === "principal") return "principal";
    if (source.kind === "client") return "client";
    if (source.kind !== "parameter") return undefined;
    if (source.path.length === 0) return source.index === 0 ? "request" : undefined;
    const kind = this.binding.classify(fn, source.index, source.path);
    if (kind === "principal") return "principal";
    if (kind !== "client") return undefined;
    return source.path.some((segment) => CREDENTIAL_CARRIER.test(segment)) ? "request" : "client";
  }

  /** What a variable holds, or, for a parameter of a callback, the call it is passed to (`jwt.verify(token, key, (err, decoded) => …)`). */
  private followIdentifier(
    id: TSESTree.Identifier,
    scope: Node,
    fn: FunctionNode,
    context: OriginContext,
    seen: { client: boolean; principal: boolean; request: boolean },
    budget: { nodes: number },
    depth: number,
  ): void {
    const binding = this.facts.resolve(id.name, scope);
    if (!binding || !within(binding.node, fn)) return;
    if (binding.kind === "var" && binding.init) {
      this.scanValue(binding.init, binding.scope, fn, context, seen, budget, depth + 1);
      return;
    }
    if (binding.kind !== "param" || binding.scope === fn || !isFunction(binding.scope)) return;
    const call = this.callbackCall(binding.scope);
    if (!call) return;
    const callee = memberPath(call.callee) ?? "";
    if (callee.split(".").some((part) => CREDENTIAL_WORDS.test(part) || AUTH_WORD.test(part))) seen.principal = true;
  }

  /** The call a function is passed to as an argument. */
  private callbackCall(callback: Node): TSESTree.CallExpression | undefined {
    return this.callbackMap().get(callback);
  }

  /** Every function passed as an argument in the file, with the call it is passed to. */
  private callbackMap(): Map<Node, TSESTree.CallExpression> {
    if (!this.callbacks) {
      this.callbacks = new Map();
      for (const { node } of this.facts.collected.get(T.CallExpression) ?? []) {
        const call = node as TSESTree.CallExpression;
        for (const arg of call.arguments) if (isFunction(unwrap(arg))) this.callbacks.set(unwrap(arg), call);
      }
    }
    return this.callbacks;
  }

  /** Is the assignment made only when a test on the same part says the client left it empty (`if (!req.body.userId) …`)? */
  private testedBefore(node: Node, target: Node, fn: FunctionNode): boolean {
    const text = sourceText(this.facts.text, target).replace(/\s+/g, "");
    const ifs = this.ifsOf();
    for (
      let i = lowerBound(ifs, fn.range[0], (s) => s.range[0]);
      i < ifs.length && ifs[i].range[0] < node.range[0];
      i++
    ) {
      const statement = ifs[i];
      if (statement.range[1] < node.range[1] || !within(statement, fn)) continue;
      if (sourceText(this.facts.text, statement.test).replace(/\s+/g, "").includes(text)) return true;
    }
    return false;
  }

  /** Assignments and `Object.assign` calls of the file, with the function each is made in, in source order. */
  private targetsOf(): Collected[] {
    this.targets ??= [
      ...(this.facts.collected.get(T.AssignmentExpression) ?? []),
      ...(this.facts.collected.get(T.CallExpression) ?? []).filter(
        (c) => memberPath((c.node as TSESTree.CallExpression).callee) === "Object.assign",
      ),
    ].sort((a, b) => a.node.range[0] - b.node.range[0]);
    return this.targets;
  }

  private ifsOf(): TSESTree.IfStatement[] {
    this.conditions ??= (this.facts.collected.get(T.IfStatement) ?? [])
      .map((c) => c.node as TSESTree.IfStatement)
      .sort((a, b) => a.range[0] - b.range[0]);
    return this.conditions;
  }
}

function within(node: Node, outer: Node): boolean {
  return outer.range[0] <= node.range[0] && node.range[1] <= outer.range[1];
}

/** The child nodes of a node, by the parser's visitor keys. */
function children(node: Node, keys: FileFacts["visitorKeys"]): Node[] {
  const out: Node[] = [];
  const record = node as unknown as Record<string, unknown>;
  for (const key of keys[node.type] ?? []) {
    const child = record[key];
    if (Array.isArray(child)) {
      for (const c of child as (Node | null)[]) if (c && typeof c.type === "string") out.push(c);
    } else if (child && typeof (child as Node).type === "string") out.push(child as Node);
  }
  return out;
}
