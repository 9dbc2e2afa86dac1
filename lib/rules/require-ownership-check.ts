/**
 * AP103 require-ownership-check: a record read, changed or deleted by an id the client
 * sent, with nothing that ties it to the caller (Broken Object Level Authorization).
 *
 * The adapters say, for each data operation of a handler, which conditions select its
 * records and where each condition's value comes from (the client, the authenticated
 * caller, a parameter filled in by the project index), and which ownership checks cover
 * it. The rule reports an operation when a key-like condition (a key's field, or a value
 * the client sends under a key's name) comes from the client and none of these holds:
 *
 * - another condition takes its value from the caller (`where: { id, userId: req.user.id }`),
 *   or an owner / tenant field (`ownerFields`) is constrained to a value not from the client;
 * - the handler compares the loaded record with the caller and denies on mismatch, or an
 *   authorization call covers the record (`ownership`);
 * - the entity is scoped for every query (`scopedEntities`, or a scope the adapter saw);
 * - the route is restricted to administrators (a protection named for them, a role check
 *   whose role the model does not carry, an `/admin/…` path, an `AdminController`): not an
 *   ownership question.
 *
 * An existence check (`count`, `exists`, a read whose result is only tested) tells whether a
 * record exists, not what it holds: not reported.
 *
 * Public routes are left to AP101 and AP104: a record anyone may read by id (a product, a
 * published post) is public by design, and a public write is already reported. For the same
 * reason, a read by a key that a public route of the same file reads the same entity by
 * (`GET /articles/:slug` for everyone, `POST /articles/:slug/comments` reading the article
 * by its slug) is no ownership question, unless the handler changes what it loaded.
 */
import { createRule, type NoOptions } from "../core/create-rule.js";
import type { RuleDescriptor } from "../core/descriptor.js";
import {
  classifyEndpoint,
  type DataOperation,
  type Endpoint,
  type RecordCondition,
  type ValueOrigin,
} from "../core/model.js";
import type { NameMatcher } from "../core/settings.js";

export const descriptor: RuleDescriptor = {
  id: "AP103",
  name: "require-ownership-check",
  title: "Records selected by a client-supplied id require an ownership check",
  description:
    "A record read, updated or deleted by an id that comes from the client (path, query, body) with no owner or tenant condition in the query and no ownership comparison or authorization call before the result is returned or changed.",
  severity: "high",
  soc2: ["CC6.1", "CC6.3"],
  owasp: ["API1:2023 Broken Object Level Authorization"],
  cwe: "CWE-639",
  remediation:
    "Scope the query by the caller (an owner or tenant condition taken from the authenticated principal, a global query filter or a tenant-scoped client), or load the record and deny with 403/404 when it does not belong to the caller, or call the authorization service with the record as the resource.",
};

export type Options = NoOptions;

export type MessageIds = "noOwnershipCheck";

/** A condition that picks records by identity: the primary key, an `id`, or a field named for another record's id (camelCase or, as C# writes them, PascalCase: `slug`, `Slug`). */
const KEY_FIELD =
  /^(?:\(key\)|_?[iI]d|[uU]uid|[gG]uid|[sS]lug|[kK]ey|[cC]ode|[nN]umber|[hH]andle)$|(?:Id|ID|_id|Uuid|UUID|Guid|Key)$/;

/** Protections that make the route an administrator's: ownership does not apply. */
const ADMIN_WORDS =
  /admin|staff|superuser|support|operator|backoffice|root|internal|accounting|accountant|\bagents?\b|\bmoderators?\b/i;

const VERBS: Record<DataOperation["kind"], string> = { read: "read", write: "changed", delete: "deleted" };

/** The client-supplied key condition that selects the operation's records, when nothing scopes them. */
function unscopedClientKey(
  op: DataOperation,
  ownerField: NameMatcher,
  scopedEntity: NameMatcher,
): (RecordCondition & { origin: { kind: "client"; via: string } }) | undefined {
  const selection = op.selection;
  if (!selection?.complete) return undefined;
  // Whether a record exists is not the record: `if (existing) throw …` before taking a slug.
  if (op.existenceOnly) return undefined;
  if (op.ownership && op.ownership.length > 0) return undefined;
  if (op.entity !== undefined && scopedEntity(op.entity)) return undefined;
  let key: (RecordCondition & { origin: { kind: "client"; via: string } }) | undefined;
  for (const condition of selection.conditions) {
    const { origin } = condition;
    if (origin.kind === "principal") return undefined;
    if (ownerField(condition.field) && origin.kind !== "client") return undefined;
    if (!key && isClient(origin) && (KEY_FIELD.test(condition.field) || namesKey(origin.via)))
      key = { ...condition, origin };
  }
  return key;
}

/**
 * A value the client sends under a key's name, whatever field it is matched against:
 * `findOne({ name: req.params.noteId })`, `where: { code: c.req.param("inviteId") }`.
 */
