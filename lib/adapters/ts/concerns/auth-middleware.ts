/**
 * What counts as authentication/authorization middleware in an Express argument list:
 * the guards of the libraries whose records have an `auth` section, the names teams give
 * their own guards, names configured in `settings["api-posture"].auth`, and functions in
 * the same file that answer 401/403.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { HttpMethod, Requirement } from "../../../core/model.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import {
  isFunction,
  memberPath,
  nameWords,
  paramName,
  propertyName,
  sourceText,
  staticString,
  terminalName,
  unwrap,
  type FunctionNode,
  type Node,
  returnedFunction,
  isDenyStatus,
  hasBooleanOption,
} from "../ast.js";
import { type FileFacts } from "../facts.js";
import { matchesAny, originOf, requiredModule, type Origin } from "../imports.js";
import { libraries } from "../libraries/index.js";
import type { TsAuthKnowledge } from "../libraries/library.js";

/** A `key: value` entry of an object literal. */
type ObjectProperty = Extract<TSESTree.ObjectLiteralElement, { type: T.Property }>;

export interface AuthMatch {
  /** What the code calls it: `requireAuth`, `passport.authenticate`, `auth.required`. */
  name: string;
  /** `jwt(...).unless({ path: [...] })`: the routes the middleware lets through. */
  exempts?: (path: string, methods: readonly HttpMethod[]) => boolean;
  /** A guard factory given the roles or rights it requires: `auth("manageUsers")`, `requireRole(Role.Admin)`. */
  requirement?: Requirement;
}

/** Passport-style strategy names: an argument naming one says how, not who. */
const STRATEGY_NAME =
  /^(?:jwt|local|bearer|basic|session|cookie|api-?key|oauth2?|oidc|saml|google|github|facebook|twitter|microsoft|azure-?ad|header|token|anonymous)$/i;

/**
 * What a guard factory's arguments require: roles or rights named by literal or by an enum
 * member (`auth("manageUsers")`, `requireRole("admin")`, `hasPermission(Permission.Write)`);
 * undefined when it is given none, or only a strategy name or options.
 */
function gateRequirement(name: string, call: TSESTree.CallExpression): Requirement | undefined {
  const named = call.arguments.some((arg) => {
    const value = staticString(arg);
    if (value !== undefined) return value !== "" && !STRATEGY_NAME.test(value);
    return arg.type === T.MemberExpression && !arg.computed && /^[A-Z]/.test(terminalName(arg.object) ?? "");
  });
  if (!named) return undefined;
  return /role/i.test(name) ? "role" : "policy";
}

// ---------------------------------------------------------------------------------
// The name rule.
//
// A name is split into lower-case words (`verifyJWT` → verify, jwt; `api_key_auth` →
// apikey, auth). It is NOT auth when any word marks it as soft or unrelated (optional,
// maybe, attach, load, guest, public, csrf, …) or when its last word names something that
// is not a guard (router, routes, controller, limiter, logger, validator, …). Otherwise it
// is auth when:
//   0. it denies the unauthenticated: denyAll, rejectAnonymous (checked before the soft words);
//   1. it is a single auth word: auth, authenticate(d), authorize(d), protect, guard, jwt, admin, loggedIn, acl, permit;
//   2. it starts with authenticate/authorize: authenticateJWT, authorizeRoles('admin');
//   3. a demanding verb comes first and an identity/authority noun follows:
//      requireAuth, requireUser, requireLogin, ensureLoggedIn, mustBeAdmin, allowRoles(...), restrictTo(...);
//   4. a predicate verb comes first and a status noun follows: isAuthenticated, isAdmin, hasRole, canAccess;
//   5. a checking verb comes first and a credential noun follows: verifyToken, checkJwt,
//      validateToken, checkPermissions, verifyApiKey (but not validateBody or checkUser:
//      checking a user or a body proves nothing about the caller);
//   6. it ends with an auth word (jwtAuth, apiKeyAuth, basicAuth, adminGuard), or with
//      only/required after an authority noun (adminOnly, loginRequired);
//   7. it starts with an auth word and the rest is neutral (authMiddleware, jwtCheck, roleGuard).
// ---------------------------------------------------------------------------------

