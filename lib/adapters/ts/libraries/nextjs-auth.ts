/**
 * Session checks inside Next.js handlers, server actions and middleware, where Next.js
 * apps put their authorization: which calls read the caller's session (next-auth / Auth.js,
 * Clerk, Auth0, Supabase, Lucia, iron-session, Better Auth, or a project's own
 * `getCurrentUser()`), which calls assert one (`auth.protect()`, `requireUser()`), which
 * wrappers around a handler check one, and whether a function turns a caller without one
 * away before it writes.
 *
 * A check protects a point of a function (a write, a response) when it dominates it:
 * it stands earlier in a statement list that leads down to the point, and either exits
 * when there is no session (`if (!session) return 401`, `redirect("/login")`, `throw`), or
 * the point lies in the branch taken only with one (`if (session) { … }`). A check that
 * only logs, or a session read optionally (`session?.user?.id ?? null`), protects nothing.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { DataOperation, ImportedFunction, Protection, Requirement } from "../../../core/model.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import { lowerBound } from "../../../core/adapter-utils.js";
import {
  isFunction,
  locOf,
  memberNames,
  memberPath,
  nameWords,
  propertyName,
  staticString,
  unwrap,
  unwrapAwait,
  type FunctionNode,
  type Node,
  returnedFunction,
} from "../ast.js";
import { signatureWrappers } from "../concerns/request-checks.js";
import { authNameVerdict } from "../concerns/auth-middleware.js";
import type { DataLayer } from "../concerns/data-layer.js";
import type { Collected, FileFacts } from "../facts.js";
import type { Handlers } from "../handlers.js";
import { exportPath, isPackage, matches, originOf, type ImportSpecifier, type Origin } from "../imports.js";

/** Node types this pass reads from the walk. */
export const SESSION_NODE_TYPES: readonly string[] = [
  T.CallExpression,
  T.VariableDeclarator,
  T.ReturnStatement,
  T.IfStatement,
];

// ---------------------------------------------------------------------------------
// Library knowledge.
// ---------------------------------------------------------------------------------

const pkg = (name: string, exports: string | readonly string[]): ImportSpecifier => ({
  from: "package",
  package: name,
  name: exports,
});

/** Calls that return the caller's session or user, `null`/empty without one. */
const SESSION_SOURCES: readonly ImportSpecifier[] = [
  pkg("next-auth", "getServerSession"),
  pkg("next-auth/next", "getServerSession"),
  pkg("next-auth/react", "getSession"),
  pkg("next-auth/jwt", "getToken"),
  pkg("@clerk/nextjs/server", ["auth", "currentUser", "getAuth"]),
  pkg("@clerk/nextjs", ["auth", "currentUser", "getAuth"]),
  pkg("@auth0/nextjs-auth0", "getSession"),
  pkg("@auth0/nextjs-auth0/edge", "getSession"),
  pkg("iron-session", ["getIronSession", "getServerActionIronSession"]),
];

/** Calls that end the request themselves without a session: Clerk's `auth.protect()`. */
const ASSERTIONS: readonly ImportSpecifier[] = [
  pkg("@clerk/nextjs/server", ["auth.protect", "auth.().protect"]),
  pkg("@clerk/nextjs", ["auth.protect", "auth.().protect"]),
];

/** Wrappers around a handler that answer 401 without a session. */
const DENYING_WRAPPERS: readonly ImportSpecifier[] = [
  pkg("@auth0/nextjs-auth0", "withApiAuthRequired"),
  pkg("@auth0/nextjs-auth0/edge", "withApiAuthRequired"),
];

/** Wrappers that only hand the session to the handler, as a member of the request. */
const ATTACHING_WRAPPERS: readonly { specifier: ImportSpecifier; member: string }[] = [
  { specifier: pkg("iron-session/next", "withIronSessionApiRoute"), member: "session" },
];

/** The auth libraries' own route handlers (sign-in, callbacks, sign-out): public by design, not the app's endpoints. */
export const AUTH_LIBRARY_HANDLERS: readonly ImportSpecifier[] = [
  pkg("next-auth", "default"),
  pkg("next-auth/next", "default"),
  pkg("@auth0/nextjs-auth0", "handleAuth"),
  pkg("better-auth/next-js", "toNextJsHandler"),
  pkg("@clerk/nextjs", "authMiddleware"),
];

/** Calls that never return (they throw for Next.js to answer): an exit like `return` or `throw`. */
const NEVER_RETURNS: readonly ImportSpecifier[] = [
  pkg("next/navigation", ["redirect", "permanentRedirect", "notFound", "unauthorized", "forbidden"]),
];
const NEVER_RETURNING_NAMES = new Set(["redirect", "permanentRedirect", "notFound", "unauthorized", "forbidden"]);

/** Member calls that read a session from a client object: `supabase.auth.getUser()`, `auth.api.getSession()`, `auth0.getSession()`, `lucia.validateSession()`. */
const SESSION_METHODS = new Set([
  "getSession",
  "getServerSession",
  "getUser",
  "getClaims",
  "currentUser",
  "getCurrentUser",
  "getAuth",
  "validateRequest",
  "validateSession",
]);
/** The objects those methods must be called on: an auth client, by any of its names. */
const AUTH_CLIENT = /auth|session|supabase|clerk|lucia|kinde|iron|^api$/i;

/** Words that make a call read the caller's identity (`getCurrentUser`, `getServerAuthSession`, `auth`, `validateRequest`). */
const IDENTITY_WORDS = new Set([
  "session",
  "current",
  "auth",
  "authed",
  "authenticated",
  "viewer",
  "me",
  "loggedin",
  "signedin",
  "principal",
  "whoami",
  "claims",
]);
/** Words that name a user, which read the caller only without an id argument (`getUser()`, not `getUser(id)`). */
const USER_WORDS = new Set(["user", "userid", "account"]);
/** First words of calls that change sessions rather than read them (`createSession`, `deleteSession`). */
const SESSION_CHANGING_VERBS = new Set([
  "create",
  "delete",
  "destroy",
  "update",
  "set",
  "clear",
  "invalidate",
  "revoke",
  "sign",
  "login",
  "logout",
  "signin",
  "signout",
  "save",
  "remove",
  "refresh",
  "issue",
  "generate",
  "encrypt",
  "write",
  "store",
  "start",
  "end",
]);
/** First words of a call that asserts a session and ends the request without one (`requireUser`, `verifySession`). */
const ASSERTING_VERBS = new Set([
  "require",
  "requires",
  "ensure",
  "assert",
  "verify",
  "validate",
  "check",
  "protect",
  "enforce",
  "must",
  "authorize",
  "authorise",
  "authenticate",
  "guard",
  "restrict",
]);
/** Words that make a wrapper or action client authenticated by name (`withAuth`, `authActionClient`, `protectedProcedure`). */
const AUTHENTICATED_WORDS = new Set([
  "auth",
  "authed",
  "authenticated",
  "protected",
  "private",
  "admin",
  "signedin",
  "apikey",
]);
const SOFT_WORDS = new Set(["optional", "maybe", "public", "anonymous", "anon", "guest", "soft"]);

