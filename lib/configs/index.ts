/**
 * `recommended-soc2` (high → error, the rest → warn; the rules whose `docs.recommended` is
 * false are left out) and `strict-soc2` (every rule → error).
 * Each config scopes itself with `files`, so it never runs on files it does not understand,
 * and gives the JS and TS files it lints the guarded parsers of lib/parser.ts.
 */
import { javascriptParser, typescriptParser } from "../parser.js";
import type { ApiPostureRule } from "../core/create-rule.js";
import { PLUGIN_NAMESPACE } from "../core/descriptor.js";

export const JS_FILES = ["**/*.js", "**/*.mjs", "**/*.cjs", "**/*.jsx", "**/*.ts", "**/*.mts", "**/*.cts", "**/*.tsx"];
export const TS_FILES = ["**/*.ts", "**/*.mts", "**/*.cts", "**/*.tsx"];
export const JAVASCRIPT_FILES = ["**/*.js", "**/*.mjs", "**/*.cjs", "**/*.jsx"];
export const CSHARP_FILES = ["**/*.cs"];

export type FlatConfig = Record<string, unknown> & { name: string };

type Level = "error" | "warn";

function ruleLevels(rules: readonly ApiPostureRule[], level: (rule: ApiPostureRule) => Level): Record<string, Level> {
  return Object.fromEntries(rules.map((rule) => [`${PLUGIN_NAMESPACE}/${rule.descriptor.name}`, level(rule)]));
}

export function buildConfig(
  name: string,
  plugin: object,
  rules: readonly ApiPostureRule[],
  level: (rule: ApiPostureRule) => Level,
): FlatConfig[] {
  const plugins = { [PLUGIN_NAMESPACE]: plugin };
  const levels = ruleLevels(rules, level);
  return [
    {
      // ESLint's own sourceType and ecmaVersion defaults (module, commonjs for .cjs, latest) still apply.
      name: `${PLUGIN_NAMESPACE}/${name}/javascript-parser`,
      files: JAVASCRIPT_FILES,
      languageOptions: { parser: javascriptParser },
    },
    {
      name: `${PLUGIN_NAMESPACE}/${name}/jsx`,
      files: ["**/*.jsx"],
      languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
    },
    {
      name: `${PLUGIN_NAMESPACE}/${name}/typescript-parser`,
      files: TS_FILES,
      languageOptions: { parser: typescriptParser },
    },
    {
      name: `${PLUGIN_NAMESPACE}/${name}/js`,
      files: JS_FILES,
      plugins,
      rules: levels,
    },
    {
      name: `${PLUGIN_NAMESPACE}/${name}/csharp`,
      files: CSHARP_FILES,
      plugins,
      language: `${PLUGIN_NAMESPACE}/csharp`,
      // `.editorconfig` severities, `<NoWarn>` and the project's global suppressions (csharp-bridge/roslyn/).
      processor: `${PLUGIN_NAMESPACE}/roslyn`,
      rules: levels,
    },
  ];
}

export const recommendedLevel = (rule: ApiPostureRule): Level =>
  rule.descriptor.severity === "high" ? "error" : "warn";
export const strictLevel = (): Level => "error";
