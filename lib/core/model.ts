/**
 * The language-neutral model of one source file. Adapters (TS/JS in lib/adapters,
 * C# in csharp-bridge/adapter) build it; rules read it. Nothing here refers to the
 * syntax of either language.
 */

import type { CorsPolicy } from "./facts/cors.js";
import type { JwtFact } from "./facts/jwt.js";
import type { EqualityCheck } from "./facts/passwords.js";
import type { StringLiteral } from "./facts/secrets.js";

import type { Exposure } from "./project/summary.js";

export type { CorsPolicy, EqualityCheck, Exposure, JwtFact, StringLiteral };

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
  /**
   * False for endpoints a framework serves to the app's own pages rather than to API
   * clients (Razor Pages handlers, Next.js server actions): an API description such as an
   * OpenAPI document does not list them (AP105).
   */
  apiSurface?: false;
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
  /** `signature`: the route checks that the request is signed by whom it says (a provider's webhook), not a session. */
  kind?: "signature";
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
  /**
   * The model, entity set or table the call works on, as the code names it: `Invoice`
   * (a Mongoose / Sequelize model, an EF Core entity), `invoice` (a Prisma delegate),
   * `Invoices` (a DbSet), `invoices` (a knex table). Undefined when the call does not say.
   */
  entity?: string;
  /**
   * How the call picks its records (AP103), when the adapter could read it: the equality
   * conditions of its `where` / predicate / key argument. Undefined for calls that pick
   * nothing (`create`, `Add`, `SaveChanges`) or whose selection the adapter did not read.
   */
  selection?: RecordSelection;
  /** What the handler does that ties the records to the caller (AP103): comparisons, authorization calls. */
  ownership?: OwnershipCheck[];
  /**
   * The read only tells the code whether matching records exist, or how many (AP103 does not
   * report it): a `count` / `exists` call, or a read whose result is only tested or compared
   * (`if (existing) throw …`, `found === null`) and never returned, changed or passed on.
   */
  existenceOnly?: true;
  /**
   * The calls that lead from the handler to this operation when it is made in another
   * function (a service method, a repository, a MediatR handler), outermost first.
   */
  through?: CallStep[];
  /** The file the call is made in, when not the endpoint's own (the project index followed the handler there). */
  file?: string;
  /** C#: the query opts out of the global query filters (`IgnoreQueryFilters()`): no `HasQueryFilter` scopes it. */
  ignoresScopes?: boolean;
}

/**
 * Where a value a handler uses comes from, as far as the adapter can follow it through
 * local variables, destructuring and renaming.
 */
export type ValueOrigin =
  /** Sent by the client: `req.params.id`, `@Param("id") id`, an action parameter bound from the route, `dto.InvoiceId`. */
  | { kind: "client"; via: string }
  /** The authenticated caller: `req.user.id`, `ctx.state.user.tenantId`, `User.FindFirstValue(…)`, an injected current-user service. */
  | { kind: "principal"; via: string }
  /**
   * A parameter of the function the operation is made in (a service method): the project
   * index puts the origin of the caller's argument in its place. `path` reads into it
   * (`dto.invoiceId` → ["invoiceId"]).
   */
  | { kind: "parameter"; index: number; path: string[] }
  /** A constant, a value computed from several sources, or one the adapter cannot follow. */
  | { kind: "other" };

/** One equality condition of a query: `where: { id }`, `x => x.Id == id`, `findById(id)`. */
export interface RecordCondition {
  /** The field compared, as written (`id`, `userId`, `TenantId`); `(key)` for a lookup by primary key (`findById(x)`, `Find(x)`, `findByPk(x)`). */
  field: string;
  origin: ValueOrigin;
}

export interface RecordSelection {
  conditions: RecordCondition[];
  /**
   * False when part of the selection could not be read (a `where` object built elsewhere,
   * a spread, a predicate that calls a method): a condition the adapter did not see may
   * scope the query, so AP103 stays quiet.
   */
  complete: boolean;
}

/** A step of the handler's ownership logic that covers a data operation (AP103). */
export interface OwnershipCheck {
  kind:
    | "compared" // the loaded record is compared with the caller and the handler denies on mismatch
    | "authorization-call" // `authorizationService.AuthorizeAsync(User, invoice, …)`, CASL `ability.can(…)`
    | "scoped-data-access"; // a tenant-scoped client, repository or query filter covers every query of the entity
  /** What the code calls it, for the inventory: `invoice.ownerId !== req.user.id`, `AuthorizeAsync`. */
  name: string;
  loc: Loc;
  /** The file that declares it, when that is not the operation's own file. */
  file?: string;
}

