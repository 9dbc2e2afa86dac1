/**
 * Where a global suppression (`[assembly: SuppressMessage("ApiPosture", "AP101", Scope = …,
 * Target = …)]`, usually in `GlobalSuppressions.cs`) reaches into a file: the declarations
 * its target names, by Roslyn's documentation-comment ids.
 *
 *  - `member`: `~M:Ns.Type.Method(System.Int32)` (the parameter count must match; a method
 *    without parentheses has none), `~P:`, `~F:`, `~E:`; constructors are `#ctor`.
 *  - `type`: `~T:Ns.Type` (nested types `Ns.Outer.Inner`): every part of the type, nested
 *    types included.
 *  - `namespace`: the types declared directly in `~N:Ns`; `namespaceanddescendants`: the
 *    namespace and every namespace inside it.
 *  - Without a `Scope`, the target's kind says which. Without a `Target` (or with `module` or
 *    `resource`), a suppression applies to diagnostics that have no place in the code, as in
 *    Roslyn: ours always have one, so it reaches nothing.
 *
 * The older target form without the `~` prefix (`Ns.Type.#Method(System.Int32)`) is read too.
 */
import type { GlobalSuppression } from "../../lib/core/project/summary.js";
import type { OutlineEntry } from "../scan.js";

interface Target {
  kind: "N" | "T" | "M" | "P" | "F" | "E" | undefined;
  name: string;
  parameters?: number;
}

export interface Reach {
  entry: OutlineEntry;
  /** The target may have parts in other files (a namespace, a partial type): whether it was needed is known only across files. */
  shared: boolean;
}

export function parseTarget(raw: string): Target | undefined {
  let text = raw.trim();
  if (text === "") return undefined;
  if (text.startsWith("~")) text = text.slice(1);
  let kind: Target["kind"];
  const prefix = /^([NTMPFE]):/u.exec(text);
  if (prefix) {
    kind = prefix[1] as Target["kind"];
    text = text.slice(2);
  }
  let parameters: number | undefined;
  const open = text.indexOf("(");
  if (open !== -1) {
    const close = text.lastIndexOf(")");
    const list = text.slice(open + 1, close === -1 ? undefined : close);
    parameters = countParameters(list);
    text = text.slice(0, open);
  } else if (kind === "M") {
    // `M:Ns.Type.Method` (a method returning its type after `~` aside) has no parameters.
    text = text.replace(/~.*$/u, "");
    parameters = 0;
  }
  // Generic arity (`List`1`, ``Map``2``) and the older form's `#` before a member name.
  const name = text
    .replace(/``?\d+/gu, "")
    .replace(/\.#(?!c?ctor\b)/gu, ".")
    .replace(/\s+/gu, "");
  if (name === "") return undefined;
  return { kind, name, ...(parameters !== undefined ? { parameters } : {}) };
}

function countParameters(list: string): number {
  if (list.trim() === "") return 0;
  let depth = 0;
  let count = 1;
  for (const c of list) {
    if (c === "{" || c === "[" || c === "(" || c === "<") depth++;
    else if (c === "}" || c === "]" || c === ")" || c === ">") depth--;
    else if (c === "," && depth === 0) count++;
  }
  return count;
}

const MEMBER_KINDS = new Set(["M", "P", "F", "E"]);

/** The declarations of a file's outline a suppression reaches. */
export function reachOf(suppression: GlobalSuppression, outline: readonly OutlineEntry[]): Reach[] {
  const target = parseTarget(suppression.target);
  if (!target) return [];
  const scope =
    suppression.scope !== ""
      ? suppression.scope
      : target.kind === "N"
        ? "namespace"
        : target.kind === "T"
          ? "type"
          : target.kind !== undefined
            ? "member"
            : "";
  const reach: Reach[] = [];
  switch (scope) {
    case "member":
      for (const entry of outline) {
        if (!MEMBER_KINDS.has(entry.kind) || entry.name !== target.name) continue;
        if (target.kind !== undefined && target.kind !== entry.kind) continue;
        if (entry.kind === "M" && target.parameters !== undefined && entry.parameters !== target.parameters) continue;
        reach.push({ entry, shared: false });
      }
      break;
    case "type":
      for (const entry of outline)
        if (entry.kind === "T" && entry.name === target.name) reach.push({ entry, shared: entry.partial === true });
      break;
    case "namespace":
      for (const entry of outline)
        if (entry.kind === "T" && namespaceOf(entry.name, outline) === target.name) reach.push({ entry, shared: true });
      break;
    case "namespaceanddescendants":
      for (const entry of outline)
        if (entry.kind === "N" && (entry.name === target.name || entry.name.startsWith(`${target.name}.`)))
          reach.push({ entry, shared: true });
      break;
  }
  // A declaration inside another the same suppression reaches adds nothing.
  return reach.filter(
    (r) =>
      !reach.some(
        (o) =>
          o !== r &&
          o.entry.range[0] <= r.entry.range[0] &&
          o.entry.range[1] >= r.entry.range[1] &&
          (o.entry.range[0] < r.entry.range[0] || o.entry.range[1] > r.entry.range[1]),
      ),
  );
}

/** The namespace a type is declared directly in (not a type it is nested in). */
function namespaceOf(typeName: string, outline: readonly OutlineEntry[]): string | undefined {
  let best: string | undefined;
  for (const entry of outline) {
    if (entry.kind !== "N" || !typeName.startsWith(`${entry.name}.`)) continue;
    if (best === undefined || entry.name.length > best.length) best = entry.name;
  }
  if (best === undefined) return typeName.includes(".") ? undefined : "";
  // Nested in a type of that namespace, not directly in it.
  return typeName.slice(best.length + 1).includes(".") ? undefined : best;
}