/** Variables that hold a session in a function named to assert one (`verifySession` decrypting its own cookie). */
const SESSION_VARIABLE = /^(session|user|currentUser|claims|payload|token|viewer|me)$/;
/** Cookies a middleware reads a session from. */
const SESSION_COOKIE = /session|token|auth|jwt|sid/i;
/** Request parameters, for `getUserFromRequest(req)`. */
const REQUEST_ARGUMENT = /^(req|request|event|ctx|context|headers|cookies)$/;

const MAX_DEPTH = 4;
/** Statement lists followed down from a function body to a point. */
const MAX_SPINE = 64;
/** Nodes of one `if` test looked at. */
const MAX_TEST_NODES = 64;

// ---------------------------------------------------------------------------------
// Checks.
// ---------------------------------------------------------------------------------

/** `absent`: the test holds when there is no session (or the role does not match); `present`: when there is one. */
interface Check {
  when: "absent" | "present";
  /** Joined with a condition that is not about the session (`!token && pathname.startsWith("/admin")`). */
  conditional: boolean;
  requirement?: Requirement;
  source: string;
}

/** A session check that protects what comes after it (`rest`) or one branch of its `if`. */
export interface Guard {
  name: string;
  requirement?: Requirement;
  node: Node;
  imported?: ImportedFunction;
  /** A verified request signature rather than a session (a signed webhook). */
  kind?: "signature";
}

interface IfGuards {
  /** The check when its consequent exits without a session: it covers the rest of its list. */
  rest?: Guard;
  consequent?: Guard;
  alternate?: Guard;
  /** The consequent is the branch taken without a session: a point there is the denial itself. */
  denies: "consequent" | "alternate" | undefined;
  /** A check that holds only under another condition too. */
  partial?: Guard;
}

/** How a function is read: a route handler exits with any `return`; a middleware only with an answer other than `NextResponse.next()`. */
export type Mode = "handler" | "middleware";

/** `req.auth` under Auth.js's `auth(handler)`, `req.session` under iron-session's wrapper. */
export interface Attached {
  member: string;
  source: string;
}

/** What a function's session checks establish for a set of points in it. */
export interface Coverage {
  protections: Protection[];
  imported: ImportedFunction[];
  dataOperations: DataOperation[];
}

interface Context {
  fn: FunctionNode;
  mode: Mode;
  attached?: Attached;
  /** Names bound to a session, a part of it or a test of it, with the source; `error` ones hold when there is none. */
  names: Map<string, SessionName>;
  /** Names of the first parameter (the request), for `attached`. */
  request?: string;
  ifs: Map<TSESTree.IfStatement, IfGuards>;
  lists: Map<readonly Node[], (Guard | undefined)[]>;
}

type Verdict = { covered: Guard } | { exempt: true } | undefined;

/** A name bound to the session: `session`, `userId`, `error` (holds without one), `isAdmin` (a role test). */
interface SessionName {
  source: string;
  error: boolean;
  requirement?: Requirement;
}

export class SessionChecks {
  private readonly contexts = new Map<string, Map<FunctionNode, Context>>();
  private readonly localAssertions = new Map<FunctionNode, Guard | null>();
  private readonly localSources = new Map<FunctionNode, string | null>();
  private readonly helperOps = new Map<FunctionNode, DataOperation[]>();
  private depth = 0;

  constructor(
    private readonly facts: FileFacts,
    private readonly settings: ResolvedSettings,
    private readonly handlers: Handlers,
    private readonly data: DataLayer,
  ) {}

  /**
   * The data operations of `fn` (in `region`, default the whole function) and the session
   * checks that every write passes; without writes, every response (`return`).
   */
  coverage(fn: FunctionNode, options: { region?: Node; attached?: Attached; mode?: Mode } = {}): Coverage {
    const context = this.context(fn, options.mode ?? "handler", options.attached);
    const region = options.region ?? fn.body;
    const operations = this.operations(region);
    const writes = operations.filter((o) => o.op.kind !== "read").map((o) => o.at);
    const points = writes.length > 0 ? writes : this.responsePoints(context, region);
    const guards = new Set<Guard>();
    let uncovered = false;
    for (const point of points) {
      const verdict = this.verdict(context, point);
      if (verdict && "covered" in verdict) guards.add(verdict.covered);
      else if (!verdict) uncovered = true;
    }
    const seen = new Set<DataOperation>();
    const dataOperations = operations
      .map((o) => o.op)
      .filter((op) => !seen.has(op) && seen.add(op))
      .sort((a, b) => a.loc.start.line - b.loc.start.line || a.loc.start.column - b.loc.start.column);
    if (uncovered || guards.size === 0) return { protections: [], imported: [], dataOperations };
    const list = [...guards];
    return {
      protections: list.map((g) => protection(g)),
      imported: list.flatMap((g) => (g.imported ? [g.imported] : [])),
      dataOperations,
    };
  }

  /**
   * How a middleware function turns requests away: `all` when a check covers its end,
   * `some` when a check holds only under a condition or in a branch, otherwise undefined.
   */
  middlewareProtection(
    fn: FunctionNode,
    attached?: Attached,
  ): { protects: "all" | "some"; guard: Guard; conditionNode?: Node } | undefined {
    const context = this.context(fn, "middleware", attached);
    const points = this.responsePoints(context, fn.body);
    // Falling off the end passes the request on, like `NextResponse.next()`.
    const statements = statementsOf(fn.body);
    const last = statements[statements.length - 1];
    if (fn.body.type === T.BlockStatement && (!last || !this.exits(context, last))) points.push(fn.body.range[1] - 1);
    let uncovered = false;
    let first: Guard | undefined;
    for (const point of points) {
      const verdict = this.verdict(context, point);
      if (verdict && "covered" in verdict) first ??= verdict.covered;
      else if (!verdict) uncovered = true;
    }
    if (first && !uncovered) return { protects: "all", guard: first };
    const partial = this.anyGuard(context);
    return partial ? { protects: "some", guard: partial.guard, conditionNode: partial.node } : undefined;
  }

  /** Does a function check a session at its top and exit without one (`async ({ next }) => { if (!session) throw …; return next() }`)? */
  guardsItsBody(fn: FunctionNode, attached?: Attached): Guard | undefined {
    if (fn.body.type !== T.BlockStatement) return undefined;
    const context = this.context(fn, "handler", attached);
    // A body wrapped in `try { … } catch` checks inside it: the catch only reports.
    const statements = fn.body.body.flatMap((s) => (s.type === T.TryStatement ? s.block.body : [s]));
    const guards = this.listGuards(context, statements);
    return guards.find((g) => g !== undefined);
  }