const SOFT_OR_UNRELATED = new Set([
  "optional",
  "optionally",
  "maybe",
  "soft",
  "try",
  "lenient",
  "attach",
  "attaches",
  "load",
  "loads",
  "populate",
  "extract",
  "decode",
  "parse",
  "get",
  "set",
  "if",
  "guest",
  "guests",
  "anonymous",
  "anon",
  "public",
  "skip",
  "bypass",
  "without",
  "no",
  "not",
  "loggedout",
  "logout",
  "signout",
  "callback",
  "header",
  "headers",
  "csrf",
  "xsrf",
  "xss",
  "cors",
  "rate",
  "ratelimit",
]);

const NOT_A_GUARD = new Set([
  "router",
  "routers",
  "routes",
  "controller",
  "controllers",
  "service",
  "services",
  "config",
  "configuration",
  "options",
  "limiter",
  "limiters",
  "limit",
  "throttle",
  "throttler",
  "logger",
  "client",
  "schema",
  "validator",
  "validators",
  "strategy",
  "provider",
  "util",
  "utils",
  "helper",
  "helpers",
  "handler",
  "handlers",
  "page",
  "view",
  "form",
  "model",
]);

const SINGLE_AUTH_WORDS = new Set([
  "auth",
  "authn",
  "authz",
  "authed",
  "authenticate",
  "authenticated",
  "authorize",
  "authorized",
  "authorise",
  "authorised",
  "protect",
  "protected",
  "guard",
  "jwt",
  "admin",
  "loggedin",
  "signedin",
  "acl",
  "rbac",
  "permit",
]);

/** `andRestrictTo(...)`: connectives in front of the verb. */
const FILLERS = new Set(["and", "then", "also"]);
/** `denyAll()`, `rejectAnonymous`, `blockGuests`: shutting the unauthenticated out is a guard. */
const DENYING_VERBS = new Set(["deny", "reject", "block", "forbid", "disallow"]);
const DENIED = new Set([
  "all",
  "anonymous",
  "anon",
  "guest",
  "guests",
  "unauthenticated",
  "unauthorized",
  "public",
  "everyone",
  "everybody",
]);

const AUTH_VERBS = new Set(["authenticate", "authenticated", "authorize", "authorized", "authorise", "authorised"]);

const DEMANDING_VERBS = new Set([
  "require",
  "requires",
  "ensure",
  "ensures",
  "must",
  "need",
  "needs",
  "protect",
  "restrict",
  "restricted",
  "enforce",
  "guard",
  "only",
  "permit",
  "allow",
  "allowed",
]);
const PREDICATE_VERBS = new Set(["is", "has", "can", "am", "are"]);
const CHECKING_VERBS = new Set(["check", "checks", "verify", "verifies", "validate", "validates", "assert"]);

const STATUS_NOUNS = new Set([
  "auth",
  "authed",
  "authenticated",
  "authorized",
  "authorised",
  "loggedin",
  "signedin",
  "admin",
  "admins",
  "administrator",
  "superuser",
  "superadmin",
  "staff",
  "moderator",
  "owner",
  "role",
  "roles",
  "permission",
  "permissions",
  "perm",
  "perms",
  "scope",
  "scopes",
  "access",
  "privilege",
  "privileges",
  "allowed",
]);
const CREDENTIAL_NOUNS = new Set([
  "auth",
  "authenticated",
  "authentication",
  "authorization",
  "jwt",
  "jwts",
  "token",
  "tokens",
  "bearer",
  "session",
  "apikey",
  "key",
  "keys",
  "role",
  "roles",
  "permission",
  "permissions",
  "perm",
  "perms",
  "scope",
  "scopes",
  "admin",
  "access",
  "credential",
  "credentials",
  "signature",
  "hmac",
  "acl",
  "rbac",
  "owner",
  "ownership",
  "login",
  "loggedin",
  "oauth",
  "sso",
  "secret",
]);
const AUTHORITY_NOUNS = new Set([
  ...STATUS_NOUNS,
  ...CREDENTIAL_NOUNS,
  "user",
  "users",
  "login",
  "signin",
  "account",
  "member",
  "members",
  "principal",
  "identity",
  "to",
]);

