/**
 * Where a value a function uses comes from (AP103): a parameter of the function (with the
 * keys read from it), the authenticated caller, a field of a record the function loaded,
 * or something else. Followed through local variables, destructuring, renaming, `await`,
 * casts (`Number(id)`, `new ObjectId(id)`), schema parsing (`schema.parse(req.body)`) and
 * iteration (`ids.map((id) => …)`).
 *
 * A handler's parameters are turned into the client or the caller by its framework's
 * `RequestBinding` (each framework library has one); a helper's parameters stay
 * `parameter` origins until the call that passes them is known (record-access.ts).
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { RequestArgument, RequestAssignment, ValueOrigin } from "../../../core/model.js";
import {
  isFunction,
  memberNames,
  propertyName,
  staticString,
  terminalName,
  unwrap,
  unwrapAwait,
  type FunctionNode,
  type Node,
} from "../ast.js";
import type { FileFacts } from "../facts.js";

/** A data operation whose result a value may be read from; record-access.ts gives each one. */
export interface RecordLoad {
  readonly call: TSESTree.CallExpression;
}

/**
 * Where a value comes from inside one function: a model origin, a field of a loaded
 * record, or an object literal whose properties have origins of their own (an argument
 * `{ groupId, emailAccountId }` a helper destructures).
 */
export type Source =
  | ValueOrigin
  | { kind: "record"; load: RecordLoad; path: string[] }
  | { kind: "object"; properties: ReadonlyMap<string, Source> };

export const OTHER: Source = { kind: "other" };

/** What a framework's handler receives: which reads of its parameters are the client's input and which the caller. */
export interface RequestBinding {
  /** `client`, `principal`, or undefined (neither) for `path` read from parameter `index` of the handler `fn`. */
  classify(fn: FunctionNode, index: number, path: readonly string[]): "client" | "principal" | undefined;
  /** How the parameter is written at the head of `via`; default: its name (nothing for a destructured one). */
  describe?(fn: FunctionNode, index: number): string | undefined;
  /**
   * The first parameter as data, for a handler declared in another file (whose parameters
   * the project index binds): the request's client and caller reads.
   */
  request?: Omit<RequestArgument, "kind">;
}

/**
 * The binding of a route whose middleware assigns parts of the request before its handler
 * runs (`req.body.UserId = req.user.id`, concerns/request-writes.ts): a read of the handler's
 * request (its first parameter) under an assigned path is the assigned value, the caller or
 * neither, not the client's.
 */
export function withAssignments(binding: RequestBinding, assigned: readonly RequestAssignment[]): RequestBinding {
  if (assigned.length === 0) return binding;
  const under = (path: readonly string[]): RequestAssignment | undefined =>
    assigned.find((a) => a.path.length <= path.length && a.path.every((p, i) => path[i] === p));
  return {
    classify(fn, index, path) {
      const assignment = index === 0 ? under(path) : undefined;
      if (assignment) return assignment.kind === "principal" ? "principal" : undefined;
      return binding.classify(fn, index, path);
    },
    ...(binding.describe ? { describe: (fn, index) => binding.describe!(fn, index) } : {}),
    ...(binding.request
      ? { request: { ...binding.request, assigned: [...(binding.request.assigned ?? []), ...assigned] } }
      : {}),
  };
}

/** What resolving values inside one function needs from its caller. */
export interface OriginContext {
  /** The function whose parameters are `parameter` origins. */
  fn: FunctionNode;
  /** The record a call made in the function returns: a data call, or a same-file function that returns one. */
  result(call: TSESTree.CallExpression, scope: Node): Source | undefined;
  /** What a call to a function of another file returns: the record it may load, for the checks made on it. */
  external?(call: TSESTree.CallExpression, scope: Node): Source | undefined;
  /** A framework's own session reads (Next.js `await auth()`): the text for `via`. */
  principalCall?(call: TSESTree.CallExpression, scope: Node): string | undefined;
  /** Sources already resolved in this function. */
  memo?: Map<Node, Source>;
}

/** How many steps (variables, members, calls) one value is followed through. */
const MAX_DEPTH = 24;

