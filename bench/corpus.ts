/**
 * The benchmark corpus: generated from a fixed seed (no network, same bytes on every
 * machine), written to bench/corpus/ (git-ignored) and regenerated when it is missing,
 * incomplete, or was written by another generator version.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Rng, type FileSet } from "./corpus-kit.js";
import { generateCSharp } from "./corpus-csharp.js";
import { generateTypeScript } from "./corpus-ts.js";

/** Bump whenever any generator's output changes, so a stale corpus on disk is rebuilt. */
export const CORPUS_VERSION = 1;
const SEED = 0x5c02;

/** The repository root: this module runs as dist/bench/corpus.js. */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CORPUS_DIR = join(REPO_ROOT, "bench", "corpus");
const MANIFEST = "manifest.json";

export interface CorpusFile {
  /** Relative to the corpus directory, with `/` separators. */
  path: string;
  lines: number;
}

export interface Corpus {
  dir: string;
  version: number;
  ts: CorpusFile[];
  csharp: CorpusFile[];
  /** The 2,000-line controller the per-file budget is measured on. */
  largeCSharp: CorpusFile;
  /** Whether this call wrote the corpus (rather than reusing the one on disk). */
  generated: boolean;
}

interface Manifest {
  version: number;
  seed: number;
  largeCSharp: string;
  /** Every generated file with its line count. */
  files: Record<string, number>;
}

export function generateCorpus(): { files: FileSet; largeCSharp: string } {
  const root = new Rng(SEED);
  const csharp = generateCSharp(root);
  return { files: new Map([...generateTypeScript(root), ...csharp.files]), largeCSharp: csharp.largeFile };
}

/** Lines as `wc -l` counts them: every generated file ends with a newline. */
export function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

export function ensureCorpus(options: { regenerate?: boolean } = {}): Corpus {
  const current = options.regenerate ? undefined : readManifest();
  if (current) return toCorpus(current, false);

  rmSync(CORPUS_DIR, { recursive: true, force: true });
  const { files, largeCSharp } = generateCorpus();
  const manifest: Manifest = { version: CORPUS_VERSION, seed: SEED, largeCSharp, files: {} };
  for (const [path, text] of files) {
    const target = join(CORPUS_DIR, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    manifest.files[path] = countLines(text);
  }
  writeFileSync(join(CORPUS_DIR, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return toCorpus(manifest, true);
}

/** The manifest of a complete corpus written by this generator version, or undefined. */
function readManifest(): Manifest | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(CORPUS_DIR, MANIFEST), "utf8")) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.version !== CORPUS_VERSION || manifest.seed !== SEED || typeof manifest.files !== "object")
    return undefined;
  return Object.keys(manifest.files).every((path) => existsSync(join(CORPUS_DIR, path))) ? manifest : undefined;
}

function toCorpus(manifest: Manifest, generated: boolean): Corpus {
  const files = Object.entries(manifest.files).map(([path, lines]) => ({ path, lines }));
  return {
    dir: CORPUS_DIR,
    version: manifest.version,
    ts: files.filter((f) => f.path.endsWith(".ts")),
    csharp: files.filter((f) => f.path.endsWith(".cs")),
    largeCSharp: files.find((f) => f.path === manifest.largeCSharp)!,
    generated,
  };
}
