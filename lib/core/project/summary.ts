/**
 * What other files need to know of one file, as plain data. Adapters compute it (the
 * same code that builds the file's own endpoints); the project index caches it per file
 * and mtime; link.ts applies it to the endpoints of the file being linted.
 *
 * - attachments: where the file mounts a router, sub-app or route registrar of another
 *   file, with the prefix and the protections in force at that point;
 * - markers: what its exports (TS) or declared types (C#) do when a route uses them as
 *   a guard, middleware, decorator, wrapper or attribute;
 * - types: its classes with their bases and the markers on them, for controllers that
 *   derive from them in other files;
 * - appWide: protections it registers for the whole app (a global guard, a fallback
 *   policy, a route middleware with a matcher);
 * - appRoutes: how it lays out the paths of the whole app's routes (a global prefix, URI
 *   versioning);
 * - configValues: configuration values it registers, for an app that reads its layout
 *   from them (`setGlobalPrefix(config.get("app.apiPrefix"))`);
 * - functions: what its exported functions and methods do with records, in their own terms,
 *   for handlers in other files that call them (AP103);
 * - reexports: exports it takes from other modules (`export * from "./users.service"`,
 *   `exports.userService = require("./user.service")`);
 * - audit: mechanisms it sets up that record every write of the data layer (an EF Core
 *   SaveChanges interceptor, Audit.NET, a Prisma extension, a TypeORM subscriber), for the
 *   endpoints of the whole project (AP107);
 * - requestWrites: what its exported middleware (or the middleware an exported factory
 *   returns) assigns on the request before the handler runs, for the routes of other files
 *   that use it (AP103).
 */
import type {
  AnonymousMarker,
  AuditEvent,
  DataOperation,
  ExternalCall,
  HttpMethod,
  Loc,
  OwnershipCheck,
  Protection,
  QueryFilterScope,
  RequestAssignment,
  Requirement,
} from "../model.js";

/** How other files reach a receiver (router, app, group) of a file. */
export interface Exposure {
  /**
   * The file's export that holds it: `default` (also `module.exports = …`), `ordersRouter`;
   * `*` when the adapter cannot tell which, and any export of the file that is mounted counts.
   */
  export: string;
  /** When the export is a function that registers routes on its argument (`module.exports = (app) => …`): the argument's position. */
  param?: number;
}

/** One place where a file attaches something exported by another file to one of its own receivers. */
export interface Attachment {
  /** The module as this file writes it (`./routes/orders`, `@/routes`). */
  module: string;
  /** The export attached (`default`, `ordersRouter`). */
  export: string;
  /** Set when the export is a registrar function called with the receiver as this argument. */
  param?: number;
  /** Path segments put in front of the attached routes: the mount prefix and this file's own mounts above it. */
  prefix: string[];
  /** Protections in force for what is attached, with `file` set to this file. */
  protections: Protection[];
  /** How the receiver it is attached to is reached from yet other files; undefined when that receiver is the app itself. */
  via?: Exposure;
  /** Where the attachment is written. */
  loc: Loc;
  /**
   * Set when the attachment registers rather than mounts (a NestJS module listing its
   * controllers, `RouterModule.register`): messages name no router mount for it.
   */
  registration?: boolean;
  /**
   * What the middleware in front of the attached routes puts into the request (AP103): the
   * assignments of this file's middleware, and middleware of other files as this file imports
   * them (their files say what they assign).
   */
  requestWriters?: { assigned: RequestAssignment[]; middleware: { module: string; export: string }[] };
}

/** What using an export or a type as a marker does. */
export interface MarkerEffect {
  /** TS: the export (`requireTenant`, `default`, `Auth`). */
  export?: string;
  /** C#: the type's simple name (`RequireTenantAttribute`). */
  type?: string;
  effect: "protection" | "anonymous" | "none";
  /**
   * Set when the file cannot tell by itself: the marker does what this export of another
   * project module does (a decorator applying a guard imported from elsewhere).
   */
  via?: { module: string; export: string };
  /** For protections; undefined means `authenticated`. */
  requirement?: Requirement;
  /** Where the marker is defined. */
  loc: Loc;
}

