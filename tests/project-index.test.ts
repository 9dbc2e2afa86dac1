/**
 * The project index: cross-file verdicts through ESLint's Node API (lintFiles and the
 * editor's lintText with a filePath), invalidation when another file changes, files
 * read once while unchanged, project boundaries, symbolic links, and the CLI with
 * `--concurrency`.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { fileReadCount, retainedTextLength, setRetainedTextBudget } from "../lib/core/project/files.js";
import { resetProjectIndexes } from "../lib/core/project/index.js";
import { readTsConfigPaths, resolveModule, scanImports } from "../lib/core/project/resolve.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { recommendedEslint } from "./helpers/lint.js";
import { FIXTURES, ROOT } from "./helpers/paths.js";

const MOUNTED = path.join(FIXTURES, "require-route-auth/ts/projects/express-mounted");
const temps: string[] = [];
after(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the mounted-router fixture project in a temporary folder. */
function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-posture-index-"));
  temps.push(dir);
  const project = path.join(dir, "service");
  fs.cpSync(MOUNTED, project, { recursive: true });
  return project;
}

/** Rewrites a file and moves its mtime forward, as an editor's save does. */
function edit(file: string, change: (text: string) => string): void {
  fs.writeFileSync(file, change(fs.readFileSync(file, "utf8")));
  const later = new Date(fs.statSync(file).mtimeMs + 2000);
  fs.utimesSync(file, later, later);
}

const AP101 = "api-posture/require-route-auth";
const AP103 = "api-posture/require-ownership-check";
const PARTIAL = path.join(FIXTURES, "require-ownership-check/csharp/projects/returns-partial");

for (const version of ESLINT_VERSIONS) {
  describe(`the project index (${version.label})`, () => {
    it("applies a mount in another file, and re-judges when that file changes (lintText, as editors call it)", async () => {
      const project = copyProject();
      const orders = path.join(project, "src/routes/orders.ts");
      const eslint = recommendedEslint(version, [], { cwd: project });
      const lint = async (): Promise<string[]> => {
        const [result] = await eslint.lintText(fs.readFileSync(orders, "utf8"), { filePath: orders });
        return result.messages.filter((m) => m.ruleId === AP101).map((m) => `${m.line} ${m.message.split(" ")[2]}`);
      };
      assert.deepEqual(await lint(), [], "mounted behind checkJwt in server.ts");
      edit(path.join(project, "src/server.ts"), (text) =>
        text.replace('app.use("/api/orders", checkJwt, ordersRouter);', 'app.use("/api/orders", ordersRouter);'),
      );
      assert.deepEqual(await lint(), ["9 /api/orders", "14 /api/orders/:id"], "the mount lost its auth middleware");
      edit(path.join(project, "src/server.ts"), (text) =>
        text.replace('app.use("/api/orders", ordersRouter);', 'app.use("/api/orders", checkJwt, ordersRouter);'),
      );
      assert.deepEqual(await lint(), []);
    });

    it("follows routers through two files, namespace imports and registrar functions, in order", async () => {
      const project = copyProject();
      const eslint = recommendedEslint(version, [], { cwd: project });
      const results = await eslint.lintFiles([path.join(project, "src/**/*.ts")]);
      const found = results
        .flatMap((r) => r.messages.filter((m) => m.ruleId === AP101).map((m) => ({ file: r.filePath, m })))
        .map(({ file, m }) => `${path.relative(project, file)}:${m.line} ${m.message.split(" ").slice(1, 3).join(" ")}`)
        .sort();
      assert.deepEqual(found, [
        "src/routes/accounts.ts:7 PATCH /api/accounts/:id",
        "src/routes/billing.ts:18 POST /api/billing/notes",
        "src/routes/feedback.ts:7 POST /feedback",
        "src/routes/legacy.ts:7 POST /import",
      ]);
    });

    it("judges a file alone when it is outside any project", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-posture-alone-"));
      temps.push(dir);
      const file = path.join(dir, "orders.ts");
      fs.copyFileSync(path.join(MOUNTED, "src/routes/orders.ts"), file);
      const [result] = await recommendedEslint(version, [], { cwd: dir }).lintText(fs.readFileSync(file, "utf8"), {
        filePath: file,
      });
      assert.equal(result.messages.filter((m) => m.ruleId === AP101).length, 2);
    });

    it("gives a partial controller's actions the services its other part injects, as that part is now", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-posture-partial-"));
      temps.push(dir);
      fs.cpSync(PARTIAL, dir, { recursive: true });
      const changes = path.join(dir, "Controllers/ReturnsController.Changes.cs");
      const eslint = recommendedEslint(version, [], { cwd: dir });
      const lint = async (): Promise<number[]> => {
        const [result] = await eslint.lintText(fs.readFileSync(changes, "utf8"), { filePath: changes });
        return result.messages.filter((m) => m.ruleId === AP103).map((m) => m.line);
      };
      assert.deepEqual(await lint(), [29, 52], "the store of ReturnsController.cs is the data context");
      // Lints after the first build the model with the parse: a partial controller's still learns its other parts.
      assert.deepEqual(await lint(), [29, 52]);
      edit(path.join(dir, "Controllers/ReturnsController.cs"), (text) =>
        text.replace("ReturnsDbContext store", "IReturnsArchive store"),
      );
      assert.deepEqual(await lint(), [], "the store is no longer a data context");
    });
  });
}