const AUTH_SUFFIXES = new Set([
  "auth",
  "authn",
  "authz",
  "authenticated",
  "authentication",
  "authorization",
  "authorisation",
  "authorize",
  "authorized",
  "guard",
  "guarded",
  "protect",
  "protected",
  "jwt",
  "gate",
]);
const GATE_SUFFIXES = new Set(["only", "required", "needed"]);
const AUTH_HEADS = new Set([
  "auth",
  "authn",
  "authz",
  "authentication",
  "authorization",
  "jwt",
  "token",
  "bearer",
  "apikey",
  "oauth",
  "sso",
  "acl",
  "rbac",
  "role",
  "roles",
  "permission",
  "permissions",
  "admin",
]);
const NEUTRAL = new Set([
  "middleware",
  "middlewares",
  "mw",
  "required",
  "require",
  "check",
  "checker",
  "guard",
  "filter",
  "verify",
  "verifier",
  "verification",
  "validation",
  "strict",
  "user",
  "jwt",
  "admin",
  "bearer",
  "token",
  "interceptor",
  "gate",
  "enforcer",
  "protect",
  "protection",
  "only",
]);

export type NameVerdict = "auth" | "not-auth" | "unknown";

/** The name rule above. `not-auth` is a decision (soft auth, limiter, router); `unknown` is no opinion. */
export function authNameVerdict(name: string): NameVerdict {
  const words = nameWords(name);
  while (words.length > 1 && FILLERS.has(words[0])) words.shift();
  if (words.length === 0) return "unknown";
  if (DENYING_VERBS.has(words[0]) && words.slice(1).some((w) => DENIED.has(w))) return "auth";
  if (words.some((w) => SOFT_OR_UNRELATED.has(w))) return "not-auth";
  const first = words[0];
  const last = words.at(-1)!;
  if (NOT_A_GUARD.has(last)) return "not-auth";
  if (words.length === 1) return SINGLE_AUTH_WORDS.has(first) ? "auth" : "unknown";
  const rest = words.slice(1);
  const head = words.slice(0, -1);
  const isAuth =
    AUTH_VERBS.has(first) ||
    (DEMANDING_VERBS.has(first) && rest.some((w) => AUTHORITY_NOUNS.has(w))) ||
    (PREDICATE_VERBS.has(first) && rest.some((w) => STATUS_NOUNS.has(w))) ||
    (CHECKING_VERBS.has(first) && rest.some((w) => CREDENTIAL_NOUNS.has(w))) ||
    AUTH_SUFFIXES.has(last) ||
    (GATE_SUFFIXES.has(last) && head.some((w) => AUTHORITY_NOUNS.has(w))) ||
    (AUTH_HEADS.has(first) && rest.every((w) => NEUTRAL.has(w)));
  return isAuth ? "auth" : "unknown";
}

/** `auth.required`, `jwt.mandatory`: members that turn an auth object into a guard. */
const REQUIRING_MEMBERS = new Set([
  "required",
  "require",
  "mandatory",
  "strict",
  "enforce",
  "ensure",
  "check",
  "verify",
]);

// ---------------------------------------------------------------------------------
// Libraries: the `auth` sections of the library records.
// ---------------------------------------------------------------------------------

interface AuthLibrary {
  packages: readonly string[];
  auth: TsAuthKnowledge;
}

let authLibraries: readonly AuthLibrary[] | undefined;

