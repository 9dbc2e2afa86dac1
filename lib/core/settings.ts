/**
 * `settings["api-posture"]`: what the code base calls its auth middleware, guards and
 * attributes, its public markers and public routes. One shape for both languages.
 *
 * Each key is one entry of SETTINGS below: its entry shape, what it means and an
 * example. The same table validates the user's object (once per object) and renders
 * the settings documentation in the README.
 */
import {
  ApiPostureSettingsError,
  describeValue as describe,
  editDistance,
  validateSettings,
  type EntryShape,
  type ResolvedOf,
  type SettingSpec,
} from "./settings-shape.js";

export { ApiPostureSettingsError } from "./settings-shape.js";

export interface ApiPostureSettings {
  /** Names of auth middleware, guards, decorators, attributes or filters (`requireUser`, `ApiKeyAuth`). A `/regex/` string matches by pattern. */
  auth?: string[];
  /** Names of explicit anonymous markers beyond the built-in ones (`@Public()`, `[AllowAnonymous]`). A `/regex/` string matches by pattern. */
  publicMarkers?: string[];
  /** Route paths that are public by design, as glob-like patterns (`/health`, `/webhooks/**`). */
  publicRoutes?: string[];
  /** Names of the code base's own functions that verify a request's signature (`verifyWebhookSignature`). A `/regex/` string matches by pattern. */
  signatureVerifiers?: string[];
  /** Fields that tie a record to its owner or tenant, beyond the built-in ones (`ownerId`, `tenantId`, …) (AP103). */
  ownerFields?: string[];
  /** Entities every query of which is scoped to the caller's tenant by something the code does not show (AP103). */
  scopedEntities?: string[];
  /** Your own helpers that check the caller may use a record (`assertCanEdit(user, invoice)`) (AP103). */
  ownershipChecks?: string[];
  /** Your own audit loggers, audit services and audit tables (`journal`, `ChangeJournal.Write`) (AP107). */
  auditLoggers?: string[];
  /** The OpenAPI 3.x / Swagger 2.0 documents of the API, relative to the project folder (AP105). */
  openapi?: string | string[];
}

export type NameMatcher = (name: string) => boolean;

// ---------------------------------------------------------------------------------
// Entry shapes.
// ---------------------------------------------------------------------------------

type NameOrPattern = { name: string } | { pattern: RegExp };

/** `/body/flags`; anything else that starts with `/` is a pattern written wrong. */
const PATTERN = /^\/(.+)\/([A-Za-z]*)$/s;
/** Flags that keep `test` a pure function of its input (`g` and `y` carry `lastIndex` over). */
const PATTERN_FLAGS = "dimsuv";

/** A name (matched without regard to case) or a `/regex/flags` string. */
export const NAME_OR_PATTERN: EntryShape<NameOrPattern> = {
  one: "a string (a name, or a /regex/ pattern)",
  many: "strings (names, or /regex/ patterns)",
  parse(entry) {
    if (entry instanceof RegExp)
      return fail(
        `must be a string (a name, or a /regex/ pattern), got a RegExp (${String(entry)}). Write ${JSON.stringify(String(entry))}.`,
      );
    if (typeof entry !== "string") return fail(`must be ${NAME_OR_PATTERN.one}, got ${describe(entry)}.`);
    if (entry.trim() === "") return fail(`is ${blank(entry)}; write a name or a /regex/ pattern, or remove the entry.`);
    if (entry.trim() !== entry)
      return fail(
        `${JSON.stringify(entry)} has spaces around it; names match exactly, write ${JSON.stringify(entry.trim())}.`,
      );
    if (!entry.startsWith("/")) return { ok: true, value: { name: entry } };
    const match = PATTERN.exec(entry);
    if (!match)
      return fail(
        `${JSON.stringify(entry)} starts with / but is not a /pattern/flags regular expression; end the pattern with / (and its flags), or write the name without /.`,
      );
    const [, body, flags] = match as unknown as [string, string, string];
    const flagProblem = patternFlagProblem(flags);
    if (flagProblem) return fail(`${JSON.stringify(entry)} ${flagProblem}`);
    try {
      return { ok: true, value: { pattern: new RegExp(body, flags) } };
    } catch (error) {
      return fail(`${JSON.stringify(entry)} is not a valid regular expression: ${regexReason(error)}.`);
    }
  },
};

