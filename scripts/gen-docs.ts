/** Rewrites the generated rule tables of README.md and docs/rules/README.md. */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { allRules } from "../lib/index.js";
import { renderRulesTable, withTable } from "./rules-table.js";

const root = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const targets: Array<[file: string, linkBase: string]> = [
  [path.join(root, "README.md"), "docs/rules/"],
  [path.join(root, "docs/rules/README.md"), "./"],
];
for (const [file, linkBase] of targets) {
  writeFileSync(file, withTable(file, renderRulesTable(allRules, linkBase)));
  console.log(`updated ${path.relative(root, file)}`);
}