/** Read on first use: the records import this module's users, so they are complete only once loading ends. */
function knownAuthLibraries(): readonly AuthLibrary[] {
  authLibraries ??= libraries().flatMap((library) =>
    library.auth ? [{ packages: library.packages ?? [], auth: library.auth }] : [],
  );
  return authLibraries;
}

/** `passport`, `keycloak`: a name that holds a library's object whose members guard. */
function isLibraryReceiverName(name: string): boolean {
  return knownAuthLibraries().some(({ auth }) => auth.receiver?.name.test(name));
}

/**
 * What the library a call comes from says about it: `auth` for one of its guards, `not-auth`
 * for anything else it exports or a guard made optional, undefined for a call of no known library.
 */
function libraryVerdictOf(call: TSESTree.CallExpression, origin: Origin | undefined): NameVerdict | undefined {
  const callee = unwrap(call.callee);
  const method = callee.type === T.MemberExpression ? propertyName(callee) : undefined;
  const owner = callee.type === T.MemberExpression ? terminalName(callee.object) : undefined;
  for (const { packages, auth } of knownAuthLibraries()) {
    const byReceiver =
      auth.receiver !== undefined &&
      method !== undefined &&
      owner !== undefined &&
      auth.receiver.methods.includes(method) &&
      auth.receiver.name.test(owner);
    if (!byReceiver && (origin === undefined || !packages.includes(origin.module))) continue;
    const isGuard = byReceiver || auth.guards === "every export" || matchesAny(origin, auth.guards);
    if (!isGuard) return "not-auth";
    if (auth.optionalWhenFalse !== undefined && hasBooleanOption(call, auth.optionalWhenFalse, false))
      return "not-auth";
    return auth.admitsEveryone?.(call) ? "not-auth" : "auth";
  }
  return undefined;
}

/** `passport.authenticate("local", { successRedirect: "/", failureRedirect: "/login" })` answers the request itself. */
function hasRedirectOptions(call: TSESTree.CallExpression): boolean {
  return call.arguments.some(
    (arg) =>
      arg.type === T.ObjectExpression &&
      arg.properties.some(
        (p) =>
          p.type === T.Property && /^(success|failure)(Redirect|ReturnToOrRedirect)$/.test(terminalName(p.key) ?? ""),
      ),
  );
}

// ---------------------------------------------------------------------------------
// 401/403 answers, collected during the walk.
// ---------------------------------------------------------------------------------

const DENY_NAME =
  /unauthori[sz]ed|forbidden|unauthenticated|notauthenticated|accessdenied|permissiondenied|^authentication(error|exception)$|^authorization(error|exception)$/i;
const ERROR_NAME = /error|exception|^boom$/i;
const DENY_MESSAGE =
  /unauthori[sz]ed|forbidden|not authenticated|unauthenticated|access denied|permission denied|not allowed|login required|please (log|sign) ?in|please authenticate/i;

function calleeName(callee: Node): string | undefined {
  const c = unwrap(callee);
  if (c.type === T.Identifier) return c.name;
  if (c.type === T.MemberExpression) return propertyName(c);
  return undefined;
}

/**
 * `res.status(401)`, `res.sendStatus(403)`, `res.writeHead(401)`, `res.statusCode = 401`,
 * `new UnauthorizedError()`, `createError(401)`, `new AppError("…", 403)`, `new Error("Unauthorized")`,
 * `Boom.unauthorized()`, `res.redirect("/login")`.
 */
