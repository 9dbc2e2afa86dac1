/**
 * What the project index costs on its own, for each project of the corpus:
 *  - building it: a fresh index lists the files and scans every file's imports (what the
 *    first lint of a file with cross-file facts triggers);
 *  - summarising every file (parse + walk): more than a lint asks for, which summarises
 *    only the files that import the linted one;
 *  - the same again with nothing changed, which must read no file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import "../lib/index.js";
import { projectIndexFor, resetProjectIndexes } from "../lib/core/project/index.js";
import { fileReadCount } from "../lib/core/project/files.js";
import type { ProjectKind } from "../lib/core/project/root.js";

export interface IndexFigures {
  project: string;
  kind: ProjectKind;
  files: number;
  /** Cold: listing and the imports of every file. */
  buildMs: number;
  msPer1000Files: number;
  /** Summaries of every file, after the build. */
  summariesMs: number;
  /** Files read by the same work again with nothing changed. */
  rereadFiles: number;
  warmMs: number;
}

const MARKERS: Record<ProjectKind, (name: string) => boolean> = {
  node: (name) => name === "package.json",
  dotnet: (name) => name.endsWith(".csproj"),
};

/** Project folders directly under `dir/<language>/`. */
function projects(dir: string): { dir: string; kind: ProjectKind }[] {
  const found: { dir: string; kind: ProjectKind }[] = [];
  for (const [language, kind] of [
    ["ts", "node"],
    ["csharp", "dotnet"],
  ] as const) {
    const base = path.join(dir, language);
    if (!fs.existsSync(base)) continue;
    for (const name of fs.readdirSync(base)) {
      const project = path.join(base, name);
      if (fs.statSync(project).isDirectory() && fs.readdirSync(project).some(MARKERS[kind]))
        found.push({ dir: project, kind });
    }
  }
  return found;
}

function indexOf(projectDir: string, kind: ProjectKind) {
  return projectIndexFor(path.join(projectDir, kind === "node" ? "probe.ts" : "Probe.cs"), kind);
}

/** Lists the files and scans their imports; the number of files. */
function build(projectDir: string, kind: ProjectKind): number | undefined {
  const index = indexOf(projectDir, kind);
  if (!index) return undefined;
  const entries = index.files.files(Date.now());
  for (const entry of entries) index.dependents(entry.path);
  return entries.length;
}

function summarise(projectDir: string, kind: ProjectKind): void {
  const index = indexOf(projectDir, kind);
  const settings = undefined;
  for (const entry of index?.files.files(Date.now()) ?? []) index!.summary(entry.path, settings);
}

export function measureIndexCost(corpusDir: string): IndexFigures[] {
  const figures: IndexFigures[] = [];
  for (const project of projects(corpusDir)) {
    resetProjectIndexes();
    const start = performance.now();
    const files = build(project.dir, project.kind);
    const buildMs = performance.now() - start;
    if (files === undefined) continue;
    const summariesStart = performance.now();
    summarise(project.dir, project.kind);
    const summariesMs = performance.now() - summariesStart;
    const reads = fileReadCount();
    const warmStart = performance.now();
    build(project.dir, project.kind);
    summarise(project.dir, project.kind);
    const warmMs = performance.now() - warmStart;
    figures.push({
      project: path.relative(corpusDir, project.dir),
      kind: project.kind,
      files,
      buildMs,
      msPer1000Files: files === 0 ? 0 : (buildMs / files) * 1000,
      summariesMs,
      rereadFiles: fileReadCount() - reads,
      warmMs,
    });
  }
  resetProjectIndexes();
  return figures;
}
