/**
 * EF Core global query filters that scope an entity to its owner or tenant (AP103):
 * `modelBuilder.Entity<Invoice>().HasQueryFilter(i => i.TenantId == _tenantId)`, the same in
 * `Entity<Invoice>(b => b.HasQueryFilter(…))` and in an `IEntityTypeConfiguration<Invoice>`
 * (`builder.HasQueryFilter(…)` on its `EntityTypeBuilder<Invoice>`). A filter counts when its
 * predicate constrains an owner field (`ownerFields`); a soft-delete filter (`!i.IsDeleted`)
 * scopes nothing.
 *
 * Every query of the entity through the context gets the filter, so the file's accesses to
 * it (by entity type, or by the name of a `DbSet<Invoice>` property of the file) are covered.
 * The scopes also travel in the file model (`queryFilterScopes`), for the accesses of other
 * files once the project index links them.
 */
import type { OwnershipCheck, QueryFilterScope } from "../../lib/core/model.js";
import type { SyntaxNode } from "../parser.js";
import type { CSharpFile } from "./libraries/library.js";
import {
  argumentsOf,
  argumentValue,
  callNamedBy,
  enclosingFunction,
  field,
  identifiersMatching,
  parametersOf,
} from "./invocations.js";
import { nodeLoc, shortText } from "./syntax.js";

export interface QueryFilterScopes {
  scopes: QueryFilterScope[];
  /** The filter that covers accesses to `entity` (a type or a DbSet name), if one does. */
  covering(entity: string): OwnershipCheck | undefined;
}

const NONE: QueryFilterScopes = { scopes: [], covering: () => undefined };
const cache = new WeakMap<CSharpFile, QueryFilterScopes>();
const DB_SET = /\bDbSet\s*<\s*([\w.]+)\s*>(?:\s*\?)?\s*(\w+)/g;

export function queryFilterScopes(file: CSharpFile): QueryFilterScopes {
  let found = cache.get(file);
  if (!found) {
    found = file.text.includes("HasQueryFilter") ? readScopes(file) : NONE;
    cache.set(file, found);
  }
  return found;
}

function readScopes(file: CSharpFile): QueryFilterScopes {
  const setsOf = new Map<string, string[]>();
  for (const match of file.text.matchAll(DB_SET)) {
    const entity = lastSegment(match[1]);
    const list = setsOf.get(entity) ?? [];
    list.push(match[2]);
    setsOf.set(entity, list);
  }
  const scopes: QueryFilterScope[] = [];
  for (const identifier of identifiersMatching(file.root, file.text, /\bHasQueryFilter\b/g)) {
    const call = callNamedBy(identifier);
    if (!call?.receiver) continue;
    const entity = filteredEntity(call.invocation, call.receiver);
    if (entity === undefined) continue;
    const predicate = argumentsOf(call.invocation)
      .map((a) => argumentValue(a))
      .find((v) => v?.type === "lambda_expression");
    if (!predicate || !constrainsOwner(predicate, file)) continue;
    scopes.push({
      entity,
      sets: setsOf.get(entity) ?? [],
      name: shortText(`HasQueryFilter(${predicate.text.replace(/\s+/g, " ")})`, 80),
      loc: nodeLoc(call.invocation),
    });
  }
  if (scopes.length === 0) return NONE;
  const byName = new Map<string, QueryFilterScope>();
  for (const scope of scopes) {
    for (const name of [scope.entity, ...scope.sets])
      if (!byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), scope);
  }
  return {
    scopes,
    covering(entity) {
      const scope = byName.get(entity.toLowerCase());
      return scope ? { kind: "scoped-data-access", name: scope.name, loc: scope.loc } : undefined;
    },
  };
}

/** The entity a `HasQueryFilter` call is on. */
function filteredEntity(invocation: SyntaxNode, receiver: SyntaxNode): string | undefined {
  const inChain = [...receiver.text.matchAll(/\bEntity\s*<\s*([\w.]+)\s*>/g)].at(-1)?.[1];
  if (inChain !== undefined) return lastSegment(inChain);
  if (receiver.type !== "identifier") return undefined;
  const fn = enclosingFunction(invocation);
  const parameter = parametersOf(fn).find((p) => p.name === receiver.text);
  if (!parameter) return undefined;
  if (fn.type === "lambda_expression") {
    // `modelBuilder.Entity<Invoice>(b => b.HasQueryFilter(…))`
    const call = fn.parent?.parent?.parent;
    if (call?.type !== "invocation_expression") return undefined;
    const type = /\bEntity\s*<\s*([\w.]+)\s*>\s*$/.exec(field(call, "function")?.text ?? "")?.[1];
    return type !== undefined ? lastSegment(type) : undefined;
  }
  // `public void Configure(EntityTypeBuilder<Invoice> builder)`
  const list = field(fn, "parameters");
  const node = list?.namedChildren.find((p) => field(p, "name")?.text === receiver.text);
  const type = /EntityTypeBuilder\s*<\s*([\w.]+)\s*>/.exec(field(node, "type")?.text ?? "")?.[1];
  return type !== undefined ? lastSegment(type) : undefined;
}

/** `Billing.Domain.Invoice` → `Invoice`. */
function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf(".") + 1);
}

/** Whether the filter's predicate compares an owner field of the entity: `i => i.TenantId == _tenantId`. */
function constrainsOwner(predicate: SyntaxNode, file: CSharpFile): boolean {
  const parameter = parametersOf(predicate)[0]?.name;
  if (parameter === undefined) return false;
  for (const access of predicate.descendantsOfType("member_access_expression")) {
    const expression = field(access, "expression");
    const name = field(access, "name");
    if (
      expression?.type === "identifier" &&
      expression.text === parameter &&
      name &&
      file.settings.ownerFields(name.text)
    )
      return true;
  }
  return false;
}