export function isDenySignal(
  node: TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.AssignmentExpression,
): boolean {
  if (node.type === T.AssignmentExpression) {
    return (
      node.left.type === T.MemberExpression && propertyName(node.left) === "statusCode" && isDenyStatus(node.right)
    );
  }
  const name = calleeName(node.callee);
  if (name === undefined) return false;
  if (node.type === T.CallExpression && node.callee.type === T.MemberExpression) {
    if (name === "status" || name === "sendStatus" || name === "writeHead") return isDenyStatus(node.arguments[0]);
    if (name === "redirect") {
      const target = node.arguments.map((a) => staticString(a)).find((s) => s !== undefined);
      return target !== undefined && /log-?in|sign-?in|auth/i.test(target);
    }
  }
  if (DENY_NAME.test(name)) return true;
  const qualified = node.callee.type === T.MemberExpression ? (terminalName(node.callee.object) ?? "") + name : name;
  if (!ERROR_NAME.test(name) && !ERROR_NAME.test(qualified) && !/^create/.test(name)) return false;
  // `createError(401)`, `new AppError("…", 403)`, `new Error("Unauthorized")`
  return node.arguments.some((a) => isDenyStatus(a) || DENY_MESSAGE.test(staticString(a) ?? ""));
}

// ---------------------------------------------------------------------------------
// Classification.
// ---------------------------------------------------------------------------------

const MAX_DEPTH = 6;

export class AuthClassifier {
  private readonly memo = new Map<Node, AuthMatch | null>();

  constructor(
    private readonly facts: FileFacts,
    private readonly settings: ResolvedSettings,
  ) {}

  /** The auth middleware `node` is, evaluated in `scope`; undefined when it is not one. */
  classify(node: Node, scope: Node): AuthMatch | undefined {
    let match = this.memo.get(node);
    if (match === undefined) {
      match = this.decide(node, scope, 0) ?? null;
      this.memo.set(node, match);
    }
    return match ?? undefined;
  }

