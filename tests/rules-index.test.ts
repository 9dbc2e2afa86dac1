/**
 * Every rule file is registered everywhere a rule must be: lib/rules/index.ts, the
 * plugin's `rules`, both configs (for TS/JS and for C#), and it has its docs page. A rule
 * file added without one of these fails here, as does a registration or a page left
 * behind by a rule that no longer exists.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import plugin from "../lib/index.js";
import { allRules, rules } from "../lib/rules/index.js";
import { CSHARP_FILES, JS_FILES } from "../lib/configs/index.js";
import type { ApiPostureRule } from "../lib/core/create-rule.js";
import { ROOT } from "./helpers/paths.js";

/** Rule names from the source files: lib/rules/<name>.ts, index.ts aside. */
const ruleFiles = readdirSync(path.join(ROOT, "lib/rules"), { withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && entry.name !== "index.ts")
  .map((entry) => entry.name.slice(0, -".ts".length))
  .sort();

const sorted = (names: Iterable<string>): string[] => [...names].sort();

describe("lib/rules/index.ts", () => {
  it("has rule files to check", () => {
    assert.ok(ruleFiles.length > 0);
  });

  it("lists every rule file in allRules, once", () => {
    assert.deepEqual(sorted(allRules.map((rule) => rule.descriptor.name)), ruleFiles);
  });

  it("registers every rule file under its file name", () => {
    assert.deepEqual(sorted(Object.keys(rules)), ruleFiles);
  });

  for (const name of ruleFiles) {
    it(`registers the rule that ${name}.ts exports`, async () => {
      const module = (await import(pathToFileURL(path.join(ROOT, "dist/lib/rules", `${name}.js`)).href)) as {
        default: ApiPostureRule;
      };
      assert.equal(module.default.descriptor.name, name, "the descriptor's name is the file's name");
      assert.equal(rules[name], module.default);
      assert.ok(allRules.includes(module.default));
    });
  }

  it("gives every rule its own id", () => {
    const ids = allRules.map((rule) => rule.descriptor.id);
    assert.equal(new Set(ids).size, ids.length, `ids: ${ids.join(", ")}`);
  });
});

describe("the plugin", () => {
  it("exposes every rule file in plugin.rules", () => {
    assert.deepEqual(sorted(Object.keys(plugin.rules)), ruleFiles);
    for (const name of ruleFiles) assert.equal(plugin.rules[name], rules[name]);
  });

  for (const configName of ["recommended-soc2", "strict-soc2"] as const) {
    for (const [language, files] of [
      ["TS/JS", JS_FILES],
      ["C#", CSHARP_FILES],
    ] as const) {
      const included = (rule: ApiPostureRule) => configName === "strict-soc2" || rule.meta.docs.recommended;
      it(`turns every rule on in ${configName} for ${language} files${configName === "recommended-soc2" ? ", strict-only rules aside" : ""}`, () => {
        const blocks = plugin.configs[configName].filter(
          (block) => block.rules !== undefined && JSON.stringify(block.files) === JSON.stringify(files),
        );
        assert.equal(blocks.length, 1, `one ${language} block with rules`);
        const configured = Object.keys(blocks[0].rules as Record<string, unknown>);
        assert.deepEqual(
          sorted(configured),
          ruleFiles.filter((name) => included(rules[name])).map((name) => `api-posture/${name}`),
        );
        const levels = blocks[0].rules as Record<string, string>;
        for (const rule of allRules.filter(included)) {
          const expected = configName === "strict-soc2" || rule.descriptor.severity === "high" ? "error" : "warn";
          assert.equal(levels[`api-posture/${rule.descriptor.name}`], expected, rule.descriptor.name);
        }
      });
    }
  }
});

describe("strict-only rules", () => {
  it("leaves only the rules whose docs.recommended is false out of recommended-soc2, and says why on their page", () => {
    const strictOnly = allRules.filter((rule) => !rule.meta.docs.recommended).map((rule) => rule.descriptor.name);
    assert.deepEqual(strictOnly, ["require-audit-log"]);
    for (const name of strictOnly) {
      const page = readFileSync(path.join(ROOT, "docs/rules", `${name}.md`), "utf8");
      assert.match(page, /`strict-soc2` only/u, `docs/rules/${name}.md says it is in strict-soc2 only`);
    }
  });
});

describe("docs/rules", () => {
  for (const name of ruleFiles) {
    it(`has the page of ${name}`, () => {
      assert.ok(existsSync(path.join(ROOT, "docs/rules", `${name}.md`)), `docs/rules/${name}.md exists`);
    });
  }

  it("has no page for a rule that does not exist", () => {
    const pages = readdirSync(path.join(ROOT, "docs/rules"))
      .filter((file) => file.endsWith(".md") && file !== "README.md")
      .map((file) => file.slice(0, -".md".length));
    assert.deepEqual(sorted(pages), ruleFiles);
  });
});
