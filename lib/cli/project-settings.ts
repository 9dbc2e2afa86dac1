/**
 * The settings a zero-config scan honours, so that it reports what the team's editor and
 * `eslint` report: `settings["api-posture"]` from the project's own ESLint config, when one
 * is found and loads, then `.api-posture.json` in the working directory (the same object),
 * which wins key by key. A config scoped to some folders only is read as it applies at
 * the top of the working directory.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { UsageError } from "./args.js";
import type { ScanPlan } from "./eslint-options.js";

export const OWN_SETTINGS_FILE = ".api-posture.json";

export async function projectSettings(cwd: string): Promise<{ settings: ScanPlan["settings"]; warnings: string[] }> {
  const warnings: string[] = [];
  const own = ownSettings(cwd);
  let typescript: Record<string, unknown> | undefined;
  let csharp: Record<string, unknown> | undefined;
  try {
    const eslint = new ESLint({ cwd });
    const at = async (name: string) =>
      settingsIn((await eslint.calculateConfigForFile(path.join(cwd, name))) as { settings?: unknown } | undefined);
    // A config without `files` for .ts or .cs still sets what its global objects say: read them from a .js file.
    const plain = await at("api-posture-settings-probe.js");
    typescript = (await at("api-posture-settings-probe.ts")) ?? plain;
    csharp = (await at("api-posture-settings-probe.cs")) ?? plain;
  } catch (error) {
    const message = String((error as Error)?.message ?? error).split("\n")[0];
    // No ESLint config at all is the zero-config case, not a problem.
    if (!/could not find config file|no eslint configuration/iu.test(message))
      warnings.push(`the project's ESLint config could not be read for its settings (${message})`);
  }
  const merge = (fromConfig: Record<string, unknown> | undefined) =>
    fromConfig || own ? { ...(fromConfig ?? {}), ...(own ?? {}) } : undefined;
  const settings: ScanPlan["settings"] = {};
  const ts = merge(typescript);
  const cs = merge(csharp);
  if (ts) settings.typescript = ts;
  if (cs) settings.csharp = cs;
  return { settings, warnings };
}

function settingsIn(config: { settings?: unknown } | undefined): Record<string, unknown> | undefined {
  const value = (config?.settings as Record<string, unknown> | undefined)?.["api-posture"];
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function ownSettings(cwd: string): Record<string, unknown> | undefined {
  const file = path.join(cwd, OWN_SETTINGS_FILE);
  if (!existsSync(file)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`${OWN_SETTINGS_FILE} is not valid JSON: ${(error as Error).message}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw new UsageError(`${OWN_SETTINGS_FILE} must hold one object: the settings["api-posture"] of the project`);
  return value as Record<string, unknown>;
}