/** Functions that return their argument's value in another type. */
const CASTS = new Set([
  "Number",
  "String",
  "parseInt",
  "parseFloat",
  "BigInt",
  "ObjectId",
  "toObjectId",
  "decodeURIComponent",
  "Types.ObjectId",
  "mongoose.Types.ObjectId",
  "Number.parseInt",
  "Number.parseFloat",
  "ObjectId.createFromHexString",
  "Types.ObjectId.createFromHexString",
  "isValidObjectId",
]);
/** Methods that return their receiver's value in another form. */
const SAME_VALUE_METHODS = new Set(["toString", "trim", "toLowerCase", "toUpperCase", "valueOf", "toHexString"]);
/** Schema methods that return (a validated copy of) their argument: zod, yup, joi, valibot, class-transformer. */
const PARSERS = new Set(["parse", "parseAsync", "validate", "validateSync", "validateAsync", "cast", "assert"]);
const SAFE_PARSERS = new Set(["safeParse", "safeParseAsync"]);
/** Array methods that return elements of their receiver. */
const ELEMENT_METHODS = new Set(["filter", "find", "findLast", "sort", "toSorted"]);
/** Array methods whose callback's first parameter is an element of the receiver. */
const ITERATORS = new Set(["map", "forEach", "flatMap", "filter", "find", "some", "every", "findIndex"]);

/** Reads of a request, context or `this` that are the authenticated caller. */
const PRINCIPAL_MEMBERS = new Set([
  "user",
  "auth",
  "currentUser",
  "principal",
  "session",
  "jwtPayload",
  "jwt",
  "claims",
  "identity",
  "viewer",
  "me",
  "tenant",
  "account",
  "member",
  "actor",
]);
/** Calls that read the caller: `getCurrentUser()`, `requireAuth()`, `auth()`, `getServerSession(…)`, `request.getCurrentUserId()`. */
const PRINCIPAL_CALL =
  /^(?:get|require|fetch|load|ensure|resolve|read|validate)?(?:Server)?(?:Current|Authenticated|Auth|LoggedIn|SignedIn|Session|Verified)(?:Server)?(?:User|Session|Principal|Account|Member|Tenant|Org|Organization|Viewer|Actor|Auth)?(?:Id|OrThrow|OrRedirect|OrFail|FromRequest|FromSession|FromContext|Membership|Context)?$/i;
const PRINCIPAL_CALL_NAMES = new Set([
  "getServerSession",
  "getServerAuthSession",
  "currentUser",
  "jwtVerify",
  "getToken",
]);
/** Injected services that hold the caller: `this.cls.get("tenantId")`, `this.currentUser.id`, `this.tenantContext.tenantId`. */
const PRINCIPAL_FIELD =
  /^(?:cls|clsService|currentUser\w*|current(?:Tenant|Account|Org|Organization|Member)\w*|userContext|authContext|tenantContext|requestContext|tenantService|principal|session)$/i;

export function isPrincipalCallName(name: string): boolean {
  return PRINCIPAL_CALL_NAMES.has(name) || PRINCIPAL_CALL.test(name);
}

/** Whether one step of a read (`user`, `getCurrentUserId()`, `get("user")`) is the caller. */
/** The request members that hold the authenticated caller (`req.user`, `req.auth`, `req.session`). */
export function principalMembers(): string[] {
  return [...PRINCIPAL_MEMBERS];
}

export function isPrincipalSegment(segment: string): boolean {
  const call = /^(\w+)\((?:"([^"]*)")?\)$/.exec(segment);
  // `request.apiAuth`, `req.userAuth`: what an auth wrapper attaches.
  if (!call) return PRINCIPAL_MEMBERS.has(segment) || /^[a-z]+Auth$/.test(segment);
  const [, name, arg] = call;
  if (name === "get" && arg !== undefined)
    return PRINCIPAL_MEMBERS.has(arg) || /user|session|tenant|jwt|auth/i.test(arg);
  return isPrincipalCallName(name);
}

/** `req.params.id`, `c.req.param("id")`, `formData.get("id")`, `items[0]`: a read path as text. */
export function renderPath(head: string | undefined, path: readonly string[]): string {
  let text = head ?? "";
  for (const segment of path) {
    if (/^\d+$/.test(segment)) text += `[${segment}]`;
    else text += text === "" ? segment : `.${segment}`;
  }
  return text;
}

/** Adds `path` to what a source reads. */
export function extend(source: Source, path: readonly string[]): Source {
  if (path.length === 0) return source;
  switch (source.kind) {
    case "parameter":
      return { kind: "parameter", index: source.index, path: [...source.path, ...path] };
    case "client":
    case "principal":
      return { kind: source.kind, via: renderPath(source.via, path) };
    case "record":
      return { kind: "record", load: source.load, path: [...source.path, ...path] };
    case "object": {
      const property = source.properties.get(path[0]);
      return property ? extend(property, path.slice(1)) : OTHER;
    }
    case "other":
      return OTHER;
  }
}

