/**
 * What a route handler checks about the request itself, beyond the session:
 *
 *  - a signature that proves who sent it (a webhook): a library call that verifies one
 *    (`stripe.webhooks.constructEvent(…)`, svix's `new Webhook(secret).verify(…)`,
 *    twilio's `validateRequest(…)`), a function the user names in
 *    `settings["api-posture"].signatureVerifiers`, or the hand-written form, an HMAC
 *    (`crypto.createHmac(…)`) compared in constant time (`crypto.timingSafeEqual(…)`). Found
 *    in the handler, in the same-file helpers it calls (two calls deep), in same-file
 *    middleware on the route, and, through the project index, in an exported function of
 *    another project file that the handler calls. Such a route counts as protected.
 *  - a password it takes from the request body (`req.body.password`,
 *    `const { password } = request.body`, a body schema with a `password` field) or hashes
 *    (bcrypt's `hash(password, 10)`): the facts lib/core/public-flows.ts reads to tell a
 *    sign-up written as `POST /users` from other writes.
 *
 * What each library verifies or hashes with is in its record (`signatures`, `passwords`);
 * everything here reads the walk's collected calls and keyed reads by range, once per function.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { ImportedFunction, Loc } from "../../../core/model.js";
import type { MarkerEffect } from "../../../core/project/summary.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import { withChecks, type HandlerChecks } from "../../../core/adapter-utils.js";
import {
  callText,
  isClass,
  isFunction,
  locOf,
  memberNames,
  memberPath,
  propertyName,
  typeAnnotationName,
  unwrap,
  unwrapAwait,
  type FunctionNode,
  type Node,
  hasBooleanOption,
} from "../ast.js";
import { exportTable } from "../exports.js";
import { entriesWithin, sortByStart, type Collected, type FileFacts } from "../facts.js";
import { exportPath, isPackage, matchesAny, originOf, type ImportSpecifier } from "../imports.js";
import { libraries } from "../libraries/index.js";

/** The helper that adds a route's checks to its endpoint, for the libraries that build endpoints. */
export { withChecks, type HandlerChecks };

/** What the walk must collect for these checks: every call, by position. */
export const REQUEST_CHECK_NODE_TYPES: readonly string[] = [T.CallExpression];

/** The keys whose reads the walk collects (`WalkInterests.keyNames`): a password in a request body. */
export const PASSWORD_KEYS: ReadonlySet<string> = new Set(["password", "Password", "passwd"]);

/** How many calls deep same-file helpers are followed from a handler (`verifySignature(req)` → `safeCompare(…)`). */
const MAX_HELPER_DEPTH = 2;
/** How far a value is followed back to the request body (`const data = schema.parse(await req.json())`). */
const MAX_VALUE_DEPTH = 8;

/** An imported project function whose name says it may verify a request: the project index tells what it does. */
const MAY_VERIFY = /verif|signature|signed|hmac|webhook/i;
/** A password as a variable or member name: `password`, `newPassword`, `body.passwd`. */
const PASSWORD_NAME = /pass(?:word|wd)|^pwd$/i;
/** Names of functions that hash what they are given: a password when the argument is named so. */
const HASH_NAMES = new Set(["hash", "hashSync", "hashPassword"]);

/** Where a route's checks may be, besides its handler functions. */
export interface RouteParts {
  /** Middleware and hooks that run before the handler, in the scope they are evaluated in. */
  middleware?: readonly { node: Node; scope: Node }[];
  /** The handler as written, when it may be a library's own handler (`shopify.processWebhooks({…})`). */
  handler?: { node: Node; scope: Node };
  /** The route's body schema (Fastify `schema.body`). */
  bodySchema?: { node: Node; scope: Node };
}

interface Verification {
  name: string;
  loc: Loc;
}

/** What one function shows by itself, without the helpers it calls. */
interface OwnChecks {
  verification?: Verification;
  hmac?: TSESTree.CallExpression;
  compare?: TSESTree.CallExpression;
  hashes?: string;
  passwordFromBody: boolean;
  helpers: { fn: FunctionNode; name: string }[];
  imported: ImportedFunction[];
}

/** What a function and the helpers it calls show together. */
interface Combined {
  verification?: Verification;
  hashes?: string;
  passwordFromBody: boolean;
  imported: ImportedFunction[];
}

