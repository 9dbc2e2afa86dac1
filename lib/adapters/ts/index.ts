/**
 * The TS/JS adapter: one walk over the file collects the facts every library and
 * concern asked for, then each library that applies turns them into endpoints with
 * their protections and data operations, and the concerns collect the rest.
 */
import type { TSESTree } from "@typescript-eslint/types";
import type { Endpoint, ExternalMount, FileModel, GlobalGuard, RouteMiddleware } from "../../core/model.js";
import type { FileSummary } from "../../core/project/summary.js";
import type { ResolvedSettings } from "../../core/settings.js";
import { isDenySignal } from "./concerns/auth-middleware.js";
import { DATA_CALL_NAMES } from "./concerns/data-layer.js";
import { RECORD_ACCESS_NODE_TYPES } from "./concerns/record-access.js";
import { libraries } from "./libraries/index.js";
import type { TsFile } from "./libraries/library.js";
import { collectFacts, type FileFacts, type WalkInterests } from "./facts.js";
import { addTsAuthFixes as addAuthFixes } from "./concerns/auth-fixes.js";
import type { ProjectIndex } from "../../core/project/index.js";
import { collectLiterals, LITERAL_NODE_TYPES } from "./concerns/literals.js";
import { collectEqualityChecks, COMPARISON_NODE_TYPES } from "./concerns/comparisons.js";
import { mayNamePassword } from "../../core/facts/passwords.js";
import { collectJwtFacts, JWT_NODE_TYPES, jwtNeedsParents } from "./concerns/jwt.js";
import { collectCorsPolicies, CORS_NODE_TYPES, corsNeedsParents } from "./concerns/cors.js";
import { functionFlows, reexports } from "./concerns/flows.js";
import { PASSWORD_KEYS, REQUEST_CHECK_NODE_TYPES, requestChecks } from "./concerns/request-checks.js";
import { AUDIT_NODE_TYPES, auditEvents } from "./concerns/audit-events.js";
import { REQUEST_WRITE_NODE_TYPES } from "./concerns/request-writes.js";
import { applyAuditMechanisms } from "../../core/facts/audit.js";

/** The parts of ESLint's SourceCode the adapter reads (espree's tree for .js files has the same shape). */
export interface TsSourceCodeLike {
  ast: TSESTree.Program;
  text: string;
  visitorKeys?: { readonly [type: string]: readonly string[] | undefined };
}

let interests: WalkInterests | undefined;

/** What the walk collects for the libraries and concerns, put together on first use (see libraries()). */
function walkInterests(): WalkInterests {
  if (interests) return interests;
  const denySignals = libraries().flatMap((library) => (library.denySignal ? [library.denySignal] : []));
  interests = {
    memberCallNames: new Set(libraries().flatMap((library) => [...(library.memberCalls ?? [])])),
    dataCallNames: DATA_CALL_NAMES,
    isDenySignal: (node) => isDenySignal(node) || denySignals.some((denies) => denies(node)),
    nodeTypes: new Set([
      ...LITERAL_NODE_TYPES,
      ...COMPARISON_NODE_TYPES,
      ...JWT_NODE_TYPES,
      ...CORS_NODE_TYPES,
      ...RECORD_ACCESS_NODE_TYPES,
      ...REQUEST_CHECK_NODE_TYPES,
      ...AUDIT_NODE_TYPES,
      ...REQUEST_WRITE_NODE_TYPES,
      ...libraries().flatMap((library) => [...(library.nodeTypes ?? [])]),
    ]),
    keepParents: (text) => jwtNeedsParents(text) || corsNeedsParents(text),
    keyNames: PASSWORD_KEYS,
  };
  return interests;
}

/** The walk's facts of each model built, for the fixes worked out once the project's facts are applied. */
const factsOfModel = new WeakMap<FileModel, { facts: FileFacts; settings: ResolvedSettings }>();

export function buildTsModel(sourceCode: TsSourceCodeLike, settings: ResolvedSettings, filename: string): FileModel {
  const facts = collectFacts(sourceCode, walkInterests());
  const file: TsFile = { facts, settings, filename };
  const globalGuards = libraryGlobalGuards(file);
  const routeMiddleware = libraryRouteMiddleware(file);
  const model: FileModel = {
    language: "ts",
    filename,
    endpoints: libraryEndpoints(file),
    mounts: libraryMounts(file),
    literals: collectLiterals(facts),
    equalityChecks: mayNamePassword(sourceCode.text) ? collectEqualityChecks(facts) : [],
    jwt: collectJwtFacts(facts),
    cors: collectCorsPolicies(facts),
    ...(globalGuards.length > 0 ? { globalGuards } : {}),
    ...(routeMiddleware ? { routeMiddleware } : {}),
  };
  if (model.endpoints.length > 0) factsOfModel.set(model, { facts, settings });
  // The file's own audit mechanisms record its endpoints' writes; the project index applies other files' (AP107).
  if (model.endpoints.length > 0) applyAuditMechanisms(model.endpoints, auditEvents(facts, settings).mechanisms());
  return model;
}