  private decide(expr: Node, scope: Node, depth: number): AuthMatch | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const node = unwrap(expr);
    switch (node.type) {
      case T.Identifier:
        return this.identifier(node, scope, depth);
      case T.MemberExpression:
        return this.member(node, scope);
      case T.CallExpression:
        return this.call(node, scope, depth);
      case T.FunctionExpression:
      case T.ArrowFunctionExpression:
        return this.isDenyingMiddleware(node)
          ? { name: node.type === T.FunctionExpression && node.id ? node.id.name : "inline middleware" }
          : undefined;
      default:
        return undefined;
    }
  }

  private identifier(node: TSESTree.Identifier, scope: Node, depth: number): AuthMatch | undefined {
    const name = node.name;
    if (this.settings.auth(name)) return { name };
    const verdict = authNameVerdict(name);
    if (verdict === "not-auth") return undefined;
    const binding = this.facts.resolve(name, scope);
    if (binding?.kind === "var" && binding.init) {
      const init = unwrap(binding.init);
      if (isFunction(init)) {
        if (this.isDenyingMiddleware(init)) return { name };
      } else {
        const inner = this.decide(init, binding.scope, depth + 1);
        if (inner) return { ...inner, name };
        if (init.type === T.CallExpression && this.libraryVerdict(init, binding.scope) === "not-auth") return undefined;
      }
    } else if (binding?.kind === "function" && isFunction(binding.node) && this.isDenyingMiddleware(binding.node)) {
      return { name };
    }
    return verdict === "auth" ? { name } : undefined;
  }

  private member(node: TSESTree.MemberExpression, scope: Node): AuthMatch | undefined {
    const prop = propertyName(node);
    const name = memberPath(node) ?? sourceText(this.facts.text, node);
    if (this.settings.auth(name) || (prop !== undefined && this.settings.auth(prop))) return { name };
    if (prop === undefined) return undefined;
    const verdict = authNameVerdict(prop);
    if (verdict === "auth") return { name };
    if (verdict === "not-auth") return undefined;
    // `const auth = { required: (req, res, next) => … 401 … }` in the same file.
    const local = this.localObjectMember(node, scope);
    if (local && this.isDenyingMiddleware(local)) return { name };
    if (REQUIRING_MEMBERS.has(prop)) {
      const owner = terminalName(node.object);
      if (
        owner !== undefined &&
        (this.settings.auth(owner) || authNameVerdict(owner) === "auth" || isLibraryReceiverName(owner))
      )
        return { name };
    }
    return undefined;
  }

  private call(node: TSESTree.CallExpression, scope: Node, depth: number): AuthMatch | undefined {
    const callee = unwrap(node.callee);
    const calleeText = memberPath(callee) ?? sourceText(this.facts.text, callee);
    const name = calleeName(callee);

    // `jwt({ … }).unless({ path: ["/login"] })`
    if (callee.type === T.MemberExpression && name === "unless") {
      const inner = this.decide(callee.object, scope, depth + 1);
      return inner ? { ...inner, exempts: unlessExemptions(this.facts, node, scope) } : undefined;
    }
    if (this.settings.auth(calleeText) || (name !== undefined && this.settings.auth(name))) return { name: calleeText };

    const library = this.libraryVerdict(node, scope);
    if (library === "auth") return { name: calleeText };
    if (library === "not-auth") return undefined;

    // `app.use(require("./middleware/auth"))`
    const module = requiredModule(node);
    if (module !== undefined) {
      if (!module.startsWith(".") || /(^|\/)(routes?|routers?|controllers?|api)(\/|$)/i.test(module)) return undefined;
      const base = module
        .split("/")
        .filter((s) => s !== "" && s !== "." && s !== ".." && s !== "index")
        .at(-1)
        ?.replace(/\.[cm]?[jt]s$/, "");
      return base !== undefined && authNameVerdict(base) === "auth" ? { name: `require("${module}")` } : undefined;
    }

    const verdict = name === undefined ? "unknown" : authNameVerdict(name);
    if (verdict === "not-auth") return undefined;
    const requirement = gateRequirement(calleeText, node);
    const match: AuthMatch = { name: calleeText, ...(requirement ? { requirement } : {}) };
    if (verdict === "auth") return match;
    // A factory in the same file whose middleware answers 401/403: `const allow = (role) => (req, res, next) => …`.
    if (callee.type === T.Identifier) {
      const factory = this.localFunction(callee.name, scope);
      const produced = factory && returnedFunction(factory);
      if (produced && this.isDenyingMiddleware(produced)) return match;
    }
    return undefined;
  }

  /** What a known library says about this call: `auth`, `not-auth` (a soft variant or another export), or undefined. */
  private libraryVerdict(node: TSESTree.CallExpression, scope: Node): NameVerdict | undefined {
    return libraryVerdictOf(node, originOf(this.facts, node.callee, scope));
  }

  /**
   * Is the last function of a route registration a guard rather than the handler
   * (`app.all("*", requireAuth)`, `app.post("/x", security.isAuthorized())`)? A same-file
   * function is one only when it also passes the request on with a bare `next()`: handlers
   * answer 403 too, and are often named `authenticate`. `passport.authenticate` with
   * redirect options ends the request itself.
   */
  isGuardInLastPlace(node: Node, scope: Node): boolean {
    const n = unwrap(node);
    const local = isFunction(n) ? n : n.type === T.Identifier ? this.localFunction(n.name, scope) : undefined;
    if (local) return this.isDenyingMiddleware(local) && this.callsNextBare(local);
    if (n.type === T.CallExpression && hasRedirectOptions(n)) return false;
    return this.classify(node, scope) !== undefined;
  }

  /**
   * What an exported value does when another file uses it as middleware: a function that
   * answers 401/403, a factory returning one (`requireRole("admin")`), or a value an auth
   * library made (`expressjwt({ … })`). `called` is set for the factory case.
   */
  exportedGuard(value: Node, scope: Node): { match: AuthMatch; called: boolean } | undefined {
    const node = unwrap(value);
    if (isFunction(node)) {
      const name = node.type !== T.ArrowFunctionExpression && node.id ? node.id.name : "middleware";
      if (this.isDenyingMiddleware(node)) return { match: { name }, called: false };
      const returned = returnedFunction(node);
      if (returned && this.isDenyingMiddleware(returned)) return { match: { name }, called: true };
      return undefined;
    }
    if (node.type === T.Identifier) return undefined;
    const match = this.classify(node, scope);
    return match ? { match, called: false } : undefined;
  }

  /** A same-file `(req, res, next)` function that answers 401/403 (or sends the client to log in). */
  isDenyingMiddleware(fn: FunctionNode): boolean {
    return fn.params.length === 3 && this.facts.hasDenySignalWithin(fn.body);
  }

  private callsNextBare(fn: FunctionNode): boolean {
    const next = fn.params[2] && paramName(fn.params[2]);
    return (
      next !== undefined &&
      this.facts
        .sitesWithin(this.facts.localCalls, fn.body)
        .some((s) => s.call.arguments.length === 0 && (s.call.callee as TSESTree.Identifier).name === next)
    );
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

  private localObjectMember(node: TSESTree.MemberExpression, scope: Node): FunctionNode | undefined {
    const object = unwrap(node.object);
    const prop = propertyName(node);
    if (object.type !== T.Identifier || prop === undefined) return undefined;
    const b = this.facts.resolve(object.name, scope);
    const init = b?.kind === "var" && b.init ? unwrap(b.init) : undefined;
    if (init?.type !== T.ObjectExpression) return undefined;
    const property = this.facts.objectProperty(init, prop);
    if (!property) return undefined;
    const value = unwrap(property.value);
    if (isFunction(value)) return value;
    if (value.type === T.Identifier) return this.localFunction(value.name, b!.scope);
    return undefined;
  }
}

