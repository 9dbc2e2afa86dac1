/**
 * The warning switches of a C# file's project, as MSBuild passes them to the compiler and its
 * analyzers: `<NoWarn>`, `<WarningsAsErrors>`, `<WarningsNotAsErrors>` and
 * `<TreatWarningsAsErrors>`, from the nearest `Directory.Build.props` above the project (and
 * the ones it imports with `GetPathOfFileAbove`), then the project file itself, in MSBuild's
 * order: a value that does not refer to `$(NoWarn)` replaces the one before it.
 *
 * The project is the nearest folder above the file holding a `.csproj` (SDK-style projects
 * compile every `.cs` file below them). Property groups and properties with a `Condition`
 * (per configuration or platform) are not evaluated: which configuration a scan stands for is
 * not known, so only what holds for every build is applied.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { SettingSource } from "./editorconfig.js";
import { StampedCache } from "./stamped.js";

export interface ProjectWarnings {
  /** The project files read, nearest last (`Directory.Build.props` …, then the `.csproj`). */
  files: string[];
  /** `AP101` → the `<NoWarn>` that lists it. */
  noWarn: Map<string, SettingSource>;
  warningsAsErrors: Map<string, SettingSource>;
  warningsNotAsErrors: Map<string, SettingSource>;
  treatWarningsAsErrors?: SettingSource;
  /** Namespaces the project imports in every file: `<Using Include="…" />` (not `Static` or `Alias`). */
  usings: Set<string>;
  /** The project's folder (of its `.csproj`); undefined outside any project. */
  projectDir?: string;
  /** Analyzer config files the project passes to the compiler (`<GlobalAnalyzerConfigFiles>`, `<EditorConfigFiles>`), absolute, in order. */
  analyzerConfigs: string[];
}

type ListProperty = "NoWarn" | "WarningsAsErrors" | "WarningsNotAsErrors";

/** Folder → its `.csproj` files and whether it holds a `Directory.Build.props`. */
const folders = new StampedCache<{ projects: string[]; props: boolean }>(20_000);
/** Project file → what it sets. */
const parsed = new StampedCache<ParsedProjectFile>(5_000);

function folder(dir: string): { projects: string[]; props: boolean } {
  return folders.get(dir, () => {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      // Not readable: no project here.
    }
    return {
      projects: entries.filter((e) => /\.csproj$/iu.test(e)).sort(),
      props: entries.includes("Directory.Build.props"),
    };
  });
}

/** The project files of a `.cs` file (absolute), in evaluation order; empty outside any project. */
export function projectFilesOf(filename: string): string[] {
  let dir = path.dirname(filename);
  let projects: string[] | undefined;
  for (;;) {
    const found = folder(dir).projects;
    if (found.length > 0) {
      projects = found.map((p) => path.join(dir, p));
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return [];
    dir = parent;
  }
  return [...buildProps(dir), ...projects];
}

/** The `Directory.Build.props` MSBuild imports for a project folder, outermost first. */
function buildProps(projectDir: string): string[] {
  const chain: string[] = [];
  let dir: string | undefined = projectDir;
  while (dir !== undefined) {
    const found = nearestProps(dir);
    if (!found) break;
    chain.unshift(found);
    // `<Import Project="$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))" />`
    if (!read(found).importsParent) break;
    const parent = path.dirname(path.dirname(found));
    dir = parent === path.dirname(found) ? undefined : parent;
    if (chain.length > 16) break;
  }
  return chain;
}

function nearestProps(start: string): string | undefined {
  for (let dir = start; ;) {
    if (folder(dir).props) return path.join(dir, "Directory.Build.props");
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

interface PropertyWrite {
  name: ListProperty | "TreatWarningsAsErrors";
  value: string;
  line: number;
  text: string;
  comment: string;
}

interface ParsedProjectFile {
  writes: PropertyWrite[];
  importsParent: boolean;
  usings: string[];
  /** `Include` values of `<GlobalAnalyzerConfigFiles>` and `<EditorConfigFiles>`, as written. */
  analyzerConfigs: string[];
}

function read(file: string): ParsedProjectFile {
  return parsed.get(file, () => {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      // Unreadable: sets nothing.
    }
    return parseProjectFile(text);
  });
}

const PROPERTY_GROUP = /<PropertyGroup\b([^>]*)>([\s\S]*?)<\/PropertyGroup\s*>/gu;
const PROPERTY =
  /<(NoWarn|WarningsAsErrors|WarningsNotAsErrors|TreatWarningsAsErrors)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1\s*>)/gu;
const ITEM_GROUP = /<ItemGroup\b([^>]*)>([\s\S]*?)<\/ItemGroup\s*>/gu;
const USING_ITEM = /<Using\b[^>]*?\bInclude\s*=\s*"([^"]+)"[^>]*>/gu;
const ANALYZER_CONFIG_ITEM =
  /<(?:GlobalAnalyzerConfigFiles|EditorConfigFiles)\b[^>]*?\bInclude\s*=\s*"([^"]+)"[^>]*>/gu;
