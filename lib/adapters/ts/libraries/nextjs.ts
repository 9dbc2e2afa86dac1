/**
 * Next.js: endpoints by file convention, as far as one file shows.
 *
 * - App Router route handlers: `app/**\/route.ts` (also under `src/app`) exporting `GET`,
 *   `POST`, … as functions, consts or `export { handler as POST }`; the path comes from
 *   the folders (`(group)` and `@slot` dropped, `[id]` → `:id`, `[...slug]` → `:slug+`,
 *   `[[...slug]]` → `:slug*`, `_private` folders not routed).
 * - Pages Router API routes: `pages/api/**` (also under `src/pages/api`), the default
 *   export, split by `req.method` branches or a `switch`.
 * - Server actions: exports of a `"use server"` file, and functions with an inline
 *   `"use server"`, that write through the data layer (a public POST endpoint each).
 * - `middleware.ts` / `proxy.ts`: its `config.matcher` and whether it turns away requests
 *   without a session, as a fact of its own file for the project index.
 *
 * Next.js apps authorize inside the handler, so protection is a session check that
 * dominates the writes (nextjs-auth.ts), or a wrapper around the handler that checks one.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import { routePath } from "../../../core/model.js";
import type {
  Endpoint,
  FrameworkVocabulary,
  HttpMethod,
  ImportedFunction,
  Loc,
  Protection,
  Requirement,
  RouteMiddleware,
} from "../../../core/model.js";
import {
  isFunction,
  locOf,
  propertyName,
  staticString,
  unwrap,
  unwrapAwait,
  type FunctionNode,
  type Node,
  returnedFunction,
} from "../ast.js";
import { DataLayer } from "../concerns/data-layer.js";
import type { FileFacts } from "../facts.js";
import { Handlers } from "../handlers.js";
import { isPrincipalSegment, type RequestBinding } from "../concerns/value-origins.js";
import { EXPRESS_REQUEST } from "./express.js";
import { requestChecks, withChecks } from "../concerns/request-checks.js";
import { auditEvents } from "../concerns/audit-events.js";
import { exportPath, isPackage, matches, originOf, type ImportSpecifier } from "../imports.js";
import type { TsFile, TsLibrary } from "./library.js";
import { exportTable } from "../exports.js";
import type { AppWideProtection, FileSummary, MarkerEffect } from "../../../core/project/summary.js";
import {
  AUTH_LIBRARY_HANDLERS,
  importedFunction,
  SESSION_NODE_TYPES,
  SessionChecks,
  type Attached,
  type Guard,
} from "./nextjs-auth.js";

export const NEXTJS_ROUTE: FrameworkVocabulary = {
  displayName: "Next.js",
  missingAuth:
    "no session check in the route handler before it changes state (`if (!session) return …`, `redirect()`, `throw`), and no auth wrapper around it",
  addAuth:
    "read the session first and answer 401 without one (`const session = await auth(); if (!session) return new Response(null, { status: 401 })`), or wrap the handler in an auth wrapper.",
};

export const NEXTJS_API_ROUTE: FrameworkVocabulary = {
  displayName: "Next.js (Pages Router)",
  missingAuth:
    "no session check in the API route before it changes state (`if (!session) return res.status(401)…`), and no auth wrapper around it",
  addAuth:
    "call getServerSession(req, res, authOptions) first and answer 401 without a session, or wrap the handler in an auth wrapper.",
};

export const NEXTJS_SERVER_ACTION: FrameworkVocabulary = {
  displayName: "Next.js server action",
  missingAuth:
    "no session check in the server action before it writes, and a server action is a POST endpoint anyone can call",
  addAuth:
    'check the session at the top of the action (`const session = await auth(); if (!session) throw new Error("Unauthorized")`), or build it with an authenticated action client.',
  apiSurface: false,
};

const METHODS: ReadonlyMap<string, HttpMethod> = new Map(
  (["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const).map((m) => [m, m]),
);

const ROUTE_FILE = /^route\.(?:[cm]?[jt]sx?)$/;
const SOURCE_FILE = /^(.+)\.(?:[cm]?[jt]sx?)$/;
const MIDDLEWARE_FILE = /^(middleware|proxy)\.(?:[cm]?[jt]s)$/;
/** Modules a Next.js middleware imports. */
const MIDDLEWARE_MODULES =
  /^(next\/server|next-auth(\/.*)?|@clerk\/nextjs(\/.*)?|@auth0\/nextjs-auth0(\/.*)?|@supabase\/(ssr|auth-helpers-nextjs)|next-intl\/middleware)$/;

const pkg = (name: string, exports: string | readonly string[]): ImportSpecifier => ({
  from: "package",
  package: name,
  name: exports,
});

const NEXT_AUTH_MIDDLEWARE = pkg("next-auth/middleware", ["default", "withAuth"]);
const CLERK_MIDDLEWARE = [pkg("@clerk/nextjs/server", "clerkMiddleware"), pkg("@clerk/nextjs", "clerkMiddleware")];
const CLERK_AUTH_MIDDLEWARE = [pkg("@clerk/nextjs/server", "authMiddleware"), pkg("@clerk/nextjs", "authMiddleware")];
const CLERK_ROUTE_MATCHER = [
  pkg("@clerk/nextjs/server", "createRouteMatcher"),
  pkg("@clerk/nextjs", "createRouteMatcher"),
];
const AUTH0_MIDDLEWARE = pkg("@auth0/nextjs-auth0/edge", "withMiddlewareAuthRequired");

/** Wrappers followed around one handler (`withAuth(withValidation(schema, handler))`). */
const MAX_WRAPPERS = 8;
/** Route matcher patterns read from one array. */
const MAX_PATTERNS = 256;

type FileKind =
  | { kind: "app-route"; path: string }
  | { kind: "pages-api"; path: string }
  | { kind: "middleware" }
  | { kind: "other" };

