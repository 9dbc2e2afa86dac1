/**
 * The ways users run the plugin besides the Node API: the `eslint` CLI (serial and
 * with --concurrency) and `ESLint#lintText` with a filePath, which is what editors call.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { FIXTURES } from "./helpers/paths.js";

const run = promisify(execFile);

interface JsonResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; line: number; column: number; message: string }>;
}

async function cli(bin: string, args: string[]): Promise<string[]> {
  // Exit code 1 means findings; the JSON is on stdout either way.
  const { stdout } = await run(process.execPath, [bin, "--format", "json", ...args, "."], {
    cwd: FIXTURES,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; code?: number }) => {
    if (error.code === 1 && error.stdout) return { stdout: error.stdout };
    throw error;
  });
  const results = JSON.parse(stdout) as JsonResult[];
  return results
    .flatMap((r) =>
      r.messages.map((m) => `${path.relative(FIXTURES, r.filePath)}:${m.line}:${m.column} ${m.ruleId} ${m.message}`),
    )
    .sort();
}

for (const version of ESLINT_VERSIONS) {
  test(`eslint --concurrency 2 finds exactly what a serial run finds (${version.label})`, async () => {
    const serial = await cli(version.bin, ["--concurrency", "off"]);
    const parallel = await cli(version.bin, ["--concurrency", "2"]);
    assert.ok(
      serial.some((line) => line.endsWith(".cs") || line.includes(".cs:")),
      "C# findings in the run",
    );
    assert.ok(
      serial.some((line) => line.includes(".ts:")),
      "TypeScript findings in the run",
    );
    assert.deepEqual(parallel, serial);
  });

  test(`lintText with a filePath, as editors call it (${version.label})`, async () => {
    const eslint = new version.ESLint({ cwd: FIXTURES });
    const cs = `using Microsoft.AspNetCore.Mvc;
[ApiController, Route("api/invoices")]
public class InvoicesController : ControllerBase {
    [HttpPut("{id}")]
    public IActionResult Update(int id, InvoiceDto dto) => NoContent();
}
`;
    const [csResult] = await eslint.lintText(cs, { filePath: path.join(FIXTURES, "editor", "InvoicesController.cs") });
    assert.deepEqual(
      csResult.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.severity}`),
      ["5:26 api-posture/require-route-auth 2"],
    );
    const ts = `import { Router } from "express";
export const invoices = Router();
invoices.put("/invoices/:id", async (req, res) => { res.sendStatus(204); });
`;
    const [tsResult] = await eslint.lintText(ts, { filePath: path.join(FIXTURES, "editor", "invoices.ts") });
    assert.deepEqual(
      tsResult.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`),
      ["3:10 api-posture/require-route-auth"],
    );
  });
}