interface SignatureKnowledge {
  verifiers: ImportSpecifier[];
  /** Member paths split into names, `webhooks.constructEvent` → [webhooks, constructEvent]. */
  clientMethods: string[][];
  instances: { classes: readonly ImportSpecifier[]; methods: readonly string[] }[];
  middleware: { factories: readonly ImportSpecifier[]; offWhenFalse?: string }[];
  hmacs: ImportSpecifier[];
  compares: ImportSpecifier[];
  hashers: ImportSpecifier[];
  wrappers: ImportSpecifier[];
}

let knowledge: SignatureKnowledge | undefined;

/** The `signatures` and `passwords` sections of every library record, on first use (see libraries()). */
function known(): SignatureKnowledge {
  if (knowledge) return knowledge;
  const k: SignatureKnowledge = {
    verifiers: [],
    clientMethods: [],
    instances: [],
    middleware: [],
    hmacs: [],
    compares: [],
    hashers: [],
    wrappers: [],
  };
  for (const library of libraries()) {
    const s = library.signatures;
    if (s) {
      k.verifiers.push(...(s.verifiers ?? []));
      k.clientMethods.push(...(s.clientMethods ?? []).map((m) => m.split(".")));
      if (s.instances) k.instances.push(s.instances);
      if (s.middleware) k.middleware.push(s.middleware);
      k.hmacs.push(...(s.hmacs ?? []));
      k.compares.push(...(s.constantTimeCompares ?? []));
      k.wrappers.push(...(s.wrappers ?? []));
    }
    if (library.passwords) k.hashers.push(...library.passwords.hashers);
  }
  knowledge = k;
  return k;
}

const perFile = new WeakMap<FileFacts, RequestChecks>();

/** Exports that wrap a handler and run it only for a request with a valid signature (`verifySignatureAppRouter`). */
export function signatureWrappers(): readonly ImportSpecifier[] {
  return known().wrappers;
}

/** The request checks of a file, shared by every library that builds its endpoints. */
export function requestChecks(facts: FileFacts, settings: ResolvedSettings): RequestChecks {
  let checks = perFile.get(facts);
  if (!checks) perFile.set(facts, (checks = new RequestChecks(facts, settings)));
  return checks;
}

export class RequestChecks {
  private readonly own = new Map<FunctionNode, OwnChecks>();
  private sortedKeyed: Collected[] | undefined;

  constructor(
    private readonly facts: FileFacts,
    private readonly settings: ResolvedSettings,
  ) {}

  /** What a route whose handler runs `functions` (same-file functions) checks. */
  of(functions: readonly FunctionNode[], parts: RouteParts = {}): HandlerChecks {
    const checks: HandlerChecks = { protections: [], importedFunctions: [] };
    const combined = this.combined(functions);
    const verification =
      (parts.middleware ?? []).map((item) => this.itemVerification(item.node, item.scope)).find((v) => v) ??
      (parts.handler ? this.callVerification(parts.handler.node, parts.handler.scope) : undefined) ??
      combined.verification;
    if (verification)
      checks.protections.push({
        name: verification.name,
        source: "route",
        loc: verification.loc,
        requirement: "authenticated",
        kind: "signature",
      });
    if (!verification) checks.importedFunctions.push(...combined.imported);
    const passwordFromBody =
      combined.passwordFromBody ||
      functions.some((fn) => this.bodyParameterHasPassword(fn)) ||
      (parts.bodySchema !== undefined && this.schemaHasPassword(parts.bodySchema.node, parts.bodySchema.scope));
    if (passwordFromBody || combined.hashes !== undefined)
      checks.credentials = {
        ...(passwordFromBody ? { passwordFromBody: true } : {}),
        ...(combined.hashes !== undefined ? { hashesPassword: combined.hashes } : {}),
      };
    return checks;
  }

  /** Exported functions of the file that verify a request's signature, for handlers in other files that call them. */
  exportedVerifiers(): MarkerEffect[] {
    const markers: MarkerEffect[] = [];
    for (const [fn, name] of exportTable(this.facts).byFunction) {
      if (!isFunction(fn)) continue;
      if (this.combined([fn]).verification)
        markers.push({ export: name, effect: "protection", requirement: "authenticated", loc: locOf(fn) });
    }
    return markers;
  }

  // -------------------------------------------------------------------------------
  // Middleware and handlers as written.
  // -------------------------------------------------------------------------------

