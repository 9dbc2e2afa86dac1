/**
 * The project index: what one file cannot tell about itself, answered from the other
 * files of its project.
 *
 * - Built lazily, once per process (each `eslint --concurrency` worker has its own),
 *   for the project that contains the linted file (lib/core/project/root.ts).
 * - Per-file data (the modules a file imports, found without parsing; its summary,
 *   computed by the language's summarizer) is cached by path, mtime and size
 *   (files.ts): an unchanged file is never read twice, an edited one is read again on
 *   the next lint that depends on it.
 * - It reads only the project's own source files, never runs anything and never
 *   follows a symbolic link.
 * - Languages plug in a summarizer (`registerSummarizer`); nothing here knows a
 *   framework or a syntax.
 */
import * as path from "node:path";
import { ProjectFiles, releaseRetainedTexts, type FileEntry } from "./files.js";
import { readTsConfigPaths, resolveModule, type TsConfigPaths } from "./resolve.js";
import { projectRootOf, type ProjectKind } from "./root.js";
import type { FileSummary, GuardUse, IndexScan } from "./summary.js";

export interface Summarizer {
  kind: ProjectKind;
  /** Extensions of the source files this language indexes (lower case, with the dot). */
  extensions: readonly string[];
  /** What the index needs to know of a file without parsing it. */
  scan(file: string, text: string): IndexScan;
  /**
   * The summary of one project file; undefined when it has nothing other files need.
   * `settings` is the `settings["api-posture"]` object of the lint that asks (what counts
   * as auth depends on it); summaries are cached per settings object.
   */
  summarize(file: string, text: string, settings: unknown): FileSummary | undefined;
}

const summarizers = new Map<ProjectKind, Summarizer>();

export function registerSummarizer(summarizer: Summarizer): void {
  summarizers.set(summarizer.kind, summarizer);
}

const SCAN = "scan";
const IMPORTS = "imports";
const SUMMARY = "summary";
const EMPTY_SCAN: IndexScan = { imports: [], declares: [], appWide: false };

/** What the index derives from all files at once, rebuilt when a file is added, removed or changed. */
interface Derived {
  stamp: string;
  dependents: Map<string, string[]>;
  declaring: Map<string, string[]>;
  appWide: string[];
  guards: Array<{ file: string; guard: GuardUse }>;
}

export class ProjectIndex {
  readonly files: ProjectFiles;
  private readonly tsconfig: TsConfigPaths;
  private derived: Derived | undefined;

  constructor(
    readonly root: string,
    readonly kind: ProjectKind,
    private readonly summarizer: Summarizer,
  ) {
    this.files = new ProjectFiles(root, kind, new Set(summarizer.extensions));
    this.tsconfig = kind === "node" ? readTsConfigPaths(root) : { baseUrl: undefined, mappings: [] };
  }

  /**
   * The project file a module specifier in `fromFile` names (TS/JS); for C#, which has no
   * imports, the file that declares the named function or type.
   */
  resolve(specifier: string, fromFile: string): string | undefined {
    if (this.kind === "dotnet") return this.declaring(specifier).find((file) => file !== fromFile);
    return resolveModule(specifier, fromFile, this.tsconfig, (file) => this.files.has(file));
  }

  /** The files of the project that import `file`. */
  dependents(file: string, now = Date.now()): readonly string[] {
    return this.all(now).dependents.get(file) ?? [];
  }

  /** The files that declare a type of this simple name (C# classes, by name across the project). */
  declaring(typeName: string, now = Date.now()): readonly string[] {
    return this.all(now).declaring.get(typeName) ?? [];
  }

  /** The files that may register protections for the whole app (startup files, global guards, route middleware). */
  appWideFiles(now = Date.now()): readonly string[] {
    return this.all(now).appWide;
  }

  /** Every guard the project's files put on their routes by an imported name, with the file that does. */
  guardUses(now = Date.now()): ReadonlyArray<{ file: string; guard: GuardUse }> {
    return this.all(now).guards;
  }

  private all(now: number): Derived {
    const entries = this.files.files(now);
    // Rebuilt when a file was added, removed or changed; each file's scan comes from its cache.
    const stamp = `${entries.length}:${entries.reduce((sum, e) => sum + e.state.mtimeMs + e.state.size, 0)}`;
    if (this.derived?.stamp === stamp) return this.derived;
    const derived: Derived = { stamp, dependents: new Map(), declaring: new Map(), appWide: [], guards: [] };
    for (const entry of entries) {
      const scan = this.scanOf(entry);
      for (const name of scan.declares) push(derived.declaring, name, entry.path);
      if (scan.appWide) derived.appWide.push(entry.path);
      for (const guard of scan.guards ?? []) derived.guards.push({ file: entry.path, guard });
    }
    derived.appWide.sort();
    // C# resolves what a file uses by the names other files declare: the declarations come first.
    this.derived = derived;
    for (const entry of entries) {
      for (const target of this.importsOf(entry)) push(derived.dependents, target, entry.path);
    }
    return derived;
  }

  /** The summary of a project file, from the cache when the file has not changed. */
  summary(file: string, settings: unknown, now = Date.now()): FileSummary | undefined {
    const entry = this.files.entry(file, now);
    if (!entry) return undefined;
    return entry.derived(`${SUMMARY}:${settingsId(settings)}`, (e) => {
      const text = e.text();
      if (text === undefined) return undefined;
      try {
        return this.summarizer.summarize(e.path, text, settings);
      } catch {
        // A file another file depends on that cannot be read gives no facts; it gets its own message when it is linted.
        return undefined;
      }
    });
  }

  private scanOf(entry: FileEntry): IndexScan {
    return entry.derived(SCAN, (e) => {
      const text = e.text();
      return text === undefined ? EMPTY_SCAN : this.summarizer.scan(e.path, text);
    });
  }

  private importsOf(entry: FileEntry): readonly string[] {
    // A C# file's targets depend on the declarations of every other file: not cached per file.
    if (this.kind === "dotnet") return this.targetsOf(entry);
    return entry.derived(IMPORTS, (e) => this.targetsOf(e));
  }

  private targetsOf(entry: FileEntry): string[] {
    const targets: string[] = [];
    for (const specifier of this.scanOf(entry).imports) {
      const target = this.resolve(specifier, entry.path);
      if (target && target !== entry.path) targets.push(target);
    }
    return targets;
  }
}

const settingsIds = new WeakMap<object, number>();
let nextSettingsId = 0;

function settingsId(settings: unknown): number | string {
  if (typeof settings !== "object" || settings === null) return JSON.stringify(settings ?? null);
  let id = settingsIds.get(settings);
  if (id === undefined) settingsIds.set(settings, (id = nextSettingsId++));
  return id;
}

/** Indexes by project folder and kind: one per project per process. */
const projects = new Map<string, ProjectIndex | null>();

/** The index of the project that holds `filename`; undefined outside any project or without a summarizer for its kind. */
export function projectIndexFor(filename: string, kind: ProjectKind): ProjectIndex | undefined {
  const summarizer = summarizers.get(kind);
  if (!summarizer || !path.isAbsolute(filename)) return undefined;
  const root = projectRootOf(filename, kind);
  if (!root) return undefined;
  const key = `${kind}:${root.dir}`;
  let index = projects.get(key);
  if (index === undefined) {
    index = new ProjectIndex(root.dir, kind, summarizer);
    projects.set(key, index);
  }
  return index ?? undefined;
}

/** Forgets every index (tests). */
export function resetProjectIndexes(): void {
  projects.clear();
  releaseRetainedTexts();
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
