/**
 * `npm run bench`: what `recommended-soc2` adds to the time ESLint needs with the same
 * parser and no rules, per language, over a generated corpus; and how long the
 * 2,000-line C# controller takes to lint warm, the editor's case. Figures are printed
 * against the design's budgets for people to read; the exit code never depends on them.
 *
 *   npm run bench -- [--runs N] [--file-runs N] [--json] [--regenerate]
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ESLint } from "eslint";
import { ensureCorpus, type Corpus, type CorpusFile } from "./corpus.js";
import { engines as enginesIn } from "./engines.js";
import { measureIndexCost, type IndexFigures } from "./index-cost.js";

/** `recommended-soc2` may add at most 30% to ESLint's time with the same parser and no rules. */
const RATIO_BUDGET = 1.3;
/** The project index costs under 1 s per 1,000 files. */
const INDEX_BUDGET_MS_PER_1000 = 1000;
/** A 2,000-line C# file lints in under 50 ms warm. */
const LARGE_FILE_BUDGET_MS = 50;
/** Seven rounds keep a full run near a minute on two cores while damping the noise of single rounds. */
const DEFAULT_RUNS = 7;
const DEFAULT_FILE_RUNS = 30;
const LARGE_FILE_WARMUP = 5;

interface Options {
  runs: number;
  fileRuns: number;
  json: boolean;
  regenerate: boolean;
}

interface Run {
  /** Wall-clock time: what a developer waits. */
  ms: number;
  /** CPU time of the process (all threads, GC included): steadier on a busy or shared machine. */
  cpuMs: number;
  files: number;
  /** Rule reports (non-fatal messages). */
  findings: number;
  /** Files ESLint could not parse or analyse. */
  fatal: number;
}

interface LanguageFigures {
  language: "TypeScript" | "C#";
  files: number;
  lines: number;
  parseOnlyMs: number;
  recommendedMs: number;
  ratio: number;
  /** recommended / parse-only within each round: their spread shows how noisy the machine was. */
  roundRatios: number[];
  /** The same comparison in CPU time, which waiting for a busy CPU does not inflate. */
  cpuRatio: number;
  ratioBudget: number;
  withinBudget: boolean;
  parseOnlyMsPerKLoc: number;
  recommendedMsPerKLoc: number;
  findings: number;
  fatal: number;
  /** Peak resident memory of a process that lints the language's corpus once, per configuration. */
  peakMemory: { parseOnlyMb: number; recommendedMb: number; ratio: number };
  samples: { parseOnly: number[]; recommended: number[]; parseOnlyCpu: number[]; recommendedCpu: number[] };
}

interface LargeFileFigures {
  path: string;
  lines: number;
  recommendedMs: number;
  parseOnlyMs: number;
  /** The first lint of the file in a warm process: parsed whole. */
  firstLintMs: number;
  budgetMs: number;
  withinBudget: boolean;
  findings: number;
  samples: number[];
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: "string" },
      "file-runs": { type: "string" },
      json: { type: "boolean", default: false },
      regenerate: { type: "boolean", default: false },
    },
  });
  return {
    runs: positiveInteger("--runs", values.runs, DEFAULT_RUNS),
    fileRuns: positiveInteger("--file-runs", values["file-runs"], DEFAULT_FILE_RUNS),
    json: values.json ?? false,
    regenerate: values.regenerate ?? false,
  };
}

