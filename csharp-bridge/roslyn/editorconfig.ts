/**
 * Analyzer severities from `.editorconfig`, as Roslyn reads them for a C# file:
 *   dotnet_diagnostic.AP101.severity = none | silent | suggestion | warning | error | default
 *   dotnet_analyzer_diagnostic.category-Security.severity = …
 *   dotnet_analyzer_diagnostic.severity = …
 * The files are found and their sections matched by the EditorConfig core library (the nearest
 * files up to `root = true`, later and nearer sections winning). This module adds where each
 * setting was written (file, line, section) and the comment lines above it, which teams use
 * as the reason for a severity change.
 */
import { readFileSync } from "node:fs";
import { parseSync, type Cache, type ProcessedFileConfig, type Visited } from "editorconfig";
import { StampedCache } from "./stamped.js";

export type RoslynSeverity = "none" | "silent" | "suggestion" | "warning" | "error" | "default";
const SEVERITIES = new Set<string>(["none", "silent", "suggestion", "warning", "error", "default"]);

/** Where a setting is written, for messages and the evidence report. */
export interface SettingSource {
  /** Absolute path of the file. */
  file: string;
  /** 1-based line of the setting (of the element, in project files). */
  line: number;
  /** The setting as written: `dotnet_diagnostic.AP101.severity = none`, `<NoWarn>AP101;AP203</NoWarn>`. */
  text: string;
  /** The comment lines right above it, joined: teams write the reason there. */
  comment: string;
}

export interface SeveritySetting {
  severity: RoslynSeverity;
  source: SettingSource;
}

/** The severities one analyzer configuration gives a file: by id, by category, for every rule. */
export interface EditorConfigSeverities {
  /** `AP101` (upper case) → its own setting. */
  byId: Map<string, SeveritySetting>;
  /** `dotnet_analyzer_diagnostic.category-Security.severity`. */
  category?: SeveritySetting;
  /** `dotnet_analyzer_diagnostic.severity`. */
  all?: SeveritySetting;
}

const ID_KEY = /^dotnet_diagnostic\.(ap\d{3})\.severity$/u;
const CATEGORY_KEY = "dotnet_analyzer_diagnostic.category-security.severity";
const ALL_KEY = "dotnet_analyzer_diagnostic.severity";

/**
 * The library's cache of parsed `.editorconfig` files, on the shared stamped cache. A missing
 * file is cached too (the library caches "not found"), and read when one appears.
 */
const parsedFiles = new StampedCache<ProcessedFileConfig>(20_000);
const cache: Cache = {
  get: (file) => parsedFiles.peek(file),
  set(file, config) {
    parsedFiles.put(file, config);
    return cache;
  },
};
/** Each `.editorconfig`'s lines, for where a key is written. */
const lineCache = new StampedCache<string[]>(1_000);

/** The severities `.editorconfig` files give `filename` (absolute), with where each is written. */
export function editorConfigSeverities(filename: string): EditorConfigSeverities {
  const visited: Visited[] = [];
  let props: Record<string, unknown>;
  try {
    props = parseSync(filename, { cache, files: visited });
  } catch {
    // An unreadable .editorconfig (permissions, a folder by that name) sets nothing, as for Roslyn.
    return { byId: new Map() };
  }
  return severitiesOf(props, (key) => sourceOf(key, visited));
}

/** The analyzer severities among `props` (keys in lower case), each with where it is written. */
export function severitiesOf(
  props: Record<string, unknown>,
  sourceOf: (key: string) => SettingSource,
  into: EditorConfigSeverities = { byId: new Map() },
): EditorConfigSeverities {
  for (const [raw, value] of Object.entries(props)) {
    const key = raw.toLowerCase();
    const severity = String(value).trim().toLowerCase();
    if (!SEVERITIES.has(severity)) continue;
    const id = ID_KEY.exec(key)?.[1];
    if (id === undefined && key !== CATEGORY_KEY && key !== ALL_KEY) continue;
    const setting: SeveritySetting = { severity: severity as RoslynSeverity, source: sourceOf(raw) };
    if (id !== undefined) into.byId.set(id.toUpperCase(), setting);
    else if (key === CATEGORY_KEY) into.category = setting;
    else into.all = setting;
  }
  return into;
}

/**
 * The last matched section that sets `key` (the library applies sections in that order, so the
 * last one is the one in force), and the line it is written on.
 */
function sourceOf(key: string, visited: readonly Visited[]): SettingSource {
  for (let i = visited.length - 1; i >= 0; i--) {
    const { fileName, glob } = visited[i];
    const processed = cache.get(fileName);
    const section = processed?.config.find(([name, body]) => name === glob && Object.hasOwn(body, key));
    if (!section) continue;
    return locate(fileName, glob, key);
  }
  return { file: visited.at(-1)?.fileName ?? "", line: 0, text: key, comment: "" };
}

const SECTION = /^\s*\[(.*)\]\s*(?:[#;].*)?$/u;
const COMMENT = /^\s*[#;]\s?(.*)$/u;

/** Where `key` is written in `file`: in the section `glob`, or before any section for `null`. */
export function locate(file: string, glob: string | null, key: string): SettingSource {
  const lines = linesOf(file);
  let inSection = glob === null;
  for (const [index, raw] of lines.entries()) {
    const section = SECTION.exec(raw);
    if (section) {
      inSection = section[1] === glob;
      continue;
    }
    if (!inSection) continue;
    const eq = raw.indexOf("=");
    if (eq === -1 || raw.slice(0, eq).trim().toLowerCase() !== key.toLowerCase()) continue;
    const comment: string[] = [];
    for (let j = index - 1; j >= 0; j--) {
      const match = COMMENT.exec(lines[j]);
      if (!match) break;
      comment.unshift(match[1].trim());
    }
    return {
      file,
      line: index + 1,
      text: `${raw.slice(0, eq).trim()} = ${raw.slice(eq + 1).trim()}`,
      comment: comment.filter((c) => c !== "").join(" "),
    };
  }
  return { file, line: 0, text: key, comment: "" };
}

function linesOf(file: string): string[] {
  return lineCache.get(file, () => {
    try {
      return readFileSync(file, "utf8").split(/\r?\n/u);
    } catch {
      // Gone since the library read it: no line to point at.
      return [];
    }
  });
}