/** A call from the handler towards a data operation made in another function. */
export interface CallStep {
  /** `InvoicesService.remove`, `DeleteInvoiceHandler.Handle`. */
  function: string;
  /** The file of the function, when not the endpoint's own. */
  file?: string;
  /** Where the call is made. */
  loc: Loc;
}

/**
 * What a call to a function of another file runs (AP103's flow across files), as the call
 * site names it.
 */
export type CallTarget =
  /** TS: an exported function, or a method of an exported class or object: `{ module: "./invoices.service", export: "InvoicesService", member: "remove" }`. */
  | { module: string; export: string; member?: string }
  /**
   * C#: a method of a type by the simple name the call site knows (an interface included): `{ type: "IOrderQueries", member: "GetOrderAsync" }`.
   * With `property`, the method is of the type of that property of `type`, which another file declares:
   * `services.Queries.GetOrderAsync(id)` on an `[AsParameters] OrderServices services` bundle.
   */
  | { type: string; member: string; property?: string }
  /** C#: the handler of a MediatR request: `_mediator.Send(new DeleteOrderCommand(id))` → `{ request: "DeleteOrderCommand" }`. */
  | { request: string };

/**
 * An argument of such a call: a value, or an object built at the call whose properties the
 * callee reads (`{ invoiceId: id }`, `new DeleteOrderCommand { OrderId = id }`, or by
 * position `new DeleteOrderCommand(id)` for a record's primary constructor).
 */
export type CallArgument =
  | ValueOrigin
  | RequestArgument
  | {
      kind: "object";
      properties: Record<string, ValueOrigin>;
      /** Values given by position to a record's primary constructor. */
      positional?: ValueOrigin[];
      /** The type constructed, whose declaration names the positions (`DeleteOrderCommand`). */
      type?: string;
    };

/**
 * The request a framework hands to a handler declared in another file (Express's `req`),
 * as data: the reads of it that are the client's input and those that are the caller.
 */
export interface RequestArgument {
  kind: "request";
  /** How the handler's parameter is written in messages: `req`. */
  via: string;
  /** Path prefixes read from the client: `["params"]`, `["request", "body"]`. */
  client: string[][];
  /** Path prefixes that hold the authenticated caller: `["user"]`, `["state", "user"]`. */
  principal: string[][];
  /**
   * Paths that middleware in front of the handler assigns before it runs (`req.body.UserId =
   * req.user.id`): a read under one is the assigned value, not the client's input.
   */
  assigned?: RequestAssignment[];
}

/** A value middleware puts into the request before the handler reads it (AP103). */
export interface RequestAssignment {
  /** Where in the request: `["body", "UserId"]`, `["params", "userId"]`. */
  path: string[];
  /** `principal`: the authenticated caller (`req.user.id`, a session or token lookup); `other`: a value that is not the client's. */
  kind: "principal" | "other";
}

/**
 * Middleware of other project files that runs in front of an endpoint's handler and may put
 * values into the request (`app.use("/api/cards", auth(), appendUserId())`, or where another
 * file mounts the endpoint's router): the project index reads from their files what they
 * assign (AP103).
 */
export interface RequestWriters {
  /** The middleware as the endpoint's file imports it: the module as written and the export (`appendUserId.()` for the function a factory call returns). */
  middleware: { module: string; export: string }[];
  /**
   * How the handler's own reads of the request begin in the origins of its operations
   * (`req`; empty for a destructured parameter): such a read under an assigned path is the
   * assigned value.
   */
  via: string[];
}

/** A call from a handler, or from a function another file calls, to a function declared in another project file. */
export interface ExternalCall {
  target: CallTarget;
  /** The arguments by position, their origins in the caller's terms. */
  args: CallArgument[];
  /** For `through`: `InvoicesService.remove`, `Mediator.Send(DeleteOrderCommand)`. */
  function: string;
  loc: Loc;
  /**
   * The caller's ownership checks on the record the call returns, made before the record is
   * returned or changed: `const invoice = await this.invoices.findOne(id); if (invoice.ownerId !== user.id) throw …`.
   */
  resultChecks?: OwnershipCheck[];
  /**
   * Values the caller has tied to the authenticated principal before the call, with the check
   * that did: an operation the call leads to that picks records by one of them is covered
   * (`if (!(await getEmailAccount({ userId, emailAccountId }))) return 403`, then a call with `emailAccountId`).
   */
  verified?: { origin: ValueOrigin; check: OwnershipCheck }[];
}

