/**
 * NestJS: `@Controller` classes and their `@Get`/`@Post`/… handlers, with what protects
 * each one as far as its own file shows:
 *
 * - `@UseGuards(...)` on the handler (`route`) or the controller (`class`), or on a base
 *   class of the controller declared in this file (`base-class`);
 * - custom decorators of this file that apply guards (`applyDecorators(UseGuards(...), …)`);
 * - global guards registered in this file (`app.useGlobalGuards(...)`,
 *   `{ provide: APP_GUARD, useClass }`), which every handler without an explicit public
 *   marker gets (`global`). They are also recorded in the file model for the project index.
 *
 * A guard counts as authentication or authorization when it is `AuthGuard(...)` from
 * @nestjs/passport, a name configured in `settings["api-posture"].auth`, a class of this
 * file whose `canActivate` turns callers away (throws `UnauthorizedException` /
 * `ForbiddenException`, returns `false` or a check of the request's user or token) or that
 * extends such a guard, or — for a guard declared elsewhere — when its name says so (see
 * `guardNameVerdict`). Rate limiters (`ThrottlerGuard`), pipes and interceptors are not.
 * `@Roles(...)` only sets metadata: it restricts nothing unless a guard applies.
 *
 * Explicit public markers: `@Public()`, `@AllowAnonymous()`, `@SkipAuth()`, `@IsPublic()`,
 * `@SetMetadata(IS_PUBLIC_KEY, true)` (also inside a custom decorator of this file) and the
 * configured `publicMarkers`.
 *
 * Decorators, guards and base classes imported from another file that the name does not
 * decide are kept on the endpoint as `unresolved`, for the project index.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import { routePath } from "../../../core/model.js";
import type {
  AnonymousMarker,
  Endpoint,
  FrameworkVocabulary,
  GlobalGuard,
  HttpMethod,
  Protection,
  ProtectionSource,
  Requirement,
  UnresolvedReference,
} from "../../../core/model.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import {
  isClass,
  isFunction,
  locOf,
  memberPath,
  nameWords,
  paramName,
  propertyName,
  shortSource,
  staticString,
  terminalName,
  typeAnnotationName,
  unwrap,
  unwrapAwait,
  type ClassNode,
  type FunctionNode,
  type Node,
} from "../ast.js";
import { authNameVerdict, type NameVerdict } from "../concerns/auth-middleware.js";
import { DataLayer } from "../concerns/data-layer.js";
import type { FileFacts } from "../facts.js";
import { Handlers } from "../handlers.js";
import { isPrincipalSegment, type RequestBinding } from "../concerns/value-origins.js";
import { EXPRESS_REQUEST } from "./express.js";
import { requestChecks, withChecks } from "../concerns/request-checks.js";
import { auditEvents } from "../concerns/audit-events.js";
import { matches, originOf, type ImportSpecifier, type Origin } from "../imports.js";
import type { TsFile, TsLibrary } from "./library.js";
import { exportTable } from "../exports.js";
import type {
  AppWideRoutes,
  Attachment,
  ConfigValue,
  FileSummary,
  MarkerEffect,
} from "../../../core/project/summary.js";
import { objectValue, projectExport, propertyValue } from "./routing.js";

export const NESTJS: FrameworkVocabulary = {
  displayName: "NestJS",
  missingAuth:
    "no auth guard on the handler or its controller (@UseGuards), and no global guard (APP_GUARD) registered in this file",
  addAuth:
    "add @UseGuards(JwtAuthGuard) (or AuthGuard('jwt')) to the handler or its controller, or register the guard for the whole app with { provide: APP_GUARD, useClass: JwtAuthGuard }.",
};

const COMMON = "@nestjs/common";
const CORE = "@nestjs/core";
const PASSPORT = "@nestjs/passport";

function specifier(pkg: string, name: string): ImportSpecifier {
  return { from: "package", package: pkg, name };
}

interface RouteSpecifier extends ImportSpecifier {
  method: HttpMethod;
}

const ROUTE_DECORATORS: readonly RouteSpecifier[] = (
  [
    ["Get", "GET"],
    ["Post", "POST"],
    ["Put", "PUT"],
    ["Patch", "PATCH"],
    ["Delete", "DELETE"],
    ["All", "ANY"],
    ["Head", "HEAD"],
    ["Options", "OPTIONS"],
  ] as const
).map(([name, method]) => ({ ...specifier(COMMON, name), method }));

const CONTROLLER = specifier(COMMON, "Controller");
const USE_GUARDS = specifier(COMMON, "UseGuards");
const SET_METADATA = specifier(COMMON, "SetMetadata");
const APPLY_DECORATORS = specifier(COMMON, "applyDecorators");
const PASSPORT_AUTH_GUARD = specifier(PASSPORT, "AuthGuard");
const APP_GUARD = specifier(CORE, "APP_GUARD");
const MODULE = specifier(COMMON, "Module");
const VERSION = specifier(COMMON, "Version");
const VERSION_NEUTRAL = specifier(COMMON, "VERSION_NEUTRAL");
const REQUEST_METHOD = specifier(COMMON, "RequestMethod");
/** `RouterModule.register(routes)`, and `RouterModule.forRoutes(routes)` of the nest-router package it replaced. */
const ROUTER_MODULES = [specifier(CORE, "RouterModule"), specifier("nest-router", "RouterModule")];
const REGISTER_AS = specifier("@nestjs/config", "registerAs");

/** Built-in names of explicit public markers. */
const PUBLIC_MARKERS = new Set(["Public", "AllowAnonymous", "SkipAuth", "IsPublic"]);
/** Metadata keys that mark a handler public: `IS_PUBLIC_KEY`, `'isPublic'`, `'allowAnonymous'`, `'skipAuth'`. */
const PUBLIC_KEY = /^(is)?(public|anonymous|allowanonymous|skipauth|noauth)(route|endpoint)?(key)?$/;

const ROLE_WORDS = new Set(["role", "roles", "rbac", "admin", "admins", "superadmin", "staff"]);
const POLICY_WORDS = new Set([
  "permission",
  "permissions",
  "perm",
  "perms",
  "policy",
  "policies",
  "scope",
  "scopes",
  "ability",
  "abilities",
  "casl",
  "acl",
  "abac",
  "claim",
  "claims",
  "privilege",
  "privileges",
]);
/** Words in a guard's name that say what it checks: one of them makes a `…Guard` an auth guard. */
const GUARD_SUBJECTS = new Set([
  "auth",
  "authn",
  "authz",
  "authed",
  "authenticate",
  "authenticated",
  "authentication",
  "authorize",
  "authorized",
  "authorization",
  "authorise",
  "authorised",
  "authorisation",
  "jwt",
  "jwts",
  "token",
  "tokens",
  "bearer",
  "session",
  "apikey",
  "oauth",
  "oidc",
  "sso",
  "saml",
  "login",
  "loggedin",
  "signedin",
  "user",
  "principal",
  "identity",
  "account",
  "member",
  "membership",
  "owner",
  "ownership",
  ...ROLE_WORDS,
  ...POLICY_WORDS,
  "access",
  "firebase",
  "cognito",
  "clerk",
  "supabase",
  "keycloak",
  "passport",
]);
/** Guards that limit or route traffic rather than callers. */
const NOT_AUTH_WORDS = new Set(["throttle", "throttler", "throttling", "rate", "ratelimit", "limit", "limiter"]);
/** Words that show a `canActivate` return value comes from who the caller is. */
const IDENTITY_WORDS = new Set([
  ...GUARD_SUBJECTS,
  "users",
  "authenticated",
  "isauthenticated",
  "authorization",
  "credentials",
  "granted",
  "unauthorized",
  "unauthorised",
  "unauthenticated",
]);

