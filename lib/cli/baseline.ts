/**
 * Baselines: a team adopts the gate on a legacy code base by recording today's findings
 * (`--write-baseline`) and failing only on new ones (`--baseline`). Findings are matched
 * by fingerprint (collect.ts), which survives line shifts and edits elsewhere; a
 * fingerprint recorded twice matches two findings.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./args.js";
import { REPORT_SCHEMA_VERSION, type BaselineComparison, type Finding } from "./report.js";

export const BASELINE_KIND = "api-posture-baseline";

interface BaselineEntry {
  fingerprint: string;
  id: string;
  file: string;
  line: number;
  message: string;
}

/** The fingerprints of an earlier `--format json` report or `--write-baseline` file, counted. */
export function readBaseline(file: string): Map<string, number> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "ENOENT"
        ? `baseline not found: ${file}`
        : `the baseline ${file} is not a JSON report or baseline (${(error as Error).message.split("\n")[0]})`,
    );
  }
  const findings = (data as { findings?: unknown })?.findings;
  if (!Array.isArray(findings) || findings.some((f) => typeof (f as Finding)?.fingerprint !== "string"))
    throw new UsageError(`the baseline ${file} has no findings with fingerprints: write one with --write-baseline`);
  const counts = new Map<string, number>();
  for (const f of findings as Finding[]) counts.set(f.fingerprint, (counts.get(f.fingerprint) ?? 0) + 1);
  return counts;
}

/** Marks each finding new or unchanged against the baseline; returns the comparison. */
export function compareWithBaseline(
  findings: Finding[],
  baseline: Map<string, number>,
  file: string,
  cwd: string,
): BaselineComparison {
  const left = new Map(baseline);
  let unchanged = 0;
  for (const finding of findings) {
    const count = left.get(finding.fingerprint) ?? 0;
    if (count > 0) {
      left.set(finding.fingerprint, count - 1);
      finding.baselineState = "unchanged";
      unchanged++;
    } else {
      finding.baselineState = "new";
    }
  }
  const fixed = [...left.values()].reduce((sum, n) => sum + n, 0);
  return {
    file: path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join("/"),
    new: findings.length - unchanged,
    unchanged,
    fixed,
  };
}

export function writeBaseline(file: string, findings: readonly Finding[]): void {
  const entries: BaselineEntry[] = findings.map(({ fingerprint, id, file: f, line, message }) => ({
    fingerprint,
    id,
    file: f,
    line,
    message,
  }));
  const body = { schemaVersion: REPORT_SCHEMA_VERSION, kind: BASELINE_KIND, findings: entries };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
}
