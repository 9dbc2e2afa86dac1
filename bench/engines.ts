/** The two configurations the benchmark compares: the same parser with no rules, and recommended-soc2. */
import tsParser from "@typescript-eslint/parser";
import { ESLint, type Linter } from "eslint";
import plugin from "../lib/index.js";
import { CSHARP_FILES, TS_FILES } from "../lib/configs/index.js";
import { PLUGIN_NAMESPACE } from "../lib/core/descriptor.js";

/** Two ESLint instances over the corpus in `dir` that differ only in the plugin's rules. */
export function engines(dir: string, language: "ts" | "csharp"): { recommended: ESLint; parseOnly: ESLint } {
  const parseOnlyConfig: Linter.Config[] =
    language === "ts"
      ? [{ files: TS_FILES, languageOptions: { parser: tsParser } }]
      : [
          {
            files: CSHARP_FILES,
            plugins: { [PLUGIN_NAMESPACE]: plugin as unknown as ESLint.Plugin },
            language: `${PLUGIN_NAMESPACE}/csharp`,
          },
        ];
  const make = (overrideConfig: Linter.Config[]) =>
    new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig, cache: false });
  return {
    recommended: make(plugin.configs["recommended-soc2"]),
    parseOnly: make(parseOnlyConfig),
  };
}
