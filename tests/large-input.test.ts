/**
 * Large and long shapes through ESLint with recommended-soc2: the TS/JS adapter must stay
 * linear in them (an object literal with 20,000 properties once took minutes and
 * gigabytes), and its findings must stay right. The timeouts are hang guards, not
 * performance budgets. Chains longer than any parser can follow get the one parsing error
 * of the nesting guard instead.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { recommendedEslint, summary } from "./helpers/lint.js";
import { ROOT } from "./helpers/paths.js";

const HANG_GUARD_MS = 20_000;
const SECRETS = "api-posture/no-hardcoded-secrets";
const ROUTE_AUTH = "api-posture/require-route-auth";
const CORS = "api-posture/no-permissive-cors";

/** A Google API key shape (`AIza` and 35 random-looking characters), made up from a fixed seed. */
function googleApiKeyShape(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  let state = 20_000;
  let key = "AIza";
  for (let i = 0; i < 35; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    key += alphabet[(state >>> 24) % alphabet.length];
  }
  return key;
}

interface Shape {
  title: string;
  file: string;
  text: string;
  /** `line rule` per message, in order. */
  expected: string[];
}

/** Lines of the generated text, with the line numbers of the ones the findings are on. */
function lines(): { push(line: string): number; text(): string } {
  const out: string[] = [];
  return { push: (line) => out.push(line), text: () => `${out.join("\n")}\n` };
}

function objectWith20000Properties(): Shape {
  const out = lines();
  out.push("export const settings = {");
  let password = 0;
  for (let i = 0; i < 20_000; i++) {
    out.push(`  key${i}: "Text number ${i} of the user interface",`);
    if (i === 7_000) out.push(`  apiKey: "${googleApiKeyShape()}",`);
    if (i === 12_000) out.push('  authDomain: "example.firebaseapp.com",');
    if (i === 15_000) password = out.push('  smtpPassword: "Tr0ub4dor&3",');
  }
  out.push("};");
  // The Google key is public Firebase web configuration: `authDomain` sits in the same object.
  return {
    title: "an object literal with 20,000 string properties",
    file: "settings.ts",
    text: out.text(),
    expected: [`${password} ${SECRETS}`],
  };
}

function arrayOf20000Strings(): Shape {
  const out = lines();
  out.push("export const words = [");
  for (let i = 0; i < 20_000; i++) out.push(`  "word number ${i} of a long list",`);
  out.push("];");
  const password = out.push('export const dbPassword = "Tr0ub4dor&3";');
  return {
    title: "an array of 20,000 strings",
    file: "words.js",
    text: out.text(),
    expected: [`${password} ${SECRETS}`],
  };
}

function memberChain(links: number): Shape {
  const out = lines();
  out.push(`export const value = settings${Array.from({ length: links }, (_, i) => `.level${i}`).join("")};`);
  const secret = out.push('export const sessionSecret = "k3y-v4lu3-x9q-7Zt";');
  return {
    title: `a member chain of ${links} links`,
    file: "chain.js",
    text: out.text(),
    expected: [`${secret} ${SECRETS}`],
  };
}

function concatenation(terms: number): Shape {
  const out = lines();
  out.push(`export const text = ${Array.from({ length: terms }, (_, i) => `"part ${i} "`).join(" + ")};`);
  const password = out.push('export const dbPassword = "Tr0ub4dor&3";');
  return {
    title: `a concatenation of ${terms} strings`,
    file: "text.ts",
    text: out.text(),
    expected: [`${password} ${SECRETS}`],
  };
}

/** A hand-written CORS handler: `if/else if` arms that reflect the origin, with credentials only on even arms. */
function elseIfChain(arms: number): Shape {
  const out = lines();
  out.push('import type { Request, Response } from "express";');
  out.push("export function cors(req: Request, res: Response) {");
  const expected: string[] = [];
  for (let i = 0; i < arms; i++) {
    out.push(`  ${i === 0 ? "" : "else "}if (req.path === "/area-${i}") {`);
    const origin = out.push('    res.setHeader("Access-Control-Allow-Origin", req.headers.origin!);');
    out.push(`    res.setHeader("Access-Control-Allow-Credentials", "${i % 2 === 0}");`);
    out.push("  }");
    if (i % 2 === 0) expected.push(`${origin} ${CORS}`);
  }
  out.push("}");
  return { title: `an if/else if chain of ${arms} arms`, file: "cors.ts", text: out.text(), expected };
}

/** 5,000 routes on one router, with `requireAuth` registered halfway. */
function manyRoutes(): Shape {
  const out = lines();
  out.push('const express = require("express");');
  out.push("const router = express.Router();");
  const expected: string[] = [];
  for (let i = 0; i < 5_000; i++) {
    if (i === 2_500) out.push("router.use(requireAuth);");
    const line = out.push(`router.post("/orders/${i}", (req, res) => res.status(201).json(req.body));`);
    if (i < 2_500) expected.push(`${line} ${ROUTE_AUTH}`);
  }
  out.push("module.exports = router;");
  return { title: "5,000 routes with a guard halfway", file: "routes.js", text: out.text(), expected };
}

/** 2,000 routes naming the methods of one 2,000-method controller object; odd ones behind `requireAuth`. */
function bigController(): Shape {
  const out = lines();
  out.push('import express from "express";');
  out.push("const router = express.Router();");
  out.push("const orders = {");
  for (let i = 0; i < 2_000; i++)
    out.push(
      `  async create${i}(req: express.Request, res: express.Response) { res.status(201).json(await Order.create(req.body)); },`,
    );
  out.push("};");
  const expected: string[] = [];
  for (let i = 0; i < 2_000; i++) {
    const line = out.push(`router.post("/orders/${i}", ${i % 2 === 1 ? "requireAuth, " : ""}orders.create${i});`);
    if (i % 2 === 0) expected.push(`${line} ${ROUTE_AUTH}`);
  }
  out.push("export default router;");
  return {
    title: "2,000 routes on the methods of one controller object",
    file: "orders.ts",
    text: out.text(),
    expected,
  };
}

/** Longer than any parser follows: the one parsing error of the nesting guard. */
function refused(shape: Shape): Shape {
  return { ...shape, title: `${shape.title} (refused)`, expected: [REFUSED] };
}

const REFUSED = "Parsing error: the file is nested too deeply to parse";

const SHAPES: (() => Shape)[] = [
  objectWith20000Properties,
  arrayOf20000Strings,
  () => memberChain(200),
  () => concatenation(200),
  () => elseIfChain(100),
  manyRoutes,
  bigController,
  () => refused(memberChain(20_000)),
  () => refused(concatenation(20_000)),
  () => refused(elseIfChain(20_000)),
];

for (const version of ESLINT_VERSIONS) {
  for (const make of SHAPES) {
    const shape = make();
    test(`${shape.title} (${version.label})`, { timeout: HANG_GUARD_MS }, async () => {
      const [result] = await recommendedEslint(version).lintText(shape.text, {
        filePath: path.join(ROOT, "src", shape.file),
      });
      const found = summary(result.messages).map((line) => (line.includes(REFUSED) ? REFUSED : line));
      assert.deepEqual(found, shape.expected);
    });
  }
}