describe("the project index's files", () => {
  it("reads an unchanged file once however often it is asked", async () => {
    const project = copyProject();
    const orders = path.join(project, "src/routes/orders.ts");
    const eslint = recommendedEslint(ESLINT_VERSIONS[0], [], { cwd: project });
    await eslint.lintText(fs.readFileSync(orders, "utf8"), { filePath: orders });
    const before = fileReadCount();
    for (let i = 0; i < 3; i++) await eslint.lintText(fs.readFileSync(orders, "utf8"), { filePath: orders });
    assert.equal(fileReadCount(), before, "no project file read again");
  });

  it("keeps no more source text than its budget, and gives the same verdicts past it", async (t) => {
    const project = copyProject();
    const orders = path.join(project, "src/routes/orders.ts");
    const lint = async () => {
      resetProjectIndexes();
      const eslint = recommendedEslint(ESLINT_VERSIONS[0], [], { cwd: project });
      const [result] = await eslint.lintText(fs.readFileSync(orders, "utf8"), { filePath: orders });
      return result.messages.map((m) => `${m.line}:${m.ruleId}`);
    };
    const unbounded = await lint();
    assert.ok(retainedTextLength() > 200, "the project's texts are held while under budget");
    const largest = Math.max(
      ...fs
        .readdirSync(project, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts"))
        .map((f) => fs.readFileSync(path.join(project, f), "utf8").length),
    );
    const previous = setRetainedTextBudget(100);
    t.after(() => setRetainedTextBudget(previous));
    assert.deepEqual(await lint(), unbounded);
    assert.ok(retainedTextLength() <= Math.max(100, largest), `${retainedTextLength()} characters held`);
  });

  it("never follows a symbolic link out of the project", async (t) => {
    const project = copyProject();
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "api-posture-outside-"));
    temps.push(outside);
    // Outside the project: an app that would mount the legacy router behind auth.
    fs.writeFileSync(
      path.join(outside, "server.ts"),
      [
        'import express from "express";',
        'import legacy from "../service/src/routes/legacy";',
        "const app = express();",
        'app.use("/legacy", requireAuth, legacy);',
        "",
      ].join("\n"),
    );
    try {
      fs.symlinkSync(outside, path.join(project, "src/linked"), "dir");
    } catch {
      t.skip("symbolic links cannot be made here");
      return;
    }
    const legacy = path.join(project, "src/routes/legacy.ts");
    const [result] = await recommendedEslint(ESLINT_VERSIONS[0], [], { cwd: project }).lintText(
      fs.readFileSync(legacy, "utf8"),
      {
        filePath: legacy,
      },
    );
    assert.equal(result.messages.filter((m) => m.ruleId === AP101).length, 1);
  });

  it("gives the same verdicts under eslint --concurrency as in one thread", () => {
    const project = copyProject();
    const plugin = pathToFileURL(path.join(ROOT, "dist/lib/index.js")).href;
    fs.writeFileSync(
      path.join(project, "eslint.config.js"),
      `import apiPosture from ${JSON.stringify(plugin)};\nexport default [...apiPosture.configs["recommended-soc2"]];\n`,
    );
    const bin = ESLINT_VERSIONS[0].bin;
    const run = (extra: string[]): string[] => {
      let out: string;
      try {
        out = execFileSync(process.execPath, [bin, "-f", "json", ...extra, "src"], { cwd: project, encoding: "utf8" });
      } catch (error) {
        out = (error as { stdout: string }).stdout;
      }
      const results = JSON.parse(out) as { filePath: string; messages: { ruleId: string; line: number }[] }[];
      return results
        .flatMap((r) => r.messages.map((m) => `${path.relative(project, r.filePath)}:${m.line} ${m.ruleId}`))
        .sort();
    };
    const single = run([]);
    assert.ok(single.length === 4, single.join("\n"));
    assert.deepEqual(run(["--concurrency", "2"]), single);
  });
});

describe("module resolution", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-posture-resolve-"));
  temps.push(dir);
  const files = new Set(
    ["src/routes/orders.ts", "src/routes/index.ts", "src/lib/auth.js", "src/app.ts", "shared/guards.tsx"].map((f) =>
      path.join(dir, f),
    ),
  );
  const exists = (file: string): boolean => files.has(file);
  const from = path.join(dir, "src/app.ts");
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    `{
      // comments and trailing commas, as tsconfig allows
      "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"], "@guards": ["shared/guards"], }, },
    }`,
  );
  const config = readTsConfigPaths(dir);

  it("finds relative files with or without extension, .js written for .ts, and index files", () => {
    assert.equal(resolveModule("./routes/orders", from, config, exists), path.join(dir, "src/routes/orders.ts"));
    assert.equal(resolveModule("./routes/orders.js", from, config, exists), path.join(dir, "src/routes/orders.ts"));
    assert.equal(resolveModule("./routes", from, config, exists), path.join(dir, "src/routes/index.ts"));
    assert.equal(resolveModule("./lib/auth", from, config, exists), path.join(dir, "src/lib/auth.js"));
    assert.equal(resolveModule("./missing", from, config, exists), undefined);
  });

  it("applies tsconfig paths and baseUrl; packages are not project files", () => {
    assert.equal(resolveModule("@/routes/orders", from, config, exists), path.join(dir, "src/routes/orders.ts"));
    assert.equal(resolveModule("@guards", from, config, exists), path.join(dir, "shared/guards.tsx"));
    assert.equal(resolveModule("src/app", from, config, exists), path.join(dir, "src/app.ts"));
    assert.equal(resolveModule("express", from, config, exists), undefined);
  });

  it("scans the modules a file imports without parsing it", () => {
    const text = [
      'import express from "express";',
      'import { a } from "./a";',
      'export * from "./b";',
      'const c = require("./c");',
      'const d = await import("./d");',
      'import e = require("./e");',
      'import "./side-effect";',
    ].join("\n");
    assert.deepEqual(scanImports(text).sort(), ["./a", "./b", "./c", "./d", "./e", "./side-effect", "express"]);
  });
});