/** Configuration values recorded per file. */
const MAX_CONFIG_VALUES = 256;
/** How deep custom decorators, guard classes and their bases are followed. */
const MAX_DEPTH = 6;
/** Paths per handler: controller prefixes times handler paths. */
const MAX_PATHS = 16;
/** Protections recorded per endpoint: any one protects it, and a long list is only listed. */
const MAX_PROTECTIONS = 32;
const MAX_FLATTEN_DEPTH = 8;
/** Characters of a `canActivate` read for names of the caller's identity. */
const MAX_SCAN = 8000;

export const nestjs: TsLibrary = {
  id: "nestjs",
  nodeTypes: new Set([T.Decorator, T.Property, T.ReturnStatement, T.CallExpression]),
  memberCalls: new Set(["useGlobalGuards"]),
  applies: ({ facts }) => importsNest(facts),
  endpoints: (file) => analysis(file).endpoints,
  globalGuards: (file) => analysis(file).globalGuards,
  summary: (file) =>
    importsNest(file.facts) ? new NestFile(file.facts, file.settings).summary() : { attachments: [] },
};

function importsNest(facts: FileFacts): boolean {
  for (const module of facts.moduleSources) if (module.startsWith("@nestjs/")) return true;
  return false;
}

interface Analysis {
  endpoints: Endpoint[];
  globalGuards: GlobalGuard[];
}

/** One analysis per file, shared by the `endpoints` and `globalGuards` hooks. */
const analyses = new WeakMap<FileFacts, Analysis>();

function analysis(file: TsFile): Analysis {
  let result = analyses.get(file.facts);
  if (!result) {
    result = new NestFile(file.facts, file.settings).analyse();
    analyses.set(file.facts, result);
  }
  return result;
}

/** A guard expression with the scope it is evaluated in. */
interface Item {
  node: Node;
  scope: Node;
}

type GuardVerdict =
  | { kind: "auth"; name: string; requirement?: Requirement }
  | { kind: "other"; name: string }
  | { kind: "unresolved"; name: string; module: string };

/** What a decorator does, as far as this file shows. */
interface Effects {
  guards: Item[];
  /** The decorator marks the handler public. */
  public: boolean;
  /** Imported decorators it applies whose meaning is in another file. */
  unresolved: { name: string; module: string }[];
  /** Protections by the decorator's name alone (configured, or an imported `@Auth()`). */
  named: string[];
}

const NO_EFFECTS: Effects = { guards: [], public: false, unresolved: [], named: [] };

/** What applies to the handlers of a controller or to one handler. */
interface Requirements {
  protections: Protection[];
  anonymous: AnonymousMarker[];
  unresolved: UnresolvedReference[];
}

class NestFile {
  private readonly handlers: Handlers;
  private readonly classVerdicts = new Map<ClassNode, GuardVerdict | null>();
  private readonly decoratorEffects = new Map<Node, Effects>();

  constructor(
    private readonly facts: FileFacts,
    private readonly settings: ResolvedSettings,
  ) {
    this.handlers = new Handlers(facts, new DataLayer(facts), settings);
  }

  analyse(): Analysis {
    const globalGuards = this.globalGuards();
    const global: Protection[] = globalGuards
      .filter((g) => g.verdict === "auth")
      .map((g) => ({
        name: g.name,
        source: "global",
        loc: g.loc,
        ...(g.requirement ? { requirement: g.requirement } : {}),
      }));
    const endpoints: Endpoint[] = [];
    for (const { node, parent } of this.facts.collected.get(T.Decorator) ?? []) {
      if (!isClass(parent)) continue;
      const scope = this.facts.scopeOfClass(parent);
      if (!this.isNest(calleeOf(node as TSESTree.Decorator), scope, CONTROLLER)) continue;
      endpoints.push(...this.controllerEndpoints(parent, node as TSESTree.Decorator, global));
    }
    endpoints.sort((a, b) => a.loc.start.line - b.loc.start.line || a.loc.start.column - b.loc.start.column);
    return { endpoints, globalGuards };
  }

  // -------------------------------------------------------------------------------
  // Controllers and handlers
  // -------------------------------------------------------------------------------

  private controllerEndpoints(cls: ClassNode, controller: TSESTree.Decorator, global: Protection[]): Endpoint[] {
    const scope = this.facts.scopeOfClass(cls);
    const prefixes = this.paths(argumentsOf(controller)[0], scope, true);
    const controllerVersions = this.controllerVersions(argumentsOf(controller)[0], scope);
    // Modules of other files register the controller, RouterModule puts a path in front of it.
    const exported = cls.id ? this.exportName(cls.id.name) : undefined;
    const classRequirements = this.requirements(cls.decorators, scope, "class");
    this.addBaseClasses(cls, classRequirements);
    const className = cls.id?.name;
    const endpoints: Endpoint[] = [];
    for (const member of cls.body.body) {
      if (member.type !== T.MethodDefinition || member.kind !== "method" || member.decorators.length === 0) continue;
      const route = member.decorators.find((d) => this.routeMethod(d, scope) !== undefined);
      if (!route) continue;
      const method = this.routeMethod(route, scope)!;
      const own = this.requirements(member.decorators, scope, "route");
      const protections = [...own.protections, ...classRequirements.protections];
      const anonymous = [...own.anonymous, ...classRequirements.anonymous];
      // A global guard lets a handler marked public through.
      if (anonymous.length === 0) protections.push(...global);
      protections.length = Math.min(protections.length, MAX_PROTECTIONS);
      const unresolved = [...own.unresolved, ...classRequirements.unresolved];
      const key = member.computed ? undefined : member.key.type === T.Identifier ? member.key.name : undefined;
      const handler = className !== undefined && key !== undefined ? `${className}.${key}` : key;
      const body = member.value;
      const binding = body.type === T.FunctionExpression ? this.binding(body, scope) : undefined;
      const dataOperations =
        body.type === T.FunctionExpression
          ? this.handlers.dataOperations([body, ...this.serviceMethods(body, cls)], binding, [body])
          : [];
      const calls = body.type === T.FunctionExpression ? this.handlers.callsOf([body], binding) : {};
      const versionDecorator = member.decorators.find((d) => this.isNest(calleeOf(d), scope, VERSION));
      const versions = versionDecorator ? this.versionsOf(argumentsOf(versionDecorator)[0], scope) : controllerVersions;
      const checks = requestChecks(this.facts, this.settings).of(
        body.type === T.FunctionExpression ? [body, ...this.serviceMethods(body, cls)] : [],
      );
      const first = endpoints.length;
      for (const path of joinAll(prefixes, this.paths(argumentsOf(route)[0], scope, false))) {
        endpoints.push({
          framework: "nestjs",
          vocabulary: NESTJS,
          methods: [method],
          route: routePath(path),
          path,
          ...(handler !== undefined ? { handler } : {}),
          loc: locOf(route),
          protections: [...protections],
          anonymous: [...anonymous],
          dataOperations: [...dataOperations],
          ...(calls.calls ? { calls: [...calls.calls] } : {}),
          ...(unresolved.length > 0 ? { unresolved: [...unresolved] } : {}),
          ...(versions ? { versions: [...versions] } : {}),
          ...(exported !== undefined ? { exposure: { export: exported } } : {}),
        });
      }
      for (const endpoint of endpoints.slice(first)) withChecks(endpoint, checks);
      const audits = auditEvents(this.facts, this.settings);
      for (const endpoint of endpoints.slice(first))
        audits.record(endpoint, body.type === T.FunctionExpression ? [body] : [], binding, [
          ...member.decorators,
          ...cls.decorators,
        ]);
    }
    return endpoints;
  }

