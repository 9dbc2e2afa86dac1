/**
 * What users install is what is tested: pack the package, install the tarball into an
 * empty project next to eslint, lint a .ts and a .cs file with a plain eslint.config.js.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./helpers/paths.js";

const run = promisify(execFile);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const work = mkdtempSync(path.join(tmpdir(), "api-posture-package-"));
after(() => rmSync(work, { recursive: true, force: true }));

const devVersion = (name: string): string => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string };
  return pkg.version;
};

test("the packed tarball installs and lints TypeScript and C# with recommended-soc2", { timeout: 300_000 }, async () => {
  const { stdout } = await run(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", work], { cwd: ROOT });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const files = packed!.files.map((f) => f.path);
  assert.ok(files.includes("dist/lib/index.js") && files.includes("dist/lib/index.d.ts"), "entry point and types are packed");
  assert.ok(files.includes("dist/csharp-bridge/language.js"), "the C# language is packed");
  assert.ok(files.includes("docs/rules/require-route-auth.md"), "rule docs are packed");
  assert.ok(files.includes("THIRD_PARTY_NOTICES.md"), "the notices for vendored patterns are packed");
  assert.ok(!files.some((f) => f.startsWith("dist/tests/") || f.startsWith("tests/") || f.startsWith("bench/")), "no tests or bench in the package");

  const project = path.join(work, "project");
  await run("mkdir", ["-p", project]);
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await run(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", path.join(work, packed!.filename), `eslint@${devVersion("eslint")}`, `typescript@${devVersion("typescript")}`], {
    cwd: project,
    maxBuffer: 16 * 1024 * 1024,
  });
  writeFileSync(
    path.join(project, "eslint.config.js"),
    'import apiPosture from "eslint-plugin-api-posture";\n\nexport default [...apiPosture.configs["recommended-soc2"]];\n',
  );
  writeFileSync(path.join(project, "orders.ts"), 'import express from "express";\nconst router = express.Router();\nrouter.delete("/orders/:id", async (req, res) => { res.sendStatus(204); });\nexport default router;\n');
  writeFileSync(
    path.join(project, "OrdersController.cs"),
    'using Microsoft.AspNetCore.Mvc;\n[ApiController, Route("api/orders")]\npublic class OrdersController : ControllerBase {\n    [HttpPost]\n    public IActionResult Create(OrderDto dto) => Ok();\n}\n',
  );
  const result = await run(process.execPath, [path.join(project, "node_modules/eslint/bin/eslint.js"), "--format", "json", "."], { cwd: project }).then(
    () => assert.fail("eslint should exit 1 on findings"),
    (error: { code: number; stdout: string }) => error,
  );
  assert.equal(result.code, 1);
  const findings = (JSON.parse(result.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string; line: number }> }>)
    .flatMap((r) => r.messages.map((m) => `${path.basename(r.filePath)}:${m.line} ${m.ruleId}`))
    .sort();
  assert.deepEqual(findings, ["OrdersController.cs:5 api-posture/require-route-auth", "orders.ts:3 api-posture/require-route-auth"]);

  // The published types fit ESLint's own: a typed eslint.config.ts compiles.
  writeFileSync(
    path.join(project, "check-types.ts"),
    [
      'import { defineConfig } from "eslint/config";',
      'import type { ESLint } from "eslint";',
      'import apiPosture from "eslint-plugin-api-posture";',
      "export const plugin: ESLint.Plugin = apiPosture;",
      'export default defineConfig([...apiPosture.configs["recommended-soc2"], { files: ["**/*.cs"], plugins: { "api-posture": apiPosture }, language: "api-posture/csharp", rules: { "api-posture/require-route-auth": "warn" } }]);',
      "",
    ].join("\n"),
  );
  await run(process.execPath, [path.join(project, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "check-types.ts"], { cwd: project });
});
