/**
 * Express: apps and routers, their routes, and which auth middleware runs before each
 * route — on the route itself, registered earlier with `use()`/`all()` on the same app or
 * router, or where a router of this file is mounted.
 *
 * Across files (through the project index): a router or app this file exports, or
 * a registrar function (`module.exports = (app) => …`) whose argument receives routes,
 * carries an `exposure`; the summary of a file lists where it attaches routers and
 * registrars of other files (`app.use("/api", auth, ordersRouter)`, `registerRoutes(app)`)
 * with the prefix and protections in force there, and what its exported middleware does.
 * Route middleware imported from a project file that the name rule cannot judge becomes a
 * reference the index resolves.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import { routePath } from "../../../core/model.js";
import type {
  AnonymousMarker,
  Endpoint,
  FrameworkVocabulary,
  HttpMethod,
  Loc,
  Protection,
  ProtectionSource,
  Reference,
  RequestAssignment,
  RequestWriters,
} from "../../../core/model.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import {
  isFunction,
  isRegExpLiteral,
  locOf,
  memberPath,
  paramName,
  propertyName,
  sourceText,
  span,
  staticString,
  typeAnnotationName,
  unwrap,
  unwrapAwait,
  type ClassNode,
  type FunctionNode,
  type Node,
} from "../ast.js";
import { AuthClassifier, type AuthMatch } from "../concerns/auth-middleware.js";
import { DataLayer } from "../concerns/data-layer.js";
import { type Binding, type CallSite, type FileFacts } from "../facts.js";
import { exportOf, exportPath, isPackage, matchesAny, originOf } from "../imports.js";
import type { Attachment, Exposure, FileSummary, MarkerEffect } from "../../../core/project/summary.js";
import { Handlers } from "../handlers.js";
import {
  isPrincipalSegment,
  principalMembers,
  withAssignments,
  type RequestBinding,
} from "../concerns/value-origins.js";
import { RequestWrites } from "../concerns/request-writes.js";
import { LoopValues } from "../loops.js";
import { requestChecks, withChecks } from "../concerns/request-checks.js";
import { auditEvents } from "../concerns/audit-events.js";
import { callExport, exportTable, type ExportTable } from "../exports.js";
import type { TsLibrary } from "./library.js";

export const EXPRESS: FrameworkVocabulary = {
  displayName: "Express",
  missingAuth: "no auth middleware on the route, and none registered before it with app.use()/router.use()",
  addAuth:
    "pass an auth middleware before the handler (e.g. requireAuth) or call router.use(requireAuth) before the route.",
};

export const ROUTE_METHODS: ReadonlyMap<string, HttpMethod> = new Map([
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

export const EXPRESS_CALL_NAMES: ReadonlySet<string> = new Set([...ROUTE_METHODS.keys(), "use", "route"]);

type ReceiverKind = "app" | "router";

/** An Express app or router, identified by the binding (or class field) that holds it. */
interface Receiver {
  kind: ReceiverKind;
  /** How we know it is Express: created by `express()`/`Router()`, typed as one, or only named like one. */
  evidence: "factory" | "typed" | "name";
  /** The binding, class field key or global name that holds it. */
  key?: unknown;
}

/** An argument in a route or `use()` call, after spreading arrays, with the scope it is evaluated in. */
interface Item {
  node: Node;
  scope: Node;
}

interface RouteRegistration {
  receiver: Receiver;
  site: CallSite;
  methods: HttpMethod[];
  path: string;
  loc: Loc;
  middleware: Item[];
  handler: Item;
}

/**
 * `use()`, or a route registration whose last function is a guard (`app.all("*", requireAuth)`,
 * `app.post("/api/Products", security.isAuthorized())`): middleware for what is registered
 * after it on the same path, for the given methods (all methods when undefined).
 */
interface GuardRegistration {
  receiver: Receiver;
  order: number;
  covers: Cover;
  methods: readonly HttpMethod[] | undefined;
  items: Item[];
  /** What its middleware puts into the request for what is registered after it. */
  writers: Writes[];
}

/**
 * What middleware in front of a route puts into the request before the handler runs (AP103):
 * the assignments of same-file middleware, and middleware of other project files whose files
 * say what they assign (the project index applies those).
 */
interface Writes {
  assigned: RequestAssignment[];
  imported: { module: string; export: string }[];
}

const NO_WRITES: Writes = { assigned: [], imported: [] };

/** Which route paths a guard covers; `segment`, when known, is the first segment of every one of them. */
interface Cover {
  test: (path: string) => boolean;
  segment?: string;
}

/** The guards of one receiver in registration order, those with a known first segment also by that segment. */
interface GuardIndex {
  anyPath: GuardRegistration[];
  bySegment: Map<string, GuardRegistration[]>;
}

interface Mount {
  parent: Receiver;
  order: number;
  prefix: string | undefined;
  /** Middleware of the same `use()` call that runs before the router. */
  before: Item[];
}

const RECEIVER_NAME = /^(app|router|api)$|Router$/;
const EXPRESS_TYPES: ReadonlyMap<string, ReceiverKind> = new Map([
  ["Express", "app"],
  ["Application", "app"],
  ["Router", "router"],
  ["IRouter", "router"],
]);
const EXPRESS_MODULES = new Set(["express", "express-serve-static-core"]);
/** Packages of the other server frameworks: a name-only receiver in a file that uses one is not Express. */
const OTHER_FRAMEWORKS = /^(fastify|fastify-plugin|@fastify\/.+|koa|@koa\/router|koa-router|hono|hono\/.+|@hono\/.+)$/;
/** `express()`. */
const APP_FACTORIES = [exportOf("express", "default")];
/** `express.Router()`, `Router()`, and the Express-compatible routers' default exports. */
const ROUTER_FACTORIES = [
  exportOf("express", "Router"),
  exportOf("express-serve-static-core", "Router"),
  exportOf("express-promise-router", "default"),
  exportOf("router", "default"),
];
const MAX_FLATTEN_DEPTH = 8;
/** Routers mounted in routers mounted in …: deeper than this is not followed. */
const MAX_MOUNT_DEPTH = 32;
/**
 * Mount paths looked at per route. A router mounted twice on a router mounted twice …
 * has exponentially many paths up to the app; the first ones decide in real code.
 */
const MAX_MOUNT_PATHS = 256;
/** Method calls chained on `route(path)` that are followed down to it. */
const MAX_ROUTE_CHAIN = 16;
/** Protections recorded per route: any one protects it, and a long list is only listed. */
const MAX_PROTECTIONS = 32;
/** Middleware of other files recorded per route as possibly writing into the request. */
const MAX_IMPORTED_WRITERS = 16;