  /**
   * A wrapper that hands a checking middleware of this file to the helper it returns:
   * `export function withAuth(handler) { return withMiddleware(handler, authMiddleware); }`,
   * where `authMiddleware` reads the session and answers 401 without one.
   */
  passesCheckingMiddleware(fn: FunctionNode): Guard | undefined {
    const returned: Node[] = [];
    if (fn.body.type !== T.BlockStatement) returned.push(unwrapAwait(fn.body));
    else
      for (const statement of fn.body.body.flatMap((s) => (s.type === T.IfStatement ? [s.consequent] : [s]))) {
        const inner = statement.type === T.BlockStatement ? statement.body : [statement];
        for (const s of inner) if (s.type === T.ReturnStatement && s.argument) returned.push(unwrapAwait(s.argument));
      }
    for (const value of returned) {
      if (value.type !== T.CallExpression) continue;
      for (const arg of value.arguments) {
        const a = unwrap(arg);
        // `return withError(scope, async (request) => { await validateApiKey(request); … })`
        if (isFunction(a)) {
          const guard = this.guardsItsBody(a);
          if (guard) return guard;
          continue;
        }
        if (a.type !== T.Identifier) continue;
        const middleware = this.localFunction(a.name, fn);
        const guard = middleware && middleware !== fn ? this.guardsItsBody(middleware) : undefined;
        if (guard) return { ...guard, name: a.name };
      }
    }
    return undefined;
  }

  /** A call that asserts a session itself (`auth.protect()`, `await requireUser()`), with what it requires. */
  assertion(expr: Node, scope: Node): Guard | undefined {
    const call = unwrapAwait(expr);
    if (call.type !== T.CallExpression) return undefined;
    const callee = unwrap(call.callee);
    const origin = originOf(this.facts, callee, scope);
    if (origin && ASSERTIONS.some((s) => matches(origin, s)))
      return { name: memberPath(callee) ?? "auth.protect", node: call, ...requirementOf(call) };
    if (this.isClerkCallbackProtect(callee, scope)) return { name: "auth.protect", node: call, ...requirementOf(call) };
    const name =
      callee.type === T.Identifier ? callee.name : callee.type === T.MemberExpression ? memberPath(callee) : undefined;
    if (name === undefined) return undefined;
    if (this.settings.auth(name)) return { name, node: call };
    if (callee.type !== T.Identifier) return undefined;
    const local = this.localFunction(callee.name, scope);
    // A same-file middleware that answers 401 itself (`const authReq = await authMiddleware(req)`).
    if (!isAssertingName(name) && !(local && AUTH_STEP_NAME.test(name))) return undefined;
    if (local) {
      const inner = this.localAssertion(local);
      return inner ? { name, node: call, ...(inner.requirement ? { requirement: inner.requirement } : {}) } : undefined;
    }
    const binding = this.facts.resolve(callee.name, scope);
    if (binding?.kind === "import" && isPackage(binding.source)) return undefined;
    const imported = origin && !isPackage(origin.module) ? importedFunction("guard", name, origin, callee) : undefined;
    // Defined elsewhere: its name says what it requires (`requireAdmin`).
    const requirement = requirementOfNames([name]);
    return { name, node: call, ...(requirement ? { requirement } : {}), ...(imported ? { imported } : {}) };
  }

  /** `auth.protect()` / `auth().protect()` on the `auth` parameter of Clerk's `clerkMiddleware((auth, req) => …)`. */
  private isClerkCallbackProtect(callee: Node, scope: Node): boolean {
    if (callee.type !== T.MemberExpression || propertyName(callee) !== "protect") return false;
    let owner = unwrapAwait(callee.object);
    if (owner.type === T.CallExpression) owner = unwrap(owner.callee);
    if (owner.type !== T.Identifier || owner.name !== "auth") return false;
    return this.facts.resolve(owner.name, scope)?.kind === "param";
  }

  /** The session a call reads, by the name of its source; undefined when it reads none. */
  sessionSource(call: TSESTree.CallExpression, scope: Node, mode: Mode = "handler"): string | undefined {
    const callee = unwrap(call.callee);
    const origin = originOf(this.facts, callee, scope);
    if (origin && SESSION_SOURCES.some((s) => matches(origin, s))) return memberPath(callee) ?? exportPath(origin);
    if (origin && isPackage(origin.module) && callee.type === T.Identifier) return undefined;
    if (callee.type === T.MemberExpression) {
      const method = propertyName(callee);
      if (method === undefined) return undefined;
      if (SESSION_METHODS.has(method)) {
        const owner = memberNames(callee.object, unwrapAwait);
        if (owner.some((n) => AUTH_CLIENT.test(n)) || isCallChainOf(callee.object, AUTH_CLIENT))
          return memberPath(callee) ?? method;
      }
      if (mode === "middleware" && (method === "get" || method === "has")) return this.cookieRead(call, callee);
      return undefined;
    }
    if (callee.type !== T.Identifier) return undefined;
    const name = callee.name;
    if (this.settings.auth(name)) return name;
    if (isSessionGetterName(name, call.arguments)) return name;
    const local = this.localFunction(name, scope);
    if (local && this.readsSession(local)) return name;
    return undefined;
  }

  /** A wrapper around a handler: what it establishes (a protection, a session on the request) and what it imports. */
  wrapper(
    call: TSESTree.CallExpression,
    scope: Node,
  ): { guard?: Guard; attached?: Attached; imported?: ImportedFunction } | undefined {
    const callee = unwrap(call.callee);
    const root = callee.type === T.Identifier ? callee : unwrap(this.facts.chainRoot(callee));
    if (root.type !== T.Identifier) return undefined;
    const name = root.name;
    if (this.settings.auth(name)) return { guard: { name, node: root } };
    const binding = this.facts.resolve(name, scope);
    if (binding && binding.kind !== "import") {
      // Defined here: what it does decides. An action client (`const authClient = baseClient.use(check)`)
      // whose checking middleware lives in another file is taken by its name.
      if (this.localWrapper(name, scope)) return { guard: { name, node: root } };
      const isClient = binding.kind === "var" && binding.init !== undefined && !isFunction(unwrap(binding.init));
      return isClient && isAuthenticatedWrapperName(name) ? { guard: { name, node: root } } : undefined;
    }
    const origin = originOf(this.facts, root, scope);
    if (origin) {
      if (DENYING_WRAPPERS.some((s) => matches(origin, s))) return { guard: { name, node: root } };
      if (signatureWrappers().some((s) => matches(origin, s)))
        return { guard: { name, node: root, kind: "signature" } };
      const attaching = ATTACHING_WRAPPERS.find((w) => matches(origin, w.specifier));
      if (attaching) return { attached: { member: attaching.member, source: name } };
      if (isPackage(origin.module)) return undefined;
      const imported = importedFunction("wrapper", name, origin, root);
      // Auth.js: `export const POST = auth((req) => …)` puts the session on `req.auth` and lets every request in.
      if (exportPath(origin) === "auth" && callee === root)
        return { imported, attached: { member: "auth", source: name } };
      return isAuthenticatedWrapperName(name) ? { imported, guard: { name, node: root, imported } } : { imported };
    }
    return !binding && isAuthenticatedWrapperName(name) ? { guard: { name, node: root } } : undefined;
  }

