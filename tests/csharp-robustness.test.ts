/**
 * The C# path under input no real code base has, and over a long run: every file ends in
 * its findings or one clear message within its budgets, memory is given back after each
 * file, and a parser that cannot start costs the C# files one message each while every
 * other file is still linted. Time limits here are hang guards, not performance checks.
 */
import { after, before, describe, test } from "node:test";
import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ESLint } from "eslint";
import plugin from "../lib/index.js";
import { ROOT } from "./helpers/paths.js";

const RULE = "api-posture/require-route-auth";
const unprotected = `using Microsoft.AspNetCore.Mvc;
[ApiController, Route("api/orders")]
public class OrdersController : ControllerBase {
    [HttpPost]
    public IActionResult Create(OrderDto dto) => Ok();
}
`;

function eslintFor(languageOptions: Record<string, unknown> = {}): ESLint {
  return new ESLint({
    overrideConfigFile: true,
    overrideConfig: [...plugin.configs["recommended-soc2"], { files: ["**/*.cs"], languageOptions }],
  });
}

async function lint(text: string, languageOptions: Record<string, unknown> = {}): Promise<ESLint.LintResult> {
  const [result] = await eslintFor(languageOptions).lintText(text, { filePath: "Controllers/OrdersController.cs" });
  return result;
}

const identifiers = Array.from({ length: 80_000 }, (_, i) => `x${i}`).join(" ");

describe("C# input no compiler accepts", () => {
  const cases: Array<[string, string]> = [
    ["50,000 unclosed braces", `class A { void M() ${"{".repeat(50_000)} }`],
    ["50,000 closing braces", "}".repeat(50_000)],
    ["50,000 opening parentheses", `class A { void M() { var x = ${"(".repeat(50_000)}1; } }`],
    ["a run of 50,000 quotes", '"'.repeat(50_000)],
    ["20,000 #if lines", "#if X\n".repeat(20_000)],
    [
      "a controller of 5,000 broken actions",
      `class FooController : Controller { ${"[HttpPost] public void M( { _db.SaveChanges(); ".repeat(5_000)}}`,
    ],
    ["a string concatenation 20,000 deep", `class A { string s = ${'"a" + '.repeat(20_000)}"b"; }`],
    [
      "a comparison chain 20,000 deep",
      `class A { bool M(string password) { return ${"password == x || ".repeat(20_000)}true; } }`,
    ],
    [
      "a 16,000-item list after a line of 500 spaces",
      `class A { void M() {\n${" ".repeat(500)}\n${"a, ".repeat(16_000)}\n} }`,
    ],
    [
      "10,000 unclosed blocks before 10,000 declarations",
      `${"{ ".repeat(10_000)}${'string Password = "abcdefghijklmnopq"; '.repeat(10_000)}`,
    ],
    ...["#", "\u{1F600}", "\u180E", "\u0085", "\uFFFD", "\uD800"].map((odd): [string, string] => [
      `80,000 identifiers with ${JSON.stringify(odd)} in the middle`,
      `${identifiers.slice(0, identifiers.length / 2)}${odd}${identifiers.slice(identifiers.length / 2)}`,
    ]),
  ];
  for (const [name, text] of cases) {
    test(name, { timeout: 60_000 }, async () => {
      const result = await lint(text);
      assert.ok(result.messages.length <= 1, `at most one message, got ${result.messages.length}`);
      const [message] = result.messages;
      if (message && !message.ruleId) assert.equal(message.fatal, true);
      if (message?.ruleId)
        assert.match(
          message.message,
          /could not analyse this file \(the analysis took longer than \d+ ms and was stopped\)/u,
        );
    });
  }

  test(
    "the analysis budget cuts off a pathological file, and the next file is analysed as usual",
    { timeout: 60_000 },
    async () => {
      const eslint = eslintFor();
      const [slow] = await eslint.lintText(`class A { string s = ${'"a" + '.repeat(40_000)}"b"; }`, {
        filePath: "A.cs",
      });
      assert.deepEqual(
        slow.messages.map((m) => m.message.replace(/\d+ ms/u, "N ms")),
        [
          "AP101: api-posture could not analyse this file (the analysis took longer than N ms and was stopped); no AP101 results for it.",
        ],
      );
      const [next] = await eslint.lintText(unprotected, { filePath: "Controllers/OrdersController.cs" });
      assert.deepEqual(
        next.messages.map((m) => `${m.line} ${m.ruleId}`),
        [`5 ${RULE}`],
      );
    },
  );
});