  /**
   * What a handler's parameters are, by their decorators: `@Param("id")`, `@Query()`,
   * `@Body()` are the client's, a custom decorator named for the caller (`@CurrentUser()`,
   * `@AuthUser()`, `@User()`, `@Session()`) is the caller, and `@Req() req` is the request.
   */
  private binding(fn: TSESTree.FunctionExpression, scope: Node): RequestBinding {
    const kinds = fn.params.map((param) => this.parameterKind(param, scope));
    return {
      classify(_fn, index, path) {
        const kind = kinds[index];
        if (!kind) return undefined;
        if (kind.kind === "request") return EXPRESS_REQUEST.classify(fn, 0, path);
        return kind.kind;
      },
      describe(_fn, index) {
        return kinds[index]?.text;
      },
    };
  }

  private parameterKind(
    param: TSESTree.Parameter,
    scope: Node,
  ): { kind: "client" | "principal" | "request"; text: string | undefined } | undefined {
    const decorators = "decorators" in param ? param.decorators : [];
    const name = paramName(param);
    for (const decorator of decorators ?? []) {
      const callee = calleeOf(decorator);
      const decoratorName = terminalName(callee);
      if (decoratorName === undefined) continue;
      const origin = this.nestOrigin(callee, scope);
      const fromNest = origin?.module === "@nestjs/common";
      const arg = staticString(argumentsOf(decorator)[0]);
      const written = `@${decoratorName}(${arg !== undefined ? JSON.stringify(arg) : ""})${name !== undefined ? ` ${name}` : ""}`;
      if (CLIENT_DECORATORS.has(decoratorName) && (fromNest || !origin)) return { kind: "client", text: written };
      if ((decoratorName === "Req" || decoratorName === "Request") && (fromNest || !origin))
        return { kind: "request", text: name };
      if (decoratorName === "Session" && (fromNest || !origin)) return { kind: "principal", text: written };
      if (PRINCIPAL_DECORATOR.test(decoratorName) || isPrincipalSegment(decoratorName))
        return { kind: "principal", text: written };
    }
    return undefined;
  }

  /** `@Controller({ path, version: "1" })`: the versions its handlers declare unless they say otherwise. */
  private controllerVersions(arg: Node | undefined, scope: Node): string[] | undefined {
    const options = arg ? unwrap(arg) : undefined;
    if (options?.type !== T.ObjectExpression) return undefined;
    const version = this.facts.objectProperty(options, "version");
    return version ? this.versionsOf(version.value, scope) : undefined;
  }

  /** `"1"`, `["1", "2"]`: the versions; `VERSION_NEUTRAL`: none (the path carries no version). */
  private versionsOf(arg: Node | undefined, scope: Node): string[] | undefined {
    if (!arg) return undefined;
    const n = unwrap(arg);
    if (this.isNest(n, scope, VERSION_NEUTRAL)) return [];
    const items = n.type === T.ArrayExpression ? elementsOf(n) : [n];
    const versions: string[] = [];
    for (const item of items) {
      const value = this.isNest(item, scope, VERSION_NEUTRAL) ? undefined : this.stringValue(item, scope, 0);
      if (value !== undefined) versions.push(value);
    }
    return versions.length > 0 || items.some((item) => this.isNest(item, scope, VERSION_NEUTRAL))
      ? versions
      : undefined;
  }

  private exports: ReturnType<typeof exportTable> | undefined;

  /** The name other files import a class of this file by, if it is exported. */
  private exportName(name: string): string | undefined {
    const binding = this.facts.resolve(name, this.facts.ast);
    if (!binding) return undefined;
    this.exports ??= exportTable(this.facts);
    return this.exports.byBinding.get(binding);
  }

  /** The HTTP method of a route decorator (`@Post()`), undefined for any other decorator. */
  private routeMethod(decorator: TSESTree.Decorator, scope: Node): HttpMethod | undefined {
    const origin = this.nestOrigin(calleeOf(decorator), scope);
    return origin ? ROUTE_DECORATORS.find((s) => matches(origin, s))?.method : undefined;
  }

  /**
   * The paths of `@Controller(...)` or a route decorator: a string, an array of them, or
   * (for a controller) `{ path }`. No argument, or options without `path`, is the root.
   */
  private paths(arg: Node | undefined, scope: Node, controller: boolean): string[] {
    if (!arg) return [""];
    let n = unwrap(arg);
    if (controller && n.type === T.ObjectExpression) {
      const path = this.facts.objectProperty(n, "path");
      if (!path) return [""];
      n = unwrap(path.value);
    }
    const items = n.type === T.ArrayExpression ? n.elements : [n];
    const out: string[] = [];
    for (const item of items) {
      if (!item || item.type === T.SpreadElement) continue;
      out.push(this.stringValue(item, scope, 0) ?? shortSource(this.facts.text, item, 60));
      if (out.length >= MAX_PATHS) break;
    }
    return out.length > 0 ? out : [""];
  }

  /** A string the file tells: literals, constants, templates and `+` of those. */
  private stringValue(node: Node, scope: Node, depth: number): string | undefined {
    if (depth > MAX_FLATTEN_DEPTH) return undefined;
    const n = unwrap(node);
    const literal = staticString(n);
    if (literal !== undefined) return literal;
    switch (n.type) {
      case T.Identifier: {
        const b = this.facts.resolve(n.name, scope);
        return b?.kind === "var" && b.init ? this.stringValue(b.init, b.scope, depth + 1) : undefined;
      }
      case T.TemplateLiteral: {
        let out = n.quasis[0]?.value.cooked ?? "";
        for (let i = 0; i < n.expressions.length; i++) {
          const part = this.stringValue(n.expressions[i], scope, depth + 1);
          if (part === undefined) return undefined;
          out += part + (n.quasis[i + 1]?.value.cooked ?? "");
        }
        return out;
      }
      case T.BinaryExpression: {
        if (n.operator !== "+") return undefined;
        const left = this.stringValue(n.left, scope, depth + 1);
        const right = left === undefined ? undefined : this.stringValue(n.right, scope, depth + 1);
        return right === undefined ? undefined : left! + right;
      }
      default:
        return undefined;
    }
  }

  /** `@UseGuards` and markers on base classes of the controller: those declared here, and imported ones for the index. */
  private addBaseClasses(cls: ClassNode, into: Requirements): void {
    let current: ClassNode = cls;
    for (let depth = 0; depth < MAX_DEPTH && current.superClass; depth++) {
      const scope = this.facts.scopeOfClass(current);
      const base = unwrap(current.superClass);
      if (base.type !== T.Identifier) return;
      const binding = this.facts.resolve(base.name, scope);
      if (binding?.kind === "class" && isClass(binding.node)) {
        current = binding.node;
        const inherited = this.requirements(current.decorators, this.facts.scopeOfClass(current), "base-class");
        into.protections.push(...inherited.protections);
        into.anonymous.push(...inherited.anonymous);
        into.unresolved.push(...inherited.unresolved);
        continue;
      }
      if (binding?.kind === "import" && binding.source !== undefined && !isNestModule(binding.source))
        into.unresolved.push({
          kind: "base-class",
          name: base.name,
          module: binding.source,
          source: "base-class",
          loc: locOf(base),
        });
      return;
    }
  }

