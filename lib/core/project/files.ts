/**
 * The source files of one project and what is known of each, by path and mtime.
 *
 * - The listing walks the project folder once, skipping dependency and build output
 *   folders, nested projects and every symbolic link (nothing outside the project is
 *   ever read). It is read again when a folder's mtime changed (a file was added or
 *   removed), checked at most once per `REVALIDATE_MS`.
 * - Each file's derived data (its imports, its summary) is cached with the file's mtime
 *   and size: a file is read again only when those change, and its cached data is
 *   dropped then.
 * - Texts are kept for the derived data still to come (a summary asked for later), up to
 *   `RETAINED_TEXT_BUDGET` characters per process, least recently used first out: an editor
 *   lints all day in a large monorepo. A file whose text was let go is read again only
 *   when new data is derived from it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isProjectFolder, type ProjectKind } from "./root.js";

/** Folders that hold dependencies, build output or tooling, never the project's own source. */
const SKIPPED_FOLDERS = new Set([
  "node_modules",
  ".git",
  ".hg",
  ".svn",
  "dist",
  "build",
  "out",
  "coverage",
  ".next",
  ".nuxt",
  ".turbo",
  ".cache",
  ".vercel",
  ".output",
  "bin",
  "obj",
  ".vs",
  ".idea",
  ".vscode",
]);

/** Source files larger than this are generated or bundled: they are not indexed. */
export const MAX_INDEXED_FILE_SIZE = 1024 * 1024;
/** A project with more source files than this is indexed up to this many (in walk order). */
export const MAX_INDEXED_FILES = 20_000;
/** How often the listing and the files' mtimes are checked again, at most. */
export const REVALIDATE_MS = 1000;
/** The source text kept in memory across all projects, in characters (UTF-16 code units). */
export const RETAINED_TEXT_BUDGET = 32 * 1024 * 1024;
let retainedTextBudget = RETAINED_TEXT_BUDGET;

export interface FileState {
  mtimeMs: number;
  size: number;
}

interface Folder {
  dir: string;
  mtimeMs: number;
}

/** The cached data of one file, valid for one (mtime, size). */
export class FileEntry {
  private readonly data = new Map<string, unknown>();
  constructor(
    readonly path: string,
    public state: FileState,
  ) {}
  private text_: string | undefined | null = null;

  /** The file's text, read once per state (unless the budget let it go); undefined when it cannot be read or is not text. */
  text(): string | undefined {
    if (this.text_ === null) {
      try {
        const buffer = fs.readFileSync(this.path);
        this.text_ = buffer.includes(0) ? undefined : buffer.toString("utf8");
      } catch {
        this.text_ = undefined;
      }
      fileReads++;
    }
    retain(this, this.text_?.length ?? 0);
    return this.text_;
  }

  /** Lets the text go (the retained-text budget is spent); derived data stays. */
  release(): void {
    this.text_ = null;
  }

  /** The file left the project: its text leaves the budget. */
  dispose(): void {
    forget(this);
    this.text_ = null;
  }

  /** Data derived from the file, computed once per state under `key`. */
  derived<T>(key: string, compute: (entry: FileEntry) => T): T {
    if (this.data.has(key)) return this.data.get(key) as T;
    const value = compute(this);
    this.data.set(key, value);
    return value;
  }

  /** The file changed: forget everything read from it. */
  reset(state: FileState): void {
    this.state = state;
    this.data.clear();
    this.text_ = null;
    forget(this);
  }
}

/** Entries whose text is in memory, least recently used first, with their lengths. */
const retained = new Map<FileEntry, number>();
let retainedLength = 0;

function forget(entry: FileEntry): void {
  const length = retained.get(entry);
  if (length === undefined) return;
  retained.delete(entry);
  retainedLength -= length;
}

/** Lets every retained text go (tests, and an index that is dropped). */
export function releaseRetainedTexts(): void {
  for (const entry of retained.keys()) entry.release();
  retained.clear();
  retainedLength = 0;
}

function retain(entry: FileEntry, length: number): void {
  const previous = retained.get(entry);
  if (previous !== undefined) {
    retained.delete(entry);
    retainedLength -= previous;
  }
  retained.set(entry, length);
  retainedLength += length;
  for (const [oldest, oldestLength] of retained) {
    if (retainedLength <= retainedTextBudget || oldest === entry) break;
    retained.delete(oldest);
    retainedLength -= oldestLength;
    oldest.release();
  }
}

