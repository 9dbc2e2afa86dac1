/**
 * What users install is what is tested. The package is packed once; the tarball is installed
 * into fresh projects of every kind a user has (an ES module package, a CommonJS package as
 * `npm init -y` writes it with an eslint.config.mjs or an eslint.config.cjs, an install with
 * --ignore-scripts, a C#-only team without TypeScript) on the ESLint majors the package
 * supports, and each project lints a TypeScript and a C# file with recommended-soc2.
 *
 * The installs share the machine's npm cache (--prefer-offline: whatever is cached is not
 * fetched again) and run a few at a time; each cell is its own test with one subtest per
 * promise, so a failure names the promise it breaks.
 */
import { after, before, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { allRules } from "../lib/index.js";
import { ROOT } from "./helpers/paths.js";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const work = mkdtempSync(path.join(tmpdir(), "api-posture-install-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** Installs run this many at a time: enough to overlap network and disk, few enough for a 2-core CI runner. */
const POOL_SIZE = 2;

const versionIn = (folder: string): string =>
  (JSON.parse(readFileSync(path.join(ROOT, "node_modules", folder, "package.json"), "utf8")) as { version: string })
    .version;
/** The versions the repository itself is tested with (eslint-v9 is ESLint 9 under an alias). */
const ESLINT_10 = versionIn("eslint");
const ESLINT_9 = versionIn("eslint-v9");
const TYPESCRIPT = versionIn("typescript");
const TYPESCRIPT_ESLINT = versionIn("@typescript-eslint/parser");

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to its end and gives its exit code and output; only a command that cannot start rejects. */
function exec(command: string, args: readonly string[], cwd: string): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const ms = Math.round(performance.now() - started);
      if (error && typeof error.code !== "number") reject(new Error(error.message, { cause: error }));
      else resolve({ code: error ? (error.code as number) : 0, stdout, stderr, ms });
    });
  });
}