  /** The protections, public markers and unresolved names the decorators of a handler or class give. */
  private requirements(decorators: readonly TSESTree.Decorator[], scope: Node, source: ProtectionSource): Requirements {
    const result: Requirements = { protections: [], anonymous: [], unresolved: [] };
    for (const decorator of decorators) {
      const effects = this.effectsOf(decorator, scope);
      const loc = locOf(decorator);
      const shown = `@${shortSource(this.facts.text, decorator.expression, 60)}`;
      if (effects.public) result.anonymous.push({ name: shown, source, loc });
      for (const name of effects.named) result.protections.push({ name, source, loc });
      for (const { name, module } of effects.unresolved)
        result.unresolved.push({ kind: "decorator", name, module, source, loc });
      const direct =
        decorator.expression.type === T.CallExpression && this.isNest(calleeOf(decorator), scope, USE_GUARDS);
      for (const guard of effects.guards) {
        const verdict = this.guardVerdict(guard);
        // A guard of `@UseGuards(...)` is reported where it is written; one a custom decorator applies, at the decorator.
        const at = direct ? locOf(guard.node) : loc;
        if (verdict.kind === "auth")
          result.protections.push({
            name: direct ? verdict.name : `${verdict.name} (${shown})`,
            source,
            loc: at,
            ...(verdict.requirement ? { requirement: verdict.requirement } : {}),
          });
        else if (verdict.kind === "unresolved")
          result.unresolved.push({ kind: "guard", name: verdict.name, module: verdict.module, source, loc: at });
      }
    }
    return result;
  }

  // -------------------------------------------------------------------------------
  // Decorators
  // -------------------------------------------------------------------------------

  private effectsOf(decorator: TSESTree.Decorator, scope: Node): Effects {
    let effects = this.decoratorEffects.get(decorator);
    if (!effects) {
      effects = this.effects(decorator.expression, scope, 0);
      this.decoratorEffects.set(decorator, effects);
    }
    return effects;
  }

  /** What a decorator expression (`UseGuards(A)`, `Public()`, `Auth("admin")`) does. */
  private effects(expr: Node, scope: Node, depth: number): Effects {
    if (depth > MAX_DEPTH) return NO_EFFECTS;
    const node = unwrap(expr);
    const callee = node.type === T.CallExpression ? unwrap(node.callee) : node;
    const args = node.type === T.CallExpression ? node.arguments : [];
    const name = memberPath(callee);
    if (name === undefined) return NO_EFFECTS;
    const simple = name.split(".").at(-1)!;
    const configured: Effects = {
      ...NO_EFFECTS,
      public: this.settings.publicMarkers(name) || this.settings.publicMarkers(simple),
      named: this.settings.auth(name) || this.settings.auth(simple) ? [`@${name}`] : [],
    };

    const origin = this.nestOrigin(callee, scope);
    if (origin && isNestModule(origin.module)) {
      if (matches(origin, USE_GUARDS)) return merge(configured, { ...NO_EFFECTS, guards: this.flatten(args, scope) });
      if (matches(origin, SET_METADATA))
        return merge(configured, { ...NO_EFFECTS, public: this.isPublicMetadata(args, scope) });
      if (matches(origin, APPLY_DECORATORS))
        return args.reduce<Effects>(
          (all, arg) => (arg.type === T.SpreadElement ? all : merge(all, this.effects(arg, scope, depth + 1))),
          configured,
        );
      return configured;
    }
    if (origin) {
      // Imported from another file (or a package this file cannot read): by name, and kept for the index.
      const marker = PUBLIC_MARKERS.has(simple);
      const decided = marker || configured.public || configured.named.length > 0;
      return merge(configured, {
        ...NO_EFFECTS,
        public: marker,
        unresolved: decided ? [] : [{ name, module: origin.module }],
        named: !decided && decoratorNameVerdict(simple) === "auth" ? [`@${name}`] : [],
      });
    }
    // Declared in this file: what it returns decides.
    const local = callee.type === T.Identifier ? this.localFunction(callee.name, scope) : undefined;
    const own = local ? this.localDecorator(local, depth) : NO_EFFECTS;
    return merge(configured, { ...own, public: own.public || PUBLIC_MARKERS.has(simple) });
  }

  /**
   * What other files need of this one: what its exported guards and decorators do, the
   * controllers its modules register and the paths `RouterModule` gives modules, how it
   * lays out the app's paths (`setGlobalPrefix`, URI versioning), and the configuration
   * values it registers.
   */
  summary(): FileSummary {
    const appRoutes = this.appRoutes();
    const configValues = this.configValues();
    return {
      attachments: this.moduleAttachments(),
      markers: this.exportedMarkers(),
      ...(appRoutes.length > 0 ? { appRoutes } : {}),
      ...(configValues.length > 0 ? { configValues } : {}),
    };
  }

  // -------------------------------------------------------------------------------
  // Modules and RouterModule
  // -------------------------------------------------------------------------------

  /**
   * The controllers of other files that this file's modules register (`@Module({ controllers })`),
   * under the path `RouterModule` gives the module here or, through the module's export,
   * in another file; and the modules of other files that `RouterModule.register` puts under a path.
   */
  private moduleAttachments(): Attachment[] {
    const attachments: Attachment[] = [];
    const routed = new Map<Node, string[]>();
    const mount = (module: Node, moduleScope: Node, prefix: string[]): void => {
      const local = module.type === T.Identifier ? this.facts.resolve(module.name, moduleScope) : undefined;
      if (local?.kind === "class") {
        routed.set(local.node, prefix);
        return;
      }
      const target = projectExport(this.facts, module, moduleScope);
      if (target) attachments.push({ ...target, prefix, protections: [], registration: true, loc: locOf(module) });
    };
    const registered = new Set<Node>();
    for (const { node, scope } of this.facts.collected.get(T.CallExpression) ?? []) {
      const call = node as TSESTree.CallExpression;
      const callee = unwrap(call.callee);
      if (callee.type !== T.MemberExpression || !["register", "forRoutes"].includes(propertyName(callee) ?? ""))
        continue;
      const origin = this.nestOrigin(callee.object, scope);
      if (!ROUTER_MODULES.some((spec) => matches(origin, spec)) || !call.arguments[0]) continue;
      this.routeTree(call.arguments[0], scope, [], 0, mount, registered);
    }
    // `export const adminRoutes: Routes = [...]`: registered by RouterModule in another file.
    this.exports ??= exportTable(this.facts);
    for (const binding of this.exports.byBinding.keys()) {
      if (binding.kind !== "var" || !binding.init || binding.node.type !== T.VariableDeclarator) continue;
      const type = typeAnnotationName(binding.node.id);
      if (type?.path.split(".").at(-1) !== "Routes") continue;
      const imported = this.facts.resolve(type.path.split(".")[0], binding.scope);
      if (imported?.kind !== "import" || !ROUTER_MODULES.some((spec) => spec.package === imported.source)) continue;
      this.routeTree(binding.init, binding.scope, [], 0, mount, registered);
    }
    for (const { node, parent } of this.facts.collected.get(T.Decorator) ?? []) {
      if (!isClass(parent) || !parent.id) continue;
      const scope = this.facts.scopeOfClass(parent);
      if (!this.isNest(calleeOf(node as TSESTree.Decorator), scope, MODULE)) continue;
      const options = argumentsOf(node as TSESTree.Decorator)[0];
      const metadata = options && objectValue(this.facts, options, scope);
      const controllers = metadata && this.facts.objectProperty(metadata.object, "controllers");
      if (!controllers) continue;
      const binding = this.facts.resolve(parent.id.name, scope);
      const prefix = binding ? routed.get(binding.node) : undefined;
      const exported = prefix ? undefined : this.exportName(parent.id.name);
      if (!prefix && exported === undefined) continue;
      for (const item of this.flatten([controllers.value], metadata.scope)) {
        const target = projectExport(this.facts, item.node, item.scope);
        if (!target) continue;
        attachments.push({
          ...target,
          prefix: prefix ?? [],
          protections: [],
          ...(exported !== undefined ? { via: { export: exported } } : {}),
          registration: true,
          loc: locOf(item.node),
        });
      }
    }
    return attachments;
  }