  // -------------------------------------------------------------------------------
  // Points and their dominating checks.
  // -------------------------------------------------------------------------------

  /** Data-layer calls in a region, and calls of same-file helpers that write, at the place the region makes them. */
  private operations(region: Node): { at: number; op: DataOperation }[] {
    const out: { at: number; op: DataOperation }[] = [];
    for (const site of this.facts.sitesWithin(this.facts.dataCalls, region)) {
      const op = this.data.classify(site);
      if (op) out.push({ at: site.call.range[0], op });
    }
    for (const site of this.facts.sitesWithin(this.facts.localCalls, region)) {
      const helper = this.localFunction((site.call.callee as TSESTree.Identifier).name, site.scope);
      if (!helper || (helper.range[0] <= region.range[0] && region.range[1] <= helper.range[1])) continue;
      if (region.range[0] <= helper.range[0] && helper.range[1] <= region.range[1]) continue;
      for (const op of this.helperOperations(helper)) out.push({ at: site.call.range[0], op });
    }
    return out;
  }

  private helperOperations(helper: FunctionNode): DataOperation[] {
    let ops = this.helperOps.get(helper);
    if (!ops) this.helperOps.set(helper, (ops = this.handlers.dataOperations([helper])));
    return ops;
  }

  /** The `return`s of the function in the region; without any, the last statement it runs. */
  private responsePoints(context: Context, region: Node): number[] {
    const returns = this.collectedWithin(T.ReturnStatement, region).filter((c) => c.scope === context.fn);
    // An early answer that does nothing else (`if (!env.SECRET) return NextResponse.json({ error }, { status: 503 })`)
    // is not a response the check must cover; the handler's other responses are.
    const early = context.mode === "handler" ? this.earlyAnswers(context) : new Set<Node>();
    const answers = returns.filter((c) => !early.has(c.node));
    if (answers.length > 0) return answers.map((c) => c.node.range[0]);
    if (returns.length > 0) return returns.map((c) => c.node.range[0]);
    let list = statementsOf(region);
    for (let depth = 0; depth < MAX_SPINE && list.length > 0; depth++) {
      const last = list[list.length - 1];
      if (last.type === T.TryStatement) list = last.block.body;
      else if (last.type === T.BlockStatement) list = last.body;
      else return [last.range[0]];
    }
    return [];
  }

  /** The `return`s of the function body's top-level `if`s that only answer: a response built from plain values. */
  private earlyAnswers(context: Context): Set<Node> {
    const out = new Set<Node>();
    for (const statement of statementsOf(context.fn.body)) {
      if (statement.type !== T.IfStatement || statement.alternate) continue;
      const body = statementsOf(statement.consequent);
      const last = body[body.length - 1];
      if (last?.type === T.ReturnStatement && last.argument && isPlainAnswer(last.argument)) out.add(last);
    }
    return out;
  }

  /** Follows the statement lists from the function body down to `point`, looking for a check that dominates it. */
  private verdict(context: Context, point: number): Verdict {
    let list = statementsOf(context.fn.body);
    for (let depth = 0; depth < MAX_SPINE; depth++) {
      const { index, inside } = position(list, point);
      const before = index > 0 ? this.prefixGuards(context, list)[index - 1] : undefined;
      if (before) return { covered: before };
      if (!inside) return undefined;
      const statement = list[index];
      switch (statement.type) {
        case T.IfStatement: {
          const guards = this.ifGuards(context, statement);
          if (within(statement.consequent, point)) {
            if (guards.consequent) return { covered: guards.consequent };
            if (guards.denies === "consequent") return { exempt: true };
            list = statementsOf(statement.consequent);
          } else if (statement.alternate && within(statement.alternate, point)) {
            if (guards.alternate) return { covered: guards.alternate };
            if (guards.denies === "alternate") return { exempt: true };
            list = statementsOf(statement.alternate);
          } else return undefined;
          continue;
        }
        case T.BlockStatement:
          list = statement.body;
          continue;
        case T.TryStatement:
          if (within(statement.block, point)) list = statement.block.body;
          else if (statement.handler && within(statement.handler, point)) return { exempt: true };
          else if (statement.finalizer && within(statement.finalizer, point)) list = statement.finalizer.body;
          else return undefined;
          continue;
        case T.SwitchStatement: {
          const branch = statement.cases.find((c) => within(c, point));
          if (!branch) return undefined;
          list = branch.consequent.length === 1 ? statementsOf(branch.consequent[0]) : branch.consequent;
          continue;
        }
        case T.ForStatement:
        case T.ForInStatement:
        case T.ForOfStatement:
        case T.WhileStatement:
        case T.DoWhileStatement:
        case T.LabeledStatement:
          list = statementsOf(statement.body);
          continue;
        default:
          return undefined;
      }
    }
    return undefined;
  }

  /** For each statement of a list, the first check at or before it that covers the rest of the list. */
  private prefixGuards(context: Context, list: readonly Node[]): (Guard | undefined)[] {
    let prefix = context.lists.get(list);
    if (!prefix) {
      const own = this.listGuards(context, list);
      prefix = [];
      let first: Guard | undefined;
      for (const g of own) prefix.push((first ??= g));
      context.lists.set(list, prefix);
    }
    return prefix;
  }

  /** The check each statement of a list makes for the statements after it. */
  private listGuards(context: Context, list: readonly Node[]): (Guard | undefined)[] {
    return list.map((statement) => {
      switch (statement.type) {
        case T.IfStatement:
          return this.ifGuards(context, statement).rest;
        case T.ExpressionStatement:
          return this.assertion(statement.expression, context.fn);
        case T.VariableDeclaration:
          for (const d of statement.declarations) {
            const guard = d.init ? this.assertion(d.init, context.fn) : undefined;
            if (guard) return guard;
          }
          return undefined;
        default:
          return undefined;
      }
    });
  }

  private ifGuards(context: Context, statement: TSESTree.IfStatement): IfGuards {
    let guards = context.ifs.get(statement);
    if (guards) return guards;
    guards = { denies: undefined };
    const check = this.check(context, statement.test, 0, { count: 0 }) ?? this.denyingTest(context, statement);
    if (check) {
      const guard: Guard = {
        name: check.source,
        node: statement.test,
        ...(check.requirement ? { requirement: check.requirement } : {}),
      };
      if (check.conditional) {
        if (check.when === "absent" && this.exits(context, statement.consequent)) guards.partial = guard;
      } else if (check.when === "absent") {
        guards.denies = "consequent";
        if (this.exits(context, statement.consequent)) guards.rest = guard;
        if (statement.alternate) guards.alternate = guard;
      } else {
        guards.consequent = guard;
        if (statement.alternate) {
          guards.denies = "alternate";
          if (this.exits(context, statement.alternate)) guards.rest = guard;
        }
      }
    }
    context.ifs.set(statement, guards);
    return guards;
  }

