import plugin from "../../lib/index.js";
import type { EslintVersion } from "./eslint.js";

/** An ESLint instance with recommended-soc2 and unused directives reported as errors, as in a strict CI. */
export function recommendedEslint(version: EslintVersion, extra: object[] = [], options: Record<string, unknown> = {}) {
  return new version.ESLint({
    overrideConfigFile: true,
    overrideConfig: [
      ...plugin.configs["recommended-soc2"],
      { linterOptions: { reportUnusedDisableDirectives: "error" } },
      ...extra,
    ],
    ...options,
  });
}

export interface Message {
  ruleId: string | null;
  line: number;
  column: number;
  message: string;
  severity: number;
}

/** `line rule` pairs, compact enough to compare in assertions. */
export function summary(messages: readonly Message[]): string[] {
  return messages.map((m) => `${m.line} ${m.ruleId ?? (/^Unused/u.test(m.message) ? "unused-directive" : m.message)}`);
}
