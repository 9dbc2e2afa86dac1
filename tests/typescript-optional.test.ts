/**
 * TypeScript is needed only for TypeScript files: the plugin loads typescript-eslint (and
 * through it `typescript`) when the first TypeScript file is parsed. Without `typescript`,
 * or with one typescript-eslint cannot use, each TypeScript file gets one parsing error that
 * names the cause and the remedy, and every other file is linted.
 */
import { after, before, describe, it, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadTypeScriptParser, satisfies, type Load } from "../lib/parser.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { lintInChild } from "./helpers/child-lint.js";
import { ROOT } from "./helpers/paths.js";

const realRequire = createRequire(import.meta.url);
const RANGE = (realRequire("@typescript-eslint/parser/package.json") as { peerDependencies: { typescript: string } })
  .peerDependencies.typescript;

function notFound(id: string): Error {
  return Object.assign(new Error(`Cannot find module '${id}'\nRequire stack:\n- ${ROOT}/dist/lib/parser.js`), {
    code: "MODULE_NOT_FOUND",
  });
}

/** The real `require`, with some modules swapped. */
function loadWith(swaps: Record<string, () => unknown>): Load {
  return (id) => (id in swaps ? swaps[id]() : (realRequire(id) as unknown));
}

describe("loadTypeScriptParser", () => {
  it("loads typescript-eslint's parser when a supported typescript is installed", () => {
    const loaded = loadTypeScriptParser(realRequire);
    assert.ok(loaded.ok);
    assert.equal(typeof loaded.parser.parseForESLint, "function");
    assert.equal(loaded.supported, true);
    assert.equal(loaded.range, RANGE);
  });

  it("names the missing package and the command that installs a supported version", () => {
    const loaded = loadTypeScriptParser(
      loadWith({
        "typescript/package.json": () => {
          throw notFound("typescript/package.json");
        },
      }),
    );
    assert.equal(
      !loaded.ok && loaded.message,
      `TypeScript files need the typescript package, which is not installed: npm install --save-dev "typescript@${RANGE}"`,
    );
  });

  it("names typescript-eslint's parser when it is the one missing, and both when both are", () => {
    const noParser = {
      "@typescript-eslint/parser/package.json": () => {
        throw notFound("@typescript-eslint/parser/package.json");
      },
    };
    const parserOnly = loadTypeScriptParser(loadWith(noParser));
    assert.equal(
      !parserOnly.ok && parserOnly.message,
      "TypeScript files need the @typescript-eslint/parser package, which is not installed: npm install --save-dev @typescript-eslint/parser",
    );
    const both = loadTypeScriptParser(
      loadWith({
        ...noParser,
        "typescript/package.json": () => {
          throw notFound("typescript/package.json");
        },
      }),
    );
    // Without the parser's manifest the supported range is the one this version was built against.
    assert.match(
      !both.ok ? both.message : "",
      /^TypeScript files need @typescript-eslint\/parser and typescript, which are not installed: npm install --save-dev @typescript-eslint\/parser "typescript@>=\d/u,
    );
  });

  it("tells a missing typescript from a module typescript itself cannot find", () => {
    const loaded = loadTypeScriptParser(
      loadWith({
        typescript: () => {
          throw notFound("./lib/typescript.js");
        },
      }),
    );
    assert.equal(loaded.ok, false);
    assert.match(
      !loaded.ok ? loaded.message : "",
      /^the typescript package could not be loaded \(Cannot find module '\.\/lib\/typescript\.js'\)/u,
    );
  });

  it("refuses a typescript without the compiler API (TypeScript 7) before loading the parser", () => {
    let parserLoaded = false;
    const loaded = loadTypeScriptParser(
      loadWith({
        typescript: () => ({ version: "7.0.2", versionMajorMinor: "7.0" }),
        "@typescript-eslint/parser": () => {
          parserLoaded = true;
          return realRequire("@typescript-eslint/parser") as unknown;
        },
      }),
    );
    assert.equal(loaded.ok, false);
    assert.equal(
      !loaded.ok && loaded.message,
      `typescript 7.0.2 is installed, which has no compiler API typescript-eslint can parse with (it supports ${RANGE}); install a version it supports: npm install --save-dev "typescript@${RANGE}"`,
    );
    assert.equal(parserLoaded, false, "typescript-eslint's own error (and its console output) is never reached");
  });

  it("uses a typescript outside the supported range that still has the API, as typescript-eslint does", () => {
    const ts = realRequire("typescript") as object;
    const loaded = loadTypeScriptParser(loadWith({ typescript: () => ({ ...ts, version: "6.4.0" }) }));
    assert.ok(loaded.ok);
    assert.equal(loaded.supported, false);
    assert.equal(loaded.typescriptVersion, "6.4.0");
  });

  it("reports a parser that cannot be loaded", () => {
    const loaded = loadTypeScriptParser(
      loadWith({
        "@typescript-eslint/parser": () => {
          throw new TypeError("ts.SyntaxKind is undefined");
        },
      }),
    );
    assert.equal(loaded.ok, false);
    assert.match(
      !loaded.ok ? loaded.message : "",
      /^typescript-eslint's parser could not be loaded with typescript \d+\.\d+\.\d+ \(ts\.SyntaxKind is undefined\)/u,
    );
  });
});

