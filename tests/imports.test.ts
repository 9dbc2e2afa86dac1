/**
 * The one resolver of the TS/JS adapter (lib/adapters/ts/imports.ts): which package and
 * export a callee or value comes from, through every import form and local alias.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseForESLint } from "@typescript-eslint/parser";
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import { sourceText, type Node } from "../lib/adapters/ts/ast.js";
import { collectFacts, type FileFacts } from "../lib/adapters/ts/facts.js";
import {
  exportOf,
  exportPath,
  isPackage,
  matches,
  matchesAny,
  matchingSpecifier,
  originOf,
  requiredModule,
} from "../lib/adapters/ts/imports.js";

function factsOf(code: string): FileFacts {
  const { ast, visitorKeys } = parseForESLint(code, { range: true, loc: true, sourceType: "module" });
  return collectFacts(
    { ast, text: code, visitorKeys },
    {
      memberCallNames: new Set(),
      dataCallNames: new Set(),
      isDenySignal: () => false,
      nodeTypes: new Set([T.CallExpression, T.NewExpression]),
    },
  );
}

/** The call whose callee is written `callee` (the first, or the last with `last`), with its scope. */
function callOf(
  facts: FileFacts,
  callee: string,
  last = false,
): { call: TSESTree.CallExpression | TSESTree.NewExpression; scope: Node } {
  const sites = [...(facts.collected.get(T.CallExpression) ?? []), ...(facts.collected.get(T.NewExpression) ?? [])]
    .map(({ node, scope }) => ({ call: node as TSESTree.CallExpression | TSESTree.NewExpression, scope }))
    .filter(({ call }) => sourceText(facts.text, call.callee) === callee);
  const site = last ? sites.at(-1) : sites[0];
  assert.ok(site, `no call of ${callee}`);
  return site;
}

/** `module export` of the callee written `callee`, or undefined when it comes from no import. */
function origin(code: string, callee: string, last = false): string | undefined {
  const facts = factsOf(code);
  const { call, scope } = callOf(facts, callee, last);
  const found = originOf(facts, call.callee, scope);
  return found && `${found.module} ${exportPath(found)}`;
}

/** The same for the first argument of a call. */
function argumentOrigin(code: string, callee: string): string | undefined {
  const facts = factsOf(code);
  const { call, scope } = callOf(facts, callee);
  const found = originOf(facts, call.arguments[0], scope);
  return found && `${found.module} ${exportPath(found)}`;
}

describe("originOf: ESM imports", () => {
  it("a default import, called and as an object", () => {
    const code = 'import jwt from "jsonwebtoken";\njwt(token);\njwt.verify(token, key);\n';
    assert.equal(origin(code, "jwt"), "jsonwebtoken default");
    assert.equal(origin(code, "jwt.verify"), "jsonwebtoken verify");
  });

  it("named imports, renamed or not", () => {
    assert.equal(origin('import { verify } from "jsonwebtoken";\nverify(t, k);', "verify"), "jsonwebtoken verify");
    assert.equal(
      origin('import { verify as check } from "jsonwebtoken";\ncheck(t, k);', "check"),
      "jsonwebtoken verify",
    );
    assert.equal(
      origin('import { "verify" as check } from "jsonwebtoken";\ncheck(t, k);', "check"),
      "jsonwebtoken verify",
    );
    assert.equal(
      origin('import { default as jwt } from "jsonwebtoken";\njwt.decode(t);', "jwt.decode"),
      "jsonwebtoken decode",
    );
  });

  it("a namespace import, with members of members", () => {
    const code = 'import * as jose from "jose";\njose.jwtVerify(t, key);\njose.UnsecuredJWT.decode(t);\njose(t);\n';
    assert.equal(origin(code, "jose.jwtVerify"), "jose jwtVerify");
    assert.equal(origin(code, "jose.UnsecuredJWT.decode"), "jose UnsecuredJWT.decode");
    // The module object itself, as CommonJS interop calls it.
    assert.equal(origin(code, "jose"), "jose default");
  });

  it("a named import's own members: `UnsecuredJWT.decode`", () => {
    const code = 'import { UnsecuredJWT } from "jose";\nUnsecuredJWT.decode(t);';
    assert.equal(origin(code, "UnsecuredJWT.decode"), "jose UnsecuredJWT.decode");
  });

  it("`import x = require()`", () => {
    const code = 'import jwt = require("jsonwebtoken");\njwt.decode(t);\njwt(t);\n';
    assert.equal(origin(code, "jwt.decode"), "jsonwebtoken decode");
    assert.equal(origin(code, "jwt"), "jsonwebtoken default");
  });

  it("export paths: a default import of a CommonJS module names its members directly", () => {
    // `default.verify` and `verify` are the same function: module.exports.verify.
    assert.equal(exportPath({ module: "jsonwebtoken", path: ["default", "verify"] }), "verify");
    assert.equal(exportPath({ module: "jsonwebtoken", path: ["default"] }), "default");
    assert.equal(exportPath({ module: "jsonwebtoken", path: [] }), "default");
    assert.equal(exportPath({ module: "jose", path: ["UnsecuredJWT", "decode"] }), "UnsecuredJWT.decode");
  });
});