  /**
   * Any other test whose branch answers 401/403 and leaves: the handler checks its caller
   * some way of its own (`if (!hasCronSecret(request)) return new Response("Unauthorized",
   * { status: 401 })`, an API key compared with a header). Named by what the test calls.
   */
  private denyingTest(context: Context, statement: TSESTree.IfStatement): Check | undefined {
    if (context.mode !== "handler" || statement.alternate || !this.exits(context, statement.consequent))
      return undefined;
    // The branch only answers: a few plain statements ending in the `return` or `throw` that denies.
    const body = statementsOf(statement.consequent);
    const exit = body[body.length - 1];
    if (
      !exit ||
      (exit.type !== T.ReturnStatement && exit.type !== T.ThrowStatement) ||
      body.length > 3 ||
      body.some((s) => s.type !== T.ExpressionStatement && s !== exit)
    )
      return undefined;
    let test = unwrapAwait(statement.test);
    while (test.type === T.UnaryExpression && test.operator === "!") test = unwrapAwait(test.argument);
    const callee = test.type === T.CallExpression ? unwrap(test.callee) : undefined;
    const source =
      callee?.type === T.Identifier
        ? callee.name
        : callee?.type === T.MemberExpression
          ? memberPath(callee)
          : undefined;
    // Without a 401/403, a check named for the caller's credentials (`isValidInternalApiKey`) still counts.
    if (!this.facts.hasDenySignalWithin(exit) && !(source && CREDENTIAL_TEST.test(source))) return undefined;
    return { source: source ?? "401/403 check", when: "absent", conditional: false };
  }

  /** A check anywhere in a middleware function: under a path condition, or in one branch. */
  private anyGuard(context: Context): { guard: Guard; node: Node } | undefined {
    for (const c of this.collectedWithin(T.IfStatement, context.fn.body)) {
      if (c.scope !== context.fn) continue;
      const guards = this.ifGuards(context, c.node as TSESTree.IfStatement);
      const guard = guards.rest ?? guards.partial;
      if (guard) return { guard, node: c.node };
    }
    for (const c of this.collectedWithin(T.CallExpression, context.fn.body)) {
      if (c.scope !== context.fn) continue;
      const guard = this.assertion(c.node, context.fn);
      if (guard) return { guard, node: c.node };
    }
    return undefined;
  }

  /** Does the statement leave the function (or, in a middleware, answer instead of passing the request on)? */
  private exits(context: Context, statement: Node): boolean {
    switch (statement.type) {
      case T.ReturnStatement:
        return context.mode === "handler" || (statement.argument != null && !isPassOn(statement.argument));
      case T.ThrowStatement:
        return true;
      case T.ExpressionStatement:
        return this.neverReturns(statement.expression, context.fn);
      case T.BlockStatement:
        return statement.body.some((s) => this.exits(context, s));
      case T.IfStatement:
        return (
          statement.alternate != null &&
          this.exits(context, statement.consequent) &&
          this.exits(context, statement.alternate)
        );
      default:
        return false;
    }
  }

  /** `redirect("/login")`, `notFound()`, `unauthorized()` from next/navigation; Clerk's `redirectToSignIn()`. */
  private neverReturns(expr: Node, scope: Node): boolean {
    const call = unwrapAwait(expr);
    if (call.type !== T.CallExpression) return false;
    const callee = unwrap(call.callee);
    const name =
      callee.type === T.Identifier
        ? callee.name
        : callee.type === T.MemberExpression
          ? propertyName(callee)
          : undefined;
    if (name === "redirectToSignIn") return true;
    if (callee.type !== T.Identifier || !NEVER_RETURNING_NAMES.has(callee.name)) return false;
    const origin = originOf(this.facts, callee, scope);
    return origin ? NEVER_RETURNS.some((s) => matches(origin, s)) : !this.facts.resolve(callee.name, scope);
  }

  // -------------------------------------------------------------------------------
  // What a test says about the session.
  // -------------------------------------------------------------------------------

  private check(context: Context, expr: Node, depth: number, budget: { count: number }): Check | undefined {
    if (depth > MAX_DEPTH * 4 || ++budget.count > MAX_TEST_NODES) return undefined;
    const e = unwrap(expr);
    switch (e.type) {
      case T.AwaitExpression:
        return this.check(context, e.argument, depth + 1, budget);
      case T.UnaryExpression:
        if (e.operator !== "!") return undefined;
        return invert(this.check(context, e.argument, depth + 1, budget));
      case T.LogicalExpression: {
        if (e.operator === "??") return undefined;
        const left = this.check(context, e.left, depth + 1, budget);
        const right = this.check(context, e.right, depth + 1, budget);
        return e.operator === "||" ? either(left, right) : both(left, right);
      }
      case T.BinaryExpression:
        return this.comparison(context, e);
      case T.CallExpression:
        return this.callCheck(context, e, depth, budget);
      default: {
        const ref = this.sessionRef(context, e);
        if (!ref) return undefined;
        const requirement = ref.requirement ?? requirementOfNames(memberNames(e, unwrapAwait));
        return {
          when: ref.error ? "absent" : "present",
          conditional: false,
          source: ref.source,
          ...(requirement ? { requirement } : {}),
        };
      }
    }
  }

  /** `session == null`, `typeof user === "undefined"`, `session.user.role !== "ADMIN"`. */
  private comparison(context: Context, e: TSESTree.BinaryExpression): Check | undefined {
    const equal = e.operator === "===" || e.operator === "==";
    if (!equal && e.operator !== "!==" && e.operator !== "!=") return undefined;
    const sides = [e.left, e.right].map((s) => unwrap(s));
    for (const [i, side] of sides.entries()) {
      const other = sides[1 - i];
      const typeOf = side.type === T.UnaryExpression && side.operator === "typeof";
      const operand = typeOf ? unwrap(side.argument) : side;
      const ref = this.sessionRef(context, operand) ?? this.sessionCall(context, operand);
      if (!ref) continue;
      const empty = typeOf ? staticString(other) === "undefined" : isNullish(other);
      const names = memberNames(operand, unwrapAwait);
      const requirement = empty ? undefined : (requirementOfNames(names) ?? (isRoleValue(other) ? "role" : undefined));
      // Comparing an id with another (`session.user.id !== params.id`) is an ownership check, still a session check.
      const absentWhenEqual = empty !== ref.error;
      const when: Check["when"] = equal === absentWhenEqual ? "absent" : "present";
      return { when, conditional: false, source: ref.source, ...(requirement ? { requirement } : {}) };
    }
    return undefined;
  }

