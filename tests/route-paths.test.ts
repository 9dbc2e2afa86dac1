/**
 * Route paths as the client sees them, and the protections that come with the mounts
 * that give them: Express routers mounted in loops over route tables, NestJS's global
 * prefix, URI versioning and RouterModule, and ASP.NET Core's `[Route]` inherited from a
 * base controller in another file. Single files through the adapter; projects through
 * ESLint and the project index, as the endpoint inventory and AP101 see them.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import type { Rule } from "eslint";
import { analyze } from "../lib/core/analyze.js";
import { classifyEndpoint } from "../lib/core/model.js";
import { ESLINT_VERSIONS, type EslintVersion } from "./helpers/eslint.js";
import { recommendedEslint } from "./helpers/lint.js";
import { tsModel } from "./helpers/model.js";
import { FIXTURES } from "./helpers/paths.js";

const PROJECTS = path.join(FIXTURES, "require-route-auth");
const AP101 = "api-posture/require-route-auth";

/** `METHOD path protections` of every endpoint of one file. */
function table(code: string, filename = "routes.ts"): string[] {
  return tsModel(code, {}, filename).endpoints.map(
    (e) => `${e.methods.join(",")} ${e.path} [${e.protections.map((p) => `${p.name}@${p.source}`).join(" ")}]`,
  );
}

const ESM = `import express, { Router } from "express";\n`;

describe("Express routers mounted in loops over route tables", () => {
  it("reads `{ path, route }` tables in forEach, with the table's own property names", () => {
    const code = `${ESM}
const app = express();
const router = Router();
const orders = Router();
const users = Router();
orders.post("/", h);
users.delete("/:id", h);
const defaultRoutes = [
  { prefix: "/orders", handler: orders },
  { prefix: "/users", handler: users },
];
defaultRoutes.forEach((entry) => {
  router.use(entry.prefix, entry.handler);
});
app.use("/v1", router);
`;
    assert.deepEqual(table(code), ["POST /v1/orders []", "DELETE /v1/users/:id []"]);
  });

  it("reads [path, router] pairs in for…of and destructured callbacks, and Object.entries / Object.keys of a literal", () => {
    const code = `${ESM}
const app = express();
const a = Router();
const b = Router();
const c = Router();
const d = Router();
const e = Router();
a.post("/x", h);
b.post("/x", h);
c.post("/x", h);
d.post("/x", h);
e.post("/x", h);
const pairs = [["/a", a]];
for (const [mountPath, mounted] of pairs) app.use(mountPath, mounted);
pairs.concat([["/b", b]]).forEach(([p, r]) => app.use(p, r));
const byPath = { "/c": c, "/d": d };
Object.entries(byPath).forEach(([p, r]) => app.use(\`/api\${p}\`, r));
const more = { "/e": e };
Object.keys(more).forEach((key) => app.use(key, more[key]));
`;
    assert.deepEqual(table(code), [
      "POST /a/x []",
      "POST /b/x []",
      "POST /api/c/x []",
      "POST /api/d/x []",
      "POST /e/x []",
    ]);
  });

  it("keeps every element however the table is built: spreads, conditions, push", () => {
    const code = `${ESM}
const app = express();
const base = Router();
const dev = Router();
const extra = Router();
const flagged = Router();
base.put("/", h);
dev.put("/", h);
extra.put("/", h);
flagged.put("/", h);
const devRoutes = [{ path: "/dev", route: dev }];
const routes = [
  { path: "/base", route: base },
  ...(process.env.NODE_ENV === "development" ? devRoutes : []),
  process.env.FLAG && { path: "/flagged", route: flagged },
];
routes.push({ path: "/extra", route: extra });
if (config.env === "development") {
  for (const route of routes) {
    app.use(route.path, route.route);
  }
}
`;
    assert.deepEqual(table(code), ["PUT /base []", "PUT /dev []", "PUT /extra []", "PUT /flagged []"]);
  });

  it("applies the loop's middleware, and the table's, to each router; a guard registered after the loop to none", () => {
    const code = `${ESM}
const app = express();
const open = Router();
const staff = Router();
const billing = Router();
open.post("/", h);
staff.post("/", h);
billing.post("/", h);
[{ path: "/open", route: open }].forEach((r) => app.use(r.path, r.route));
app.use(requireAuth);
const protectedRoutes = [{ path: "/staff", route: staff }];
protectedRoutes.forEach((r) => app.use(r.path, r.route));
const tables = [{ path: "/billing", middleware: [checkJwt], route: billing }];
tables.forEach((r) => app.use(r.path, ...r.middleware, r.route));
`;
    assert.deepEqual(table(code), [
      "POST /open []",
      "POST /staff [requireAuth@mount]",
      "POST /billing [checkJwt@mount requireAuth@mount]",
    ]);
  });

  it("leaves a loop over a list the file does not tell as before", () => {
    const code = `${ESM}
const app = express();
const r = Router();
r.post("/x", h);
export function mount(routes) {
  routes.forEach((route) => app.use(route.path, route.router));
}
app.use("/api", r);
`;
    assert.deepEqual(table(code), ["POST /api/x []"]);
  });
});

