/**
 * The rule factory: messages carry the id and SOC 2 criteria, and a rule that fails on
 * one file reports that file instead of ending the run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRule, type NoOptions, type RuleMeta } from "../lib/core/create-rule.js";
import plugin from "../lib/index.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";

const descriptor = {
  id: "AP999",
  name: "always-fails",
  title: "t",
  description: "d",
  severity: "high" as const,
  soc2: ["CC6.1"],
  owasp: [],
  cwe: "CWE-0",
  remediation: "Nothing to do.",
};
const noOptions = {
  type: "problem",
  schema: [{ type: "object", properties: {}, additionalProperties: false }],
  defaultOptions: [{}],
} as const satisfies Pick<RuleMeta<NoOptions, never>, "type" | "schema" | "defaultOptions">;
const failing = createRule<NoOptions, "never">({
  descriptor,
  meta: { messages: { never: "never." }, ...noOptions },
  create() {
    throw new Error("model shape not understood");
  },
});
const echo = createRule<NoOptions, "one">({
  descriptor: { ...descriptor, name: "one-per-file" },
  meta: { messages: { one: "{{language}} file." }, ...noOptions },
  create(context) {
    context.report({
      loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 1 } },
      messageId: "one",
      data: { language: context.model.language },
      remedy: "nothing to do.",
    });
  },
});

for (const version of ESLINT_VERSIONS) {
  test(`rule failures are reported per file, messages are framed (${version.label})`, async () => {
    const testPlugin = { ...plugin, rules: { "always-fails": failing, "one-per-file": echo } };
    const eslint = new version.ESLint({
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ["**/*.ts"],
          plugins: { t: testPlugin },
          rules: { "t/always-fails": "error", "t/one-per-file": "warn" },
        },
        {
          files: ["**/*.cs"],
          plugins: { t: testPlugin },
          language: "t/csharp",
          rules: { "t/always-fails": "error", "t/one-per-file": "warn" },
        },
      ] as never,
    });
    for (const [filePath, language] of [
      ["a.ts", "ts"],
      ["A.cs", "csharp"],
    ] as const) {
      const [result] = await eslint.lintText("class A {}\n", { filePath });
      assert.deepEqual(
        result.messages.map((m) => `${m.ruleId} ${m.message}`),
        [
          "t/always-fails AP999: api-posture could not analyse this file (model shape not understood); no AP999 results for it.",
          `t/one-per-file AP999 ${language} file. SOC 2 CC6.1. Fix: nothing to do.`,
        ],
      );
    }
  });
}
