/**
 * AP107 facts: what counts as recording who changed what. The adapters read calls in their
 * language's syntax and name them with these words; the rule decides from the model which
 * events carry the caller's identity.
 *
 *  - an audit service or audit logger: a call on an object named for audit (`auditService`,
 *    `_audit`, `AuditLogger`, `IAuditTrail`) or a function named so (`recordAudit(…)`), or an
 *    activity log (`activityLog`, `activityService`), or a name the settings give
 *    (`auditLoggers`). It records the caller itself: no argument needs to be the caller's.
 *  - a write to an audit table, model or entity (`prisma.auditLog.create(…)`, `_db.AuditLogs.Add(…)`).
 *  - a logger call at a level production keeps (info, notice, warn; not debug, trace or
 *    error), and a published domain event, when one of its arguments is the caller's identity.
 */
import {
  STATE_CHANGING_METHODS,
  type AuditEvent,
  type CallStep,
  type DataOperation,
  type Endpoint,
  type ValueOrigin,
} from "../model.js";
import type { AuditMechanism } from "../project/summary.js";

/** Words of objects and functions that record audit entries: `auditService`, `AuditLog`, `_audit`, `logAudit`. */
const AUDIT_WORD = /audit/i;
/** An activity log kept for users or auditors: `activityLog`, `activityLogger`, `_activityService`, `ActivityTracker`. */
const ACTIVITY_LOG = /^_?(?:user)?activit(?:y|ies)(?:Log|Logs|Logger|Service|Tracker|Recorder|Journal)$/i;
/** Methods of an audit service that read rather than record: `auditService.findAll()`, `_audit.GetEntriesAsync()`. */
const READ_METHOD =
  /^(?:find|get|list|count|search|query|fetch|load|read|export|paginate|exists|has|is)(?![a-z])|^(?:Find|Get|List|Count|Search|Query|Fetch|Load|Read|Export|Paginate|Exists|Has|Is)(?![a-z])/;
/** Tables, models and entities of an audit trail: `auditLog`, `AuditLogs`, `audit_entries`, `ActivityLog`. */
const AUDIT_ENTITY = /audit/i;
const ACTIVITY_ENTITY = /^(?:user_?)?activit(?:y|ies)_?(?:log|logs|entry|entries|event|events)$/i;

/** What the settings add (`auditLoggers`); `configured` is false when they name nothing. */
export type AuditNames = ((name: string) => boolean) & { configured: boolean };

/**
 * Whether a call records audit entries by its names alone: `path` is the call as written,
 * receiver first (`this.auditService.record` → this, auditService, record; `recordAudit` →
 * recordAudit). Settings entries match the path or a tail of it, or the object it is called on.
 */
export function isAuditCall(path: readonly string[], names: AuditNames): boolean {
  const parts = path.filter((p) => p !== "this" && p !== "base");
  if (parts.length === 0) return false;
  const method = parts[parts.length - 1];
  if (names.configured) {
    for (let i = 0; i < parts.length; i++) {
      if (names(parts.slice(i).join("."))) return true;
      if (i < parts.length - 1 && names(parts.slice(i, -1).join("."))) return true;
    }
  }
  if (READ_METHOD.test(method)) return false;
  if (AUDIT_WORD.test(method)) return true;
  const receiver = parts.length > 1 ? parts[parts.length - 2] : undefined;
  return receiver !== undefined && (AUDIT_WORD.test(receiver) || ACTIVITY_LOG.test(receiver));
}

/** Whether writing to this table, model or entity records an audit entry. */
export function isAuditEntity(entity: string | undefined, names: AuditNames): boolean {
  if (entity === undefined) return false;
  return AUDIT_ENTITY.test(entity) || ACTIVITY_ENTITY.test(entity) || (names.configured && names(entity));
}

/** Whether a data operation writes an audit entry: `prisma.auditLog.create(…)`, `_db.AuditEntries.Add(…)`. */
export function writesAuditRecord(op: DataOperation, names: AuditNames): boolean {
  return op.kind !== "read" && isAuditEntity(op.entity, names);
}

/**
 * Whether an event records the caller's identity: an audit service or a project's audit
 * mechanism records it itself; a log line or a published event must carry a value that is
 * the caller's.
 */
export function carriesCaller(event: AuditEvent): boolean {
  if (event.kind === "audit-service" || event.kind === "data-layer") return true;
  return event.actors?.some((actor) => actor.kind === "principal") ?? false;
}

/**
 * The audit events of a function of another file, as a caller's: `substitute` gives the
 * caller's origin for a parameter origin of the callee (lib/core/project/flow.ts), `step`
 * is the call that leads there, `file` the callee's file. Events whose actors after the
 * substitution include none of the caller's stay, without actors: a rule tells them apart.
 */
export function auditsThrough(
  audits: readonly AuditEvent[],
  substitute: (origin: ValueOrigin) => ValueOrigin,
  step: CallStep,
  file: string,
): AuditEvent[] {
  return audits.map((event) => {
    const actors = (event.actors ?? []).map((actor) => (actor.kind === "parameter" ? substitute(actor) : actor));
    const kept = actors.filter((actor) => actor.kind === "principal" || actor.kind === "parameter");
    return {
      ...event,
      file: event.file ?? file,
      ...(kept.length > 0 ? { actors: kept } : { actors: [] }),
      through: [step, ...(event.through ?? [])],
    };
  });
}

/** Whether an endpoint may change state: a state-changing method, or one that accepts every method. */
export function mayChangeState(endpoint: Pick<Endpoint, "methods">): boolean {
  return endpoint.methods.some((method) => STATE_CHANGING_METHODS.has(method) || method === "ANY");
}

/**
 * The mechanisms that record writes once registered, kept when `registered` holds their
 * type (or `*`, every interceptor the container holds); the others as they are.
 */
export function registeredMechanisms(
  mechanisms: readonly AuditMechanism[],
  registered: ReadonlySet<string>,
): AuditMechanism[] {
  return mechanisms.filter(
    (m) => m.registeredAs === undefined || registered.has("*") || registered.has(m.registeredAs),
  );
}

/** Adds the project's audit mechanisms to the endpoints that may change state (in place); `file` is where they are declared, when not the endpoints' own. */
export function applyAuditMechanisms(
  endpoints: readonly Endpoint[],
  mechanisms: readonly AuditMechanism[],
  file?: string,
): void {
  if (mechanisms.length === 0) return;
  for (const endpoint of endpoints) {
    if (!mayChangeState(endpoint)) continue;
    const events = (endpoint.auditEvents ??= []);
    for (const m of mechanisms)
      events.push({
        kind: "data-layer",
        name: m.name,
        loc: m.loc,
        ...(file !== undefined ? { file } : {}),
        ...(m.entities ? { entities: m.entities } : {}),
      });
  }
}
