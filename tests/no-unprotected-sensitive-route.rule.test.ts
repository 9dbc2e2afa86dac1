/**
 * AP104 details through RuleTester: messages, positions, keywords and the other options,
 * in both languages, with ESLint 9 and 10 and with typescript-eslint's RuleTester; and the
 * word and probe helpers it decides with.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { RuleTester as TsRuleTester } from "@typescript-eslint/rule-tester";
import plugin from "../lib/index.js";
import { parser } from "../lib/parser.js";
import { isHealthCheck, nameWords } from "../lib/rules/util/endpoints.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";

const rule = plugin.rules["no-unprotected-sensitive-route"];
const SUFFIX = "SOC 2 CC6.6, CC6.7.";
const EXPRESS_MISSING = "no auth middleware on the route, and none registered before it with app.use()/router.use()";
const EXPRESS_AUTH =
  "pass an auth middleware before the handler (e.g. requireAuth) or call router.use(requireAuth) before the route.";
const MVC_MISSING = "no [Authorize] on the action or controller";
const MVC_AUTH = "add [Authorize] (with a role or policy where it fits) to the action or its controller.";

const unprotected = (route: string, keyword: string, place: string, missing: string, remedy: string) =>
  `AP104 ${route} is a sensitive route (\`${keyword}\` in its ${place}) but nothing requires authorization: ${missing}. ${SUFFIX} Fix: ${remedy}`;
const anonymous = (route: string, keyword: string, place: string, marker: string, remedy: string) =>
  `AP104 ${route} is a sensitive route (\`${keyword}\` in its ${place}) but ${marker} opens it to anonymous callers. ${SUFFIX} Fix: ${remedy}`;

const app = (routes: string) =>
  `import express from "express";\nimport { openEndpoint, requireAuth } from "./access";\nconst app = express();\n${routes}\nexport default app;\n`;

const controller = (route: string, members: string, classAttributes = "", name = "ToolsController") =>
  `using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.Controllers;

[ApiController]
[Route("${route}")]${classAttributes}
public class ${name} : ControllerBase
{
${members}
}
`;

const tsCases = {
  valid: [
    { code: app('app.get("/admin/users", requireAuth, listUsers);') },
    { code: app('app.use(requireAuth);\napp.get("/admin/users", listUsers);') },
    // Whole words only.
    { code: app('app.get("/contests", listContests);') },
    { code: app('app.get("/testimonials", listTestimonials);') },
    { code: app('app.get("/attestations/latest", latestAttestation);') },
    { code: app('app.get("/administrators-guide", guide);') },
    { code: app('app.get("/reports", getContestResults);') },
    // Public by design.
    { code: app('app.post("/admin/login", adminLogin);') },
    { code: app('app.get("/internal/health", (req, res) => res.sendStatus(200));') },
    { code: app('app.get("/metrics", exportMetrics);'), options: [{ ignoreRoutes: ["/metrics"] }] },
    { code: app('app.get("/metrics", exportMetrics);'), settings: { "api-posture": { publicRoutes: ["/metrics"] } } },
    { code: app('app.get("/admin/users", listUsers);'), filename: "routes/admin.test.ts" },
    // Only the configured words, when the defaults are off.
    {
      code: app('app.get("/admin/users", listUsers);'),
      options: [{ extendDefaultKeywords: false, keywords: ["ops"] }],
    },
    { code: app('app.get("/admin/users", listUsers);'), options: [{ extendDefaultKeywords: false }] },
  ],
  invalid: [
    {
      code: app('app.get("/admin/users", listUsers);'),
      errors: [
        {
          message: unprotected("GET /admin/users (listUsers)", "admin", "path", EXPRESS_MISSING, EXPRESS_AUTH),
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 23,
        },
      ],
    },
    {
      code: app('app.get("/__debug__/env", (req, res) => res.json(process.env));'),
      errors: [{ message: unprotected("GET /__debug__/env", "debug", "path", EXPRESS_MISSING, EXPRESS_AUTH) }],
    },
    {
      code: app('app.post("/cache/flush", internalTools.flushCache);'),
      errors: [
        {
          message: unprotected(
            "POST /cache/flush (internalTools.flushCache)",
            "internal",
            "handler's name",
            EXPRESS_MISSING,
            EXPRESS_AUTH,
          ),
        },
      ],
    },
    {
      code: app('app.get("/ops/queues", queueDepths);'),
      options: [{ keywords: ["ops"] }],
      errors: [{ messageId: "unprotected" }],
    },
    {
      code: app('app.get("/Ops/queues", queueDepths);'),
      options: [{ keywords: ["OPS"], extendDefaultKeywords: false }],
      errors: [{ messageId: "unprotected" }],
    },
    {
      code: app('app.post("/admin/login", adminLogin);'),
      options: [{ allowPublicFlows: false }],
      errors: [{ messageId: "unprotected" }],
    },
    {
      code: app('app.get("/internal/queues", openEndpoint, queueDepths);'),
      settings: { "api-posture": { publicMarkers: ["OpenEndpoint"] } },
      errors: [
        {
          message: anonymous(
            "GET /internal/queues (queueDepths)",
            "internal",
            "path",
            "openEndpoint",
            `remove openEndpoint and ${EXPRESS_AUTH}`,
          ),
        },
      ],
    },
    {
      code: app('app.get("/admin/users", listUsers);'),
      filename: "routes/admin.test.ts",
      options: [{ includeTestFiles: true }],
      errors: [{ messageId: "unprotected" }],
    },
  ],
};

const csCases = {
  valid: [
    {
      code: controller(
        "api/admin",
        '    [HttpGet("users")]\n    public IActionResult Users() => Ok();',
        '\n[Authorize(Roles = "Admin")]',
      ),
    },
    {
      code: controller(
        "api/contests",
        "    [HttpGet]\n    public IActionResult Current() => Ok();",
        "",
        "ContestsController",
      ),
    },
    {
      code: controller("api/debug", '    [HttpGet("config")]\n    public IActionResult Config() => Ok();'),
      options: [{ ignoreRoutes: ["/api/debug/**"] }],
    },
  ],
  invalid: [
    {
      code: controller("api/debug", '    [HttpGet("config")]\n    public IActionResult Config() => Ok();'),
      errors: [
        {
          message: unprotected(
            "GET /api/debug/config (ToolsController.Config)",
            "debug",
            "path",
            MVC_MISSING,
            MVC_AUTH,
          ),
          line: 11,
          column: 26,
          endLine: 11,
          endColumn: 32,
        },
      ],
    },
    {
      // An action without a verb attribute answers every method.
      code: controller("api/tools", "    public IActionResult Index() => Ok();", "", "AdminToolsController"),
      errors: [
        {
          message: unprotected(
            "ANY /api/tools (AdminToolsController.Index)",
            "admin",
            "handler's name",
            MVC_MISSING,
            MVC_AUTH,
          ),
        },
      ],
    },
    {
      code: controller(
        "api/internal/jobs",
        '    [HttpPost("{name}/run")]\n    [AllowAnonymous]\n    public IActionResult Run(string name) => Accepted();',
        '\n[Authorize(Roles = "Operator")]',
      ),
      errors: [
        {
          message: anonymous(
            "POST /api/internal/jobs/{name}/run (ToolsController.Run)",
            "internal",
            "path",
            "[AllowAnonymous]",
            'remove [AllowAnonymous] so that [Authorize(Roles = "Operator")] applies again.',
          ),
        },
      ],
    },
    {
      code: controller("metrics", "    [HttpGet, HttpHead]\n    public IActionResult Scrape() => Ok();"),
      errors: [
        {
          message: unprotected("GET, HEAD /metrics (ToolsController.Scrape)", "metrics", "path", MVC_MISSING, MVC_AUTH),
        },
      ],
    },
  ],
};

for (const version of ESLINT_VERSIONS) {
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).describe = describe;
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).it = it;
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).itOnly = it.only;

  describe(`no-unprotected-sensitive-route, TypeScript (${version.label})`, () => {
    const tester = new version.RuleTester({ plugins: { "api-posture": plugin }, languageOptions: { parser } });
    tester.run("no-unprotected-sensitive-route", rule, {
      valid: tsCases.valid.map((c) => ({ filename: "routes/app.ts", ...c })),
      invalid: tsCases.invalid.map((c) => ({ filename: "routes/app.ts", ...c })),
    });
  });

  describe(`no-unprotected-sensitive-route, C# (${version.label})`, () => {
    const tester = new version.RuleTester({ plugins: { "api-posture": plugin }, language: "api-posture/csharp" });
    tester.run("no-unprotected-sensitive-route", rule, {
      valid: csCases.valid.map((c) => ({ filename: "Controllers/ToolsController.cs", ...c })),
      invalid: csCases.invalid.map((c) => ({ filename: "Controllers/ToolsController.cs", ...c })),
    });
  });

  describe(`no-unprotected-sensitive-route options (${version.label})`, () => {
    it("rejects a keyword that is not one word", () => {
      const linter = new version.Linter();
      assert.throws(
        () =>
          linter.verify(
            app('app.get("/admin", h);'),
            [
              {
                plugins: { "api-posture": plugin },
                rules: { "api-posture/no-unprotected-sensitive-route": ["error", { keywords: ["back office"] }] },
              },
            ] as never,
            "app.js",
          ),
        /Value "back office" should match pattern/,
      );
    });
  });
}

describe("no-unprotected-sensitive-route with typescript-eslint's RuleTester", () => {
  TsRuleTester.afterAll = after;
  TsRuleTester.describe = describe;
  TsRuleTester.it = it;
  TsRuleTester.itOnly = it.only;
  new TsRuleTester().run("no-unprotected-sensitive-route", rule as never, {
    valid: [{ ...tsCases.valid[0], filename: "app.ts" }],
    invalid: [{ ...tsCases.invalid[0], filename: "app.ts" }] as never,
  });
  new TsRuleTester({ plugins: { "api-posture": plugin }, language: "api-posture/csharp" }).run(
    "no-unprotected-sensitive-route (C#)",
    rule as never,
    {
      valid: [{ ...csCases.valid[0], filename: "ToolsController.cs" }],
      invalid: [{ ...csCases.invalid[0], filename: "ToolsController.cs" }] as never,
    },
  );
});

describe("words and probes", () => {
  it("splits names into whole words", () => {
    assert.deepEqual(nameWords("AdminController.GetUsers"), ["admin", "controller", "get", "users"]);
    assert.deepEqual(nameWords("HTTPDebugInfo"), ["http", "debug", "info"]);
    assert.deepEqual(nameWords("run_internal_job"), ["run", "internal", "job"]);
    assert.deepEqual(nameWords("TestimonialsController"), ["testimonials", "controller"]);
    assert.deepEqual(nameWords("getLatestContests"), ["get", "latest", "contests"]);
  });

  it("knows health and liveness probes by a whole segment before any parameter", () => {
    for (const path of ["/health", "/internal/healthz", "/api/health-check/db", "/readyz", "/Ping"])
      assert.ok(isHealthCheck(path), path);
    for (const path of ["/devices/:id/health", "/healthcare/plans", "/api/orders", "/ping-pong", "/{tenant}/ping"])
      assert.ok(!isHealthCheck(path), path);
  });
});