  /**
   * `[{ path: "admin", module: AdminModule, children: [{ path: "users", module: UsersModule }, ReportsModule] }]`,
   * or a same-file constant holding it; a list spread from another file (`...adminRoutes`)
   * is that file's to tell. Each array is read once (`seen`).
   */
  private routeTree(
    node: Node,
    scope: Node,
    prefix: string[],
    depth: number,
    visit: (module: Node, scope: Node, prefix: string[]) => void,
    seen: Set<Node>,
  ): void {
    let n = unwrap(node);
    let s = scope;
    for (let d = 0; n.type === T.Identifier && d < MAX_DEPTH; d++) {
      const binding = this.facts.resolve(n.name, s);
      if (binding?.kind !== "var" || !binding.init) return;
      n = unwrap(binding.init);
      s = binding.scope;
    }
    if (depth > MAX_DEPTH || n.type !== T.ArrayExpression || seen.has(n)) return;
    seen.add(n);
    for (const element of n.elements) {
      if (!element) continue;
      if (element.type === T.SpreadElement) {
        this.routeTree(element.argument, s, prefix, depth + 1, visit, seen);
        continue;
      }
      const entry = objectValue(this.facts, element, s);
      if (!entry) {
        // A module in `children` without a path of its own takes its parent's.
        visit(unwrap(element), s, prefix);
        continue;
      }
      const pathNode = propertyValue(this.facts, entry.object, "path");
      const path = pathNode
        ? (this.stringValue(pathNode, entry.scope, 0) ?? shortSource(this.facts.text, pathNode, 60))
        : "";
      const here = [...prefix, ...routePath(path).segments];
      const module = propertyValue(this.facts, entry.object, "module");
      if (module) visit(unwrap(module), entry.scope, here);
      const children = propertyValue(this.facts, entry.object, "children");
      if (children) this.routeTree(children, entry.scope, here, depth + 1, visit, seen);
    }
  }

  // -------------------------------------------------------------------------------
  // The app's route layout and configuration
  // -------------------------------------------------------------------------------

  /** `app.setGlobalPrefix("api", { exclude })` and `app.enableVersioning({ type: VersioningType.URI })` in this file. */
  private appRoutes(): AppWideRoutes[] {
    let layout: AppWideRoutes | undefined;
    for (const { node, scope } of this.facts.collected.get(T.CallExpression) ?? []) {
      const call = node as TSESTree.CallExpression;
      const callee = unwrap(call.callee);
      if (callee.type !== T.MemberExpression) continue;
      const method = propertyName(callee);
      if (method !== "setGlobalPrefix" && method !== "enableVersioning") continue;
      layout ??= { frameworks: ["nestjs"], loc: locOf(call) };
      const [first, second] = call.arguments;
      if (method === "setGlobalPrefix") {
        const prefix = first && this.prefixValue(first, scope, 0);
        if (prefix) layout.prefix = prefix;
        const options = second && objectValue(this.facts, second, scope);
        const exclude = options && propertyValue(this.facts, options.object, "exclude");
        if (exclude) layout.exclude = this.exclusions(exclude, options.scope);
        continue;
      }
      const options = first && objectValue(this.facts, first, scope);
      // `enableVersioning()` without options is URI versioning.
      const type = options && propertyValue(this.facts, options.object, "type");
      const typeName =
        type && unwrap(type).type === T.MemberExpression
          ? propertyName(unwrap(type) as TSESTree.MemberExpression)
          : undefined;
      if (type && typeName !== "URI") continue;
      const prefixOption = options && propertyValue(this.facts, options.object, "prefix");
      const versionPrefix =
        prefixOption === undefined
          ? "v"
          : unwrap(prefixOption).type === T.Literal && (unwrap(prefixOption) as TSESTree.Literal).value === false
            ? ""
            : (this.stringValue(prefixOption, options!.scope, 0) ?? "v");
      const defaultNode = options && propertyValue(this.facts, options.object, "defaultVersion");
      const defaultVersion = defaultNode ? this.versionsOf(defaultNode, options.scope)?.[0] : undefined;
      layout.versioning = { prefix: versionPrefix, ...(defaultVersion !== undefined ? { defaultVersion } : {}) };
    }
    return layout && (layout.prefix || layout.versioning) ? [layout] : [];
  }

  /**
   * A global prefix: a string the file tells, the default of `process.env.API_PREFIX || "api"`,
   * or the key of `configService.get("app.apiPrefix")` for the file that registers it.
   */
  private prefixValue(node: Node, scope: Node, depth: number): AppWideRoutes["prefix"] {
    if (depth > MAX_DEPTH) return undefined;
    const n = unwrapAwait(node);
    const text = this.stringValue(n, scope, 0) ?? this.defaultString(n, scope, 0);
    if (text !== undefined) return { segments: routePath(text).segments };
    if (n.type === T.Identifier) {
      const b = this.facts.resolve(n.name, scope);
      return b?.kind === "var" && b.init ? this.prefixValue(b.init, b.scope, depth + 1) : undefined;
    }
    if (n.type === T.CallExpression && n.callee.type === T.MemberExpression) {
      const method = propertyName(n.callee);
      const key = n.arguments[0] && this.stringValue(n.arguments[0], scope, 0);
      if ((method === "get" || method === "getOrThrow") && key !== undefined) return { config: key };
    }
    return undefined;
  }