  /** `await auth()` in a test, `isAdmin(session)`, `session.user.roles.includes("admin")`, `await isAuthenticated()`. */
  private callCheck(
    context: Context,
    call: TSESTree.CallExpression,
    depth: number,
    budget: { count: number },
  ): Check | undefined {
    const direct = this.sessionCall(context, call);
    if (direct) return { when: "present", conditional: false, source: direct.source };
    const callee = unwrap(call.callee);
    const name =
      callee.type === T.Identifier
        ? callee.name
        : callee.type === T.MemberExpression
          ? propertyName(callee)
          : undefined;
    const mentioned = [
      ...(callee.type === T.MemberExpression ? [callee.object] : []),
      ...call.arguments.filter((a) => a.type !== T.SpreadElement),
    ]
      .map((a) => this.sessionRef(context, unwrap(a)) ?? this.check(context, a, depth + 1, budget))
      .find((r) => r !== undefined);
    if (mentioned) {
      const requirement =
        requirementOfNames([
          ...(name ? nameWords(name) : []),
          ...call.arguments.flatMap((a) => (staticString(a) ? [staticString(a)!] : [])),
          ...(callee.type === T.MemberExpression ? memberNames(callee.object, unwrapAwait) : []),
        ]) ?? (name === "includes" && call.arguments.some((a) => isRoleValue(unwrap(a))) ? "role" : undefined);
      return { when: "present", conditional: false, source: mentioned.source, ...(requirement ? { requirement } : {}) };
    }
    // `await isAuthenticated()`, `isSignedIn()`: a predicate about the caller.
    if (name !== undefined && /^(is|has)/.test(name) && authNameVerdict(name) === "auth" && call.arguments.length === 0)
      return { when: "present", conditional: false, source: name };
    return undefined;
  }

  private sessionCall(context: Context, node: Node): SessionName | undefined {
    const n = unwrapAwait(node);
    if (n.type !== T.CallExpression) return undefined;
    const source = this.sessionSource(n, context.fn, context.mode);
    return source === undefined ? undefined : { source, error: false };
  }

  /** Is the expression the session, or a part of it (`session`, `session?.user?.id`, `userId`, `req.auth`)? */
  private sessionRef(context: Context, node: Node): SessionName | undefined {
    let current = unwrapAwait(node);
    let afterRoot = 0;
    while (current.type === T.MemberExpression) {
      const object = unwrapAwait(current.object);
      if (
        context.attached &&
        object.type === T.Identifier &&
        object.name === context.request &&
        propertyName(current) === context.attached.member
      )
        return { source: `${context.request}.${context.attached.member}`, error: false };
      current = object;
      afterRoot++;
    }
    if (current.type === T.Identifier) {
      const named = context.names.get(current.name);
      return named && { ...named, error: named.error && afterRoot === 0 };
    }
    if (current.type === T.CallExpression) return this.sessionCall(context, current);
    return undefined;
  }

  // -------------------------------------------------------------------------------
  // Per-function facts.
  // -------------------------------------------------------------------------------

  private context(fn: FunctionNode, mode: Mode, attached: Attached | undefined, loose = false): Context {
    const key = `${mode}|${attached?.member ?? ""}|${loose ? "loose" : ""}`;
    let byFn = this.contexts.get(key);
    if (!byFn) this.contexts.set(key, (byFn = new Map<FunctionNode, Context>()));
    let context = byFn.get(fn);
    if (context) return context;
    const first = fn.params[0];
    const request = first?.type === T.Identifier ? first.name : undefined;
    context = {
      fn,
      mode,
      names: new Map(),
      ifs: new Map(),
      lists: new Map(),
      ...(attached ? { attached } : {}),
      ...(request !== undefined ? { request } : {}),
    };
    byFn.set(fn, context);
    for (const c of this.collectedWithin(T.VariableDeclarator, fn.body)) {
      if (c.scope !== fn) continue;
      const d = c.node as TSESTree.VariableDeclarator;
      // `let session; try { session = await auth(); } catch { … }`: the session the assignment reads.
      const assigned =
        !d.init && d.id.type === T.Identifier
          ? this.facts.assignments.get(d.id.name)?.find((a) => a.scope === fn)?.value
          : undefined;
      const value = d.init ?? assigned;
      if (!value) continue;
      const init = unwrap(value);
      const direct =
        init.type === T.CallExpression || init.type === T.AwaitExpression ? this.sessionCall(context, init) : undefined;
      const derived = direct ?? (isReadOnlyAccess(init) ? this.sessionRef(context, init) : undefined);
      if (derived) {
        bindPattern(context.names, d.id, derived.source, derived.error);
        continue;
      }
      // `const isAuth = !!token`, `const isAdmin = session?.user.role === "admin"`: a test kept for later.
      const test = d.id.type === T.Identifier ? this.check(context, init, 0, { count: 0 }) : undefined;
      if (test && !test.conditional && d.id.type === T.Identifier)
        context.names.set(d.id.name, {
          source: test.source,
          error: test.when === "absent",
          ...(test.requirement ? { requirement: test.requirement } : {}),
        });
      else if (loose && d.id.type === T.Identifier && SESSION_VARIABLE.test(d.id.name))
        context.names.set(d.id.name, { source: d.id.name, error: false });
    }
    return context;
  }

  private collectedWithin(type: string, node: Node): Collected[] {
    const list = this.facts.collected.get(type) ?? [];
    const [start, end] = node.range;
    const out: Collected[] = [];
    for (let i = lowerBound(list, start, (c) => c.node.range[0]); i < list.length && list[i].node.range[0] < end; i++)
      out.push(list[i]);
    return out;
  }

  private localFunction(name: string, scope: Node): FunctionNode | undefined {
    const b = this.facts.resolve(name, scope);
    if (b?.kind === "function" && isFunction(b.node)) return b.node;
    if (b?.kind === "var" && b.init) {
      const init = unwrap(b.init);
      if (isFunction(init)) return init;
    }
    return undefined;
  }

  /** A same-file helper named to assert a session (`verifySession`): its check that exits without one, or its 401/403 answer. */
  private localAssertion(fn: FunctionNode): Guard | undefined {
    const known = this.localAssertions.get(fn);
    if (known !== undefined) return known ?? undefined;
    this.localAssertions.set(fn, null);
    if (this.depth >= MAX_DEPTH || fn.body.type !== T.BlockStatement) return undefined;
    this.depth++;
    let guard: Guard | undefined;
    try {
      const context = this.context(fn, "handler", undefined, true);
      guard =
        this.listGuards(context, fn.body.body).find((g) => g !== undefined) ??
        (this.facts.hasDenySignalWithin(fn.body) ? { name: fn.id?.name ?? "guard", node: fn } : undefined);
    } finally {
      this.depth--;
    }
    this.localAssertions.set(fn, guard ?? null);
    return guard;
  }

