// The project's own lint: typescript-eslint's type-checked recommendations for all of
// the source, and eslint-plugin-eslint-plugin's for the rule definitions and their tests.
import tseslint from "typescript-eslint";
import eslintPlugin from "eslint-plugin-eslint-plugin";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "bench/corpus/", "tests/fixtures/", "examples/", "scratch/", "docs/"] },
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ["tests/**/*.ts"],
    rules: {
      // RuleTester takes node:test's describe/it, whose promises the runner awaits.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { variables: false } }],
      // node:test's test() and describe() return promises that the runner itself awaits.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            {
              from: "package",
              package: "node:test",
              name: ["test", "describe", "it", "suite", "before", "after", "beforeEach", "afterEach"],
            },
          ],
        },
      ],
    },
  },
  {
    // eslint-plugin-eslint-plugin reads a call with one object that holds `meta` and `create`
    // as a rule (its "TypeScript rule helper" form), so it sees each
    // `createRule<Options, MessageIds>({ descriptor, meta, create })` below: the messages and
    // the `context.report()` calls in `create`, the schema and the default options. What
    // createRule derives from the descriptor (docs.description, docs.url with the release
    // version, docs.recommended, languages) is not in the rule file, so the rules that
    // require those in the source (require-meta-docs-*, require-meta-languages) stay off;
    // tests/docs.test.ts and tests/rules-index.test.ts check them instead.
    files: ["lib/rules/*.ts"],
    extends: [eslintPlugin.configs["rules-recommended"]],
    rules: {
      "eslint-plugin/no-incomplete-meta-schema": "error",
      "eslint-plugin/no-incorrect-meta-schema": "error",
      // Each message is a sentence: createRule appends " SOC 2 <criteria>. Fix: <remedy>" to it.
      "eslint-plugin/report-message-format": ["error", "[.]$"],
    },
  },
  {
    // RuleTester suites: ESLint's (`new version.RuleTester(…)`) and typescript-eslint's, imported as TsRuleTester.
    files: ["tests/**/*.test.ts"],
    extends: [eslintPlugin.configs["tests-recommended"]],
    settings: { "eslint-plugin": { ruleTesterConstructors: ["RuleTester", "TsRuleTester"] } },
    rules: {
      "eslint-plugin/consistent-output": "error",
      "eslint-plugin/unique-test-case-names": "error",
    },
  },
);
