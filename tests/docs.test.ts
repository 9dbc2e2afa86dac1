/**
 * The docs stay true to the code: generated rule tables are current, every rule has its
 * page with the shape the project promises, and the page's metadata matches the descriptor.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { allRules } from "../lib/index.js";
import { helpUrl, PLUGIN_VERSION } from "../lib/core/descriptor.js";
import {
  REMEDIATION_END,
  REMEDIATION_START,
  renderRemediation,
  renderRulesTable,
  withTable,
} from "../scripts/rules-table.js";
import { ROOT } from "./helpers/paths.js";

for (const [file, linkBase] of [
  ["README.md", "docs/rules/"],
  ["docs/rules/README.md", "./"],
] as const) {
  test(`the rule table in ${file} is generated from the descriptors (run npm run docs)`, () => {
    const full = path.join(ROOT, file);
    assert.equal(readFileSync(full, "utf8"), withTable(full, renderRulesTable(allRules, linkBase)));
  });
}

for (const rule of allRules) {
  const { descriptor } = rule;
  test(`docs/rules/${descriptor.name}.md documents ${descriptor.id}`, () => {
    const page = path.join(ROOT, "docs/rules", `${descriptor.name}.md`);
    assert.ok(existsSync(page), "the page exists");
    const text = readFileSync(page, "utf8");
    assert.match(text, new RegExp(`^# ${descriptor.id} \`${descriptor.name}\``, "u"));
    for (const criterion of descriptor.soc2) assert.ok(text.includes(criterion), `mentions SOC 2 ${criterion}`);
    assert.ok(text.includes(descriptor.cwe), `mentions ${descriptor.cwe}`);
    for (const heading of [
      "## Why an auditor cares",
      "## Examples",
      "### TypeScript",
      "### C#",
      "## Options",
      "## Suppressing a finding",
      "## When the rule is wrong",
    ]) {
      assert.ok(text.includes(heading), `has the section "${heading}"`);
    }
    assert.equal(
      text,
      withTable(page, renderRemediation(descriptor), { start: REMEDIATION_START, end: REMEDIATION_END }),
      "the How to fix section is the descriptor's remediation (run npm run docs)",
    );
    assert.equal(rule.meta.docs.url, helpUrl(descriptor));
    assert.ok(
      rule.meta.docs.url.endsWith(`/blob/v${PLUGIN_VERSION}/docs/rules/${descriptor.name}.md`),
      "docs.url is the page as released with this version",
    );
  });
}
