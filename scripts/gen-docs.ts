/** Rewrites the generated rule tables of README.md and docs/rules/README.md, and the README's settings table. */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { allRules } from "../lib/index.js";
import { SETTINGS } from "../lib/core/settings.js";
import { REMEDIATION_END, REMEDIATION_START, renderRemediation, renderRulesTable, withTable } from "./rules-table.js";
import { renderSettingsTable, SETTINGS_END, SETTINGS_START } from "./settings-table.js";

const root = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const targets: Array<[file: string, linkBase: string]> = [
  [path.join(root, "README.md"), "docs/rules/"],
  [path.join(root, "docs/rules/README.md"), "./"],
];
for (const [file, linkBase] of targets) {
  writeFileSync(file, withTable(file, renderRulesTable(allRules, linkBase)));
  console.log(`updated ${path.relative(root, file)}`);
}
const readme = path.join(root, "README.md");
writeFileSync(readme, withTable(readme, renderSettingsTable(SETTINGS), { start: SETTINGS_START, end: SETTINGS_END }));
console.log("updated the settings table of README.md");
for (const rule of allRules) {
  const page = path.join(root, "docs/rules", `${rule.descriptor.name}.md`);
  writeFileSync(
    page,
    withTable(page, renderRemediation(rule.descriptor), { start: REMEDIATION_START, end: REMEDIATION_END }),
  );
}
console.log("updated the How to fix section of every rule page");
