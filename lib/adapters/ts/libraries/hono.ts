/**
 * Hono: apps (`new Hono()`, `.basePath("/api")`), their routes, and which auth middleware
 * runs before each route. Hono keeps one ordered list of handlers per app and
 * `app.route(path, sub)` copies the sub-app's list into it, so middleware runs before a
 * route when it was registered before the route in that list: on the route itself,
 * `app.use("/api/*", jwt(…))` earlier on the same app, on the parent before the sub-app was
 * mounted, or in another sub-app mounted earlier on a path that covers it. Sub-apps
 * mounted from other files are recorded as mounts.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { Endpoint, ExternalMount, FrameworkVocabulary, HttpMethod } from "../../../core/model.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import {
  locOf,
  propertyName,
  span,
  typeAnnotationName,
  unwrapAwait,
  type FunctionNode,
  type Node,
  isDenyStatus,
} from "../ast.js";
import { DataLayer } from "../concerns/data-layer.js";
import type { Binding, CallSite, FileFacts } from "../facts.js";
import { Handlers } from "../handlers.js";
import { isPrincipalSegment, type RequestBinding } from "../concerns/value-origins.js";
import { requestChecks, type RequestChecks } from "../concerns/request-checks.js";
import { auditEvents, type AuditEvents } from "../concerns/audit-events.js";
import { matches, originOf, type ImportSpecifier } from "../imports.js";
import type { TsLibrary } from "./library.js";
import {
  callsParameter,
  firstSegment,
  flatten,
  Guards,
  isPathLike,
  joinPaths,
  localFunction,
  methodsOf,
  pathText,
  patternCover,
  projectExport,
  RouteGraph,
  stringValue,
  type AuthExport,
  type Cover,
  type GraphExternalMount,
  type GraphReceiver,
  type GraphRoute,
  type Item,
  type PatternOptions,
  routeEndpoint,
} from "./routing.js";

export const HONO: FrameworkVocabulary = {
  displayName: "Hono",
  missingAuth: "no auth middleware on the route, and none registered before it with app.use() on a path that covers it",
  addAuth:
    'pass an auth middleware before the handler or call app.use("/api/*", jwt({ secret })) before the route (or before app.route() mounts its sub-app).',
};

const ROUTE_METHODS: ReadonlyMap<string, HttpMethod> = new Map([
  ["get", "GET"],
  ["post", "POST"],
  ["put", "PUT"],
  ["patch", "PATCH"],
  ["delete", "DELETE"],
  ["all", "ANY"],
  ["options", "OPTIONS"],
]);

const CALL_NAMES: ReadonlySet<string> = new Set([...ROUTE_METHODS.keys(), "on", "use", "route"]);
/** App methods that return the app, so calls chain: `new Hono().use(auth).post(…)`. */
const CHAINABLE = new Set([...CALL_NAMES, "notFound", "onError", "mount"]);

const HONO_APPS: readonly ImportSpecifier[] = [
  { from: "package", package: "hono", name: "Hono" },
  { from: "package", package: "hono/tiny", name: "Hono" },
  { from: "package", package: "hono/quick", name: "Hono" },
  { from: "package", package: "@hono/zod-openapi", name: "OpenAPIHono" },
];
const FACTORY_APP: ImportSpecifier = { from: "package", package: "hono/factory", name: "createFactory.().createApp" };
const MIDDLEWARE_WRAPPERS: readonly ImportSpecifier[] = [
  { from: "package", package: "hono/factory", name: ["createMiddleware", "createFactory.().createMiddleware"] },
];
const APP_MODULES = new Set(["hono", "hono/tiny", "hono/quick", "@hono/zod-openapi"]);
const APP_TYPES = new Set(["Hono", "OpenAPIHono"]);

const AUTH_EXPORTS: readonly AuthExport[] = [
  { specifier: { from: "package", package: "hono/jwt", name: "jwt" }, kind: "guard" },
  { specifier: { from: "package", package: "hono/jwk", name: "jwk" }, kind: "guard" },
  { specifier: { from: "package", package: "hono/bearer-auth", name: "bearerAuth" }, kind: "guard" },
  { specifier: { from: "package", package: "hono/basic-auth", name: "basicAuth" }, kind: "guard" },
  { specifier: { from: "package", package: "@hono/oidc-auth", name: "oidcAuthMiddleware" }, kind: "guard" },
  { specifier: { from: "package", package: "@hono/auth-js", name: "verifyAuth" }, kind: "guard" },
  { specifier: { from: "package", package: "@hono/firebase-auth", name: "verifyFirebaseAuth" }, kind: "guard" },
  // Clerk's middleware reads the session and lets every request through; `getAuth(c)` decides in the handler.
  { specifier: { from: "package", package: "@hono/clerk-auth", name: "clerkMiddleware" }, kind: "soft" },
];