  /** A same-file function that reads the session and returns it or a part of it (`getViewer()`). */
  private readsSession(fn: FunctionNode): boolean {
    let source = this.localSources.get(fn);
    if (source !== undefined) return source !== null;
    this.localSources.set(fn, null);
    if (this.depth >= MAX_DEPTH) return false;
    this.depth++;
    try {
      source = null;
      for (const c of this.collectedWithin(T.CallExpression, fn.body)) {
        if (c.scope !== fn) continue;
        const found = this.sessionSource(c.node as TSESTree.CallExpression, fn);
        if (found !== undefined) {
          source = found;
          break;
        }
      }
    } finally {
      this.depth--;
    }
    this.localSources.set(fn, source);
    return source !== null;
  }

  /**
   * A same-file wrapper that checks a session: a function whose returned function does
   * (`withAuth(handler)`), or an action client built with a checking middleware
   * (`actionClient.use(async ({ next }) => { … })`).
   */
  private localWrapper(name: string, scope: Node): boolean {
    return this.actionClientGuard(name, scope) !== undefined;
  }

  /**
   * The check of a same-file wrapper or action client named `name`, if it has one: the
   * guard of a function whose returned function checks a session, or of the first middleware
   * (inline or a function of this file) in an action client's chain that does
   * (`createSafeActionClient().use(async ({ next }) => { … })`, `baseClient.use(requireUser)`).
   */
  actionClientGuard(name: string, scope: Node, depth = 0): Guard | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const b = this.facts.resolve(name, scope);
    const fn =
      b?.kind === "function" && isFunction(b.node)
        ? b.node
        : b?.kind === "var" && b.init && isFunction(unwrap(b.init))
          ? (unwrap(b.init) as FunctionNode)
          : undefined;
    if (fn) {
      const produced = returnedFunction(fn);
      return produced !== undefined ? this.guardsItsBody(produced) : undefined;
    }
    if (b?.kind !== "var" || !b.init) return undefined;
    // `const authActionClient = actionClient.use(async ({ next }) => { … })`
    let current = unwrap(b.init);
    for (let links = 0; links < 16; links++) {
      if (current.type === T.CallExpression) {
        for (const arg of current.arguments) {
          const a = unwrap(arg);
          const middleware = isFunction(a)
            ? a
            : a.type === T.Identifier
              ? this.localFunction(a.name, b.scope)
              : undefined;
          const guard = middleware && this.guardsItsBody(middleware);
          if (guard) return guard;
        }
        current = unwrap(current.callee);
      } else if (current.type === T.MemberExpression) current = unwrap(current.object);
      else break;
    }
    return current.type === T.Identifier && current.name !== name
      ? this.actionClientGuard(current.name, b.scope, depth + 1)
      : undefined;
  }

  /** `request.cookies.get("session")`, `cookies().get("auth-token")` in a middleware. */
  private cookieRead(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression): string | undefined {
    const cookie = staticString(call.arguments[0]);
    if (cookie === undefined || !SESSION_COOKIE.test(cookie)) return undefined;
    const owner = unwrapAwait(callee.object);
    const isCookies =
      (owner.type === T.MemberExpression && propertyName(owner) === "cookies") ||
      (owner.type === T.CallExpression &&
        unwrap(owner.callee).type === T.Identifier &&
        (unwrap(owner.callee) as TSESTree.Identifier).name === "cookies");
    return isCookies ? `cookies.get("${cookie}")` : undefined;
  }
}

// ---------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------

function protection(guard: Guard): Protection {
  return {
    name: guard.name,
    source: "route",
    loc: locOf(guard.node),
    ...(guard.requirement ? { requirement: guard.requirement } : {}),
    ...(guard.kind ? { kind: guard.kind } : {}),
  };
}

export function importedFunction(
  role: ImportedFunction["role"],
  name: string,
  origin: Origin,
  node: Node,
): ImportedFunction {
  return { role, name, module: origin.module, export: exportPath(origin), loc: locOf(node) };
}

function invert(check: Check | undefined): Check | undefined {
  return check && { ...check, when: check.when === "absent" ? "present" : "absent" };
}

function mergedRequirement(a: Check | undefined, b: Check | undefined): Requirement | undefined {
  return a?.requirement ?? b?.requirement;
}

/** `a || b`: holds without a session when either does. */
function either(a: Check | undefined, b: Check | undefined): Check | undefined {
  const requirement = mergedRequirement(a, b);
  const withRequirement = (c: Check): Check => (requirement ? { ...c, requirement } : c);
  if (a?.when === "absent" && !a.conditional) return withRequirement(a);
  if (b?.when === "absent" && !b.conditional) return withRequirement(b);
  if (a?.when === "present" && b?.when === "present")
    return withRequirement({ ...a, conditional: a.conditional || b.conditional });
  if (a && b) return undefined;
  // `session || isPreview`: present only under another condition.
  const one = a ?? b;
  return one?.when === "present"
    ? { ...one, conditional: true }
    : one?.when === "absent"
      ? { ...one, conditional: true }
      : undefined;
}

/** `a && b`: holds without a session only when both do; with one when either does. */
function both(a: Check | undefined, b: Check | undefined): Check | undefined {
  const requirement = mergedRequirement(a, b);
  const withRequirement = (c: Check): Check => (requirement ? { ...c, requirement } : c);
  if (a?.when === "present" && !a.conditional) return withRequirement(a);
  if (b?.when === "present" && !b.conditional) return withRequirement(b);
  if (a?.when === "absent" && b?.when === "absent")
    return withRequirement({ ...a, conditional: a.conditional || b.conditional });
  if (a && b) return undefined;
  const one = a ?? b;
  return one ? { ...one, conditional: true } : undefined;
}

function isNullish(node: Node): boolean {
  return (node.type === T.Literal && node.value === null) || (node.type === T.Identifier && node.name === "undefined");
}

const ROLE_WORDS = new Set([
  "role",
  "roles",
  "admin",
  "isadmin",
  "superuser",
  "staff",
  "moderator",
  "orgrole",
  "group",
  "groups",
]);
const POLICY_WORDS = new Set(["permission", "permissions", "scope", "scopes", "ability", "abilities", "policy", "can"]);

/** `session.user.role`, `isAdmin`, `hasPermission`: what a comparison or predicate requires. */
function requirementOfNames(names: readonly string[]): Requirement | undefined {
  const words = names.flatMap((n) => nameWords(n));
  if (words.some((w) => ROLE_WORDS.has(w))) return "role";
  if (words.some((w) => POLICY_WORDS.has(w))) return "policy";
  return undefined;
}

/** `"ADMIN"`, `Role.Admin`, `UserRole.ADMIN`: a role value on the other side of a comparison. */
function isRoleValue(node: Node): boolean {
  const value = staticString(node);
  if (value !== undefined) return /admin|owner|staff|moderator|editor|manager|superuser/i.test(value);
  if (node.type === T.MemberExpression) return /role/i.test(memberNames(node).join("."));
  return false;
}

