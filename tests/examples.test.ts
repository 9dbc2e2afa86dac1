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
import plugin from "../lib/index.js";
import { compareWithAnnotations, parseAnnotations } from "./helpers/annotations.js";
import { ROOT } from "./helpers/paths.js";

const run = promisify(execFile);
const cli = path.join(ROOT, "dist/lib/cli.js");
const idByRuleId = new Map(
  Object.values(plugin.rules).map((rule) => [`api-posture/${rule.descriptor.name}`, rule.descriptor.id]),
);

test("api-posture on examples/ reports exactly the annotated lines, in both services", async () => {
  const failed = await run(process.execPath, [cli, "--format", "json", "examples"], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    () => assert.fail("the examples have findings: exit code 1 expected"),
    (error: { code: number; stdout: string }) => error,
  );
  assert.equal(failed.code, 1);
  const results = JSON.parse(failed.stdout) as Array<{
    filePath: string;
    messages: Array<{ ruleId: string | null; line: number; message: string }>;
  }>;
  const extensions = new Set(results.map((r) => path.extname(r.filePath)));
  assert.ok(extensions.has(".ts") && extensions.has(".cs"));
  let expected = 0;
  for (const result of results) {
    const text = readFileSync(result.filePath, "utf8");
    const findings = result.messages.map((m) => ({
      id: (m.ruleId && idByRuleId.get(m.ruleId)) || String(m.ruleId),
      line: m.line,
      message: m.message,
    }));
    assert.deepEqual(compareWithAnnotations(text, findings), [], path.relative(ROOT, result.filePath));
    expected += parseAnnotations(text).filter((a) => a.kind === "ruleid").length;
  }
  assert.ok(expected >= 6, "the examples show several findings");
});

test("api-posture --exit-zero and --help", async () => {
  const { stdout } = await run(process.execPath, [cli, "--exit-zero", "examples"], { cwd: ROOT });
  assert.match(stdout, /api-posture: \d+ files scanned, \d+ findings\./u);
  const help = await run(process.execPath, [cli, "--help"]);
  assert.match(help.stdout, /^Usage: api-posture/u);
});
