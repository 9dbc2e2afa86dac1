/**
 * Small helpers both adapters share: nothing here knows either language's syntax.
 */
import type { CredentialFacts, Endpoint, ImportedFunction, Loc, Protection } from "./model.js";

/** Source text on one line, cut to `max` characters with an ellipsis, for messages. */
export function shortText(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * Whether two places lie on different arms of a branch they share: each map gives, per
 * enclosing branch (`if`, `switch`), the arm the place is on.
 */
export function onExclusiveArms<K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): boolean {
  for (const [branch, arm] of a) {
    const other = b.get(branch);
    if (other !== undefined && other !== arm) return true;
  }
  return false;
}

/** The first index of a list sorted by `key` whose key is at least `value`. */
export function lowerBound<X>(list: readonly X[], value: number, key: (x: X) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(list[mid]) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** What a route checks of the request itself (a signature, a password), as an adapter found it. */
export interface HandlerChecks {
  /** Signature verification the route performs, as protections (`kind: "signature"`). */
  protections: Protection[];
  /** Project functions of other files the handler calls that may verify the request, for the project index. */
  importedFunctions: ImportedFunction[];
  credentials?: CredentialFacts;
}

/**
 * Adds a route's checks to its endpoint: a verification as a protection (when the endpoint
 * already lists a protection at the same place, middleware the auth rules recognised by its
 * name, that one is marked as the signature check), the imported functions for the
 * project index, the password facts.
 */
export function withChecks(endpoint: Endpoint, checks: HandlerChecks): Endpoint {
  for (const protection of checks.protections) {
    const existing = endpoint.protections.find((p) => samePlace(p.loc, protection.loc));
    if (!existing) endpoint.protections.push(protection);
    else if (protection.kind) existing.kind = protection.kind;
  }
  const imported = checks.importedFunctions.filter(
    (i) => !endpoint.importedFunctions?.some((e) => e.module === i.module && e.export === i.export),
  );
  if (imported.length > 0) endpoint.importedFunctions = [...(endpoint.importedFunctions ?? []), ...imported];
  if (checks.credentials) endpoint.credentials = checks.credentials;
  return endpoint;
}

function samePlace(a: Loc, b: Loc): boolean {
  return a.start.line === b.start.line && a.start.column === b.start.column;
}