  /** Route middleware that verifies: a same-file function that does, or a call that does (`verifyWebhook()`). */
  private itemVerification(node: Node, scope: Node): Verification | undefined {
    const fn = this.localFunction(node, scope) ?? this.wrappedFunction(node, scope);
    if (fn) {
      const found = this.combined([fn]).verification;
      const name = unwrap(node).type === T.Identifier ? (unwrap(node) as TSESTree.Identifier).name : undefined;
      return found && name !== undefined ? { name, loc: locOf(node) } : found;
    }
    const path = memberPath(unwrap(node));
    if (path !== undefined && this.isNamedVerifier(path)) return { name: withoutThis(path), loc: locOf(node) };
    return this.callVerification(node, scope);
  }

  /**
   * A call written in place of a function that verifies: a library's verifying middleware
   * (`twilio.webhook()`), a `signatureVerifiers` name, a library verifier.
   */
  private callVerification(node: Node, scope: Node): Verification | undefined {
    const call = unwrap(node);
    if (call.type !== T.CallExpression) return undefined;
    const origin = originOf(this.facts, call.callee, scope);
    for (const { factories, offWhenFalse } of known().middleware) {
      if (!matchesAny(origin, factories)) continue;
      if (offWhenFalse !== undefined && hasBooleanOption(call, offWhenFalse, false)) return undefined;
      return { name: memberPath(unwrap(call.callee)) ?? exportPath(origin!), loc: locOf(call) };
    }
    const name = this.verifierName(call, scope);
    return name === undefined ? undefined : { name, loc: locOf(call) };
  }

  // -------------------------------------------------------------------------------
  // Functions and the helpers they call.
  // -------------------------------------------------------------------------------

  /** The checks of `functions` and of the same-file helpers they call, two calls deep. */
  private combined(functions: readonly FunctionNode[]): Combined {
    const result: Combined = { passwordFromBody: false, imported: [] };
    let hmac: { via: string | undefined; call: TSESTree.CallExpression } | undefined;
    let compare: { via: string | undefined; call: TSESTree.CallExpression } | undefined;
    const seen = new Set<FunctionNode>();
    const queue = functions.map((fn) => ({ fn, depth: 0, via: undefined as string | undefined }));
    for (let i = 0; i < queue.length; i++) {
      const { fn, depth, via } = queue[i];
      if (seen.has(fn)) continue;
      seen.add(fn);
      const own = this.ownChecks(fn);
      if (own.verification && !result.verification)
        result.verification = via === undefined ? own.verification : { name: via, loc: own.verification.loc };
      if (own.hmac && !hmac) hmac = { via, call: own.hmac };
      if (own.compare && !compare) compare = { via, call: own.compare };
      result.hashes ??= own.hashes;
      result.passwordFromBody ||= own.passwordFromBody;
      for (const imported of own.imported)
        if (!result.imported.some((i) => i.module === imported.module && i.export === imported.export))
          result.imported.push(imported);
      if (depth >= MAX_HELPER_DEPTH) continue;
      for (const helper of own.helpers) queue.push({ fn: helper.fn, depth: depth + 1, via: via ?? helper.name });
    }
    if (!result.verification && hmac && compare) {
      const via = compare.via ?? hmac.via;
      const text = `${callText(this.facts.text, compare.call)} over ${callText(this.facts.text, hmac.call)}`;
      result.verification = { name: via ?? text.replace(/\(…\)|\(\)/g, ""), loc: locOf(compare.call) };
    }
    return result;
  }

  /** What one function shows itself, from the calls and keyed reads inside it, once per function. */
  private ownChecks(fn: FunctionNode): OwnChecks {
    let own = this.own.get(fn);
    if (own) return own;
    own = { passwordFromBody: false, helpers: [], imported: [] };
    this.own.set(fn, own);
    const k = known();
    for (const { node, scope } of this.facts.collectedWithin(T.CallExpression, fn)) {
      const call = node as TSESTree.CallExpression;
      const callee = unwrap(call.callee);
      const verifier = own.verification ? undefined : this.verifierName(call, scope);
      if (verifier !== undefined) own.verification = { name: verifier, loc: locOf(call) };
      const origin = originOf(this.facts, callee, scope);
      if (origin && !own.hmac && matchesAny(origin, k.hmacs)) own.hmac = call;
      if (origin && !own.compare && matchesAny(origin, k.compares)) own.compare = call;
      if (own.hashes === undefined && (matchesAny(origin, k.hashers) || hashesPasswordByName(call)))
        own.hashes = callText(this.facts.text, call);
      if (callee.type === T.Identifier) {
        const helper = this.localFunction(callee, scope);
        if (helper && helper !== fn) own.helpers.push({ fn: helper, name: callee.name });
      }
      if (origin && !isPackage(origin.module) && !origin.path.includes("()")) {
        const name = memberPath(callee);
        if (name !== undefined && MAY_VERIFY.test(name))
          own.imported.push({
            role: "guard",
            name,
            module: origin.module,
            export: exportPath(origin),
            loc: locOf(call),
          });
      }
    }
    for (const { node, scope } of entriesWithin(this.keyed(), fn)) {
      if (node.type === T.MemberExpression && this.isRequestBody(node.object, scope, 0)) own.passwordFromBody = true;
      else if (node.type === T.VariableDeclarator && node.init && this.isRequestBody(node.init, scope, 0))
        own.passwordFromBody = true;
      if (own.passwordFromBody) break;
    }
    return own;
  }