export class ValueOrigins {
  private iterations: Map<Node, Node> | undefined;

  constructor(private readonly facts: FileFacts) {}

  /** Where `node`, read in `scope` inside `context.fn`, comes from. */
  sourceOf(node: Node, scope: Node, context: OriginContext, depth = 0): Source {
    if (depth > MAX_DEPTH) return OTHER;
    const memo = (context.memo ??= new Map<Node, Source>());
    const known = memo.get(node);
    if (known) return known;
    const source = this.resolve(node, scope, context, depth);
    memo.set(node, source);
    return source;
  }

  private resolve(node: Node, scope: Node, context: OriginContext, depth: number): Source {
    const n = unwrapAwait(node);
    switch (n.type) {
      case T.Identifier:
        return this.identifier(n, scope, context, depth);
      case T.MemberExpression:
        return this.member(n, scope, context, depth);
      case T.CallExpression:
        return this.call(n, scope, context, depth);
      case T.NewExpression: {
        // `new ObjectId(id)`, `new Types.ObjectId(id)`, `new URL(req.url)`.
        const name = calleeName(n.callee);
        if (name !== undefined && (CASTS.has(name) || /(^|\.)ObjectId$/.test(name) || name === "URL") && n.arguments[0])
          return this.sourceOf(n.arguments[0], scope, context, depth + 1);
        return OTHER;
      }
      case T.UnaryExpression:
        return n.operator === "+" ? this.sourceOf(n.argument, scope, context, depth + 1) : OTHER;
      case T.TemplateLiteral:
        return n.expressions.length === 1 && n.quasis.every((q) => q.value.cooked === "")
          ? this.sourceOf(n.expressions[0], scope, context, depth + 1)
          : OTHER;
      case T.LogicalExpression: {
        if (n.operator !== "??" && n.operator !== "||") return OTHER;
        // `req.query.id ?? ""`, `id || undefined`: the value when there is one.
        if (isPlainConstant(n.right)) return this.sourceOf(n.left, scope, context, depth + 1);
        // `(await findChat(id)) || (await createChat(…))`: the loaded record, or a new one.
        const left = this.sourceOf(n.left, scope, context, depth + 1);
        return left.kind === "record" ? left : OTHER;
      }
      case T.ObjectExpression:
        return this.object(n, scope, context, depth);
      case T.ArrayExpression:
        return this.array(n.elements, scope, context, depth);
      default:
        return OTHER;
    }
  }

  private identifier(id: TSESTree.Identifier, scope: Node, context: OriginContext, depth: number): Source {
    const pattern = this.facts.resolvePattern(id.name, scope);
    if (pattern) {
      if (pattern.param) {
        const base = this.parameter(pattern.param.fn, pattern.param.index, context, depth);
        return extend(base, pattern.path);
      }
      if (pattern.init) return this.destructured(pattern.init, pattern.path, pattern.scope, context, depth);
      const iterable = pattern.declarator ? this.facts.iterableOf(pattern.declarator) : undefined;
      return iterable ? extend(this.sourceOf(iterable, pattern.scope, context, depth + 1), pattern.path) : OTHER;
    }
    const b = this.facts.resolve(id.name, scope);
    if (!b) return OTHER;
    if (b.kind === "param") {
      const fn = b.scope;
      if (!isFunction(fn)) return OTHER;
      const index = fn.params.indexOf(b.node as TSESTree.Parameter);
      return index < 0 ? OTHER : this.parameter(fn, index, context, depth);
    }
    if (b.kind !== "var") return OTHER;
    if (b.init) {
      const source = this.sourceOf(b.init, b.scope, context, depth + 1);
      // `const session = await auth()`: the caller, as the code names it (`session.user.id`).
      if (source.kind === "principal" && unwrapAwait(b.init).type === T.CallExpression)
        return { kind: "principal", via: id.name };
      return source;
    }
    const iterable = this.facts.iterableOf(b.node);
    if (iterable) return this.sourceOf(iterable, b.scope, context, depth + 1);
    // `let body; body = await request.json();`: one assignment in the same function.
    const assigned = (this.facts.assignments.get(id.name) ?? []).filter((a) => a.scope === b.scope);
    return assigned.length === 1 ? this.sourceOf(assigned[0].value, b.scope, context, depth + 1) : OTHER;
  }