/** Sets the budget (tests); returns the one it replaces. */
export function setRetainedTextBudget(characters: number): number {
  const previous = retainedTextBudget;
  retainedTextBudget = characters;
  return previous;
}

/** How many characters of source text the index holds now, for tests of the budget. */
export function retainedTextLength(): number {
  return retainedLength;
}

let fileReads = 0;
/** How many times a file's text was read, for tests of the cache. */
export function fileReadCount(): number {
  return fileReads;
}

export class ProjectFiles {
  private folders: Folder[] = [];
  private readonly entries = new Map<string, FileEntry>();
  private checked = -Infinity;

  constructor(
    readonly root: string,
    readonly kind: ProjectKind,
    private readonly extensions: ReadonlySet<string>,
  ) {}

  /** Every indexed source file, after checking the listing and mtimes if they are due. */
  files(now = Date.now()): readonly FileEntry[] {
    this.revalidate(now);
    return [...this.entries.values()];
  }

  /** The entry of one file of the project, its state checked now (the files a verdict depends on always are). */
  entry(file: string, now = Date.now()): FileEntry | undefined {
    this.revalidate(now);
    const entry = this.entries.get(file);
    if (!entry) return undefined;
    const state = stateOf(file);
    if (!state) {
      this.entries.delete(file);
      entry.dispose();
      return undefined;
    }
    if (state.mtimeMs !== entry.state.mtimeMs || state.size !== entry.state.size) entry.reset(state);
    return entry;
  }

  has(file: string): boolean {
    return this.entries.has(file);
  }

  private revalidate(now: number): void {
    if (now - this.checked < REVALIDATE_MS) return;
    this.checked = now;
    const stale =
      this.folders.length === 0 ||
      this.folders.some((folder) => {
        try {
          return fs.statSync(folder.dir).mtimeMs !== folder.mtimeMs;
        } catch {
          return true;
        }
      });
    if (stale) this.relist(now);
    for (const [file, entry] of this.entries) {
      const state = stateOf(file);
      if (!state) {
        this.entries.delete(file);
        entry.dispose();
      } else if (state.mtimeMs !== entry.state.mtimeMs || state.size !== entry.state.size) entry.reset(state);
    }
  }

  /** Walks the project folder again; entries of unchanged files are kept. */
  private relist(now: number): void {
    const folders: Folder[] = [];
    const seen = new Set<string>();
    const stack = [this.root];
    while (stack.length > 0 && seen.size < MAX_INDEXED_FILES) {
      const dir = stack.pop()!;
      let dirents: fs.Dirent[];
      let mtimeMs: number;
      try {
        mtimeMs = fs.statSync(dir).mtimeMs;
        dirents = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      folders.push({ dir, mtimeMs });
      for (const dirent of dirents) {
        if (dirent.isSymbolicLink()) continue;
        const full = path.join(dir, dirent.name);
        if (dirent.isDirectory()) {
          if (SKIPPED_FOLDERS.has(dirent.name) || dirent.name.startsWith(".")) continue;
          if (isProjectFolder(full, this.kind, now)) continue;
          stack.push(full);
        } else if (dirent.isFile() && this.extensions.has(path.extname(dirent.name).toLowerCase())) {
          seen.add(full);
          if (seen.size >= MAX_INDEXED_FILES) break;
        }
      }
    }
    this.folders = folders;
    for (const [file, entry] of this.entries) {
      if (seen.has(file)) continue;
      this.entries.delete(file);
      entry.dispose();
    }
    for (const file of seen) {
      if (this.entries.has(file)) continue;
      const state = stateOf(file);
      if (state && state.size <= MAX_INDEXED_FILE_SIZE) this.entries.set(file, new FileEntry(file, state));
    }
  }
}

function stateOf(file: string): FileState | undefined {
  try {
    const stat = fs.lstatSync(file);
    return stat.isFile() ? { mtimeMs: stat.mtimeMs, size: stat.size } : undefined;
  } catch {
    return undefined;
  }
}