/** A class of the file, for the classes that derive from it elsewhere. */
export interface TypeSummary {
  name: string;
  /** Simple names of its base class and interfaces, as written. */
  bases: string[];
  /** Route templates the class declares for the classes deriving from it (ASP.NET Core's inherited `[Route("api/[controller]")]`). */
  routes?: string[];
  /** The names of a record's primary-constructor parameters, in order (`record DeleteOrderCommand(Guid OrderId)`): the properties a positional `new` sets. */
  positional?: string[];
  /**
   * C#: the types of its service-typed properties by name (`Queries` → `IOrderQueries`), for calls
   * through a bundle of services (`[AsParameters] OrderServices services` → `services.Queries.GetOrderAsync(id)`).
   */
  members?: Record<string, string>;
  /**
   * C#, for a part of a partial class: the types of its primary constructor's parameters, fields
   * and properties by name (`db` → `ShopDbContext`, `_currentUser` → `ICurrentUser`), for the
   * actions of the class's parts in other files, which use them as their own.
   */
  partMembers?: Record<string, string>;
  protections: Protection[];
  anonymous: AnonymousMarker[];
  loc: Loc;
}

/** A protection the file registers for the whole app, and which endpoints it covers. */
export interface AppWideProtection {
  protection: Protection;
  /** Framework ids of the endpoints it covers (`nestjs`, `aspnetcore-mvc`, `aspnetcore-minimal-apis`, `nextjs`). */
  frameworks: string[];
  /** When set, only endpoints whose path one of these patterns covers (`/api/:path*`, `/dashboard/(.*)`). */
  paths?: string[];
  /** Endpoints with an explicit anonymous marker keep it (a global guard honouring `@Public()`, a fallback policy). */
  honoursAnonymous: boolean;
  /** A fallback: applies only to endpoints that carry no authorization of their own. */
  fallback?: boolean;
  /**
   * When the registering file cannot tell whether it is auth (a guard imported by a name
   * that does not say): the export of a project module whose marker decides.
   */
  reference?: { module: string; export: string };
}

/**
 * How a file lays out the paths of every route of a framework in the app: NestJS's
 * `app.setGlobalPrefix("api", { exclude })` and `app.enableVersioning({ type: VersioningType.URI })`.
 * The path a client sees is prefix, then version, then the route.
 */
export interface AppWideRoutes {
  /** Framework ids of the endpoints it lays out. */
  frameworks: string[];
  /** The global prefix: its segments, or the configuration key it is read from (`app.apiPrefix`). */
  prefix?: { segments: string[] } | { config: string };
  /** Routes the prefix leaves out: path patterns as written (`health`, `/`), for these methods (all when undefined). */
  exclude?: { path: string; methods?: HttpMethod[] }[];
  /** The version goes in the path as `${prefix}${version}` (`v1`); `defaultVersion` for routes that declare none. */
  versioning?: { prefix: string; defaultVersion?: string };
  loc: Loc;
}

/** A configuration value a file registers (`registerAs("app", () => ({ apiPrefix: "api" }))` → `app.apiPrefix` = `api`). */
export interface ConfigValue {
  key: string;
  value: string;
}

/**
 * What a function other files call does with records (AP103), in its own terms: values its
 * callers pass are `parameter` origins, which the project index replaces with the origins
 * of the caller's arguments (lib/core/project/flow.ts).
 */
export interface FunctionFlow {
  /** TS: the export that holds the function, or the class or object whose method it is (`default` for `module.exports`). */
  export?: string;
  /** C#: the simple name of the type that declares it. */
  type?: string;
  /** The method's name; undefined for a function exported by itself. */
  member?: string;
  /** C#: the request type a MediatR handler handles (`IRequestHandler<DeleteOrderCommand>`). */
  handles?: string;
  /** For `through`: `InvoicesService.remove`. */
  name: string;
  /** Its data operations, with `through` inside its own file; locations are in its file. */
  operations: DataOperation[];
  /** Its calls to functions of other files, with `parameter` origins for what it passes on. */
  calls: ExternalCall[];
  /** The index in `operations` of the record the function returns, when it returns one it loads. */
  returns?: number;
  /** The index in `calls` of the call whose record it returns (`return this.invoices.findById(id)` on a repository of another file). */
  returnsCall?: number;
  /**
   * Its checks that count when a caller passes the authenticated principal for a parameter:
   * `if (invoice.userId !== userId) throw new ForbiddenException()` with `userId` a parameter.
   * `covers` lists the indexes in `operations` it covers then, `coversCalls` those in `calls`
   * whose returned record it covers (`const invoice = await this.invoices.findById(id)`).
   */
  conditionalChecks?: {
    check: OwnershipCheck;
    when: { index: number; path: string[] };
    covers: number[];
    coversCalls?: number[];
  }[];
  /**
   * What it records of who changed what (AP107): its log lines, audit calls and published
   * events, with `actors` in its own terms (a `parameter` origin when the value comes from a
   * caller). Locations are in its file.
   */
  audits?: AuditEvent[];
}