function limit(size: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (job) => {
    if (running < size) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // the finishing job hands its slot over
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

const ESM_CONFIG =
  'import apiPosture from "eslint-plugin-api-posture";\n\nexport default [...apiPosture.configs["recommended-soc2"]];\n';
const CJS_CONFIG =
  'const apiPosture = require("eslint-plugin-api-posture");\n\nmodule.exports = [...apiPosture.configs["recommended-soc2"]];\n';

const EXPRESS_ROUTER =
  'import express from "express";\nconst router = express.Router();\nrouter.delete("/orders/:id", async (req, res) => { res.sendStatus(204); });\nexport default router;\n';
const CONTROLLER =
  'using Microsoft.AspNetCore.Mvc;\n[ApiController, Route("api/orders")]\npublic class OrdersController : ControllerBase {\n    [HttpPost]\n    public IActionResult Create(OrderDto dto) => Ok();\n}\n';

interface Cell {
  id: string;
  title: string;
  type: "module" | "commonjs";
  config: { file: string; text: string };
  eslint: string;
  typescript: boolean;
  /** Packages the project already has, installed with the plugin (not typescript-eslint's parser). */
  alongside?: string[];
  ignoreScripts?: boolean;
  files: Record<string, string>;
  /** `file:line ruleId` of every rule finding, sorted. */
  findings: string[];
}

const TS_AND_CS = { "orders.ts": EXPRESS_ROUTER, "OrdersController.cs": CONTROLLER };
const TS_AND_CS_FINDINGS = [
  "OrdersController.cs:5 api-posture/require-route-auth",
  "orders.ts:3 api-posture/require-route-auth",
];

const CELLS: Cell[] = [
  {
    id: "esm",
    title: `an ES module package with eslint.config.js, ESLint ${ESLINT_10}`,
    type: "module",
    config: { file: "eslint.config.js", text: ESM_CONFIG },
    eslint: ESLINT_10,
    typescript: true,
    files: TS_AND_CS,
    findings: TS_AND_CS_FINDINGS,
  },
  {
    id: "commonjs-mjs",
    title: `a CommonJS package (as npm init -y writes it) with eslint.config.mjs, ESLint ${ESLINT_9}`,
    type: "commonjs",
    config: { file: "eslint.config.mjs", text: ESM_CONFIG },
    eslint: ESLINT_9,
    typescript: true,
    files: TS_AND_CS,
    findings: TS_AND_CS_FINDINGS,
  },
  {
    id: "commonjs-cjs",
    title: `a CommonJS package with eslint.config.cjs and require(), ESLint ${ESLINT_10}`,
    type: "commonjs",
    config: { file: "eslint.config.cjs", text: CJS_CONFIG },
    eslint: ESLINT_10,
    typescript: true,
    files: TS_AND_CS,
    findings: TS_AND_CS_FINDINGS,
  },
  {
    id: "ignore-scripts",
    title: `npm install --ignore-scripts, an ES module package, ESLint ${ESLINT_10}`,
    type: "module",
    config: { file: "eslint.config.js", text: ESM_CONFIG },
    eslint: ESLINT_10,
    typescript: true,
    ignoreScripts: true,
    files: TS_AND_CS,
    findings: TS_AND_CS_FINDINGS,
  },
  {
    id: "csharp-only",
    title: `a C#-only project without TypeScript (npm i -D eslint eslint-plugin-api-posture), ESLint ${ESLINT_10}`,
    type: "commonjs",
    config: { file: "eslint.config.mjs", text: ESM_CONFIG },
    eslint: ESLINT_10,
    typescript: false,
    files: { ...TS_AND_CS, "orders.js": EXPRESS_ROUTER },
    // orders.ts is not here: it cannot be parsed without TypeScript (checked on its own below).
    findings: ["OrdersController.cs:5 api-posture/require-route-auth", "orders.js:3 api-posture/require-route-auth"],
  },
  {
    id: "typescript-7",
    title: `a project that already has TypeScript 7, which typescript-eslint cannot parse with yet, ESLint ${ESLINT_10}`,
    type: "module",
    config: { file: "eslint.config.js", text: ESM_CONFIG },
    eslint: ESLINT_10,
    typescript: false,
    alongside: ["typescript@7.0.2"],
    files: { ...TS_AND_CS, "orders.js": EXPRESS_ROUTER },
    findings: ["OrdersController.cs:5 api-posture/require-route-auth", "orders.js:3 api-posture/require-route-auth"],
  },
];

interface Packed {
  tarball: string;
  files: string[];
}

interface CellRun {
  dir: string;
  install: Ran;
  /** Absent when the install failed. */
  lint?: Ran;
  /** `npx api-posture scan --format json`, absent when the install failed. */
  scan?: Ran;
  /** Milliseconds from the start of the matrix to the end of this cell. */
  doneAt: number;
}

async function pack(): Promise<Packed> {
  const packed = await exec(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", work], ROOT);
  assert.equal(packed.code, 0, packed.stderr);
  const [entry] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  return { tarball: path.join(work, entry.filename), files: entry.files.map((f) => f.path) };
}

async function runCell(cell: Cell, packed: Packed, started: number): Promise<CellRun> {
  const dir = path.join(work, cell.id);
  mkdirSync(dir);
  writeFileSync(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name: cell.id, version: "1.0.0", private: true, type: cell.type }, null, 2)}\n`,
  );
  const install = await exec(
    npm,
    [
      "install",
      "--save-dev",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      ...(cell.ignoreScripts ? ["--ignore-scripts"] : []),
      `eslint@${cell.eslint}`,
      packed.tarball,
      ...(cell.typescript ? [`typescript@${TYPESCRIPT}`, `@typescript-eslint/parser@${TYPESCRIPT_ESLINT}`] : []),
      ...(cell.alongside ?? []),
    ],
    dir,
  );
  if (install.code !== 0) return { dir, install, doneAt: performance.now() - started };
  writeFileSync(path.join(dir, cell.config.file), cell.config.text);
  for (const [name, text] of Object.entries(cell.files)) writeFileSync(path.join(dir, name), text);
  const lint = await exec(
    process.execPath,
    [path.join(dir, "node_modules/eslint/bin/eslint.js"), "--format", "json", "."],
    dir,
  );
  const npx = process.platform === "win32" ? "npx.cmd" : "npx";
  const scan = await exec(npx, ["--no-install", "api-posture", "scan", "--format", "json", "--fail-on", "none"], dir);
  return { dir, install, lint, scan, doneAt: performance.now() - started };
}

interface LintResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; line: number; fatal?: boolean; message: string }>;
}

let packing: Promise<Packed>;
let runs: Map<string, Promise<CellRun>>;

before(() => {
  const started = performance.now();
  const slot = limit(POOL_SIZE);
  packing = pack();
  runs = new Map(CELLS.map((cell) => [cell.id, packing.then((packed) => slot(() => runCell(cell, packed, started)))]));
  // Each run is awaited by its own test; until then a failure must not count as unhandled.
  for (const run of [packing, ...runs.values()]) run.catch(() => undefined);
});

test("the tarball holds the plugin, its C# language, its docs and its notices, and nothing of the repository's own", async () => {
  const { files } = await packing;
  assert.ok(
    files.includes("dist/lib/index.js") && files.includes("dist/lib/index.d.ts"),
    "entry point and types are packed",
  );
  assert.ok(files.includes("dist/lib/require.js"), "the require() entry is packed");
  assert.ok(files.includes("dist/csharp-bridge/language.js"), "the C# language is packed");
  assert.ok(files.includes("docs/rules/require-route-auth.md"), "rule docs are packed");
  assert.ok(files.includes("THIRD_PARTY_NOTICES.md"), "the notices for vendored patterns are packed");
  assert.ok(
    !files.some((f) => f.startsWith("dist/tests/") || f.startsWith("tests/") || f.startsWith("bench/")),
    "no tests or bench in the package",
  );
});

test("the package names its repository, and every rule's docs.url is its page there", async () => {
  const { files } = await packing;
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    version: string;
    repository: { type: string; url: string };
    homepage: string;
    bugs: { url: string };
  };
  assert.equal(pkg.repository.type, "git");
  const repository = /^git\+(https:\/\/github\.com\/[\w.-]+\/[\w.-]+)\.git$/u.exec(pkg.repository.url)?.[1];
  assert.ok(repository, `repository.url is the normalised git URL of a GitHub repository: ${pkg.repository.url}`);
  assert.equal(pkg.homepage, `${repository}#readme`);
  assert.equal(pkg.bugs.url, `${repository}/issues`);
  for (const rule of allRules) {
    const page = `docs/rules/${rule.descriptor.name}.md`;
    assert.equal(rule.meta.docs.url, `${repository}/blob/v${pkg.version}/${page}`);
    assert.ok(files.includes(page), `${page} is packed`);
  }
});