/**
 * Adds `authFixes` to the endpoints of a model `buildTsModel` built that nothing protects,
 * after the project's facts were applied (concerns/auth-fixes.ts).
 */
export function addTsAuthFixes(model: FileModel, index: ProjectIndex | undefined, rawSettings: unknown): void {
  const built = factsOfModel.get(model);
  if (built) addAuthFixes(built.facts, model, built.settings, index, rawSettings);
}

function libraryGlobalGuards(file: TsFile): GlobalGuard[] {
  const guards: GlobalGuard[] = [];
  for (const library of libraries()) {
    if (!library.globalGuards || (library.applies && !library.applies(file))) continue;
    guards.push(...library.globalGuards(file));
  }
  return guards;
}

function libraryRouteMiddleware(file: TsFile): RouteMiddleware | undefined {
  for (const library of libraries()) {
    if (!library.routeMiddleware || (library.applies && !library.applies(file))) continue;
    const middleware = library.routeMiddleware(file);
    if (middleware) return middleware;
  }
  return undefined;
}

function libraryEndpoints(file: TsFile): Endpoint[] {
  const endpoints: Endpoint[] = [];
  for (const library of libraries()) {
    if (!library.endpoints || (library.applies && !library.applies(file))) continue;
    for (const endpoint of library.endpoints(file)) {
      // A library that mounts what other files export says nothing finer of its own: any
      // export of this file that another file mounts carries its endpoints.
      if (library.mounts && !endpoint.exposure) endpoint.exposure = { export: "*" };
      endpoints.push(endpoint);
    }
  }
  return endpoints;
}

/** What other files of the project need to know of this one: the libraries' summaries, merged. */
export function summarizeTsFile(
  sourceCode: TsSourceCodeLike,
  settings: ResolvedSettings,
  filename: string,
): FileSummary {
  const facts = collectFacts(sourceCode, walkInterests());
  const file: TsFile = { facts, settings, filename };
  const summary: Required<
    Omit<
      FileSummary,
      "functions" | "reexports" | "scopedEntities" | "audit" | "interceptors" | "requestWrites" | "globalSuppressions"
    >
  > &
    FileSummary = {
    attachments: [],
    markers: [],
    types: [],
    appWide: [],
    appRoutes: [],
    configValues: [],
  };
  for (const library of libraries()) {
    if (!library.summary) continue;
    const part = library.summary(file);
    summary.attachments.push(...part.attachments);
    summary.markers.push(...(part.markers ?? []));
    summary.types.push(...(part.types ?? []));
    summary.appWide.push(...(part.appWide ?? []));
    summary.appRoutes.push(...(part.appRoutes ?? []));
    summary.configValues.push(...(part.configValues ?? []));
    if (part.requestWrites && part.requestWrites.length > 0)
      summary.requestWrites = [...(summary.requestWrites ?? []), ...part.requestWrites];
  }
  // What exported functions and methods do with records, for the handlers in other files that call them.
  const functions = functionFlows(facts, settings);
  if (functions.length > 0) summary.functions = functions;
  const taken = reexports(facts);
  if (taken.length > 0) summary.reexports = taken;
  // Audit mechanisms (a Prisma extension, a TypeORM subscriber, a Mongoose history plugin) record the project's writes (AP107).
  const audit = auditEvents(facts, settings).mechanisms();
  if (audit.length > 0) summary.audit = audit;
  // Exported functions that verify a request's signature protect the handlers in other files that call them.
  summary.markers.push(...requestChecks(facts, settings).exportedVerifiers());
  // Routers, plugins and sub-apps mounted from other files (Fastify, Koa, Hono): attached to the app.
  for (const mount of libraryMounts(file)) {
    summary.attachments.push({
      module: mount.module,
      export: mount.export,
      prefix: mount.prefix.segments,
      protections: mount.protections.map((p) => ({ ...p, file: filename })),
      loc: mount.loc,
    });
  }
  // Global guards protect every endpoint of their framework in the project, except those marked public.
  for (const guard of libraryGlobalGuards(file)) {
    if (guard.verdict === "other") continue;
    summary.appWide.push({
      protection: {
        name: guard.name,
        source: "global",
        loc: guard.loc,
        ...(guard.requirement ? { requirement: guard.requirement } : {}),
      },
      frameworks: [guard.framework],
      honoursAnonymous: true,
      ...(guard.verdict === "unresolved" && guard.module !== undefined
        ? { reference: { module: guard.module, export: guard.name } }
        : {}),
    });
  }
  return summary;
}

function libraryMounts(file: TsFile): ExternalMount[] {
  const mounts: ExternalMount[] = [];
  for (const library of libraries()) {
    if (!library.mounts || (library.applies && !library.applies(file))) continue;
    mounts.push(...library.mounts(file));
  }
  return mounts;
}