/**
 * A mechanism a file sets up that records the writes of the data layer wherever they are
 * made (AP107): an EF Core `SaveChangesInterceptor` or a DbContext whose `SaveChanges`
 * writes audit entries, Audit.NET, a Prisma client extension or middleware that logs every
 * query, a TypeORM entity subscriber, a Mongoose audit plugin.
 */
export interface AuditMechanism {
  /** What the code calls it, for messages: `AuditInterceptor`, `Audit.Core.Configuration.Setup()`, `prisma.$extends(…)`. */
  name: string;
  loc: Loc;
  /**
   * Set when it records only once registered (an interceptor class): the type name a
   * registration must give (`AddInterceptors(new AuditInterceptor())`,
   * `AddScoped<ISaveChangesInterceptor, AuditInterceptor>()`).
   */
  registeredAs?: string;
  /** Set when it covers only these entities (a Mongoose plugin on one schema): the models as the code names them. */
  entities?: string[];
}

/**
 * Types a file registers as EF Core interceptors (`AddInterceptors(new AuditInterceptor())`),
 * or `*` when it registers every interceptor the container holds
 * (`AddInterceptors(sp.GetServices<ISaveChangesInterceptor>())`).
 */
export type InterceptorRegistration = string;

/**
 * An exported middleware that puts values into the request before the handler runs
 * (`export const appendUserId = () => (req, res, next) => { req.body.UserId = …; next() }`).
 */
export interface RequestWriteEffect {
  /** The export as a route uses it: `appendUserId`, or `appendUserId.()` for the function a call of the factory returns. */
  export: string;
  /** What it assigns; a path it copies from the client is not listed (a read of it stays the client's). */
  assigned: RequestAssignment[];
  loc: Loc;
}

/** An export a module takes from another module. */
export interface Reexport {
  /** The name it is exported under here; `*` for `export * from`. */
  export: string;
  /** The module as this file writes it. */
  module: string;
  /** The name there (`default` for a CommonJS module or a default export); `*` for `export * from`. */
  from: string;
}

export interface FileSummary {
  attachments: Attachment[];
  markers?: MarkerEffect[];
  types?: TypeSummary[];
  appWide?: AppWideProtection[];
  appRoutes?: AppWideRoutes[];
  configValues?: ConfigValue[];
  functions?: FunctionFlow[];
  reexports?: Reexport[];
  /** C#: entities an EF Core query filter of the file scopes to an owner or tenant, for every query of them in the project (AP103). */
  scopedEntities?: QueryFilterScope[];
  audit?: AuditMechanism[];
  /** Interceptors it registers, for the audit mechanisms that need a registration. */
  interceptors?: InterceptorRegistration[];
  /** Exported middleware that assigns parts of the request (AP103). */
  requestWrites?: RequestWriteEffect[];
  /** C#: its `[assembly: SuppressMessage("ApiPosture", …)]` attributes, for the project's other files. */
  globalSuppressions?: GlobalSuppression[];
}

/**
 * `[assembly: SuppressMessage("ApiPosture", "AP101:…", Scope = "member", Target = "~M:Ns.Type.Method(System.Int32)", Justification = "…")]`
 * as written; the files it reaches match `target` against their declarations.
 */
export interface GlobalSuppression {
  /** The second argument: `AP101:RequireRouteAuth`. */
  checkId: string;
  /** `member`, `type`, `namespace`, `namespaceanddescendants`, … (lower case); empty when not given. */
  scope: string;
  /** A documentation-comment id: `~M:Ns.Type.Method(System.Int32)`, `~T:Ns.Type`, `~N:Ns`; empty when not given. */
  target: string;
  justification: string;
  /** Where the attribute is, 1-based line and 0-based column. */
  line: number;
  column: number;
}

/**
 * What the index learns of a file without parsing it, to know which files to summarise:
 * the modules it imports (TS), the types it declares (C#; for TS, the configuration
 * namespaces it registers, as `config:app`), and whether it may register something for
 * the whole app.
 */
export interface IndexScan {
  imports: string[];
  declares: string[];
  appWide: boolean;
  /** Guards the file puts on its routes by an imported name, for suggesting the project's own guard elsewhere. */
  guards?: GuardUse[];
}

/** A guard a file puts on routes, imported from a module: NestJS's `@UseGuards(JwtAuthGuard)`. */
export interface GuardUse {
  /** As written in the route's decorator: `JwtAuthGuard`, `AuthGuard("jwt")`. */
  text: string;
  /** The imported name the text starts with, the module as the file writes it, and the export. */
  name: string;
  module: string;
  export: string;
}
