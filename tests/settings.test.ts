/**
 * `settings["api-posture"]`: validated once per configuration object, every mistake one
 * clear error that names the key and the shape expected, and that error stops the run
 * (ESLint 10 and 9, Node API and CLIs) instead of becoming a per-file report or silence.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { ApiPostureSettingsError, checkSettings, resolveSettings, SETTINGS } from "../lib/core/settings.js";
import { editDistance, nearestKeys } from "../lib/core/settings-shape.js";
import { renderSettingsTable, SETTINGS_END, SETTINGS_START } from "../scripts/settings-table.js";
import { withTable } from "../scripts/rules-table.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { recommendedEslint } from "./helpers/lint.js";
import { ROOT } from "./helpers/paths.js";

const PREFIX = 'api-posture: invalid settings["api-posture"]: ';

/** The problems `raw` has, as the error lists them; fails when it validates. */
function problemsOf(raw: unknown): readonly string[] {
  try {
    checkSettings(raw);
  } catch (error) {
    assert.ok(error instanceof ApiPostureSettingsError, `an ApiPostureSettingsError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail(`${JSON.stringify(raw)} validated`);
}

const problemOf = (raw: unknown): string => {
  const problems = problemsOf(raw);
  assert.equal(problems.length, 1, problems.join("\n"));
  return problems[0];
};

describe("the validator", () => {
  test("no settings, an empty object and keys left undefined are fine", () => {
    for (const raw of [undefined, {}, { auth: undefined }, { auth: [], publicMarkers: [], publicRoutes: [] }]) {
      const settings = checkSettings(raw);
      assert.equal(settings.auth("requireAuth"), false);
      assert.equal(settings.publicMarkers("OpenEndpoint"), false);
      assert.equal(settings.publicRoutes("/health"), false);
    }
  });

  test("names match without case, patterns by their own flags, routes by glob", () => {
    const settings = checkSettings({
      auth: ["gatekeeper", "/^Tenant\\w*Guard$/", "/^api.?key/i", "/^x$/dsu"],
      publicMarkers: ["OpenEndpoint", "/Public$/v"],
      publicRoutes: ["/health", "/webhooks/**", "/v1/*/status"],
    });
    assert.ok(
      settings.auth("Gatekeeper") &&
        settings.auth("TenantOwnerGuard") &&
        settings.auth("ApiKeyCheck") &&
        settings.auth("x"),
    );
    assert.ok(!settings.auth("tenantOwnerGuard"), "a pattern without i keeps case");
    assert.ok(!settings.auth("gatekeeperLite"), "a name matches whole");
    assert.ok(settings.publicMarkers("openendpoint") && settings.publicMarkers("MostlyPublic"));
    assert.ok(
      settings.publicRoutes("/health/") &&
        settings.publicRoutes("/webhooks/stripe/events") &&
        settings.publicRoutes("/v1/orders/status"),
    );
    assert.ok(!settings.publicRoutes("/v1/orders/7/status") && !settings.publicRoutes("/healthz"));
    assert.ok(!settings.publicRoutes("/webhooks"), "** stands for further segments, not for none");
  });

  test("signatureVerifiers: names match a call's whole path, patterns by their flags; whether any are configured", () => {
    const none = checkSettings({});
    assert.equal(none.signatureVerifiers.configured, false);
    assert.equal(none.signatureVerifiers("verifyWebhookSignature"), false);
    const settings = checkSettings({
      signatureVerifiers: ["verifyWebhookSignature", "PartnerSignature.Verify", "/^check\\w*Hmac$/"],
    });
    assert.equal(settings.signatureVerifiers.configured, true);
    assert.ok(settings.signatureVerifiers("VerifyWebhookSignature"), "names match without case");
    assert.ok(settings.signatureVerifiers("PartnerSignature.Verify"));
    assert.ok(!settings.signatureVerifiers("Verify"), "a dotted name matches whole; adapters try a call's last parts");
    assert.ok(settings.signatureVerifiers("checkShopifyHmac") && !settings.signatureVerifiers("checkshopifyhmac"));
    assert.equal(
      problemOf({ signatureVerifiers: "verifyWebhookSignature" }),
      'settings["api-posture"].signatureVerifiers must be an array of strings (names, or /regex/ patterns), got a string ("verifyWebhookSignature"). Write signatureVerifiers: ["verifyWebhookSignature"].',
    );
  });

  test("openapi: one document path or an array of them, as written", () => {
    assert.deepEqual(checkSettings({}).openapi, []);
    assert.deepEqual(checkSettings({ openapi: "openapi.yaml" }).openapi, ["openapi.yaml"]);
    assert.deepEqual(checkSettings({ openapi: ["api/public.json", "/srv/specs/admin.yaml"] }).openapi, [
      "api/public.json",
      "/srv/specs/admin.yaml",
    ]);
    assert.equal(
      problemOf({ openapi: " openapi.yaml" }),
      'settings["api-posture"].openapi " openapi.yaml" has spaces around it; write "openapi.yaml".',
    );
    assert.equal(
      problemOf({ openapi: ["openapi.yaml", 3] }),
      'settings["api-posture"].openapi[1] must be a string (the path of an OpenAPI or Swagger document), got a number (3).',
    );
    assert.match(problemOf({ openapi: "file:///srv/openapi.yaml" }), /is a URL; the plugin reads local files only/);
  });

  test("a value that is not an array names the key, the shape and a fix", () => {
    assert.equal(
      problemOf({ auth: "gatekeeper" }),
      'settings["api-posture"].auth must be an array of strings (names, or /regex/ patterns), got a string ("gatekeeper"). Write auth: ["gatekeeper"].',
    );
    assert.equal(
      problemOf({ publicRoutes: "/payments/**" }),
      'settings["api-posture"].publicRoutes must be an array of strings (route paths such as /health or /webhooks/**), got a string ("/payments/**"). Write publicRoutes: ["/payments/**"].',
    );
    assert.equal(
      problemOf({ auth: 5 }),
      'settings["api-posture"].auth must be an array of strings (names, or /regex/ patterns), got a number (5). For example: auth: ["gatekeeper", "RequireTenantMember", "/^Tenant\\\\w*Guard$/"].',
    );
    assert.match(
      problemOf({ publicMarkers: { OpenEndpoint: true } }),
      /^settings\["api-posture"\]\.publicMarkers must be an array of strings .*, got an object\. For example: publicMarkers: \["OpenEndpoint"\]\.$/,
    );
    assert.match(problemOf({ auth: null }), /\.auth must be an array of .*, got null\./);
  });

  test("settings['api-posture'] itself must be an object", () => {
    for (const [raw, got] of [
      [5, "a number (5)"],
      ["gatekeeper", 'a string ("gatekeeper")'],
      [["gatekeeper"], "an array"],
      [null, "null"],
      [true, "a boolean (true)"],
    ] as const) {
      assert.equal(
        problemOf(raw),
        `settings["api-posture"] must be an object with the keys auth, publicMarkers, publicRoutes, signatureVerifiers, ownerFields, scopedEntities, ownershipChecks, auditLoggers, openapi, got ${got}.`,
      );
    }
  });

  test("an unknown key suggests the nearest known one", () => {
    assert.equal(
      problemOf({ publicRoute: ["/health"] }),
      'Unknown key "publicRoute" in settings["api-posture"]; did you mean "publicRoutes"?',
    );
    assert.equal(
      problemOf({ authMiddleware: ["gatekeeper"] }),
      'Unknown key "authMiddleware" in settings["api-posture"]; did you mean "auth"?',
    );
    assert.equal(problemOf({ Auth: [] }), 'Unknown key "Auth" in settings["api-posture"]; did you mean "auth"?');
    assert.equal(
      problemOf({ public_markers: [] }),
      'Unknown key "public_markers" in settings["api-posture"]; did you mean "publicMarkers"?',
    );
    assert.equal(
      problemOf({ public: [] }),
      'Unknown key "public" in settings["api-posture"]; did you mean "publicRoutes" or "publicMarkers"?',
    );
    assert.equal(
      problemOf({ swagger: "spec.yaml" }),
      'Unknown key "swagger" in settings["api-posture"]; the keys are auth, publicMarkers, publicRoutes, signatureVerifiers, ownerFields, scopedEntities, ownershipChecks, auditLoggers, openapi.',
    );
    assert.equal(
      problemOf({ openApiFile: "spec.yaml" }),
      'Unknown key "openApiFile" in settings["api-posture"]; did you mean "openapi"?',
    );
  });

  test("nearest keys: edit distance with swaps, case and separators aside, containment", () => {
    assert.equal(editDistance("", "auth"), 4);
    assert.equal(editDistance("atuh", "auth"), 1, "a swap of neighbours is one edit");
    assert.equal(editDistance("publicroute", "publicroutes"), 1);
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.deepEqual(nearestKeys("PUBLIC-ROUTES", ["auth", "publicRoutes"]), ["publicRoutes"]);
    assert.deepEqual(nearestKeys("oath", ["auth", "publicRoutes"]), ["auth"]);
    assert.deepEqual(nearestKeys("zzz", ["auth", "publicRoutes"]), []);
  });

  test("an entry that is not a string, or is empty, is named by its index", () => {
    assert.equal(
      problemOf({ auth: ["gatekeeper", 5] }),
      'settings["api-posture"].auth[1] must be a string (a name, or a /regex/ pattern), got a number (5).',
    );
    assert.equal(
      problemOf({ publicMarkers: [null] }),
      'settings["api-posture"].publicMarkers[0] must be a string (a name, or a /regex/ pattern), got null.',
    );
    assert.equal(
      problemOf({ auth: [["gatekeeper"]] }),
      'settings["api-posture"].auth[0] must be a string (a name, or a /regex/ pattern), got an array.',
    );
    assert.equal(
      problemOf({ auth: [/^Tenant/i] }),
      'settings["api-posture"].auth[0] must be a string (a name, or a /regex/ pattern), got a RegExp (/^Tenant/i). Write "/^Tenant/i".',
    );
    assert.equal(
      problemOf({ auth: [""] }),
      'settings["api-posture"].auth[0] is an empty string; write a name or a /regex/ pattern, or remove the entry.',
    );
    assert.equal(
      problemOf({ auth: ["  "] }),
      'settings["api-posture"].auth[0] is only whitespace; write a name or a /regex/ pattern, or remove the entry.',
    );
    assert.equal(
      problemOf({ auth: ["gatekeeper "] }),
      'settings["api-posture"].auth[0] "gatekeeper " has spaces around it; names match exactly, write "gatekeeper".',
    );
    assert.equal(
      problemOf({ publicRoutes: ["/health", 404] }),
      'settings["api-posture"].publicRoutes[1] must be a string (a route path such as /health or /webhooks/**), got a number (404).',
    );
    assert.equal(
      problemOf({ publicRoutes: [""] }),
      'settings["api-posture"].publicRoutes[0] is an empty string; write a route path such as "/health", or remove the entry.',
    );
    assert.equal(
      problemOf({ publicRoutes: ["POST /webhooks"] }),
      'settings["api-posture"].publicRoutes[0] "POST /webhooks" contains a space; write the route path alone, such as "/webhooks/**", without a method.',
    );
  });

  test("a /pattern/flags entry must compile, with flags that keep matching stateless", () => {
    assert.equal(
      problemOf({ auth: ["/^Tenant(\\w*Guard$/"] }),
      'settings["api-posture"].auth[0] "/^Tenant(\\\\w*Guard$/" is not a valid regular expression: Unterminated group.',
    );
    assert.equal(
      problemOf({ publicMarkers: ["/[z-a]/"] }),
      'settings["api-posture"].publicMarkers[0] "/[z-a]/" is not a valid regular expression: Range out of order in character class.',
    );
    assert.equal(
      problemOf({ auth: ["/guard/g"] }),
      'settings["api-posture"].auth[0] "/guard/g" uses the flag g; leave out g and y, which make each match depend on the one before.',
    );
    assert.match(problemOf({ auth: ["/guard/iy"] }), /uses the flag y;/);
    assert.equal(
      problemOf({ auth: ["/guard/x"] }),
      'settings["api-posture"].auth[0] "/guard/x" has the unknown flag x; the flags a pattern takes are d, i, m, s, u, v.',
    );
    assert.match(problemOf({ auth: ["/guard/ii"] }), /"\/guard\/ii" repeats a flag\.$/);
    assert.match(problemOf({ auth: ["/guard/uv"] }), /"\/guard\/uv" has both u and v; use one of them\.$/);
    assert.equal(
      problemOf({ auth: ["/^Tenant"] }),
      'settings["api-posture"].auth[0] "/^Tenant" starts with / but is not a /pattern/flags regular expression; end the pattern with / (and its flags), or write the name without /.',
    );
  });

  test("every problem of one object is in the one error", () => {
    assert.deepEqual(problemsOf({ publicRoute: ["/x"], auth: "gatekeeper", publicMarkers: ["OpenEndpoint", ""] }), [
      'Unknown key "publicRoute" in settings["api-posture"]; did you mean "publicRoutes"?',
      'settings["api-posture"].auth must be an array of strings (names, or /regex/ patterns), got a string ("gatekeeper"). Write auth: ["gatekeeper"].',
      'settings["api-posture"].publicMarkers[1] is an empty string; write a name or a /regex/ pattern, or remove the entry.',
    ]);
  });

  test("the error is one line that starts with the plugin's name, with no stack frames", () => {
    const error = new ApiPostureSettingsError(["first.", "second."]);
    assert.equal(error.summary, `${PREFIX}first. second.`);
    assert.equal(error.message, error.summary);
    assert.equal(error.stack, error.message);
    error.message += "\nOccurred while linting a.ts";
    assert.equal(error.stack, error.message, "the stack follows what ESLint adds to the message");
    assert.equal(error.summary, `${PREFIX}first. second.`);
  });
});

describe("resolveSettings", () => {
  test("checks a settings object once and shares the result", () => {
    let reads = 0;
    const raw = {
      get auth() {
        reads++;
        return ["gatekeeper"];
      },
    };
    const first = resolveSettings({ "api-posture": raw });
    const second = resolveSettings({ "api-posture": raw, other: true });
    assert.equal(first, second);
    assert.equal(reads, 1);
    assert.ok(first.auth("gatekeeper"));
  });

  test("a bad object is checked once too, and every call throws a fresh error", () => {
    let reads = 0;
    const raw = {
      get auth() {
        reads++;
        return "gatekeeper";
      },
    };
    const thrown: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      try {
        resolveSettings({ "api-posture": raw });
      } catch (error) {
        thrown.push(error);
      }
    }
    assert.equal(thrown.length, 2);
    assert.ok(thrown.every((error) => error instanceof ApiPostureSettingsError));
    assert.notEqual(thrown[0], thrown[1], "ESLint appends to the message of the error it catches");
    assert.equal((thrown[0] as Error).message, (thrown[1] as Error).message);
    assert.equal(reads, 1);
  });

  test("the plugin's settings under a misspelled name are an error; other plugins' settings are not looked at", () => {
    for (const key of ["apiPosture", "api_posture", "ApiPosture", "api-postures"]) {
      assert.throws(() => resolveSettings({ [key]: { auth: ["gatekeeper"] } }), {
        name: "ApiPostureSettingsError",
        message: `${PREFIX}Unknown key "${key}" in settings; did you mean "api-posture"?`,
      });
    }
    const settings = resolveSettings({
      react: { version: "detect" },
      "import/resolver": { typescript: true },
      posture: 1,
    });
    assert.equal(settings.auth("gatekeeper"), false);
  });
});

test("the README's settings table is generated from SETTINGS (run npm run docs)", () => {
  const readme = path.join(ROOT, "README.md");
  const text = readFileSync(readme, "utf8");
  assert.equal(text, withTable(readme, renderSettingsTable(SETTINGS), { start: SETTINGS_START, end: SETTINGS_END }));
  for (const key of Object.keys(SETTINGS)) assert.ok(text.includes(`| \`${key}\` |`), `the table documents ${key}`);
});