/**
 * Something a handler does that records who changed what (AP107): a log line, a call of an
 * audit service, an event published for others to record, or a mechanism of the project that
 * records every write of its data layer.
 */
export interface AuditEvent {
  kind:
    | "logger" // `logger.info(…)`, `this.logger.log(…)`, `_logger.LogInformation(…)`, Serilog's `Log.Information(…)`
    | "audit-service" // `this.auditService.record(…)`, `_audit.LogAsync(…)`, a name in `settings["api-posture"].auditLoggers`
    | "domain-event" // `eventEmitter.emit("invoice.deleted", …)`, `_mediator.Publish(new InvoiceDeleted(…))`, `AddDomainEvent(…)`
    | "data-layer"; // an EF Core SaveChanges interceptor, Audit.NET, a Prisma extension, a TypeORM subscriber, a Mongoose audit plugin
  /** What the code calls it, for messages: `logger.info`, `_auditService.LogAsync`, `AuditSaveChangesInterceptor`. */
  name: string;
  loc: Loc;
  /** The file that holds it, when that is not the endpoint's own. */
  file?: string;
  /**
   * The values among its arguments that may be the caller's identity: `principal` origins
   * (`req.user.id`, `User.Identity.Name`), and, in a function other files call, its parameters
   * (the project index puts the caller's argument in their place). Empty or undefined when
   * it carries no value that is the caller's.
   */
  actors?: ValueOrigin[];
  /** The calls that lead from the handler to it when it is made in another function, outermost first. */
  through?: CallStep[];
  /** For a `data-layer` mechanism that records the writes of some entities only (a Mongoose plugin on one schema): those entities. */
  entities?: string[];
}

/** Replace `range` (offsets into the file's text) with `text`; an empty range inserts. */
export interface TextEdit {
  range: [number, number];
  text: string;
}

/**
 * A mechanical way to add the authorization an endpoint lacks, as edits of its own file,
 * worked out by the adapter that knows the syntax. Plain data: the C# adapter's cross a
 * worker thread.
 */
export interface AuthFix {
  /** What is inserted, as the code will read: `[Authorize]`, `.RequireAuthorization()`, `@UseGuards(JwtAuthGuard)`, `requireAuth`. */
  insert: string;
  /**
   * Where it goes: on a declaration (the action, page model or handler method `target`
   * names), chained on the route's registration, or in front of the route's handler.
   */
  place: "declaration" | "registration" | "before-handler";
  /** `OrdersController.Create`, `EditModel`: the declaration that gets it. */
  target?: string;
  /** The insertion itself and what it needs (a `using`, an import), which never overlap. */
  edits: TextEdit[];
}

/**
 * What the handler does with a password, as far as the adapter follows it: the facts that
 * tell a sign-up (`POST /users` that takes a password and hashes it) from other writes.
 * lib/core/public-flows.ts decides from them.
 */
