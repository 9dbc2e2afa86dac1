/**
 * Switching rules off in C#: ESLint comments exactly as in TS, plus the Roslyn forms
 * C# teams already use (#pragma warning, [SuppressMessage]).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { recommendedEslint, summary } from "./helpers/lint.js";

const RULE = "api-posture/require-route-auth";

/** A controller with two unprotected writes: Create (line 7) and Delete (line 10), plus whatever `body` adds. */
function controller(body = "", before = "", onCreate = "", onClass = ""): string {
  return [
    "using Microsoft.AspNetCore.Mvc;",
    before,
    onClass,
    '[ApiController, Route("api/orders")]',
    "public class OrdersController : ControllerBase {",
    `    [HttpPost]${onCreate}`,
    "    public IActionResult Create(OrderDto dto) => Ok();",
    "",
    '    [HttpDelete("{id}")]',
    "    public IActionResult Delete(int id) => NoContent();",
    body,
    "}",
  ].join("\n");
}

for (const version of ESLINT_VERSIONS) {
  describe(`C# suppressions (${version.label})`, () => {
    const lint = async (text: string, fix = false) => {
      const [result] = await recommendedEslint(version, [], { fix }).lintText(text, {
        filePath: "Controllers/OrdersController.cs",
      });
      return result;
    };

    test("both unprotected writes are reported without suppressions", async () => {
      const result = await lint(controller());
      assert.deepEqual(summary(result.messages), [`7 ${RULE}`, `10 ${RULE}`]);
    });

    test("eslint-disable-next-line with a reason", async () => {
      const text = controller().replace(
        "    public IActionResult Create",
        `    // eslint-disable-next-line ${RULE} -- public order form, rate limited\n    public IActionResult Create`,
      );
      const result = await lint(text);
      assert.deepEqual(summary(result.messages), [`11 ${RULE}`]);
      assert.equal(result.suppressedMessages.length, 1);
      assert.equal(result.suppressedMessages[0].suppressions[0].justification, "public order form, rate limited");
    });

    test("eslint-disable / eslint-enable block comments", async () => {
      const text = controller()
        .replace("    [HttpPost]", `    /* eslint-disable ${RULE} */\n    [HttpPost]`)
        .replace('    [HttpDelete("{id}")]', `    /* eslint-enable ${RULE} */\n    [HttpDelete("{id}")]`);
      assert.deepEqual(summary((await lint(text)).messages), [`12 ${RULE}`]);
    });

    test("inline rule configuration turns the rule off for the file", async () => {
      const result = await lint(controller("", `/* eslint ${RULE}: "off" */`));
      assert.deepEqual(summary(result.messages), []);
    });

    test("an unused eslint-disable-next-line is reported", async () => {
      const text = controller().replace(
        "    [HttpPost]",
        `    [HttpPost]\n    [Authorize]\n    // eslint-disable-next-line ${RULE}`,
      );
      assert.deepEqual(summary((await lint(text)).messages), [`8 unused-directive`, `12 ${RULE}`]);
    });

    test("#pragma warning disable … restore, with the trailing comment as the reason", async () => {
      const text = controller()
        .replace("    [HttpPost]", "#pragma warning disable AP101 // legacy public form\n    [HttpPost]")
        .replace('    [HttpDelete("{id}")]', '#pragma warning restore AP101\n    [HttpDelete("{id}")]');
      const result = await lint(text);
      assert.deepEqual(summary(result.messages), [`12 ${RULE}`]);
      assert.equal(result.suppressedMessages[0].suppressions[0].justification, "legacy public form");
    });

    test("compiler-only and bare pragmas leave the rules on and are never reported as unused", async () => {
      const text = controller("", "#pragma warning disable CS1591\n#pragma warning disable");
      assert.deepEqual(summary((await lint(text)).messages), [`8 ${RULE}`, `11 ${RULE}`]);
    });

    test("an unused AP id in a pragma is reported, and its fix keeps the compiler ids", async () => {
      const text = controller("", "#pragma warning disable CS1591, AP101, CS0618");
      const unused = await lint(
        text
          .replace(/\[HttpPost\]/u, "[HttpPost, Authorize]")
          .replace('[HttpDelete("{id}")]', '[HttpDelete("{id}"), Authorize]'),
      );
      assert.deepEqual(summary(unused.messages), ["2 unused-directive"]);
      const fixed = await lint(
        text
          .replace(/\[HttpPost\]/u, "[HttpPost, Authorize]")
          .replace('[HttpDelete("{id}")]', '[HttpDelete("{id}"), Authorize]'),
        true,
      );
      assert.match(fixed.output!, /^#pragma warning disable CS1591, CS0618$/mu);
      const last = await lint(
        text
          .replace("CS1591, AP101, CS0618", "CS1591, AP101")
          .replace(/\[HttpPost\]/u, "[HttpPost, Authorize]")
          .replace('[HttpDelete("{id}")]', '[HttpDelete("{id}"), Authorize]'),
        true,
      );
      assert.match(last.output!, /^#pragma warning disable CS1591 ?$/mu);
    });

    test("[SuppressMessage] on a method suppresses that method only", async () => {
      const text = controller(
        "",
        "",
        '\n    [SuppressMessage("ApiPosture", "AP101:RequireRouteAuth", Justification = "signed webhook")]',
      );
      const result = await lint(text);
      assert.deepEqual(summary(result.messages), [`11 ${RULE}`]);
      assert.equal(result.suppressedMessages[0].suppressions[0].justification, "signed webhook");
    });

    test("[SuppressMessage] on the class suppresses every action, with the full attribute name too", async () => {
      const text = controller(
        "",
        "",
        "",
        '[System.Diagnostics.CodeAnalysis.SuppressMessageAttribute("ApiPosture", "AP101", Justification = "internal network only")]',
      );
      assert.deepEqual(summary((await lint(text)).messages), []);
    });

    test("[SuppressMessage] of another category or rule does nothing", async () => {
      const text = controller(
        "",
        "",
        '\n    [SuppressMessage("Microsoft.Security", "AP101")]\n    [SuppressMessage("ApiPosture", "AP999:NotARule")]',
      );
      assert.deepEqual(summary((await lint(text)).messages), [`9 ${RULE}`, `12 ${RULE}`]);
    });

    test("an unused [SuppressMessage] is reported and its fix removes the attribute", async () => {
      const text = controller(
        "",
        "",
        '\n    [SuppressMessage("ApiPosture", "AP101:RequireRouteAuth")]\n    [Authorize]',
      );
      const result = await lint(text);
      // Reported where the suppression's range starts: the declaration it is attached to.
      assert.deepEqual(summary(result.messages), [`6 unused-directive`, `12 ${RULE}`]);
      const fixed = await lint(text, true);
      assert.doesNotMatch(fixed.output!, /SuppressMessage/u);
      assert.match(fixed.output!, /\[Authorize\]\n {4}public IActionResult Create/u);
    });
  });
}
