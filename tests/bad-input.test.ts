/**
 * Bad input in both languages: each bad file gets at most one clear message, every
 * other file of the same run is still linted, nothing crashes, hangs or overflows.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { lintInChild } from "./helpers/child-lint.js";
import { ROOT } from "./helpers/paths.js";

const RULE = "api-posture/require-route-auth";
let dir: string;

const unprotectedTs = `import express from "express";
const router = express.Router();
router.post("/orders", (req, res) => res.status(201).json(req.body));
export default router;
`;

const unprotectedCs = `using Microsoft.AspNetCore.Mvc;
[ApiController, Route("api/orders")]
public class OrdersController : ControllerBase {
    [HttpPost]
    public IActionResult Create(OrderDto dto) => Ok();
}
`;

function tenMegabytesOfCSharp(): string {
  const parts = [
    "using Microsoft.AspNetCore.Mvc;",
    '[ApiController, Authorize, Route("api/orders")]',
    "public class OrdersController : ControllerBase {",
  ];
  let size = 0;
  for (let i = 0; size < 10 * 1024 * 1024; i++) {
    const action = `    [HttpPost("batch/${i}")]\n    public async Task<IActionResult> Create${i}(OrderDto dto) { _db.Orders.Add(new Order { Id = ${i} }); await _db.SaveChangesAsync(); return Ok(); }\n`;
    parts.push(action);
    size += action.length;
  }
  parts.push("}");
  return parts.join("\n");
}

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), "api-posture-bad-input-"));
  const pluginUrl = pathToFileURL(path.join(ROOT, "dist/lib/index.js")).href;
  writeFileSync(
    path.join(dir, "eslint.config.js"),
    `import plugin from ${JSON.stringify(pluginUrl)};\nexport default [...plugin.configs["recommended-soc2"]];\n`,
  );
  writeFileSync(path.join(dir, "ok.ts"), unprotectedTs);
  writeFileSync(path.join(dir, "Ok.cs"), unprotectedCs);
  writeFileSync(path.join(dir, "syntax.ts"), 'router.post("/orders", (req, res) => {\n  res.json(\n');
  // The broken method is skipped; the controller around it is still analysed.
  writeFileSync(
    path.join(dir, "Syntax.cs"),
    unprotectedCs.replace("    [HttpPost]", "    public void Broken( { if (x == ) }\n    [HttpPost]"),
  );
  const binary = Buffer.alloc(4096);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) % 256;
  writeFileSync(path.join(dir, "binary.ts"), binary);
  writeFileSync(path.join(dir, "Binary.cs"), binary);
  // Latin-1 bytes (0xE9) in comments and strings: not UTF-8, still source code.
  writeFileSync(
    path.join(dir, "latin1.ts"),
    Buffer.concat([
      Buffer.from("// caf"),
      Buffer.from([0xe9]),
      Buffer.from('\nexport const greeting = "d'),
      Buffer.from([0xe9]),
      Buffer.from('j\u00e0";\n', "latin1"),
    ]),
  );
  writeFileSync(
    path.join(dir, "Latin1.cs"),
    Buffer.concat([
      Buffer.from("// caf"),
      Buffer.from([0xe9]),
      Buffer.from("\n"),
      Buffer.from(unprotectedCs.replace("[HttpPost]", "[HttpPost, Authorize]")),
    ]),
  );
  writeFileSync(
    path.join(dir, "huge.ts"),
    `export const rows = [\n${'  { id: 1, name: "row" },\n'.repeat(420_000)}];\n`,
  );
  writeFileSync(path.join(dir, "Huge.cs"), tenMegabytesOfCSharp());
  writeFileSync(
    path.join(dir, "deep.ts"),
    `export function f(a: number) {\n${"if (a) {\n".repeat(10_000)}${"}\n".repeat(10_000)}}\n`,
  );
  writeFileSync(
    path.join(dir, "Deep.cs"),
    `public class Deep {\n  public int M(int a) {\n${"if (a > 0) {\n".repeat(10_000)}${"}\n".repeat(10_000)} return ${"(".repeat(10_000)}a${")".repeat(10_000)};\n  }\n}\n`,
  );
});

after(() => rmSync(dir, { recursive: true, force: true }));

for (const version of ESLINT_VERSIONS) {
  test(`bad input gets one clear message and the rest is linted (${version.label})`, async () => {
    const eslint = new version.ESLint({ cwd: dir });
    const results = await eslint.lintFiles(["."]);
    const byFile = new Map(
      results
        .filter((r) => !r.filePath.endsWith("eslint.config.js"))
        .map((r) => [path.basename(r.filePath), r.messages]),
    );
    const lines = (name: string) => (byFile.get(name) ?? []).map((m) => `${m.line} ${m.ruleId ?? m.message}`);

    assert.equal(byFile.size, 12, "every file was linted");
    assert.deepEqual(lines("ok.ts"), [`3 ${RULE}`]);
    assert.deepEqual(lines("Ok.cs"), [`5 ${RULE}`]);

    for (const name of ["syntax.ts", "binary.ts", "Binary.cs", "huge.ts", "Huge.cs", "deep.ts"]) {
      const messages = byFile.get(name)!;
      assert.equal(messages.length, 1, `${name}: one message`);
      assert.equal(messages[0].fatal, true, `${name}: a parsing error`);
      assert.match(messages[0].message, /^Parsing error: /u);
    }
    assert.match(byFile.get("binary.ts")![0].message, /binary content/u);
    assert.match(byFile.get("Binary.cs")![0].message, /binary content/u);
    assert.match(byFile.get("huge.ts")![0].message, /10\.\d MB, over the 4\.0 MB/u);
    assert.match(byFile.get("Huge.cs")![0].message, /10\.\d MB, over the 4\.0 MB .*languageOptions\.maxFileSize/u);
    assert.match(byFile.get("deep.ts")![0].message, /nested too deeply/u);

    assert.deepEqual(lines("Syntax.cs"), [`6 ${RULE}`], "linted where tree-sitter recovered");
    assert.deepEqual(lines("latin1.ts"), []);
    assert.deepEqual(lines("Latin1.cs"), []);
    assert.ok(lines("Deep.cs").length <= 1, "deep nesting: at most one message");
  });
}

// ------------------------------------------------------------------------------ deep JS and TS

/**
 * Nesting no parser survives, in every file type the configs give a parser. espree can end
 * Node with a V8 fatal error (not an exception) above about 1,700 nested blocks, and ESLint's
 * scope analysis overflows on a chain of a few thousand links: the guard must refuse both
 * before they happen. Linted in a child process, so a regression fails the test instead of
 * killing the runner.
 */
