/**
 * Global AnalyzerConfig files: project-wide analyzer settings without sections, marked
 * `is_global = true` (a file named `.globalconfig` is one by its name). A project gets the
 * nearest `.globalconfig` at or above its folder, then the files
 * its project files pass with `<GlobalAnalyzerConfigFiles>` or `<EditorConfigFiles>`; a later
 * file's setting replaces an earlier one's. Parsed with the EditorConfig library's INI reader.
 * `.editorconfig` settings come first (processor.ts), as in Roslyn.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseBuffer } from "editorconfig";
import { locate, severitiesOf, type EditorConfigSeverities } from "./editorconfig.js";
import type { ProjectWarnings } from "./msbuild.js";

const NAME = ".globalconfig";

interface Stamped {
  mtimeMs: number;
  size: number;
  /** The global section's keys, or undefined when the file is not a global config. */
  props: Record<string, string> | undefined;
}

const files = new Map<string, Stamped>();
/** Folder → the nearest `.globalconfig` at or above it, by the folder's mtime. */
const nearest = new Map<string, { mtimeMs: number; found: string | undefined }>();

export function resetGlobalConfigCache(): void {
  files.clear();
  nearest.clear();
}

function globalProps(file: string): Record<string, string> | undefined {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) return undefined;
  const cached = files.get(file);
  if (cached?.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.props;
  let props: Record<string, string> | undefined;
  try {
    const [first] = parseBuffer(readFileSync(file));
    const global = first && first[0] === null ? first[1] : {};
    const lower = Object.fromEntries(Object.entries(global).map(([k, v]) => [k.toLowerCase(), v]));
    const isGlobal =
      String(lower.is_global ?? "")
        .trim()
        .toLowerCase() === "true";
    props = isGlobal || path.basename(file) === NAME ? global : undefined;
  } catch {
    // Unreadable or not INI: sets nothing.
  }
  files.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, props });
  if (files.size > 1_000) files.delete(files.keys().next().value!);
  return props;
}

function nearestGlobalConfig(dir: string): string | undefined {
  const stat = statSync(dir, { throwIfNoEntry: false });
  const mtimeMs = stat?.mtimeMs ?? -1;
  const cached = nearest.get(dir);
  if (cached?.mtimeMs === mtimeMs) return cached.found;
  const here = path.join(dir, NAME);
  const parent = path.dirname(dir);
  const found = statSync(here, { throwIfNoEntry: false })?.isFile()
    ? here
    : parent === dir
      ? undefined
      : nearestGlobalConfig(parent);
  nearest.set(dir, { mtimeMs, found });
  if (nearest.size > 20_000) nearest.delete(nearest.keys().next().value!);
  return found;
}

/** The severities the project's global configs give every one of its files. */
export function globalConfigSeverities(project: ProjectWarnings): EditorConfigSeverities {
  const result: EditorConfigSeverities = { byId: new Map() };
  const auto = project.projectDir ? nearestGlobalConfig(project.projectDir) : undefined;
  for (const file of [...(auto ? [auto] : []), ...project.analyzerConfigs]) {
    const props = globalProps(file);
    if (props) severitiesOf(props, (key) => locate(file, null, key), result);
  }
  return result;
}
