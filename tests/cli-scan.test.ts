/**
 * `api-posture scan` and `api-posture inventory` as users run them: the built CLI as a
 * child process on small projects written to a temporary folder, checked by exit code,
 * output and the files it writes.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { ScanReport } from "../lib/cli/report.js";
import { ROOT } from "./helpers/paths.js";

const execFileAsync = promisify(execFile);
const CLI = path.join(ROOT, "dist/lib/cli.js");
const work = mkdtempSync(path.join(tmpdir(), "api-posture-cli-"));
after(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(cwd: string, args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, ...args], {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let projects = 0;
function project(files: Record<string, string>): string {
  const dir = path.join(work, `p${projects++}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const SECRET = "ghp_" + "abcdefghijklmnopqrstuvwxyz0123456789";
const expressApp = (extra = "") => `import express from "express";
const app = express();
${extra}// eslint-disable-next-line api-posture/require-route-auth -- internal network only, see ADR-12
app.post("/orders", (req, res) => res.send("ok"));
// eslint-disable-next-line api-posture/require-route-auth
app.delete("/orders/:id", (req, res) => res.send("ok"));
app.put("/orders/:id", (req, res) => res.send("ok"));
app.get("/orders", (req, res) => res.send("ok"));
export const token = "${SECRET}";
export default app;
`;
const controller = `using Microsoft.AspNetCore.Mvc;
[ApiController, Route("api/orders")]
public class OrdersController : ControllerBase {
#pragma warning disable AP101 // reviewed: behind the gateway's mTLS
    [HttpPost]
    public IActionResult Create(OrderDto dto) => Ok();
#pragma warning restore AP101
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiPosture", "AP101:RequireRouteAuth")]
    [HttpDelete("{id}")]
    public IActionResult Delete(int id) => NoContent();
    [HttpPut("{id}")]
    public IActionResult Update(int id) => NoContent();
}
`;

async function jsonReport(cwd: string, args: string[] = []): Promise<{ run: Run; report: ScanReport }> {
  const run = await cli(cwd, ["scan", "--format", "json", "--no-timestamp", ...args]);
  return { run, report: JSON.parse(run.stdout) as ScanReport };
}

describe("api-posture scan", () => {
  const dir = project({
    "src/app.ts": expressApp(),
    "Controllers/OrdersController.cs": controller,
    "node_modules/lib/app.ts": expressApp(),
    "dist/app.js": 'require("express")().post("/x", (q, s) => s.send(1));\n',
    "generated/app.ts": expressApp(),
    ".gitignore": "generated/\n",
  });

  test("finds in both languages, skips dependencies, build output and what .gitignore ignores", async () => {
    const { run, report } = await jsonReport(dir);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(report.files, { typescript: 1, csharp: 1, total: 2 });
    assert.deepEqual(
      report.findings.map((f) => `${f.file}:${f.line} ${f.id}`),
      ["Controllers/OrdersController.cs:12 AP101", "src/app.ts:7 AP101", "src/app.ts:9 AP201"],
    );
    const finding = report.findings[0];
    assert.equal(finding.ruleId, "api-posture/require-route-auth");
    assert.deepEqual(finding.soc2, ["CC6.1", "CC6.3"]);
    assert.equal(finding.severity, "high");
    assert.match(finding.fingerprint, /^[0-9a-f]{32}$/u);
    assert.equal(report.tool.ruleSet, "recommended-soc2");
    assert.equal(report.scannedAt, undefined);
  });

  test("never prints a secret in full, in any format", async () => {
    for (const format of ["json", "stylish"]) {
      const run = await cli(dir, ["--format", format]);
      assert.ok(!run.stdout.includes(SECRET) && !run.stderr.includes(SECRET), format);
      assert.ok(run.stdout.includes(SECRET.slice(0, 4)), `${format} shows the first four characters`);
    }
  });

  test("lists every suppression with its justification and what it silenced", async () => {
    const { report } = await jsonReport(dir);
    assert.deepEqual(
      report.suppressions.map((s) => [s.file, s.line, s.kind, s.justification, s.silenced.map((x) => x.line)]),
      [
        ["Controllers/OrdersController.cs", 4, "pragma", "reviewed: behind the gateway's mTLS", [6]],
        ["Controllers/OrdersController.cs", 8, "suppress-message", "", [10]],
        ["src/app.ts", 3, "eslint-disable", "internal network only, see ADR-12", [4]],
        ["src/app.ts", 5, "eslint-disable", "", [6]],
      ],
    );
    assert.deepEqual(
      report.suppressedFindings.map((f) => `${f.file}:${f.line} ${f.suppression?.kind}@${f.suppression?.line}`),
      [
        "Controllers/OrdersController.cs:6 pragma@4",
        "Controllers/OrdersController.cs:10 suppress-message@8",
        "src/app.ts:4 eslint-disable@3",
        "src/app.ts:6 eslint-disable@5",
      ],
    );
  });

  test("the same tree gives byte-identical reports with --no-timestamp; the timestamp is the only difference", async () => {
    const a = await cli(dir, ["--format", "json", "--no-timestamp"]);
    const b = await cli(dir, ["--format", "json", "--no-timestamp"]);
    assert.equal(a.stdout, b.stdout);
    const stamped = JSON.parse((await cli(dir, ["--format", "json"])).stdout) as ScanReport;
    assert.match(stamped.scannedAt ?? "", /^\d{4}-\d\d-\d\dT/u);
    delete stamped.scannedAt;
    assert.deepEqual(stamped, JSON.parse(a.stdout));
  });

  test("--fail-on decides the exit code by the rules' severity", async () => {
    // AP102 (medium) only: an explicit anonymous opt-out on a write.
    const medium = project({
      "Controllers/OrdersController.cs": `using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
[ApiController, Route("api/orders"), Authorize]
public class OrdersController : ControllerBase {
    [HttpPost, AllowAnonymous]
    public IActionResult Create(OrderDto dto) => Ok();
}
`,
    });
    assert.equal((await cli(dir, ["--fail-on", "high"])).code, 1);
    assert.equal((await cli(dir, ["--fail-on", "none"])).code, 0);
    assert.equal((await cli(dir, ["--exit-zero"])).code, 0);
    const { report } = await jsonReport(medium);
    assert.deepEqual(
      report.findings.map((f) => `${f.id} ${f.severity}`),
      ["AP102 medium"],
    );
    assert.equal((await cli(medium, [])).code, 0, "the default --fail-on high passes a medium finding");
    assert.equal((await cli(medium, ["--fail-on", "medium"])).code, 1);
    assert.equal((await cli(medium, ["--fail-on", "low"])).code, 1);
  });

  test("usage errors exit 2 with one line and no stack trace", async () => {
    for (const args of [
      ["missing-folder"],
      ["--format", "xml"],
      ["--fail-on", "critical"],
      ["--unknown-flag"],
      ["--baseline", "nope.json"],
      ["--config", "nope.config.js"],
      ["--concurrency", "zero"],
      ["inventory", "--fail-on", "high"],
    ]) {
      const run = await cli(dir, args);
      assert.equal(run.code, 2, args.join(" "));
      assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
      assert.match(run.stderr, /^api-posture: /u);
      assert.doesNotMatch(run.stderr, /\n\s+at /u);
    }
  });

  test("--output writes the report to a file", async () => {
    const out = path.join(dir, "report.json");
    const run = await cli(dir, ["--format", "json", "--output", out, "src"]);
    assert.equal(run.stdout, "");
    assert.equal((JSON.parse(readFileSync(out, "utf8")) as ScanReport).findings.length, 2);
    rmSync(out);
  });

  test("--concurrency 2 finds what a serial scan finds", async () => {
    const serial = await jsonReport(dir);
    const parallel = await jsonReport(dir, ["--concurrency", "2"]);
    assert.deepEqual(parallel.report.findings, serial.report.findings);
    assert.deepEqual(parallel.report.endpoints, serial.report.endpoints);
  });
});

describe("rule sets and suppressions that silence nothing", () => {
  const dir = project({
    "src/app.ts": `import express from "express";
const app = express();
// eslint-disable-next-line api-posture/require-route-auth -- kept from an older version of the route
app.get("/orders", (req, res) => res.send("ok"));
app.put("/orders/:id", (req, res) => res.send("ok"));
export default app;
`,
    "lint/no-ap101.config.mjs": `import apiPosture from ${JSON.stringify(path.join(ROOT, "dist/lib/index.js"))};
export default [...apiPosture.configs["recommended-soc2"], { rules: { "api-posture/require-route-auth": "off" } }];
`,
  });

  test("a suppression that silences no finding is listed as unused", async () => {
    const { report } = await jsonReport(dir);
    assert.deepEqual(
      report.suppressions.map((s) => `${s.file}:${s.line} ${s.unused === true} ${s.justification}`),
      ["src/app.ts:3 true kept from an older version of the route"],
    );
  });

  test("--strict makes every rule an error; --config lints with the project's own config", async () => {
    const strict = await jsonReport(dir, ["--strict"]);
    assert.equal(strict.report.tool.ruleSet, "strict-soc2");
    assert.ok(strict.report.findings.every((f) => f.level === "error"));
    const own = await jsonReport(dir, ["--config", "lint/no-ap101.config.mjs"]);
    assert.equal(own.report.tool.ruleSet, "project config");
    assert.deepEqual(own.report.findings, [], "the project's config turns AP101 off");
    assert.equal(own.report.endpoints.length, 2, "the inventory is still taken");
  });
});

describe("baselines", () => {
  test("a baseline keeps old findings out through line shifts and edits elsewhere; new ones fail the gate", async () => {
    const dir = project({ "src/app.ts": expressApp(), "Controllers/OrdersController.cs": controller });
    const written = await cli(dir, ["--write-baseline", "baseline.json", "--exit-zero"]);
    assert.equal(written.code, 0);
    const baseline = JSON.parse(readFileSync(path.join(dir, "baseline.json"), "utf8")) as { findings: unknown[] };
    assert.equal(baseline.findings.length, 3);
    assert.ok(!readFileSync(path.join(dir, "baseline.json"), "utf8").includes(SECRET));

    // Unrelated lines above every finding: the same findings, on other lines.
    writeFileSync(path.join(dir, "src/app.ts"), expressApp("import cors from 'cors';\n\napp.use(cors());\n"));
    writeFileSync(path.join(dir, "Controllers/OrdersController.cs"), `// Orders.\n\n${controller}`);
    const same = await jsonReport(dir, ["--baseline", "baseline.json"]);
    assert.equal(same.run.code, 0, same.run.stdout);
    assert.deepEqual(same.report.findings, []);
    assert.deepEqual(same.report.baseline, { file: "baseline.json", new: 0, unchanged: 3, fixed: 0 });

    // A new unprotected route: only it is reported, and it fails the gate.
    writeFileSync(
      path.join(dir, "src/app.ts"),
      expressApp().replace(
        "export default app;",
        'app.patch("/orders/:id", (req, res) => res.send("ok"));\nexport default app;',
      ),
    );
    const added = await jsonReport(dir, ["--baseline", "baseline.json"]);
    assert.equal(added.run.code, 1);
    assert.deepEqual(
      added.report.findings.map((f) => `${f.line} ${f.id} ${f.baselineState}`),
      ["10 AP101 new"],
    );
    assert.deepEqual(added.report.baseline, { file: "baseline.json", new: 1, unchanged: 3, fixed: 0 });

    // A fixed finding is counted as fixed; a JSON report works as a baseline too.
    writeFileSync(path.join(dir, "src/app.ts"), expressApp().replace(/export const token = .*\n/u, ""));
    const report = await cli(dir, ["--format", "json", "--output", "previous.json", "--exit-zero"]);
    assert.equal(report.code, 0);
    const fixed = await jsonReport(dir, ["--baseline", "baseline.json"]);
    assert.deepEqual(fixed.report.baseline, { file: "baseline.json", new: 0, unchanged: 2, fixed: 1 });
    const againstReport = await jsonReport(dir, ["--baseline", "previous.json"]);
    assert.deepEqual(againstReport.report.baseline, { file: "previous.json", new: 0, unchanged: 2, fixed: 0 });
  });
});

describe("settings the project already has", () => {
  const app = `import express from "express";
import { requireTenant } from "./auth";
const app = express();
app.post("/orders", requireTenant, (req, res) => res.send("ok"));
export default app;
`;

  test("settings['api-posture'] from the project's ESLint config apply, as in the editor", async () => {
    const dir = project({
      "src/app.ts": app,
      "eslint.config.js": `export default [{ settings: { "api-posture": { auth: ["requireTenant"] } } }];\n`,
      "package.json": '{ "type": "module" }\n',
    });
    const { run, report } = await jsonReport(dir);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(report.findings, []);
  });

  test(".api-posture.json applies, and a broken one is a usage error", async () => {
    const dir = project({ "src/app.ts": app });
    assert.equal((await jsonReport(dir)).report.findings.length, 1);
    writeFileSync(path.join(dir, ".api-posture.json"), '{ "auth": ["requireTenant"] }\n');
    assert.deepEqual((await jsonReport(dir)).report.findings, []);
    writeFileSync(path.join(dir, ".api-posture.json"), "{ authMiddleware: ");
    const broken = await cli(dir, []);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^api-posture: \.api-posture\.json is not valid JSON/u);
  });

  test("a project config that cannot load is one warning, and the scan goes on", async () => {
    const dir = project({
      "src/app.ts": app,
      "eslint.config.js": `import missing from "eslint-plugin-not-installed";\nexport default [missing];\n`,
      "package.json": '{ "type": "module" }\n',
    });
    const run = await cli(dir, ["--format", "json"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^api-posture: the project's ESLint config could not be read/u);
    assert.equal((JSON.parse(run.stdout) as ScanReport).findings.length, 1);
  });
});

describe("api-posture inventory", () => {
  const dir = project({
    "src/app.ts": `import express from "express";
import { requireAuth } from "./auth";
const app = express();
app.get("/orders", requireAuth, (req, res) => res.send("ok"));
app.post("/orders,\\"quoted\\"", (req, res) => res.send("ok"));
export default app;
`,
    "Controllers/OrdersController.cs": controller,
  });

  test("lists every endpoint with its classification, in markdown, JSON and CSV", async () => {
    const json = await cli(dir, ["inventory", "--format", "json"]);
    assert.equal(json.code, 0, json.stderr);
    const { endpoints } = JSON.parse(json.stdout) as { endpoints: ScanReport["endpoints"] };
    assert.deepEqual(
      endpoints.map((e) => `${e.method} ${e.route} ${e.classification} ${e.file}:${e.line}`),
      [
        "POST /api/orders public Controllers/OrdersController.cs:6",
        "DELETE /api/orders/{id} public Controllers/OrdersController.cs:10",
        "PUT /api/orders/{id} public Controllers/OrdersController.cs:12",
        "GET /orders authenticated src/app.ts:4",
        'POST /orders,"quoted" public src/app.ts:5',
      ],
    );
    assert.deepEqual(endpoints[3].protections, ["requireAuth on the route"]);
    const csv = await cli(dir, ["inventory", "--format", "csv"]);
    assert.ok(csv.stdout.startsWith("method,route,handler,file,line,framework,classification,protections,anonymous"));
    assert.ok(csv.stdout.includes('POST,"/orders,""quoted""",'), csv.stdout);
    const markdown = await cli(dir, ["inventory"]);
    assert.match(markdown.stdout, /^# Endpoint inventory\n\n5 endpoints: 4 public, 1 authenticated/u);
    assert.match(
      markdown.stdout,
      /\| GET \| \/orders \| .* \| src\/app\.ts:4 \| express \| authenticated \| requireAuth on the route \|/u,
    );
  });
});

describe("inventory against an OpenAPI document", () => {
  const dir = project({
    "src/app.ts": `import express from "express";
import { requireAuth } from "./auth";
const app = express();
app.get("/orders/:id", requireAuth, (req, res) => res.send("ok"));
app.delete("/orders/:id", requireAuth, (req, res) => res.send("ok"));
export default app;
`,
    "openapi.yaml": `openapi: 3.0.3
info: { title: Orders, version: "1" }
paths:
  /orders/{orderId}:
    get: { operationId: getOrder, responses: { "200": { description: ok } } }
  /orders:
    post: { operationId: createOrder, responses: { "201": { description: created } } }
`,
    "broken.yaml": "openapi: [",
  });

  test("marks what the document declares and lists what it declares that nothing serves", async () => {
    const run = await cli(dir, ["inventory", "--format", "json", "--openapi", "openapi.yaml"]);
    assert.equal(run.code, 0, run.stderr);
    const inventory = JSON.parse(run.stdout) as {
      endpoints: ScanReport["endpoints"];
      unimplemented: NonNullable<ScanReport["undocumented"]>;
    };
    assert.deepEqual(
      inventory.endpoints.map((e) => `${e.method} ${e.route} ${e.documented}`),
      ["GET /orders/:id true", "DELETE /orders/:id false"],
    );
    assert.deepEqual(inventory.unimplemented, {
      documentFile: "openapi.yaml",
      operations: [{ method: "POST", path: "/orders", operationId: "createOrder" }],
    });
    const markdown = await cli(dir, ["inventory", "--openapi", "openapi.yaml"]);
    assert.match(
      markdown.stdout,
      /## Declared in openapi\.yaml, served by no code\n\n\| Method \| Path \| Operation \|\n\|---\|---\|---\|\n\| POST \| \/orders \| createOrder \|/u,
    );
  });

  test("a document that cannot be read is a usage error", async () => {
    const broken = await cli(dir, ["inventory", "--openapi", "broken.yaml"]);
    assert.equal(broken.code, 2);
    assert.equal(broken.stderr.trim().split("\n").length, 1, broken.stderr);
    const missing = await cli(dir, ["scan", "--openapi", "missing.yaml"]);
    assert.equal(missing.code, 2);
  });
});