describe("C# language options", () => {
  const large = `${unprotected}\n${`// ${"x".repeat(70)}\n`.repeat(30_000)}`;

  test("maxParseTime: a parse over budget is one parsing error naming the option", { timeout: 60_000 }, async () => {
    const result = await lint(
      `public class Big {\n${"    public int F(int a) { return a + 1; }\n".repeat(60_000)}}\n`,
      { maxParseTime: 1 },
    );
    assert.equal(result.messages.length, 1);
    assert.equal(result.messages[0].fatal, true);
    assert.match(
      result.messages[0].message,
      /^Parsing error: parsing took longer than 1 ms; raise languageOptions\.maxParseTime to wait longer$/u,
    );
  });

  test(
    "maxFileSize: a file over the limit is one parsing error naming the option; raising it lints the file",
    { timeout: 60_000 },
    async () => {
      const refused = await lint(large, { maxFileSize: 1024 * 1024 });
      assert.equal(refused.messages.length, 1);
      assert.match(
        refused.messages[0].message,
        /over the 1\.0 MB that can be linted safely .*raise languageOptions\.maxFileSize/u,
      );
      const linted = await lint(large, { maxFileSize: 8 * 1024 * 1024 });
      assert.deepEqual(
        linted.messages.map((m) => `${m.line} ${m.ruleId}`),
        [`5 ${RULE}`],
      );
    },
  );

  test("wrong option types are configuration errors", async () => {
    await assert.rejects(
      lint(unprotected, { maxParseTime: "soon" }),
      /Expected a positive number for the 'maxParseTime' option of api-posture\/csharp/u,
    );
    await assert.rejects(
      lint(unprotected, { maxFileSize: -1 }),
      /Expected a positive number for the 'maxFileSize' option/u,
    );
  });
});

describe("models built with the parse", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "api-posture-ahead-"));
    const guarded = unprotected.replace("    [HttpPost]", "    [HttpPost, Gatekeeper]");
    for (const folder of ["a", "b", "c", "d"]) {
      mkdirSync(path.join(dir, folder));
      writeFileSync(path.join(dir, folder, "OrdersController.cs"), guarded);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("follow the settings of each file, as a run in one thread sees them in turn", { timeout: 60_000 }, async () => {
    // b/ names the attribute as auth; a/, c/ and d/ do not. Files are linted in path order,
    // so c/ is parsed right after the rules of b/ asked with b/'s settings.
    const eslint = new ESLint({
      cwd: dir,
      overrideConfigFile: true,
      overrideConfig: [
        ...plugin.configs["recommended-soc2"],
        { files: ["b/**/*.cs"], settings: { "api-posture": { auth: ["Gatekeeper"] } } },
      ],
    });
    for (let round = 0; round < 2; round++) {
      const results = await eslint.lintFiles(["."]);
      const reported = results
        .filter((r) => r.messages.some((m) => m.ruleId === RULE))
        .map((r) => path.basename(path.dirname(r.filePath)));
      assert.deepEqual(reported.sort(), ["a", "c", "d"]);
    }
  });
});

