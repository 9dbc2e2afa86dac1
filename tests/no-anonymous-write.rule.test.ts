/**
 * AP102 details through RuleTester: messages, positions, options and settings, in both
 * languages, with ESLint 9 and 10 and with typescript-eslint's RuleTester.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { RuleTester as TsRuleTester } from "@typescript-eslint/rule-tester";
import plugin from "../lib/index.js";
import { parser } from "../lib/parser.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { tsModel } from "./helpers/model.js";

const rule = plugin.rules["no-anonymous-write"];
const SUFFIX = "SOC 2 CC6.1.";
const EXPRESS_AUTH =
  "pass an auth middleware before the handler (e.g. requireAuth) or call router.use(requireAuth) before the route.";
const MVC_AUTH = "add [Authorize] (with a role or policy where it fits) to the action or its controller.";
const OPENED = "opens it to anonymous callers: anyone on the network can call it, and nothing records who did.";

const message = (route: string, marker: string, remedy: string, reason = "changes state") =>
  `AP102 ${route} ${reason}, and ${marker} ${OPENED} ${SUFFIX} Fix: ${remedy}`;

const router = (routes: string) =>
  `import express from "express";\nimport { openEndpoint, requireAuth } from "./access";\nconst router = express.Router();\n${routes}\nexport default router;\n`;
const MARKERS = { "api-posture": { publicMarkers: ["OpenEndpoint"] } };

const controller = (members: string, classAttributes = "") => `using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.Controllers;

[ApiController]
[Route("api/[controller]")]${classAttributes}
public class OrdersController : ControllerBase
{
    private readonly ShopDbContext _db;
    public OrdersController(ShopDbContext db) => _db = db;
${members}
}
`;

const tsCases = {
  valid: [
    // No marker configured: openEndpoint is only a name, and an unguarded write is AP101's.
    { code: router('router.post("/contact", openEndpoint, sendContact);') },
    { code: router('router.get("/products", openEndpoint, listProducts);'), settings: MARKERS },
    { code: router('router.post("/auth/register", openEndpoint, register);'), settings: MARKERS },
    { code: router('router.post("/webhooks/stripe", openEndpoint, onStripeEvent);'), settings: MARKERS },
    { code: router('router.post("/internal/healthcheck", openEndpoint, recordProbe);'), settings: MARKERS },
    // Guarded before the marker: the marker does not apply.
    { code: router('router.post("/contact", requireAuth, openEndpoint, sendContact);'), settings: MARKERS },
    {
      code: router('router.use(requireAuth);\nrouter.post("/contact", openEndpoint, sendContact);'),
      settings: MARKERS,
    },
    {
      code: router('router.post("/contact", openEndpoint, sendContact);'),
      settings: MARKERS,
      options: [{ ignoreRoutes: ["/contact"] }],
    },
    {
      code: router('router.post("/contact", openEndpoint, sendContact);'),
      settings: { "api-posture": { publicMarkers: ["OpenEndpoint"], publicRoutes: ["/contact"] } },
    },
    {
      code: router('router.post("/contact", openEndpoint, sendContact);'),
      settings: MARKERS,
      filename: "routes/contact.test.ts",
    },
  ],
  invalid: [
    {
      code: router('router.post("/contact", openEndpoint, sendContact);'),
      settings: MARKERS,
      errors: [
        {
          message: message("POST /contact (sendContact)", "openEndpoint", `remove openEndpoint and ${EXPRESS_AUTH}`),
          line: 4,
          column: 8,
          endLine: 4,
          endColumn: 23,
        },
      ],
    },
    {
      // A call and a member path match the configured name too.
      code: router('router.delete("/carts/:id", access.openEndpoint(), carts.clear);'),
      settings: MARKERS,
      errors: [
        {
          message: message(
            "DELETE /carts/:id (carts.clear)",
            "access.openEndpoint",
            `remove access.openEndpoint and ${EXPRESS_AUTH}`,
          ),
        },
      ],
    },
    {
      code: router('router.post("/auth/register", openEndpoint, register);'),
      settings: MARKERS,
      options: [{ allowPublicFlows: false }],
      errors: [{ messageId: "anonymousWrite" }],
    },
    {
      code: router('router.post("/contact", openEndpoint, sendContact);'),
      settings: { "api-posture": { publicMarkers: ["/^open/i"] } },
      filename: "routes/contact.test.ts",
      options: [{ includeTestFiles: true }],
      errors: [{ messageId: "anonymousWrite" }],
    },
  ],
};

const csCases = {
  valid: [
    { code: controller('    [HttpGet("{id}")]\n    [AllowAnonymous]\n    public IActionResult Get(int id) => Ok();') },
    { code: controller('    [HttpPost("login")]\n    [AllowAnonymous]\n    public IActionResult Login() => Ok();') },
    { code: controller("    [HttpPost]\n    public IActionResult Create(OrderDto dto) => Ok();", "\n[Authorize]") },
    {
      code: controller(
        '    [HttpPost("webhooks/paypal")]\n    [AllowAnonymous]\n    public IActionResult PayPal() => Ok();',
      ),
    },
    {
      code: controller("    [HttpPost]\n    [AllowAnonymous]\n    public IActionResult Create(OrderDto dto) => Ok();"),
      options: [{ ignoreRoutes: ["/api/Orders"] }],
    },
  ],
  invalid: [
    {
      code: controller("    [HttpPost]\n    [AllowAnonymous]\n    public IActionResult Create(OrderDto dto) => Ok();"),
      errors: [
        {
          message: message(
            "POST /api/Orders (OrdersController.Create)",
            "[AllowAnonymous]",
            `remove [AllowAnonymous] and ${MVC_AUTH}`,
          ),
          line: 14,
          column: 26,
          endLine: 14,
          endColumn: 32,
        },
      ],
    },
    {
      // ASP.NET Core skips every [Authorize] of an endpoint that carries [AllowAnonymous].
      code: controller(
        '    [HttpDelete("{id}")]\n    public IActionResult Delete(int id) => NoContent();',
        '\n[Authorize(Roles = "Admin")]\n[AllowAnonymous]',
      ),
      errors: [
        {
          message: message(
            "DELETE /api/Orders/{id} (OrdersController.Delete)",
            "[AllowAnonymous] on its controller",
            'remove [AllowAnonymous] so that [Authorize(Roles = "Admin")] applies again.',
          ),
        },
      ],
    },
    {
      code: controller(
        '    [Route("{id}/touch")]\n    [AllowAnonymous]\n    public IActionResult Touch(int id)\n    {\n        _db.Orders.Find(id).Seen = true;\n        _db.SaveChanges();\n        return NoContent();\n    }',
      ),
      errors: [
        {
          message: message(
            "ANY /api/Orders/{id}/touch (OrdersController.Touch)",
            "[AllowAnonymous]",
            `remove [AllowAnonymous] and ${MVC_AUTH}`,
            "writes through the data layer (_db.SaveChanges())",
          ),
        },
      ],
    },
    {
      code: controller("    [HttpPost]\n    [OpenEndpoint]\n    public IActionResult Create(OrderDto dto) => Ok();"),
      settings: MARKERS,
      errors: [{ messageId: "anonymousWrite" }],
    },
  ],
};

for (const version of ESLINT_VERSIONS) {
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).describe = describe;
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).it = it;
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).itOnly = it.only;

  describe(`no-anonymous-write, TypeScript (${version.label})`, () => {
    const tester = new version.RuleTester({ plugins: { "api-posture": plugin }, languageOptions: { parser } });
    tester.run("no-anonymous-write", rule, {
      valid: tsCases.valid.map((c) => ({ filename: "routes/contact.ts", ...c })),
      invalid: tsCases.invalid.map((c) => ({ filename: "routes/contact.ts", ...c })),
    });
  });

  describe(`no-anonymous-write, C# (${version.label})`, () => {
    const tester = new version.RuleTester({ plugins: { "api-posture": plugin }, language: "api-posture/csharp" });
    tester.run("no-anonymous-write", rule, {
      valid: csCases.valid.map((c) => ({ filename: "Controllers/OrdersController.cs", ...c })),
      invalid: csCases.invalid.map((c) => ({ filename: "Controllers/OrdersController.cs", ...c })),
    });
  });
}

describe("no-anonymous-write with typescript-eslint's RuleTester", () => {
  TsRuleTester.afterAll = after;
  TsRuleTester.describe = describe;
  TsRuleTester.it = it;
  TsRuleTester.itOnly = it.only;
  new TsRuleTester().run("no-anonymous-write", rule as never, {
    valid: [{ ...tsCases.valid[1], filename: "contact.ts" }],
    invalid: [{ ...tsCases.invalid[0], filename: "contact.ts" }] as never,
  });
  new TsRuleTester({ plugins: { "api-posture": plugin }, language: "api-posture/csharp" }).run(
    "no-anonymous-write (C#)",
    rule as never,
    {
      valid: [{ ...csCases.valid[0], filename: "OrdersController.cs" }],
      invalid: [{ ...csCases.invalid[0], filename: "OrdersController.cs" }] as never,
    },
  );
});

describe("Express public markers in the model", () => {
  const markersOf = (routes: string, publicMarkers = ["OpenEndpoint"]) =>
    tsModel(router(routes), { publicMarkers }).endpoints.map((e) =>
      e.anonymous.map((m) => `${m.source} ${m.name} ${m.loc.start.line}:${m.loc.start.column}`),
    );

  it("records configured route middleware, by name, member path or call", () => {
    assert.deepEqual(
      markersOf(
        'router.post("/a", openEndpoint, h);\nrouter.post("/b", access.openEndpoint, h);\nrouter.post("/c", openEndpoint(), h);',
      ),
      [["route openEndpoint 4:18"], ["route access.openEndpoint 5:18"], ["route openEndpoint 6:18"]],
    );
  });

  it("records nothing without the setting, for other names, or on a guarded route", () => {
    assert.deepEqual(markersOf('router.post("/a", openEndpoint, h);', []), [[]]);
    assert.deepEqual(markersOf('router.post("/a", openEndpointLogger, h);'), [[]]);
    assert.deepEqual(markersOf('router.post("/a", requireAuth, openEndpoint, h);'), [[]]);
    assert.deepEqual(markersOf('router.use(requireAuth);\nrouter.post("/a", openEndpoint, h);'), [[]]);
  });
});
