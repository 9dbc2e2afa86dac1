/**
 * Every code example of the rule pages and the README does what it says, linted through
 * ESLint's Node API with the plugin's real flat config, on each supported ESLint major.
 *
 * A fence's info string classifies its block (tests/helpers/doc-examples.ts):
 * `bad` examples report exactly the lines marked `// ruleid: AP…` (the fixture
 * convention), `good` examples report nothing, `config` examples are eslint.config.js
 * files ESLint loads, `fragment`s are not linted. An example named `settings/<file>` shows
 * names a code base configures: it is linted with each setting's documented example (the
 * README's settings table). Examples are complete files: TS/JS
 * examples import or declare every name they use, C# examples parse without error and
 * keep top-level statements to a Program.cs.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import plugin, { allRules } from "../lib/index.js";
import { parser as tsParser } from "../lib/parser.js";
import { JS_FILES } from "../lib/configs/index.js";
import { SETTINGS } from "../lib/core/settings.js";
import { compareWithAnnotations, parseAnnotations } from "./helpers/annotations.js";
import { classify, codeBlocks, type Example } from "./helpers/doc-examples.js";
import { ESLINT_VERSIONS, type EslintVersion } from "./helpers/eslint.js";
import { ROOT } from "./helpers/paths.js";

const PAGES = [
  "README.md",
  ...readdirSync(path.join(ROOT, "docs/rules"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/rules/${name}`),
];
const idByRuleId = new Map(allRules.map((rule) => [`api-posture/${rule.descriptor.name}`, rule.descriptor.id]));

const blocks = PAGES.flatMap((page) => codeBlocks(page, readFileSync(path.join(ROOT, page), "utf8")));
const examples: Example[] = [];
const classificationErrors: string[] = [];
for (const block of blocks) {
  try {
    const example = classify(block);
    if (example) examples.push(example);
  } catch (error) {
    classificationErrors.push((error as Error).message);
  }
}

// Examples are linted as files of an empty folder; config examples each get a project of their own beside it.
const workDir = mkdtempSync(path.join(tmpdir(), "api-posture-docs-"));
const lintDir = path.join(workDir, "examples");
mkdirSync(lintDir);
after(() => rmSync(workDir, { recursive: true, force: true }));

const label = (example: Example) => `${example.file}:${example.line} ${example.info}`;

test("every code block has a language, and every example a class", () => {
  assert.deepEqual(classificationErrors, []);
  assert.ok(openApiBlock, `${OPENAPI_PAGE} shows the OpenAPI document of its examples`);
  assert.ok(
    examples.some((e) => e.kind === "bad") &&
      examples.some((e) => e.kind === "good") &&
      examples.some((e) => e.kind === "config"),
  );
});

for (const rule of allRules) {
  const { id, name } = rule.descriptor;
  test(`docs/rules/${name}.md shows reported and clean examples in TypeScript and in C#`, () => {
    const page = examples.filter((e) => e.file === `docs/rules/${name}.md`);
    for (const [section, languages] of [
      ["TypeScript", ["ts", "tsx", "js", "jsx"]],
      ["C#", ["csharp"]],
    ] as const) {
      const shown = page.filter(
        (e) =>
          e.headings.at(-2) === "Examples" &&
          e.headings.at(-1) === section &&
          (languages as readonly string[]).includes(e.language),
      );
      const reported = shown.filter((e) => e.kind === "bad");
      assert.ok(
        reported.some((e) => parseAnnotations(e.code).some((a) => a.kind === "ruleid" && a.id === id)),
        `a ${section} bad example reports ${id}`,
      );
      assert.ok(
        shown.some((e) => e.kind === "good"),
        `a ${section} good example`,
      );
    }
  });
}

/** Names a Node.js module may use without importing them. Everything else is imported or declared. */
const NODE_GLOBALS = Object.fromEntries(
  [
    "process",
    "Buffer",
    "console",
    "URL",
    "URLSearchParams",
    "fetch",
    "Response",
    "Headers",
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "structuredClone",
    "TextEncoder",
    "TextDecoder",
  ].map((name) => [name, "readonly" as const]),
);