// ---------------------------------------------------------------------------------
// Through ESLint.
// ---------------------------------------------------------------------------------

const guardedRoute = `import express from "express";
const router = express.Router();
router.post("/orders", gatekeeper, createOrder);
export default router;
`;
const guardedAction = `using Microsoft.AspNetCore.Mvc;
[ApiController, Route("api/orders")]
public class OrdersController : ControllerBase {
    [HttpPost]
    [Gatekeeper]
    public IActionResult Create(OrderDto dto) => Ok();
}
`;

const withSettings = (apiPosture: unknown) => [{ settings: { "api-posture": apiPosture } }];

for (const version of ESLINT_VERSIONS) {
  describe(`settings through ESLint's Node API (${version.label})`, () => {
    const bad: Array<[string, unknown, string]> = [
      [
        "auth: 5",
        { auth: 5 },
        'settings["api-posture"].auth must be an array of strings (names, or /regex/ patterns), got a number (5).',
      ],
      ["auth as a string", { auth: "gatekeeper" }, 'Write auth: ["gatekeeper"].'],
      [
        "publicRoutes as a string",
        { publicRoutes: "/payments/**" },
        'settings["api-posture"].publicRoutes must be an array of strings',
      ],
      [
        "a misspelled key",
        { publicRoute: ["/health"] },
        'Unknown key "publicRoute" in settings["api-posture"]; did you mean "publicRoutes"?',
      ],
      [
        "a pattern that does not compile",
        { auth: ["/^Tenant(/"] },
        'settings["api-posture"].auth[0] "/^Tenant(/" is not a valid regular expression',
      ],
    ];
    for (const [label, apiPosture, expected] of bad) {
      for (const [filePath, code] of [
        ["routes/orders.ts", guardedRoute],
        ["Controllers/OrdersController.cs", guardedAction],
        ["routes/orders.test.ts", guardedRoute],
      ]) {
        test(`${label} rejects lintText for ${filePath}`, async () => {
          const eslint = recommendedEslint(version, withSettings(apiPosture));
          await assert.rejects(eslint.lintText(code, { filePath }), (error: Error) => {
            assert.ok(error instanceof ApiPostureSettingsError, `an ApiPostureSettingsError, got ${error.name}`);
            assert.ok(error.message.startsWith(PREFIX), error.message);
            assert.ok(error.message.includes(expected), error.message);
            assert.equal(
              error.message.split("\n")[0],
              error.summary,
              "the plugin's line comes first; ESLint adds the file and rule after it",
            );
            assert.ok(!/TypeError|is not iterable|is not a function/.test(error.message), error.message);
            return true;
          });
        });
      }
    }

    test("good settings lint, and they are what silences require-route-auth", async () => {
      const rules = async (apiPosture: unknown, code: string, filePath: string) => {
        const eslint = recommendedEslint(version, apiPosture === undefined ? [] : withSettings(apiPosture));
        const [result] = await eslint.lintText(code, { filePath });
        return result.messages.map((m) => `${m.line} ${m.ruleId}`);
      };
      assert.deepEqual(await rules(undefined, guardedRoute, "routes/orders.ts"), ["3 api-posture/require-route-auth"]);
      assert.deepEqual(await rules({}, guardedRoute, "routes/orders.ts"), ["3 api-posture/require-route-auth"]);
      assert.deepEqual(await rules({ auth: ["gatekeeper"] }, guardedRoute, "routes/orders.ts"), []);
      assert.deepEqual(await rules({ auth: ["/^GATE/i"] }, guardedRoute, "routes/orders.ts"), []);
      assert.deepEqual(await rules({ publicRoutes: ["/health", "/ord*"] }, guardedRoute, "routes/orders.ts"), []);
      assert.deepEqual(await rules(undefined, guardedAction, "Controllers/OrdersController.cs"), [
        "6 api-posture/require-route-auth",
      ]);
      assert.deepEqual(
        await rules(
          { auth: ["Gatekeeper"], publicMarkers: [], publicRoutes: [] },
          guardedAction,
          "Controllers/OrdersController.cs",
        ),
        [],
      );
    });
  });
}

