/**
 * The nesting scan the guarded parsers run before parsing: what counts as a level, what is
 * skipped, and that it ends on any text.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { scanNesting } from "../lib/nesting.js";
import { DEFAULT_MAX_NESTING_DEPTH } from "../lib/parser.js";
import { ROOT } from "./helpers/paths.js";

const depth = (text: string, options: { jsx?: boolean; typescript?: boolean } = {}) =>
  scanNesting(text, { jsx: options.jsx ?? false, typescript: options.typescript ?? false, limit: 1e9 }).depth;

describe("scanNesting", () => {
  it("counts brackets, template substitutions and JSX elements", () => {
    assert.equal(depth("f(g(h(1)));"), 3);
    assert.equal(depth("x = [[[1]]];"), 4, "`=` and three brackets");
    assert.equal(depth("x = {a: {b: {c: 1}}};"), 4);
    assert.equal(depth("t = `a${`b${`c`}`}`;"), 3);
    assert.equal(depth("v = <div><span>{name}</span></div>;", { jsx: true }), 4);
    assert.equal(depth('v = <><br /><p>(text) it\'s "fine" {a}</p></>;', { jsx: true }), 4);
  });

  it("counts the operators, dots and keywords of a chain, which nest in the tree like brackets", () => {
    assert.equal(depth("s = a + b + c + d;"), 4);
    assert.equal(depth("x = a.b.c.d;"), 4);
    assert.equal(depth("x = a.b.c + d.e;"), 3, "a member chain is a leaf of the operator chain");
    assert.equal(depth("x = !!!!a;"), 5);
    assert.equal(depth("x = a !== b;"), 2);
    assert.equal(depth("x = a ? b : c ? d : e;"), 3);
    assert.equal(depth("if (a) {} else if (b) {} else if (c) {} else {}"), 7);
    assert.equal(depth("if (a) if (b) if (c) go();"), 4);
  });

  it("ends a chain at a comma or a statement, with or without semicolons", () => {
    assert.equal(depth("f(a + b, c + d, e + f);"), 2);
    assert.equal(depth("a = b + c;\nd = e + f;\ng = h + i;"), 2);
    assert.equal(depth("a = b + c\nd = e + f\ng = h + i\n"), 2);
    assert.equal(depth("a = b +\n  c +\n  d\n"), 3, "a line ending in an operator goes on");
    assert.equal(depth("a = b\n  .c()\n  .d()\n"), 4, "a line starting with a dot goes on");
    assert.equal(depth("if (a) {\n}\nif (b) {\n}\nif (c) {\n}\n"), 2);
    assert.equal(depth("if (a) x();\nelse if (b) y();\nelse if (c) z();\n"), 6, "`else` goes on after a semicolon");
  });

  it("skips strings, comments, regular expressions, template text and JSX text", () => {
    assert.equal(depth(`s = "((([[[{{{"; t = '((('; // ((((\n/* {{{{ */ r = /[(]{3}\\/(/g; u = \`((( {{{\`;`), 1);
    assert.equal(depth("x = a / b / c;"), 3, "division is an operator");
    assert.equal(depth("v = <p>{'{'} ((( [[[ </p>;", { jsx: true }), 3);
    assert.equal(depth("#!/usr/bin/env node\nrun();"), 1);
  });

  it("reads `|` and `&` in TypeScript as type unions and intersections, which do not nest", () => {
    const union = `type Icon = ${Array.from({ length: 2_000 }, (_, i) => `"icon-${i}"`).join(" | ")};`;
    assert.ok(depth(union, { typescript: true }) < 5);
    assert.ok(depth(union) > 1_000, "in JavaScript, `|` is a bitwise or");
  });

  it("stops as soon as the limit is passed, and says where", () => {
    const text = `x = 1;\n${"(".repeat(100)}`;
    assert.deepEqual(scanNesting(text, { jsx: false, typescript: false, limit: 10 }), { depth: 11, offset: 18 });
  });

  it("ends on text that does not parse", () => {
    for (const text of [
      's = "abc',
      "t = `abc ${ (",
      "/* open",
      "r = /[abc",
      "v = <div <span",
      ")))]]]}}}",
      "<<<<<",
      "`${`${`${",
    ]) {
      for (const jsx of [false, true]) assert.ok(depth(text, { jsx }) < 10, text);
    }
  });

  it("keeps this project's own code far below the limit", () => {
    const files = ["lib", "lib/adapters/ts", "csharp-bridge", "tests"].flatMap((dir) =>
      readdirSync(path.join(ROOT, dir))
        .filter((name) => name.endsWith(".ts"))
        .map((name) => path.join(ROOT, dir, name)),
    );
    assert.ok(files.length > 20);
    for (const file of files) {
      const found = depth(readFileSync(file, "utf8"), { typescript: true });
      assert.ok(found < DEFAULT_MAX_NESTING_DEPTH / 4, `${path.relative(ROOT, file)}: ${found}`);
    }
  });
});