/** What `auth.protect({ role: "org:admin" })`, `auth.protect((has) => has({ permission }))` require. */
function requirementOf(call: TSESTree.CallExpression): { requirement?: Requirement } {
  const arg = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  if (!arg) return {};
  if (arg.type === T.ObjectExpression) {
    const keys = arg.properties.flatMap((p) =>
      p.type === T.Property && p.key.type === T.Identifier ? [p.key.name] : [],
    );
    if (keys.includes("role")) return { requirement: "role" };
    if (keys.includes("permission")) return { requirement: "policy" };
  }
  if (isFunction(arg)) return { requirement: "role" };
  return {};
}

/** `NextResponse.next()`, `null`: a middleware passing the request on. */
function isPassOn(node: Node): boolean {
  const n = unwrapAwait(node);
  if (isNullish(n)) return true;
  if (n.type !== T.CallExpression) return false;
  const callee = unwrap(n.callee);
  return callee.type === T.MemberExpression && propertyName(callee) === "next";
}

/** `session?.user`, `session.user.id ?? null`: reading a part of a value without calling anything. */
function isReadOnlyAccess(node: Node): boolean {
  const n = unwrap(node);
  if (n.type === T.MemberExpression) return true;
  if (n.type === T.LogicalExpression) return isReadOnlyAccess(n.left);
  return false;
}

/** Binds the names of a declarator's pattern to the session: `const { data: { user }, error } = await supabase.auth.getUser()`. */
function bindPattern(names: Map<string, SessionName>, pattern: Node, source: string, error: boolean, depth = 0): void {
  if (depth > MAX_DEPTH) return;
  switch (pattern.type) {
    case T.Identifier:
      names.set(pattern.name, { source, error });
      return;
    case T.AssignmentPattern:
      bindPattern(names, pattern.left, source, error, depth + 1);
      return;
    case T.ObjectPattern:
      for (const p of pattern.properties) {
        if (p.type === T.RestElement) continue;
        const key = p.key.type === T.Identifier ? p.key.name : staticString(p.key);
        bindPattern(names, p.value, source, error || /^(error|err)$/.test(key ?? ""), depth + 1);
      }
      return;
    default:
      return;
  }
}

/** `(await createClient()).auth`: a chain whose call is named like an auth client factory (`createClient` of Supabase counts by the `.auth`). */
function isCallChainOf(node: Node, pattern: RegExp): boolean {
  let current = unwrapAwait(node);
  for (let i = 0; i < 8; i++) {
    if (current.type === T.MemberExpression) {
      const name = propertyName(current);
      if (name !== undefined && pattern.test(name)) return true;
      current = unwrapAwait(current.object);
    } else if (current.type === T.CallExpression) current = unwrapAwait(current.callee);
    else return false;
  }
  return false;
}

/** `getCurrentUser`, `getServerAuthSession`, `auth`, `validateRequest`; `getUser()` only without an id. */
export function isSessionGetterName(name: string, args: readonly Node[] = []): boolean {
  const words = nameWords(name);
  if (words.length === 0 || SESSION_CHANGING_VERBS.has(words[0])) return false;
  if (name === "validateRequest") return true;
  if (words.some((w) => IDENTITY_WORDS.has(w))) return authNameVerdict(name) !== "not-auth" || words[0] === "get";
  if (!words.some((w) => USER_WORDS.has(w)) || words.includes("by")) return false;
  return args.every((a) => {
    const n = unwrapAwait(a);
    if (n.type === T.Identifier) return REQUEST_ARGUMENT.test(n.name);
    if (n.type === T.CallExpression && n.callee.type === T.Identifier) return REQUEST_ARGUMENT.test(n.callee.name);
    return false;
  });
}

/** `requireUser`, `verifySession`, `ensureAdmin`, `checkAuth`: a call that ends the request without a session. */
/** A test of the caller's credentials by its name: `isValidInternalApiKey`, `hasCronSecret`, `verifySignature`, `isAuthenticated`. */
const CREDENTIAL_TEST =
  /^(?:is|has|checks?|verify|verifies|validate|valid)(?:[A-Z_]\w*)?(?:ApiKey|Secret|Token|Signature|Auth|Authenticated|Authorized|Credentials?)$/;

/** A same-file middleware or guard (`authMiddleware`, `emailAccountMiddleware`, `sessionGuard`), whose own 401/403 check counts where it is called. */
const AUTH_STEP_NAME = /^[a-z]\w*(?:Middleware|Guard)$|^auth(?:check)?$/;

export function isAssertingName(name: string): boolean {
  const words = nameWords(name);
  return words.length > 1 && ASSERTING_VERBS.has(words[0]) && authNameVerdict(name) === "auth";
}

/** `withAuth`, `authActionClient`, `protectedRoute`: a wrapper or action client named for authenticated callers. */
export function isAuthenticatedWrapperName(name: string): boolean {
  if (name === "auth") return false;
  const words = nameWords(name);
  if (words.some((w) => SOFT_WORDS.has(w))) return false;
  return authNameVerdict(name) === "auth" || words.some((w) => AUTHENTICATED_WORDS.has(w));
}

function statementsOf(node: Node): readonly Node[] {
  return node.type === T.BlockStatement ? node.body : [node];
}

function within(node: Node, point: number): boolean {
  return node.range[0] <= point && point < node.range[1];
}

/** Where a point lies in a list of statements (in source order): in statement `index`, or before it (`inside` false). */
function position(list: readonly Node[], point: number): { index: number; inside: boolean } {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].range[1] <= point) lo = mid + 1;
    else hi = mid;
  }
  return { index: lo, inside: lo < list.length && list[lo].range[0] <= point };
}

/** `NextResponse.json({ error: "…" }, { status: 503 })`, `new Response("Not configured", { status: 503 })`: an answer of plain values. */
function isPlainAnswer(node: Node): boolean {
  const n = unwrap(node);
  if (n.type !== T.CallExpression && n.type !== T.NewExpression) return false;
  const callee = unwrap(n.callee);
  const name =
    callee.type === T.Identifier ? callee.name : callee.type === T.MemberExpression ? memberPath(callee) : undefined;
  if (name === undefined || !/^(?:Next)?Response(?:\.json)?$/.test(name)) return false;
  return n.arguments.every((a) => isPlainValue(a, 0));
}

function isPlainValue(node: Node, depth: number): boolean {
  if (depth > 4) return false;
  const n = unwrap(node);
  switch (n.type) {
    case T.Literal:
    case T.TemplateLiteral:
    case T.Identifier:
      return n.type !== T.TemplateLiteral || n.expressions.every((e) => isPlainValue(e, depth + 1));
    case T.MemberExpression:
      return true;
    case T.ObjectExpression:
      return n.properties.every((p) => p.type === T.Property && isPlainValue(p.value, depth + 1));
    case T.ArrayExpression:
      return n.elements.every((e) => e !== null && e.type !== T.SpreadElement && isPlainValue(e, depth + 1));
    default:
      return false;
  }
}
