/**
 * Applies what other files of the project say to the endpoints of the file being
 * linted:
 *  - exposure: an endpoint whose router is exported gets the prefix and the protections
 *    of every place the project attaches that export, up to the app; a router attached
 *    in several places is as exposed as its least protected attachment, as within one
 *    file;
 *  - references: guards, middleware, decorators, wrappers and attributes defined in
 *    another file count for what they do there; base classes bring their markers;
 *  - app-wide protections (global guards, fallback policies, route middleware) cover
 *    the endpoints of their framework and paths;
 *  - app-wide route layouts (a global prefix, URI versioning) put their segments in
 *    front of the paths of their framework's endpoints; a route template of a base class
 *    goes in front of the paths of the controllers deriving from it;
 *  - data flow: what middleware of other files puts into the request before the handler
 *    runs (request-writes.ts); the operations a handler's calls lead to in other files join its own
 *    (flow.ts), and the data scopes the project declares once (an EF Core query filter)
 *    cover the operations on their entities (scopes.ts);
 *  - audit mechanisms of other files (an EF Core interceptor, a Prisma extension) record
 *    the writes of the endpoints (audit.ts).
 */
import * as path from "node:path";
import type { Endpoint, FileModel, HttpMethod, Protection, Reference } from "../model.js";
import { formatRoutePath, routePath } from "../model.js";
import { FlowLinker } from "./flow.js";
import { applyDataScopes } from "./scopes.js";
import { applyProjectAudits } from "./audit.js";
import { applyRequestWriters, type MountedWrites } from "./request-writes.js";
import type { ProjectIndex } from "./index.js";
import type { AppWideProtection, AppWideRoutes, Attachment, Exposure, MarkerEffect, TypeSummary } from "./summary.js";

/** Files followed up from an endpoint's file: routers mounted in routers … in other files. */
const MAX_DEPTH = 16;
/** Attachment chains looked at per endpoint; the first ones decide in real code. */
const MAX_CHAINS = 64;
/** Base classes followed up a chain across files. */
const MAX_BASES = 16;

interface Chain {
  prefix: string[];
  protections: Protection[];
  /** The attachment nearest to the app, for messages. */
  mountedAt: { file: string; line: number } | undefined;
  /** What the mounts put into the request in front of the routes (AP103). */
  writes: MountedWrites;
}

/** Applies the project's facts to the endpoints of `model` (in place). */
export function linkEndpoints(model: FileModel, index: ProjectIndex, settings: unknown): void {
  const chainsByExposure = new Map<string, Chain[]>();
  const appWide = appWideProtections(index, settings, model.filename);
  const layouts = routeLayouts(index, settings, model.filename);
  const flows = new FlowLinker(index, settings);
  for (const endpoint of model.endpoints) {
    let chains: Chain[] = [];
    if (endpoint.exposure) {
      const key = exposureKey(model.filename, endpoint.exposure);
      let known = chainsByExposure.get(key);
      if (!known) {
        known = chainsOf(index, settings, model.filename, endpoint.exposure, new Set([key]), { left: MAX_CHAINS });
        chainsByExposure.set(key, known);
      }
      chains = known;
    }
    applyRequestWriters(
      endpoint,
      model.filename,
      index,
      settings,
      chains.map((c) => c.writes),
    );
    flows.link(endpoint, model.filename);
    if (chains.length > 0) applyChain(endpoint, chains.find((c) => c.protections.length === 0) ?? chains[0]);
    for (const reference of endpoint.references ?? [])
      applyReference(endpoint, reference, model.filename, index, settings);
    for (const imported of endpoint.importedFunctions ?? []) {
      if (imported.role === "handler") continue;
      const reference: Reference = { ...imported, role: "marker", source: "route" };
      applyReference(endpoint, reference, model.filename, index, settings);
    }
    for (const unresolved of endpoint.unresolved ?? []) {
      if (unresolved.kind === "base-class") continue;
      const reference: Reference = { ...unresolved, export: unresolved.name, role: "marker" };
      applyReference(endpoint, reference, model.filename, index, settings);
    }
    // A fallback policy applies to what nothing else protects, as ASP.NET Core applies it: after the rest.
    for (const rule of appWide) if (!rule.fallback) applyAppWide(endpoint, rule);
    for (const rule of appWide) if (rule.fallback) applyAppWide(endpoint, rule);
    for (const layout of layouts) applyLayout(endpoint, layout);
  }
  applyDataScopes(model, index, settings);
  applyProjectAudits(model, index, settings);
}