export const nextjs: TsLibrary = {
  id: "nextjs",
  // Literals for `"use server"` directives; the session checks read calls, declarators, returns and ifs.
  nodeTypes: new Set([T.ExportNamedDeclaration, T.ExportDefaultDeclaration, T.Literal, ...SESSION_NODE_TYPES]),
  applies: ({ facts, filename }) => fileKind(filename).kind !== "other" || facts.text.includes("use server"),
  endpoints: (file) => new NextFile(file).endpoints(),
  routeMiddleware: (file) =>
    fileKind(file.filename).kind === "middleware" ? new NextFile(file).middleware() : undefined,
  summary: (file) => new NextFile(file).summary(),
};

// ---------------------------------------------------------------------------------
// File conventions.
// ---------------------------------------------------------------------------------

/** What the file is by its path. The app and pages folders are the last `src/app` (or `app`), `pages/api` on the path. */
export function fileKind(filename: string): FileKind {
  const parts = filename.split(/[\\/]+/).filter((p) => p !== "");
  const base = parts.at(-1) ?? "";
  if (MIDDLEWARE_FILE.test(base)) return { kind: "middleware" };
  if (ROUTE_FILE.test(base)) {
    const dirs = parts.slice(0, -1);
    let app = -1;
    for (let i = dirs.length - 1; i > 0 && app < 0; i--) if (dirs[i] === "app" && dirs[i - 1] === "src") app = i;
    if (app < 0) app = dirs.lastIndexOf("app");
    const segments = app < 0 ? undefined : routeSegments(dirs.slice(app + 1));
    if (segments) return { kind: "app-route", path: `/${segments.join("/")}` };
  }
  const source = SOURCE_FILE.exec(base);
  if (source && !base.endsWith(".d.ts") && !source[1].startsWith("_")) {
    for (let i = parts.length - 3; i >= 0; i--) {
      if (parts[i] !== "pages" || parts[i + 1] !== "api") continue;
      const folders = parts.slice(i + 1, -1);
      if (source[1] !== "index") folders.push(source[1]);
      const segments = routeSegments(folders);
      return segments ? { kind: "pages-api", path: `/${segments.join("/")}` } : { kind: "other" };
    }
  }
  return { kind: "other" };
}

/** Route folders to path segments: `(group)`, `@slot` dropped; `[id]` → `:id`; `[...slug]` → `:slug+`; `[[...slug]]` → `:slug*`. */
function routeSegments(folders: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (const raw of folders) {
    // Intercepting routes: `(.)photo`, `(..)(..)photo` route as `photo`.
    const folder = raw.replace(/^(\(\.{1,3}\))+/, "").replace(/^%5F/i, "_");
    if (folder === "" || raw.startsWith("_")) return undefined;
    if (/^\(.*\)$/.test(folder) || folder.startsWith("@")) continue;
    const optionalCatchAll = /^\[\[\.\.\.(.+)\]\]$/.exec(folder);
    const catchAll = /^\[\.\.\.(.+)\]$/.exec(folder);
    const dynamic = /^\[(.+)\]$/.exec(folder);
    if (optionalCatchAll) out.push(`:${optionalCatchAll[1]}*`);
    else if (catchAll) out.push(`:${catchAll[1]}+`);
    else if (dynamic) out.push(`:${dynamic[1]}`);
    else out.push(folder);
  }
  return out;
}

// ---------------------------------------------------------------------------------
// One file.
// ---------------------------------------------------------------------------------