function positiveInteger(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} expects a positive integer, got "${raw}"`);
  return value;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

function engines(corpus: Corpus, language: "ts" | "csharp"): { recommended: ESLint; parseOnly: ESLint } {
  return enginesIn(corpus.dir, language);
}

/** Peak memory is a figure of a whole process: each configuration is run in one of its own. */
const PEAK_SCRIPT = fileURLToPath(new URL("./peak.js", import.meta.url));
const PEAK_RUNS = 3;

interface PeakRun {
  files: number;
  cpuMs: number;
  peakRssMb: number;
}

function peakRun(corpus: Corpus, language: "ts" | "csharp", config: "parse-only" | "recommended"): PeakRun {
  const out = execFileSync(process.execPath, [PEAK_SCRIPT, language, config, corpus.dir], {
    encoding: "utf8",
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(out.trim().split("\n").at(-1)!) as PeakRun;
}

/** Median peak RSS of a cold process per configuration, alternating A B B A. */
function measurePeaks(
  corpus: Corpus,
  language: "ts" | "csharp",
): { parseOnlyMb: number; recommendedMb: number; ratio: number } {
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < PEAK_RUNS; round++) {
    progress(`${language === "ts" ? "TypeScript" : "C#"}: peak memory ${round + 1}/${PEAK_RUNS}`);
    const order: Array<"parse-only" | "recommended"> =
      round % 2 === 0 ? ["recommended", "parse-only"] : ["parse-only", "recommended"];
    for (const config of order) {
      const run = peakRun(corpus, language, config);
      (config === "recommended" ? a : b).push(run.peakRssMb);
    }
  }
  const recommendedMb = median(a);
  const parseOnlyMb = median(b);
  return { parseOnlyMb, recommendedMb, ratio: recommendedMb / parseOnlyMb };
}

function tally(results: ESLint.LintResult[]): Omit<Run, "ms" | "cpuMs"> {
  let findings = 0;
  let fatal = 0;
  for (const result of results) {
    for (const message of result.messages) {
      if (message.fatal) fatal++;
      else findings++;
    }
  }
  return { files: results.length, findings, fatal };
}

async function lintCorpus(eslint: ESLint, dir: string): Promise<Run> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const results = await eslint.lintFiles([dir]);
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, ...tally(results) };
}

/**
 * Warm-up once each, then `runs` rounds. The order alternates every round (ABBA) so a
 * drift in machine load weighs on both configurations alike.
 */
async function measureLanguage(corpus: Corpus, language: "ts" | "csharp", runs: number): Promise<LanguageFigures> {
  const files: CorpusFile[] = corpus[language];
  const label = language === "ts" ? "TypeScript" : "C#";
  // The corpus keeps each language under a directory named like it: ts/, csharp/.
  const dir = language;
  const { recommended, parseOnly } = engines(corpus, language);
  const check = (run: Run, config: string) => {
    // Linting fewer files than the corpus holds would make every figure meaningless.
    if (run.files !== files.length)
      throw new Error(`${label} ${config}: ESLint linted ${run.files} files, the corpus has ${files.length}`);
    return run;
  };

  progress(`${label}: warming up`);
  check(await lintCorpus(parseOnly, dir), "parse-only");
  check(await lintCorpus(recommended, dir), "recommended-soc2");

  const a: Run[] = [];
  const b: Run[] = [];
  for (let round = 0; round < runs; round++) {
    progress(`${label}: run ${round + 1}/${runs}`);
    if (round % 2 === 0) {
      a.push(check(await lintCorpus(recommended, dir), "recommended-soc2"));
      b.push(check(await lintCorpus(parseOnly, dir), "parse-only"));
    } else {
      b.push(check(await lintCorpus(parseOnly, dir), "parse-only"));
      a.push(check(await lintCorpus(recommended, dir), "recommended-soc2"));
    }
  }

  const peakMemory = measurePeaks(corpus, language);
  const lines = files.reduce((sum, f) => sum + f.lines, 0);
  const recommendedMs = median(a.map((r) => r.ms));
  const parseOnlyMs = median(b.map((r) => r.ms));
  const ratio = recommendedMs / parseOnlyMs;
  return {
    language: label,
    files: files.length,
    lines,
    parseOnlyMs,
    recommendedMs,
    ratio,
    roundRatios: a.map((run, i) => run.ms / b[i].ms),
    cpuRatio: median(a.map((r) => r.cpuMs)) / median(b.map((r) => r.cpuMs)),
    ratioBudget: RATIO_BUDGET,
    withinBudget: ratio <= RATIO_BUDGET,
    parseOnlyMsPerKLoc: parseOnlyMs / (lines / 1000),
    recommendedMsPerKLoc: recommendedMs / (lines / 1000),
    findings: a[0].findings,
    fatal: Math.max(a[0].fatal, b[0].fatal),
    peakMemory,
    samples: {
      parseOnly: b.map((r) => r.ms),
      recommended: a.map((r) => r.ms),
      parseOnlyCpu: b.map((r) => r.cpuMs),
      recommendedCpu: a.map((r) => r.cpuMs),
    },
  };
}

/**
 * The editor's case: `lintText` with a `filePath`, as VS Code's ESLint extension calls it
 * after each change. Every lint is one keystroke away from the one before (a space typed
 * in the middle of the file, then taken out again), so the parser worker re-parses the
 * change and the model is built afresh each time. Beside it, the first lint of the file
 * in a warm process: another file is linted just before, so the whole file is parsed.
 */
async function measureLargeFile(corpus: Corpus, fileRuns: number): Promise<LargeFileFigures> {
  const file = corpus.largeCSharp;
  const filePath = join(corpus.dir, file.path);
  const text = readFileSync(filePath, "utf8");
  const middle = text.indexOf("\n", text.length >> 1) + 1;
  const versions = [text, `${text.slice(0, middle)} ${text.slice(middle)}`];
  let typed = 0;
  const { recommended, parseOnly } = engines(corpus, "csharp");
  const lint = async (eslint: ESLint) => {
    const start = performance.now();
    const results = await eslint.lintText(versions[typed++ % 2], { filePath });
    return { ms: performance.now() - start, ...tally(results) };
  };

  progress(`C# ${file.lines}-line file: ${LARGE_FILE_WARMUP} warm-up + ${fileRuns} runs`);
  for (let i = 0; i < LARGE_FILE_WARMUP; i++) {
    await lint(recommended);
    await lint(parseOnly);
  }
  const a: number[] = [];
  const b: number[] = [];
  let findings = 0;
  for (let round = 0; round < fileRuns; round++) {
    const first = round % 2 === 0 ? recommended : parseOnly;
    const second = first === recommended ? parseOnly : recommended;
    for (const eslint of [first, second]) {
      const run = await lint(eslint);
      if (run.files !== 1) throw new Error(`lintText linted ${run.files} results for ${file.path}`);
      if (eslint === recommended) {
        a.push(run.ms);
        findings = run.findings;
      } else {
        b.push(run.ms);
      }
    }
  }
  // The first lint of the file: another C# file is linted before each run.
  const other = join(dirname(filePath), "Unrelated.cs");
  const firstLint: number[] = [];
  for (let round = 0; round < Math.ceil(fileRuns / 2); round++) {
    await recommended.lintText("namespace Shop;\npublic sealed class Unrelated { }\n", { filePath: other });
    firstLint.push((await lint(recommended)).ms);
  }
  const recommendedMs = median(a);
  return {
    path: file.path,
    lines: file.lines,
    recommendedMs,
    parseOnlyMs: median(b),
    firstLintMs: median(firstLint),
    budgetMs: LARGE_FILE_BUDGET_MS,
    withinBudget: recommendedMs < LARGE_FILE_BUDGET_MS,
    findings,
    samples: a,
  };
}

