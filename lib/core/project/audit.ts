/**
 * The project's audit mechanisms (AP107): an EF Core SaveChanges interceptor, Audit.NET, a
 * Prisma extension, a TypeORM subscriber or a Mongoose history plugin set up in one file
 * records the writes of the data layer wherever they are made, so it covers the endpoints
 * of every other file of the project. A mechanism that records only once registered (an
 * interceptor class) counts when some file of the project registers it.
 */
import type { FileModel } from "../model.js";
import { applyAuditMechanisms, registeredMechanisms } from "../facts/audit.js";
import type { ProjectIndex } from "./index.js";
import type { AuditMechanism } from "./summary.js";

/** Adds the audit mechanisms of the project's other files to the endpoints of `model` (in place). */
export function applyProjectAudits(model: FileModel, index: ProjectIndex, settings: unknown): void {
  const registered = new Set<string>();
  const declared: Array<{ file: string; mechanisms: AuditMechanism[] }> = [];
  for (const file of index.appWideFiles()) {
    const summary = index.summary(file, settings);
    for (const name of summary?.interceptors ?? []) registered.add(name);
    // The file's own mechanisms are already applied by its adapter.
    if (file !== model.filename && summary?.audit?.length) declared.push({ file, mechanisms: summary.audit });
  }
  for (const { file, mechanisms } of declared)
    applyAuditMechanisms(model.endpoints, registeredMechanisms(mechanisms, registered), file);
}