describe("originOf: CommonJS", () => {
  it("`const x = require()` and `require()` itself", () => {
    const code = 'const jwt = require("jsonwebtoken");\njwt.sign(p, k);\nrequire("cors")({ origin: true });\n';
    assert.equal(origin(code, "jwt.sign"), "jsonwebtoken sign");
    assert.equal(origin(code, 'require("cors")'), "cors default");
  });

  it("a member of `require()`, inline or bound", () => {
    const code = 'const sign = require("jsonwebtoken").sign;\nsign(p, k);\nrequire("jsonwebtoken").verify(t, k);\n';
    assert.equal(origin(code, "sign"), "jsonwebtoken sign");
    assert.equal(origin(code, 'require("jsonwebtoken").verify'), "jsonwebtoken verify");
  });

  it("destructuring, with renames and defaults", () => {
    const code =
      'const { verify, decode: read, sign = fallback } = require("jsonwebtoken");\nverify(t, k);\nread(t);\nsign(p, k);\n';
    assert.equal(origin(code, "verify"), "jsonwebtoken verify");
    assert.equal(origin(code, "read"), "jsonwebtoken decode");
    assert.equal(origin(code, "sign"), "jsonwebtoken sign");
  });

  it('the result of calling what a module exports: `require("x")()` and its members', () => {
    const code =
      'const guard = require("express-jwt-permissions")();\nguard.check("admin");\nimport express from "express";\nconst app = express();\napp.use(x);\n';
    assert.equal(origin(code, "guard.check"), "express-jwt-permissions ().check");
    assert.equal(origin(code, "app.use"), "express ().use");
  });
});

describe("originOf: aliases, scopes and dynamic imports", () => {
  it("follows local aliases, also across functions", () => {
    const code = [
      'import jwt from "jsonwebtoken";',
      "const check = jwt.verify;",
      "const again = check;",
      "again(t, k);",
      "function f() { const inner = again; inner(t, k); }",
    ].join("\n");
    assert.equal(origin(code, "again"), "jsonwebtoken verify");
    assert.equal(origin(code, "inner"), "jsonwebtoken verify");
  });

  it("a parameter or local that shadows an import comes from no import", () => {
    const code =
      'import jwt from "jsonwebtoken";\nfunction f(jwt) { jwt.verify(t, k); }\nfunction g() { const jwt = makeJwt(); jwt.decode(t); }\n';
    assert.equal(origin(code, "jwt.verify"), undefined);
    assert.equal(origin(code, "jwt.decode"), undefined);
  });

  it("`await import()` and `import()`", () => {
    const code = [
      'const cors = await import("@fastify/cors");',
      "app.register(cors);",
      'app.register(import("@fastify/cors"));',
      'const { default: x } = await import("y");',
      '(await import("jose")).decodeJwt(t);',
    ].join("\n");
    assert.equal(argumentOrigin(code, "app.register"), "@fastify/cors default");
    assert.equal(origin(code, '(await import("jose")).decodeJwt'), "jose decodeJwt");
    const facts = factsOf(code);
    const { call, scope } = callOf(facts, "app.register", true);
    assert.equal(exportPath(originOf(facts, call.arguments[0], scope)!), "default");
  });

  it("relative modules, globals and computed members", () => {
    const code =
      'import { requireAuth } from "./middleware/auth";\nrequireAuth();\nfetch(url);\nimport jwt from "jsonwebtoken";\njwt[name](t);\n';
    assert.equal(origin(code, "requireAuth"), "./middleware/auth requireAuth");
    assert.equal(origin(code, "fetch"), undefined);
    assert.equal(origin(code, "jwt[name]"), undefined);
  });

  it("gives up on a cycle of aliases", () => {
    assert.equal(origin("var a = b;\nvar b = a;\na();", "a"), undefined);
  });
});

describe("specifiers", () => {
  const verify = exportOf("jsonwebtoken", "verify");
  const decoders = exportOf("jose", ["decodeJwt", "UnsecuredJWT.decode"]);

  it("match on package and export, one name or several", () => {
    assert.deepEqual(verify, { from: "package", package: "jsonwebtoken", name: "verify" });
    assert.ok(matches({ module: "jsonwebtoken", path: ["default", "verify"] }, verify));
    assert.ok(matches({ module: "jsonwebtoken", path: ["verify"] }, verify));
    assert.ok(!matches({ module: "jsonwebtoken", path: ["decode"] }, verify));
    assert.ok(!matches({ module: "jose", path: ["verify"] }, verify));
    assert.ok(!matches(undefined, verify));
    assert.ok(matches({ module: "jose", path: ["UnsecuredJWT", "decode"] }, decoders));
    assert.ok(matchesAny({ module: "jose", path: ["decodeJwt"] }, [verify, decoders]));
    assert.ok(!matchesAny(undefined, [verify, decoders]));
  });

  it("matchingSpecifier: the first specifier the value's origin matches", () => {
    const facts = factsOf('import { decodeJwt } from "jose";\ndecodeJwt(t);');
    const { call, scope } = callOf(facts, "decodeJwt");
    assert.equal(matchingSpecifier(facts, call.callee, scope, [verify, decoders]), decoders);
    assert.equal(matchingSpecifier(facts, call.callee, scope, [verify]), undefined);
  });

  it("requiredModule and isPackage", () => {
    const facts = factsOf('require("cors");\nrequire(name);\nrequire(`@koa/cors`);');
    const calls = (facts.collected.get(T.CallExpression) ?? []).map(({ node }) => requiredModule(node));
    assert.deepEqual(calls, ["cors", undefined, "@koa/cors"]);
    for (const pkg of ["express", "@nestjs/common", "node:crypto", "hono/cors"]) assert.ok(isPackage(pkg), pkg);
    for (const file of ["./auth", "../x", "/abs/y", "@/lib/auth", "~/auth", undefined]) assert.ok(!isPackage(file));
  });
});
