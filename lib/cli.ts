#!/usr/bin/env node
/**
 * `api-posture [paths…]`: zero-config scan with recommended-soc2 (or strict-soc2) over
 * TypeScript/JavaScript and C# files, whatever ESLint configuration the project has.
 */
import { parseArgs } from "node:util";
import { ESLint } from "eslint";
import plugin from "./index.js";
import { ApiPostureSettingsError } from "./core/settings.js";

const USAGE = `Usage: api-posture [options] [paths…]

Lints TypeScript/JavaScript and C# files under the paths (default: .) with the
api-posture rules, without reading the project's own ESLint configuration.

Options:
  --strict            every rule an error (strict-soc2) instead of recommended-soc2
  --format <name>     an ESLint formatter: stylish (default), json, …
  --exit-zero         exit 0 even when errors are found
  -h, --help          this text
  -v, --version       the plugin's version

Exit codes: 0 no errors, 1 errors found, 2 the scan could not run.`;

/** Build output, dependencies and generated code: never what a team wrote. */
const DEFAULT_IGNORES = [
  "**/node_modules/**",
  "**/dist/**",
  "**/build/**",
  "**/coverage/**",
  "**/bin/**",
  "**/obj/**",
  "**/*.min.js",
  "**/*.d.ts",
];

/**
 * Keeps api-posture findings and the files that could not be read. The project's own
 * disable comments name rules this scan does not load; ESLint's notes about them
 * (unused directives, unknown rules) are not this scan's business.
 */
function onlyApiPosture(results: ESLint.LintResult[]): ESLint.LintResult[] {
  return results.map((result) => {
    const messages = result.messages.filter((m) => m.fatal || m.ruleId?.startsWith("api-posture/"));
    const count = (severity: number, fixable = false) =>
      messages.filter((m) => m.severity === severity && (!fixable || m.fix)).length;
    return {
      ...result,
      messages,
      errorCount: count(2),
      fatalErrorCount: messages.filter((m) => m.fatal).length,
      warningCount: count(1),
      fixableErrorCount: count(2, true),
      fixableWarningCount: count(1, true),
    };
  });
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      strict: { type: "boolean", default: false },
      format: { type: "string", default: "stylish" },
      "exit-zero": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      version: { type: "boolean", short: "v", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.version) {
    console.log(plugin.meta.version);
    return 0;
  }
  const config = plugin.configs[values.strict ? "strict-soc2" : "recommended-soc2"];
  const eslint = new ESLint({
    overrideConfigFile: true,
    overrideConfig: [{ ignores: DEFAULT_IGNORES }, ...config],
    errorOnUnmatchedPattern: false,
  });
  const results = onlyApiPosture(await eslint.lintFiles(positionals.length > 0 ? positionals : ["."]));
  const formatter = await eslint.loadFormatter(values.format);
  const output = await formatter.format(results);
  if (output) process.stdout.write(output.endsWith("\n") ? output : `${output}\n`);
  if (values.format === "stylish") {
    const files = results.length;
    const findings = results.reduce((n, r) => n + r.messages.filter((m) => m.ruleId).length, 0);
    console.log(
      `api-posture: ${files} file${files === 1 ? "" : "s"} scanned, ${findings} finding${findings === 1 ? "" : "s"}.`,
    );
  }
  const errors = results.reduce((n, r) => n + r.errorCount, 0);
  return errors > 0 && !values["exit-zero"] ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A settings error is already one line that names the setting; ESLint's note of the
    // file and rule it met it in adds nothing.
    if (error instanceof ApiPostureSettingsError) console.error(error.summary);
    else console.error(`api-posture: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