  /** `process.env.API_PREFIX || "api"`, `config.get("x") ?? "api"`: the string used when the setting is absent. */
  private defaultString(node: Node, scope: Node, depth: number): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const n = unwrap(node);
    if (n.type !== T.LogicalExpression || n.operator === "&&") return undefined;
    return this.stringValue(n.right, scope, 0) ?? this.defaultString(n.right, scope, depth + 1);
  }

  /** `exclude: ["health", { path: "metrics", method: RequestMethod.GET }]`. */
  private exclusions(node: Node, scope: Node): NonNullable<AppWideRoutes["exclude"]> {
    const out: NonNullable<AppWideRoutes["exclude"]> = [];
    for (const item of this.flatten([node], scope)) {
      const path = this.stringValue(item.node, item.scope, 0);
      if (path !== undefined) {
        out.push({ path });
        continue;
      }
      const entry = objectValue(this.facts, item.node, item.scope);
      const pathNode = entry && propertyValue(this.facts, entry.object, "path");
      const entryPath = pathNode && this.stringValue(pathNode, entry.scope, 0);
      if (entryPath === undefined) continue;
      const methodNode = propertyValue(this.facts, entry!.object, "method");
      const method = methodNode && this.requestMethod(methodNode, entry!.scope);
      out.push({ path: entryPath, ...(method ? { methods: [method] } : {}) });
    }
    return out;
  }

  /** `RequestMethod.GET` → `GET`; `RequestMethod.ALL` (or anything unread) → every method. */
  private requestMethod(node: Node, scope: Node): HttpMethod | undefined {
    const n = unwrap(node);
    if (n.type !== T.MemberExpression || !this.isNest(n.object, scope, REQUEST_METHOD)) return undefined;
    const name = propertyName(n);
    return ROUTE_DECORATORS.find((d) => d.method === name && name !== "ANY")?.method;
  }

  /** `registerAs("app", () => ({ apiPrefix: process.env.API_PREFIX || "api" }))`: `app.apiPrefix` = `api`. */
  private configValues(): ConfigValue[] {
    const values: ConfigValue[] = [];
    for (const { node, scope } of this.facts.collected.get(T.CallExpression) ?? []) {
      const call = node as TSESTree.CallExpression;
      if (!this.isNest(call.callee, scope, REGISTER_AS)) continue;
      const [name, factory] = call.arguments;
      const namespace = name && this.stringValue(name, scope, 0);
      const fn = factory && unwrap(factory);
      if (namespace === undefined || !fn || !isFunction(fn)) continue;
      for (const returned of returnedExpressions(fn)) {
        const object = objectValue(this.facts, returned, fn);
        if (object) this.addConfigValues(object.object, object.scope, namespace, values, 0);
      }
    }
    return values;
  }

  private addConfigValues(
    object: TSESTree.ObjectExpression,
    scope: Node,
    prefix: string,
    into: ConfigValue[],
    depth: number,
  ): void {
    for (const property of object.properties) {
      if (property.type !== T.Property || property.computed || into.length >= MAX_CONFIG_VALUES) continue;
      const key = property.key.type === T.Identifier ? property.key.name : staticString(property.key);
      if (key === undefined) continue;
      const value = unwrap(property.value);
      if (value.type === T.ObjectExpression && depth < MAX_DEPTH) {
        this.addConfigValues(value, scope, `${prefix}.${key}`, into, depth + 1);
        continue;
      }
      const text = this.stringValue(value, scope, 0) ?? this.defaultString(value, scope, 0);
      if (text !== undefined) into.push({ key: `${prefix}.${key}`, value: text });
    }
  }

  /**
   * What this file's exports do where other files use them: decorator factories that
   * apply auth guards or mark handlers public, and guard classes that turn callers away.
   */
  exportedMarkers(): MarkerEffect[] {
    const markers: MarkerEffect[] = [];
    const table = exportTable(this.facts);
    for (const [fn, name] of table.byFunction) {
      if (!isFunction(fn)) continue;
      const effects = this.localDecorator(fn, 0);
      const guard = effects.guards.map((item) => this.guardVerdict(item)).find((verdict) => verdict.kind === "auth");
      if (guard?.kind === "auth")
        markers.push({
          export: name,
          effect: "protection",
          loc: locOf(fn),
          ...(guard.requirement ? { requirement: guard.requirement } : {}),
        });
      else if (effects.public) markers.push({ export: name, effect: "anonymous", loc: locOf(fn) });
      else {
        // A guard imported from another file decides what the decorator does.
        const pending = effects.guards
          .map((item) => this.guardVerdict(item))
          .find((verdict) => verdict.kind === "unresolved");
        if (pending?.kind === "unresolved")
          markers.push({
            export: name,
            effect: "none",
            via: { module: pending.module, export: pending.name },
            loc: locOf(fn),
          });
      }
    }
    for (const [binding, name] of table.byBinding) {
      if (binding.kind !== "class" || !isClass(binding.node)) continue;
      const verdict = this.classVerdict(binding.node, 0);
      if (verdict.kind === "auth")
        markers.push({
          export: name,
          effect: "protection",
          loc: locOf(binding.node),
          ...(verdict.requirement ? { requirement: verdict.requirement } : {}),
        });
    }
    return markers;
  }

  private readonly localDecorators = new Map<FunctionNode, Effects>();

  /** What a decorator factory of this file returns, worked out once however often it is used. */
  private localDecorator(fn: FunctionNode, depth: number): Effects {
    let effects = this.localDecorators.get(fn);
    if (!effects) {
      this.localDecorators.set(fn, NO_EFFECTS); // a factory that applies itself adds nothing
      effects = returnedExpressions(fn).reduce<Effects>(
        (all, value) => merge(all, this.effects(value, fn, depth + 1)),
        NO_EFFECTS,
      );
      this.localDecorators.set(fn, effects);
    }
    return effects;
  }

  /** `SetMetadata(IS_PUBLIC_KEY, true)`, `SetMetadata("isPublic", true)`. */
  private isPublicMetadata(args: readonly TSESTree.CallExpressionArgument[], scope: Node): boolean {
    const [key, value] = args;
    if (!key || key.type === T.SpreadElement || !value) return false;
    const v = unwrap(value);
    if (v.type !== T.Literal || v.value !== true) return false;
    const k = unwrap(key);
    const names = [
      k.type === T.Identifier ? k.name : (memberPath(k)?.split(".").at(-1) ?? undefined),
      this.stringValue(k, scope, 0),
    ];
    return names.some((n) => n !== undefined && PUBLIC_KEY.test(n.toLowerCase().replace(/[^a-z]/g, "")));
  }

  /** `UseGuards(A, B)`, `UseGuards(...guards)`, `UseGuards(...AUTH_GUARDS)` with a same-file array. */
  private flatten(args: readonly Node[], scope: Node, depth = 0): Item[] {
    const items: Item[] = [];
    for (const arg of args) {
      const node = unwrap(arg.type === T.SpreadElement ? arg.argument : arg);
      if (node.type === T.ArrayExpression && depth < MAX_FLATTEN_DEPTH) {
        items.push(...this.flatten(elementsOf(node), scope, depth + 1));
        continue;
      }
      if (node.type === T.Identifier && depth < MAX_FLATTEN_DEPTH) {
        const b = this.facts.resolve(node.name, scope);
        const init = b?.kind === "var" && b.init ? unwrap(b.init) : undefined;
        if (init?.type === T.ArrayExpression) {
          items.push(...this.flatten(elementsOf(init), b!.scope, depth + 1));
          continue;
        }
      }
      items.push({ node, scope });
    }
    return items;
  }

  // -------------------------------------------------------------------------------
  // Guards
  // -------------------------------------------------------------------------------

  /** What a guard (`JwtAuthGuard`, `new JwtAuthGuard()`, `AuthGuard("jwt")`) is. */
  private guardVerdict(item: Item, depth = 0): GuardVerdict {
    let node = unwrap(item.node);
    if (node.type === T.NewExpression) node = unwrap(node.callee);
    const text = shortSource(this.facts.text, node, 60);
    if (depth > MAX_DEPTH) return { kind: "other", name: text };
    if (node.type === T.CallExpression) {
      const callee = unwrap(node.callee);
      if (this.isNest(callee, item.scope, PASSPORT_AUTH_GUARD))
        return isAnonymousStrategy(node) ? { kind: "other", name: text } : { kind: "auth", name: text };
      // A mixin factory: `RoleGuard(Role.Admin)`.
      const name = memberPath(callee);
      if (name === undefined) return { kind: "other", name: text };
      const local = callee.type === T.Identifier ? this.localFunction(callee.name, item.scope) : undefined;
      if (local && this.readsIdentity(local.body) && this.facts.hasDenySignalWithin(local.body))
        return authVerdict(text, name);
      return this.byName(name, text, callee, item.scope);
    }
    const name = memberPath(node);
    if (name === undefined) return { kind: "other", name: text };
    if (node.type === T.Identifier) {
      const binding = this.facts.resolve(node.name, item.scope);
      if (binding?.kind === "class" && isClass(binding.node)) return this.classVerdict(binding.node, depth + 1);
      if (binding?.kind === "var" && binding.init) {
        // `const JwtGuard = AuthGuard("jwt")`: what the value is decides; a value this file cannot tell leaves it to the name.
        const init = unwrap(binding.init);
        if (isClass(init)) return this.classVerdict(init, depth + 1);
        const inner = this.guardVerdict({ node: init, scope: binding.scope }, depth + 1);
        if (inner.kind !== "other") return { ...inner, name };
      }
    }
    return this.byName(name, text, node, item.scope);
  }

  /** A guard whose definition this file does not hold: its package, the configured names, then its name. */
  private byName(name: string, text: string, node: Node, scope: Node): GuardVerdict {
    const simple = name.split(".").at(-1)!;
    if (this.settings.auth(name) || this.settings.auth(simple)) return authVerdict(text, simple);
    const origin = this.nestOrigin(node, scope);
    if (origin && isNestModule(origin.module))
      return matches(origin, PASSPORT_AUTH_GUARD) ? { kind: "auth", name: text } : { kind: "other", name: text };
    const verdict = this.guardNameVerdict(simple);
    if (verdict === "auth") return authVerdict(text, simple);
    if (verdict === "unknown" && origin) return { kind: "unresolved", name: text, module: origin.module };
    return { kind: "other", name: text };
  }

  /**
   * A guard class of this file. It guards when it extends `AuthGuard(...)` from
   * @nestjs/passport or a guard class that guards, or when its `canActivate` turns callers
   * away. A `canActivate` that lets everyone through decides against its name; one whose
   * outcome the file does not show leaves the decision to the name.
   */
  private classVerdict(cls: ClassNode, depth: number): GuardVerdict {
    const known = this.classVerdicts.get(cls);
    if (known !== undefined) return known ?? { kind: "other", name: cls.id?.name ?? "anonymous guard" };
    this.classVerdicts.set(cls, null); // a cycle of bases decides nothing
    const verdict = this.decideClass(cls, depth);
    this.classVerdicts.set(cls, verdict);
    return verdict;
  }

  private decideClass(cls: ClassNode, depth: number): GuardVerdict {
    const name = cls.id?.name ?? "anonymous guard";
    const scope = this.facts.scopeOfClass(cls);
    if (this.settings.auth(name)) return authVerdict(name, name);
    const canActivate = this.canActivateOf(cls);
    const outcome = canActivate ? this.canActivateOutcome(canActivate) : "unclear";
    if (outcome === "denies") return authVerdict(name, name);
    if (cls.superClass) {
      const base = this.guardVerdict({ node: cls.superClass, scope }, depth + 1);
      if (base.kind === "auth")
        return { kind: "auth", name, ...(base.requirement ? { requirement: base.requirement } : {}) };
      // `extends ThrottlerGuard`: the framework's base says what it is, whatever the subclass is called.
      if (base.kind === "other" && this.isNestBase(cls.superClass, scope)) return { kind: "other", name };
    }
    if (outcome === "allows") return { kind: "other", name };
    return this.guardNameVerdict(name) === "auth" ? authVerdict(name, name) : { kind: "other", name };
  }

  /** Is the base class a framework class (`ThrottlerGuard`) rather than one of the project's? */
  private isNestBase(superClass: Node, scope: Node): boolean {
    const origin = this.nestOrigin(superClass, scope);
    return origin !== undefined && isNestModule(origin.module);
  }

  private canActivateOf(cls: ClassNode): FunctionNode | undefined {
    for (const member of this.facts.classMembers(cls, "canActivate")) {
      const value = member.type === T.AssignmentExpression ? member.right : member.value;
      if (value && isFunction(unwrap(value))) return unwrap(value) as FunctionNode;
    }
    return undefined;
  }

  /**
   * `denies` when `canActivate` looks at who the caller is (the request's user, token,
   * session, roles, an API key, or a 401) and turns callers away: throws 401/403, returns
   * `false`, or returns a check of that identity (`roles.includes(user.role)`). `allows` when
   * every return is `true` (a 403 for maintenance, a logger). `unclear` otherwise
   * (`return validateRequest(request)`): the name decides.
   */
  private canActivateOutcome(fn: FunctionNode): "denies" | "allows" | "unclear" {
    const values: Node[] =
      fn.body.type === T.BlockStatement
        ? this.returnsWithin(fn).flatMap((r) => (r.argument ? [r.argument] : []))
        : [fn.body];
    if (this.readsIdentity(fn.body)) {
      if (this.facts.hasDenySignalWithin(fn.body)) return "denies";
      for (const value of values) {
        const v = unwrapAwait(value);
        if ((v.type === T.Literal && v.value === false) || this.readsIdentity(v)) return "denies";
      }
    }
    if (values.length === 0) return "unclear";
    return values.every((value) => {
      const v = unwrapAwait(value);
      return v.type === T.Literal && v.value === true;
    })
      ? "allows"
      : "unclear";
  }

  /** Does the code name the caller's identity (`user`, `token`, `roles`, `session`, `UnauthorizedException`)? */
  private readsIdentity(node: Node): boolean {
    const [start, end] = node.range;
    const text = this.facts.text.slice(start, Math.min(end, start + MAX_SCAN));
    for (const identifier of text.match(/[A-Za-z_$][\w$]*/g) ?? [])
      if (nameWords(identifier).some((w) => IDENTITY_WORDS.has(w))) return true;
    return false;
  }

  /** The `return` statements of the function itself (not of callbacks inside it). */
  private returnsWithin(fn: FunctionNode): TSESTree.ReturnStatement[] {
    return this.facts
      .collectedWithin(T.ReturnStatement, fn)
      .filter((c) => c.scope === fn)
      .map((c) => c.node as TSESTree.ReturnStatement);
  }

  /**
   * The rule for a guard's name. NestJS calls every `CanActivate` a guard, so the word
   * `Guard` proves nothing: the rest of the name must say what it checks (`JwtAuthGuard`,
   * `RolesGuard`, `ApiKeyGuard`, `SessionGuard`), or pass the auth-name rule on its own
   * (`RequireLogin`). Rate limiters are not auth (`ThrottlerBehindProxyGuard`).
   */
  private guardNameVerdict(name: string): NameVerdict {
    if (this.settings.auth(name)) return "auth";
    if (authNameVerdict(name) === "not-auth") return "not-auth";
    const words = nameWords(name);
    if (words.some((w) => NOT_AUTH_WORDS.has(w))) return "not-auth";
    const subject = words.at(-1) === "guard" || words.at(-1) === "guards" ? words.slice(0, -1) : words;
    if (subject.some((w) => GUARD_SUBJECTS.has(w))) return "auth";
    return subject.length > 0 && subject.length === words.length && authNameVerdict(name) === "auth"
      ? "auth"
      : "unknown";
  }

  // -------------------------------------------------------------------------------
  // Global guards
  // -------------------------------------------------------------------------------

  /** `app.useGlobalGuards(new JwtAuthGuard())` and `{ provide: APP_GUARD, useClass: JwtAuthGuard }` in this file. */
  private globalGuards(): GlobalGuard[] {
    const guards: GlobalGuard[] = [];
    for (const site of this.facts.memberCalls) {
      if (propertyName(site.call.callee as TSESTree.MemberExpression) !== "useGlobalGuards") continue;
      for (const item of this.flatten(site.call.arguments, site.scope))
        guards.push(this.globalGuard(item, "useGlobalGuards"));
    }
    for (const { node, parent, scope } of this.facts.collected.get(T.Property) ?? []) {
      const property = node as TSESTree.Property;
      if (property.computed || property.key.type !== T.Identifier || property.key.name !== "provide") continue;
      if (parent?.type !== T.ObjectExpression || !this.isNest(property.value, scope, APP_GUARD)) continue;
      const guard = this.providedGuard(parent, scope);
      if (guard) guards.push(this.globalGuard(guard, "APP_GUARD"));
    }
    return guards.sort((a, b) => a.loc.start.line - b.loc.start.line || a.loc.start.column - b.loc.start.column);
  }

  /** The guard of a provider: `useClass: X`, `useExisting: X`, `useValue: new X()`, `useFactory: (…) => new X(…)`. */
  private providedGuard(provider: TSESTree.ObjectExpression, scope: Node): Item | undefined {
    for (const key of ["useClass", "useExisting", "useValue"]) {
      const property = this.facts.objectProperty(provider, key);
      if (property) return { node: property.value, scope };
    }
    const factory = this.facts.objectProperty(provider, "useFactory");
    const fn = factory ? unwrap(factory.value) : undefined;
    if (!fn || !isFunction(fn)) return undefined;
    const created = returnedExpressions(fn).find((e) => unwrapAwait(e).type === T.NewExpression);
    return created ? { node: unwrapAwait(created), scope: fn } : undefined;
  }

  private globalGuard(item: Item, registration: string): GlobalGuard {
    const verdict = this.guardVerdict(item);
    return {
      framework: "nestjs",
      name: verdict.name,
      registration,
      loc: locOf(item.node),
      verdict: verdict.kind,
      ...(verdict.kind === "auth" && verdict.requirement ? { requirement: verdict.requirement } : {}),
      ...(verdict.kind === "unresolved" ? { module: verdict.module } : {}),
    };
  }

  // -------------------------------------------------------------------------------
  // Handlers' services
  // -------------------------------------------------------------------------------

  /**
   * Methods of services declared in this file that the handler calls through an injected
   * field (`this.ordersService.create(dto)` with `constructor(private ordersService: OrdersService)`),
   * so their data-layer calls count as the handler's.
   */
  private serviceMethods(handler: FunctionNode, cls: ClassNode): FunctionNode[] {
    const methods: FunctionNode[] = [];
    for (const { node } of this.facts.collectedWithin(T.CallExpression, handler)) {
      const callee = unwrap((node as TSESTree.CallExpression).callee);
      if (callee.type !== T.MemberExpression) continue;
      const field = unwrap(callee.object);
      const method = propertyName(callee);
      if (method === undefined || field.type !== T.MemberExpression || unwrap(field.object).type !== T.ThisExpression)
        continue;
      const fieldName = propertyName(field);
      const service = fieldName === undefined ? undefined : this.handlers.injectedClass(cls, fieldName);
      if (!service) continue;
      for (const member of this.facts.classMembers(service, method)) {
        const value = member.type === T.AssignmentExpression ? member.right : member.value;
        if (value && isFunction(unwrap(value)) && !methods.includes(unwrap(value) as FunctionNode))
          methods.push(unwrap(value) as FunctionNode);
      }
    }
    return methods;
  }

  // -------------------------------------------------------------------------------
  // Helpers
  // -------------------------------------------------------------------------------

  /** Where a value comes from, with deep imports (`@nestjs/common/decorators/...`) read as their package. */
  private nestOrigin(node: Node, scope: Node): Origin | undefined {
    const origin = originOf(this.facts, node, scope);
    if (!origin?.module.startsWith("@nestjs/")) return origin;
    const pkg = origin.module.split("/").slice(0, 2).join("/");
    return pkg === origin.module ? origin : { module: pkg, path: origin.path };
  }

  private isNest(node: Node, scope: Node, spec: ImportSpecifier): boolean {
    return matches(this.nestOrigin(node, scope), spec);
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
}