/** A handler value followed through its wrappers to the function that does the work. */
/** What a Route Handler's request carries from the client: `await request.json()`, `request.nextUrl.searchParams`. */
const NEXT_REQUEST_CLIENT = /^(?:json|formData|text|blob|arrayBuffer)\(|^(?:nextUrl|url|body|headers|cookies)$/;

/**
 * App Router route handlers `(request, { params })`: the request's body, URL and search
 * parameters and the route's `params` are the client's; what a wrapper attaches to the
 * request for the caller (`request.auth`, `req.user`) is the caller.
 */
const NEXT_ROUTE: RequestBinding = {
  classify(_fn, index, path) {
    const first = path[0];
    if (first === undefined) return undefined;
    if (index === 1) return first === "params" || first === "searchParams" ? "client" : undefined;
    if (index !== 0) return undefined;
    if (NEXT_REQUEST_CLIENT.test(first)) return "client";
    return isPrincipalSegment(first) ? "principal" : undefined;
  },
};

/**
 * Server actions: every argument is the client's, except what next-safe-action's
 * middleware puts in `ctx` (from the session) for `.action(async ({ parsedInput, ctx }) => …)`.
 */
const NEXT_ACTION: RequestBinding = {
  classify(_fn, index, path) {
    if (index === 0 && path[0] === "ctx") return path.length > 1 ? "principal" : undefined;
    if (index === 0 && (path[0] === "metadata" || path[0] === "next")) return undefined;
    return "client";
  },
};

const BINDINGS: ReadonlyMap<FrameworkVocabulary, RequestBinding> = new Map([
  [NEXTJS_ROUTE, NEXT_ROUTE],
  [NEXTJS_API_ROUTE, EXPRESS_REQUEST],
  [NEXTJS_SERVER_ACTION, NEXT_ACTION],
]);

interface HandlerInfo {
  fn?: FunctionNode;
  name?: string;
  guards: Guard[];
  imported: ImportedFunction[];
  attached?: Attached;
  /** The auth library's own handler (`NextAuth(authOptions)`, Auth.js `handlers`): its sign-in flow, not an app endpoint. */
  libraryHandler: boolean;
}

interface Export {
  name: string;
  /** The exported value; undefined when it cannot be read here (`export const { POST } = something`). */
  value?: Node;
  /** The value the destructuring export takes its names from. */
  destructured?: Node;
  loc: Loc;
}

interface Branch {
  methods: HttpMethod[];
  region: Node;
  loc: Loc;
}

class NextFile {
  private readonly facts: FileFacts;
  private readonly handlers: Handlers;
  private readonly checks: SessionChecks;

  constructor(private readonly file: TsFile) {
    this.facts = file.facts;
    const data = new DataLayer(file.facts);
    // The session reads the handlers make are the caller (AP103): `const session = await auth()`.
    this.handlers = new Handlers(file.facts, data, file.settings, (call, scope) =>
      this.checks.sessionSource(call, scope),
    );
    this.checks = new SessionChecks(file.facts, file.settings, this.handlers, data);
  }

  /**
   * For the project index: what the file's exported functions do where route files use
   * them (a wrapper whose returned handler checks a session first, a helper that asserts
   * one), and its route middleware as a protection of the routes its matcher covers.
   */
  summary(): FileSummary {
    const markers: MarkerEffect[] = [];
    const table = exportTable(this.facts);
    // An action client whose middleware checks the session (`export const actionClient =
    // createSafeActionClient().use(async ({ next }) => { … })`): the actions built on it are protected.
    for (const [binding, name] of table.byBinding) {
      if (binding.kind !== "var" || !binding.init || isFunction(unwrap(binding.init))) continue;
      const guard = this.checks.actionClientGuard(binding.name, binding.scope);
      if (guard)
        markers.push({
          export: name,
          effect: "protection",
          loc: locOf(binding.node),
          ...(guard.requirement ? { requirement: guard.requirement } : {}),
        });
    }
    for (const [fn, name] of table.byFunction) {
      if (!isFunction(fn)) continue;
      const returned = returnedFunction(fn);
      const guard =
        this.checks.guardsItsBody(fn) ??
        (returned ? this.checks.guardsItsBody(returned) : undefined) ??
        this.checks.passesCheckingMiddleware(fn);
      if (guard)
        markers.push({
          export: name,
          effect: "protection",
          loc: locOf(fn),
          ...(guard.requirement ? { requirement: guard.requirement } : {}),
        });
    }
    const appWide: AppWideProtection[] = [];
    const middleware = fileKind(this.file.filename).kind === "middleware" ? this.middleware() : undefined;
    if (middleware && middleware.protects === "all" && !middleware.matchersIncomplete) {
      appWide.push({
        protection: {
          name: middleware.name ?? "middleware",
          source: "global",
          loc: middleware.loc,
          ...(middleware.requirement ? { requirement: middleware.requirement } : {}),
        },
        frameworks: [middleware.framework],
        ...(middleware.matchers ? { paths: middleware.matchers } : {}),
        honoursAnonymous: false,
      });
    }
    return { attachments: [], markers, appWide };
  }

  endpoints(): Endpoint[] {
    const kind = fileKind(this.file.filename);
    const endpoints: Endpoint[] = [];
    if (kind.kind === "app-route") endpoints.push(...this.routeHandlers(kind.path));
    else if (kind.kind === "pages-api") endpoints.push(...this.apiRoutes(kind.path));
    if (this.facts.text.includes("use server")) endpoints.push(...this.serverActions());
    return endpoints;
  }

  // -------------------------------------------------------------------------------
  // App Router.
  // -------------------------------------------------------------------------------

  private routeHandlers(path: string): Endpoint[] {
    const endpoints: Endpoint[] = [];
    for (const exported of this.namedExports()) {
      const method = METHODS.get(exported.name);
      if (!method) continue;
      if (exported.destructured && this.isLibraryHandler(exported.destructured, this.facts.ast)) continue;
      const info = exported.value ? this.follow(exported.value, this.facts.ast) : emptyInfo();
      if (info.libraryHandler) continue;
      endpoints.push(
        this.endpoint(info, {
          methods: [method],
          path,
          loc: exported.loc,
          vocabulary: NEXTJS_ROUTE,
          handlerName: info.name !== exported.name ? info.name : undefined,
        }),
      );
    }
    return endpoints;
  }

  // -------------------------------------------------------------------------------
  // Pages Router.
  // -------------------------------------------------------------------------------

  private apiRoutes(path: string): Endpoint[] {
    const exported = this.defaultExport();
    if (!exported?.value) return [];
    const info = this.follow(exported.value, this.facts.ast);
    if (info.libraryHandler) return [];
    const split = info.fn ? this.methodBranches(info.fn) : undefined;
    const base = { path, vocabulary: NEXTJS_API_ROUTE, handlerName: info.name };
    if (split && "branches" in split)
      return split.branches.map((branch) =>
        this.endpoint(info, { ...base, methods: branch.methods, loc: branch.loc, region: branch.region }),
      );
    return [this.endpoint(info, { ...base, methods: split?.narrowed ?? ["ANY"], loc: exported.loc })];
  }

  /**
   * `if (req.method === "POST") { … } else if …`, `switch (req.method) { case "POST": … }`:
   * one endpoint per branch; `if (req.method !== "POST") return res.status(405)…` narrows the whole handler.
   */
  private methodBranches(fn: FunctionNode): { branches: Branch[] } | { narrowed: HttpMethod[] } | undefined {
    if (fn.body.type !== T.BlockStatement) return undefined;
    const request = fn.params[0]?.type === T.Identifier ? fn.params[0].name : undefined;
    const isMethod = (node: Node): boolean => {
      const n = unwrap(node);
      if (n.type === T.Identifier) return n.name === "method";
      if (n.type !== T.MemberExpression || propertyName(n) !== "method") return false;
      const object = unwrap(n.object);
      return object.type === T.Identifier && (object.name === request || /^(req|request)$/.test(object.name));
    };
    const branches: Branch[] = [];
    const statements = fn.body.body.flatMap((s) => (s.type === T.TryStatement ? s.block.body : [s]));
    for (const statement of statements) {
      if (statement.type === T.IfStatement) {
        const test = methodTest(statement.test, isMethod);
        if (!test) continue;
        if (test.negated) {
          if (exitsPlainly(statement.consequent)) return { narrowed: test.methods };
          continue;
        }
        for (
          let current: TSESTree.Statement | null = statement;
          current?.type === T.IfStatement;
          current = current.alternate
        ) {
          const branch = methodTest(current.test, isMethod);
          if (!branch || branch.negated) break;
          branches.push({ methods: branch.methods, region: current.consequent, loc: locOf(current.test) });
        }
      } else if (statement.type === T.SwitchStatement && isMethod(statement.discriminant)) {
        let pending: HttpMethod[] = [];
        for (const branch of statement.cases) {
          const method = branch.test ? staticString(branch.test)?.toUpperCase() : undefined;
          const known = method !== undefined ? METHODS.get(method) : undefined;
          if (known) pending.push(known);
          if (branch.consequent.length === 0) continue;
          if (pending.length > 0)
            branches.push({ methods: pending, region: branch, loc: locOf(branch.test ?? branch) });
          pending = [];
        }
      }
    }
    return branches.length > 0 ? { branches } : undefined;
  }

  // -------------------------------------------------------------------------------
  // Server actions.
  // -------------------------------------------------------------------------------

  private serverActions(): Endpoint[] {
    const endpoints: Endpoint[] = [];
    const seen = new Set<FunctionNode>();
    const add = (info: HandlerInfo, name: string, loc: Loc): void => {
      if (info.fn) {
        if (seen.has(info.fn)) return;
        seen.add(info.fn);
      }
      const endpoint = this.endpoint(info, {
        methods: ["POST"],
        path: `action:${name}`,
        loc,
        vocabulary: NEXTJS_SERVER_ACTION,
        handlerName: name,
      });
      if (endpoint.dataOperations.some((op) => op.kind !== "read")) endpoints.push(endpoint);
    };
    if (hasDirective(this.facts.ast.body, "use server")) {
      for (const exported of this.namedExports()) {
        if (exported.value) add(this.follow(exported.value, this.facts.ast), exported.name, exported.loc);
      }
      const fallback = this.defaultExport();
      if (fallback?.value) {
        const info = this.follow(fallback.value, this.facts.ast);
        add(info, info.name ?? "default", fallback.loc);
      }
    }
    for (const c of this.facts.collected.get(T.Literal) ?? []) {
      const literal = c.node as TSESTree.Literal;
      if (literal.value !== "use server" || c.parent?.type !== T.ExpressionStatement) continue;
      if (c.parent.directive === undefined || !isFunction(c.scope)) continue;
      const fn = c.scope;
      const named = this.functionName(fn);
      add(this.follow(fn, fn), named?.name ?? `inline@${fn.loc.start.line}`, named ? locOf(named.node) : locOf(fn));
    }
    return endpoints;
  }

  private declaredNames: Map<Node, TSESTree.Identifier> | undefined;

  /** `async function archive()`, or `const archive = async () => …`. */
  private functionName(fn: FunctionNode): { name: string; node: Node } | undefined {
    if (fn.id) return { name: fn.id.name, node: fn.id };
    if (!this.declaredNames) {
      this.declaredNames = new Map();
      for (const c of this.facts.collected.get(T.VariableDeclarator) ?? []) {
        const d = c.node as TSESTree.VariableDeclarator;
        if (d.init && d.id.type === T.Identifier) this.declaredNames.set(unwrap(d.init), d.id);
      }
    }
    const id = this.declaredNames.get(fn);
    return id ? { name: id.name, node: id } : undefined;
  }

  // -------------------------------------------------------------------------------
  // Handlers and their protection.
  // -------------------------------------------------------------------------------

  private endpoint(
    info: HandlerInfo,
    at: {
      methods: HttpMethod[];
      path: string;
      loc: Loc;
      vocabulary: FrameworkVocabulary;
      handlerName?: string | undefined;
      region?: Node;
    },
  ): Endpoint {
    const protections: Protection[] = info.guards.map((g) => ({
      name: g.name,
      source: "route",
      loc: locOf(g.node),
      ...(g.requirement ? { requirement: g.requirement } : {}),
      ...(g.kind ? { kind: g.kind } : {}),
    }));
    const imported = [...info.imported];
    let dataOperations: Endpoint["dataOperations"] = [];
    let calls: { calls?: Endpoint["calls"] } = {};
    if (info.fn) {
      const coverage = this.checks.coverage(info.fn, {
        ...(at.region ? { region: at.region } : {}),
        ...(info.attached ? { attached: info.attached } : {}),
      });
      protections.push(...coverage.protections);
      imported.push(...coverage.imported.filter((i) => !imported.includes(i)));
      const binding = BINDINGS.get(at.vocabulary) ?? NEXT_ROUTE;
      dataOperations = this.handlers.enrich([info.fn], coverage.dataOperations, binding);
      calls = this.handlers.callsOf([info.fn], binding);
    }
    const endpoint: Endpoint = {
      framework: "nextjs",
      vocabulary: at.vocabulary,
      methods: at.methods,
      route: routePath(at.path),
      path: at.path,
      ...(at.handlerName !== undefined ? { handler: at.handlerName } : {}),
      loc: at.loc,
      protections,
      anonymous: [],
      dataOperations,
      ...calls,
      ...(imported.length > 0 ? { importedFunctions: imported } : {}),
    };
    auditEvents(this.facts, this.file.settings, (call, scope) => this.checks.sessionSource(call, scope)).record(
      endpoint,
      info.fn ? [info.fn] : [],
      BINDINGS.get(at.vocabulary) ?? NEXT_ROUTE,
    );
    return withChecks(endpoint, requestChecks(this.facts, this.file.settings).of(info.fn ? [info.fn] : []));
  }

  /** Follows a handler value through aliases and wrappers (`withAuth(handler)`, `client.action(fn)`) to its function. */
  private follow(value: Node, scope: Node): HandlerInfo {
    const info = emptyInfo();
    let current = unwrap(value);
    let currentScope = scope;
    for (let depth = 0; depth < MAX_WRAPPERS; depth++) {
      if (isFunction(current)) {
        info.fn = current;
        if (current.id) info.name ??= current.id.name;
        break;
      }
      if (current.type === T.Identifier) {
        info.name ??= current.name;
        const b = this.facts.resolve(current.name, currentScope);
        if (b?.kind === "function" && isFunction(b.node)) {
          info.fn = b.node;
          break;
        }
        if (b?.kind === "var" && b.init) {
          current = unwrap(b.init);
          currentScope = b.scope;
          continue;
        }
        const origin = b?.kind === "import" ? originOf(this.facts, current, currentScope) : undefined;
        if (origin && !isPackage(origin.module))
          info.imported.push(importedFunction("handler", current.name, origin, current));
        break;
      }
      if (current.type === T.CallExpression) {
        if (this.isLibraryHandler(current, currentScope)) {
          info.libraryHandler = true;
          break;
        }
        const wrapper = this.checks.wrapper(current, currentScope);
        if (wrapper?.guard) info.guards.push(wrapper.guard);
        if (wrapper?.imported) info.imported.push(wrapper.imported);
        if (wrapper?.attached) info.attached ??= wrapper.attached;
        const inner = this.handlerArgument(current, currentScope);
        if (!inner) break;
        current = unwrap(inner);
        continue;
      }
      if (current.type === T.MemberExpression) {
        if (this.isLibraryHandler(current, currentScope)) {
          info.libraryHandler = true;
          break;
        }
        const [fn] = this.handlers.functionsOf(current, currentScope, undefined);
        if (fn) info.fn = fn;
        break;
      }
      break;
    }
    return info;
  }

  /**
   * The handler a wrapper call wraps: a function argument, else a name bound to a function
   * here, else a wrapped call, else the first name (`withValidation(schema, handler)`,
   * `withAuth(withLogging(handler))`, `withAuth(importedHandler, options)`).
   */
  private handlerArgument(call: TSESTree.CallExpression, scope: Node): Node | undefined {
    const args = call.arguments.map((a) => unwrap(a));
    const fn = args.find(isFunction);
    if (fn) return fn;
    const local = args.find(
      (a) => a.type === T.Identifier && this.handlers.functionsOf(a, scope, undefined).length > 0,
    );
    return (
      local ??
      args.find((a) => a.type === T.CallExpression) ??
      args.find((a) => a.type === T.Identifier || a.type === T.MemberExpression)
    );
  }

  /** `NextAuth(authOptions)`, `handleAuth()`, `toNextJsHandler(auth)`, Auth.js `handlers` (or `handlers.POST`) from the project's auth file. */
  private isLibraryHandler(node: Node, scope: Node): boolean {
    const n = unwrapAwait(node);
    const origin = originOf(this.facts, n.type === T.CallExpression ? n.callee : n, scope);
    if (!origin) return false;
    if (AUTH_LIBRARY_HANDLERS.some((s) => matches(origin, s))) return true;
    // `toNextJsHandler(auth).POST`, `NextAuth(config).handlers`
    const head = { module: origin.module, path: origin.path.slice(0, 1) };
    if (AUTH_LIBRARY_HANDLERS.some((s) => matches(head, s))) return true;
    // Auth.js: `export const { GET, POST } = handlers`, `export const POST = handlers.POST`.
    return (
      !isPackage(origin.module) &&
      origin.path[0] === "handlers" &&
      (origin.path.length === 1 || METHODS.has(origin.path[1]))
    );
  }

  // -------------------------------------------------------------------------------
  // Exports.
  // -------------------------------------------------------------------------------

  /** The file's top-level named exports with their values (re-exports from other files left to the project index). */
  private exports: Export[] | undefined;

  private namedExports(): Export[] {
    if (this.exports) return this.exports;
    const out: Export[] = (this.exports = []);
    for (const c of this.facts.collected.get(T.ExportNamedDeclaration) ?? []) {
      const node = c.node as TSESTree.ExportNamedDeclaration;
      if (c.parent?.type !== T.Program || node.exportKind === "type") continue;
      const declaration = node.declaration;
      if (declaration?.type === T.FunctionDeclaration && declaration.id) {
        out.push({ name: declaration.id.name, value: declaration, loc: locOf(declaration.id) });
      } else if (declaration?.type === T.VariableDeclaration) {
        for (const d of declaration.declarations) {
          if (d.id.type === T.Identifier) {
            out.push({ name: d.id.name, ...(d.init ? { value: d.init } : {}), loc: locOf(d.id) });
          } else if (d.id.type === T.ObjectPattern && d.init) {
            for (const p of d.id.properties) {
              if (p.type !== T.Property || p.computed || p.key.type !== T.Identifier) continue;
              out.push({ name: p.key.name, destructured: d.init, loc: locOf(p.key) });
            }
          }
        }
      } else if (!declaration && !node.source) {
        for (const spec of node.specifiers) {
          if (spec.type !== T.ExportSpecifier || spec.exportKind === "type") continue;
          const exportedName = spec.exported.type === T.Identifier ? spec.exported.name : spec.exported.value;
          out.push({ name: exportedName, value: spec.local, loc: locOf(spec.exported) });
        }
      }
    }
    return out;
  }

  private defaultExport(): Export | undefined {
    for (const c of this.facts.collected.get(T.ExportDefaultDeclaration) ?? []) {
      const node = c.node as TSESTree.ExportDefaultDeclaration;
      if (c.parent?.type !== T.Program) continue;
      const d = node.declaration;
      if (d.type === T.TSInterfaceDeclaration || d.type === T.TSDeclareFunction) continue;
      // Reported on `export default` and the name or wrapper that follows on its line, never the whole function.
      const id = "id" in d && d.id ? d.id : undefined;
      const head = id ?? (d.type === T.Identifier ? d : d.type === T.CallExpression ? d.callee : undefined);
      const keywordEnd = { line: node.loc.start.line, column: node.loc.start.column + "export default".length };
      const end = head && head.loc.end.line === node.loc.start.line ? { ...head.loc.end } : keywordEnd;
      return { name: "default", value: d, loc: { start: { ...node.loc.start }, end } };
    }
    for (const exported of this.namedExports()) if (exported.name === "default") return exported;
    return undefined;
  }

  // -------------------------------------------------------------------------------
  // Middleware.
  // -------------------------------------------------------------------------------

  middleware(): RouteMiddleware | undefined {
    const config = this.matcherConfig();
    const found = this.middlewareValue();
    if (!found) return undefined;
    const described =
      found.module !== undefined && found.value.type === T.ExportSpecifier
        ? this.reExportedMiddleware(found.module, found.value)
        : this.describeMiddleware(found.value, found.scope, 0);
    // A file named middleware.ts is Next.js's when it uses Next.js, has a matcher, or is Auth.js's `auth` middleware.
    const isNext =
      config !== undefined ||
      [...this.facts.moduleSources].some((m) => MIDDLEWARE_MODULES.test(m)) ||
      described.importedFunctions?.some((f) => f.export === "auth") === true;
    if (!isNext) return undefined;
    return {
      framework: "nextjs",
      ...(config ? { matchers: config.matchers } : {}),
      ...(config?.incomplete ? { matchersIncomplete: true } : {}),
      ...described,
      loc: found.loc,
    };
  }

  /** `export default …`, `export function middleware`, `export const proxy = …`, `export { auth as middleware } from "@/auth"`. */
  private middlewareValue(): { value: Node; scope: Node; loc: Loc; module?: string } | undefined {
    for (const c of this.facts.collected.get(T.ExportNamedDeclaration) ?? []) {
      const node = c.node as TSESTree.ExportNamedDeclaration;
      if (!node.source || c.parent?.type !== T.Program) continue;
      for (const spec of node.specifiers) {
        const exportedName = spec.exported.type === T.Identifier ? spec.exported.name : spec.exported.value;
        if (exportedName !== "default" && exportedName !== "middleware" && exportedName !== "proxy") continue;
        return { value: spec, scope: this.facts.ast, loc: locOf(spec), module: node.source.value };
      }
    }
    const fallback = this.defaultExport();
    if (fallback?.value) return { value: fallback.value, scope: this.facts.ast, loc: fallback.loc };
    const named = this.namedExports().find((e) => e.name === "middleware" || e.name === "proxy");
    return named?.value ? { value: named.value, scope: this.facts.ast, loc: named.loc } : undefined;
  }

  private describeMiddleware(
    value: Node,
    scope: Node,
    depth: number,
  ): Pick<RouteMiddleware, "protects" | "only" | "except" | "name" | "requirement" | "importedFunctions"> {
    const none = { protects: "none" as const };
    if (depth > MAX_WRAPPERS) return none;
    const n = unwrap(value);
    if (isFunction(n)) return this.functionMiddleware(n, undefined);
    if (n.type === T.Identifier) {
      const b = this.facts.resolve(n.name, scope);
      if (b?.kind === "function" && isFunction(b.node)) return this.functionMiddleware(b.node, undefined);
      if (b?.kind === "var" && b.init) return this.describeMiddleware(b.init, b.scope, depth + 1);
      const origin = b?.kind === "import" ? originOf(this.facts, n, scope) : undefined;
      if (origin && matches(origin, NEXT_AUTH_MIDDLEWARE)) return { protects: "all", name: n.name };
      if (origin && !isPackage(origin.module))
        return { protects: "unknown", importedFunctions: [importedFunction("handler", n.name, origin, n)] };
      return none;
    }
    if (n.type !== T.CallExpression) return none;
    const callee = unwrap(n.callee);
    const origin = originOf(this.facts, callee, scope);
    const name = callee.type === T.Identifier ? callee.name : "middleware";
    if (origin && matches(origin, NEXT_AUTH_MIDDLEWARE)) return this.nextAuthMiddleware(n, name);
    if (origin && CLERK_MIDDLEWARE.some((s) => matches(origin, s))) {
      const callback = n.arguments.map((a) => unwrap(a)).find(isFunction);
      return callback ? this.clerkMiddleware(callback, name) : none;
    }
    if (origin && CLERK_AUTH_MIDDLEWARE.some((s) => matches(origin, s))) {
      const publicRoutes = optionValue(n, "publicRoutes");
      const except = publicRoutes ? patterns(publicRoutes) : undefined;
      return except && except.length > 0 ? { protects: "some", except, name } : { protects: "all", name };
    }
    if (origin && matches(origin, AUTH0_MIDDLEWARE)) return { protects: "all", name };
    const inner = n.arguments.map((a) => unwrap(a)).find(isFunction);
    if (origin && !isPackage(origin.module)) {
      const imported = importedFunction("wrapper", name, origin, callee);
      // Auth.js: `export default auth((req) => { if (!req.auth) … })`.
      const attached = exportPath(origin) === "auth" ? { member: "auth", source: name } : undefined;
      if (inner) {
        const described = this.functionMiddleware(inner, attached);
        if (described.protects !== "none") return { ...described, importedFunctions: [imported] };
      }
      return { protects: "unknown", importedFunctions: [imported] };
    }
    return inner ? this.functionMiddleware(inner, undefined) : none;
  }

  /** `export { default } from "next-auth/middleware"`, `export { auth as middleware } from "@/auth"`. */
  private reExportedMiddleware(
    module: string,
    spec: TSESTree.ExportSpecifier,
  ): Pick<RouteMiddleware, "protects" | "name" | "importedFunctions"> {
    const local = spec.local.type === T.Identifier ? spec.local.name : spec.local.value;
    const origin = { module, path: [local] };
    if (matches(origin, NEXT_AUTH_MIDDLEWARE)) return { protects: "all", name: module };
    if (isPackage(module)) return { protects: "none" };
    return { protects: "unknown", importedFunctions: [importedFunction("handler", local, origin, spec.local)] };
  }

  /** next-auth's `withAuth(…)`: it redirects to sign-in unless its `authorized` callback lets the request in. */
  private nextAuthMiddleware(
    call: TSESTree.CallExpression,
    name: string,
  ): Pick<RouteMiddleware, "protects" | "name" | "requirement"> {
    const options = call.arguments.map((a) => unwrap(a)).find((a) => a.type === T.ObjectExpression);
    const callbacks = options ? optionValue(options, "callbacks") : undefined;
    const authorized = callbacks ? optionValue(callbacks, "authorized") : undefined;
    if (authorized && isFunction(authorized) && returnsTrue(authorized)) {
      const inner = call.arguments.map((a) => unwrap(a)).find(isFunction);
      return inner ? this.functionMiddleware(inner, { member: "nextauth", source: name }) : { protects: "none" };
    }
    const requirement: Requirement | undefined =
      authorized && /role|admin/i.test(this.facts.text.slice(authorized.range[0], authorized.range[1]))
        ? "role"
        : undefined;
    return { protects: "all", name, ...(requirement ? { requirement } : {}) };
  }

  /** `clerkMiddleware(async (auth, req) => { if (isProtectedRoute(req)) await auth.protect() })`. */
  private clerkMiddleware(
    callback: FunctionNode,
    name: string,
  ): Pick<RouteMiddleware, "protects" | "only" | "except" | "name" | "requirement"> {
    const statements = callback.body.type === T.BlockStatement ? callback.body.body : [callback.body];
    for (const statement of statements) {
      const expression =
        statement.type === T.ExpressionStatement
          ? statement.expression
          : statement.type === T.VariableDeclaration
            ? statement.declarations[0]?.init
            : undefined;
      const guard = expression ? this.checks.assertion(expression, callback) : undefined;
      if (guard)
        return { protects: "all", name: guard.name, ...(guard.requirement ? { requirement: guard.requirement } : {}) };
      if (statement.type !== T.IfStatement) continue;
      const matcher = this.routeMatcherTest(statement.test, callback);
      if (!matcher) continue;
      const protects = this.protectsIn(statement.consequent, callback);
      if (!protects) continue;
      return {
        protects: "some",
        ...(matcher.negated ? { except: matcher.patterns } : { only: matcher.patterns }),
        name: protects.name,
        ...(protects.requirement ? { requirement: protects.requirement } : {}),
      };
    }
    const generic = this.functionMiddleware(callback, undefined);
    return generic.protects === "none" ? { protects: "none", name } : generic;
  }

  /** `auth.protect()` or a session check that answers, somewhere in a branch. */
  private protectsIn(branch: Node, scope: FunctionNode): Guard | undefined {
    const statements = branch.type === T.BlockStatement ? branch.body : [branch];
    for (const s of statements) {
      const expression =
        s.type === T.ExpressionStatement ? s.expression : s.type === T.ReturnStatement ? s.argument : undefined;
      const guard = expression ? this.checks.assertion(expression, scope) : undefined;
      if (guard) return guard;
      if (s.type === T.ReturnStatement && s.argument) {
        const call = unwrapAwait(s.argument);
        if (call.type === T.CallExpression && /redirectToSignIn|redirect/.test(propertyNameOf(call.callee) ?? ""))
          return { name: propertyNameOf(call.callee)!, node: call };
      }
    }
    return undefined;
  }

  /** `isProtectedRoute(req)` / `!isPublicRoute(req)` where `isProtectedRoute = createRouteMatcher([...])`. */
  private routeMatcherTest(test: Node, scope: Node): { patterns: string[]; negated: boolean } | undefined {
    let n = unwrap(test);
    let negated = false;
    if (n.type === T.LogicalExpression && n.operator === "&&") {
      const sides = [n.left, n.right].map((s) => this.routeMatcherTest(s, scope)).filter((s) => s !== undefined);
      return sides.length === 1 ? sides[0] : undefined;
    }
    if (n.type === T.UnaryExpression && n.operator === "!") {
      negated = true;
      n = unwrap(n.argument);
    }
    if (n.type !== T.CallExpression) return undefined;
    const callee = unwrap(n.callee);
    if (callee.type !== T.Identifier) return undefined;
    const b = this.facts.resolve(callee.name, scope);
    const init = b?.kind === "var" && b.init ? unwrap(b.init) : undefined;
    if (init?.type !== T.CallExpression) return undefined;
    const origin = originOf(this.facts, init.callee, b!.scope);
    if (!origin || !CLERK_ROUTE_MATCHER.some((s) => matches(origin, s))) return undefined;
    const list = init.arguments[0] ? patterns(unwrap(init.arguments[0]), this.facts, b!.scope) : undefined;
    return list ? { patterns: list, negated } : undefined;
  }

  /** A hand-written middleware: what its session checks turn away; a call into the project decides otherwise. */
  private functionMiddleware(
    fn: FunctionNode,
    attached: Attached | undefined,
  ): Pick<RouteMiddleware, "protects" | "name" | "requirement" | "importedFunctions"> {
    const found = this.checks.middlewareProtection(fn, attached);
    if (found)
      return {
        protects: found.protects,
        name: found.guard.name,
        ...(found.guard.requirement ? { requirement: found.guard.requirement } : {}),
      };
    const imported: ImportedFunction[] = [];
    for (const site of this.facts.sitesWithin(this.facts.localCalls, fn)) {
      const callee = site.call.callee as TSESTree.Identifier;
      const origin = originOf(this.facts, callee, site.scope);
      if (origin && !isPackage(origin.module)) imported.push(importedFunction("handler", callee.name, origin, callee));
    }
    return imported.length > 0 ? { protects: "unknown", importedFunctions: imported } : { protects: "none" };
  }

  /** `export const config = { matcher: [...] }`. */
  private matcherConfig(): { matchers: string[]; incomplete: boolean } | undefined {
    const config = this.namedExports().find((e) => e.name === "config");
    const value = config?.value ? unwrap(config.value) : undefined;
    if (value?.type !== T.ObjectExpression) return undefined;
    const matcher = optionValue(value, "matcher");
    if (!matcher) return undefined;
    const entries = matcher.type === T.ArrayExpression ? matcher.elements : [matcher];
    const matchers: string[] = [];
    let incomplete = false;
    for (const entry of entries.slice(0, MAX_PATTERNS)) {
      const e = entry && entry.type !== T.SpreadElement ? unwrap(entry) : undefined;
      const text = e
        ? (staticString(e) ?? (e.type === T.ObjectExpression ? staticStringOf(optionValue(e, "source")) : undefined))
        : undefined;
      if (text === undefined) incomplete = true;
      else matchers.push(text);
    }
    return { matchers, incomplete: incomplete || entries.length > MAX_PATTERNS };
  }
}

// ---------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------

function emptyInfo(): HandlerInfo {
  return { guards: [], imported: [], libraryHandler: false };
}

/** `req.method === "POST"`, `method !== "POST"`, `["POST", "PUT"].includes(req.method)`, joined with `||` / `&&`. */
function methodTest(
  test: Node,
  isMethod: (node: Node) => boolean,
  depth = 0,
): { methods: HttpMethod[]; negated: boolean } | undefined {
  if (depth > 8) return undefined;
  const n = unwrap(test);
  if (n.type === T.UnaryExpression && n.operator === "!") {
    const inner = methodTest(n.argument, isMethod, depth + 1);
    return inner && { methods: inner.methods, negated: !inner.negated };
  }
  if (n.type === T.LogicalExpression && n.operator !== "??") {
    const left = methodTest(n.left, isMethod, depth + 1);
    const right = methodTest(n.right, isMethod, depth + 1);
    if (!left || !right || left.negated !== right.negated) return undefined;
    // `a === X || a === Y` and `a !== X && a !== Y` list methods; the other joins do not.
    if ((n.operator === "||") === left.negated) return undefined;
    return { methods: [...left.methods, ...right.methods], negated: left.negated };
  }
  if (n.type === T.BinaryExpression && ["===", "==", "!==", "!="].includes(n.operator)) {
    const [value, subject] = isMethod(n.left) ? [n.right, n.left] : [n.left, n.right];
    if (!isMethod(subject)) return undefined;
    const method = METHODS.get(staticString(value)?.toUpperCase() ?? "");
    return method ? { methods: [method], negated: n.operator.startsWith("!") } : undefined;
  }
  if (n.type === T.CallExpression && n.callee.type === T.MemberExpression && propertyName(n.callee) === "includes") {
    const list = unwrap(n.callee.object);
    if (list.type !== T.ArrayExpression || !n.arguments[0] || !isMethod(n.arguments[0])) return undefined;
    const methods = list.elements.flatMap((e) => {
      const m = e && e.type !== T.SpreadElement ? METHODS.get(staticString(e)?.toUpperCase() ?? "") : undefined;
      return m ? [m] : [];
    });
    return methods.length > 0 ? { methods, negated: false } : undefined;
  }
  return undefined;
}

/** A `return` or `throw`, alone or in a block: the 405 answer of a method check. */
function exitsPlainly(statement: Node): boolean {
  if (statement.type === T.ReturnStatement || statement.type === T.ThrowStatement) return true;
  return statement.type === T.BlockStatement && statement.body.some((s) => exitsPlainly(s));
}

function hasDirective(body: readonly Node[], directive: string): boolean {
  for (const statement of body) {
    if (statement.type !== T.ExpressionStatement || statement.directive === undefined) return false;
    if (statement.directive === directive) return true;
  }
  return false;
}

/** The value of `key:` in an object literal. */
function optionValue(node: Node, key: string): Node | undefined {
  const n = unwrap(node);
  if (n.type !== T.ObjectExpression) return undefined;
  for (const p of n.properties) {
    if (p.type !== T.Property || p.computed) continue;
    const name = p.key.type === T.Identifier ? p.key.name : staticString(p.key);
    if (name === key) return unwrap(p.value);
  }
  return undefined;
}

function staticStringOf(node: Node | undefined): string | undefined {
  return node ? staticString(node) : undefined;
}

/** `["/dashboard(.*)", "/api/orders(.*)"]` or a name bound to one: the patterns, when all are strings. */
function patterns(node: Node, facts?: FileFacts, scope?: Node): string[] | undefined {
  let n = unwrap(node);
  if (n.type === T.Identifier && facts && scope) {
    const b = facts.resolve(n.name, scope);
    if (b?.kind === "var" && b.init) n = unwrap(b.init);
  }
  const single = staticString(n);
  if (single !== undefined) return [single];
  if (n.type !== T.ArrayExpression) return undefined;
  const out: string[] = [];
  for (const e of n.elements.slice(0, MAX_PATTERNS)) {
    const text = e && e.type !== T.SpreadElement ? staticString(e) : undefined;
    if (text === undefined) return undefined;
    out.push(text);
  }
  return out;
}

/** `() => true`, `function () { return true; }`. */
function returnsTrue(fn: FunctionNode): boolean {
  const body = fn.body;
  if (body.type !== T.BlockStatement)
    return unwrap(body).type === T.Literal && (unwrap(body) as TSESTree.Literal).value === true;
  return (
    body.body.length === 1 &&
    body.body[0].type === T.ReturnStatement &&
    body.body[0].argument?.type === T.Literal &&
    body.body[0].argument.value === true
  );
}

function propertyNameOf(callee: Node): string | undefined {
  const c = unwrap(callee);
  if (c.type === T.Identifier) return c.name;
  return c.type === T.MemberExpression ? propertyName(c) : undefined;
}
