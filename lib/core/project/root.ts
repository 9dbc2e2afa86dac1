/**
 * Which project a file belongs to: the folder of the nearest `package.json` (TS/JS) or
 * `.csproj` (C#) above it; for C# without a `.csproj`, the folder of the nearest `.sln`.
 * Project-wide facts (global guards, mounts, fallback policies) apply inside that folder
 * only, never to a sibling project of the same repository.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export type ProjectKind = "node" | "dotnet";

export interface ProjectRoot {
  kind: ProjectKind;
  /** Absolute folder of the project. */
  dir: string;
}

/** The markers of a project folder, per kind: an exact file name or an extension. */
const MARKERS: Record<ProjectKind, { names: readonly string[]; extensions: readonly string[] }[]> = {
  node: [{ names: ["package.json"], extensions: [] }],
  dotnet: [
    { names: [], extensions: [".csproj"] },
    { names: [], extensions: [".sln", ".slnx"] },
  ],
};

/** Folder listings read while looking for roots, by folder: a run asks for the same folders again and again. */
const listings = new Map<string, { names: string[]; checked: number }>();
/** How long a folder listing is trusted before it is read again (new package.json / .csproj files). */
const LISTING_TTL_MS = 1000;

function namesIn(dir: string, now: number): string[] {
  const cached = listings.get(dir);
  if (cached && now - cached.checked < LISTING_TTL_MS) return cached.names;
  let names: string[];
  try {
    names = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  } catch {
    names = [];
  }
  listings.set(dir, { names, checked: now });
  return names;
}

/** Does `dir` hold a marker of this tier? */
function holdsMarker(dir: string, tier: { names: readonly string[]; extensions: readonly string[] }, now: number) {
  return namesIn(dir, now).some(
    (name) => tier.names.includes(name) || tier.extensions.some((ext) => name.toLowerCase().endsWith(ext)),
  );
}

/** The project of an absolute file path; undefined when no marker lies above it. */
export function projectRootOf(filename: string, kind: ProjectKind, now = Date.now()): ProjectRoot | undefined {
  const start = path.dirname(path.resolve(filename));
  for (const tier of MARKERS[kind]) {
    for (let dir = start; ;) {
      if (holdsMarker(dir, tier, now)) return { kind, dir };
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

/** Is `dir` a project folder of this kind (a nested project is not part of its parent)? */
export function isProjectFolder(dir: string, kind: ProjectKind, now = Date.now()): boolean {
  return holdsMarker(dir, MARKERS[kind][0], now);
}
