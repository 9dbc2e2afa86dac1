/**
 * AP101 details through RuleTester: messages, positions, options and settings, in both
 * languages, with ESLint 9 and 10 and with typescript-eslint's RuleTester.
 */
import { after, describe, it } from "node:test";
import { RuleTester as TsRuleTester } from "@typescript-eslint/rule-tester";
import plugin from "../lib/index.js";
import { parser } from "../lib/parser.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";

const rule = plugin.rules["require-route-auth"];
const SUFFIX = "SOC 2 CC6.1, CC6.3.";
const EXPRESS_MISSING = "no auth middleware on the route, and none registered before it with app.use()/router.use()";
const EXPRESS_FIX =
  "Fix: pass an auth middleware before the handler (e.g. requireAuth) or call router.use(requireAuth) before the route.";
const MVC_MISSING = "no [Authorize] on the action or controller";
const MVC_FIX = "Fix: add [Authorize] (with a role or policy where it fits) to the action or its controller.";

const expressMessage = (route: string, reason = "changes state") =>
  `AP101 ${route} ${reason} but nothing requires authorization: ${EXPRESS_MISSING}. ${SUFFIX} ${EXPRESS_FIX}`;
const mvcMessage = (route: string, reason = "changes state") =>
  `AP101 ${route} ${reason} but nothing requires authorization: ${MVC_MISSING}. ${SUFFIX} ${MVC_FIX}`;

const router = (routes: string) =>
  `import express from "express";\nconst router = express.Router();\n${routes}\nexport default router;\n`;

