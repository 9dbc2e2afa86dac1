/**
 * The README's main command: the zero-config CLI over the bundled example services.
 * Its findings must be exactly the annotated ones.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { ScanReport } from "../lib/cli/report.js";
import { compareWithAnnotations, parseAnnotations } from "./helpers/annotations.js";
import { ROOT } from "./helpers/paths.js";

const run = promisify(execFile);
const cli = path.join(ROOT, "dist/lib/cli.js");

test("api-posture on examples/ reports exactly the annotated lines, in both services", async () => {
  const failed = await run(process.execPath, [cli, "scan", "--format", "json", "examples"], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    () => assert.fail("the examples have findings: exit code 1 expected"),
    (error: { code: number; stdout: string }) => error,
  );
  assert.equal(failed.code, 1);
  const report = JSON.parse(failed.stdout) as ScanReport;
  assert.ok(report.files.typescript > 0 && report.files.csharp > 0);
  let expected = 0;
  const files = new Set([...report.findings.map((f) => f.file), ...report.endpoints.map((e) => e.file)]);
  for (const file of files) {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    const findings = report.findings
      .filter((f) => f.file === file)
      .map((f) => ({ id: f.id, line: f.line, message: f.message }));
    assert.deepEqual(compareWithAnnotations(text, findings), [], file);
    expected += parseAnnotations(text).filter((a) => a.kind === "ruleid").length;
  }
  assert.ok(expected >= 6, "the examples show several findings");
  assert.ok(report.endpoints.length >= 10, "and their endpoints");
});

test("api-posture --exit-zero, inventory and --help", async () => {
  const { stdout } = await run(process.execPath, [cli, "--exit-zero", "examples"], { cwd: ROOT });
  assert.match(stdout, /api-posture: \d+ files scanned, \d+ findings, \d+ endpoints\./u);
  const inventory = await run(process.execPath, [cli, "inventory", "examples"], { cwd: ROOT });
  assert.match(inventory.stdout, /^# Endpoint inventory/u);
  const help = await run(process.execPath, [cli, "--help"]);
  assert.match(help.stdout, /^Usage: api-posture \[scan\]/u);
});
