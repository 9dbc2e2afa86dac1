/**
 * `api-posture scan` and `api-posture inventory`: one run of ESLint's Node API with the
 * api-posture rules (zero-config, or the project's own config with `--config`), turned into
 * a ScanReport (report.ts) and written in the format asked for.
 */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { PLUGIN_NAME, PLUGIN_VERSION, type Severity } from "../core/descriptor.js";
import { ApiPostureSettingsError } from "../core/settings.js";
import { parseCommand, USAGE, UsageError, type Command, type FailOn } from "./args.js";
import { compareWithBaseline, readBaseline, writeBaseline } from "./baseline.js";
import { collect } from "./collect.js";
import { eslintOptions, PLAN_VARIABLE, type ScanPlan } from "./eslint-options.js";
import { renderScan } from "./formats/index.js";
import { gitState } from "./git.js";
import { renderInventoryCsv, renderInventoryJson, renderInventoryMarkdown } from "./inventory.js";
import { projectSettings } from "./project-settings.js";
import { REPORT_SCHEMA_VERSION, type ScanReport } from "./report.js";
import {
  declares,
  loadOpenApiDocument,
  OpenApiDocumentError,
  unimplementedOperations,
  type OpenApiDocument,
} from "../core/openapi.js";

const RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };

export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal: only then is progress shown. */
  interactive: boolean;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
    if (command.kind === "help") {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (command.kind === "version") {
      io.stdout(`${PLUGIN_VERSION}\n`);
      return 0;
    }
    return await run(command, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`api-posture: ${error.message}\n`);
      return 2;
    }
    // A settings error is one line that names the setting.
    if (error instanceof ApiPostureSettingsError) {
      io.stderr(`${error.summary}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    io.stderr(`api-posture: the scan failed: ${message}\n`);
    return 2;
  }
}

async function run(command: Exclude<Command, { kind: "help" | "version" }>, io: Io): Promise<number> {
  const { cwd } = io;
  for (const p of command.paths) {
    if (!existsSync(path.resolve(cwd, p)) && !/[*?[\]{}]/u.test(p)) throw new UsageError(`path not found: ${p}`);
  }
  if (command.config !== undefined && !existsSync(path.resolve(cwd, command.config)))
    throw new UsageError(`config not found: ${command.config}`);
  if (command.openapi !== undefined && !existsSync(path.resolve(cwd, command.openapi)))
    throw new UsageError(`OpenAPI document not found: ${command.openapi}`);
  const baseline =
    command.kind === "scan" && command.baseline !== undefined
      ? readBaseline(path.resolve(cwd, command.baseline))
      : undefined;

  const { settings, warnings } = command.config ? { settings: {}, warnings: [] } : await projectSettings(cwd);
  if (command.openapi !== undefined) {
    const openapi = path.resolve(cwd, command.openapi);
    settings.typescript = { ...settings.typescript, openapi };
    settings.csharp = { ...settings.csharp, openapi };
  }
  for (const warning of warnings) io.stderr(`api-posture: ${warning}\n`);
  const plan: ScanPlan = {
    cwd,
    strict: command.strict,
    settings,
    ...(command.config !== undefined ? { configFile: path.resolve(cwd, command.config) } : {}),
    ...(command.concurrency !== undefined ? { concurrency: command.concurrency } : {}),
  };
  const eslint = await eslintFor(plan);
  const progress = io.interactive ? startProgress(io) : undefined;
  let results: ESLint.LintResult[];
  try {
    results = await eslint.lintFiles(command.paths);
  } finally {
    progress?.stop();
  }
  const collected = collect(results, cwd);
  const report: ScanReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: {
      name: PLUGIN_NAME,
      version: PLUGIN_VERSION,
      ruleSet: command.config ? "project config" : command.strict ? "strict-soc2" : "recommended-soc2",
      eslintVersion: ESLint.version,
    },
    ...(command.timestamp ? { scannedAt: new Date().toISOString() } : {}),
    ...withGit(cwd),
    paths: command.paths.map((p) => path.relative(cwd, path.resolve(cwd, p)).split(path.sep).join("/") || "."),
    files: collected.files,
    findings: collected.findings,
    suppressedFindings: collected.suppressedFindings,
    errors: collected.errors,
    suppressions: collected.suppressions,
    endpoints: collected.endpoints,
  };

  if (command.openapi !== undefined) applyOpenApi(report, path.resolve(cwd, command.openapi), cwd);

  if (command.kind === "inventory") {
    const render = { markdown: renderInventoryMarkdown, json: renderInventoryJson, csv: renderInventoryCsv }[
      command.format
    ];
    emit(render(report.endpoints, report.undocumented), command.output, io);
    return 0;
  }

  if (command.writeBaseline !== undefined) writeBaseline(path.resolve(cwd, command.writeBaseline), report.findings);
  if (baseline && command.baseline !== undefined) {
    report.baseline = compareWithBaseline(report.findings, baseline, command.baseline, cwd);
    report.findings = report.findings.filter((f) => f.baselineState === "new");
  }
  emit(await renderScan(command.format, report, eslint, cwd), command.output, io);
  return failing(report, command.failOn) ? 1 : 0;
}

/** AP105's view for the inventory: which endpoints the document declares, and what it declares that nothing serves. */
function applyOpenApi(report: ScanReport, file: string, cwd: string): void {
  let doc: OpenApiDocument;
  try {
    doc = loadOpenApiDocument(file);
  } catch (error) {
    if (error instanceof OpenApiDocumentError) throw new UsageError(error.message);
    throw error;
  }
  const methodsOf = (method: string) => (method === "ALL" ? ["ANY"] : method.split(","));
  for (const endpoint of report.endpoints)
    endpoint.documented = methodsOf(endpoint.method).every((m) => declares(doc, m, endpoint.route));
  const served = report.endpoints.flatMap((e) => methodsOf(e.method).map((method) => ({ method, route: e.route })));
  report.undocumented = {
    documentFile: path.relative(cwd, file).split(path.sep).join("/"),
    operations: unimplementedOperations(doc, served).map(({ method, path: p, operationId }) => ({
      method,
      path: p,
      ...(operationId !== undefined ? { operationId } : {}),
    })),
  };
}

function failing(report: ScanReport, failOn: FailOn): boolean {
  if (failOn === "none") return false;
  return report.findings.some((f) => RANK[f.severity] >= RANK[failOn]);
}

async function eslintFor(plan: ScanPlan): Promise<ESLint> {
  if (plan.concurrency === undefined || plan.concurrency === "off") return new ESLint(eslintOptions(plan));
  // Worker threads build their ESLint from a module; the plan reaches them through the environment.
  const fromModule = (ESLint as { fromOptionsModule?: (url: URL) => Promise<ESLint> }).fromOptionsModule;
  if (!fromModule) throw new UsageError(`--concurrency needs ESLint 9.34 or later (this is ${ESLint.version})`);
  process.env[PLAN_VARIABLE] = JSON.stringify(plan);
  return fromModule.call(ESLint, new URL("./eslint-options-module.js", import.meta.url));
}

function withGit(cwd: string): Pick<ScanReport, "git"> {
  const git = gitState(cwd);
  return git ? { git } : {};
}

function emit(text: string, output: string | undefined, io: Io): void {
  if (output === undefined) {
    io.stdout(text);
    return;
  }
  try {
    writeFileSync(path.resolve(io.cwd, output), text);
  } catch (error) {
    throw new UsageError(
      `cannot write ${output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** A line on stderr that says how long the scan has run, rewritten each second; cleared at the end. */
function startProgress(io: Io): { stop(): void } {
  const started = Date.now();
  const timer = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    io.stderr(`\rapi-posture: scanning… ${seconds} s`);
  }, 1000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (Date.now() - started >= 1000) io.stderr("\r\u001b[2K");
    },
  };
}