function applyChain(endpoint: Endpoint, chain: Chain): void {
  endpoint.route = { segments: [...chain.prefix, ...endpoint.route.segments] };
  if (chain.prefix.length > 0) endpoint.path = joinText(chain.prefix, endpoint.path);
  endpoint.protections = [...endpoint.protections, ...chain.protections];
  if (chain.mountedAt) endpoint.mountedAt = chain.mountedAt;
}

/** `api`, `v1` + `/orders/:id` → `/api/v1/orders/:id`; keeps the route's own text as written. */
function joinText(prefix: readonly string[], path: string): string {
  const head = formatRoutePath({ segments: [...prefix] });
  if (path === "/" || path === "") return head;
  return path.startsWith("/") ? head + path : `${head}/${path}`;
}

function exposureKey(file: string, exposure: Exposure): string {
  return `${file}\0${exposure.export}\0${exposure.param ?? ""}`;
}

/** Every way from `file`'s exposed receiver up to an app, as prefix + protections. */
function chainsOf(
  index: ProjectIndex,
  settings: unknown,
  file: string,
  exposure: Exposure,
  seen: Set<string>,
  budget: { left: number },
): Chain[] {
  const chains: Chain[] = [];
  if (seen.size > MAX_DEPTH) return chains;
  for (const dependent of index.dependents(file)) {
    const summary = index.summary(dependent, settings);
    if (!summary) continue;
    for (const attachment of summary.attachments) {
      if (budget.left <= 0) return chains;
      const sameExport =
        exposure.export === "*" || (attachment.export === exposure.export && attachment.param === exposure.param);
      if (!sameExport) continue;
      if (index.resolve(attachment.module, dependent) !== file) continue;
      budget.left--;
      const here: Chain = {
        prefix: attachment.prefix,
        protections: attachment.protections,
        mountedAt: attachment.registration ? undefined : { file: dependent, line: attachment.loc.start.line },
        writes: mountedWrites(index, dependent, attachment.requestWriters),
      };
      if (!attachment.via) {
        chains.push(here);
        continue;
      }
      const key = exposureKey(dependent, attachment.via);
      if (seen.has(key)) continue;
      const above = chainsOf(index, settings, dependent, attachment.via, new Set([...seen, key]), budget);
      // A receiver exposed but attached nowhere above still carries what this file gives it.
      if (above.length === 0) chains.push(here);
      for (const up of above) {
        chains.push({
          prefix: [...up.prefix, ...here.prefix],
          protections: [...here.protections, ...up.protections],
          mountedAt: up.mountedAt ?? here.mountedAt,
          writes: {
            assigned: [...here.writes.assigned, ...up.writes.assigned],
            middleware: [...here.writes.middleware, ...up.writes.middleware],
          },
        });
      }
    }
  }
  return chains;
}

/** What an attachment puts into the request, its middleware named by file. */
function mountedWrites(index: ProjectIndex, file: string, writers: Attachment["requestWriters"]): MountedWrites {
  const middleware: MountedWrites["middleware"] = [];
  for (const m of writers?.middleware ?? []) {
    const target = index.resolve(m.module, file);
    if (target) middleware.push({ file: target, export: m.export });
  }
  return { assigned: writers?.assigned ?? [], middleware };
}

// ------------------------------------------------------------------------------ references

function applyReference(
  endpoint: Endpoint,
  reference: Reference,
  filename: string,
  index: ProjectIndex,
  settings: unknown,
): void {
  if (reference.role === "base" && reference.type !== undefined) {
    applyBases(endpoint, [reference.type], index, settings);
    return;
  }
  if (reference.role === "partial") {
    if (reference.type !== undefined) applyPartialParts(endpoint, reference.type, filename, index, settings);
    return;
  }
  const effect = markerEffect(reference, filename, index, settings);
  if (!effect) return;
  if (effect.effect === "protection") {
    if (endpoint.protections.some((p) => p.loc === reference.loc)) return;
    endpoint.protections.push({
      name: reference.name,
      source: reference.source,
      loc: reference.loc,
      ...(effect.requirement ? { requirement: effect.requirement } : {}),
    });
  } else if (effect.effect === "anonymous") {
    endpoint.anonymous.push({ name: reference.name, source: reference.source, loc: reference.loc });
  }
}

/** What a marker defined in another file does, from that file's summary (following `via` a few files on). */
function markerEffect(
  reference: Reference,
  filename: string,
  index: ProjectIndex,
  settings: unknown,
  depth = 0,
): MarkerEffect | undefined {
  if (reference.module !== undefined && reference.export !== undefined) {
    const file = index.resolve(reference.module, filename);
    if (!file) return undefined;
    const found = index.summary(file, settings)?.markers?.find((m) => m.export === reference.export);
    if (found?.via && depth < MAX_DEPTH)
      return markerEffect({ ...reference, ...found.via }, file, index, settings, depth + 1);
    return found;
  }
  if (reference.type !== undefined) {
    for (const file of declaringFiles(index, reference.type)) {
      const type = reference.type;
      const found = index
        .summary(file, settings)
        ?.markers?.find((m) => m.type === type || m.type === `${type}Attribute`);
      if (found) return found;
    }
  }
  return undefined;
}