/** Hono matches paths case-sensitively; `/api/*` covers `/api` and what is under it, `/api` only itself. */
const PATHS: PatternOptions = { caseSensitive: true, coversBelow: false };

/** `c.json(body, 401)`, `c.text("Unauthorized", 401)`: Context methods whose second argument is the status. */
const RESPONSE_METHODS = new Set(["json", "text", "body", "html", "newResponse"]);
const RECEIVER_NAME = /^(app|router|api)$|Router$|App$/;
const MAX_DEPTH = 8;
/** Middleware of a sub-app carried into its parent per mount: any one protects, and more are only listed. */
const MAX_TRANSFERRED = 32;

/** A Hono app: the instance whose ordered handler list routes and middleware go into. */
type App = GraphReceiver;

/** An app seen through `basePath()`: registrations on it go into the app under the prefix. */
interface View {
  app: App;
  prefix: string | undefined;
}

export const hono: TsLibrary = {
  id: "hono",
  memberCalls: CALL_NAMES,
  nodeTypes: new Set([T.CallExpression, T.TryStatement]),
  // Apps come from these packages, by value or by type.
  applies: ({ facts }) =>
    facts.memberCalls.length > 0 && ([...APP_MODULES].some((m) => facts.imports(m)) || facts.imports("hono/factory")),
  endpoints: (file) => analyse(file.facts, file.settings).endpoints,
  mounts: (file) => analyse(file.facts, file.settings).mounts,
  denySignal: isHonoDenySignal,
};

/** `c.json(body, 401)`, `c.text("…", 403)`, `c.json(body, { status: 401 })`, `new Response(null, { status: 401 })`. */
export function isHonoDenySignal(
  node: TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.AssignmentExpression,
): boolean {
  if (node.type === T.AssignmentExpression) return false;
  const callee = node.callee;
  if (node.type === T.NewExpression)
    return callee.type === T.Identifier && callee.name === "Response" && deniesByInit(node.arguments[1]);
  if (callee.type !== T.MemberExpression) return false;
  const name = propertyName(callee);
  return (
    name !== undefined &&
    RESPONSE_METHODS.has(name) &&
    (isDenyStatus(node.arguments[1]) || deniesByInit(node.arguments[1]))
  );
}

/** `{ status: 401 }` */
function deniesByInit(node: Node | undefined): boolean {
  if (node?.type !== T.ObjectExpression) return false;
  return node.properties.some(
    (p) =>
      p.type === T.Property &&
      !p.computed &&
      p.key.type === T.Identifier &&
      p.key.name === "status" &&
      isDenyStatus(p.value),
  );
}

const cache = new WeakMap<FileFacts, { endpoints: Endpoint[]; mounts: ExternalMount[] }>();

function analyse(facts: FileFacts, settings: ResolvedSettings): { endpoints: Endpoint[]; mounts: ExternalMount[] } {
  let result = cache.get(facts);
  if (!result) cache.set(facts, (result = new HonoFile(facts, settings).analyse()));
  return result;
}

interface Registration {
  view: View;
  site: CallSite;
  name: string;
  /** The position of the method name: chained calls share their start. */
  order: number;
}