function patternFlagProblem(flags: string): string | undefined {
  const stateful = [...flags].filter((f) => f === "g" || f === "y");
  if (stateful.length > 0)
    return `uses the flag ${stateful.join(" and ")}; leave out g and y, which make each match depend on the one before.`;
  const unknown = [...flags].filter((f) => !PATTERN_FLAGS.includes(f));
  if (unknown.length > 0)
    return `has the unknown flag${unknown.length > 1 ? "s" : ""} ${unknown.join("")}; the flags a pattern takes are ${[...PATTERN_FLAGS].join(", ")}.`;
  if (new Set(flags).size !== flags.length) return `repeats a flag.`;
  if (flags.includes("u") && flags.includes("v")) return `has both u and v; use one of them.`;
  return undefined;
}

/** `Unterminated group` out of `Invalid regular expression: /(/: Unterminated group`. */
function regexReason(error: unknown): string {
  const message = String((error as Error)?.message ?? error);
  const colon = message.lastIndexOf(": ");
  return colon === -1 ? message : message.slice(colon + 2);
}

/** A route path with `*` for one segment and `**` for any number of them. */
export const ROUTE_PATTERN: EntryShape<string> = {
  one: "a string (a route path such as /health or /webhooks/**)",
  many: "strings (route paths such as /health or /webhooks/**)",
  parse(entry) {
    if (typeof entry !== "string") return fail(`must be ${ROUTE_PATTERN.one}, got ${describe(entry)}.`);
    if (entry.trim() === "")
      return fail(`is ${blank(entry)}; write a route path such as "/health", or remove the entry.`);
    if (/\s/.test(entry))
      return fail(
        `${JSON.stringify(entry)} contains a space; write the route path alone, such as "/webhooks/**", without a method.`,
      );
    return { ok: true, value: entry };
  },
};

/** The path of an API description document, absolute or relative to the project folder. */
export const DOCUMENT_PATH: EntryShape<string> = {
  one: "a string (the path of an OpenAPI or Swagger document)",
  many: "strings (paths of OpenAPI or Swagger documents)",
  parse(entry) {
    if (typeof entry !== "string") return fail(`must be ${DOCUMENT_PATH.one}, got ${describe(entry)}.`);
    if (entry.trim() === "")
      return fail(`is ${blank(entry)}; write the path of the document, such as "openapi.yaml", or remove the entry.`);
    if (entry.trim() !== entry)
      return fail(`${JSON.stringify(entry)} has spaces around it; write ${JSON.stringify(entry.trim())}.`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry))
      return fail(
        `${JSON.stringify(entry)} is a URL; the plugin reads local files only: keep the document in the repository and write its path.`,
      );
    return { ok: true, value: entry };
  },
};

function fail(problem: string): { ok: false; problem: string } {
  return { ok: false, problem };
}

function blank(entry: string): string {
  return entry === "" ? "an empty string" : "only whitespace";
}

// ---------------------------------------------------------------------------------
// The keys.
// ---------------------------------------------------------------------------------

function setting<T, R>(spec: SettingSpec<T, R>): SettingSpec<T, R> {
  return spec;
}