const PARENT_IMPORT = /<Import\b[^>]*GetPathOfFileAbove\(\s*'Directory\.Build\.props'/u;

/** What a project file writes to the warning properties, in document order, outside any `Condition`. */
export function parseProjectFile(text: string): ParsedProjectFile {
  // Comments are blanked (same length, newlines kept) so positions and lines stay true.
  const code = text.replace(/<!--[\s\S]*?-->/gu, (c) => c.replace(/[^\n]/gu, " "));
  const writes: PropertyWrite[] = [];
  for (const group of code.matchAll(PROPERTY_GROUP)) {
    if (/\bCondition\s*=/u.test(group[1])) continue;
    const bodyStart = group.index + group[0].indexOf(">") + 1;
    for (const property of group[2].matchAll(PROPERTY)) {
      if (/\bCondition\s*=/u.test(property[2])) continue;
      const at = bodyStart + property.index;
      const line = lineAt(text, at);
      writes.push({
        name: property[1] as PropertyWrite["name"],
        value: decode(property[3] ?? ""),
        line,
        text: text.slice(at, at + property[0].length).replace(/\s+/gu, " "),
        comment: commentAbove(text, at),
      });
    }
  }
  const usings: string[] = [];
  const analyzerConfigs: string[] = [];
  for (const group of code.matchAll(ITEM_GROUP)) {
    if (/\bCondition\s*=/u.test(group[1])) continue;
    for (const item of group[2].matchAll(USING_ITEM)) {
      if (/\b(?:Static|Alias|Condition)\s*=/u.test(item[0])) continue;
      usings.push(item[1].trim());
    }
    for (const item of group[2].matchAll(ANALYZER_CONFIG_ITEM)) {
      if (/\bCondition\s*=/u.test(item[0])) continue;
      analyzerConfigs.push(
        ...decode(item[1])
          .split(";")
          .map((p) => p.trim())
          .filter((p) => p !== ""),
      );
    }
  }
  return { writes, importsParent: PARENT_IMPORT.test(code), usings, analyzerConfigs };
}

function decode(value: string): string {
  return value
    .replace(/&lt;/gu, "<")
    .replace(/&gt;/gu, ">")
    .replace(/&quot;/gu, '"')
    .replace(/&apos;/gu, "'")
    .replace(/&amp;/gu, "&");
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** The text of an XML comment that ends right above `index` (on the line before, or on its own line). */
function commentAbove(text: string, index: number): string {
  const before = text.slice(Math.max(0, index - 2_000), index);
  const trimmed = before.trimEnd();
  if (!trimmed.endsWith("-->")) return "";
  if ((before.slice(trimmed.length).match(/\n/gu)?.length ?? 0) > 1) return "";
  const start = trimmed.lastIndexOf("<!--");
  return start === -1
    ? ""
    : trimmed
        .slice(start + 4, -3)
        .replace(/\s+/gu, " ")
        .trim();
}

const ID = /^AP\d{3}$/u;

/** The warning switches for `filename` (absolute). */
export function projectWarnings(filename: string): ProjectWarnings {
  const files = projectFilesOf(filename);
  const lists: Record<ListProperty, Map<string, SettingSource>> = {
    NoWarn: new Map(),
    WarningsAsErrors: new Map(),
    WarningsNotAsErrors: new Map(),
  };
  let treat: SettingSource | undefined;
  const usings = new Set<string>();
  const analyzerConfigs: string[] = [];
  const project = files.at(-1);
  const projectDir = project ? path.dirname(project) : undefined;
  for (const file of files) {
    const parsedFile = read(file);
    for (const using of parsedFile.usings) usings.add(using);
    for (const include of parsedFile.analyzerConfigs) {
      const resolved = resolveInclude(include, path.dirname(file), projectDir ?? path.dirname(file));
      if (resolved) analyzerConfigs.push(resolved);
    }
    for (const write of parsedFile.writes) {
      const source: SettingSource = { file, line: write.line, text: write.text, comment: write.comment };
      if (write.name === "TreatWarningsAsErrors") {
        treat = write.value.trim().toLowerCase() === "true" ? source : undefined;
        continue;
      }
      const list = lists[write.name];
      // `$(NoWarn);AP101` keeps what came before; a plain list replaces it.
      if (!new RegExp(`\\$\\(\\s*${write.name}\\s*\\)`, "iu").test(write.value)) list.clear();
      for (const entry of write.value.replace(/\$\([^)]*\)/gu, "").split(/[;,\s]+/u)) {
        const id = entry.trim().toUpperCase();
        if (ID.test(id)) list.set(id, source);
      }
    }
  }
  return {
    files,
    noWarn: lists.NoWarn,
    warningsAsErrors: lists.WarningsAsErrors,
    warningsNotAsErrors: lists.WarningsNotAsErrors,
    ...(treat ? { treatWarningsAsErrors: treat } : {}),
    usings,
    ...(projectDir ? { projectDir } : {}),
    analyzerConfigs,
  };
}

/**
 * An item's path: relative to the file that writes it, with `$(MSBuildThisFileDirectory)` and
 * `$(MSBuildProjectDirectory)` put in; other properties and wildcards cannot be known here.
 */
function resolveInclude(include: string, fileDir: string, projectDir: string): string | undefined {
  const expanded = include
    .replace(/\$\(MSBuildThisFileDirectory\)/giu, `${fileDir}${path.sep}`)
    .replace(/\$\(MSBuildProjectDirectory\)/giu, projectDir);
  if (/\$\(|[*?]/u.test(expanded)) return undefined;
  return path.resolve(fileDir, expanded.replace(/\\/gu, path.sep));
}