function deepJsAndTs(): Record<string, string> {
  const blocks = (n: number) => `${"if (a) {\n".repeat(n)}${"}\n".repeat(n)}`;
  const jsx = (n: number) => `${"<div>".repeat(n)}${"</div>".repeat(n)}`;
  return {
    "deep.js": `export function f(a) {\n${blocks(2_000)}}\n`,
    "deep.mjs": `export function f(a) {\n${blocks(2_000)}}\n`,
    "deep.cjs": `module.exports = function f(a) {\n${blocks(2_000)}};\n`,
    "deep.jsx": `export const view = ${jsx(3_000)};\n`,
    "deep.ts": `export function f(a: number) {\n${blocks(2_000)}}\n`,
    "deep.tsx": `export const view = ${jsx(3_000)};\n`,
    "chain.js": `export const x = a${".b".repeat(20_000)};\n`,
    "else-if.js": `export function f(a) {\n  if (a === 0) {}\n${"  else if (a) {}\n".repeat(5_000)}}\n`,
    "concat.mjs": `export const s = ${Array.from({ length: 20_000 }, (_, i) => `"s${i}"`).join(" + ")};\n`,
    "parens.cts": `export const x = ${"(".repeat(20_000)}1${")".repeat(20_000)};\n`,
  };
}

const routeJs = (
  module: "esm" | "cjs",
) => `${module === "esm" ? 'import express from "express";' : 'const express = require("express");'}
const router = express.Router();
router.post("/orders", (req, res) => res.status(201).json(req.body));
${module === "esm" ? "export default router;" : "module.exports = router;"}
`;

for (const version of ESLINT_VERSIONS) {
  test(
    `deeply nested JS and TS files get one parsing error each and the rest is linted (${version.label})`,
    { timeout: 180_000 },
    async () => {
      const deepDir = mkdtempSync(path.join(tmpdir(), "api-posture-deep-"));
      try {
        const pluginUrl = pathToFileURL(path.join(ROOT, "dist/lib/index.js")).href;
        writeFileSync(
          path.join(deepDir, "eslint.config.js"),
          `import plugin from ${JSON.stringify(pluginUrl)};\nexport default [{ ignores: ["eslint.config.js"] }, ...plugin.configs["recommended-soc2"]];\n`,
        );
        const deep = deepJsAndTs();
        mkdirSync(path.join(deepDir, "src"));
        for (const [name, text] of Object.entries(deep)) writeFileSync(path.join(deepDir, "src", name), text);
        writeFileSync(path.join(deepDir, "src", "ok.js"), routeJs("esm"));
        writeFileSync(path.join(deepDir, "src", "ok.cjs"), routeJs("cjs"));
        writeFileSync(path.join(deepDir, "src", "ok.ts"), unprotectedTs);
        writeFileSync(
          path.join(deepDir, "src", "view.jsx"),
          `export const View = ({ name }) => (\n  <section className="card">\n    <h1>Hello, {name} (it's fine)</h1>\n  </section>\n);\n`,
        );

        const { results } = await lintInChild(version, deepDir, { timeoutMs: 150_000 });
        for (const name of Object.keys(deep)) {
          const messages = results.get(`src/${name}`);
          assert.ok(messages, `${name} was linted`);
          assert.equal(messages.length, 1, `${name}: one message`);
          assert.equal(messages[0].fatal, true, `${name}: a parsing error`);
          assert.match(messages[0].message, /^Parsing error: the file is nested too deeply to parse/u, name);
        }
        const lines = (name: string) =>
          (results.get(`src/${name}`) ?? []).map((m) => `${m.line} ${m.ruleId ?? m.message}`);
        assert.deepEqual(lines("ok.js"), [`3 ${RULE}`]);
        assert.deepEqual(lines("ok.cjs"), [`3 ${RULE}`]);
        assert.deepEqual(lines("ok.ts"), [`3 ${RULE}`]);
        assert.deepEqual(lines("view.jsx"), [], ".jsx files are parsed with JSX");
      } finally {
        rmSync(deepDir, { recursive: true, force: true });
      }
    },
  );
}