export const express: TsLibrary = {
  id: "express",
  memberCalls: EXPRESS_CALL_NAMES,
  // Calls and `for … of` statements: the loops that mount route tables (loops.ts).
  nodeTypes: new Set([T.CallExpression, T.ForOfStatement]),
  applies: ({ facts }) => facts.memberCalls.length > 0,
  endpoints: ({ facts, settings, filename }) => new ExpressFile(facts, settings, filename).endpoints(),
  summary: ({ facts, settings, filename }) => new ExpressFile(facts, settings, filename).summary(),
};

/** What an Express request carries from the client. */
const EXPRESS_CLIENT = new Set(["params", "query", "body", "cookies", "signedCookies", "headers", "files", "file"]);

/**
 * `(req, res, next)`: `req.params`, `req.query`, `req.body`, `req.get(…)` are the client's;
 * `req.user`, `req.auth`, `req.session…`, `res.locals.user` are the caller.
 */
export const EXPRESS_REQUEST: RequestBinding = {
  classify(_fn, index, path) {
    const [first, second] = path;
    if (first === undefined) return undefined;
    if (index === 0) {
      if (EXPRESS_CLIENT.has(first) || /^(?:param|header|get)\(/.test(first)) return "client";
      return isPrincipalSegment(first) ? "principal" : undefined;
    }
    if (index === 1 && first === "locals" && second !== undefined && isPrincipalSegment(second)) return "principal";
    return undefined;
  },
  request: {
    via: "req",
    client: [...EXPRESS_CLIENT].map((key) => [key]),
    principal: principalMembers().map((key) => [key]),
  },
};

class ExpressFile {
  private readonly auth: AuthClassifier;
  private readonly handlers: Handlers;
  /** Receivers by the binding, class field key or global name that holds them. */
  private readonly receivers = new Map<unknown, Receiver | null>();
  private readonly loops: LoopValues;
  private readonly writes: RequestWrites;

  constructor(
    private readonly facts: FileFacts,
    private readonly settings: ResolvedSettings,
    private readonly filename: string,
  ) {
    this.auth = new AuthClassifier(facts, settings);
    this.handlers = new Handlers(facts, new DataLayer(facts), settings);
    this.loops = new LoopValues(facts);
    this.writes = new RequestWrites(facts, EXPRESS_REQUEST, (node, scope) =>
      this.handlers.functionsOf(node, scope, undefined),
    );
  }

  endpoints(): Endpoint[] {
    const { routes, accepted, context } = this.registrations();
    return routes.filter((r) => accepted(r.receiver)).map((route) => this.endpoint(route, context));
  }

  /** Where this file attaches routers and route registrars of other project files, for the project index. */
  summary(): FileSummary {
    const { uses, accepted, context } = this.registrations();
    const attachments: Attachment[] = [];
    for (const use of uses) {
      if (!accepted(use.receiver)) continue;
      const prefix = use.prefix ?? "/";
      const before: Item[] = [];
      for (const item of use.items) {
        const target = this.projectImport(item.node, item.scope);
        if (target) {
          const mount: Mount = { parent: use.receiver, order: orderOf(use.site), prefix, before: [...before] };
          attachments.push(this.attachment(target, mount, context, locOf(item.node)));
        }
        before.push(item);
      }
    }
    for (const site of [...this.facts.localCalls, ...this.facts.moduleCalls]) {
      const target = this.projectImport(site.call.callee, site.scope);
      if (!target) continue;
      site.call.arguments.forEach((arg, param) => {
        if (arg.type === T.SpreadElement) return;
        const receiver = this.receiverOf(arg, site);
        if (!receiver || !accepted(receiver)) return;
        const mount: Mount = { parent: receiver, order: orderOf(site), prefix: "/", before: [] };
        attachments.push(this.attachment({ ...target, param }, mount, context, locOf(site.call)));
      });
    }
    const requestWrites = this.writes.exported();
    return { attachments, markers: this.exportedMarkers(), ...(requestWrites.length > 0 ? { requestWrites } : {}) };
  }

  /** What this file's exports do as middleware in other files: guards, guard factories, auth library values. */
  private exportedMarkers(): MarkerEffect[] {
    const markers: MarkerEffect[] = [];
    const exports = this.exportsOf();
    const program = this.facts.ast;
    for (const [fn, name] of exports.byFunction) {
      const guard = this.auth.exportedGuard(fn, program);
      if (guard) markers.push({ export: guard.called ? callExport(name) : name, effect: "protection", loc: locOf(fn) });
    }
    for (const [binding, name] of exports.byBinding) {
      if (binding.kind !== "var" || !binding.init || isFunction(unwrap(binding.init))) continue;
      const guard = this.auth.exportedGuard(binding.init, binding.scope);
      if (guard) markers.push({ export: name, effect: "protection", loc: locOf(binding.node) });
    }
    return markers;
  }

  /** A module of the project (not a package) that `node` comes from, with the export it names. */
  private projectImport(node: Node, scope: Node): { module: string; export: string } | undefined {
    const origin = originOf(this.facts, node, scope);
    if (!origin || isPackage(origin.module)) return undefined;
    return { module: origin.module, export: exportPath(origin) };
  }

  /** An attachment at `mount`: the prefix and protections up to the top of this file's mounts, and how that top is exposed. */
  private attachment(
    target: { module: string; export: string; param?: number },
    mount: Mount,
    context: ProtectionContext,
    loc: Loc,
  ): Attachment {
    const methods: HttpMethod[] = ["ANY"];
    const joined = mount.prefix === undefined ? "/" : mount.prefix;
    const up = this.viaMounts(mount.parent, joined, methods, context, new Set([mount.parent]), {
      left: MAX_MOUNT_PATHS,
    });
    const protections: Protection[] = [];
    const writers: Writes[] = [];
    for (const item of mount.before) {
      this.addIfAuth(protections, item, "mount", up.path, methods);
      const written = this.writerOf(item);
      if (written) writers.push(written);
    }
    const source: ProtectionSource = mount.parent.kind === "app" ? "global" : "mount";
    protections.push(
      ...this.guardsBefore(mount.parent, mount.order, joined, up.path, methods, source, context, writers),
    );
    protections.push(...up.protections);
    const via = this.exposureOf(up.top);
    const writes = mergeWrites([...writers, up.writes]);
    const requestWriters =
      writes.assigned.length > 0 || writes.imported.length > 0
        ? { assigned: writes.assigned, middleware: writes.imported.slice(0, MAX_IMPORTED_WRITERS) }
        : undefined;
    return {
      module: target.module,
      export: target.export,
      ...(target.param !== undefined ? { param: target.param } : {}),
      prefix: routePath(up.path).segments,
      protections: protections.slice(0, MAX_PROTECTIONS).map((p) => ({ ...p, file: this.filename })),
      ...(via ? { via } : {}),
      loc,
      ...(requestWriters ? { requestWriters } : {}),
    };
  }

  /** How other files reach a receiver of this file: an export holding it, or the argument of an exported registrar. */
  private exposureOf(receiver: Receiver): Exposure | undefined {
    if (receiver.kind === "app" && receiver.evidence === "factory") return undefined;
    const exports = this.exportsOf();
    const chained = exports.byChainRoot.get(receiver.key as Node);
    if (chained !== undefined) return { export: chained };
    const key = receiver.key as Binding | undefined;
    if (!key || typeof key !== "object" || !("kind" in key)) return undefined;
    const direct = exports.byBinding.get(key);
    if (direct !== undefined) return { export: direct };
    if (key.kind === "param" && isFunction(key.scope)) {
      const fn: FunctionNode = key.scope;
      const name = exports.byFunction.get(fn);
      const param = fn.params.findIndex((p) => paramName(p) === key.name);
      if (name !== undefined && param >= 0) return { export: name, param };
    }
    if (key.kind === "var" && isFunction(key.scope)) {
      const name = exports.byFunction.get(key.scope);
      if (name !== undefined && returnsName(key.scope, key.name)) return { export: callExport(name) };
    }
    return undefined;
  }

  private exportTable: ExportTable | undefined;

  private exportsOf(): ExportTable {
    this.exportTable ??= exportTable(this.facts);
    return this.exportTable;
  }

  private registrations(): {
    routes: RouteRegistration[];
    uses: Use[];
    accepted: (receiver: Receiver) => boolean;
    context: ProtectionContext;
  } {
    if (this.registered) return this.registered;
    const routes: RouteRegistration[] = [];
    const guards: GuardRegistration[] = [];
    const uses: Use[] = [];

    for (const site of this.facts.memberCalls) {
      const callee = site.call.callee as TSESTree.MemberExpression;
      const name = propertyName(callee)!;
      if (name === "route" || !EXPRESS_CALL_NAMES.has(name)) continue;
      if (name === "use") {
        const receiver = this.receiverOf(callee.object, site);
        if (receiver) uses.push(...this.usesOf(receiver, site));
        continue;
      }
      const parsed = this.parseRoute(site);
      if (!parsed) continue;
      const receiver = this.receiverOf(parsed.receiver, site);
      if (!receiver) continue;
      const items = this.flatten(parsed.args, site.scope);
      const handler = items.at(-1);
      if (!handler) continue;
      const method = ROUTE_METHODS.get(name)!;
      // With a guard last there is no handler here: it guards what is registered after it.
      if (this.auth.isGuardInLastPlace(handler.node, handler.scope)) {
        guards.push({
          receiver,
          order: orderOf(site),
          covers: patternCovers(parsed.path),
          methods: method === "ANY" ? undefined : [method],
          items,
          writers: [],
        });
        continue;
      }
      const methods = [method];
      routes.push({
        receiver,
        site,
        methods,
        path: parsed.path,
        loc: parsed.loc,
        middleware: items.slice(0, -1),
        handler,
      });
    }

    const accepted = this.acceptNamedReceivers(routes, uses);
    const mounts = new Map<Receiver, Mount[]>();
    for (const use of uses) {
      if (!accepted(use.receiver)) continue;
      const prefix = use.prefix;
      const middleware: Item[] = [];
      for (const item of use.items) {
        const child = this.mountedRouter(item, use.site);
        if (child && accepted(child) && child !== use.receiver) {
          const list = mounts.get(child) ?? [];
          list.push({ parent: use.receiver, order: orderOf(use.site), prefix, before: [...middleware] });
          mounts.set(child, list);
        } else {
          middleware.push(item);
        }
      }
      guards.push({
        receiver: use.receiver,
        order: orderOf(use.site),
        covers: use.covers,
        methods: undefined,
        items: middleware,
        writers: [],
      });
    }

    // Only middleware that guards or writes into the request matters from here on; dropping the rest keeps large files linear in practice.
    const guardsByReceiver = new Map<Receiver, GuardIndex>();
    guards.sort((a, b) => a.order - b.order);
    for (const guard of guards) {
      if (!accepted(guard.receiver)) continue;
      guard.writers = guard.items.flatMap((item) => this.writerOf(item) ?? []);
      guard.items = guard.items.filter((item) => this.auth.classify(item.node, item.scope));
      if (guard.items.length === 0 && guard.writers.length === 0) continue;
      let index = guardsByReceiver.get(guard.receiver);
      if (!index) guardsByReceiver.set(guard.receiver, (index = { anyPath: [], bySegment: new Map() }));
      const { segment } = guard.covers;
      if (segment === undefined) index.anyPath.push(guard);
      else {
        const list = index.bySegment.get(segment);
        if (list) list.push(guard);
        else index.bySegment.set(segment, [guard]);
      }
    }

    const context: ProtectionContext = { guards: guardsByReceiver, mounts };
    routes.sort((a, b) => a.loc.start.line - b.loc.start.line || a.loc.start.column - b.loc.start.column);
    this.registered = { routes, uses, accepted, context };
    return this.registered;
  }

  private registered:
    | {
        routes: RouteRegistration[];
        uses: Use[];
        accepted: (receiver: Receiver) => boolean;
        context: ProtectionContext;
      }
    | undefined;

  private endpoint(route: RouteRegistration, context: ProtectionContext): Endpoint {
    const { methods } = route;
    const mounted = this.viaMounts(route.receiver, route.path, methods, context, new Set([route.receiver]), {
      left: MAX_MOUNT_PATHS,
    });
    const protections: Protection[] = [];
    const references: Reference[] = [];
    for (const item of route.middleware) {
      if (this.addIfAuth(protections, item, "route", mounted.path, methods)) continue;
      const target = this.projectImport(item.node, item.scope);
      if (target)
        references.push({
          name: sourceText(this.facts.text, item.node),
          module: target.module,
          export: target.export,
          role: "marker",
          source: "route",
          loc: locOf(item.node),
        });
    }
    const sameReceiver: ProtectionSource = route.receiver.kind === "app" ? "global" : "router";
    const writers: Writes[] = route.middleware.flatMap((item) => this.writerOf(item) ?? []);
    protections.push(
      ...this.guardsBefore(
        route.receiver,
        orderOf(route.site),
        route.path,
        mounted.path,
        methods,
        sameReceiver,
        context,
        writers,
      ),
    );
    protections.push(...mounted.protections);
    protections.length = Math.min(protections.length, MAX_PROTECTIONS);
    const handlerName = this.handlers.nameOf(route.handler.node, route.site.cls);
    const functions = this.handlers.functionsOf(route.handler.node, route.handler.scope, route.site.cls);
    const writes = mergeWrites([...writers, mounted.writes]);
    const request = withAssignments(EXPRESS_REQUEST, writes.assigned);
    const exposure = this.exposureOf(mounted.top);
    const requestWriters = this.requestWriters(writes, functions, exposure !== undefined);
    const endpoint: Endpoint = {
      framework: "express",
      vocabulary: EXPRESS,
      methods,
      route: routePath(mounted.path),
      path: mounted.path,
      ...(handlerName !== undefined ? { handler: handlerName } : {}),
      loc: route.loc,
      protections,
      // Middleware that guards the route runs whatever a marker says: a marker applies only to an unguarded route.
      anonymous: protections.length === 0 ? this.publicMarkers(route.middleware) : [],
      dataOperations: this.handlers.dataOperations(functions, request),
      ...(functions.length > 0
        ? this.handlers.callsOf(functions, request)
        : this.handlers.importedHandlerCall(route.handler.node, route.handler.scope, request, route.loc)),
      ...(exposure ? { exposure } : {}),
      ...(references.length > 0 ? { references } : {}),
      ...(requestWriters ? { requestWriters } : {}),
    };
    auditEvents(this.facts, this.settings).record(
      endpoint,
      functions,
      request,
      route.middleware.map((m) => m.node),
    );
    return withChecks(endpoint, requestChecks(this.facts, this.settings).of(functions, route));
  }

  /**
   * What a middleware item puts into the request: the assignments of a same-file middleware
   * (or of the one a same-file factory returns), or the item itself when another project file
   * exports it (its file says what it assigns).
   */
  private writerOf(item: Item): Writes | undefined {
    let known = this.writers.get(item.node);
    if (known === undefined) {
      const assigned = this.writes.ofMiddleware(item.node, item.scope);
      const target = assigned ? undefined : this.projectImport(item.node, item.scope);
      known = assigned?.length ? { assigned, imported: [] } : target ? { assigned: [], imported: [target] } : null;
      this.writers.set(item.node, known);
    }
    return known ?? undefined;
  }

  private readonly writers = new Map<Node, Writes | null>();

  /**
   * Middleware of other project files in front of the route, with how the handlers of this
   * file name their request; also for a route whose router other files may mount (`exposed`),
   * where what they put in front of it is for the project index to add.
   */
  private requestWriters(
    writes: Writes,
    functions: readonly FunctionNode[],
    exposed: boolean,
  ): RequestWriters | undefined {
    if (writes.imported.length === 0 && !exposed) return undefined;
    const via = new Set<string>();
    for (const fn of functions) {
      const param = fn.params[0];
      if (param) via.add(paramName(param) ?? "");
    }
    return { middleware: writes.imported.slice(0, MAX_IMPORTED_WRITERS), via: [...via] };
  }

  /** Route middleware named in `settings["api-posture"].publicMarkers`: the route's explicit anonymous opt-outs. */
  private publicMarkers(middleware: readonly Item[]): AnonymousMarker[] {
    const markers: AnonymousMarker[] = [];
    for (const item of middleware) {
      const name = markerName(item.node);
      // `access.public` matches a configured `access.public` or `public`.
      const parts = name?.split(".") ?? [];
      if (name !== undefined && parts.some((_, i) => this.settings.publicMarkers(parts.slice(i).join("."))))
        markers.push({ name, source: "route", loc: locOf(item.node) });
    }
    return markers;
  }

  /**
   * Protections a route gets from where its router is mounted in this file: middleware
   * before the router in the mounting `use()`, and guards registered on the parent
   * before the mount. A router mounted twice is as exposed as its least protected mount.
   */
  private viaMounts(
    receiver: Receiver,
    relativePath: string,
    methods: readonly HttpMethod[],
    context: ProtectionContext,
    seen: Set<Receiver>,
    budget: { left: number },
  ): { path: string; protections: Protection[]; top: Receiver; writes: Writes } {
    const mounts = context.mounts.get(receiver);
    if (!mounts || mounts.length === 0 || seen.size > MAX_MOUNT_DEPTH)
      return { path: relativePath, protections: [], top: receiver, writes: NO_WRITES };
    const results = mounts
      .filter((m) => !seen.has(m.parent) && budget.left-- > 0)
      .map((mount) => {
        const joined = joinPaths(mount.prefix, relativePath);
        const up = this.viaMounts(mount.parent, joined, methods, context, new Set([...seen, mount.parent]), budget);
        const protections: Protection[] = [];
        const writers: Writes[] = [];
        for (const item of mount.before) {
          this.addIfAuth(protections, item, "mount", up.path, methods);
          const written = this.writerOf(item);
          if (written) writers.push(written);
        }
        protections.push(
          ...this.guardsBefore(mount.parent, mount.order, joined, up.path, methods, "mount", context, writers),
        );
        protections.push(...up.protections);
        return { path: up.path, protections, top: up.top, writes: mergeWrites([...writers, up.writes]) };
      });
    const chosen = results.find((r) => r.protections.length === 0) ??
      results[0] ?? { path: relativePath, protections: [], top: receiver, writes: NO_WRITES };
    // A router mounted twice has in its request only what every mount puts there.
    return { ...chosen, writes: results.map((r) => r.writes).reduce(commonWrites, chosen.writes) };
  }

  /** Guards on `receiver` registered before `order` whose path covers the route. */
  private guardsBefore(
    receiver: Receiver,
    order: number,
    relativePath: string,
    fullPath: string,
    methods: readonly HttpMethod[],
    source: ProtectionSource,
    context: ProtectionContext,
    /** Collects what the guards' middleware puts into the request. */
    writers?: Writes[],
  ): Protection[] {
    const protections: Protection[] = [];
    const index = context.guards.get(receiver);
    if (!index) return protections;
    // Guards for any path, and those under the route's first segment: merged in registration order.
    const anyPath = index.anyPath;
    const sameSegment = index.bySegment.get(firstSegment(relativePath)) ?? [];
    for (let a = 0, b = 0; a < anyPath.length || b < sameSegment.length;) {
      const guard =
        b >= sameSegment.length || (a < anyPath.length && anyPath[a].order < sameSegment[b].order)
          ? anyPath[a++]
          : sameSegment[b++];
      if (guard.order >= order || protections.length >= MAX_PROTECTIONS) break;
      if (!guard.covers.test(relativePath)) continue;
      if (guard.methods && !methods.every((m) => guard.methods!.includes(m))) continue;
      for (const item of guard.items) this.addIfAuth(protections, item, source, fullPath, methods);
      writers?.push(...guard.writers);
    }
    return protections;
  }

  /** Adds the item's protection when it is auth middleware; says whether it is one (exempting the route or not). */
  private addIfAuth(
    into: Protection[],
    item: Item,
    source: ProtectionSource,
    fullPath: string,
    methods: readonly HttpMethod[],
  ): boolean {
    const match: AuthMatch | undefined = this.auth.classify(item.node, item.scope);
    if (!match) return false;
    if (!match.exempts?.(fullPath, methods))
      into.push({
        name: match.name,
        source,
        loc: locOf(item.node),
        ...(match.requirement ? { requirement: match.requirement } : {}),
      });
    return true;
  }

  // -------------------------------------------------------------------------------
  // Route calls
  // -------------------------------------------------------------------------------

  /** `r.post(path, …)`, or `r.route(path).get(…).post(…)`: receiver, path, arguments and report location. */
  private parseRoute(
    site: CallSite,
  ): { receiver: Node; path: string; args: Node[]; loc: Loc; chained: boolean } | undefined {
    const callee = site.call.callee as TSESTree.MemberExpression;
    let base = unwrap(callee.object);
    for (let links = 0; base.type === T.CallExpression && base.callee.type === T.MemberExpression; links++) {
      // `r.route(p).get(…).post(…)` has a handful of links; a longer chain of `get` calls is a map or a client.
      if (links >= MAX_ROUTE_CHAIN) return undefined;
      const inner = propertyName(base.callee);
      if (inner === "route") {
        const pathNode = base.arguments[0];
        if (!pathNode || site.call.arguments.length === 0) return undefined;
        // The path is written before the method here, so the report goes on the method name.
        return {
          receiver: base.callee.object,
          path: this.pathText(pathNode, site.scope, site.cls),
          args: site.call.arguments,
          loc: locOf(callee.property),
          chained: true,
        };
      }
      if (inner === undefined || !ROUTE_METHODS.has(inner)) break;
      base = unwrap(base.callee.object);
    }
    const [pathNode, ...rest] = site.call.arguments;
    if (!pathNode || rest.length === 0 || !isPathLike(unwrap(pathNode))) return undefined;
    return {
      receiver: callee.object,
      path: this.pathText(pathNode, site.scope, site.cls),
      args: rest,
      loc: span(callee.property, pathNode),
      chained: false,
    };
  }

  /** Spreads `...stack`, arrays and same-file arrays of middleware (`const protect = [a, b]`). */
  private flatten(args: readonly Node[], scope: Node, depth = 0): Item[] {
    const items: Item[] = [];
    for (const arg of args) {
      const node = unwrap(arg.type === T.SpreadElement ? arg.argument : arg);
      if (node.type === T.ArrayExpression && depth < MAX_FLATTEN_DEPTH) {
        items.push(
          ...this.flatten(
            node.elements.filter((e): e is NonNullable<typeof e> => e != null),
            scope,
            depth + 1,
          ),
        );
        continue;
      }
      if (node.type === T.Identifier && depth < MAX_FLATTEN_DEPTH) {
        const b = this.facts.resolve(node.name, scope);
        const init = b?.kind === "var" && b.init ? unwrap(b.init) : undefined;
        if (init?.type === T.ArrayExpression) {
          items.push(
            ...this.flatten(
              init.elements.filter((e): e is NonNullable<typeof e> => e != null),
              b!.scope,
              depth + 1,
            ),
          );
          continue;
        }
      }
      items.push({ node, scope });
    }
    return items;
  }

  /** A route path as written: its value when the file tells it, the first of an array, else the source text. */
  private pathText(node: Node, scope: Node, cls: ClassNode | undefined): string {
    let n = unwrap(node);
    while (n.type === T.ArrayExpression && n.elements[0] && n.elements[0].type !== T.SpreadElement)
      n = unwrap(n.elements[0]);
    return this.stringValue(n, scope, cls, 0) ?? sourceText(this.facts.text, n);
  }

  /**
   * The string a path expression evaluates to, from this file alone: literals, constants,
   * `this.path` fields, and templates or `+` concatenations of those.
   */
  private stringValue(node: Node, scope: Node, cls: ClassNode | undefined, depth: number): string | undefined {
    if (depth > MAX_FLATTEN_DEPTH) return undefined;
    const n = unwrap(node);
    const literal = staticString(n);
    if (literal !== undefined) return literal;
    switch (n.type) {
      case T.Identifier: {
        const b = this.facts.resolve(n.name, scope);
        return b?.kind === "var" && b.init ? this.stringValue(b.init, b.scope, cls, depth + 1) : undefined;
      }
      case T.MemberExpression: {
        const name = propertyName(n);
        if (!cls || name === undefined || unwrap(n.object).type !== T.ThisExpression) return undefined;
        const fields = this.facts.classMembers(cls, name);
        const field = fields.length === 1 && fields[0].type === T.PropertyDefinition ? fields[0].value : undefined;
        return field ? this.stringValue(field, scope, cls, depth + 1) : undefined;
      }
      case T.TemplateLiteral: {
        let out = n.quasis[0]?.value.cooked ?? "";
        for (let i = 0; i < n.expressions.length; i++) {
          const part = this.stringValue(n.expressions[i], scope, cls, depth + 1);
          if (part === undefined) return undefined;
          out += part + (n.quasis[i + 1]?.value.cooked ?? "");
        }
        return out;
      }
      case T.BinaryExpression: {
        if (n.operator !== "+") return undefined;
        const left = this.stringValue(n.left, scope, cls, depth + 1);
        const right = left === undefined ? undefined : this.stringValue(n.right, scope, cls, depth + 1);
        return right === undefined ? undefined : left! + right;
      }
      default:
        return undefined;
    }
  }

  /**
   * The `use()` registrations a call makes: one, or one per run of the loops around it
   * when its arguments read a loop variable over a list the file writes out
   * (`defaultRoutes.forEach((route) => router.use(route.path, route.route))`).
   */
  private usesOf(receiver: Receiver, site: CallSite): Use[] {
    const args = site.call.arguments;
    const runs = this.loops.iterations(site)?.filter((run) => args.some((arg) => this.loops.mentions(arg, run)));
    if (!runs || runs.length === 0) {
      const prefixNode = args[0] && this.isPrefix(args[0], site) ? args[0] : undefined;
      return [
        {
          receiver,
          site,
          prefix: prefixNode ? this.pathText(prefixNode, site.scope, site.cls) : undefined,
          covers: this.prefixCovers(prefixNode, site),
          items: this.flatten(prefixNode ? args.slice(1) : args, site.scope),
        },
      ];
    }
    const text = (node: Node, scope: Node): string | undefined =>
      this.stringValue(node, scope, scope === site.scope ? site.cls : undefined, 0);
    return runs.map((run) => {
      const first = args[0] && unwrap(args[0]);
      const prefix =
        first && first.type !== T.SpreadElement && (this.loops.mentions(first, run) || this.isPrefix(first, site))
          ? this.loops.stringOf(first, site.scope, run, text)
          : undefined;
      const items: Item[] = [];
      for (const arg of prefix === undefined ? args : args.slice(1)) {
        if (!this.loops.mentions(arg, run)) {
          items.push(...this.flatten([arg], site.scope));
          continue;
        }
        // What the loop variable holds: a router, middleware, or an array of middleware.
        const value = this.loops.valueOf(arg.type === T.SpreadElement ? arg.argument : arg, site.scope, run);
        if (value && "node" in value) items.push(...this.flatten([value.node], value.scope));
      }
      return {
        receiver,
        site,
        prefix,
        covers: prefix === undefined ? EVERY_PATH : underPrefix(stripWildcard(prefix)),
        items,
      };
    });
  }

  /** Is the first `use()` argument a path rather than middleware? */
  private isPrefix(node: Node, site: CallSite): boolean {
    const n = unwrap(node);
    if (n.type === T.TemplateLiteral || n.type === T.BinaryExpression || isRegExpLiteral(n)) return true;
    if (n.type === T.ArrayExpression)
      return (
        n.elements.length > 0 &&
        n.elements.every((e) => e != null && e.type !== T.ArrayExpression && this.isPrefix(e, site))
      );
    return this.stringValue(n, site.scope, site.cls, 0) !== undefined;
  }

  /** Which route paths a `use()` prefix covers. A prefix that cannot be read covers everything. */
  private prefixCovers(prefixNode: Node | undefined, site: CallSite): Cover {
    if (!prefixNode) return EVERY_PATH;
    const n = unwrap(prefixNode);
    if (n.type === T.ArrayExpression) {
      // isPrefix admits only flat arrays of paths.
      const covers = n.elements
        .filter((e): e is NonNullable<typeof e> => e != null)
        .map((e) => this.prefixCovers(e, site));
      return { test: (path) => covers.some((c) => c.test(path)) };
    }
    if (isRegExpLiteral(n)) {
      try {
        const re = new RegExp(n.regex.pattern, n.regex.flags);
        return { test: (path) => re.test(path) };
      } catch {
        return EVERY_PATH;
      }
    }
    const value = this.stringValue(n, site.scope, site.cls, 0);
    if (value === undefined) return EVERY_PATH;
    return underPrefix(stripWildcard(value));
  }

  // -------------------------------------------------------------------------------
  // Receivers
  // -------------------------------------------------------------------------------

  /** The Express app or router a call is made on; undefined for anything else (clients, `request(app)`, Koa). */
  private receiverOf(expr: Node, site: CallSite): Receiver | undefined {
    const node = unwrap(expr);
    if (node.type === T.Identifier) {
      const binding = this.facts.resolve(node.name, site.scope);
      const root = this.chainedFrom(binding);
      if (root) return this.chainReceiver(root.call, root.kind);
      return this.receiverFor(binding ?? `global:${node.name}`, () => this.classifyBinding(binding, node.name));
    }
    if (node.type === T.CallExpression) {
      // `Router().use(…)`: the factory call itself, or a chain of registrations on one.
      const kind = this.factoryKind(node, site.scope);
      if (kind) return this.chainReceiver(node, kind);
      const root = this.chainFactory(node, site.scope);
      return root ? this.chainReceiver(root.call, root.kind) : undefined;
    }
    if (node.type === T.MemberExpression && unwrap(node.object).type === T.ThisExpression && site.cls) {
      const name = propertyName(node);
      if (name === undefined) return undefined;
      const cls = site.cls;
      return this.receiverFor(this.fieldKey(cls, name), () => this.classifyField(cls, name));
    }
    return undefined;
  }

  /**
   * The factory call a chain of registrations starts from (`Router().use(a).use("/x", b)`),
   * when there is at least one link: such a chain is the router the factory made.
   */
  private chainFactory(node: Node, scope: Node): { call: Node; kind: ReceiverKind } | undefined {
    let current = unwrap(node);
    let links = 0;
    while (
      links < MAX_ROUTE_CHAIN &&
      current.type === T.CallExpression &&
      current.callee.type === T.MemberExpression &&
      EXPRESS_CALL_NAMES.has(propertyName(current.callee) ?? "")
    ) {
      current = unwrap(current.callee.object);
      links++;
    }
    if (links === 0) return undefined;
    const kind = this.factoryKind(current, scope);
    return kind ? { call: current, kind } : undefined;
  }

  /** A variable whose value is such a chain (`const api = Router().use(tags).use(articles)`). */
  private chainedFrom(binding: Binding | undefined): { call: Node; kind: ReceiverKind } | undefined {
    return binding?.kind === "var" && binding.init ? this.chainFactory(binding.init, binding.scope) : undefined;
  }

  private chainReceiver(root: Node, kind: ReceiverKind): Receiver | undefined {
    return this.receiverFor(root, () => ({ kind, evidence: "factory" }));
  }

  private receiverFor(key: unknown, classify: () => Receiver | undefined): Receiver | undefined {
    let receiver = this.receivers.get(key);
    if (receiver === undefined) {
      receiver = classify() ?? null;
      if (receiver) receiver.key = key;
      this.receivers.set(key, receiver);
    }
    return receiver ?? undefined;
  }

  private readonly fieldKeys = new Map<ClassNode, Map<string, object>>();

  /** One key object per class field, so `this.router` in every method of a class is the same router. */
  private fieldKey(cls: ClassNode, name: string): object {
    let byName = this.fieldKeys.get(cls);
    if (!byName) this.fieldKeys.set(cls, (byName = new Map<string, object>()));
    let key = byName.get(name);
    if (!key) byName.set(name, (key = { cls, name }));
    return key;
  }

  private classifyBinding(binding: Binding | undefined, name: string): Receiver | undefined {
    if (!binding) return this.byName(name);
    switch (binding.kind) {
      case "var": {
        const typed = this.typedKind(
          binding.node.type === T.VariableDeclarator ? binding.node.id : binding.node,
          binding.scope,
        );
        if (typed) return { kind: typed, evidence: "typed" };
        const assigned = (this.facts.assignments.get(name) ?? []).filter(
          (a) => this.facts.resolve(name, a.scope) === binding,
        );
        const values = [binding.init, ...assigned.map((a) => a.value)];
        for (const value of values) {
          if (!value) continue;
          const kind = this.factoryKind(value, binding.scope);
          if (kind) return { kind, evidence: "factory" };
        }
        if (binding.init && this.isForeign(binding.init, binding.scope)) return undefined;
        if (binding.node.type === T.VariableDeclarator && this.isForeignTyped(binding.node.id, binding.scope))
          return undefined;
        return this.byName(name);
      }
      case "param": {
        const typed = this.typedKind(binding.node, binding.scope);
        if (typed) return { kind: typed, evidence: "typed" };
        return this.isForeignTyped(binding.node, binding.scope) ? undefined : this.byName(name);
      }
      case "import":
        return isPackage(binding.source) && !EXPRESS_MODULES.has(binding.source!) ? undefined : this.byName(name);
      default:
        return undefined;
    }
  }

  private classifyField(cls: ClassNode, name: string): Receiver | undefined {
    const scope = this.facts.scopeOfClass(cls);
    for (const member of this.facts.classMembers(cls, name)) {
      if (member.type === T.MethodDefinition) return undefined;
      const typed = member.type === T.PropertyDefinition ? this.typedKind(member, scope) : undefined;
      if (typed) return { kind: typed, evidence: "typed" };
      const value = member.type === T.AssignmentExpression ? member.right : member.value;
      const kind = value ? this.factoryKind(value, scope) : undefined;
      if (kind) return { kind, evidence: "factory" };
    }
    return this.byName(name);
  }

  private byName(name: string): Receiver | undefined {
    if (!RECEIVER_NAME.test(name)) return undefined;
    return { kind: name === "app" ? "app" : "router", evidence: "name" };
  }

  /** `express()`, `require("express")()`, `express.Router()`, `Router()` imported from express or an Express-compatible router package. */
  private factoryKind(value: Node, scope: Node): ReceiverKind | undefined {
    const n = unwrapAwait(value);
    if (n.type !== T.CallExpression && n.type !== T.NewExpression) return undefined;
    const callee = unwrap(n.callee);
    // `express()` and `express.Router()` with an `express` that no import or declaration of this file binds.
    const root =
      callee.type === T.MemberExpression && propertyName(callee) === "Router" ? unwrap(callee.object) : callee;
    if (root.type === T.Identifier && root.name === "express" && !this.facts.resolve("express", scope))
      return root === callee ? "app" : "router";
    const origin = originOf(this.facts, callee, scope);
    if (matchesAny(origin, APP_FACTORIES)) return "app";
    return matchesAny(origin, ROUTER_FACTORIES) ? "router" : undefined;
  }

  /** A parameter, variable or field typed `Express`, `Application`, `Router`, `express.Router` from express. */
  private typedKind(node: Node, scope: Node): ReceiverKind | undefined {
    const type = typeAnnotationName(node);
    if (!type) return undefined;
    const parts = type.path.split(".");
    const last = parts.at(-1)!;
    const kind = EXPRESS_TYPES.get(last);
    if (!kind) return undefined;
    const b = this.facts.resolve(parts[0], scope);
    if (b?.kind !== "import" || !EXPRESS_MODULES.has(b.source!)) return undefined;
    if (parts.length === 1) return b.imported === last ? kind : undefined;
    return parts.length === 2 && (b.imported === "default" || b.imported === "*") ? kind : undefined;
  }

  /** A value from another library (`axios.create()`, `new Router()` from koa, `supertest(app)`) is not an Express receiver. */
  private isForeign(init: Node, scope: Node): boolean {
    if (unwrapAwait(init).type === T.NewExpression) return true;
    const module = originOf(this.facts, init, scope)?.module;
    return isPackage(module) && !EXPRESS_MODULES.has(module!);
  }

  /** `app: FastifyInstance`, `router: Hono`: typed as another package's type. */
  private isForeignTyped(node: Node, scope: Node): boolean {
    const type = typeAnnotationName(node);
    const b = type && this.facts.resolve(type.path.split(".")[0], scope);
    return b?.kind === "import" && isPackage(b.source) && !EXPRESS_MODULES.has(b.source!);
  }

  /**
   * A receiver known only by its name (`app`, `router`, `*Router`, `api`) is Express when
   * the file imports express, or when some call on it passes `(req, res)` functions.
   */
  private acceptNamedReceivers(
    routes: readonly RouteRegistration[],
    uses: readonly { receiver: Receiver; items: Item[] }[],
  ): (receiver: Receiver) => boolean {
    const importsExpress = this.facts.imports("express");
    // A Fastify, Koa or Hono file's `app` is that framework's, whatever its handlers look like.
    const otherFramework = !importsExpress && [...this.facts.moduleSources].some((m) => OTHER_FRAMEWORKS.test(m));
    const shaped = new Set<Receiver>();
    const consider = (receiver: Receiver, items: readonly Item[]): void => {
      if (receiver.evidence !== "name" || importsExpress || otherFramework || shaped.has(receiver)) return;
      if (items.some((item) => this.handlers.functionsOf(item.node, item.scope, undefined).some(isExpressShaped)))
        shaped.add(receiver);
    };
    for (const route of routes) consider(route.receiver, [...route.middleware, route.handler]);
    for (const use of uses) consider(use.receiver, use.items);
    return (receiver) => receiver.evidence !== "name" || importsExpress || shaped.has(receiver);
  }

  /** The router of this file that a `use()` item mounts, if it is one. */
  private mountedRouter(item: Item, site: CallSite): Receiver | undefined {
    const node = item.node;
    if (node.type === T.Identifier) {
      const binding = this.facts.resolve(node.name, item.scope);
      const root = this.chainedFrom(binding);
      const known = this.receivers.get(root ? root.call : (binding ?? `global:${node.name}`));
      return known ?? undefined;
    }
    if (node.type === T.CallExpression) {
      const root = this.chainFactory(node, item.scope);
      return root ? (this.receivers.get(root.call) ?? undefined) : undefined;
    }
    if (node.type === T.MemberExpression && unwrap(node.object).type === T.ThisExpression && site.cls) {
      const name = propertyName(node);
      return name === undefined ? undefined : (this.receivers.get(this.fieldKey(site.cls, name)) ?? undefined);
    }
    return undefined;
  }
}

interface Use {
  receiver: Receiver;
  site: CallSite;
  /** The mount path as written, when the call has one. */
  prefix: string | undefined;
  /** Which route paths its middleware covers. */
  covers: Cover;
  items: Item[];
}

/** What several middleware put into the request, together. */
function mergeWrites(list: readonly Writes[]): Writes {
  const assigned = new Map<string, RequestAssignment>();
  const imported = new Map<string, { module: string; export: string }>();
  for (const writes of list) {
    for (const a of writes.assigned) assigned.set(`${a.path.join("\0")}\0${a.kind}`, a);
    for (const i of writes.imported) imported.set(`${i.module}\0${i.export}`, i);
  }
  return { assigned: [...assigned.values()], imported: [...imported.values()] };
}

/** What two ways to a route both put into the request. */
function commonWrites(a: Writes, b: Writes): Writes {
  const same = (x: RequestAssignment, y: RequestAssignment): boolean =>
    x.kind === y.kind && x.path.length === y.path.length && x.path.every((p, i) => y.path[i] === p);
  return {
    assigned: a.assigned.filter((x) => b.assigned.some((y) => same(x, y))),
    imported: a.imported.filter((x) => b.imported.some((y) => x.module === y.module && x.export === y.export)),
  };
}

/**
 * Where a registration stands in the order the app sees: the position of its method name,
 * so that the calls of one chain (`Router().use(a).use(auth).use(b)`), which all start
 * where the chain starts, keep their order.
 */
function orderOf(site: CallSite): number {
  const callee = site.call.callee;
  return callee.type === T.MemberExpression ? callee.property.range[0] : site.call.range[0];
}

/** Does the function return the local `name` (`const router = Router(); …; return router;`)? */
function returnsName(fn: FunctionNode, name: string): boolean {
  if (fn.body.type !== T.BlockStatement) return fn.body.type === T.Identifier && fn.body.name === name;
  return fn.body.body.some(
    (statement) =>
      statement.type === T.ReturnStatement &&
      statement.argument?.type === T.Identifier &&
      statement.argument.name === name,
  );
}

interface ProtectionContext {
  guards: ReadonlyMap<Receiver, GuardIndex>;
  mounts: ReadonlyMap<Receiver, Mount[]>;
}

/** `(req, res)` or `(err, req, res, next)`, by name or by `Request`/`Response` type. */
function isExpressShaped(fn: FunctionNode): boolean {
  const p = fn.params;
  return (
    (isParam(p[0], REQUEST) && isParam(p[1], RESPONSE)) ||
    (p.length === 4 && isParam(p[1], REQUEST) && isParam(p[2], RESPONSE))
  );
}

const REQUEST = { names: /^_?(req|request)$/, type: "Request" };
const RESPONSE = { names: /^_?(res|resp|response)$/, type: "Response" };

function isParam(param: TSESTree.Parameter | undefined, shape: { names: RegExp; type: string }): boolean {
  if (!param) return false;
  const name = paramName(param);
  if (name !== undefined && shape.names.test(name)) return true;
  return typeAnnotationName(param)?.path.split(".").at(-1) === shape.type;
}

function isPathLike(node: Node): boolean {
  switch (node.type) {
    case T.Literal:
      return typeof node.value === "string" || isRegExpLiteral(node);
    case T.TemplateLiteral:
    case T.ArrayExpression:
    case T.Identifier:
    case T.MemberExpression:
    case T.BinaryExpression:
      return true;
    default:
      return false;
  }
}

/** `/api` + `/orders/:id` → `/api/orders/:id`. */
function joinPaths(prefix: string | undefined, path: string): string {
  if (prefix === undefined || prefix === "" || prefix === "/") return path;
  const head = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  if (path === "/" || path === "") return head;
  return path.startsWith("/") ? head + path : `${head}/${path}`;
}

/** `/admin/*`, `/admin/(.*)`, `/admin/*splat`, `/admin{/*rest}` → `/admin`; `*` → `/`. */
function stripWildcard(pattern: string): string {
  const stripped = pattern.replace(/(\/?\*\w*|\/?\(\.\*\)|\{\/?\*\w*\})$/, "");
  return stripped === "" ? "/" : stripped;
}

function isUnder(path: string, prefix: string): boolean {
  const p = normalise(path);
  const pre = normalise(prefix);
  return pre === "" || p === pre || p.startsWith(`${pre}/`);
}

function normalise(path: string): string {
  const lower = path.toLowerCase();
  return lower.endsWith("/") ? lower.slice(0, -1) : lower;
}

/** `app.all(pattern, guard)`: a pattern ending in a wildcard covers what is under it; otherwise only itself. */
function patternCovers(pattern: string): Cover {
  const prefix = stripWildcard(pattern);
  if (prefix !== pattern) return underPrefix(prefix);
  return { test: (path) => normalise(path) === normalise(pattern), segment: firstSegment(pattern) };
}

const EVERY_PATH: Cover = { test: () => true };

function underPrefix(prefix: string): Cover {
  const segment = firstSegment(prefix);
  return { test: (path) => isUnder(path, prefix), ...(segment === "" ? {} : { segment }) };
}

/** `/Orders/:id` → `orders`: the segment every path under a prefix shares (compared as `normalise` does). */
function firstSegment(path: string): string {
  const p = normalise(path);
  const start = p.startsWith("/") ? 1 : 0;
  const end = p.indexOf("/", start);
  return p.slice(start, end < 0 ? p.length : end);
}

/** `openEndpoint`, `access.public`, `allowAnonymous()`: the name a marker middleware is written with. */
function markerName(node: Node): string | undefined {
  const n = unwrap(node);
  const callee = n.type === T.CallExpression ? unwrap(n.callee) : n;
  return callee.type === T.Identifier || callee.type === T.MemberExpression ? memberPath(callee) : undefined;
}
