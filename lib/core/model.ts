/**
 * The language-neutral model of one source file. Adapters (TS/JS in lib/adapters,
 * C# in csharp-bridge/adapter) build it; rules read it. Nothing here refers to the
 * syntax of either language.
 */

import type { CorsPolicy } from "./facts/cors.js";
import type { JwtFact } from "./facts/jwt.js";
import type { EqualityCheck } from "./facts/passwords.js";
import type { StringLiteral } from "./facts/secrets.js";

export type { CorsPolicy, EqualityCheck, JwtFact, StringLiteral };

/** ESLint-style position: line is 1-based, column 0-based. */
export interface Position {
  line: number;
  column: number;
}

export interface Loc {
  start: Position;
  end: Position;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" | "ANY";

/** Methods that change state by their HTTP semantics. `ANY` is decided by what the handler does. */
export const STATE_CHANGING_METHODS: ReadonlySet<HttpMethod> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The framework an endpoint is written in, by the id its library knowledge gives it
 * (`express`, `nestjs`, `aspnetcore-mvc`, …). Open: a library file names its own.
 */
export type Framework = string;

/** A framework's own words for its authorization. Each endpoint carries its framework's, so rules word messages without knowing any framework. */
export interface FrameworkVocabulary {
  /** `Express`, `ASP.NET Core MVC`. */
  displayName: string;
  /** Completes "nothing requires authorization: …". */
  missingAuth: string;
  /** One-line remediation. */
  addAuth: string;
}

/**
 * A route path as parts, so a prefix found elsewhere (a mount in another file, a group
 * built in an extension method) applies by joining parts rather than editing text.
 */
export interface RoutePath {
  /** Segments as the framework writes them, prefixes known to the file included: `api`, `orders`, `:id` / `{id}`. */
  segments: string[];
}

/** How strongly a protection restricts: any signed-in caller, a role, or a named policy / permission. */
export type Requirement = "authenticated" | "role" | "policy";

/** What an endpoint requires, from all its protections: the strongest wins. */
export type Classification = "public" | "authenticated" | "role-restricted" | "policy-restricted";

/** Where a protection (or an anonymous marker) was declared, relative to the route. */
export type ProtectionSource =
  | "route" // on the route itself: middleware argument, action attribute
  | "router" // router-level: router.use(auth) before the route
  | "mount" // where the router is mounted: app.use("/api", auth, router)
  | "class" // controller class attribute
  | "base-class" // attribute on a base class
  | "global"; // app-wide: app.use(auth) before the route, global filter

export interface Protection {
  /** What the code calls it: `requireAuth`, `passport.authenticate`, `[Authorize(Roles = "Admin")]`. */
  name: string;
  source: ProtectionSource;
  loc: Loc;
  /** The file that declares it, when that is not the endpoint's own file. */
  file?: string;
  /** Undefined means `authenticated`. */
  requirement?: Requirement;
}

export interface AnonymousMarker {
  /** `[AllowAnonymous]`, `@Public()`, a configured public marker. */
  name: string;
  source: ProtectionSource;
  loc: Loc;
  /** The file that declares it, when that is not the endpoint's own file. */
  file?: string;
}

export type DataOperationKind = "read" | "write" | "delete";

export interface DataOperation {
  kind: DataOperationKind;
  /** Short text of the call for messages, e.g. `_db.SaveChanges()` or `Order.create(...)`. */
  call: string;
  loc: Loc;
}

export interface Endpoint {
  framework: Framework;
  vocabulary: FrameworkVocabulary;
  /** Upper-case HTTP methods; `ANY` when the route accepts every method. */
  methods: HttpMethod[];
  /** The route path as parts; `path` is its text. */
  route: RoutePath;
  /** The route path as the client sees it, as far as the project tells (`/api/orders/{id}`). */
  path: string;
  /** Display name of the handler: `OrdersController.Create`, `createOrder`; undefined for anonymous functions. */
  handler?: string;
  /** Where findings about this endpoint are reported. */
  loc: Loc;
  /** Every authentication/authorization requirement that applies, with where it comes from. */
  protections: Protection[];
  /** Explicit anonymous opt-outs that apply. */
  anonymous: AnonymousMarker[];
  /** Data-layer calls the handler makes (as far as the adapter can follow the handler). */
  dataOperations: DataOperation[];
  /**
   * Set when the endpoint is registered on a route builder the file gets from a caller it
   * does not show: the prefix and protections of the caller's builder apply too, and a
   * cross-file step adds them from the caller's RouteGroupCall.
   */
  registeredOn?: RouteBuilderParameter;
}

/**
 * A parameter through which a function receives the route builder it registers endpoints
 * on (C#: `static RouteGroupBuilder MapOrders(this RouteGroupBuilder group)`).
 */
export interface RouteBuilderParameter {
  /** The function as the file declares it: `OrdersEndpoints.MapOrders`. */
  function: string;
  /** The name callers spell: `MapOrders`. */
  name: string;
  parameter: string;
  /** Position in the parameter list; an extension method's `this` parameter is 0. */
  position: number;
  /** Whether the function returns the builder the endpoint is in, so what a caller chains on the result (`app.MapOrders().RequireAuthorization()`) applies to it. */
  returned: boolean;
}

/**
 * A call that hands a route builder to a function the file does not declare
 * (`app.MapGroup("/orders").RequireAuthorization().MapOrders()`, `OrderRoutes.Map(group)`),
 * with what the builder carries, for the cross-file step to apply to that function's endpoints.
 */
export interface RouteGroupCall {
  /** The called function's simple name: `MapOrders`. */
  name: string;
  /** The parameter the builder goes to: the receiver of an extension-method call is 0. */
  position: number;
  /** The builder's path prefix, as far as the file shows it. */
  prefix: RoutePath;
  protections: Protection[];
  anonymous: AnonymousMarker[];
  /** What the caller chains on the call's result: it applies to the builder the function returns. */
  resultProtections: Protection[];
  resultAnonymous: AnonymousMarker[];
  /** Set when the builder itself comes from a parameter of the calling function. */
  registeredOn?: RouteBuilderParameter;
  loc: Loc;
}

/**
 * Which endpoints an app-wide registration covers:
 *  - `fallback`: every endpoint with no protection and no anonymous marker of its own
 *    (ASP.NET Core's FallbackPolicy);
 *  - `frameworks`: every endpoint of the listed frameworks (a global MVC filter,
 *    `MapControllers().RequireAuthorization()`);
 *  - `pages`: the endpoints of one framework whose path without its query is `route`
 *    (`folder: false`) or lies under it (`folder: true`): Razor Pages conventions.
 */
export type StartupScope =
  | { kind: "fallback" }
  | { kind: "frameworks"; frameworks: Framework[] }
  | { kind: "pages"; framework: Framework; route: RoutePath; folder: boolean };

/** An app-wide authorization registration: `FallbackPolicy = …`, `Filters.Add(new AuthorizeFilter())`, `AuthorizeFolder("/Admin")`. */
export interface StartupRegistration {
  /** Whether it requires authorization or lets anonymous callers in (`AllowAnonymousToFolder`). */
  effect: "protect" | "allow-anonymous";
  scope: StartupScope;
  /** What the code calls it, for messages: `FallbackPolicy = …RequireAuthenticatedUser()…`. */
  name: string;
  loc: Loc;
  /** For `protect`; undefined means `authenticated`. */
  requirement?: Requirement;
}

/** The app-wide registrations a startup file (Program.cs, Startup.cs) makes. */
export interface StartupFacts {
  registrations: StartupRegistration[];
}

export type Language = "ts" | "csharp";

export interface FileModel {
  language: Language;
  filename: string;
  endpoints: Endpoint[];
  /** String literals with their targets and sinks (AP201). */
  literals: StringLiteral[];
  /** Equality checks (AP202). */
  equalityChecks: EqualityCheck[];
  /** JWT reads and validation settings (AP203). */
  jwt: JwtFact[];
  /** CORS configurations (AP301). */
  cors: CorsPolicy[];
  /** App-wide authorization the file registers, already applied to its own endpoints; the project index applies it to the project's other files. */
  startup?: StartupFacts;
  /** Route builders the file hands to functions it does not declare. */
  routeGroupCalls?: RouteGroupCall[];
}

/** `/api/orders/{id}` → `api`, `orders`, `{id}`; `/` → none. */
export function routePath(path: string): RoutePath {
  return { segments: path.split("/").filter((segment) => segment !== "") };
}

/** The text of a route path: `/` and the segments joined by `/`. */
export function formatRoutePath(route: RoutePath): string {
  return `/${route.segments.join("/")}`;
}

/** A prefix found elsewhere (a mount, a group) put in front of a route. */
export function joinRoutePaths(prefix: RoutePath, route: RoutePath): RoutePath {
  return { segments: [...prefix.segments, ...route.segments] };
}

const CLASSIFICATION_OF: Record<Requirement, Classification> = {
  authenticated: "authenticated",
  role: "role-restricted",
  policy: "policy-restricted",
};
const STRENGTH: Record<Classification, number> = {
  public: 0,
  authenticated: 1,
  "role-restricted": 2,
  "policy-restricted": 3,
};

/** Public when nothing protects the endpoint; otherwise the strongest requirement among its protections. */
export function classifyEndpoint(endpoint: Pick<Endpoint, "protections">): Classification {
  let best: Classification = "public";
  for (const protection of endpoint.protections) {
    const c = CLASSIFICATION_OF[protection.requirement ?? "authenticated"];
    if (STRENGTH[c] > STRENGTH[best]) best = c;
  }
  return best;
}