// ---------------------------------------------------------------------------------
// The CLIs: ESLint's, and the plugin's zero-config one.
// ---------------------------------------------------------------------------------

const run = promisify(execFile);
const work = mkdtempSync(path.join(tmpdir(), "api-posture-settings-"));
after(() => rmSync(work, { recursive: true, force: true }));
const PLUGIN_URL = pathToFileURL(path.join(ROOT, "dist/lib/index.js")).href;
const BAD_LINE = `${PREFIX}settings["api-posture"].auth must be an array of strings (names, or /regex/ patterns), got a string ("gatekeeper"). Write auth: ["gatekeeper"].`;

async function exitOf(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

for (const version of ESLINT_VERSIONS) {
  test(`the eslint CLI stops with exit code 2 and the plugin's message, without its stack (${version.label})`, async () => {
    const project = mkdtempSync(path.join(work, "eslint-"));
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(
      path.join(project, "eslint.config.js"),
      `import apiPosture from ${JSON.stringify(PLUGIN_URL)};\nexport default [...apiPosture.configs["recommended-soc2"], { settings: { "api-posture": { auth: "gatekeeper" } } }];\n`,
    );
    writeFileSync(path.join(project, "orders.ts"), guardedRoute);
    writeFileSync(path.join(project, "OrdersController.cs"), guardedAction);
    const { code, stderr } = await exitOf([version.bin, "."], project);
    assert.equal(code, 2, stderr);
    const lines = stderr.split("\n");
    assert.ok(lines.includes(BAD_LINE), stderr);
    assert.ok(!lines.some((line) => /^\s+at /.test(line)), `no stack frames:\n${stderr}`);
  });
}

test("the api-posture CLI prints a settings error as one line on stderr and exits 2", async () => {
  // The CLI honours .api-posture.json, the project's settings["api-posture"] as a file of its own.
  const project = mkdtempSync(path.join(work, "cli-"));
  writeFileSync(path.join(project, "orders.ts"), guardedRoute);
  writeFileSync(path.join(project, ".api-posture.json"), JSON.stringify({ auth: "gatekeeper" }));
  const { code, stdout, stderr } = await exitOf([path.join(ROOT, "dist/lib/cli.js"), "."], project);
  assert.equal(code, 2, stderr);
  assert.equal(stderr, `${BAD_LINE}\n`);
  assert.equal(stdout, "");
});
