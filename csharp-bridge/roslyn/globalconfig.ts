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
import { StampedCache } from "./stamped.js";
import type { ProjectWarnings } from "./msbuild.js";

const NAME = ".globalconfig";

/** A file → its global section's keys, or undefined when it is not a global config. */
const files = new StampedCache<Record<string, string> | undefined>(1_000);
/** A folder → the nearest `.globalconfig` at or above it. */
const nearest = new StampedCache<string | undefined>(20_000);

function globalProps(file: string): Record<string, string> | undefined {
  return files.get(file, (stat) => {
    if (!stat?.isFile()) return undefined;
    try {
      const [first] = parseBuffer(readFileSync(file));
      const global = first && first[0] === null ? first[1] : {};
      const lower = Object.fromEntries(Object.entries(global).map(([k, v]) => [k.toLowerCase(), v]));
      const isGlobal =
        String(lower.is_global ?? "")
          .trim()
          .toLowerCase() === "true";
      return isGlobal || path.basename(file) === NAME ? global : undefined;
    } catch {
      // Unreadable or not INI: sets nothing.
      return undefined;
    }
  });
}

function nearestGlobalConfig(dir: string): string | undefined {
  return nearest.get(dir, () => {
    const here = path.join(dir, NAME);
    if (statSync(here, { throwIfNoEntry: false })?.isFile()) return here;
    const parent = path.dirname(dir);
    return parent === dir ? undefined : nearestGlobalConfig(parent);
  });
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