describe("satisfies", () => {
  it("reads the ranges typescript-eslint declares", () => {
    assert.equal(satisfies("5.9.3", ">=4.8.4 <6.1.0"), true);
    assert.equal(satisfies("4.8.4", ">=4.8.4 <6.1.0"), true);
    assert.equal(satisfies("4.8.3", ">=4.8.4 <6.1.0"), false);
    assert.equal(satisfies("6.1.0", ">=4.8.4 <6.1.0"), false);
    assert.equal(satisfies("6.0.2-rc", ">=4.8.4 <6.1.0"), true);
    assert.equal(satisfies("7.0.2", ">=4.8.4 <6.1.0 || >=7.1.0"), false);
    assert.equal(satisfies("7.1.0", ">=4.8.4 <6.1.0 || >=7.1.0"), true);
    assert.equal(satisfies("unknown", ">=4.8.4 <6.1.0"), false);
  });
});

// ------------------------------------------------------------------------------ through ESLint

/** A `--require` hook that makes `typescript` resolve nowhere (`missing`) or to a TypeScript 7 stand-in. */
function hook(kind: "missing" | "typescript-7", stub: string): string {
  const resolve =
    kind === "missing"
      ? `{ const error = new Error("Cannot find module '" + request + "'\\nRequire stack:\\n- " + (parent && parent.filename)); error.code = "MODULE_NOT_FOUND"; throw error; }`
      : `return ${JSON.stringify(path.join(stub, "index.js"))};`;
  return `const Module = require("node:module");
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === "typescript" || request.startsWith("typescript/")) ${resolve}
  return resolveFilename.call(this, request, parent, ...rest);
};
`;
}

let dir: string;
let jsOnlyDir: string;

const routeJs = `import express from "express";
const router = express.Router();
router.post("/orders", (req, res) => res.status(201).json(req.body));
export default router;
`;
const routeTs = routeJs.replace("(req, res)", "(req: express.Request, res: express.Response)");

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), "api-posture-typescript-"));
  const pluginUrl = pathToFileURL(path.join(ROOT, "dist/lib/index.js")).href;
  const config = `import plugin from ${JSON.stringify(pluginUrl)};\nexport default [{ ignores: ["eslint.config.js", "hooks/**"] }, ...plugin.configs["recommended-soc2"]];\n`;
  mkdirSync(path.join(dir, "src"));
  mkdirSync(path.join(dir, "hooks", "typescript-7"), { recursive: true });
  writeFileSync(path.join(dir, "eslint.config.js"), config);
  writeFileSync(path.join(dir, "src", "orders.js"), routeJs);
  writeFileSync(path.join(dir, "src", "orders.ts"), routeTs);
  writeFileSync(path.join(dir, "src", "view.tsx"), "export const View = () => <p>hi</p>;\n");
  const stub = path.join(dir, "hooks", "typescript-7");
  writeFileSync(path.join(stub, "index.js"), 'exports.version = "7.0.2";\nexports.versionMajorMinor = "7.0";\n');
  writeFileSync(path.join(dir, "hooks", "missing.cjs"), hook("missing", stub));
  writeFileSync(path.join(dir, "hooks", "typescript-7.cjs"), hook("typescript-7", stub));

  jsOnlyDir = mkdtempSync(path.join(tmpdir(), "api-posture-js-only-"));
  writeFileSync(path.join(jsOnlyDir, "eslint.config.js"), config);
  writeFileSync(path.join(jsOnlyDir, "orders.js"), routeJs);
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(jsOnlyDir, { recursive: true, force: true });
});

const RULE = "api-posture/require-route-auth";

for (const version of ESLINT_VERSIONS) {
  test(`a JS-only run never loads typescript (${version.label})`, { timeout: 120_000 }, async () => {
    const { results, loaded } = await lintInChild(version, jsOnlyDir);
    assert.deepEqual(
      (results.get("orders.js") ?? []).map((m) => `${m.line} ${m.ruleId}`),
      [`3 ${RULE}`],
    );
    assert.deepEqual(loaded, { typescript: false, typescriptEslintParser: false });
  });

  for (const kind of ["missing", "typescript-7"] as const) {
    test(
      `without a usable typescript (${kind}), TS files get one parsing error and JS files are linted (${version.label})`,
      { timeout: 120_000 },
      async () => {
        const { results, loaded } = await lintInChild(version, dir, {
          preload: path.join(dir, "hooks", `${kind}.cjs`),
        });
        assert.deepEqual(
          (results.get("src/orders.js") ?? []).map((m) => `${m.line} ${m.ruleId}`),
          [`3 ${RULE}`],
        );
        const cause =
          kind === "missing"
            ? "TypeScript files need the typescript package, which is not installed"
            : "typescript 7.0.2 is installed, which has no compiler API typescript-eslint can parse with";
        for (const name of ["src/orders.ts", "src/view.tsx"]) {
          const messages = results.get(name) ?? [];
          assert.equal(messages.length, 1, `${name}: one message`);
          assert.equal(messages[0].fatal, true);
          assert.ok(messages[0].message.startsWith(`Parsing error: ${cause}`), messages[0].message);
          assert.ok(messages[0].message.endsWith(`npm install --save-dev "typescript@${RANGE}"`), messages[0].message);
        }
        assert.equal(
          loaded.typescriptEslintParser,
          false,
          "typescript-eslint is not loaded without a usable typescript",
        );
      },
    );
  }
}
