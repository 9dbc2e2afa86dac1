/**
 * Small helpers both adapters share: nothing here knows either language's syntax.
 */
import type { CredentialFacts, Endpoint, ImportedFunction, Loc, Protection, TextEdit } from "./model.js";

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

/**
 * Edits of one fix in document order, insertions at the same place joined in the order
 * given: ESLint applies a suggestion's edits as one fix and rejects overlapping ones.
 */
export function orderedEdits(edits: readonly TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0]);
  const out: TextEdit[] = [];
  for (const edit of sorted) {
    const previous = out.at(-1);
    const insertions = previous?.range[0] === previous?.range[1] && edit.range[0] === edit.range[1];
    if (previous && insertions && previous.range[0] === edit.range[0]) previous.text += edit.text;
    else out.push({ range: [edit.range[0], edit.range[1]], text: edit.text });
  }
  return out;
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
