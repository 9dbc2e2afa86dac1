// The project's own lint: typescript-eslint's type-checked recommendations for all of
// the source, and eslint-plugin-eslint-plugin's for the rule definitions.
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
    files: ["lib/rules/*.ts"],
    extends: [eslintPlugin.configs.recommended],
  },
);