/** `@nestjs/common` decorators that bind the client's input to a parameter. */
const CLIENT_DECORATORS = new Set(["Param", "Query", "Body", "Headers", "HostParam", "UploadedFile", "UploadedFiles"]);
/** Custom parameter decorators named for the caller: `@CurrentUser()`, `@AuthUser()`, `@GetUser()`, `@ReqUser()`, `@Tenant()`. */
const PRINCIPAL_DECORATOR =
  /^(?:Current|Auth|Authenticated|Get|Req|Request|Logged(?:In)?|Session|Jwt)?(?:User|Principal|Account|Tenant|Member|Actor|Claims|Identity|Viewer|Me|Org|Organization|Workspace)(?:Id|Info|Payload|Entity)?$/;

function isNestModule(module: string): boolean {
  return module.startsWith("@nestjs/");
}

function calleeOf(decorator: TSESTree.Decorator): Node {
  const expression = unwrap(decorator.expression);
  return expression.type === T.CallExpression ? unwrap(expression.callee) : expression;
}

function argumentsOf(decorator: TSESTree.Decorator): Node[] {
  const expression = unwrap(decorator.expression);
  return expression.type === T.CallExpression ? expression.arguments : [];
}

function elementsOf(array: TSESTree.ArrayExpression): Node[] {
  return array.elements.filter((e): e is NonNullable<typeof e> => e != null);
}

