/**
 * The ESLint options of a scan, built from plain data. ESLint's `--concurrency` runs rules
 * in worker threads that build their own ESLint from an options module
 * (`ESLint.fromOptionsModule`): eslint-options-module.ts is that module, reading the scan's
 * plan from the environment; the serial scan builds its ESLint from the same function.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { includeIgnoreFile } from "@eslint/compat";
import type { ESLint, Linter } from "eslint";
import plugin from "../index.js";
import { CSHARP_FILES, TS_FILES } from "../configs/index.js";
import { inventoryPlugin, INVENTORY_PLUGIN, INVENTORY_RULE_ID } from "./inventory.js";

/** Build output, dependencies and generated code: never what a team wrote. */
export const DEFAULT_IGNORES = [
  "**/node_modules/**",
  "**/dist/**",
  "**/build/**",
  "**/coverage/**",
  "**/bin/**",
  "**/obj/**",
  "**/.git/**",
  "**/*.min.js",
  "**/*.d.ts",
];

/** Everything a scan's ESLint depends on, as data a worker thread can read back. */
export interface ScanPlan {
  cwd: string;
  /** The project's own flat config (`--config`), absolute; else the zero-config rule set. */
  configFile?: string;
  strict: boolean;
  /** settings["api-posture"] for TS/JS files and for C# files. */
  settings: { typescript?: Record<string, unknown>; csharp?: Record<string, unknown> };
  concurrency?: number | "auto" | "off";
}

export const PLAN_VARIABLE = "API_POSTURE_SCAN_PLAN";

export function eslintOptions(plan: ScanPlan): ESLint.Options {
  const gitignore = path.join(plan.cwd, ".gitignore");
  const ignores: Linter.Config[] = [
    { name: "api-posture/ignores", ignores: DEFAULT_IGNORES },
    ...(existsSync(gitignore) ? [includeIgnoreFile(gitignore) as Linter.Config] : []),
  ];
  const inventory: Linter.Config[] = [
    {
      name: "api-posture/inventory",
      files: [...TS_FILES, ...CSHARP_FILES],
      plugins: { [INVENTORY_PLUGIN]: inventoryPlugin as unknown as ESLint.Plugin },
      rules: { [INVENTORY_RULE_ID]: "warn" },
    },
  ];
  const settings: Linter.Config[] = [
    ...(plan.settings.typescript
      ? [{ name: "api-posture/settings-ts", files: TS_FILES, settings: { "api-posture": plan.settings.typescript } }]
      : []),
    ...(plan.settings.csharp
      ? [{ name: "api-posture/settings-cs", files: CSHARP_FILES, settings: { "api-posture": plan.settings.csharp } }]
      : []),
  ];
  const common = {
    cwd: plan.cwd,
    errorOnUnmatchedPattern: false,
    ...(plan.concurrency !== undefined ? { concurrency: plan.concurrency } : {}),
  } as ESLint.Options;
  if (plan.configFile) {
    return {
      ...common,
      overrideConfigFile: plan.configFile,
      overrideConfig: [...ignores, ...inventory],
    };
  }
  const rules = plugin.configs[plan.strict ? "strict-soc2" : "recommended-soc2"] as Linter.Config[];
  return {
    ...common,
    overrideConfigFile: true,
    overrideConfig: [...ignores, ...rules, ...settings, ...inventory],
  };
}