  /** `const { id } = req.params`, `const { data } = schema.safeParse(body)`, `const [invoice] = await db.select()…`. */
  private destructured(
    init: Node,
    path: readonly string[],
    scope: Node,
    context: OriginContext,
    depth: number,
  ): Source {
    const value = unwrapAwait(init);
    if (value.type === T.CallExpression && path[0] === "data" && isSafeParse(value) && value.arguments[0])
      return extend(this.sourceOf(value.arguments[0], scope, context, depth + 1), path.slice(1));
    return extend(this.sourceOf(init, scope, context, depth + 1), path);
  }

  /** Parameter `index` of `fn`: a `parameter` origin of the analysed function, or an element of what an iterator walks. */
  private parameter(fn: Node, index: number, context: OriginContext, depth: number): Source {
    if (fn === context.fn) return { kind: "parameter", index, path: [] };
    if (index !== 0 || !isFunction(fn)) return OTHER;
    // `ids.map((id) => …)`: the element has the array's origin.
    const receiver = this.iterationReceiver(fn);
    return receiver ? this.sourceOf(receiver, this.scopeOf(fn), context, depth + 1) : OTHER;
  }

  private member(member: TSESTree.MemberExpression, scope: Node, context: OriginContext, depth: number): Source {
    const object = unwrapAwait(member.object);
    if (object.type === T.ThisExpression) return this.thisMember(member);
    const names = memberNames(member, unwrapAwait);
    if (names[0] === "this" && PRINCIPAL_FIELD.test(names[1] ?? "")) return { kind: "principal", via: names.join(".") };
    if (names[0] === "this" && /^(request|req)$/.test(names[1] ?? "") && PRINCIPAL_MEMBERS.has(names[2] ?? ""))
      return { kind: "principal", via: names.join(".") };
    const key = propertyName(member);
    // `schema.safeParse(body).data`
    if (key === "data" && object.type === T.CallExpression && isSafeParse(object) && object.arguments[0])
      return this.sourceOf(object.arguments[0], scope, context, depth + 1);
    const base = this.sourceOf(object, scope, context, depth + 1);
    // `ids[i]`: an element, with the array's origin.
    if (key === undefined) return base.kind === "object" ? OTHER : base;
    return extend(base, [key]);
  }

  /** `this.currentUser`, `this.cls`: an injected service that holds the caller. */
  private thisMember(member: TSESTree.MemberExpression): Source {
    const key = propertyName(member);
    return key !== undefined && PRINCIPAL_FIELD.test(key) ? { kind: "principal", via: `this.${key}` } : OTHER;
  }

  private call(call: TSESTree.CallExpression, scope: Node, context: OriginContext, depth: number): Source {
    const source = this.callSource(call, scope, context, depth);
    // What a call to another file returns, when nothing here says what it is.
    return source.kind === "other" ? (context.external?.(call, scope) ?? source) : source;
  }

  private callSource(call: TSESTree.CallExpression, scope: Node, context: OriginContext, depth: number): Source {
    const callee = unwrap(call.callee);
    const name = calleeName(callee);
    const first = call.arguments[0];
    if (name !== undefined && CASTS.has(name) && first && first.type !== T.SpreadElement)
      return this.sourceOf(first, scope, context, depth + 1);
    const framework = context.principalCall?.(call, scope);
    if (framework !== undefined) return { kind: "principal", via: `${framework}()` };
    const result = context.result(call, scope);
    if (result) return result;
    if (callee.type === T.Identifier) {
      if (isPrincipalCallName(callee.name)) return { kind: "principal", via: `${callee.name}()` };
      // `plainToInstance(UpdateInvoiceDto, req.body)`
      if ((callee.name === "plainToInstance" || callee.name === "plainToClass") && call.arguments[1])
        return this.sourceOf(call.arguments[1], scope, context, depth + 1);
      return OTHER;
    }
    if (callee.type !== T.MemberExpression) return OTHER;
    const method = propertyName(callee);
    if (method === undefined) return OTHER;
    if (SAME_VALUE_METHODS.has(method)) return this.sourceOf(callee.object, scope, context, depth + 1);
    if (
      (PARSERS.has(method) || SAFE_PARSERS.has(method)) &&
      first &&
      first.type !== T.SpreadElement &&
      call.arguments.length <= 2
    ) {
      const receiver = unwrap(callee.object);
      // `schema.parse(req.body)`, not `JSON.parse(text)` or `Date.parse(s)`.
      if (receiver.type !== T.Identifier || !["JSON", "Date", "Number", "URL"].includes(receiver.name))
        return this.sourceOf(first, scope, context, depth + 1);
    }
    // `Promise.all([a, b])`: an array of the values.
    if (method === "all" && terminalName(callee.object) === "Promise" && first) {
      const list = unwrap(first);
      if (list.type === T.ArrayExpression) return this.array(list.elements, scope, context, depth);
      return OTHER;
    }
    const callback = call.arguments.find((a) => isFunction(unwrap(a)));
    if (callback) return this.iteration(method, callee.object, unwrap(callback) as FunctionNode, scope, context, depth);
    const receiver = this.sourceOf(callee.object, scope, context, depth + 1);
    if (receiver.kind === "other" || receiver.kind === "object") return OTHER;
    // A read through a method of the request or the caller: `c.req.param("id")`, `searchParams.get("id")`, `request.json()`.
    return extend(receiver, [callSegment(method, call)]);
  }