/** Files declaring `Name`, or `NameAttribute` for an attribute written without its suffix. */
function declaringFiles(index: ProjectIndex, type: string): string[] {
  return [...index.declaring(type), ...(type.endsWith("Attribute") ? [] : index.declaring(`${type}Attribute`))];
}

/**
 * The parts of a C# partial class declared in other files: their attributes count as the
 * class's own (`[Authorize]` on one part covers the actions of every part), the nearest
 * `[Route]` goes in front of actions that have no controller template, and their bases
 * bring their markers as bases do.
 */
function applyPartialParts(
  endpoint: Endpoint,
  name: string,
  filename: string,
  index: ProjectIndex,
  settings: unknown,
): void {
  const bases: string[] = [];
  let parts = 0;
  for (const file of index.declaring(name)) {
    if (file === filename) continue;
    const type = index.summary(file, settings)?.types?.find((t) => t.name === name);
    if (!type) continue;
    for (const p of type.protections) endpoint.protections.push({ ...p, source: "class", file });
    for (const a of type.anonymous) endpoint.anonymous.push({ ...a, source: "class", file });
    if (type.routes && type.routes.length > 0) applyInheritedRoute(endpoint, type.routes[0]);
    bases.push(...type.bases);
    if (++parts >= MAX_BASES) break;
  }
  if (bases.length > 0) applyBases(endpoint, bases, index, settings);
}

/** The markers of base classes declared in other files, up the chain, and the route template of the nearest one that has one. */
function applyBases(endpoint: Endpoint, start: string[], index: ProjectIndex, settings: unknown): void {
  const seen = new Set<string>();
  let pending = start;
  for (let depth = 0; depth < MAX_BASES && pending.length > 0; depth++) {
    const next: string[] = [];
    for (const name of pending) {
      if (seen.has(name)) continue;
      seen.add(name);
      const found = findType(index, settings, name);
      if (!found) continue;
      const { type, file } = found;
      for (const p of type.protections) endpoint.protections.push({ ...p, source: "base-class", file });
      for (const a of type.anonymous) endpoint.anonymous.push({ ...a, source: "base-class", file });
      if (type.routes && type.routes.length > 0) applyInheritedRoute(endpoint, type.routes[0]);
      next.push(...type.bases);
    }
    pending = next;
  }
}

/** Endpoints that took a controller template from another file: the nearest one (a part of the class itself, then the nearest base) wins. */
const routedEndpoints = new WeakSet<Endpoint>();

/** `api/[controller]` with `controller` = `Orders`, in front of `/{id}` → `/api/Orders/{id}`. */
function applyInheritedRoute(endpoint: Endpoint, template: string): void {
  const inherited = endpoint.inheritedRoute;
  if (!inherited || routedEndpoints.has(endpoint)) return;
  routedEndpoints.add(endpoint);
  const filled = template.replace(
    /\[(\w+)\]/g,
    (whole, token: string) => inherited.tokens[token.toLowerCase()] ?? whole,
  );
  const route = routePath(`${filled.replace(/^~(?=\/)/, "")}/${inherited.path}`);
  endpoint.route = route;
  endpoint.path = formatRoutePath(route);
}

function findType(
  index: ProjectIndex,
  settings: unknown,
  name: string,
): { type: TypeSummary; file: string } | undefined {
  for (const file of index.declaring(name)) {
    const type = index.summary(file, settings)?.types?.find((t) => t.name === name);
    if (type) return { type, file };
  }
  return undefined;
}

// ------------------------------------------------------------------------------ app-wide

/** What the project's other files register for the whole app (the adapter applied the file's own). */
function appWideProtections(index: ProjectIndex, settings: unknown, filename: string): AppWideProtection[] {
  const rules: AppWideProtection[] = [];
  for (const file of index.appWideFiles()) {
    if (file === filename) continue;
    for (const rule of index.summary(file, settings)?.appWide ?? []) {
      if (rule.reference) {
        const reference: Reference = {
          name: rule.protection.name,
          ...rule.reference,
          role: "marker",
          source: "global",
          loc: rule.protection.loc,
        };
        const effect = markerEffect(reference, file, index, settings);
        if (effect?.effect !== "protection") continue;
      }
      rules.push({ ...rule, protection: { ...rule.protection, file } });
    }
  }
  return rules;
}