for (const cell of CELLS) {
  test(`installed into ${cell.title}`, { timeout: 900_000 }, async (t: TestContext) => {
    const run = await runs.get(cell.id)!;
    t.diagnostic(
      `install ${run.install.ms} ms, lint ${run.lint?.ms ?? "-"} ms, done ${Math.round(run.doneAt / 1000)} s after the matrix started`,
    );

    await t.test("npm installs it", () => {
      assert.equal(run.install.code, 0, `npm install failed:\n${run.install.stderr}`);
    });

    await t.test("the install has no install scripts for npm to warn about", () => {
      const warnings = run.install.stderr.split("\n").filter((line) => /install-scripts|allowScripts/u.test(line));
      assert.deepEqual(warnings, []);
    });

    if (!cell.typescript && !cell.alongside) {
      await t.test("TypeScript is not installed with it", () => {
        assert.equal(
          existsSync(path.join(run.dir, "node_modules/typescript")),
          false,
          "typescript was installed (a peer dependency npm installs by default?)",
        );
        assert.equal(
          existsSync(path.join(run.dir, "node_modules/@typescript-eslint/parser")),
          false,
          "typescript-eslint's parser was installed",
        );
      });
    }

    await t.test(`eslint with ${cell.config.file} reports the findings, and nothing on stderr`, () => {
      assert.ok(run.lint, "not linted: the install failed");
      assert.equal(
        run.lint.code,
        1,
        `eslint should exit 1 on findings; it exited ${run.lint.code}:\n${run.lint.stderr}`,
      );
      assert.equal(run.lint.stderr, "");
      const results = JSON.parse(run.lint.stdout) as LintResult[];
      const findings = results
        .flatMap((r) =>
          r.messages.filter((m) => !m.fatal).map((m) => `${path.basename(r.filePath)}:${m.line} ${m.ruleId}`),
        )
        .sort();
      assert.deepEqual(findings, cell.findings);
      if (cell.typescript)
        assert.deepEqual(
          results.flatMap((r) =>
            r.messages.filter((m) => m.fatal).map((m) => `${path.basename(r.filePath)}: ${m.message}`),
          ),
          [],
        );
    });

    await t.test("npx api-posture scan reports what eslint reports, with the installed package", () => {
      assert.ok(run.scan, "not scanned: the install failed");
      assert.equal(run.scan.code, 0, run.scan.stderr);
      assert.equal(run.scan.stderr, "");
      const report = JSON.parse(run.scan.stdout) as { findings: Array<{ file: string; line: number; ruleId: string }> };
      assert.deepEqual(
        report.findings.map((f) => `${path.basename(f.file)}:${f.line} ${f.ruleId}`).sort(),
        cell.findings,
      );
    });

    if (!cell.typescript) {
      await t.test("a .ts file gets one parsing error saying TypeScript is needed", () => {
        assert.ok(run.lint, "not linted: the install failed");
        const results = JSON.parse(run.lint.stdout) as LintResult[];
        const ts = results.find((r) => path.basename(r.filePath) === "orders.ts");
        assert.ok(ts, "orders.ts was linted");
        assert.equal(ts.messages.length, 1, JSON.stringify(ts.messages));
        const [message] = ts.messages;
        assert.equal(message.fatal, true);
        assert.equal(message.ruleId, null);
        assert.match(message.message, /typescript/iu);
        assert.match(message.message, /\b(install|needs?|needed|requires?|required)\b/iu);
        for (const other of results.filter((r) => r !== ts))
          assert.ok(!other.messages.some((m) => m.fatal), `${other.filePath} parses`);
      });
    }

    if (cell.id === "esm") {
      await t.test("the published types fit ESLint's own: a typed eslint.config.ts compiles", async () => {
        assert.ok(run.lint, "not linted: the install failed");
        writeFileSync(
          path.join(run.dir, "check-types.ts"),
          [
            'import { defineConfig } from "eslint/config";',
            'import type { ESLint } from "eslint";',
            'import apiPosture from "eslint-plugin-api-posture";',
            "export const plugin: ESLint.Plugin = apiPosture;",
            'export default defineConfig([...apiPosture.configs["recommended-soc2"], { files: ["**/*.cs"], plugins: { "api-posture": apiPosture }, language: "api-posture/csharp", rules: { "api-posture/require-route-auth": "warn" } }]);',
            "",
          ].join("\n"),
        );
        const tsc = await exec(
          process.execPath,
          [
            path.join(run.dir, "node_modules/typescript/bin/tsc"),
            "--noEmit",
            "--strict",
            "--skipLibCheck",
            "--module",
            "nodenext",
            "--moduleResolution",
            "nodenext",
            "check-types.ts",
          ],
          run.dir,
        );
        assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);
      });
    }
  });
}