  /**
   * What an array method with a callback returns: the elements themselves (`ids.filter(…)`),
   * or what the callback makes of each (`items.map((item) => item.id)`); anything a callback
   * builds with statements is not followed.
   */
  private iteration(
    method: string,
    receiver: Node,
    callback: FunctionNode,
    scope: Node,
    context: OriginContext,
    depth: number,
  ): Source {
    if (ELEMENT_METHODS.has(method)) return this.sourceOf(receiver, scope, context, depth + 1);
    if ((method === "map" || method === "flatMap") && callback.body.type !== T.BlockStatement)
      return this.sourceOf(callback.body, callback, context, depth + 1);
    return OTHER;
  }

  private object(object: TSESTree.ObjectExpression, scope: Node, context: OriginContext, depth: number): Source {
    const properties = new Map<string, Source>();
    for (const p of object.properties) {
      if (p.type !== T.Property || p.computed) continue;
      const key = p.key.type === T.Identifier ? p.key.name : staticString(p.key);
      if (key === undefined || properties.has(key)) continue;
      properties.set(key, this.sourceOf(p.value, scope, context, depth + 1));
    }
    return { kind: "object", properties };
  }

  private array(
    elements: readonly (TSESTree.Expression | TSESTree.SpreadElement | null)[],
    scope: Node,
    context: OriginContext,
    depth: number,
  ): Source {
    const properties = new Map<string, Source>();
    elements.forEach((element, i) => {
      if (element && element.type !== T.SpreadElement)
        properties.set(String(i), this.sourceOf(element, scope, context, depth + 1));
    });
    return { kind: "object", properties };
  }

  /** The array a callback walks: `ids.map(async (id) => …)` → `ids`. */
  private iterationReceiver(fn: FunctionNode): Node | undefined {
    if (!this.iterations) {
      this.iterations = new Map();
      for (const c of this.facts.collected.get(T.CallExpression) ?? []) {
        const call = c.node as TSESTree.CallExpression;
        const callee = unwrap(call.callee);
        if (callee.type !== T.MemberExpression) continue;
        const method = propertyName(callee);
        const arg = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
        if (method !== undefined && ITERATORS.has(method) && arg && isFunction(arg))
          this.iterations.set(arg, callee.object);
      }
    }
    return this.iterations.get(fn);
  }

  private scopeOf(fn: Node): Node {
    return this.facts.outerScope(fn) ?? this.facts.ast;
  }
}

/** `schema.safeParse(x)`. */
function isSafeParse(call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  return callee.type === T.MemberExpression && SAFE_PARSERS.has(propertyName(callee) ?? "");
}

/** `json()`, `param("id")`: one call step of a read path. */
export function callSegment(method: string, call: TSESTree.CallExpression): string {
  const arg = staticString(call.arguments[0]);
  return arg !== undefined && /^[\w.-]{1,60}$/.test(arg) ? `${method}("${arg}")` : `${method}()`;
}

/** `Number`, `Types.ObjectId`, `mongoose.Types.ObjectId`: a callee as a dotted name. */
function calleeName(callee: Node): string | undefined {
  const names = memberNames(callee);
  if (names.length === 0 || names.length > 4) return undefined;
  const c = unwrap(callee);
  if (c.type !== T.Identifier && c.type !== T.MemberExpression) return undefined;
  return names.join(".");
}

function isPlainConstant(node: Node): boolean {
  const n = unwrap(node);
  return (
    n.type === T.Literal ||
    (n.type === T.TemplateLiteral && n.expressions.length === 0) ||
    (n.type === T.Identifier && n.name === "undefined") ||
    (n.type === T.ArrayExpression && n.elements.length === 0) ||
    (n.type === T.ObjectExpression && n.properties.length === 0)
  );
}
