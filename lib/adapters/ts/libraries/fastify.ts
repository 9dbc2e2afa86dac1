/**
 * Fastify: instances and plugins, their routes, and which auth hooks run before each
 * route, following Fastify's encapsulation.
 *
 * - A route's own `onRequest` / `preParsing` / `preValidation` / `preHandler` options.
 * - Hooks added with `addHook()` to the route's instance. Fastify collects a route's hooks
 *   when the server gets ready, so a hook protects every route of its plugin, whether it
 *   is added before or after them.
 * - Hooks of the parent a plugin is registered in (`register(plugin, { prefix })`), and of
 *   its parents. A plugin takes its parent's hooks when it loads: those added before the
 *   `register()` call, and those added after it in the same function with no `await` in
 *   between (an awaited `register()` loads the plugin at once).
 * - A plugin wrapped in `fastify-plugin` shares its parent's instance: its hooks and
 *   routes are the parent's, and reach the parent's plugins registered after it.
 * - `fastify.decorate("authenticate", async (request, reply) => …)`: `fastify.authenticate`
 *   is an auth hook when the function verifies (`request.jwtVerify()`) or answers 401/403.
 *
 * Plugins registered from other files are recorded as mounts, with the prefix and the
 * hooks in force where they are registered.
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
  Reference,
} from "../../../core/model.js";
import { routePath } from "../../../core/model.js";
import { lowerBound } from "../../../core/adapter-utils.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import {
  isFunction,
  locOf,
  propertyName,
  sourceText,
  span,
  staticString,
  typeAnnotationName,
  unwrap,
  unwrapAwait,
  type FunctionNode,
  type Node,
  isDenyStatus,
} from "../ast.js";
import type { AuthMatch } from "../concerns/auth-middleware.js";
import { DataLayer } from "../concerns/data-layer.js";
import type { Binding, CallSite, FileFacts } from "../facts.js";
import { Handlers } from "../handlers.js";
import { isPrincipalSegment, principalMembers, type RequestBinding } from "../concerns/value-origins.js";
import { requestChecks, withChecks } from "../concerns/request-checks.js";
import { auditEvents } from "../concerns/audit-events.js";
import { matches, originOf, type ImportSpecifier } from "../imports.js";
import type { TsLibrary } from "./library.js";
import { exportTable } from "../exports.js";
import type { MarkerEffect } from "../../../core/project/summary.js";
import {
  flatten,
  Guards,
  isPathLike,
  joinPaths,
  localFunction,
  MAX_PROTECTIONS,
  methodsOf,
  objectValue,
  pathText,
  projectExport,
  propertyValue,
  stringValue,
  type Item,
} from "./routing.js";

export const FASTIFY: FrameworkVocabulary = {
  displayName: "Fastify",
  missingAuth:
    "no auth hook (onRequest, preValidation, preHandler) in the route options, and none added with addHook() in its plugin or the plugins it is registered in",
  addAuth:
    'add an auth hook to the route options ({ onRequest: [fastify.authenticate] }) or call fastify.addHook("onRequest", fastify.authenticate) in the plugin that declares the route.',
};

const ROUTE_METHODS: ReadonlyMap<string, HttpMethod> = new Map([
  ["get", "GET"],
  ["post", "POST"],
  ["put", "PUT"],
  ["patch", "PATCH"],
  ["delete", "DELETE"],
  ["head", "HEAD"],
  ["options", "OPTIONS"],
  ["all", "ANY"],
]);

/** The request hooks that run before the handler and can turn the caller away. */
const AUTH_HOOKS = ["onRequest", "preParsing", "preValidation", "preHandler"] as const;
const AUTH_HOOK_NAMES: ReadonlySet<string> = new Set(AUTH_HOOKS);

const CALL_NAMES: ReadonlySet<string> = new Set([...ROUTE_METHODS.keys(), "route", "register", "addHook", "decorate"]);
/** Instance methods that return the instance, so calls chain: `fastify.withTypeProvider<…>().post(…)`. */
const CHAINABLE = new Set([...CALL_NAMES, "withTypeProvider", "after", "setErrorHandler", "setNotFoundHandler"]);

