/**
 * Re-linting a C# file after a change: the parser worker keeps the last file's tree and
 * tree-sitter re-parses only the change. Whatever the edit, the tree must be the one a
 * fresh parse gives, and the findings those of the new text.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import plugin from "../lib/index.js";
import { editBetween, loadCSharpParser, parseCSharp } from "../csharp-bridge/parser.js";
import { Rng } from "../bench/corpus-kit.js";
import { ROOT } from "./helpers/paths.js";

const FIXTURES = path.join(ROOT, "tests", "fixtures");

function csharpFixtures(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".cs")) out.push(full);
    }
  };
  walk(FIXTURES);
  return out.sort();
}

/** One random edit of the kinds typing makes: insert, delete or replace a short run, at any place. */
function edit(rng: Rng, text: string): string {
  const at = rng.int(0, text.length);
  const removed = rng.chance(0.5) ? rng.int(0, Math.min(12, text.length - at)) : 0;
  const inserted = rng.chance(0.7)
    ? rng.pick([" ", "x", "\n", "{", "}", ";", '"', "é", "😀", "public ", "(id)", "\r\n"])
    : "";
  return text.slice(0, at) + inserted + text.slice(at + removed);
}

describe("editBetween", () => {
  test("names the one changed span, in UTF-16 code units, with rows and columns", () => {
    const e = editBetween("ab\ncd\nef", "ab\ncXYd\nef");
    assert.deepEqual(
      {
        startIndex: e.startIndex,
        oldEndIndex: e.oldEndIndex,
        newEndIndex: e.newEndIndex,
        startPosition: e.startPosition,
        oldEndPosition: e.oldEndPosition,
        newEndPosition: e.newEndPosition,
      },
      {
        startIndex: 4,
        oldEndIndex: 4,
        newEndIndex: 6,
        startPosition: { row: 1, column: 1 },
        oldEndPosition: { row: 1, column: 1 },
        newEndPosition: { row: 1, column: 3 },
      },
    );
    const lines = editBetween("a\nb", "a\nx\ny\nb");
    assert.deepEqual([lines.startIndex, lines.oldEndIndex, lines.newEndIndex], [2, 2, 6]);
    assert.deepEqual(lines.newEndPosition, { row: 3, column: 0 });
    assert.equal(editBetween("same", "same").newEndIndex, editBetween("same", "same").oldEndIndex);
  });
});

describe("incremental parse", () => {
  before(() => loadCSharpParser());

  test("gives the tree a fresh parse gives, over random edits of every C# fixture", () => {
    const rng = new Rng(20261205);
    let edits = 0;
    for (const file of csharpFixtures()) {
      let text = readFileSync(file, "utf8");
      let tree = parseCSharp(text);
      for (let i = 0; i < 6; i++) {
        const next = edit(rng, text);
        tree.edit(editBetween(text, next));
        const incremental = parseCSharp(next, undefined, tree);
        tree.delete();
        const fresh = parseCSharp(next);
        try {
          assert.equal(incremental.rootNode.toString(), fresh.rootNode.toString(), `${file}, edit ${i}`);
        } finally {
          fresh.delete();
        }
        tree = incremental;
        text = next;
        edits++;
      }
      tree.delete();
    }
    assert.ok(edits > 100, `only ${edits} edits were tried`);
  });
});

describe("linting one file again after a change", () => {
  const filePath = path.join(FIXTURES, "incremental", "Controllers", "OrdersController.cs");
  const protectedText = `using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

[ApiController, Route("api/orders")]
[Authorize]
public class OrdersController : ControllerBase
{
    [HttpPost]
    public IActionResult Create(OrderDto dto) => Ok();

    [HttpDelete("{id}")]
    public IActionResult Delete(int id) => NoContent();
}
`;
  const eslint = () =>
    new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: plugin.configs["recommended-soc2"] });
  const ruleIds = (result: ESLint.LintResult) => result.messages.map((m) => `${m.ruleId}:${m.line}`);

  test("reports what the new text holds, edit after edit, as a fresh lint of each text does", async () => {
    const editor = eslint();
    const versions = [
      protectedText,
      protectedText.replace("[Authorize]\n", ""),
      protectedText
        .replace("[Authorize]\n", "")
        .replace('[HttpDelete("{id}")]', '[HttpDelete("{id}"), AllowAnonymous]'),
      protectedText
        .replace("public IActionResult Create", "public IActionResult Create(")
        .replace("(OrderDto", "OrderDto"),
      protectedText,
    ];
    for (const [i, text] of versions.entries()) {
      const [again] = await editor.lintText(text, { filePath });
      // The same text under another name is parsed whole.
      const [fresh] = await eslint().lintText(text, { filePath: filePath.replace("OrdersController", `Fresh${i}`) });
      assert.deepEqual(ruleIds(again), ruleIds(fresh), `version ${i}`);
    }
    const [unprotected] = await editor.lintText(versions[1], { filePath });
    assert.ok(unprotected.messages.some((m) => m.ruleId === "api-posture/require-route-auth"));
  });
});
