/**
 * The Roslyn way of configuring analyzers, for C# files: a processor (`api-posture/roslyn`)
 * that the plugin's configs put on `**\/*.cs`. ESLint's config decides which rules run and
 * their options; for the rules that run, the C# project's own switches then decide, as they do
 * for every Roslyn analyzer the team runs:
 *
 *  1. `.editorconfig`'s `dotnet_diagnostic.AP101.severity` (`default` keeps ESLint's level), then a
 *     global AnalyzerConfig's (`.globalconfig`, globalconfig.ts);
 *  2. else `<NoWarn>` in the project file or a `Directory.Build.props` above it, and
 *     `<WarningsAsErrors>` naming the rule;
 *  3. else `dotnet_analyzer_diagnostic.category-Security.severity`, then
 *     `dotnet_analyzer_diagnostic.severity` (each from `.editorconfig`, then `.globalconfig`);
 *  4. `<WarningsAsErrors>`, `<TreatWarningsAsErrors>` (less `<WarningsNotAsErrors>`) raise a
 *     warning to an error.
 *
 * `error` is ESLint's error, `warning` and `suggestion` its warning; `none` and `silent` (and
 * `<NoWarn>`) suppress the finding: it moves to ESLint's suppressed messages with the comment
 * above the setting as its justification, so reports list what the configuration silenced.
 *
 * The processor also finishes the project's global suppressions (source-code.ts): ESLint's
 * report of one that silenced nothing in this file names the attribute instead of a comment
 * and offers no fix here; one that reaches a namespace or a partial type is left to
 * `api-posture scan`, which sees every file.
 */
import path from "node:path";
import type { Linter } from "eslint";
import {
  editorConfigSeverities,
  type EditorConfigSeverities,
  type RoslynSeverity,
  type SeveritySetting,
  type SettingSource,
} from "./editorconfig.js";
import { projectWarnings, type ProjectWarnings } from "./msbuild.js";
import { globalConfigSeverities } from "./globalconfig.js";
import { takeGlobalSites } from "./sites.js";

export interface RoslynFileConfig {
  editorconfig: EditorConfigSeverities;
  /** The project's global AnalyzerConfig files (`.globalconfig`). */
  globalconfig: EditorConfigSeverities;
  project: ProjectWarnings;
}

export interface ConfigSuppression {
  kind: "editorconfig" | "msbuild";
  source: SettingSource;
}

export type Decision =
  { severity: 1 | 2; suppressedBy?: undefined } | { severity: 1 | 2; suppressedBy: ConfigSuppression };

/** The Roslyn configuration of a C# file (absolute path); nothing for a path that is not one. */
export function roslynConfigFor(filename: string): RoslynFileConfig | undefined {
  if (!path.isAbsolute(filename)) return undefined;
  const project = projectWarnings(filename);
  return { editorconfig: editorConfigSeverities(filename), globalconfig: globalConfigSeverities(project), project };
}

/**
 * What the file's configuration makes of a finding of rule `id` (`AP101`) that ESLint reports at
 * `severity`, with Roslyn's precedence: a `.editorconfig` setting for the id beats the project's
 * `<NoWarn>` and `<WarningsAsErrors>`, which beat the bulk `.editorconfig` settings (by category,
 * for every rule); a warning is then raised to an error by `<WarningsAsErrors>` naming the id or
 * by `<TreatWarningsAsErrors>` (unless `<WarningsNotAsErrors>` names it).
 */
export function decide(config: RoslynFileConfig, id: string, severity: 1 | 2): Decision {
  const { editorconfig, globalconfig, project } = config;
  let level: RoslynSeverity = severity === 2 ? "error" : "warning";
  const specific = [editorconfig.byId.get(id), globalconfig.byId.get(id)].find(
    (s) => s !== undefined && s.severity !== "default",
  );
  const suppressedBy = (setting: SeveritySetting): Decision => ({
    severity,
    suppressedBy: { kind: "editorconfig", source: setting.source },
  });
  if (specific) {
    level = specific.severity;
    if (level === "none" || level === "silent") return suppressedBy(specific);
  } else {
    const noWarn = project.noWarn.get(id);
    if (noWarn) return { severity, suppressedBy: { kind: "msbuild", source: noWarn } };
    const bulk = [editorconfig.category, globalconfig.category, editorconfig.all, globalconfig.all].find(
      (s) => s !== undefined && s.severity !== "default",
    );
    if (bulk && !project.warningsAsErrors.has(id)) {
      level = bulk.severity;
      if (level === "none" || level === "silent") return suppressedBy(bulk);
    }
  }
  if (
    level === "warning" &&
    (project.warningsAsErrors.has(id) || (project.treatWarningsAsErrors && !project.warningsNotAsErrors.has(id)))
  )
    level = "error";
  return { severity: level === "error" ? 2 : 1 };
}

/** The configuration's suppressions for a file: each of `ids` it silences, with the setting that does. */
export function configSuppressions(
  config: RoslynFileConfig,
  ids: Iterable<string>,
): Array<{ id: string; by: ConfigSuppression }> {
  const found: Array<{ id: string; by: ConfigSuppression }> = [];
  for (const id of ids) {
    const decision = decide(config, id, 1);
    if (decision.suppressedBy) found.push({ id, by: decision.suppressedBy });
  }
  return found;
}

type Message = Linter.LintMessage;

const UNUSED = /^Unused eslint-disable directive \(no problems were reported from (.*)\)\.$/u;

export function createRoslynProcessor({
  ids,
  version,
}: {
  ids: ReadonlyMap<string, string>;
  version: string;
}): Linter.Processor & { meta: { name: string; version: string } } {
  return {
    meta: { name: "api-posture/roslyn", version },
    supportsAutofix: true,
    preprocess(text: string): string[] {
      return [text];
    },
    postprocess(lists: Message[][], filename: string): Message[] {
      const messages = lists.flat();
      const sites = takeGlobalSites(filename);
      // Read the project's files only for a file with findings of ours (most files have none).
      const config = messages.some((m) => m.ruleId && ids.has(m.ruleId)) ? roslynConfigFor(filename) : undefined;
      const out: Message[] = [];
      for (const message of messages) {
        const id = message.ruleId ? ids.get(message.ruleId) : undefined;
        if (id && config && (message.severity === 1 || message.severity === 2)) {
          const decision = decide(config, id, message.severity);
          const changed: Message = { ...message, severity: decision.severity };
          const suppressed = message as Partial<Linter.SuppressedLintMessage>;
          if (decision.suppressedBy && !suppressed.suppressions) {
            (changed as Linter.SuppressedLintMessage).suppressions = [
              { kind: "directive", justification: decision.suppressedBy.source.comment },
            ];
          }
          out.push(changed);
          continue;
        }
        if (message.ruleId === null && sites.length > 0) {
          const unused = UNUSED.exec(message.message);
          const site = unused
            ? sites.find(
                (s) => s.line === message.line && s.column + 1 === message.column && unused[1].includes(`'${s.rule}'`),
              )
            : undefined;
          if (site) {
            if (site.shared) continue;
            const rest = { ...message };
            delete rest.fix;
            out.push({
              ...rest,
              message: `Unused global suppression (no problems were reported from '${site.rule}' here): [assembly: SuppressMessage] at ${path.basename(site.source.file)}:${site.source.line}.`,
            });
            continue;
          }
        }
        out.push(message);
      }
      return out;
    },
  };
}