const FACTORY: ImportSpecifier = { from: "package", package: "fastify", name: ["default", "fastify"] };
const PLUGIN_WRAPPER: ImportSpecifier = { from: "package", package: "fastify-plugin", name: "default" };
/** Plugins that add an auth `onRequest` hook to the instance that registers them (unless `{ addHook: false }`). */
const HOOK_PLUGINS: readonly ImportSpecifier[] = [
  { from: "package", package: "@fastify/bearer-auth", name: "default" },
  { from: "package", package: "fastify-bearer-auth", name: "default" },
];
/** `@fastify/jwt` puts `jwtVerify()` on the request: a hook that calls it verifies the caller. */
const VERIFYING_METHODS: ReadonlySet<string> = new Set(["jwtVerify"]);
/** Untyped parameters taken for Fastify instances in a file that imports Fastify. */
const INSTANCE_NAME = /^(fastify|app|server|instance|api|router)$|(App|Server|Instance)$/;

const MAX_DEPTH = 8;
/** Registrations of one plugin looked at: the first ones decide in real code. */
const MAX_REGISTRATIONS = 64;

export const fastify: TsLibrary = {
  id: "fastify",
  memberCalls: CALL_NAMES,
  nodeTypes: new Set([T.CallExpression, T.AwaitExpression]),
  // Instances come from Fastify's packages, or are called `fastify` (plugins of fastify-cli apps import nothing).
  applies: ({ facts }) => facts.memberCalls.length > 0 && facts.text.includes("fastify"),
  endpoints: (file) => analyse(file.facts, file.settings).endpoints,
  mounts: (file) => analyse(file.facts, file.settings).mounts,
  summary: ({ facts }) => ({ attachments: [], markers: hookPluginMarkers(facts) }),
  denySignal: isFastifyDenySignal,
};

/** `reply.code(401)`: Fastify's name for setting the status. */
export function isFastifyDenySignal(
  node: TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.AssignmentExpression,
): boolean {
  return (
    node.type === T.CallExpression &&
    node.callee.type === T.MemberExpression &&
    propertyName(node.callee) === "code" &&
    isDenyStatus(node.arguments[0])
  );
}

/** Is the module Fastify or one of its plugins? */
function isFastifyModule(module: string): boolean {
  return module === "fastify" || module.startsWith("fastify-") || module.startsWith("@fastify/");
}

const cache = new WeakMap<FileFacts, { endpoints: Endpoint[]; mounts: ExternalMount[] }>();

function analyse(facts: FileFacts, settings: ResolvedSettings): { endpoints: Endpoint[]; mounts: ExternalMount[] } {
  let result = cache.get(facts);
  if (!result) cache.set(facts, (result = new FastifyFile(facts, settings).analyse()));
  return result;
}

/** An encapsulation context: the root instance, or a plugin's. */
interface Instance {
  kind: "root" | "plugin";
  hooks: Hook[];
  /**
   * Plugins of other project files registered on the instance: one wrapped in
   * fastify-plugin adds its hooks here, which that file's summary tells.
   */
  imported?: { name: string; module: string; export: string; loc: Loc }[];
  /** Where this file registers the plugin. */
  registrations: Registration[];
}

/** An auth hook added to an instance. */
interface Hook {
  match: AuthMatch;
  loc: Loc;
  /** Where it is added: the `addHook` (or plugin `register`) call's method name, in the instance's own function. */
  order: number;
  scope: Node;
  /**
   * Added while a plugin loads (a fastify-plugin's `addHook`, a hook-adding plugin): it
   * reaches only the plugins registered after that plugin.
   */
  loaded: boolean;
}

interface Registration {
  parent: Instance;
  /** The `register` call's method name (or, through fastify-plugin, where that plugin loads in the parent). */
  order: number;
  /** The function the `register` call is made in, and where the call starts. */
  scope: Node;
  start: number;
  prefix: string | undefined;
  /** Hooks added to the parent after the call, in the same function with no `await` between, still reach it. */
  laterHooks: boolean;
}

/** The prefix and hooks an instance takes from where it is registered. */
interface Inherited {
  prefix: string | undefined;
  hooks: Hook[];
}