/**
 * `express-unless` options: `{ path: ["/login", /^\/public/, { url: "/x", methods: ["POST"] }] }`.
 * Entries that cannot be read statically exempt nothing.
 */
function unlessExemptions(facts: FileFacts, call: TSESTree.CallExpression, scope: Node): AuthMatch["exempts"] {
  const options = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  if (options?.type !== T.ObjectExpression) return undefined;
  const pathProp = options.properties.find(
    (p): p is ObjectProperty => p.type === T.Property && terminalName(p.key) === "path",
  );
  if (!pathProp) return undefined;
  let value = unwrap(pathProp.value);
  if (value.type === T.Identifier) {
    const b = facts.resolve(value.name, scope);
    if (b?.kind === "var" && b.init) value = unwrap(b.init);
  }
  const entries: readonly (Node | null)[] = value.type === T.ArrayExpression ? value.elements : [value];
  const tests: ((path: string, methods: readonly HttpMethod[]) => boolean)[] = [];
  for (const entry of entries) {
    if (!entry || entry.type === T.SpreadElement) continue;
    const e = unwrap(entry);
    const test = pathTest(e);
    if (test) tests.push((path) => test(path));
    else if (e.type === T.ObjectExpression) {
      const url = e.properties.find((p): p is ObjectProperty => p.type === T.Property && terminalName(p.key) === "url");
      const methodsProp = e.properties.find(
        (p): p is ObjectProperty => p.type === T.Property && terminalName(p.key) === "methods",
      );
      const urlTest = url ? pathTest(unwrap(url.value)) : undefined;
      if (!urlTest) continue;
      const methodValue = methodsProp ? unwrap(methodsProp.value) : undefined;
      const listed =
        methodValue?.type === T.ArrayExpression
          ? methodValue.elements
              .map((m) => (m ? staticString(m)?.toUpperCase() : undefined))
              .filter((m): m is string => m !== undefined)
          : undefined;
      tests.push(
        (path, methods) => urlTest(path) && (listed === undefined || methods.every((m) => listed.includes(m))),
      );
    }
  }
  return tests.length === 0 ? undefined : (path, methods) => tests.some((t) => t(path, methods));
}

function pathTest(node: Node): ((path: string) => boolean) | undefined {
  const literal = staticString(node);
  if (literal !== undefined) return (path) => path.toLowerCase() === literal.toLowerCase();
  if (node.type === T.Literal && "regex" in node && node.regex) {
    try {
      const re = new RegExp(node.regex.pattern, node.regex.flags);
      return (path) => re.test(path);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
