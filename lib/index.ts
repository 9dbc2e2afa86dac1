/**
 * eslint-plugin-api-posture: the plugin object (meta, rules, configs, languages, processors).
 */
import "./adapters/index.js";
import { CSharpLanguage } from "../csharp-bridge/language.js";
import { createRoslynProcessor } from "../csharp-bridge/roslyn/processor.js";
import type { ApiPostureRule } from "./core/create-rule.js";
import { PLUGIN_NAME, PLUGIN_NAMESPACE, PLUGIN_VERSION } from "./core/descriptor.js";
import { buildConfig, recommendedLevel, strictLevel, type FlatConfig } from "./configs/index.js";
import { allRules, rules } from "./rules/index.js";

/** `AP101` → `api-posture/require-route-auth`, for C#'s `#pragma warning` and `[SuppressMessage]`. */
const ruleNames = new Map(allRules.map((rule) => [rule.descriptor.id, `${PLUGIN_NAMESPACE}/${rule.descriptor.name}`]));
/** `api-posture/require-route-auth` → `AP101`, for C# projects' `.editorconfig` and project files. */
const ruleIds = new Map([...ruleNames].map(([id, name]) => [name, id]));

export interface ApiPosturePlugin {
  meta: { name: string; version: string; namespace: string };
  rules: Record<string, ApiPostureRule>;
  configs: { "recommended-soc2": FlatConfig[]; "strict-soc2": FlatConfig[] };
  languages: { csharp: CSharpLanguage };
  processors: { roslyn: ReturnType<typeof createRoslynProcessor> };
}

const plugin: ApiPosturePlugin = {
  meta: { name: PLUGIN_NAME, version: PLUGIN_VERSION, namespace: PLUGIN_NAMESPACE },
  rules,
  configs: { "recommended-soc2": [], "strict-soc2": [] },
  languages: { csharp: new CSharpLanguage({ ruleNames }) },
  processors: { roslyn: createRoslynProcessor({ ids: ruleIds, version: PLUGIN_VERSION }) },
};
plugin.configs["recommended-soc2"] = buildConfig(
  "recommended-soc2",
  plugin,
  allRules.filter((rule) => rule.meta.docs.recommended),
  recommendedLevel,
);
plugin.configs["strict-soc2"] = buildConfig("strict-soc2", plugin, allRules, strictLevel);

export default plugin;
export { allRules };
export type { RuleDescriptor } from "./core/descriptor.js";
export type { ApiPostureSettings } from "./core/settings.js";
