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

export type Framework = "express" | "aspnetcore-mvc";

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
}

export interface AnonymousMarker {
  /** `[AllowAnonymous]`, `@Public()`, a configured public marker. */
  name: string;
  source: ProtectionSource;
  loc: Loc;
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
  /** Upper-case HTTP methods; `ANY` when the route accepts every method. */
  methods: HttpMethod[];
  /** The route path as the client sees it, as far as the file tells (`/api/orders/{id}`). */
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
}