export const SETTINGS = {
  auth: setting({
    meaning:
      "Your own auth middleware, guards, decorators, attributes and filters. A route they guard counts as protected. Names match without regard to case (an attribute with or without its `Attribute` suffix and namespace); a `/regex/flags` string matches by pattern (`/^tenant/i` ignores case too).",
    example: ["gatekeeper", "RequireTenantMember", "/^Tenant\\w*Guard$/"],
    entry: NAME_OR_PATTERN,
    resolve: nameMatcher,
  }),
  publicMarkers: setting({
    meaning:
      "Your own markers that make a route public on purpose, besides `[AllowAnonymous]`. A route that carries one is a deliberate opt-out, not a forgotten guard. Names and `/regex/flags` patterns as for `auth`.",
    example: ["OpenEndpoint"],
    entry: NAME_OR_PATTERN,
    resolve: nameMatcher,
  }),
  publicRoutes: setting({
    meaning:
      "Route paths that are public by design; AP101 does not report them. A path is the one the client sees, with the prefixes of mounts, route groups, a NestJS global prefix and URI versions (`/api/v1/health`). `*` matches within one path segment, `**` any number of further segments (`/webhooks/**` matches `/webhooks/stripe`, not `/webhooks`); case and a trailing `/` do not matter.",
    example: ["/health", "/webhooks/**"],
    entry: ROUTE_PATTERN,
    resolve: (paths: readonly string[]) => pathPatternMatcher(paths),
  }),
  signatureVerifiers: setting({
    meaning:
      "Your own functions and methods that verify a request's signature (a webhook's HMAC, a provider's signed payload). A route whose handler calls one, itself or through a helper of its file, or that runs one as middleware, counts as protected. An entry matches a call whose path ends with it, without regard to case (`verify` matches `webhooks.verify(…)`, `PartnerSignature.Verify` matches `Acme.PartnerSignature.Verify(…)`); `/regex/flags` patterns as for `auth`.",
    example: ["verifyWebhookSignature", "PartnerSignature.Verify"],
    entry: NAME_OR_PATTERN,
    // `configured` lets an adapter skip looking for calls of them in a code base that names none.
    resolve: (entries: readonly NameOrPattern[]) =>
      Object.assign(nameMatcher(entries), { configured: entries.length > 0 }),
  }),
  ownerFields: setting({
    meaning:
      "Fields that tie a record to its owner or tenant, besides the built-in `ownerId`, `userId`, `tenantId`, `orgId`, `organizationId`, `accountId`, `workspaceId`, `teamId`, `companyId`, `customerId`, `createdBy`, `authorId`, `buyerId`. AP103 counts a query condition on one of them as a scope unless its value comes from the client. Names match without regard to case; `/regex/flags` patterns as for `auth`.",
    example: ["practiceId", "/^household/i"],
    entry: NAME_OR_PATTERN,
    resolve: (entries: readonly NameOrPattern[]) => withDefaultNames(DEFAULT_OWNER_FIELDS, entries),
  }),
  scopedEntities: setting({
    meaning:
      "Models, entities or tables that every query is scoped to the caller's tenant by a mechanism the code of the query does not show (a Prisma client extension, a row-level security policy, a query filter in a library). AP103 does not report their data accesses. Names as the code writes the entity (`Invoice`, `invoice`, `Invoices`), matched without regard to case; `/regex/flags` patterns as for `auth`.",
    example: ["Invoice", "/^Tenant/"],
    entry: NAME_OR_PATTERN,
    resolve: nameMatcher,
  }),
  ownershipChecks: setting({
    meaning:
      "Your own helpers that check that the caller may use a record, besides the built-in forms (`IAuthorizationService.AuthorizeAsync`, CASL `ability.can` / `ForbiddenError.from(ability).throwUnlessCan`, and helpers named `assert…Owner`, `authorize…`, `can…` that deny). AP103 counts a call of one that takes the record or its id before the record is returned or changed. Names and `/regex/flags` patterns as for `auth`.",
    example: ["assertInvoiceAccess", "/^ensure\\w*Access$/"],
    entry: NAME_OR_PATTERN,
    resolve: nameMatcher,
  }),
  auditLoggers: setting({
    meaning:
      "Your own audit loggers, audit services and audit tables, besides the built-in forms (a logger call that carries the caller's identity, a service or table named for audit, an event published with the caller). AP107 counts a state-changing handler that calls one, itself or through a function it calls, or that writes to a table, model or entity of that name, as recording an audit event. An entry matches a call whose path ends with it or the object it is called on, without regard to case (`journal` matches `this.journal.note(…)`, `ChangeJournal.Write` matches `_history.ChangeJournal.Write(…)`); `/regex/flags` patterns as for `auth`.",
    example: ["journal", "ChangeJournal.Write"],
    entry: NAME_OR_PATTERN,
    // `configured` lets an adapter skip looking for calls of them in a code base that names none.
    resolve: (entries: readonly NameOrPattern[]) =>
      Object.assign(nameMatcher(entries), { configured: entries.length > 0 }),
  }),
  openapi: setting({
    meaning:
      "The OpenAPI 3.x or Swagger 2.0 documents (YAML or JSON) that describe the API. AP105 reports every route the code serves that none of them declares, and reports nothing while this key is unset. A relative path is read from the project folder of the linted file (the folder of its nearest `package.json`, or `.csproj` for C#), so one entry serves every service of a repository that keeps its document in the same place; a file outside any project reads it from ESLint's working directory.",
    example: ["openapi.yaml"],
    entry: DOCUMENT_PATH,
    single: true,
    resolve: (paths: readonly string[]): readonly string[] => paths,
  }),
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each spec's input type differs
} satisfies { [K in keyof Required<ApiPostureSettings>]: SettingSpec<any, unknown> };

export type ResolvedSettings = ResolvedOf<typeof SETTINGS>;

