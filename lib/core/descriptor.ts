/**
 * Roslyn-style rule descriptors: everything about a rule that is not its analysis.
 * They drive rule metadata, messages, the generated docs table and the configs.
 */
import { readFileSync } from "node:fs";

export type Severity = "high" | "medium" | "low";

export interface RuleDescriptor {
  /** Stable Roslyn-style id, e.g. `AP101`. */
  id: string;
  /** ESLint rule name without the plugin prefix, e.g. `require-route-auth`. */
  name: string;
  title: string;
  /** One sentence: what the rule finds. */
  description: string;
  severity: Severity;
  /** SOC 2 Trust Services Criteria, e.g. `CC6.1`. */
  soc2: readonly string[];
  /** OWASP API Security Top 10 (2023) categories, e.g. `API5:2023 Broken Function Level Authorization`. */
  owasp: readonly string[];
  cwe: string;
  /** What to do about a finding, in two or three sentences: the report and SARIF's help text carry it. */
  remediation: string;
}

export const PLUGIN_NAME = "eslint-plugin-api-posture";
/** The package's version, read once from its manifest (this module runs as dist/lib/core/descriptor.js). */
export const PLUGIN_VERSION = (
  JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
export const PLUGIN_NAMESPACE = "api-posture";
export const REPOSITORY_URL = "https://github.com/api-posture/eslint-plugin-api-posture";

/**
 * The rule's page as released with this version (`…/blob/v0.1.0/docs/rules/<name>.md`),
 * so a finding links to the text that describes the rule that reported it.
 */
export function helpUrl(descriptor: Pick<RuleDescriptor, "name">): string {
  return `${REPOSITORY_URL}/blob/v${PLUGIN_VERSION}/docs/rules/${descriptor.name}.md`;
}

/** The SOC 2 suffix every message ends with, e.g. `SOC 2 CC6.1, CC6.3.` */
export function soc2Suffix(descriptor: Pick<RuleDescriptor, "soc2">): string {
  return `SOC 2 ${descriptor.soc2.join(", ")}.`;
}