function namesKey(via: string): boolean {
  const last = /(\w+)(?:"\))?$/.exec(via)?.[1];
  return last !== undefined && KEY_FIELD.test(last);
}

function isClient(origin: ValueOrigin): origin is { kind: "client"; via: string } {
  return origin.kind === "client";
}

/** A protection's name that says it checks a role or permission (`requireRole`, `onlyRole`, `hasPermission`). */
const ROLE_GATE = /role|permission/i;

/**
 * A role or permission check whose role the model does not carry: a guard factory
 * (`requireRole("admin")`, `onlyRole("support-lead")`) or a handler's own role test
 * (`if (session.user.role !== "ADMIN") return 403`). Such gates let staff in, not
 * customers; a name that quotes its roles (`[Authorize(Roles = "Customer")]`) says which.
 */
function unknownRoleGate(p: Endpoint["protections"][number]): boolean {
  if (/["'`]/.test(p.name)) return false;
  return p.requirement === "role" || p.requirement === "policy" || ROLE_GATE.test(p.name);
}
/** Path segments of an administrator's API: `/admin/users/:id`, `/internal/jobs/:id`. */
const ADMIN_SEGMENT = /^(?:admin|administration|staff|backoffice|back-office|superadmin|superuser|internal)$/i;

/** Controllers of an administrator's API: `AdminController`, `AdminUsersController`, `BackofficeRoutes`. */
const ADMIN_CONTROLLER = /^(?:Admin|Staff|Backoffice|BackOffice|Superadmin|SuperAdmin|Internal)(?![a-z])/;

/**
 * A route only administrators reach: a protection named for them, whatever requirement the
 * adapter read from it (`requireAdmin`, `isAdmin`, `requireStaff`, `[Authorize(Roles = "Admin")]`);
 * a role gate whose role the model does not carry; a route
 * under an administrator's path (`/admin/…`) or in an administrator's controller.
 */
function restrictedToAdmins(endpoint: Endpoint): boolean {
  if (endpoint.route.segments.some((segment) => ADMIN_SEGMENT.test(segment))) return true;
  const controller = endpoint.handler?.includes(".") ? endpoint.handler.split(".")[0] : undefined;
  if (controller !== undefined && ADMIN_CONTROLLER.test(controller)) return true;
  return endpoint.protections.some((p) => ADMIN_WORDS.test(p.name) || unknownRoleGate(p));
}

export default createRule<Options, MessageIds>({
  descriptor,
  meta: {
    type: "problem",
    messages: {
      noOwnershipCheck:
        "{{entity}} is {{verb}} by {{field}} from {{source}}{{through}} with no owner or tenant condition and no ownership check.",
    },
    schema: [{ type: "object", properties: {}, additionalProperties: false }],
    defaultOptions: [{}],
  },
  skipsTestFiles: true,
  create(context) {
    const { settings } = context;
    const reported = new Set<string>();
    // An explicit anonymous opt-out (`[AllowAnonymous]`, `@Public()`) makes the route public too.
    const isPublic = (endpoint: Endpoint): boolean =>
      classifyEndpoint(endpoint) === "public" || endpoint.anonymous.length > 0;
    const publicReads = new Set<string>();
    for (const endpoint of context.model.endpoints) {
      if (!isPublic(endpoint)) continue;
      for (const op of endpoint.dataOperations) {
        const key =
          op.kind === "read" ? unscopedClientKey(op, settings.ownerFields, settings.scopedEntities) : undefined;
        if (key && op.entity !== undefined) publicReads.add(`${op.entity}\0${key.field}`);
      }
    }
    for (const endpoint of context.model.endpoints) {
      if (isPublic(endpoint) || restrictedToAdmins(endpoint)) continue;
      // A record loaded to be changed (`SaveChanges` after a load, an update of the same entity) is a change.
      const changes = (op: DataOperation): boolean =>
        endpoint.dataOperations.some(
          (other) => other.kind !== "read" && (other.entity === undefined || other.entity === op.entity),
        );
      for (const op of endpoint.dataOperations) {
        const key = unscopedClientKey(op, settings.ownerFields, settings.scopedEntities);
        if (!key) continue;
        if (
          op.kind === "read" &&
          op.entity !== undefined &&
          publicReads.has(`${op.entity}\0${key.field}`) &&
          !changes(op)
        )
          continue;
        // An operation in another file is reported where the handler's call leads to it.
        const step = op.through?.find((s) => s.file === undefined);
        const loc = op.file !== undefined || op.through?.some((s) => s.file !== undefined) ? step?.loc : op.loc;
        if (!loc) continue;
        const id = `${loc.start.line}:${loc.start.column}`;
        if (reported.has(id)) continue;
        reported.add(id);
        const entity = op.entity ?? "A record";
        context.report({
          loc,
          messageId: "noOwnershipCheck",
          data: {
            entity: entity.charAt(0).toUpperCase() + entity.slice(1),
            verb: VERBS[op.kind],
            field: key.field === "(key)" ? "id" : key.field,
            source: key.origin.via,
            through: op.through?.length ? ` (in ${op.through.map((s) => s.function).join(" → ")}: ${op.call})` : "",
          },
          remedy:
            "Scope the query to the caller (`where: { id, ownerId: req.user.id }`, a tenant filter), or load the record and deny unless it belongs to the caller (403/404), or check it with an authorization call.",
        });
      }
    }
  },
});