  private keyed(): Collected[] {
    this.sortedKeyed ??= sortByStart(this.facts.keyed);
    return this.sortedKeyed;
  }

  /** The name of the verification a call performs, as the code writes it; undefined when it performs none. */
  private verifierName(call: TSESTree.CallExpression, scope: Node): string | undefined {
    const callee = unwrap(call.callee);
    const path = memberPath(callee);
    if (path !== undefined && this.isNamedVerifier(path)) return withoutThis(path);
    const k = known();
    const origin = originOf(this.facts, callee, scope);
    if (origin && matchesAny(origin, k.verifiers)) return path ?? exportPath(origin);
    if (callee.type !== T.MemberExpression) return undefined;
    const names = memberNames(callee);
    if (path !== undefined && k.clientMethods.some((m) => endsWith(names, m))) return withoutThis(path);
    const method = propertyName(callee);
    if (method === undefined) return undefined;
    for (const { classes, methods } of k.instances) {
      if (!methods.includes(method)) continue;
      const made = this.constructedClass(callee.object, scope);
      if (made && matchesAny(originOf(this.facts, made.callee, made.scope), classes))
        return `${memberPath(made.callee) ?? "new"}.${method}`;
    }
    return undefined;
  }

  /** `signatureVerifiers` names a call by its whole path or its last parts: `webhooks.verify` matches `verify`. */
  private isNamedVerifier(path: string): boolean {
    const parts = withoutThis(path).split(".");
    return parts.some((_, i) => this.settings.signatureVerifiers(parts.slice(i).join(".")));
  }

  /** `new Webhook(secret)` an expression evaluates to: in place, or the initialiser of a same-file constant. */
  private constructedClass(node: Node, scope: Node): { callee: Node; scope: Node } | undefined {
    let current = unwrapAwait(node);
    let currentScope = scope;
    for (let depth = 0; depth < MAX_VALUE_DEPTH; depth++) {
      if (current.type === T.NewExpression) return { callee: current.callee, scope: currentScope };
      if (current.type !== T.Identifier) return undefined;
      const binding = this.facts.resolve(current.name, currentScope);
      if (binding?.kind !== "var" || !binding.init) return undefined;
      current = unwrapAwait(binding.init);
      currentScope = binding.scope;
    }
    return undefined;
  }

  /** The same-file function an expression names: inline, declared, or a constant holding one. */
  private localFunction(node: Node, scope: Node): FunctionNode | undefined {
    let current = unwrap(node);
    let currentScope = scope;
    for (let depth = 0; depth < MAX_VALUE_DEPTH; depth++) {
      if (isFunction(current)) return current;
      if (current.type !== T.Identifier) return undefined;
      const binding = this.facts.resolve(current.name, currentScope);
      if (binding?.kind === "function" && isFunction(binding.node)) return binding.node;
      if (binding?.kind !== "var" || !binding.init) return undefined;
      current = unwrap(binding.init);
      currentScope = binding.scope;
    }
    return undefined;
  }

  /** The function a same-file middleware wraps: `const signed = createMiddleware(async (c, next) => …)`. */
  private wrappedFunction(node: Node, scope: Node): FunctionNode | undefined {
    let current = unwrap(node);
    let currentScope = scope;
    for (let depth = 0; current.type === T.Identifier && depth < MAX_VALUE_DEPTH; depth++) {
      const binding = this.facts.resolve(current.name, currentScope);
      if (binding?.kind !== "var" || !binding.init) return undefined;
      current = unwrap(binding.init);
      currentScope = binding.scope;
    }
    if (current.type !== T.CallExpression) return undefined;
    const argument = current.arguments.find((a) => isFunction(unwrap(a)));
    return argument && (unwrap(argument) as FunctionNode);
  }

