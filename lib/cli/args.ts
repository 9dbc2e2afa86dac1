/**
 * The command line: `api-posture [scan] [options] [paths…]` and `api-posture inventory
 * [options] [paths…]`. A mistake in it is a UsageError: one line on stderr and exit 2.
 */
import { parseArgs } from "node:util";
import type { Severity } from "../core/descriptor.js";

export class UsageError extends Error {}

export const SCAN_FORMATS = ["stylish", "json", "sarif", "markdown", "html"] as const;
export const INVENTORY_FORMATS = ["markdown", "json", "csv"] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];
export type FailOn = Severity | "none";
const FAIL_ON: readonly FailOn[] = ["high", "medium", "low", "none"];

interface Common {
  paths: string[];
  strict: boolean;
  config?: string;
  openapi?: string;
  output?: string;
  concurrency?: number | "auto" | "off";
  timestamp: boolean;
}

export type Command =
  | { kind: "help" }
  | { kind: "version" }
  | (Common & {
      kind: "scan";
      format: ScanFormat;
      failOn: FailOn;
      baseline?: string;
      writeBaseline?: string;
    })
  | (Common & { kind: "inventory"; format: InventoryFormat });

export const USAGE = `Usage: api-posture [scan] [options] [paths…]
       api-posture inventory [options] [paths…]

scan (the default) lints TypeScript/JavaScript and C# files under the paths (default: .)
with the api-posture rules and reports the findings; inventory lists every endpoint found,
with its classification and where its protection comes from.

Options:
  --strict                 every rule an error (strict-soc2) instead of recommended-soc2
  --config <file>          lint with this ESLint flat config instead of the zero-config rule set
  --openapi <file>         the OpenAPI 3 / Swagger 2 document routes are checked against (AP105)
  --format <name>          scan: stylish (default), json, sarif, markdown or html (the
                           SOC 2 evidence report)
                           inventory: markdown (default), json, csv
  --output <file>          write the report to a file instead of standard output
  --fail-on <severity>     scan: exit 1 when a finding is at or above high (default), medium,
                           low; none never fails
  --exit-zero              the same as --fail-on none
  --baseline <file>        scan: report only findings that are new against an earlier
                           --format json report or --write-baseline file
  --write-baseline <file>  scan: record the findings as a baseline for later scans
  --no-timestamp           leave the scan time out, so the same tree gives identical reports
  --concurrency <n>        lint on n threads (a number, auto or off), as eslint --concurrency
  -h, --help               this text
  -v, --version            the plugin's version

Settings: the project's settings["api-posture"] are read from its ESLint config when one
loads, and from .api-posture.json in the working directory, which wins.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 a usage error or
a failure of the tool itself.`;

export function parseCommand(argv: readonly string[]): Command {
  let args = [...argv];
  let kind: "scan" | "inventory" = "scan";
  if (args[0] === "scan" || args[0] === "inventory") {
    kind = args[0];
    args = args.slice(1);
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const common: Common = {
    paths: positionals.length > 0 ? positionals : ["."],
    strict: values.strict ?? false,
    timestamp: !values["no-timestamp"],
    ...(values.config !== undefined ? { config: values.config } : {}),
    ...(values.openapi !== undefined ? { openapi: values.openapi } : {}),
    ...(values.output !== undefined ? { output: values.output } : {}),
    ...(values.concurrency !== undefined ? { concurrency: concurrencyOf(values.concurrency) } : {}),
  };
  if (kind === "inventory") {
    for (const option of ["fail-on", "exit-zero", "baseline", "write-baseline"] as const) {
      if (values[option] !== undefined) throw new UsageError(`--${option} is an option of scan, not of inventory`);
    }
    return { kind, ...common, format: oneOf("--format", values.format ?? "markdown", INVENTORY_FORMATS) };
  }
  if (values["exit-zero"] && values["fail-on"] !== undefined && values["fail-on"] !== "none")
    throw new UsageError("--exit-zero and --fail-on contradict each other");
  return {
    kind,
    ...common,
    format: oneOf("--format", values.format ?? "stylish", SCAN_FORMATS),
    failOn: values["exit-zero"] ? "none" : oneOf("--fail-on", values["fail-on"] ?? "high", FAIL_ON),
    ...(values.baseline !== undefined ? { baseline: values.baseline } : {}),
    ...(values["write-baseline"] !== undefined ? { writeBaseline: values["write-baseline"] } : {}),
  };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      strict: { type: "boolean" },
      config: { type: "string" },
      openapi: { type: "string" },
      format: { type: "string" },
      output: { type: "string", short: "o" },
      "fail-on": { type: "string" },
      "exit-zero": { type: "boolean" },
      baseline: { type: "string" },
      "write-baseline": { type: "string" },
      "no-timestamp": { type: "boolean" },
      concurrency: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} must be one of ${allowed.join(", ")} (got "${value}")`);
}

function concurrencyOf(value: string): number | "auto" | "off" {
  if (value === "auto" || value === "off") return value;
  const n = Number(value);
  if (Number.isInteger(n) && n > 0) return n;
  throw new UsageError(`--concurrency must be a positive whole number, auto or off (got "${value}")`);
}