/** Reads of Hono's request that are the client's: `c.req.param("id")`, `c.req.query()`, `await c.req.json()`, `c.req.valid("json")`. */
const HONO_CLIENT_READS = /^(?:param|query|queries|json|parseBody|formData|text|valid|header|arrayBuffer|blob)\(/;

/** `(c)`: `c.req.…` reads are the client's; `c.get("user")`, `c.var.user`, `c.get("jwtPayload")` are the caller. */
export const HONO_CONTEXT: RequestBinding = {
  classify(_fn, index, path) {
    const [first, second] = path;
    if (index !== 0 || first === undefined) return undefined;
    if (first === "req") return second !== undefined && HONO_CLIENT_READS.test(second) ? "client" : undefined;
    if (first === "var" && second !== undefined) return isPrincipalSegment(second) ? "principal" : undefined;
    return /^get\(/.test(first) && isPrincipalSegment(first) ? "principal" : undefined;
  },
};

class HonoFile {
  private readonly guards: Guards;
  private readonly handlers: Handlers;
  private readonly checks: RequestChecks;
  private readonly audits: AuditEvents;
  private readonly views = new Map<unknown, View | null>();
  private readonly graph: RouteGraph<App>;
  private readonly importsHono: boolean;

  constructor(
    private readonly facts: FileFacts,
    settings: ResolvedSettings,
  ) {
    this.guards = new Guards(facts, settings, {
      exports: AUTH_EXPORTS,
      wrappers: MIDDLEWARE_WRAPPERS,
      isMiddleware: (fn) => fn.params.length >= 2,
      passOn: 1,
      inlineName: "inline middleware",
    });
    this.handlers = new Handlers(facts, new DataLayer(facts), settings);
    this.checks = requestChecks(facts, settings);
    this.audits = auditEvents(facts, settings);
    this.graph = new RouteGraph((item) => this.guards.classify(item.node, item.scope), true);
    this.importsHono = [...APP_MODULES].some((m) => facts.imports(m));
  }

  analyse(): { endpoints: Endpoint[]; mounts: ExternalMount[] } {
    const registrations: Registration[] = [];
    for (const site of this.facts.memberCalls) {
      const callee = site.call.callee as TSESTree.MemberExpression;
      const name = propertyName(callee)!;
      if (!CALL_NAMES.has(name)) continue;
      const view = this.viewOf(callee.object, site.scope);
      if (view) registrations.push({ view, site, name, order: callee.property.range[0] });
    }
    // Guards and mounts go into the graph in registration order.
    registrations.sort((a, b) => a.order - b.order);
    const routes: GraphRoute<App>[] = [];
    const external: GraphExternalMount<App>[] = [];
    for (const registration of registrations) {
      if (registration.name === "use") this.use(registration);
      else if (registration.name === "route") this.mount(registration, external);
      else {
        const route = this.route(registration);
        if (route) routes.push(route);
      }
    }
    routes.sort((a, b) => a.loc.start.line - b.loc.start.line || a.loc.start.column - b.loc.start.column);
    return {
      endpoints: routes.map((route) => this.endpoint(route)),
      mounts: external.map((mount) => this.graph.external(mount, "hono")),
    };
  }

  private endpoint(route: GraphRoute<App>): Endpoint {
    const { path, protections } = this.graph.resolve(route);
    const endpoint = routeEndpoint(
      this.handlers,
      { ...route, framework: "hono", vocabulary: HONO, path, protections, binding: HONO_CONTEXT },
      this.checks,
    );
    const functions = this.handlers.functionsOf(route.handler.node, route.handler.scope, undefined);
    const markers = (route.middleware ?? []).map((m) => m.node);
    return this.audits.record(endpoint, functions, HONO_CONTEXT, markers);
  }

  /** `app.post(path, ...middleware, handler)`, `app.on(methods, path, …)`; a guard in last place guards what follows. */
  private route({ view, site, name, order }: Registration): GraphRoute<App> | undefined {
    const callee = site.call.callee as TSESTree.MemberExpression;
    let args = site.call.arguments;
    let methods: HttpMethod[] | undefined;
    if (name === "on") {
      methods = args[0] && methodsOf(this.facts, args[0], site.scope);
      args = args.slice(1);
    } else methods = [ROUTE_METHODS.get(name)!];
    const [pathNode, ...rest] = args;
    if (!methods || !pathNode || rest.length === 0 || !isPathLike(this.facts, pathNode, site.scope)) return undefined;
    const items = flatten(this.facts, rest, site.scope);
    const handler = items.at(-1);
    if (!handler) return undefined;
    const path = joinPaths(view.prefix, pathText(this.facts, pathNode, site.scope));
    if (this.isGuardInLastPlace(handler)) {
      this.graph.addGuard({
        receiver: view.app,
        order,
        cover: patternCover(path, PATHS),
        methods: methods.includes("ANY") ? undefined : methods,
        items,
      });
      return undefined;
    }
    return {
      receiver: view.app,
      order,
      methods,
      path,
      loc: span(callee.property, pathNode),
      middleware: items.slice(0, -1),
      handler,
    };
  }

  /** `app.use([path,] ...middleware)`: without a path it covers everything under the app's base path. */
  private use({ view, site, order }: Registration): void {
    const args = site.call.arguments;
    const pathNode = args[0] && isPathLike(this.facts, args[0], site.scope) ? args[0] : undefined;
    const pattern = joinPaths(view.prefix, pathNode ? pathText(this.facts, pathNode, site.scope) : "*");
    const items = flatten(this.facts, pathNode ? args.slice(1) : args, site.scope);
    this.graph.addGuard({ receiver: view.app, order, cover: patternCover(pattern, PATHS), methods: undefined, items });
  }

  /**
   * `app.route(path, sub)`: the sub-app's routes and middleware so far join the app's list
   * under the path, so its middleware also runs before routes the app registers later there.
   */
  private mount({ view, site, order }: Registration, external: GraphExternalMount<App>[]): void {
    const [pathNode, subNode] = site.call.arguments;
    if (!pathNode || !subNode) return;
    const prefix = joinPaths(view.prefix, pathText(this.facts, pathNode, site.scope));
    const sub = this.viewOf(subNode, site.scope);
    if (sub) {
      if (sub.app === view.app) return;
      sub.app.kind = "router";
      this.graph.addMount(sub.app, { parent: view.app, order, prefix, before: [], copies: true });
      for (const guard of this.graph.guardsOf(sub.app, order).slice(0, MAX_TRANSFERRED))
        this.graph.addGuard({ ...guard, receiver: view.app, order, cover: under(prefix, guard.cover) });
      return;
    }
    const exported = projectExport(this.facts, subNode, site.scope);
    if (exported) external.push({ parent: view.app, order, prefix, before: [], ...exported, loc: locOf(site.call) });
  }

  private isGuardInLastPlace(item: Item): boolean {
    const fn: FunctionNode | undefined = localFunction(this.facts, item.node, item.scope);
    if (fn) return this.guards.isGuardFunction(fn) && callsParameter(this.facts, fn, 1);
    return this.guards.classify(item.node, item.scope) !== undefined;
  }

  // -------------------------------------------------------------------------------
  // Apps
  // -------------------------------------------------------------------------------

  /** The app (and base path) a call is made on, following chained app calls down to it. */
  private viewOf(expr: Node, scope: Node, depth = 0): View | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const node = unwrapAwait(expr);
    if (node.type === T.CallExpression && node.callee.type === T.MemberExpression) {
      const name = propertyName(node.callee);
      if (name === "basePath") {
        const inner = this.viewOf(node.callee.object, scope, depth + 1);
        const base = node.arguments[0] && stringValue(this.facts, node.arguments[0], scope);
        return inner && base !== undefined ? { app: inner.app, prefix: joinPaths(inner.prefix, base) } : inner;
      }
      if (name !== undefined && CHAINABLE.has(name)) return this.viewOf(node.callee.object, scope, depth + 1);
      if (name === "createApp" && matches(originOf(this.facts, node.callee, scope), FACTORY_APP))
        return this.viewFor(node, () => ({ app: { kind: "app" }, prefix: undefined }));
      return undefined;
    }
    if (node.type === T.NewExpression) {
      const origin = originOf(this.facts, node.callee, scope);
      return origin && HONO_APPS.some((s) => matches(origin, s))
        ? this.viewFor(node, () => ({ app: { kind: "app" }, prefix: undefined }))
        : undefined;
    }
    if (node.type !== T.Identifier) return undefined;
    const binding = this.facts.resolve(node.name, scope);
    return binding ? this.viewFor(binding, () => this.classifyBinding(binding, depth)) : undefined;
  }

  private viewFor(key: unknown, classify: () => View | undefined): View | undefined {
    let view = this.views.get(key);
    if (view === undefined) {
      this.views.set(key, null);
      view = classify() ?? null;
      this.views.set(key, view);
    }
    return view ?? undefined;
  }

  private classifyBinding(binding: Binding, depth: number): View | undefined {
    if (this.isTypedApp(binding)) return { app: { kind: "app" }, prefix: undefined };
    if (binding.kind === "var") {
      const values = [
        binding.init,
        ...(this.facts.assignments.get(binding.name) ?? [])
          .filter((a) => this.facts.resolve(binding.name, a.scope) === binding)
          .map((a) => a.value),
      ];
      for (const value of values) {
        const view = value && this.viewOf(value, binding.scope, depth + 1);
        if (view) return view;
      }
      return undefined;
    }
    // `export function registerOrders(app) { app.post(…) }` in a file that imports Hono.
    if (binding.kind === "param" && this.importsHono && RECEIVER_NAME.test(binding.name))
      return { app: { kind: "app" }, prefix: undefined };
    return undefined;
  }

  /** A parameter or variable typed `Hono` / `OpenAPIHono` from Hono's packages. */
  private isTypedApp(binding: Binding): boolean {
    const node = binding.node.type === T.VariableDeclarator ? binding.node.id : binding.node;
    const type = typeAnnotationName(node);
    if (!type || type.path.includes(".")) return false;
    const b = this.facts.resolve(type.path, binding.scope);
    return b?.kind === "import" && APP_MODULES.has(b.source!) && APP_TYPES.has(b.imported ?? "");
  }
}

/** A sub-app's guard as seen from the parent it is mounted in under `prefix`. */
function under(prefix: string, cover: Cover): Cover {
  const head = prefix.split("/").filter((s) => s !== "");
  if (head.length === 0) return cover;
  const within = (path: string): string | undefined => {
    const segments = path.split("/").filter((s) => s !== "");
    if (segments.length < head.length) return undefined;
    for (let i = 0; i < head.length; i++) if (!head[i].startsWith(":") && head[i] !== segments[i]) return undefined;
    return `/${segments.slice(head.length).join("/")}`;
  };
  const test = (path: string) => {
    const rest = within(path);
    return rest !== undefined && cover.test(rest);
  };
  const segment = head[0].startsWith(":") ? undefined : firstSegment(prefix, true);
  return segment === undefined ? { test } : { test, segment };
}