const controller = (members: string, classAttributes = "") => `using Microsoft.AspNetCore.Mvc;

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

/** The suggestion on an action of `controller(…)`: `[Authorize]` above it, and the using it needs. */
const authorizeSuggestion = (output: string) => [
  {
    messageId: "addToDeclaration",
    output: output
      .replace(
        "using Microsoft.AspNetCore.Mvc;",
        "using Microsoft.AspNetCore.Authorization;\nusing Microsoft.AspNetCore.Mvc;",
      )
      .replace("_db = db;\n    [", "_db = db;\n    [Authorize]\n    ["),
  },
];

const tsCases = {
  valid: [
    { code: router('router.post("/orders", requireAuth, createOrder);') },
    { code: router('router.get("/orders", listOrders);') },
    { code: router('router.post("/webhooks/stripe", handleStripe);'), options: [{ ignoreRoutes: ["/webhooks/**"] }] },
    { code: router('router.post("/auth/login", login);') },
    {
      code: router('router.post("/orders", gatekeeper, createOrder);'),
      settings: { "api-posture": { auth: ["gatekeeper"] } },
    },
    {
      code: router('router.post("/health/ping", ping);'),
      settings: { "api-posture": { publicRoutes: ["/health/**"] } },
    },
    // Routes declared in test code are not deployed.
    { code: router('router.post("/orders", createOrder);'), filename: "routes/orders.test.ts" },
  ],
  invalid: [
    {
      code: router('router.post("/orders", createOrder);'),
      errors: [
        { message: expressMessage("POST /orders (createOrder)"), line: 3, column: 8, endLine: 3, endColumn: 22 },
      ],
    },
    {
      code: router('router.delete("/orders/:id", async (req, res) => { res.sendStatus(204); });'),
      errors: [{ message: expressMessage("DELETE /orders/:id"), line: 3, column: 8 }],
    },
    {
      code: router('router.post("/auth/login", login);'),
      options: [{ allowPublicFlows: false }],
      errors: [{ message: expressMessage("POST /auth/login (login)") }],
    },
    {
      code: router('router.post("/orders", gatekeeper, createOrder);'),
      errors: [{ messageId: "missingAuth" }],
    },
    {
      code: router('router.post("/orders", createOrder);'),
      filename: "routes/orders.test.ts",
      options: [{ includeTestFiles: true }],
      errors: [{ messageId: "missingAuth" }],
    },
  ],
};

const csCases = {
  valid: [
    { code: controller("    [HttpPost]\n    public IActionResult Create(OrderDto dto) => Ok();", "\n[Authorize]") },
    { code: controller('    [HttpGet("{id}")]\n    public IActionResult Get(int id) => Ok(_db.Orders.Find(id));') },
    {
      code: controller('    [HttpPost("webhooks/stripe")]\n    public IActionResult Stripe() => Ok();'),
      options: [{ ignoreRoutes: ["/api/orders/webhooks/*"] }],
    },
    {
      code: controller("    [HttpPost]\n    [Gatekeeper]\n    public IActionResult Create(OrderDto dto) => Ok();"),
      settings: { "api-posture": { auth: ["Gatekeeper"] } },
    },
    {
      code: controller("    [HttpPost]\n    public IActionResult Create(OrderDto dto) => Ok();"),
      filename: "test/Shop.Api.Tests/Fakes/OrdersController.cs",
    },
  ],
  invalid: [
    {
      code: controller("    [HttpPost]\n    public IActionResult Create(OrderDto dto) => Ok();"),
      errors: [
        {
          message: mvcMessage("POST /api/Orders (OrdersController.Create)"),
          line: 12,
          column: 26,
          endLine: 12,
          endColumn: 32,
          suggestions: authorizeSuggestion(
            controller("    [HttpPost]\n    public IActionResult Create(OrderDto dto) => Ok();"),
          ),
        },
      ],
    },
    {
      code: controller(
        '    [HttpGet("{id}/archive")]\n    public IActionResult Archive(int id)\n    {\n        _db.Orders.Remove(_db.Orders.Find(id));\n        _db.SaveChanges();\n        return NoContent();\n    }',
      ),
      errors: [
        {
          message: mvcMessage(
            "GET /api/Orders/{id}/archive (OrdersController.Archive)",
            "writes through the data layer (_db.Orders.Remove(…))",
          ),
          line: 12,
          column: 26,
          suggestions: authorizeSuggestion(
            controller(
              '    [HttpGet("{id}/archive")]\n    public IActionResult Archive(int id)\n    {\n        _db.Orders.Remove(_db.Orders.Find(id));\n        _db.SaveChanges();\n        return NoContent();\n    }',
            ),
          ),
        },
      ],
    },
  ],
};

for (const version of ESLINT_VERSIONS) {
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).describe = describe;
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).it = it;
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).itOnly = it.only;

  describe(`require-route-auth, TypeScript (${version.label})`, () => {
    const tester = new version.RuleTester({ plugins: { "api-posture": plugin }, languageOptions: { parser } });
    tester.run("require-route-auth", rule, {
      valid: tsCases.valid.map((c) => ({ filename: "routes/orders.ts", ...c })),
      invalid: tsCases.invalid.map((c) => ({ filename: "routes/orders.ts", ...c })),
    });
  });

  describe(`require-route-auth, C# (${version.label})`, () => {
    const tester = new version.RuleTester({
      plugins: { "api-posture": plugin },
      language: "api-posture/csharp",
    });
    tester.run("require-route-auth", rule, {
      valid: csCases.valid.map((c) => ({ filename: "Controllers/OrdersController.cs", ...c })),
      invalid: csCases.invalid.map((c) => ({ filename: "Controllers/OrdersController.cs", ...c })),
    });
  });
}

describe("require-route-auth with typescript-eslint's RuleTester", () => {
  TsRuleTester.afterAll = after;
  TsRuleTester.describe = describe;
  TsRuleTester.it = it;
  TsRuleTester.itOnly = it.only;
  new TsRuleTester().run("require-route-auth", rule as never, {
    valid: [tsCases.valid[0]],
    invalid: [tsCases.invalid[0]] as never,
  });
  // The C# language ignores the parser typescript-eslint's tester injects.
  new TsRuleTester({ plugins: { "api-posture": plugin }, language: "api-posture/csharp" }).run(
    "require-route-auth (C#)",
    rule as never,
    {
      valid: [{ ...csCases.valid[0], filename: "OrdersController.cs" }],
      invalid: [{ ...csCases.invalid[0], filename: "OrdersController.cs" }] as never,
    },
  );
});