// ---------------------------------------------------------------------------------
// Projects, through ESLint and the project index.
// ---------------------------------------------------------------------------------

/** A rule that records the endpoints every linted file ends up with, as the inventory lists them. */
function inventoryRule(into: string[], root: string): Rule.RuleModule {
  return {
    meta: { type: "suggestion", schema: [], languages: ["js/js", "api-posture/csharp"] } as Rule.RuleMetaData,
    create(context) {
      const record = (): void => {
        const analysis = analyze(context);
        if (!analysis.ok) return;
        for (const e of analysis.model.endpoints)
          into.push(
            `${path.relative(root, context.filename)} ${e.methods.join(",")} ${e.path} ${e.anonymous.length > 0 ? "anonymous" : classifyEndpoint(e)}`,
          );
      };
      return { Program: record, compilation_unit: record };
    },
  };
}

async function lintProject(version: EslintVersion, root: string): Promise<{ inventory: string[]; findings: string[] }> {
  const inventory: string[] = [];
  const probe = { rules: { endpoints: inventoryRule(inventory, root) } };
  const eslint = recommendedEslint(
    version,
    [
      { files: ["**/*.{js,ts}"], plugins: { probe }, rules: { "probe/endpoints": "warn" } },
      { files: ["**/*.cs"], language: "api-posture/csharp", plugins: { probe }, rules: { "probe/endpoints": "warn" } },
    ],
    { cwd: root },
  );
  const results = await eslint.lintFiles(["**/*.{js,ts,cs}"]);
  const findings = results
    .flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === AP101)
        .map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.message.split(" ").slice(1, 3).join(" ")}`),
    )
    .sort();
  return { inventory: inventory.sort(), findings };
}

for (const version of ESLINT_VERSIONS) {
  describe(`route paths across a project's files (${version.label})`, () => {
    it("Express: routers a route table mounts in loops get the table's paths and the loop's auth", async () => {
      const { inventory, findings } = await lintProject(
        version,
        path.join(PROJECTS, "ts/projects/express-route-table"),
      );
      assert.deepEqual(inventory, [
        "src/routes/v1/account.route.js PATCH /v1/account/profile authenticated",
        "src/routes/v1/account.route.js POST /v1/account/register public",
        "src/routes/v1/exports.route.js POST /v1/exports public",
        "src/routes/v1/orders.route.js GET /v1/orders public",
        "src/routes/v1/orders.route.js POST /v1/orders public",
        "src/routes/v1/refunds.route.js POST /v1/refunds/:refundId/approve policy-restricted",
        "src/routes/v1/reports.route.js DELETE /v1/reports/:reportId policy-restricted",
        "src/routes/v1/reports.route.js GET /v1/reports policy-restricted",
        "src/routes/v1/seed.route.js POST /v1/seed/reset public",
      ]);
      assert.deepEqual(findings, [
        "src/routes/v1/exports.route.js:7 POST /v1/exports",
        "src/routes/v1/orders.route.js:11 POST /v1/orders",
        "src/routes/v1/seed.route.js:7 POST /v1/seed/reset",
      ]);
    });

    it("NestJS: global prefix from configuration with exclusions, URI versions, RouterModule paths (inline and from a Routes constant of another file)", async () => {
      const { inventory, findings } = await lintProject(version, path.join(PROJECTS, "ts/projects/nest-router-module"));
      assert.deepEqual(inventory, [
        "src/admin/audit-log.controller.ts DELETE /api/v1/admin/audit-log/:id public",
        "src/admin/audit-log.controller.ts GET /api/v1/admin/audit-log public",
        "src/admin/tenants.controller.ts PATCH /api/v1/admin/tenants/:id/suspend authenticated",
        "src/admin/tenants.controller.ts POST /api/v1/admin/tenants authenticated",
        "src/billing/invoices.controller.ts GET /api/admin/billing/invoices/export authenticated",
        "src/billing/invoices.controller.ts POST /api/v2/admin/billing/invoices authenticated",
        "src/catalog/products.controller.ts GET /api/v1/products public",
        "src/catalog/products.controller.ts POST /api/v1/products public",
        "src/health/health.controller.ts GET /health public",
        "src/health/status.controller.ts GET /status public",
        "src/health/status.controller.ts POST /api/status public",
        "src/reports/schedules.controller.ts POST /api/v1/reports/schedules public",
      ]);
      assert.deepEqual(findings, [
        "src/admin/audit-log.controller.ts:13 DELETE /api/v1/admin/audit-log/:id",
        "src/catalog/products.controller.ts:11 POST /api/v1/products",
        "src/health/status.controller.ts:12 POST /api/status",
        "src/reports/schedules.controller.ts:6 POST /api/v1/reports/schedules",
      ]);
    });

    it("ASP.NET Core: [Route] of a base controller in another file, up two bases, unless the controller has its own", async () => {
      const { inventory, findings } = await lintProject(
        version,
        path.join(PROJECTS, "csharp/projects/mvc-inherited-route"),
      );
      assert.deepEqual(inventory, [
        "Controllers/LegacyController.cs POST /Legacy/Save public",
        "Controllers/PaymentsController.cs POST /api/Payments/{id}/refund authenticated",
        "Controllers/ReturnsController.cs POST /api/v2/returns public",
        "Controllers/ShipmentsController.cs GET /api/Shipments/{id} public",
        "Controllers/ShipmentsController.cs POST /api/Shipments public",
        "Controllers/ShipmentsController.cs POST /api/Shipments/{id}/cancel role-restricted",
        "Controllers/ShipmentsController.cs PUT /tracking/{code} public",
      ]);
      assert.deepEqual(findings, [
        "Controllers/LegacyController.cs:10 POST /Legacy/Save",
        "Controllers/ReturnsController.cs:11 POST /api/v2/returns",
        "Controllers/ShipmentsController.cs:14 POST /api/Shipments",
        "Controllers/ShipmentsController.cs:24 PUT /tracking/{code}",
      ]);
    });

    it("ASP.NET Core: the parts of a partial controller in other files give their [Authorize], [AllowAnonymous], [Route] and base", async () => {
      const { inventory } = await lintProject(version, path.join(PROJECTS, "csharp/projects/modern-shop"));
      const controllers = inventory.filter((line) => line.startsWith("Controllers/"));
      assert.deepEqual(controllers, [
        "Controllers/CatalogController.Images.cs DELETE /api/catalog/{sku}/images/{imageId:int} public",
        "Controllers/CatalogController.cs PUT /api/catalog/{sku} public",
        "Controllers/OrdersController.Export.cs GET /api/orders/export authenticated",
        "Controllers/OrdersController.Export.cs POST /api/orders/{id:guid}/reorder authenticated",
        "Controllers/OrdersController.cs GET /api/orders authenticated",
        // The part's own [Route] wins over the base's `api/[controller]`; the base's role applies.
        "Controllers/PromotionsController.Codes.cs POST /api/marketing/promotions/{code}/expire role-restricted",
        "Controllers/StatusController.Probes.cs GET /api/status/ready anonymous",
      ]);
    });
  });
}