  // -------------------------------------------------------------------------------
  // The request body.
  // -------------------------------------------------------------------------------

  /**
   * Does the value come from the request body? `req.body`, `ctx.request.body`, `await req.json()`,
   * `await request.formData()`, Hono's `c.req.valid("json")`, a schema's `parse()` of one, a member
   * of one (`req.body.user`, `parsed.data`), a constant holding one, a NestJS `@Body()` parameter.
   */
  private isRequestBody(node: Node, scope: Node, depth: number): boolean {
    if (depth > MAX_VALUE_DEPTH) return false;
    const value = unwrapAwait(node);
    switch (value.type) {
      case T.MemberExpression:
        return propertyName(value) === "body" || this.isRequestBody(value.object, scope, depth + 1);
      case T.CallExpression: {
        const callee = unwrap(value.callee);
        const method = callee.type === T.MemberExpression ? propertyName(callee) : undefined;
        if ((method === "json" || method === "formData") && value.arguments.length === 0) return true;
        if (method === "valid") return true;
        if (method !== undefined && PARSERS.has(method) && value.arguments[0])
          return this.isRequestBody(value.arguments[0], scope, depth + 1);
        return false;
      }
      case T.Identifier: {
        const binding = this.facts.resolve(value.name, scope);
        if (binding?.kind === "var" && binding.init) return this.isRequestBody(binding.init, binding.scope, depth + 1);
        return binding?.kind === "param" && hasBodyDecorator(binding.node);
      }
      default:
        return false;
    }
  }

  /** A NestJS `@Body() dto: CreateUserDto` whose class, declared in this file, has a `password` field. */
  private bodyParameterHasPassword(fn: FunctionNode): boolean {
    for (const param of fn.params) {
      if (!hasBodyDecorator(param)) continue;
      const type = typeAnnotationName(param);
      const binding = type && !type.path.includes(".") ? this.facts.resolve(type.path, fn) : undefined;
      const cls = binding?.kind === "class" ? binding.node : undefined;
      if (!isClass(cls)) continue;
      if ([...PASSWORD_KEYS].some((key) => this.facts.classMembers(cls, key).length > 0)) return true;
    }
    return false;
  }

  /** A body schema with a password field: `z.object({ password: z.string() })`, JSON schema `properties: { password }`. */
  private schemaHasPassword(node: Node, scope: Node): boolean {
    let current = unwrap(node);
    let currentScope = scope;
    for (let depth = 0; current.type === T.Identifier && depth < MAX_VALUE_DEPTH; depth++) {
      const binding = this.facts.resolve(current.name, currentScope);
      if (binding?.kind !== "var" || !binding.init) return false;
      current = unwrap(binding.init);
      currentScope = binding.scope;
    }
    return entriesWithin(this.keyed(), current).some(
      ({ node: keyed, parent }) => keyed.type === T.Property && parent?.type === T.ObjectExpression,
    );
  }
}

/** Schema and validation calls that return what they are given, checked: `schema.parse(body)`. */
const PARSERS = new Set(["parse", "parseAsync", "safeParse", "safeParseAsync", "validate", "validateSync", "cast"]);

function endsWith(names: readonly string[], tail: readonly string[]): boolean {
  if (names.length < tail.length) return false;
  const offset = names.length - tail.length;
  return tail.every((name, i) => names[offset + i] === name);
}

function withoutThis(path: string): string {
  return path.startsWith("this.") ? path.slice(5) : path;
}

/** `@Body()`, `@Body("user")` on a parameter. */
function hasBodyDecorator(param: Node): boolean {
  const decorators = "decorators" in param ? (param.decorators as TSESTree.Decorator[] | undefined) : undefined;
  return (decorators ?? []).some((d) => {
    const expression = unwrap(d.expression);
    const callee = expression.type === T.CallExpression ? unwrap(expression.callee) : expression;
    return callee.type === T.Identifier && callee.name === "Body";
  });
}

/** `hash(password, 8)`, `this.hashPassword(dto.password)`: a hashing function given something named a password. */
function hashesPasswordByName(call: TSESTree.CallExpression): boolean {
  const callee = unwrap(call.callee);
  const name =
    callee.type === T.Identifier ? callee.name : callee.type === T.MemberExpression ? propertyName(callee) : undefined;
  if (name === undefined || !HASH_NAMES.has(name)) return false;
  const first = call.arguments[0];
  if (!first || first.type === T.SpreadElement) return false;
  const last = memberNames(first).at(-1);
  return last !== undefined && PASSWORD_NAME.test(last);
}
