/**
 * Every output format of `api-posture scan`, run as a child process on the bundled
 * examples: the exit code of the gate, a valid SARIF log, byte-identical output for the
 * same tree, and no secret of the examples in full in any of them.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { SCAN_FORMATS } from "../lib/cli/args.js";
import type { ScanReport } from "../lib/cli/report.js";
import { ROOT } from "./helpers/paths.js";
import { schemaErrors } from "./helpers/sarif-schema.js";

const execFileAsync = promisify(execFile);
const CLI = path.join(ROOT, "dist/lib/cli.js");

async function scan(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, "scan", ...args, "examples"], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("api-posture scan formats on examples/", () => {
  /** The literal secrets of the examples, read from the lines AP201 reports. */
  const secrets: string[] = [];
  const outputs = new Map<string, string>();

  before(async () => {
    const report = JSON.parse((await scan(["--format", "json", "--no-timestamp"])).stdout) as ScanReport;
    for (const finding of report.findings.filter((f) => f.id === "AP201")) {
      const line = readFileSync(path.join(ROOT, finding.file), "utf8").split(/\r?\n/u)[finding.line - 1];
      for (const match of line.matchAll(/"([^"]{8,})"/gu)) secrets.push(match[1]);
    }
  });

  for (const format of SCAN_FORMATS) {
    test(`${format}: exit 1 on the examples' high findings, the same bytes twice, no secret in full`, async () => {
      const first = await scan(["--format", format, "--no-timestamp"]);
      const second = await scan(["--format", format, "--no-timestamp"]);
      assert.equal(first.code, 1, first.stderr);
      assert.equal(first.stderr, "");
      assert.ok(first.stdout.length > 0);
      assert.equal(first.stdout, second.stdout, "the same tree gives the same output");
      assert.ok(secrets.length >= 2, "the examples hold literal secrets");
      for (const secret of secrets) {
        assert.ok(!first.stdout.includes(secret), `${format} prints ${secret.slice(0, 4)}… in full`);
      }
      outputs.set(format, first.stdout);
    });
  }

  test("sarif: a valid SARIF 2.1.0 log with the examples' findings", () => {
    const log = JSON.parse(outputs.get("sarif") ?? "{}") as { runs: Array<{ results: unknown[] }> };
    assert.deepEqual(schemaErrors(log), []);
    const report = JSON.parse(outputs.get("json") ?? "{}") as ScanReport;
    assert.equal(log.runs[0].results.length, report.findings.length + report.suppressedFindings.length);
  });

  test("--fail-on none exits 0 with the same output", async () => {
    const passed = await scan(["--format", "json", "--no-timestamp", "--fail-on", "none"]);
    assert.equal(passed.code, 0);
    assert.equal(passed.stdout, outputs.get("json"));
  });
});
