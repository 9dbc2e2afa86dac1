/**
 * Koa: `@koa/router` / `koa-router` routers and Koa apps, their routes, and which auth
 * middleware runs before each route — on the route itself, registered earlier with
 * `router.use()` on the same router, or in front of the router where this file mounts it
 * (`app.use(jwt(…))` before `app.use(router.routes())`, `router.use("/admin", auth,
 * admin.routes())`, koa-mount). Routers mounted from other files are recorded as mounts.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { Endpoint, ExternalMount, FrameworkVocabulary, HttpMethod } from "../../../core/model.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import {
  locOf,
  propertyName,
  span,
  typeAnnotationName,
  unwrap,
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
  EVERY_PATH,
  flatten,
  Guards,
  isPathLike,
  joinPaths,
  localFunction,
  objectValue,
  pathText,
  patternCover,
  projectExport,
  propertyValue,
  RouteGraph,
  stringValue,
  type AuthExport,
  type GraphExternalMount,
  type GraphReceiver,
  type GraphRoute,
  type Item,
  type PatternOptions,
  routeEndpoint,
} from "./routing.js";

export const KOA: FrameworkVocabulary = {
  displayName: "Koa",
  missingAuth: "no auth middleware on the route, and none registered before it with router.use() or app.use()",
  addAuth:
    "pass an auth middleware before the handler (router.post(path, requireAuth, handler)) or call router.use(jwt({ secret })) before the route.",
};

const ROUTE_METHODS: ReadonlyMap<string, HttpMethod> = new Map([
  ["get", "GET"],
  ["post", "POST"],
  ["put", "PUT"],
  ["patch", "PATCH"],
  ["delete", "DELETE"],
  ["del", "DELETE"],
  ["all", "ANY"],
  ["head", "HEAD"],
  ["options", "OPTIONS"],
]);

/** Router methods that return the router, so calls chain: `router.use(auth).post(…)`. */
const CHAINABLE = new Set([...ROUTE_METHODS.keys(), "use", "prefix", "param", "redirect"]);
const CALL_NAMES: ReadonlySet<string> = new Set([...ROUTE_METHODS.keys(), "use", "prefix"]);

const ROUTER: ImportSpecifier = { from: "package", package: "@koa/router", name: ["default", "Router"] };
const LEGACY_ROUTER: ImportSpecifier = { from: "package", package: "koa-router", name: ["default", "Router"] };
const APP: ImportSpecifier = { from: "package", package: "koa", name: ["default", "Koa"] };
const MOUNT: ImportSpecifier = { from: "package", package: "koa-mount", name: "default" };
const ROUTER_PACKAGES = new Set(["@koa/router", "koa-router"]);
/** Packages whose presence says an untyped `router`/`app` parameter is Koa's. */
const KOA_PACKAGES = new Set(["koa", "@koa/router", "koa-router"]);

const AUTH_EXPORTS: readonly AuthExport[] = [
  {
    specifier: { from: "package", package: "koa-jwt", name: "default" },
    kind: "guard",
    softWhen: { option: "passthrough", value: true },
  },
  { specifier: { from: "package", package: "koa-basic-auth", name: "default" }, kind: "guard" },
];

/** koa-router matches paths without regard to case, and `use("/admin", …)` covers what is under `/admin`. */
const USE_PATHS: PatternOptions = { caseSensitive: false, coversBelow: true };
const ROUTE_PATHS: PatternOptions = { caseSensitive: false, coversBelow: false };

const RECEIVER_NAME = /^(app|router|api)$|Router$/;
const MAX_DEPTH = 8;

/** A Koa app or router, identified by the binding (or expression) that holds it. */
interface Receiver extends GraphReceiver {
  /** `new Router({ prefix: "/api" })`, `router.prefix("/api")`. */
  prefix: string | undefined;
}

export const koa: TsLibrary = {
  id: "koa",
  memberCalls: CALL_NAMES,
  nodeTypes: new Set([T.CallExpression, T.TryStatement]),
  // Routers and apps come from these packages, by value or by type.
  applies: ({ facts }) => facts.memberCalls.length > 0 && [...KOA_PACKAGES].some((m) => facts.imports(m)),
  endpoints: (file) => analyse(file.facts, file.settings).endpoints,
  mounts: (file) => analyse(file.facts, file.settings).mounts,
  denySignal: isKoaDenySignal,
};

/** `ctx.throw(401)`, `ctx.throw("…", 403)`, `ctx.assert(user, 401)`, `ctx.status = 401`. */
export function isKoaDenySignal(
  node: TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.AssignmentExpression,
): boolean {
  if (node.type === T.AssignmentExpression)
    return node.left.type === T.MemberExpression && propertyName(node.left) === "status" && isDenyStatus(node.right);
  if (node.type !== T.CallExpression || node.callee.type !== T.MemberExpression) return false;
  const name = propertyName(node.callee);
  if (name === "throw") return node.arguments.slice(0, 2).some((a) => isDenyStatus(a));
  if (name === "assert") return isDenyStatus(node.arguments[1]);
  return false;
}