describe("C# memory over a long run", () => {
  test("linting the same 150 KB file again and again does not grow the process", { timeout: 300_000 }, async () => {
    const actions = Array.from(
      { length: 900 },
      (_, i) =>
        `    [HttpPost("batch/${i}")]\n    public async Task<IActionResult> Create${i}(OrderDto dto) { _db.Orders.Add(new Order { Id = ${i} }); await _db.SaveChangesAsync(); return Ok(); }\n`,
    );
    const text = `using Microsoft.AspNetCore.Mvc;\n[ApiController, Authorize, Route("api/orders")]\npublic class OrdersController : ControllerBase {\n${actions.join("")}}\n`;
    assert.ok(text.length > 150_000);
    const eslint = eslintFor();
    const once = async () => {
      const [result] = await eslint.lintText(text, { filePath: "Controllers/OrdersController.cs" });
      assert.deepEqual(result.messages, []);
    };
    for (let i = 0; i < 10; i++) await once();
    const settled = process.memoryUsage().rss;
    for (let i = 0; i < 40; i++) await once();
    const grown = (process.memoryUsage().rss - settled) / (1024 * 1024);
    // A tree of this file takes about 10 MB of the WebAssembly heap: keeping one per lint would add 400 MB.
    assert.ok(grown < 150, `RSS grew by ${grown.toFixed(0)} MB over 40 lints`);
  });
});

test("a run without C# files never starts the C# parser", { timeout: 60_000 }, () => {
  const orders =
    'import express from "express";\nconst router = express.Router();\nrouter.post("/orders", (req, res) => res.sendStatus(201));\n';
  const script = `
    const { ESLint } = await import("eslint");
    const { default: plugin } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, "dist/lib/index.js")).href)});
    const host = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, "dist/csharp-bridge/host.js")).href)});
    const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: plugin.configs["recommended-soc2"] });
    const [result] = await eslint.lintText(${JSON.stringify(orders)}, { filePath: "orders.ts" });
    const before = host.parserWorkerStarted();
    await eslint.lintText("public class A {}", { filePath: "A.cs" });
    console.log(JSON.stringify({ findings: result.messages.map((m) => m.ruleId), before, after: host.parserWorkerStarted() }));
  `;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8" });
  assert.deepEqual(JSON.parse(out), { findings: [RULE], before: false, after: true });
});

describe("a C# parser that cannot start", () => {
  let copy: string;
  before(() => {
    // The built package without its grammar file: what a damaged install looks like.
    copy = mkdtempSync(path.join(tmpdir(), "api-posture-no-grammar-"));
    cpSync(path.join(ROOT, "dist"), path.join(copy, "dist"), { recursive: true });
    rmSync(path.join(copy, "dist/csharp-bridge/tree-sitter-c_sharp.wasm"));
    cpSync(path.join(ROOT, "package.json"), path.join(copy, "package.json"));
    symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
    mkdirSync(path.join(copy, "project"));
    writeFileSync(path.join(copy, "project/OrdersController.cs"), unprotected);
    writeFileSync(
      path.join(copy, "project/orders.ts"),
      'import express from "express";\nconst router = express.Router();\nrouter.delete("/orders/:id", (req, res) => res.sendStatus(204));\n',
    );
  });
  after(() => rmSync(copy, { recursive: true, force: true }));

  test(
    "costs each C# file one parsing error with cause and remedy; TypeScript is still linted",
    { timeout: 60_000 },
    async () => {
      const { default: damaged } = (await import(pathToFileURL(path.join(copy, "dist/lib/index.js")).href)) as {
        default: typeof plugin;
      };
      const eslint = new ESLint({
        cwd: path.join(copy, "project"),
        overrideConfigFile: true,
        overrideConfig: damaged.configs["recommended-soc2"],
      });
      const results = await eslint.lintFiles(["."]);
      const byFile = Object.fromEntries(
        results.map((r) => [path.basename(r.filePath), r.messages.map((m) => `${m.line} ${m.ruleId ?? m.message}`)]),
      );
      assert.deepEqual(byFile["orders.ts"], [`3 ${RULE}`]);
      assert.equal(byFile["OrdersController.cs"].length, 1);
      assert.match(
        byFile["OrdersController.cs"][0],
        /^1 Parsing error: the C# parser \(tree-sitter's WebAssembly build\) could not run: .*tree-sitter-c_sharp\.wasm.*Reinstall eslint-plugin-api-posture/u,
      );
    },
  );
});
