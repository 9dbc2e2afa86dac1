/**
 * Data scopes declared once for a whole project (AP103): an EF Core query filter
 * (`modelBuilder.Entity<Invoice>().HasQueryFilter(i => i.TenantId == _tenant.Id)`) in a
 * DbContext or an `IEntityTypeConfiguration<Invoice>` of one file filters every query of the
 * entity, wherever the query is written. Applied after the data flow (flow.ts), so the
 * operations a handler reaches in other files are covered too; a query that opts out
 * (`IgnoreQueryFilters()`) is not.
 *
 * Files declaring such scopes are found by the key their scan declares (`SCOPED_DATA`).
 */
import type { Endpoint, FileModel, OwnershipCheck, QueryFilterScope } from "../model.js";
import type { ProjectIndex } from "./index.js";

/** The key under which a file's scan declares that it scopes entities (`IndexScan.declares`). */
export const SCOPED_DATA = "scope:data";

/** Files with scopes looked at per lint. */
const MAX_FILES = 64;

/** Covers the operations of the model's endpoints whose entity a scope of the project filters (in place). */
export function applyDataScopes(model: FileModel, index: ProjectIndex, settings: unknown): void {
  if (!model.endpoints.some((e) => e.dataOperations.some((op) => op.entity !== undefined && op.selection))) return;
  const scopes = new Map<string, OwnershipCheck>();
  for (const file of index.declaring(SCOPED_DATA).slice(0, MAX_FILES)) {
    for (const scope of index.summary(file, settings)?.scopedEntities ?? []) {
      const check: OwnershipCheck = {
        kind: "scoped-data-access",
        name: scope.name,
        loc: scope.loc,
        ...(file !== model.filename ? { file } : {}),
      };
      for (const name of namesOf(scope)) if (!scopes.has(name)) scopes.set(name, check);
    }
  }
  if (scopes.size === 0) return;
  for (const endpoint of model.endpoints) cover(endpoint, scopes);
}

function cover(endpoint: Endpoint, scopes: ReadonlyMap<string, OwnershipCheck>): void {
  for (const op of endpoint.dataOperations) {
    if (op.entity === undefined || !op.selection || op.ignoresScopes) continue;
    const check = scopes.get(op.entity.toLowerCase());
    if (!check || op.ownership?.some((c) => c.kind === "scoped-data-access")) continue;
    op.ownership = [...(op.ownership ?? []), check];
  }
}

/** `Invoice` with its sets (`Invoices`) and, for a configuration class in a file without them, the plural the set is usually named by. */
function namesOf(scope: QueryFilterScope): string[] {
  const entity = scope.entity;
  const plural = /[^aeiou]y$/i.test(entity)
    ? `${entity.slice(0, -1)}ies`
    : /(?:s|x|z|ch|sh)$/i.test(entity)
      ? `${entity}es`
      : `${entity}s`;
  return [entity, plural, ...scope.sets].map((n) => n.toLowerCase());
}
