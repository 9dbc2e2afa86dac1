/**
 * AP107 require-audit-log: a state-changing handler that writes or deletes through the data
 * layer and records no audit event with the caller's identity.
 *
 * The adapters record, for each endpoint that may change state, what it does that records
 * who changed what (`Endpoint.auditEvents`): log lines, audit service calls and published
 * events in the handler and in the functions it calls, with the values among their
 * arguments that are the caller's, and the project's audit mechanisms (an EF Core SaveChanges
 * interceptor, Audit.NET, a Prisma extension, a TypeORM subscriber, a Mongoose history plugin).
 * The rule reports an endpoint whose data operations write or delete when none of these holds:
 *
 * - it writes an audit record itself (`prisma.auditLog.create(…)`, `_db.AuditLogs.Add(…)`);
 * - an audit service or a mechanism of the project records the change;
 * - a log line or a published event carries a value that is the caller's (`req.user.id`,
 *   `User.FindFirstValue(…)`, an injected current-user service).
 *
 * Left alone: endpoints anyone may call (public ones are AP101's and AP104's question, and a
 * public sign-up has no caller to record yet), endpoints only a provider's signature admits
 * (a webhook: the caller is the provider), and sign-in, sign-out, token refresh, e-mail
 * confirmation and unsubscribe routes, whose writes are session bookkeeping. Other
 * routes that share a public flow's words are judged (a signed-in user's
 * `POST /api/webhooks` that subscribes a URL, an authenticated password change).
 */
import { createRule, type NoOptions } from "../core/create-rule.js";
import type { RuleDescriptor } from "../core/descriptor.js";
import { carriesCaller, mayChangeState, writesAuditRecord } from "../core/facts/audit.js";
import { classifyEndpoint, type AuditEvent, type DataOperation, type Endpoint } from "../core/model.js";
import { publicFlowOfEndpoint } from "./util/endpoints.js";

export const descriptor: RuleDescriptor = {
  id: "AP107",
  name: "require-audit-log",
  title: "State-changing handlers record an audit event with the caller's identity",
  description:
    "A state-changing handler that writes or deletes through the data layer and records no audit event with the caller's identity: no log line that carries who did it, no audit service or audit record, no event published with the caller, no audit mechanism of the project that covers the write.",
  severity: "medium",
  soc2: ["CC7.2", "CC7.3"],
  owasp: [],
  cwe: "CWE-778",
  remediation:
    "Record an audit event for the change that carries the caller's identity (an audit service, a structured log line with the user id, a domain event with the actor), or register a project-wide mechanism such as an EF Core SaveChanges interceptor, Audit.NET or a Prisma extension that does it for every write.",
};

export type Options = NoOptions;

export type MessageIds = "noAuditEvent";

/** Public flows whose writes keep a session or a pending confirmation, not the data an auditor samples. */
const SESSION_FLOWS: ReadonlySet<string> = new Set([
  "sign-in",
  "sign-out",
  "token refresh",
  "e-mail confirmation",
  "unsubscribe link",
  "health check",
]);

const VERBS: Record<Exclude<DataOperation["kind"], "read">, string> = { write: "writes", delete: "deletes" };

/** Whether only a provider's signature admits the endpoint: the caller is a provider, not a user. */
function signedOnly(endpoint: Endpoint): boolean {
  return endpoint.protections.length > 0 && endpoint.protections.every((p) => p.kind === "signature");
}

/** The first write the endpoint's audit events do not cover; undefined when they cover every one. */
function uncoveredWrite(endpoint: Endpoint, events: readonly AuditEvent[]): DataOperation | undefined {
  const counted = events.filter(carriesCaller);
  if (counted.some((e) => e.entities === undefined)) return undefined;
  const covered = new Set(counted.flatMap((e) => e.entities ?? []).map((entity) => entity.toLowerCase()));
  return endpoint.dataOperations.find(
    (op) => op.kind !== "read" && !(op.entity !== undefined && covered.has(op.entity.toLowerCase())),
  );
}

/** `Invoice (prisma.invoice.update(…))`, `through the data layer (_db.SaveChangesAsync())`, with the calls that lead there. */
function describeWrite(op: DataOperation): string {
  const entity = op.entity !== undefined ? op.entity.charAt(0).toUpperCase() + op.entity.slice(1) : undefined;
  const through = op.through?.length ? `in ${op.through.map((s) => s.function).join(" → ")}: ` : "";
  return `${entity ?? "through the data layer"} (${through}${op.call})`;
}

/** What the endpoint logs or publishes without the caller, to say why it does not count. */
function uncountedNote(events: readonly AuditEvent[]): string {
  const uncounted = events.find((e) => !carriesCaller(e) && e.file === undefined);
  if (!uncounted) return "";
  const what = uncounted.kind === "domain-event" ? "publishes" : "logs";
  return `; \`${uncounted.name}\` on line ${uncounted.loc.start.line} ${what} no value that is the caller's`;
}

export default createRule<Options, MessageIds>({
  descriptor,
  meta: {
    type: "problem",
    messages: {
      noAuditEvent:
        "{{method}} {{path}}{{handler}} {{verb}} {{write}} and records no audit event with the caller's identity{{note}}.",
    },
    schema: [{ type: "object", properties: {}, additionalProperties: false }],
    defaultOptions: [{}],
  },
  skipsTestFiles: true,
  recommended: false,
  create(context) {
    const names = context.settings.auditLoggers;
    for (const endpoint of context.model.endpoints) {
      if (!mayChangeState(endpoint)) continue;
      if (classifyEndpoint(endpoint) === "public" || endpoint.anonymous.length > 0 || signedOnly(endpoint)) continue;
      if (endpoint.dataOperations.some((op) => writesAuditRecord(op, names))) continue;
      const events = endpoint.auditEvents ?? [];
      const write = uncoveredWrite(endpoint, events);
      if (!write || write.kind === "read") continue;
      const flow = publicFlowOfEndpoint(endpoint, context.model.endpoints);
      if (flow !== undefined && SESSION_FLOWS.has(flow)) continue;
      context.report({
        loc: endpoint.loc,
        messageId: "noAuditEvent",
        data: {
          method: endpoint.methods.join(", "),
          path: endpoint.path,
          handler: endpoint.handler ? ` (${endpoint.handler})` : "",
          verb: VERBS[write.kind],
          write: describeWrite(write),
          note: uncountedNote(events),
        },
        remedy:
          "record the change with the caller's identity: log it with the user's id, call your audit service, or audit the data layer with an interceptor (name your own audit helpers in settings auditLoggers).",
      });
    }
  },
});