const NOTHING_INHERITED: Inherited = { prefix: undefined, hooks: [] };

/** An instance as a call reaches it; through fastify-plugin, with where that plugin loads in the parent. */
interface Ref {
  instance: Instance;
  loadedAt?: number;
}

/** A `register()` call as written, before its instance is known. */
interface PendingRegistration {
  site: CallSite;
  order: number;
  wrapped: boolean;
  options: Node | undefined;
}

interface Route {
  ref: Ref;
  methods: HttpMethod[];
  path: string;
  loc: Loc;
  hooks: Item[];
  handler: Item;
  /** `schema.body` of the route options. */
  bodySchema?: Item;
}

/** What a Fastify request carries from the client. */
const FASTIFY_CLIENT = new Set(["params", "query", "body", "headers", "cookies", "raw"]);

/**
 * `(request, reply)`: `request.params`, `request.query`, `request.body` are the client's;
 * `request.user`, `request.session…` and what auth plugins decorate the request with
 * (`await request.getCurrentUserId()`, `request.jwtVerify()`) are the caller.
 */
export const FASTIFY_REQUEST: RequestBinding = {
  classify(_fn, index, path) {
    const first = path[0];
    if (index !== 0 || first === undefined) return undefined;
    if (FASTIFY_CLIENT.has(first) || /^file\(|^files\(/.test(first)) return "client";
    return isPrincipalSegment(first) ? "principal" : undefined;
  },
  request: {
    via: "request",
    client: [...FASTIFY_CLIENT].map((key) => [key]),
    principal: principalMembers().map((key) => [key]),
  },
};

class FastifyFile {
  private readonly guards: Guards;
  private readonly handlers: Handlers;
  private readonly refs = new Map<unknown, Ref | null>();
  private readonly plugins = new Map<FunctionNode, Ref | null>();
  /** Local plugin functions by the `register()` calls that register them. */
  private readonly pending = new Map<FunctionNode, PendingRegistration[]>();
  /** Functions wrapped in fastify-plugin anywhere in the file. */
  private readonly wrapped = new Set<FunctionNode>();
  private readonly decorators = new Map<string, { node: Node; scope: Node }>();
  private readonly importsFastify: boolean;
  private awaits: Map<Node, [number, number][]> | undefined;

  constructor(
    private readonly facts: FileFacts,
    private readonly settings: ResolvedSettings,
  ) {
    this.guards = new Guards(facts, settings, {
      exports: [],
      isMiddleware: (fn) => fn.params.length >= 1,
      inlineName: "inline hook",
      verifyingMethods: VERIFYING_METHODS,
      memberFunction: (node) => this.decorated(node),
    });
    this.handlers = new Handlers(facts, new DataLayer(facts), settings);
    this.importsFastify = [...facts.moduleSources].some(isFastifyModule);
  }

  analyse(): { endpoints: Endpoint[]; mounts: ExternalMount[] } {
    this.collectPlugins();
    const routes: Route[] = [];
    const external: { registration: Registration; module: string; export: string; loc: Loc }[] = [];
    for (const site of this.facts.memberCalls) {
      const callee = site.call.callee as TSESTree.MemberExpression;
      const name = propertyName(callee)!;
      if (!CALL_NAMES.has(name) || name === "decorate") continue;
      const ref = this.refOf(callee.object, site.scope);
      if (!ref) continue;
      const order = ref.loadedAt ?? callee.property.range[0];
      if (name === "addHook") this.addHook(ref, site, order);
      else if (name === "register") {
        const plugin = site.call.arguments[0];
        if (!plugin) continue;
        if (this.addsAuthHook(plugin, site)) {
          ref.instance.hooks.push({
            match: { name: sourceText(this.facts.text, unwrap(plugin)) },
            loc: locOf(plugin),
            order,
            scope: site.scope,
            loaded: true,
          });
          continue;
        }
        const exported = projectExport(this.facts, plugin, site.scope);
        if (exported) {
          (ref.instance.imported ??= []).push({
            name: sourceText(this.facts.text, unwrap(plugin)),
            ...exported,
            loc: locOf(plugin),
          });
        }
        if (exported)
          external.push({
            registration: { parent: ref.instance, ...this.registration(site, order, ref) },
            ...exported,
            loc: locOf(site.call),
          });
      } else {
        const route = name === "route" ? this.routeTable(ref, site) : this.shorthand(ref, site, name);
        if (route) routes.push(route);
      }
    }
    routes.sort((a, b) => a.loc.start.line - b.loc.start.line || a.loc.start.column - b.loc.start.column);
    return {
      endpoints: routes.map((route) => this.endpoint(route)),
      mounts: external.map((m) => this.externalMount(m.registration, m)),
    };
  }

  // -------------------------------------------------------------------------------
  // Routes
  // -------------------------------------------------------------------------------

  /** `fastify.post(path, [options,] handler)`, or `fastify.post(path, { handler, preHandler })`. */
  private shorthand(ref: Ref, site: CallSite, name: string): Route | undefined {
    const callee = site.call.callee as TSESTree.MemberExpression;
    const [pathNode, second, third] = site.call.arguments;
    if (!pathNode || !second || !isPathLike(this.facts, pathNode, site.scope)) return undefined;
    let options = third ? objectValue(this.facts, second, site.scope) : undefined;
    let handler: Item | undefined = third ? { node: third, scope: site.scope } : undefined;
    if (!third) {
      const inline = objectValue(this.facts, second, site.scope);
      const value = inline && propertyValue(this.facts, inline.object, "handler");
      if (inline && value) {
        options = inline;
        handler = { node: value, scope: inline.scope };
      } else handler = { node: second, scope: site.scope };
    }
    if (!handler || handler.node.type === T.SpreadElement) return undefined;
    return {
      ref,
      methods: [ROUTE_METHODS.get(name)!],
      path: pathText(this.facts, pathNode, site.scope),
      loc: span(callee.property, pathNode),
      hooks: options ? this.optionHooks(options) : [],
      handler,
      ...(options ? this.bodySchemaOf(options) : {}),
    };
  }

  /** `fastify.route({ method, url, handler, onRequest, preHandler, … })`. */
  private routeTable(ref: Ref, site: CallSite): Route | undefined {
    const callee = site.call.callee as TSESTree.MemberExpression;
    const options = site.call.arguments[0] && objectValue(this.facts, site.call.arguments[0], site.scope);
    if (!options) return undefined;
    const { object, scope } = options;
    const method = propertyValue(this.facts, object, "method");
    const url = propertyValue(this.facts, object, "url") ?? propertyValue(this.facts, object, "path");
    const handler = propertyValue(this.facts, object, "handler");
    const methods = method && methodsOf(this.facts, method, scope);
    if (!methods || !url || !handler) return undefined;
    return {
      ref,
      methods,
      path: pathText(this.facts, url, scope),
      loc: span(callee.property, url),
      hooks: this.optionHooks(options),
      handler: { node: handler, scope },
      ...this.bodySchemaOf(options),
    };
  }

  /** `{ schema: { body: z.object({ … }) } }`: the route's body schema. */
  private bodySchemaOf({ object, scope }: { object: TSESTree.ObjectExpression; scope: Node }): { bodySchema?: Item } {
    const schema = propertyValue(this.facts, object, "schema");
    const inner = schema && objectValue(this.facts, schema, scope);
    const body = inner && propertyValue(this.facts, inner.object, "body");
    return body && inner ? { bodySchema: { node: body, scope: inner.scope } } : {};
  }

  /** The functions in a route's hook options: `onRequest: fastify.authenticate`, `preHandler: [a, b]`. */
  private optionHooks({ object, scope }: { object: TSESTree.ObjectExpression; scope: Node }): Item[] {
    const items: Item[] = [];
    for (const hook of AUTH_HOOKS) {
      const value = propertyValue(this.facts, object, hook);
      if (value) items.push(...flatten(this.facts, [value], scope));
    }
    return items;
  }

  private endpoint(route: Route): Endpoint {
    const { instance } = route.ref;
    const up = this.inheritedOf(instance);
    const path = joinPaths(up.prefix, route.path);
    const protections: Protection[] = [];
    for (const item of route.hooks) {
      const match = this.guards.classify(item.node, item.scope);
      if (match) this.add(protections, match, locOf(item.node), "route", path, route.methods);
    }
    const own: ProtectionSource = instance.kind === "root" ? "global" : "router";
    for (const hook of this.sortedHooks(instance)) {
      if (protections.length >= MAX_PROTECTIONS) break;
      this.add(protections, hook.match, hook.loc, own, path, route.methods);
    }
    for (const hook of up.hooks) this.add(protections, hook.match, hook.loc, "mount", path, route.methods);
    const references: Reference[] = (instance.imported ?? []).map((plugin) => ({
      ...plugin,
      role: "marker",
      source: own,
    }));
    const handlerName = this.handlers.nameOf(route.handler.node, undefined);
    const functions = this.handlers.functionsOf(route.handler.node, route.handler.scope, undefined);
    const checks = requestChecks(this.facts, this.settings).of(functions, {
      middleware: route.hooks,
      handler: route.handler,
      ...(route.bodySchema ? { bodySchema: route.bodySchema } : {}),
    });
    const endpoint: Endpoint = {
      framework: "fastify",
      vocabulary: FASTIFY,
      methods: route.methods,
      route: routePath(path),
      path,
      ...(handlerName !== undefined ? { handler: handlerName } : {}),
      loc: route.loc,
      protections,
      anonymous: [],
      dataOperations: this.handlers.dataOperations(functions, FASTIFY_REQUEST),
      ...(functions.length > 0
        ? this.handlers.callsOf(functions, FASTIFY_REQUEST)
        : this.handlers.importedHandlerCall(route.handler.node, route.handler.scope, FASTIFY_REQUEST, route.loc)),
      ...(references.length > 0 ? { references } : {}),
    };
    auditEvents(this.facts, this.settings).record(
      endpoint,
      functions,
      FASTIFY_REQUEST,
      route.hooks.map((h) => h.node),
    );
    return withChecks(endpoint, checks);
  }

  private add(
    into: Protection[],
    match: AuthMatch,
    loc: Loc,
    source: ProtectionSource,
    fullPath: string,
    methods: readonly HttpMethod[],
  ): void {
    if (into.length >= MAX_PROTECTIONS || match.exempts?.(fullPath, methods)) return;
    into.push({ name: match.name, source, loc, ...(match.requirement ? { requirement: match.requirement } : {}) });
  }

  private readonly inherited = new Map<Instance, Inherited>();

  /**
   * The prefix and the hooks an instance takes from the plugins this file registers it in,
   * once per instance. A plugin registered twice is as exposed as its least protected
   * registration.
   */
  private inheritedOf(instance: Instance): Inherited {
    const known = this.inherited.get(instance);
    if (known) return known;
    this.inherited.set(instance, NOTHING_INHERITED); // a plugin registered inside itself
    const results = instance.registrations.slice(0, MAX_REGISTRATIONS).map((r) => this.through(r));
    const chosen = results.find((r) => r.hooks.length === 0) ?? results[0] ?? NOTHING_INHERITED;
    this.inherited.set(instance, chosen);
    return chosen;
  }

  /** What a registration passes on: the parent's hooks that reach it, and what the parent inherited. */
  private through(registration: Registration): Inherited {
    const up = this.inheritedOf(registration.parent);
    const hooks = this.reaching(registration);
    for (const hook of up.hooks) if (hooks.length < MAX_PROTECTIONS) hooks.push(hook);
    return { prefix: joinPaths(up.prefix, registration.prefix ?? ""), hooks };
  }

  /**
   * The parent's hooks that reach a plugin it registers: those added before the
   * `register()` call, and those added after it in the same function with no `await` in
   * between.
   */
  private reaching(registration: Registration): Hook[] {
    const hooks: Hook[] = [];
    for (const hook of this.sortedHooks(registration.parent)) {
      if (hooks.length >= MAX_PROTECTIONS) break;
      if (hook.order < registration.order) hooks.push(hook);
      else if (!registration.laterHooks) break;
      else if (hook.loaded || hook.scope !== registration.scope) continue;
      else if (this.awaitBetween(registration.scope, registration.start, hook.order)) break;
      else hooks.push(hook);
    }
    return hooks;
  }

  private readonly sorted = new Set<Instance>();

  /** An instance's hooks by where they are added, sorted once. */
  private sortedHooks(instance: Instance): readonly Hook[] {
    if (!this.sorted.has(instance)) {
      instance.hooks.sort((a, b) => a.order - b.order);
      this.sorted.add(instance);
    }
    return instance.hooks;
  }

  /** Is there an `await` in the function that ends after `from` and starts before `to`? */
  private awaitBetween(scope: Node, from: number, to: number): boolean {
    if (!this.awaits) {
      // Per function, awaits by start, with the furthest end reached so far.
      this.awaits = new Map();
      for (const { node, scope: s } of this.facts.collected.get(T.AwaitExpression) ?? []) {
        let list = this.awaits.get(s);
        if (!list) this.awaits.set(s, (list = []));
        list.push([node.range[0], Math.max(node.range[1], list.at(-1)?.[1] ?? 0)]);
      }
    }
    const list = this.awaits.get(scope) ?? [];
    const i = lowerBound(list, to, (entry) => entry[0]) - 1;
    return i >= 0 && list[i][1] > from;
  }

  /** What a plugin registered from another file gets where this file registers it. */
  private externalMount(registration: Registration, m: { module: string; export: string; loc: Loc }): ExternalMount {
    const { prefix, hooks } = this.through(registration);
    return {
      framework: "fastify",
      module: m.module,
      export: m.export,
      prefix: routePath(joinPaths(prefix, "")),
      protections: hooks.map((h) => ({ name: h.match.name, source: "mount", loc: h.loc })),
      loc: m.loc,
    };
  }

  // -------------------------------------------------------------------------------
  // Hooks, plugins and decorators
  // -------------------------------------------------------------------------------

  /** `fastify.addHook("onRequest", fastify.authenticate)` */
  private addHook(ref: Ref, site: CallSite, order: number): void {
    const [hookName, fn] = site.call.arguments;
    const hook = hookName && stringValue(this.facts, hookName, site.scope);
    if (!fn || hook === undefined || !AUTH_HOOK_NAMES.has(hook)) return;
    const match = this.guards.classify(fn, site.scope);
    if (match)
      ref.instance.hooks.push({ match, loc: locOf(fn), order, scope: site.scope, loaded: ref.loadedAt !== undefined });
  }

  /** `fastify.register(bearerAuth, { keys })` adds an auth hook to the registering instance. */
  private addsAuthHook(plugin: Node, site: CallSite): boolean {
    const origin = originOf(this.facts, plugin, site.scope);
    if (!origin || !HOOK_PLUGINS.some((s) => matches(origin, s))) return false;
    const options = site.call.arguments[1] && objectValue(this.facts, site.call.arguments[1], site.scope);
    const addHook = options && propertyValue(this.facts, options.object, "addHook");
    return !(addHook?.type === T.Literal && addHook.value === false);
  }

  private registration(site: CallSite, order: number, parentRef: Ref): Omit<Registration, "parent"> {
    const optionsNode = site.call.arguments[1];
    const options = optionsNode && objectValue(this.facts, optionsNode, site.scope);
    const prefixNode = options && propertyValue(this.facts, options.object, "prefix");
    return {
      order,
      scope: site.scope,
      start: site.call.range[0],
      prefix: prefixNode && stringValue(this.facts, prefixNode, options.scope),
      laterHooks: parentRef.loadedAt === undefined,
    };
  }

  /** Before anything is resolved: the plugins the file registers or wraps, and its decorators. */
  private collectPlugins(): void {
    if (this.facts.imports(PLUGIN_WRAPPER.package)) {
      for (const site of this.facts.localCalls) {
        const fn = this.wrappedPlugin(site.call, site.scope);
        if (fn) this.wrapped.add(fn);
      }
    }
    for (const site of this.facts.memberCalls) {
      const callee = site.call.callee as TSESTree.MemberExpression;
      const name = propertyName(callee);
      const [first, second] = site.call.arguments;
      if (name === "decorate" && first && second) {
        const decorated = staticString(first);
        if (decorated !== undefined && !this.decorators.has(decorated))
          this.decorators.set(decorated, { node: second, scope: site.scope });
      }
      if (name !== "register" || !first) continue;
      const plugin = this.pluginFunction(first, site.scope);
      if (!plugin) continue;
      const list = this.pending.get(plugin.fn) ?? [];
      list.push({ site, order: callee.property.range[0], wrapped: plugin.wrapped, options: second });
      this.pending.set(plugin.fn, list);
    }
  }

  /** The same-file function a `register()` argument is: inline, named, or wrapped in fastify-plugin. */
  private pluginFunction(node: Node, scope: Node, depth = 0): { fn: FunctionNode; wrapped: boolean } | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const n = unwrapAwait(node);
    if (n.type === T.CallExpression) {
      const fn = this.wrappedPlugin(n, scope);
      return fn ? { fn, wrapped: true } : undefined;
    }
    if (isFunction(n)) return { fn: n, wrapped: this.wrapped.has(n) };
    if (n.type !== T.Identifier) return undefined;
    const b = this.facts.resolve(n.name, scope);
    if (b?.kind === "function" && isFunction(b.node)) return { fn: b.node, wrapped: this.wrapped.has(b.node) };
    return b?.kind === "var" && b.init ? this.pluginFunction(b.init, b.scope, depth + 1) : undefined;
  }

  /** `fp(async (fastify) => …)`: the function fastify-plugin wraps. */
  private wrappedPlugin(call: TSESTree.CallExpression, scope: Node): FunctionNode | undefined {
    if (call.arguments.length === 0 || !matches(originOf(this.facts, call.callee, scope), PLUGIN_WRAPPER))
      return undefined;
    return localFunction(this.facts, call.arguments[0], scope);
  }

  /** `fastify.authenticate` → the function `fastify.decorate("authenticate", …)` gave it. */
  private decorated(node: TSESTree.MemberExpression): FunctionNode | undefined {
    const name = propertyName(node);
    const decorator = name === undefined ? undefined : this.decorators.get(name);
    return decorator && localFunction(this.facts, decorator.node, decorator.scope);
  }

  // -------------------------------------------------------------------------------
  // Instances
  // -------------------------------------------------------------------------------

  /** The instance a call is made on. */
  private refOf(expr: Node, scope: Node, depth = 0): Ref | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const node = unwrapAwait(expr);
    if (node.type === T.CallExpression) {
      const callee = unwrap(node.callee);
      if (callee.type === T.MemberExpression) {
        const name = propertyName(callee);
        return name !== undefined && CHAINABLE.has(name) ? this.refOf(callee.object, scope, depth + 1) : undefined;
      }
      return matches(originOf(this.facts, callee, scope), FACTORY) ? this.refFor(node, () => this.root()) : undefined;
    }
    if (node.type !== T.Identifier) return undefined;
    const binding = this.facts.resolve(node.name, scope);
    // `fastify` used without a declaration in this file (a script, a snippet of a larger file).
    if (!binding) return node.name === "fastify" ? this.refFor("global:fastify", () => this.root()) : undefined;
    return this.refFor(binding, () => this.classifyBinding(binding, depth));
  }

  private refFor(key: unknown, classify: () => Ref | undefined): Ref | undefined {
    let ref = this.refs.get(key);
    if (ref === undefined) {
      this.refs.set(key, null);
      ref = classify() ?? null;
      this.refs.set(key, ref);
    }
    return ref ?? undefined;
  }

  private root(): Ref {
    return { instance: { kind: "root", hooks: [], registrations: [] } };
  }

  private classifyBinding(binding: Binding, depth: number): Ref | undefined {
    if (binding.kind === "param") {
      const fn = binding.scope;
      if (isFunction(fn) && fn.params[0] === binding.node && this.isPlugin(fn, binding)) return this.pluginRef(fn);
      return this.isTyped(binding) ? this.root() : undefined;
    }
    if (binding.kind !== "var") return undefined;
    if (this.isTyped(binding)) return this.root();
    const values = [
      binding.init,
      ...(this.facts.assignments.get(binding.name) ?? [])
        .filter((a) => this.facts.resolve(binding.name, a.scope) === binding)
        .map((a) => a.value),
    ];
    for (const value of values) {
      const ref = value && this.refOf(value, binding.scope, depth + 1);
      if (ref) return ref;
    }
    return undefined;
  }

  /** Is the function a plugin whose first parameter is a Fastify instance? */
  private isPlugin(fn: FunctionNode, param: Binding): boolean {
    if (this.wrapped.has(fn) || this.isTyped(param) || param.name === "fastify") return true;
    if (this.importsFastify && INSTANCE_NAME.test(param.name)) return true;
    return (this.pending.get(fn) ?? []).some((r) => {
      const callee = r.site.call.callee as TSESTree.MemberExpression;
      return this.refOf(callee.object, r.site.scope) !== undefined;
    });
  }

  /**
   * A plugin's instance. Wrapped in fastify-plugin and registered here, it is the parent's
   * (loading where it is registered); otherwise its own, registered where this file registers it.
   */
  private pluginRef(fn: FunctionNode): Ref | undefined {
    const known = this.plugins.get(fn);
    if (known !== undefined) return known ?? undefined;
    this.plugins.set(fn, null);
    const pending = this.pending.get(fn) ?? [];
    const wrapped = this.wrapped.has(fn) || pending.some((r) => r.wrapped);
    if (wrapped) {
      for (const r of pending) {
        const parent = this.refOf((r.site.call.callee as TSESTree.MemberExpression).object, r.site.scope);
        if (!parent) continue;
        const ref: Ref = { instance: parent.instance, loadedAt: parent.loadedAt ?? r.order };
        this.plugins.set(fn, ref);
        return ref;
      }
    }
    const instance: Instance = { kind: "plugin", hooks: [], registrations: [] };
    const ref: Ref = { instance };
    this.plugins.set(fn, ref);
    for (const r of pending) {
      const parent = this.refOf((r.site.call.callee as TSESTree.MemberExpression).object, r.site.scope);
      if (!parent) continue;
      instance.registrations.push({
        parent: parent.instance,
        ...this.registration(r.site, parent.loadedAt ?? r.order, parent),
      });
    }
    return ref;
  }

  /** A parameter or variable typed `FastifyInstance` from fastify. */
  private isTyped(binding: Binding): boolean {
    const node = binding.node.type === T.VariableDeclarator ? binding.node.id : binding.node;
    const type = typeAnnotationName(node);
    if (!type) return false;
    const parts = type.path.split(".");
    if (parts.at(-1) !== "FastifyInstance" || parts.length > 2) return false;
    const b = this.facts.resolve(parts[0], binding.scope);
    return b?.kind === "import" && b.source === "fastify";
  }
}

/**
 * For the project index: exported plugins wrapped in fastify-plugin that add a hook which
 * verifies the caller (`request.jwtVerify()`, also inside a helper the hook puts on the
 * request): registering one protects the routes of the registering instance.
 */
function hookPluginMarkers(facts: FileFacts): MarkerEffect[] {
  if (!facts.text.includes("addHook")) return [];
  const markers: MarkerEffect[] = [];
  for (const [binding, name] of exportTable(facts).byBinding) {
    if (binding.kind !== "var" || !binding.init) continue;
    const call = unwrap(binding.init);
    if (call.type !== T.CallExpression || !matches(originOf(facts, call.callee, binding.scope), PLUGIN_WRAPPER))
      continue;
    const plugin = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
    if (!plugin || !isFunction(plugin)) continue;
    const text = facts.text.slice(plugin.range[0], plugin.range[1]);
    if (
      /\.addHook\s*\(/.test(text) &&
      [...VERIFYING_METHODS].some((m) => new RegExp(`\\.${m}\\s*(?:<[^>]*>)?\\s*\\(`).test(text))
    )
      markers.push({ export: name, effect: "protection", loc: locOf(plugin) });
  }
  return markers;
}