export interface CredentialFacts {
  /**
   * The handler reads a password from the request body: `req.body.password`,
   * `const { password } = request.body`, a body schema with a `password` field, a C# body
   * parameter whose type has a `Password` property.
   */
  passwordFromBody?: boolean;
  /**
   * The call that hashes a password to store it, for messages: `bcrypt.hash(…)`,
   * `hash(password, 6)`, `_passwordHasher.HashPassword(…)`, `_userManager.CreateAsync(user, password)`.
   */
  hashesPassword?: string;
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
   * The handler's calls to functions declared in other project files (a service method, a
   * repository, a MediatR handler): the project index follows them and adds the data
   * operations they make to `dataOperations` (lib/core/project/flow.ts).
   */
  calls?: ExternalCall[];
  /** What the handler does with a password, when it reads or hashes one. */
  credentials?: CredentialFacts;
  /**
   * What the handler does that records who changed what (AP107): its own log lines, audit
   * calls and published events, those of the functions it calls, and the project's audit
   * mechanisms that cover its writes. Recorded for endpoints that may change state.
   */
  auditEvents?: AuditEvent[];

  /**
   * How other files reach the router, app or group the endpoint is registered on, when
   * this file does not show it mounted on an app: the project index applies their
   * prefixes and protections (lib/core/project/link.ts).
   */
  exposure?: Exposure;
  /** The file and line where the endpoint's router is attached to the app, when another file does it. */
  mountedAt?: { file: string; line: number };
  /**
   * The API versions the endpoint declares (NestJS `@Version("1")`, `@Controller({ version })`),
   * for an app that puts the version in the path; empty for a version-neutral endpoint,
   * undefined when it declares none (the app's default version applies).
   */
  versions?: string[];
  /**
   * Set when the route starts with a template that a base class declared in another file
   * may give (ASP.NET Core's inherited `[Route("api/[controller]")]`): the endpoint's own part
   * of the path (`/{id}`, or `/` for none) and the values of the template's `[tokens]`. With
   * such a template the project index puts it in front of `path`; without one `path` stands.
   */
  inheritedRoute?: { path: string; tokens: Record<string, string> };
  /**
   * Guards, middleware, decorators, wrappers, attributes and base classes the endpoint
   * uses whose meaning another file of the project defines: the project index resolves
   * them (lib/core/project/link.ts).
   */
  references?: Reference[];
  /**
   * What applies to the endpoint but is declared in another file, so its own file cannot
   * say what it does: a decorator, guard or base class imported from elsewhere. The project
   * index resolves these; until then one counts as protection only when its name says so,
   * and is then in `protections` too.
   */
  unresolved?: UnresolvedReference[];
  /**
   * Functions of other project files the endpoint runs (a wrapper such as `withAuth(handler)`
   * imported from `@/lib/auth`, a guard call, the handler itself): what they do is for the
   * project index to tell.
   */
  importedFunctions?: ImportedFunction[];
  /**
   * Set when the endpoint is registered on a route builder the file gets from a caller it
   * does not show: the prefix and protections of the caller's builder apply too, and a
   * cross-file step adds them from the caller's RouteGroupCall.
   */
  registeredOn?: RouteBuilderParameter;
  /** Edits that would add the authorization the endpoint lacks, when the fix is mechanical: suggestions, never autofixes. */
  authFixes?: AuthFix[];
  /**
   * Middleware of other project files in front of the handler that may assign parts of the
   * request (AP103); set too when other files may mount the endpoint's router (`exposure`),
   * with what their mounts put in front of it.
   */
  requestWriters?: RequestWriters;
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

/** A function imported from another file of the project, named as the importing file writes it. */
export interface ImportedFunction {
  /** `wrapper`: around the handler; `guard`: called by the handler to assert a session; `handler`: the handler itself. */
  role: "wrapper" | "guard" | "handler";
  /** As written: `withAuth`, `authActionClient`. */
  name: string;
  /** The import specifier as written: `@/lib/auth`, `../../lib/session`. */
  module: string;
  /** The export it names: `withAuth`, `default`. */
  export: string;
  loc: Loc;
}

/**
 * A middleware that a framework runs in front of routes by file convention (Next.js
 * `middleware.ts` / `proxy.ts`): which request paths it runs for and whether it turns away
 * requests without a session. Plain data about its own file; the project index applies it
 * to the route files.
 */
export interface RouteMiddleware {
  framework: Framework;
  /** `config.matcher` patterns as written; undefined when the file sets none (it runs for every request). */
  matchers?: string[];
  /** True when some `config.matcher` entry could not be read (built at run time). */
  matchersIncomplete?: boolean;
  /**
   * `all`: it turns away every request without a session that it runs for; `some`: only those
   * under a condition (`only` / `except` when the condition is a path list); `none`: it turns
   * none away; `unknown`: it hands the request to an imported function (`importedFunctions`).
   */
  protects: "all" | "some" | "none" | "unknown";
  /** The paths it protects when it protects only those (Clerk's `createRouteMatcher([...])`), as written. */
  only?: string[];
  /** The paths it leaves alone when it protects all others, as written. */
  except?: string[];
  /** What the code calls the protection: `withAuth`, `auth.protect`, `getToken`. */
  name?: string;
  /** Undefined means `authenticated`. */
  requirement?: Requirement;
  loc: Loc;
  importedFunctions?: ImportedFunction[];
}

