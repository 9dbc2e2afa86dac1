/**
 * Lints every fixture under tests/fixtures with the real flat config
 * (tests/fixtures/eslint.config.js → recommended-soc2) and checks the reports against
 * the `// ruleid:` / `// ok:` annotations, for each supported ESLint major.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { readFileSync } from "node:fs";
import plugin from "../lib/index.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { FIXTURES } from "./helpers/paths.js";
import { compareWithAnnotations, parseAnnotations } from "./helpers/annotations.js";

const idByRuleId = new Map(
  Object.values(plugin.rules).map((rule) => [`api-posture/${rule.descriptor.name}`, rule.descriptor.id]),
);

for (const version of ESLINT_VERSIONS) {
  test(`annotated fixtures through recommended-soc2 (${version.label})`, async (t) => {
    const eslint = new version.ESLint({ cwd: FIXTURES });
    const results = await eslint.lintFiles(["."]);
    const languages = new Set(results.map((r) => path.extname(r.filePath)));
    assert.ok(languages.has(".ts") && languages.has(".cs"), "fixtures in both languages are linted");
    let annotated = 0;
    for (const result of results) {
      const relative = path.relative(FIXTURES, result.filePath);
      await t.test(relative, () => {
        const text = readFileSync(result.filePath, "utf8");
        const other = result.messages.filter((m) => !m.ruleId || !idByRuleId.has(m.ruleId));
        assert.deepEqual(
          other.map((m) => `${m.line}:${m.column} ${m.message}`),
          [],
          "no parse errors, unused directives or foreign reports",
        );
        const findings = result.messages.flatMap((m) =>
          m.ruleId && idByRuleId.has(m.ruleId)
            ? [{ id: idByRuleId.get(m.ruleId)!, line: m.line, message: m.message }]
            : [],
        );
        assert.deepEqual(compareWithAnnotations(text, findings), []);
        annotated += parseAnnotations(text).length;
      });
    }
    assert.ok(annotated > 0, "the fixtures carry annotations");
  });
}