/** `no-undef` over a TS/JS example: a pasted example must not lean on names it never imports. */
function undeclaredNames(version: EslintVersion, example: Example): string[] {
  const linter = new version.Linter();
  const messages = linter.verify(
    example.code,
    [
      {
        files: JS_FILES,
        plugins: { "api-posture": plugin },
        languageOptions: {
          parser: tsParser,
          sourceType: "module",
          globals: NODE_GLOBALS,
          parserOptions: { ecmaFeatures: { jsx: true } },
        },
        linterOptions: { reportUnusedDisableDirectives: "off" },
        rules: { "no-undef": "error" },
      },
    ],
    { filename: example.fileName },
  );
  return messages.map((m) => `line ${m.line}: ${m.message}`);
}

/** Lines at the start of a line that open a C# declaration, directive or comment rather than a statement. */
const CSHARP_DECLARATION =
  /^(?:$|\/\/|\/\*|\*|#|\[|\{|\}|using\b|global\b|extern\b|namespace\b|(?:public|internal|private|protected|file|sealed|static|abstract|partial|readonly|unsafe|record|class|struct|interface|enum|delegate)\b)/u;

/** A C# file may hold top-level statements only if it is the program's entry point, and only before its types. */
function topLevelStatementProblems(example: Example): string[] {
  const lines = example.code.split("\n");
  const statement = lines.findIndex((line) => !/^\s/u.test(line) && !CSHARP_DECLARATION.test(line));
  if (statement < 0) return [];
  if (example.fileName !== "Program.cs")
    return [
      `line ${statement + 1}: a top-level statement; wrap it in a class and method, or name the example Program.cs`,
    ];
  const type = lines.findIndex((line) =>
    /^(?:(?:public|internal|sealed|static|abstract|partial)\s+)*(?:class|record|struct|interface|enum)\b/u.test(line),
  );
  const last = lines.findLastIndex((line) => !/^\s/u.test(line) && !CSHARP_DECLARATION.test(line));
  return type >= 0 && last > type ? [`line ${last + 1}: a top-level statement after a type declaration`] : [];
}

/** What ESLint reports for an example, as annotation findings plus anything that is not a plugin finding. */
/** Rules only strict-soc2 turns on: their pages' examples are linted with them on, in a folder of their own. */
const STRICT_ONLY = allRules.filter((rule) => !rule.meta.docs.recommended).map((rule) => rule.descriptor.name);

/**
 * AP105's page shows the OpenAPI document its examples are checked against (```yaml openapi.yaml):
 * they are linted with it, in a folder of their own.
 */
const OPENAPI_PAGE = "docs/rules/no-shadow-route.md";
const openApiBlock = blocks.find((block) => block.file === OPENAPI_PAGE && block.info === "yaml openapi.yaml");
const openApiDocument = path.join(workDir, "openapi.yaml");
writeFileSync(openApiDocument, openApiBlock?.code ?? "");

async function lintExample(eslint: InstanceType<EslintVersion["ESLint"]>, example: Example) {
  const strictOnly = STRICT_ONLY.find((name) => example.file === `docs/rules/${name}.md`);
  const folder =
    example.file === OPENAPI_PAGE
      ? path.join("src", "no-shadow-route")
      : strictOnly === undefined
        ? "src"
        : path.join("src", strictOnly);
  const [result] = await eslint.lintText(example.code, { filePath: path.join(lintDir, folder, example.fileName) });
  const messages = result.messages;
  const findings = messages.flatMap((m) =>
    m.ruleId && idByRuleId.has(m.ruleId) ? [{ id: idByRuleId.get(m.ruleId)!, line: m.line, message: m.message }] : [],
  );
  const other = messages
    .filter((m) => !m.ruleId || !idByRuleId.has(m.ruleId))
    .map((m) => `line ${m.line}: ${m.ruleId ?? "no rule"}: ${m.message}`);
  return { findings, other };
}

/** Loads a config example as the eslint.config.js of an empty project that has the plugin installed. */
async function loadConfigExample(version: EslintVersion, example: Example, index: number): Promise<string[]> {
  const project = path.join(workDir, `config-${version.label.replace(/\W+/gu, "-")}-${index}`);
  mkdirSync(path.join(project, "node_modules"), { recursive: true });
  symlinkSync(ROOT, path.join(project, "node_modules", "eslint-plugin-api-posture"), "junction");
  writeFileSync(path.join(project, example.fileName), example.code);
  const eslint = new version.ESLint({ cwd: project, overrideConfigFile: path.join(project, example.fileName) });
  const enabled: string[] = [];
  for (const file of ["src/routes.ts", "src/routes.js", "src/Program.cs"]) {
    const config = (await eslint.calculateConfigForFile(path.join(project, file))) as
      { rules?: Record<string, unknown> } | undefined;
    if (!config) continue;
    for (const [ruleId, entry] of Object.entries(config.rules ?? {})) {
      const level: unknown = Array.isArray(entry) ? entry[0] : entry;
      if (idByRuleId.has(ruleId) && level !== 0 && level !== "off") enabled.push(`${file} ${ruleId}`);
    }
  }
  return enabled;
}

for (const version of ESLINT_VERSIONS) {
  test(`documented examples lint as they claim (${version.label})`, async (t) => {
    const eslint = new version.ESLint({
      cwd: lintDir,
      overrideConfigFile: true,
      overrideConfig: [
        ...plugin.configs["recommended-soc2"],
        // An example that does not parse is not complete: no tree-sitter recovery here.
        { files: ["**/*.cs"], languageOptions: { tolerant: false } },
        {
          files: ["**/settings/**"],
          settings: {
            // `openapi` names a file: AP105's examples get the document of their page below.
            "api-posture": Object.fromEntries(
              Object.entries(SETTINGS)
                .filter(([key]) => key !== "openapi")
                .map(([key, spec]) => [key, spec.example]),
            ),
          },
        },
        { files: ["src/no-shadow-route/**"], settings: { "api-posture": { openapi: openApiDocument } } },
        ...STRICT_ONLY.map((name) => ({
          files: [`src/${name}/**`],
          rules: { [`api-posture/${name}`]: "error" as const },
        })),
        { linterOptions: { reportUnusedDisableDirectives: "error" } },
      ],
    });
    let configIndex = 0;
    for (const example of examples) {
      if (example.kind === "fragment") continue;
      await t.test(label(example), async () => {
        if (example.kind === "config") {
          assert.match(
            example.code,
            /from "eslint-plugin-api-posture"|require\("eslint-plugin-api-posture"\)/u,
            "imports the plugin",
          );
          const enabled = await loadConfigExample(version, example, configIndex++);
          assert.ok(enabled.length > 0, "turns api-posture rules on");
          return;
        }
        if (example.language === "csharp")
          assert.deepEqual(topLevelStatementProblems(example), [], "a complete C# file");
        else assert.deepEqual(undeclaredNames(version, example), [], "every name is imported or declared");
        const { findings, other } = await lintExample(eslint, example);
        assert.deepEqual(other, [], "no parse errors, unused directives or foreign reports");
        const annotations = parseAnnotations(example.code);
        if (example.kind === "good") {
          assert.deepEqual(
            annotations.filter((a) => a.kind === "ruleid").map((a) => `line ${a.annotationLine}`),
            [],
            "a good example claims no finding",
          );
          assert.deepEqual(
            findings.map((f) => `line ${f.line}: ${f.id}: ${f.message}`),
            [],
            "a good example is not reported",
          );
        } else {
          assert.ok(
            annotations.some((a) => a.kind === "ruleid"),
            "a bad example marks its findings with // ruleid: AP…",
          );
          assert.deepEqual(compareWithAnnotations(example.code, findings), [], "reports exactly the marked lines");
        }
      });
    }
  });
}