const number = (value: number, digits = 0) =>
  value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function report(
  corpus: Corpus,
  options: Options,
  languages: LanguageFigures[],
  large: LargeFileFigures,
  index: IndexFigures[],
): string {
  const cpus = os.cpus();
  const out: string[] = [
    `api-posture benchmark: ESLint ${ESLint.version}, Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}`,
    `corpus: ${relative(process.cwd(), corpus.dir) || corpus.dir} (generator v${corpus.version}${corpus.generated ? ", generated now" : ""}); median of ${options.runs} runs after one warm-up, alternating configurations`,
    "",
  ];
  const header = [
    "language",
    "files",
    "lines",
    "parse-only ms",
    "recommended-soc2 ms",
    "ratio",
    "per-round range",
    "CPU-time ratio",
    `budget ≤ ${RATIO_BUDGET}`,
    "parse-only peak MB",
    "recommended peak MB",
    "memory ratio",
    "parse-only ms/kLOC",
    "recommended ms/kLOC",
    "findings",
    "fatal",
  ];
  const rows = languages.map((l) => [
    l.language,
    number(l.files),
    number(l.lines),
    number(l.parseOnlyMs, 1),
    number(l.recommendedMs, 1),
    number(l.ratio, 2),
    `${number(Math.min(...l.roundRatios), 2)}–${number(Math.max(...l.roundRatios), 2)}`,
    number(l.cpuRatio, 2),
    l.withinBudget ? "PASS" : "OVER",
    number(l.peakMemory.parseOnlyMb),
    number(l.peakMemory.recommendedMb),
    number(l.peakMemory.ratio, 2),
    number(l.parseOnlyMsPerKLoc, 2),
    number(l.recommendedMsPerKLoc, 2),
    number(l.findings),
    number(l.fatal),
  ]);
  out.push(
    table([header, ...rows], new Set([1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15])),
    "ratio: recommended-soc2 / parse-only, medians of wall-clock time; per-round range: the same ratio within each round;",
    "CPU-time ratio: medians of process CPU time, which a busy or shared machine inflates less than wall-clock time;",
    `peak MB: median peak resident memory of ${PEAK_RUNS} fresh processes that each lint the language's corpus once (C#: ESLint's thread and the parser worker).`,
  );
  out.push(
    "",
    `${number(large.lines)}-line C# controller (${large.path}), lintText warm after a keystroke, median of ${large.samples.length}:`,
    `  recommended-soc2 ${number(large.recommendedMs, 1)} ms (parse-only ${number(large.parseOnlyMs, 1)} ms, ${number(large.findings)} findings), budget < ${large.budgetMs} ms: ${large.withinBudget ? "PASS" : "OVER"}`,
    `  first lint of the file (parsed whole): recommended-soc2 ${number(large.firstLintMs, 1)} ms`,
  );
  if (index.length > 0) {
    out.push(
      "",
      "project index, per project: build = a fresh index lists the files and scans every file's imports; summaries = parse and summarise every file (a lint summarises only the files that import the linted one); again = both with nothing changed:",
      table(
        [
          [
            "project",
            "files",
            "build ms",
            "ms per 1,000 files",
            `budget ≤ ${number(INDEX_BUDGET_MS_PER_1000)}`,
            "summaries ms",
            "again ms",
            "files read again",
          ],
          ...index.map((f) => [
            f.project,
            number(f.files),
            number(f.buildMs, 1),
            number(f.msPer1000Files, 1),
            f.msPer1000Files <= INDEX_BUDGET_MS_PER_1000 ? "PASS" : "OVER",
            number(f.summariesMs, 1),
            number(f.warmMs, 1),
            number(f.rereadFiles),
          ]),
        ],
        new Set([1, 2, 3, 5, 6, 7]),
      ),
    );
  }
  const fatal = languages.filter((l) => l.fatal > 0);
  if (fatal.length > 0) {
    out.push(
      "",
      `note: ${fatal.map((l) => `${l.fatal} ${l.language} file(s)`).join(", ")} ended in a fatal message; their time is not representative.`,
    );
  }
  if (options.runs < 5 || options.fileRuns < 20)
    out.push("", "note: fewer runs than the defaults; expect noisy figures.");
  return out.join("\n");
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    progress(`${(error as Error).message}\nusage: npm run bench -- [--runs N] [--file-runs N] [--json] [--regenerate]`);
    process.exitCode = 2;
    return;
  }
  const corpus = ensureCorpus({ regenerate: options.regenerate });
  progress(
    `corpus ${corpus.generated ? "generated" : "reused"}: ${corpus.ts.length} TypeScript and ${corpus.csharp.length} C# files in ${corpus.dir}`,
  );
  const languages = [
    await measureLanguage(corpus, "ts", options.runs),
    await measureLanguage(corpus, "csharp", options.runs),
  ];
  const large = await measureLargeFile(corpus, options.fileRuns);
  progress("project index");
  const index = measureIndexCost(corpus.dir);
  if (options.json) {
    const figures = {
      eslint: ESLint.version,
      node: process.version,
      cpus: os.cpus().length,
      runs: options.runs,
      fileRuns: options.fileRuns,
      corpus: { dir: corpus.dir, version: corpus.version, generated: corpus.generated },
      languages,
      largeFile: large,
      projectIndex: index,
    };
    // Milliseconds to the microsecond: more digits are noise.
    const rounded = (_key: string, value: unknown) =>
      typeof value === "number" && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value;
    process.stdout.write(`${JSON.stringify(figures, rounded, 2)}\n`);
  } else {
    process.stdout.write(`${report(corpus, options, languages, large, index)}\n`);
  }
}

await main();