/** Both effects; a guard or name that both apply counts once (`applyDecorators(Auth(), Auth())`). */
function merge(a: Effects, b: Effects): Effects {
  return {
    guards: [...a.guards, ...b.guards.filter((g) => !a.guards.some((x) => x.node === g.node))],
    public: a.public || b.public,
    unresolved: [
      ...a.unresolved,
      ...b.unresolved.filter((u) => !a.unresolved.some((x) => x.name === u.name && x.module === u.module)),
    ],
    named: [...a.named, ...b.named.filter((n) => !a.named.includes(n))],
  };
}

/** The expressions a function returns: its expression body, or the arguments of its top-level `return`s. */
function returnedExpressions(fn: FunctionNode): Node[] {
  if (fn.body.type !== T.BlockStatement) return [fn.body];
  return fn.body.body.flatMap((s) => (s.type === T.ReturnStatement && s.argument ? [s.argument] : []));
}

/** `AuthGuard("anonymous")` or `AuthGuard(["jwt", "anonymous"])` lets everyone through. */
function isAnonymousStrategy(call: TSESTree.CallExpression): boolean {
  const first = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  if (!first) return false;
  if (staticString(first) === "anonymous") return true;
  return first.type === T.ArrayExpression && first.elements.some((e) => e != null && staticString(e) === "anonymous");
}

/** An auth verdict with the requirement its name implies: roles, or permissions and policies. */
function authVerdict(shown: string, name: string): GuardVerdict {
  const requirement = requirementOf(name);
  return { kind: "auth", name: shown, ...(requirement ? { requirement } : {}) };
}

function requirementOf(name: string): Requirement | undefined {
  const words = nameWords(name);
  if (words.some((w) => POLICY_WORDS.has(w))) return "policy";
  if (words.some((w) => ROLE_WORDS.has(w))) return "role";
  return undefined;
}

/** An imported decorator counts as protection by its name alone when the auth-name rule says so (`@Auth()`, `@Authenticated()`). */
function decoratorNameVerdict(name: string): NameVerdict {
  const words = nameWords(name);
  if (words.some((w) => NOT_AUTH_WORDS.has(w))) return "not-auth";
  return authNameVerdict(name);
}

/** Controller prefixes joined with handler paths: `orders` + `:id` → `/orders/:id`. */
function joinAll(prefixes: readonly string[], paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const prefix of prefixes)
    for (const path of paths) {
      if (out.length >= MAX_PATHS) return out;
      const joined = `/${[...routePath(prefix).segments, ...routePath(path).segments].join("/")}`;
      if (!out.includes(joined)) out.push(joined);
    }
  return out;
}
