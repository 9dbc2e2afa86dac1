/**
 * The ESLint majors the plugin supports. Integration tests run against each of them.
 */
import * as eslint10 from "eslint";
import * as eslint9 from "eslint-v9";
import path from "node:path";
import { ROOT } from "./paths.js";

export interface EslintVersion {
  label: string;
  ESLint: typeof eslint10.ESLint;
  Linter: typeof eslint10.Linter;
  RuleTester: typeof eslint10.RuleTester;
  /** The package's CLI entry, for `node <bin> …`. */
  bin: string;
}

export const ESLINT_VERSIONS: EslintVersion[] = [
  {
    label: `ESLint ${eslint10.ESLint.version}`,
    ESLint: eslint10.ESLint,
    Linter: eslint10.Linter,
    RuleTester: eslint10.RuleTester,
    bin: path.join(ROOT, "node_modules/eslint/bin/eslint.js"),
  },
  {
    label: `ESLint ${eslint9.ESLint.version}`,
    ESLint: eslint9.ESLint,
    Linter: eslint9.Linter as unknown as typeof eslint10.Linter,
    RuleTester: eslint9.RuleTester as unknown as typeof eslint10.RuleTester,
    bin: path.join(ROOT, "node_modules/eslint-v9/bin/eslint.js"),
  },
];