function applyAppWide(endpoint: Endpoint, rule: AppWideProtection): void {
  if (!rule.frameworks.includes(endpoint.framework)) return;
  if (rule.honoursAnonymous && endpoint.anonymous.length > 0) return;
  if (rule.fallback && (endpoint.protections.length > 0 || endpoint.anonymous.length > 0)) return;
  if (rule.paths && !rule.paths.some((pattern) => matcherCovers(pattern, endpoint.route.segments))) return;
  endpoint.protections.push(rule.protection);
}

/**
 * Does a path-to-regexp style matcher (`/api/:path*`, `/dashboard/(.*)`,
 * `/((?!_next|favicon.ico).*)`) cover a route? Route parameters are tried as a plain
 * segment. A matcher that is not a valid pattern covers nothing.
 */
export function matcherCovers(pattern: string, segments: readonly string[]): boolean {
  const path = `/${segments.map((s) => (/^[:{[]/.test(s) ? "x" : s.replace(/\?.*$/, ""))).join("/")}`;
  const source = pattern
    .replace(/\/:\w+\*/g, "(?:/.*)?")
    .replace(/:\w+\+/g, ".+")
    .replace(/:\w+\?/g, "[^/]*")
    .replace(/:\w+/g, "[^/]+");
  try {
    return new RegExp(`^${source}/?$`).test(path);
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------------------ route layouts

/** A route layout with its prefix read: from the registering file, or from the configuration value it names. */
interface Layout {
  frameworks: string[];
  prefix: string[];
  exclude: { path: string; methods?: HttpMethod[] }[];
  versioning?: { prefix: string; defaultVersion?: string };
}

/**
 * The route layouts that govern a file: those of the registering files nearest above it
 * (the `main.ts` of its app, in a repository with several apps), or of the only one.
 */
function routeLayouts(index: ProjectIndex, settings: unknown, filename: string): Layout[] {
  const registered: { dir: string; routes: AppWideRoutes[] }[] = [];
  for (const file of index.appWideFiles()) {
    const routes = index.summary(file, settings)?.appRoutes;
    if (routes && routes.length > 0) registered.push({ dir: path.dirname(file) + path.sep, routes });
  }
  const above = registered.filter((r) => filename.startsWith(r.dir));
  const nearest = Math.max(...above.map((r) => r.dir.length));
  const governing =
    above.length > 0 ? above.filter((r) => r.dir.length === nearest) : registered.length === 1 ? registered : [];
  return governing.flatMap((r) =>
    r.routes.map((routes) => ({
      frameworks: routes.frameworks,
      prefix: prefixOf(routes, index, settings),
      exclude: routes.exclude ?? [],
      ...(routes.versioning ? { versioning: routes.versioning } : {}),
    })),
  );
}

function prefixOf(routes: AppWideRoutes, index: ProjectIndex, settings: unknown): string[] {
  const prefix = routes.prefix;
  if (!prefix) return [];
  if ("segments" in prefix) return prefix.segments;
  const value = configValue(index, settings, prefix.config);
  return value === undefined ? [] : routePath(value).segments;
}

/** A configuration value by its key (`app.apiPrefix`), from the file that registers its namespace (`app`). */
function configValue(index: ProjectIndex, settings: unknown, key: string): string | undefined {
  const namespace = key.split(".")[0];
  for (const file of index.declaring(`config:${namespace}`)) {
    const found = index.summary(file, settings)?.configValues?.find((v) => v.key === key);
    if (found) return found.value;
  }
  return undefined;
}

/** Prefix, then version, in front of the route: `/api/v1/auth/login`; an excluded route keeps no prefix. */
function applyLayout(endpoint: Endpoint, layout: Layout): void {
  if (!layout.frameworks.includes(endpoint.framework)) return;
  const own = endpoint.route.segments;
  const versioning = layout.versioning;
  const version = versioning ? (endpoint.versions ? endpoint.versions[0] : versioning.defaultVersion) : undefined;
  const excluded = layout.exclude.some(
    (e) =>
      (!e.methods || endpoint.methods.every((m) => e.methods!.includes(m))) &&
      matcherCovers(excludePattern(e.path), own),
  );
  const head = [
    ...(excluded ? [] : layout.prefix),
    ...(version !== undefined ? [`${versioning!.prefix}${version}`] : []),
  ];
  if (head.length === 0) return;
  endpoint.route = { segments: [...head, ...own] };
  endpoint.path = joinText(head, endpoint.path);
}

/** `health`, `cats/*splat`, `cats/{*path}` → `/health`, `/cats/(.*)`: an exclusion as a matcher. */
function excludePattern(written: string): string {
  const pattern = written.replace(/\{\/?\*\w*\}|\*\w*/g, "(.*)");
  return pattern.startsWith("/") ? pattern : `/${pattern}`;
}
