/**
 * AP301 facts: CORS configurations as the framework will apply them. The adapters say
 * which origins a configuration lets in and whether it allows credentials; the rule
 * decides which combinations are findings.
 */
import type { Loc } from "../model.js";

/**
 * How an origin setting treats the request's `Origin`:
 *  - `any`: the wildcard `*` (`origin: '*'`, `AllowAnyOrigin()`, `WithOrigins("*")`, a library default);
 *  - `reflect`: every origin is accepted and echoed back (`origin: true`, a callback that
 *    allows everything, `SetIsOriginAllowed(_ => true)`, the request's Origin header copied
 *    into `Access-Control-Allow-Origin`);
 *  - `null`: the literal origin `null`, which sandboxed iframes and local files send;
 *  - `pattern`: origins matched by a pattern (a RegExp, a `*.example.com` wildcard): see `patterns`;
 *  - `restricted`: explicit origins, a function that checks something, a value from configuration;
 *  - `disabled`: CORS turned off (`origin: false`).
 */
export type CorsOriginKind = "any" | "reflect" | "null" | "pattern" | "restricted" | "disabled";

export interface CorsOriginPattern {
  /** `regexp`: a regular expression tested against the whole origin; `wildcard-subdomain`: `https://*.example.com`. */
  syntax: "regexp" | "wildcard-subdomain";
  /** The RegExp source without slashes and flags, or the wildcard origin as written. */
  source: string;
  flags: string;
}

export interface CorsOrigin {
  kind: CorsOriginKind;
  /** The setting as written, short, for messages: `origin: true`, `AllowAnyOrigin()`. */
  setting: string;
  /** Where the setting is; findings are reported here. */
  loc: Loc;
  /** Kind `pattern` only. */
  patterns?: CorsOriginPattern[];
}

export interface CorsCredentials {
  /** Whether credentials are allowed; `unknown` when the value is computed. */
  allowed: boolean | "unknown";
  /** The setting as written (`credentials: true`, `AllowCredentials()`), or a description of the default. */
  setting: string;
}

export interface CorsPolicy {
  /** What sets it up, for messages: `cors()`, `app.enableCors()`, `AddPolicy("AllowAll")`, `res.setHeader()`. */
  via: string;
  /** `middleware`: a CORS library or policy; `headers`: the code writes the CORS response headers itself. */
  mechanism: "middleware" | "headers";
  /**
   * What the library does with `*` when credentials are allowed: `sent` as `*` (browsers
   * then refuse the credentialed response), `reflected` as the request's origin (@koa/cors,
   * ASP.NET Web API), or `rejected` with an exception (ASP.NET Core).
   */
  wildcardWithCredentials: "sent" | "reflected" | "rejected";
  /** Every origin setting that applies, in source order; the library default when none is written. */
  origins: CorsOrigin[];
  credentials: CorsCredentials;
  /**
   * The configuration applies only after the code checked the request's origin: options a
   * delegate hands over in one branch only, an echoed origin header written after
   * `if (allowed.includes(origin))`.
   */
  guarded: boolean;
  /** The configuration sits in a branch taken only in development (`if (env.IsDevelopment())`, `#if DEBUG`, `if (isDev)`). */
  developmentOnly: boolean;
  loc: Loc;
}