/** Fields that tie a record to its owner or tenant, whatever the settings say. */
export const DEFAULT_OWNER_FIELDS: readonly string[] = [
  "ownerId",
  "owner",
  "userId",
  "user",
  "tenantId",
  "tenant",
  "orgId",
  "organizationId",
  "organisationId",
  "accountId",
  "workspaceId",
  "teamId",
  "companyId",
  "customerId",
  "createdBy",
  "createdById",
  "authorId",
  "buyerId",
];

function withDefaultNames(defaults: readonly string[], entries: readonly NameOrPattern[]): NameMatcher {
  const names = new Set(defaults.map((d) => d.toLowerCase().replace(/_/g, "")));
  const configured = nameMatcher(entries);
  return (name) => names.has(name.toLowerCase().replace(/_/g, "")) || configured(name);
}

function nameMatcher(entries: readonly NameOrPattern[]): NameMatcher {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const entry of entries) {
    if ("pattern" in entry) patterns.push(entry.pattern);
    else exact.add(entry.name.toLowerCase());
  }
  return (name) => exact.has(name.toLowerCase()) || patterns.some((p) => p.test(name));
}

/** `/webhooks/**` style patterns: `*` one segment, `**` any number of segments. */
export function pathPatternMatcher(patterns: readonly unknown[] | undefined): (path: string) => boolean {
  const regexes = (patterns ?? [])
    .filter((p): p is string => typeof p === "string" && p.length > 0)
    .map((p) => {
      const body = normalisePath(p)
        .split(/(\*\*|\*)/)
        .map((part) => (part === "**" ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
        .join("");
      return new RegExp(`^${body}/?$`, "i");
    });
  return (path) => {
    const p = normalisePath(path);
    return regexes.some((r) => r.test(p));
  };
}

function normalisePath(path: string): string {
  const withSlash = path.startsWith("/") ? path : `/${path}`;
  return withSlash.length > 1 ? withSlash.replace(/\/+$/, "") : withSlash;
}

// ---------------------------------------------------------------------------------
// Resolution, once per settings object.
// ---------------------------------------------------------------------------------

/** The user's `settings["api-posture"]` checked against SETTINGS: the values, or the error. */
export function checkSettings(raw: unknown): ResolvedSettings {
  const result = validateSettings(SETTINGS, raw);
  if (!result.ok) throw new ApiPostureSettingsError(result.problems);
  const keys = Object.keys(SETTINGS) as Array<keyof typeof SETTINGS>;
  return Object.fromEntries(
    keys.map((key) => [key, (SETTINGS[key].resolve as (values: readonly unknown[]) => unknown)(result.values[key])]),
  ) as ResolvedSettings;
}

const NAMESPACE = "api-posture";
const cache = new WeakMap<object, ResolvedSettings | ApiPostureSettingsError>();
const NONE = checkSettings(undefined);

/**
 * The rules' view of `settings["api-posture"]`, validated once per object (ESLint hands
 * every rule of every file that shares a config the same one). Throws
 * ApiPostureSettingsError when the user's settings are wrong.
 */
export function resolveSettings(settings: Record<string, unknown> | undefined): ResolvedSettings {
  const misnamed = misnamedNamespace(settings);
  if (misnamed)
    throw new ApiPostureSettingsError([`Unknown key "${misnamed}" in settings; did you mean "api-posture"?`]);
  const raw = settings?.[NAMESPACE];
  if (raw === undefined) return NONE;
  if (typeof raw !== "object" || raw === null) return checkSettings(raw);
  let resolved = cache.get(raw);
  if (!resolved) {
    try {
      resolved = checkSettings(raw);
    } catch (error) {
      if (!(error instanceof ApiPostureSettingsError)) throw error;
      resolved = error;
    }
    cache.set(raw, resolved);
  }
  // A fresh error each time: ESLint appends the file and rule to the message it catches.
  if (resolved instanceof ApiPostureSettingsError) throw new ApiPostureSettingsError(resolved.problems);
  return resolved;
}

/**
 * `settings.apiPosture`, `settings.api_posture`, `settings["api-postures"]`: the plugin's
 * settings under a name it never reads. Other plugins' keys are theirs and not looked at.
 */
function misnamedNamespace(settings: Record<string, unknown> | undefined): string | undefined {
  if (typeof settings !== "object" || settings === null) return undefined;
  for (const key of Object.keys(settings)) {
    if (key === NAMESPACE || Math.abs(key.length - NAMESPACE.length) > 2) continue;
    if (editDistance(key.toLowerCase().replace(/[^a-z0-9]/g, ""), "apiposture") <= 1) return key;
  }
  return undefined;
}
