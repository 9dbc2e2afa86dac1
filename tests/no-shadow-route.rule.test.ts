/**
 * AP105 details through RuleTester: messages, positions, methods, the servers' prefixes,
 * several documents, a document that cannot be read, and the options, in both languages,
 * with ESLint 9 and 10 and with typescript-eslint's RuleTester.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { RuleTester as TsRuleTester } from "@typescript-eslint/rule-tester";
import plugin from "../lib/index.js";
import { parser } from "../lib/parser.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { recommendedEslint } from "./helpers/lint.js";

const rule = plugin.rules["no-shadow-route"];
const SUFFIX = "SOC 2 CC6.7.";
const WHY = "(an undocumented route escapes review and inventory)";

const work = mkdtempSync(path.join(tmpdir(), "api-posture-ap105-"));
after(() => rmSync(work, { recursive: true, force: true }));

function doc(name: string, text: string): string {
  const file = path.join(work, name);
  writeFileSync(file, text);
  return file;
}

const ORDERS = doc(
  "orders.yaml",
  `openapi: 3.0.3
info: { title: Orders, version: "1" }
servers:
  - url: https://shop.example.com/api
paths:
  /orders:
    get: { operationId: listOrders }
    post: { operationId: placeOrder }
  /orders/{orderId}:
    get: { operationId: getOrder }
  /Orders/{orderId}/lines:
    get: { operationId: listLines }
`,
);
const ADMIN = doc(
  "admin.json",
  JSON.stringify({ swagger: "2.0", basePath: "/api/admin", paths: { "/orders/{id}": { delete: {} } } }),
);
const BROKEN = doc("broken.yaml", "openapi: 3.0.0\npaths:\n  /orders: [\n");
const MISSING = path.join(work, "missing.yaml");

const withDocs = (...files: string[]) => ({ "api-posture": { openapi: files.length === 1 ? files[0] : files } });
const orders = withDocs(ORDERS);

const undeclared = (route: string, document: string, remedy: string) =>
  `AP105 ${route} is served but not declared in ${document} ${WHY}. ${SUFFIX} Fix: ${remedy}`;

const app = (routes: string) =>
  `import express from "express";\nimport { requireAuth } from "./auth";\nconst app = express();\napp.use(requireAuth);\n${routes}\nexport default app;\n`;

const controller = (members: string) =>
  `using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.Controllers;

[ApiController]
[Route("api/[controller]")]
[Authorize]
public class OrdersController : ControllerBase
{
${members}
}
`;

const tsCases = {
  valid: [
    // Parameter names and syntax, case and a trailing slash aside, under the server's /api.
    { code: app('app.get("/api/orders/:id", getOrder);'), settings: orders },
    { code: app('app.get("/api/orders/:id(\\\\d+)/", getOrder);'), settings: orders },
    { code: app('app.get("/api/orders/:orderId/lines", listLines);'), settings: orders },
    // HEAD comes with GET; OPTIONS with the path; a preflight catch-all with every path.
    { code: app('app.head("/api/orders/:id", headOrder);'), settings: orders },
    { code: app('app.options("/api/orders", preflight);'), settings: orders },
    { code: app('app.options("*", preflight);'), settings: orders },
    // A handler of every method, on a declared path.
    { code: app('app.all("/api/orders", ordersHandler);'), settings: orders },
    // Several documents: what any of them declares.
    { code: app('app.delete("/api/admin/orders/:id", cancelOrder);'), settings: withDocs(ORDERS, ADMIN) },
    // No document configured: nothing to compare with.
    { code: app('app.delete("/api/orders/:id", cancelOrder);') },
    { code: app('app.delete("/api/orders/:id", cancelOrder);'), settings: { "api-posture": { openapi: [] } } },
    // Left out on purpose.
    { code: app('app.get("/healthz", probe);'), settings: orders, options: [{ ignoreRoutes: ["/healthz"] }] },
    {
      code: app('app.get("/internal/jobs/run", runJobs);'),
      settings: orders,
      options: [{ ignoreRoutes: ["/internal/**"] }],
    },
    // Test code is not deployed.
    { code: app('app.delete("/api/orders/:id", cancelOrder);'), settings: orders, filename: "routes/app.test.ts" },
    // A path the file does not tell (built at run time) cannot be compared with the document.
    { code: app("app.get(`${process.env.API_BASE}/orders/export`, exportOrders);"), settings: orders },
    { code: app("app.get(/^\\/api\\/orders\\/(\\d+)\\/pdf$/, orderPdf);"), settings: orders },
    // A document that cannot be read says so only in files that have routes.
    { code: "export const pageSize = 20;\n", settings: withDocs(MISSING) },
    { code: 'import express from "express";\nexport const router = express.Router();\n', settings: withDocs(BROKEN) },
    // A server action answers the app's own forms.
    {
      code: `"use server";
import { auth } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
export async function archiveProject(id: string) {
  const session = await auth();
  if (!session?.user?.id) throw new Error("Unauthorized");
  await prisma.project.update({ where: { id, ownerId: session.user.id }, data: { archived: true } });
}
`,
      settings: orders,
      filename: "app/projects/actions.ts",
    },
  ],
  invalid: [
    {
      code: app('app.delete("/api/orders/:id", cancelOrder);'),
      settings: orders,
      errors: [
        {
          message: undeclared(
            "DELETE /api/orders/:id (cancelOrder)",
            ORDERS,
            `add delete to /orders/{orderId} in the paths of ${ORDERS}, or remove the route if no client should reach it.`,
          ),
          line: 5,
          column: 5,
          endLine: 5,
          endColumn: 29,
        },
      ],
    },
    {
      // A literal segment is not the document's parameter.
      code: app('app.get("/api/orders/export", exportOrders);'),
      settings: orders,
      errors: [
        {
          message: undeclared(
            "GET /api/orders/export (exportOrders)",
            ORDERS,
            `add /orders/export with get to the paths of ${ORDERS}, or remove the route if no client should reach it.`,
          ),
        },
      ],
    },
    {
      // A route registered twice (middleware added route by route) is one route.
      code: app(
        'app.post("/api/feedback", verifyCaptcha);\napp.post("/api/feedback/", saveFeedback);\napp.put("/api/feedback", saveFeedback);',
      ),
      settings: orders,
      errors: [
        { message: /^AP105 POST \/api\/feedback \(verifyCaptcha\) /, line: 5 },
        { message: /^AP105 PUT \/api\/feedback \(saveFeedback\) /, line: 7 },
      ],
    },
    {
      // Only the methods the document leaves out.
      code: app('app.route("/api/orders/:id").get(getOrder).put(replaceOrder);'),
      settings: orders,
      errors: [{ message: /^AP105 PUT \/api\/orders\/:id .*is served but not declared/ }],
    },
    {
      code: app('app.all("/api/webhooks/:provider", receiveWebhook);'),
      settings: orders,
      errors: [
        {
          message: undeclared(
            "ANY /api/webhooks/:provider (receiveWebhook)",
            ORDERS,
            `add /webhooks/{provider} with the methods it answers to the paths of ${ORDERS}, or remove the route if no client should reach it.`,
          ),
        },
      ],
    },
    {
      // The document declares the path under its server's /api; the code serves it at the root.
      code: app('app.get("/orders/:id", getOrder);'),
      settings: orders,
      errors: [
        {
          message: `AP105 GET /orders/:id (getOrder) is served but not declared in ${ORDERS}, which declares it under the server path /api ${WHY}. ${SUFFIX} Fix: serve the route under /api as the document says, or list the server that serves it without the prefix in the document's servers (\`url: /\`).`,
        },
      ],
    },
    {
      code: app(
        'app.delete("/api/admin/orders/:id", cancelOrder);\napp.get("/internal/jobs", listJobs);\napp.post("/api/orders/:id/refunds", refund);',
      ),
      settings: withDocs(ORDERS, ADMIN),
      options: [{ ignoreRoutes: ["/internal/**"] }],
      errors: [
        {
          message: new RegExp(
            `^AP105 POST /api/orders/:id/refunds \\(refund\\) is served but not declared in ${escape(ORDERS)} or ${escape(ADMIN)} `,
          ),
        },
      ],
    },
    {
      // One message for the file, at its first line, and no findings for its routes.
      code: app('app.get("/api/orders", listOrders);\napp.delete("/api/orders/:id", cancelOrder);'),
      settings: withDocs(ORDERS, MISSING),
      errors: [
        {
          message: `AP105 The OpenAPI document ${MISSING} does not exist; no route of this file is checked against the document. ${SUFFIX} Fix: point settings["api-posture"].openapi at the document, or correct the document.`,
          line: 1,
          column: 1,
        },
      ],
    },
    {
      code: app('app.get("/api/orders", listOrders);'),
      settings: withDocs(BROKEN),
      errors: [
        {
          message: new RegExp(`^AP105 The OpenAPI document ${escape(BROKEN)} is not valid YAML or JSON: .+; no route`),
        },
      ],
    },
    {
      // Checked in test code when asked to.
      code: app('app.delete("/api/orders/:id", cancelOrder);'),
      settings: orders,
      filename: "routes/app.test.ts",
      options: [{ includeTestFiles: true }],
      errors: [{ message: /^AP105 DELETE \/api\/orders\/:id / }],
    },
  ],
};

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const csCases = {
  valid: [
    {
      code: controller('    [HttpGet("{id:int}")]\n    public IActionResult Get(int id) => Ok();'),
      settings: orders,
    },
    {
      code: controller(
        '    [HttpGet("{id:int}/Lines/{page:int?}")]\n    public IActionResult Lines(int id, int? page) => Ok();',
      ),
      settings: orders,
    },
    {
      code: `using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Shop.Web.Pages.Orders;

[Authorize]
public class EditModel : PageModel
{
    public IActionResult OnPost(int id) => RedirectToPage("./Index");
}
`,
      settings: orders,
      filename: "Pages/Orders/Edit.cshtml.cs",
    },
  ],
  invalid: [
    {
      code: controller('    [HttpDelete("{id:int}")]\n    public IActionResult Cancel(int id) => NoContent();'),
      settings: orders,
      errors: [
        {
          message: undeclared(
            "DELETE /api/Orders/{id:int} (OrdersController.Cancel)",
            ORDERS,
            `add delete to /orders/{orderId} in the paths of ${ORDERS}, or remove the route if no client should reach it.`,
          ),
          line: 12,
          column: 26,
        },
      ],
    },
    {
      code: controller('    [HttpPost("{id:int}/refund")]\n    public IActionResult Refund(int id) => Accepted();'),
      settings: orders,
      errors: [
        {
          message: undeclared(
            "POST /api/Orders/{id:int}/refund (OrdersController.Refund)",
            ORDERS,
            `add /Orders/{id}/refund with post to the paths of ${ORDERS}, or remove the route if no client should reach it.`,
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

  describe(`no-shadow-route, TypeScript (${version.label})`, () => {
    const tester = new version.RuleTester({ plugins: { "api-posture": plugin }, languageOptions: { parser } });
    tester.run("no-shadow-route", rule, {
      valid: tsCases.valid.map((c) => ({ filename: "routes/app.ts", ...c })),
      invalid: tsCases.invalid.map((c) => ({ filename: "routes/app.ts", ...c })),
    });
  });

  describe(`no-shadow-route, C# (${version.label})`, () => {
    const tester = new version.RuleTester({ plugins: { "api-posture": plugin }, language: "api-posture/csharp" });
    tester.run("no-shadow-route", rule, {
      valid: csCases.valid.map((c) => ({ filename: "Controllers/OrdersController.cs", ...c })),
      invalid: csCases.invalid.map((c) => ({ filename: "Controllers/OrdersController.cs", ...c })),
    });
  });

  describe(`no-shadow-route settings (${version.label})`, () => {
    it("rejects an openapi entry that is not a path of a local file", async () => {
      for (const [openapi, expected] of [
        [
          5,
          'settings["api-posture"].openapi must be a string (the path of an OpenAPI or Swagger document) or an array of strings (paths of OpenAPI or Swagger documents), got a number (5). For example: openapi: ["openapi.yaml"].',
        ],
        [
          [""],
          'settings["api-posture"].openapi[0] is an empty string; write the path of the document, such as "openapi.yaml", or remove the entry.',
        ],
        [
          "https://api.example.com/openapi.json",
          'settings["api-posture"].openapi "https://api.example.com/openapi.json" is a URL; the plugin reads local files only: keep the document in the repository and write its path.',
        ],
      ] as const) {
        const eslint = recommendedEslint(version, [{ settings: { "api-posture": { openapi } } }]);
        await assert.rejects(
          eslint.lintText(app('app.get("/api/orders", h);'), { filePath: "routes/app.ts" }),
          (error: Error) => {
            assert.ok(error.message.includes(expected), error.message);
            return true;
          },
        );
      }
    });

    it("reads a relative document from the project folder of each linted file", async () => {
      const project = mkdtempSync(path.join(work, "project-"));
      writeFileSync(path.join(project, "package.json"), "{}");
      writeFileSync(path.join(project, "openapi.yaml"), "openapi: 3.1.0\npaths:\n  /orders:\n    get: {}\n");
      const eslint = recommendedEslint(version, [{ settings: { "api-posture": { openapi: "openapi.yaml" } } }], {
        cwd: work,
      });
      const [result] = await eslint.lintText(
        app('app.get("/orders", listOrders);\napp.get("/orders/export", exportOrders);'),
        { filePath: path.join(project, "src", "app.ts") },
      );
      assert.deepEqual(
        result.messages.map((m) => `${m.line} ${m.ruleId} ${m.severity}`),
        ["6 api-posture/no-shadow-route 1"],
        "recommended-soc2 warns",
      );
      const [elsewhere] = await eslint.lintText(app('app.get("/orders", listOrders);'), {
        filePath: path.join(work, "other", "app.ts"),
      });
      // Outside any project: from ESLint's working directory.
      assert.deepEqual(
        elsewhere.messages.map((m) => m.message),
        [
          `AP105 The OpenAPI document openapi.yaml does not exist; no route of this file is checked against the document. ${SUFFIX} Fix: point settings["api-posture"].openapi at the document (a relative path is read from ${work}), or correct the document.`,
        ],
      );
    });
  });
}

describe("no-shadow-route with typescript-eslint's RuleTester", () => {
  TsRuleTester.afterAll = after;
  TsRuleTester.describe = describe;
  TsRuleTester.it = it;
  TsRuleTester.itOnly = it.only;
  new TsRuleTester().run("no-shadow-route", rule as never, {
    valid: [{ ...tsCases.valid[0], filename: "app.ts" }],
    invalid: [{ ...tsCases.invalid[0], filename: "app.ts" }] as never,
  });
  new TsRuleTester({ plugins: { "api-posture": plugin }, language: "api-posture/csharp" }).run(
    "no-shadow-route (C#)",
    rule as never,
    {
      valid: [{ ...csCases.valid[0], filename: "OrdersController.cs" }],
      invalid: [{ ...csCases.invalid[0], filename: "OrdersController.cs" }] as never,
    },
  );
});