const cache = new WeakMap<FileFacts, { endpoints: Endpoint[]; mounts: ExternalMount[] }>();

function analyse(facts: FileFacts, settings: ResolvedSettings): { endpoints: Endpoint[]; mounts: ExternalMount[] } {
  let result = cache.get(facts);
  if (!result) cache.set(facts, (result = new KoaFile(facts, settings).analyse()));
  return result;
}

/** A `use()` or route call on a receiver, by the position of its method name (chained calls share a start). */
interface Registration {
  receiver: Receiver;
  site: CallSite;
  name: string;
  order: number;
}

const KOA_CLIENT = new Set(["params", "query", "querystring", "headers", "header", "cookies", "files", "file"]);
const KOA_REQUEST_CLIENT = new Set(["body", "query", "params", "files", "headers", "querystring"]);

/**
 * `(ctx, next)`: `ctx.params`, `ctx.query`, `ctx.request.body`, `ctx.get(…)` are the
 * client's; `ctx.state.user` (and the state an auth middleware sets) is the caller.
 */
export const KOA_CONTEXT: RequestBinding = {
  classify(_fn, index, path) {
    const [first, second] = path;
    if (index !== 0 || first === undefined) return undefined;
    if (KOA_CLIENT.has(first) || /^get\(/.test(first)) return "client";
    if (first === "request" && second !== undefined) return KOA_REQUEST_CLIENT.has(second) ? "client" : undefined;
    if (first === "state" && second !== undefined) return isPrincipalSegment(second) ? "principal" : undefined;
    return first === "user" ? "principal" : undefined;
  },
};

class KoaFile {
  private readonly guards: Guards;
  private readonly handlers: Handlers;
  private readonly checks: RequestChecks;
  private readonly audits: AuditEvents;
  private readonly receivers = new Map<unknown, Receiver | null>();
  private readonly graph: RouteGraph<Receiver>;
  private readonly importsKoa: boolean;

  constructor(
    private readonly facts: FileFacts,
    settings: ResolvedSettings,
  ) {
    this.guards = new Guards(facts, settings, {
      exports: AUTH_EXPORTS,
      isMiddleware: (fn) => fn.params.length >= 2,
      passOn: 1,
      inlineName: "inline middleware",
    });
    this.handlers = new Handlers(facts, new DataLayer(facts), settings);
    this.checks = requestChecks(facts, settings);
    this.audits = auditEvents(facts, settings);
    this.graph = new RouteGraph((item) => this.guards.classify(item.node, item.scope), false);
    this.importsKoa = [...KOA_PACKAGES].some((m) => facts.imports(m));
  }

  analyse(): { endpoints: Endpoint[]; mounts: ExternalMount[] } {
    const registrations: Registration[] = [];
    for (const site of this.facts.memberCalls) {
      const callee = site.call.callee as TSESTree.MemberExpression;
      const name = propertyName(callee)!;
      if (!CALL_NAMES.has(name)) continue;
      const receiver = this.receiverOf(callee.object, site.scope);
      if (!receiver) continue;
      if (name === "prefix") {
        const value = site.call.arguments[0] && stringValue(this.facts, site.call.arguments[0], site.scope);
        if (value !== undefined) receiver.prefix = value;
        continue;
      }
      // A Koa app has no route methods: only routers register routes.
      if (name !== "use" && receiver.kind !== "router") continue;
      registrations.push({ receiver, site, name, order: callee.property.range[0] });
    }
    registrations.sort((a, b) => a.order - b.order);

    const routes: GraphRoute<Receiver>[] = [];
    const external: GraphExternalMount<Receiver>[] = [];
    for (const registration of registrations) {
      if (registration.name === "use") this.use(registration, external);
      else {
        const route = this.route(registration);
        if (route) routes.push(route);
      }
    }
    routes.sort((a, b) => a.loc.start.line - b.loc.start.line || a.loc.start.column - b.loc.start.column);
    return {
      endpoints: routes.map((route) => this.endpoint(route)),
      mounts: external.map((mount) => this.graph.external(mount, "koa")),
    };
  }

  private endpoint(route: GraphRoute<Receiver>): Endpoint {
    const { path, protections } = this.graph.resolve(route);
    const endpoint = routeEndpoint(
      this.handlers,
      { ...route, framework: "koa", vocabulary: KOA, path, protections, binding: KOA_CONTEXT },
      this.checks,
    );
    const functions = this.handlers.functionsOf(route.handler.node, route.handler.scope, undefined);
    const markers = (route.middleware ?? []).map((m) => m.node);
    return this.audits.record(endpoint, functions, KOA_CONTEXT, markers);
  }

  /** `router.post([name,] path, ...middleware, handler)`; a guard in last place guards what follows. */
  private route({ receiver, site, name, order }: Registration): GraphRoute<Receiver> | undefined {
    const callee = site.call.callee as TSESTree.MemberExpression;
    let args = site.call.arguments;
    // Named routes: `router.get("user", "/users/:id", …)`.
    if (
      args.length >= 3 &&
      stringValue(this.facts, args[0], site.scope) !== undefined &&
      isPathLike(this.facts, args[1], site.scope)
    )
      args = args.slice(1);
    const [pathNode, ...rest] = args;
    if (!pathNode || rest.length === 0 || !isPathLike(this.facts, pathNode, site.scope)) return undefined;
    const items = flatten(this.facts, rest, site.scope);
    const handler = items.at(-1);
    if (!handler) return undefined;
    const method = ROUTE_METHODS.get(name)!;
    const path = joinPaths(receiver.prefix, pathText(this.facts, pathNode, site.scope));
    if (this.isGuardInLastPlace(handler)) {
      this.graph.addGuard({
        receiver,
        order,
        cover: patternCover(path, ROUTE_PATHS),
        methods: method === "ANY" ? undefined : [method],
        items,
      });
      return undefined;
    }
    return {
      receiver,
      order,
      methods: [method],
      path,
      loc: span(callee.property, pathNode),
      middleware: items.slice(0, -1),
      handler,
    };
  }

  /**
   * `router.use([path,] ...middleware)`, `app.use(middleware)`: middleware guards what is
   * registered after it; `other.routes()` mounts a router, `mount("/x", …)` (koa-mount) a
   * router or middleware under a path.
   */
  private use({ receiver, site, order }: Registration, external: GraphExternalMount<Receiver>[]): void {
    const args = site.call.arguments;
    const pathNode = args[0] && isPathLike(this.facts, args[0], site.scope) ? args[0] : undefined;
    const usePath = pathNode ? pathText(this.facts, pathNode, site.scope) : undefined;
    const items = flatten(this.facts, pathNode ? args.slice(1) : args, site.scope);
    const before: Item[] = [];
    for (const item of items) {
      const mounted = this.mounted(item);
      const prefix = joinPaths(receiver.prefix, joinPaths(usePath, mounted?.path ?? ""));
      if (mounted?.router) {
        if (mounted.router !== receiver)
          this.graph.addMount(mounted.router, {
            parent: receiver,
            order,
            prefix,
            before: [...before],
            // A router mounted in a router copies the routes it has now; an app dispatches to it.
            copies: receiver.kind === "router",
          });
        continue;
      }
      if (mounted?.external) {
        external.push({
          parent: receiver,
          order,
          prefix,
          before: [...before],
          ...mounted.external,
          loc: locOf(site.call),
        });
        continue;
      }
      if (mounted?.middleware) {
        before.push(mounted.middleware);
        this.graph.addGuard({
          receiver,
          order,
          cover: patternCover(prefix, USE_PATHS),
          methods: undefined,
          items: [mounted.middleware],
        });
        continue;
      }
      before.push(item);
      const cover = usePath === undefined ? EVERY_PATH : patternCover(joinPaths(receiver.prefix, usePath), USE_PATHS);
      this.graph.addGuard({ receiver, order, cover, methods: undefined, items: [item] });
    }
  }

  /** What a `use()` item mounts: a router of this file or another (`x.routes()`), or anything under a koa-mount path. */
  private mounted(
    item: Item,
  ):
    { path?: string; router?: Receiver; external?: { module: string; export: string }; middleware?: Item } | undefined {
    const node = unwrap(item.node);
    if (node.type !== T.CallExpression) return undefined;
    const callee = unwrap(node.callee);
    if (callee.type === T.MemberExpression) {
      const name = propertyName(callee);
      if (name !== "routes" && name !== "middleware") return undefined;
      const router = this.receiverOf(callee.object, item.scope);
      if (router) return { router };
      const external = projectExport(this.facts, callee.object, item.scope);
      return external ? { external } : undefined;
    }
    // koa-mount: `mount("/api", router.routes())`, `mount("/admin", adminApp)`, `mount("/private", auth)`.
    if (!matches(originOf(this.facts, callee, item.scope), MOUNT)) return undefined;
    const [first, second] = node.arguments;
    const hasPath = first !== undefined && second !== undefined && isPathLike(this.facts, first, item.scope);
    const path = hasPath ? pathText(this.facts, first, item.scope) : undefined;
    const target = hasPath ? second : first;
    if (!target) return undefined;
    const inner = this.mounted({ node: target, scope: item.scope });
    if (inner) return { ...inner, path: joinPaths(path, inner.path ?? "") };
    const app = this.receiverOf(target, item.scope);
    if (app) return { path, router: app };
    const external = projectExport(this.facts, target, item.scope);
    if (external) return { path, external };
    return { path, middleware: { node: target, scope: item.scope } };
  }

  /** A guard as the last function of a route registration guards what is registered after it. */
  private isGuardInLastPlace(item: Item): boolean {
    const fn: FunctionNode | undefined = localFunction(this.facts, item.node, item.scope);
    if (fn) return this.guards.isGuardFunction(fn) && callsParameter(this.facts, fn, 1);
    return this.guards.classify(item.node, item.scope) !== undefined;
  }

  // -------------------------------------------------------------------------------
  // Receivers
  // -------------------------------------------------------------------------------

  /** The Koa app or router a call is made on, following chained router calls down to it. */
  private receiverOf(expr: Node, scope: Node, depth = 0): Receiver | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const node = unwrapAwait(expr);
    if (node.type === T.CallExpression && node.callee.type === T.MemberExpression) {
      const name = propertyName(node.callee);
      if (name !== undefined && CHAINABLE.has(name)) return this.receiverOf(node.callee.object, scope, depth + 1);
    }
    if (node.type === T.NewExpression || node.type === T.CallExpression) {
      return this.receiverFor(node, () => this.created(node, scope));
    }
    if (node.type !== T.Identifier) return undefined;
    const binding = this.facts.resolve(node.name, scope);
    if (!binding) return undefined;
    return this.receiverFor(binding, () => this.classifyBinding(binding, depth));
  }

  private receiverFor(key: unknown, classify: () => Receiver | undefined): Receiver | undefined {
    let receiver = this.receivers.get(key);
    if (receiver === undefined) {
      this.receivers.set(key, null);
      receiver = classify() ?? null;
      this.receivers.set(key, receiver);
    }
    return receiver ?? undefined;
  }

  /** `new Router({ prefix })`, `Router()`, `new Koa()`, `require("koa-router")()`. */
  private created(node: TSESTree.NewExpression | TSESTree.CallExpression, scope: Node): Receiver | undefined {
    const origin = originOf(this.facts, node.callee, scope);
    if (matches(origin, ROUTER) || matches(origin, LEGACY_ROUTER)) {
      const options = node.arguments[0] && objectValue(this.facts, node.arguments[0], scope);
      const prefixNode = options && propertyValue(this.facts, options.object, "prefix");
      return { kind: "router", prefix: prefixNode && stringValue(this.facts, prefixNode, options.scope) };
    }
    if (matches(origin, APP)) return { kind: "app", prefix: undefined };
    return undefined;
  }

  private classifyBinding(binding: Binding, depth: number): Receiver | undefined {
    const typed = this.typed(binding);
    if (typed) return typed;
    if (binding.kind === "var") {
      const values = [
        binding.init,
        ...(this.facts.assignments.get(binding.name) ?? [])
          .filter((a) => this.facts.resolve(binding.name, a.scope) === binding)
          .map((a) => a.value),
      ];
      for (const value of values) {
        if (!value) continue;
        const receiver = this.receiverOf(value, binding.scope, depth + 1);
        if (receiver) return receiver;
      }
      return undefined;
    }
    // `export default (router) => { router.post(…) }` in a file that imports Koa.
    if (binding.kind === "param" && this.importsKoa && RECEIVER_NAME.test(binding.name))
      return { kind: binding.name === "app" ? "app" : "router", prefix: undefined };
    return undefined;
  }

  /** A parameter or variable typed `Router` (from @koa/router or koa-router) or `Koa`. */
  private typed(binding: Binding): Receiver | undefined {
    const node = binding.node.type === T.VariableDeclarator ? binding.node.id : binding.node;
    const type = typeAnnotationName(node);
    if (!type) return undefined;
    const parts = type.path.split(".");
    const b = this.facts.resolve(parts[0], binding.scope);
    if (b?.kind !== "import" || b.source === undefined) return undefined;
    // `Router` imported from the package, or `KoaRouter.Router` through a namespace or default import.
    const exported =
      parts.length === 1 ? b.imported : b.imported === "default" || b.imported === "*" ? parts[1] : undefined;
    if (parts.length > 2 || exported === undefined) return undefined;
    if (ROUTER_PACKAGES.has(b.source) && (exported === "default" || exported === "*" || exported === "Router"))
      return { kind: "router", prefix: undefined };
    if (b.source === "koa" && (exported === "default" || exported === "*")) return { kind: "app", prefix: undefined };
    return undefined;
  }
}