/** Something an endpoint uses that another file defines. */
export interface Reference {
  /** As written: `requireTenant`, `Auth()`, `RequireTenant`, `BaseApiController`. */
  name: string;
  /** TS/JS: the project module it is imported from, as written, and the export. */
  module?: string;
  export?: string;
  /** C#: the simple name of the type (`RequireTenantAttribute`, `BaseApiController`). */
  type?: string;
  /**
   * `marker`: used as a guard, middleware, decorator, wrapper or attribute; `base`: a base class whose markers apply;
   * `partial`: C#: the endpoint's own partial class, whose parts in other files bring their attributes and bases.
   */
  role: "marker" | "base" | "partial";
  source: ProtectionSource;
  loc: Loc;
}

/** A decorator, guard or base class on an endpoint that is imported from another module. */
export interface UnresolvedReference {
  kind: "decorator" | "guard" | "base-class";
  /** As the code calls it: `Auth`, `TenantGuard`, `BaseController`. */
  name: string;
  /** The module it is imported from, as written: `./auth.decorator`, `src/auth/guards`, `@app/auth`. */
  module: string;
  source: ProtectionSource;
  loc: Loc;
}

/**
 * A guard a file registers for the whole application (`app.useGlobalGuards(new JwtAuthGuard())`,
 * `{ provide: APP_GUARD, useClass: JwtAuthGuard }`). The adapter applies it to the endpoints of
 * its own file; the project index applies it to the rest of the project. Endpoints with an
 * explicit anonymous marker are let through by it.
 */
export interface GlobalGuard {
  framework: Framework;
  /** What the code calls the guard: `JwtAuthGuard`, `AuthGuard('jwt')`. */
  name: string;
  /** How it is registered, in the framework's words: `APP_GUARD`, `useGlobalGuards`. */
  registration: string;
  loc: Loc;
  /**
   * `auth` when the file shows that it requires authentication or authorization, `other` when
   * it shows that it does not (a rate limiter), `unresolved` when it is imported from `module`
   * and its name does not tell.
   */
  verdict: "auth" | "other" | "unresolved";
  /** For `auth`; undefined means `authenticated`. */
  requirement?: Requirement;
  /** The module the guard is imported from, when it is not declared in this file. */
  module?: string;
}

/**
 * A router, sub-app or plugin that this file mounts from another file, with what this
 * file puts in front of it (`app.register(import("./routes/orders.js"), { prefix: "/api" })`
 * after an auth hook, `app.route("/books", books)` after `app.use("/books/*", jwt(…))`).
 * The project index applies it to the endpoints of that file: the prefix goes in front of
 * their routes, the protections apply to them.
 */
export interface ExternalMount {
  framework: Framework;
  /** The module as written (`./routes/orders`), and the export mounted: `default` or a name. */
  module: string;
  export: string;
  /** Prefixes this file puts in front of the mounted routes, its own mounts included. */
  prefix: RoutePath;
  /** Protections in force where it is mounted, with where they come from. */
  protections: Protection[];
  /** The mounting call. */
  loc: Loc;
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
  /** App-wide guards the file registers, for the endpoints of the whole project. */
  globalGuards?: GlobalGuard[];
  /** The file is a framework's route middleware (Next.js `middleware.ts`). */
  routeMiddleware?: RouteMiddleware;
  /** Routers, sub-apps and plugins mounted from other files, for the project index. */
  mounts?: ExternalMount[];
  /** App-wide authorization the file registers, already applied to its own endpoints; the project index applies it to the project's other files. */
  startup?: StartupFacts;
  /** Route builders the file hands to functions it does not declare. */
  routeGroupCalls?: RouteGroupCall[];
  /**
   * C#: entities an EF Core query filter of this file (`HasQueryFilter`) scopes to an owner or
   * tenant field. Every query of them through the context is filtered wherever it is written;
   * the file's own data operations already carry it as a `scoped-data-access` check (AP103),
   * other files' are for the project index to cover.
   */
  queryFilterScopes?: QueryFilterScope[];
}

/** An EF Core query filter on an owner or tenant field of an entity (AP103). */
export interface QueryFilterScope {
  /** The entity type: `Invoice`. */
  entity: string;
  /** The `DbSet<Invoice>` properties of the file: `Invoices`. */
  sets: string[];
  /** `HasQueryFilter(i => i.TenantId == _tenantId)`, shortened. */
  name: string;
  loc: Loc;
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
