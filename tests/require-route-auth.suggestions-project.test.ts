/**
 * AP101 suggestions through ESLint's Node API, on small projects on disk: the guard the
 * project's other NestJS controllers use (from the project index), imported the way the file
 * writes its other imports; project middleware judged by its own file; and, in both
 * languages, that applying each suggestion and linting again leaves no AP101 finding.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ESLINT_VERSIONS, type EslintVersion } from "./helpers/eslint.js";
import { recommendedEslint } from "./helpers/lint.js";

const AP101 = "api-posture/require-route-auth";
const temps: string[] = [];
after(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

const lines = (...l: string[]) => `${l.join("\n")}\n`;

/** A project folder with these files (paths relative to it). */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "api-posture-suggest-"));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return dir;
}

interface Suggested {
  desc: string;
  output: string;
}

/** The AP101 findings of `file` (as `text`, the editor's buffer) with what each suggestion makes of the text. */
async function findings(version: EslintVersion, dir: string, file: string, text: string) {
  const eslint = recommendedEslint(version, [], { cwd: dir });
  const [result] = await eslint.lintText(text, { filePath: path.join(dir, file) });
  return result.messages
    .filter((m) => m.ruleId === AP101)
    .map((m) => ({
      line: m.line,
      suggestions: (m.suggestions ?? []).map((s): Suggested => ({
        desc: s.desc,
        output: text.slice(0, s.fix.range[0]) + s.fix.text + text.slice(s.fix.range[1]),
      })),
    }));
}

/**
 * Applies the first suggestion of the first AP101 finding and lints again, until none is
 * left or a finding has no suggestion; returns the text and what was applied.
 */
async function applyAll(version: EslintVersion, dir: string, file: string) {
  let text = fs.readFileSync(path.join(dir, file), "utf8");
  const applied: string[] = [];
  for (let round = 0; round < 10; round++) {
    const found = await findings(version, dir, file, text);
    const [first] = found;
    if (!first) return { text, applied, left: [] as number[] };
    const [suggestion] = first.suggestions;
    if (!suggestion) return { text, applied, left: found.map((f) => f.line) };
    applied.push(suggestion.desc);
    text = suggestion.output;
  }
  throw new Error("the suggestions did not settle");
}

const PACKAGE = JSON.stringify({ name: "shop-api", private: true, type: "module" });

const guardFile = lines(
  'import { Injectable } from "@nestjs/common";',
  'import { AuthGuard } from "@nestjs/passport";',
  "",
  "@Injectable()",
  'export class JwtAuthGuard extends AuthGuard("jwt") {}',
);
const apiKeyGuardFile = lines(
  'import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from "@nestjs/common";',
  "",
  "@Injectable()",
  "export class ApiKeyGuard implements CanActivate {",
  "  canActivate(context: ExecutionContext): boolean {",
  "    const request = context.switchToHttp().getRequest();",
  '    if (request.headers["x-api-key"] !== process.env.PARTNER_API_KEY) throw new UnauthorizedException();',
  "    return true;",
  "  }",
  "}",
);
const guardedController = (name: string, route: string, guard: string, module: string) =>
  lines(
    'import { Body, Controller, Post, UseGuards } from "@nestjs/common";',
    `import { ${guard} } from "${module}";`,
    "",
    `@Controller("${route}")`,
    `@UseGuards(${guard})`,
    `export class ${name} {`,
    "  @Post()",
    "  create(@Body() dto: unknown) {",
    "    return dto;",
    "  }",
    "}",
  );
const refundsController = (serviceImport: string) =>
  lines(
    'import { Body, Controller, Delete, Param, Post } from "@nestjs/common";',
    `import { RefundsService } from "${serviceImport}";`,
    "",
    '@Controller("refunds")',
    "export class RefundsController {",
    "  constructor(private readonly refunds: RefundsService) {}",
    "",
    "  @Post()",
    "  create(@Body() dto: unknown) {",
    "    return this.refunds.create(dto);",
    "  }",
    "",
    '  @Delete(":id")',
    '  remove(@Param("id") id: string) {',
    "    return this.refunds.remove(id);",
    "  }",
    "}",
  );

for (const version of ESLINT_VERSIONS) {
  describe(`AP101 suggestions in a project (${version.label})`, () => {
    it("NestJS: the guard the project's other controllers use most, imported by a relative path", async () => {
      const dir = project({
        "package.json": PACKAGE,
        "src/auth/jwt-auth.guard.ts": guardFile,
        "src/auth/api-key.guard.ts": apiKeyGuardFile,
        "src/orders/orders.controller.ts": guardedController(
          "OrdersController",
          "orders",
          "JwtAuthGuard",
          "../auth/jwt-auth.guard",
        ),
        "src/invoices/invoices.controller.ts": guardedController(
          "InvoicesController",
          "invoices",
          "JwtAuthGuard",
          "../auth/jwt-auth.guard",
        ),
        "src/partners/partners.controller.ts": guardedController(
          "PartnersController",
          "partners",
          "ApiKeyGuard",
          "../auth/api-key.guard",
        ),
        "src/refunds/refunds.controller.ts": refundsController("./refunds.service"),
      });
      const file = "src/refunds/refunds.controller.ts";
      const [first] = await findings(version, dir, file, fs.readFileSync(path.join(dir, file), "utf8"));
      assert.deepEqual(first.suggestions, [
        {
          desc: "Add @UseGuards(JwtAuthGuard) to RefundsController.create",
          output: lines(
            'import { Body, Controller, Delete, Param, Post, UseGuards } from "@nestjs/common";',
            'import { RefundsService } from "./refunds.service";',
            'import { JwtAuthGuard } from "../auth/jwt-auth.guard";',
            "",
            '@Controller("refunds")',
            "export class RefundsController {",
            "  constructor(private readonly refunds: RefundsService) {}",
            "",
            "  @UseGuards(JwtAuthGuard)",
            "  @Post()",
            "  create(@Body() dto: unknown) {",
            "    return this.refunds.create(dto);",
            "  }",
            "",
            '  @Delete(":id")',
            '  remove(@Param("id") id: string) {',
            "    return this.refunds.remove(id);",
            "  }",
            "}",
          ),
        },
      ]);
      // The second handler then finds the guard in its own file, already imported.
      const { text, applied, left } = await applyAll(version, dir, file);
      assert.deepEqual(applied, [
        "Add @UseGuards(JwtAuthGuard) to RefundsController.create",
        "Add @UseGuards(JwtAuthGuard) to RefundsController.remove",
      ]);
      assert.deepEqual(left, []);
      assert.equal(text.match(/import \{ JwtAuthGuard \}/g)?.length, 1);
    });

    it("NestJS: `.js` endings when the file writes its relative imports with them; none when the project has no auth guard", async () => {
      const dir = project({
        "package.json": PACKAGE,
        "src/auth/jwt-auth.guard.ts": guardFile,
        "src/orders/orders.controller.ts": guardedController(
          "OrdersController",
          "orders",
          "JwtAuthGuard",
          "../auth/jwt-auth.guard.js",
        ),
        "src/refunds/refunds.controller.ts": refundsController("./refunds.service.js"),
      });
      const file = "src/refunds/refunds.controller.ts";
      const [first] = await findings(version, dir, file, fs.readFileSync(path.join(dir, file), "utf8"));
      assert.match(
        first.suggestions[0].output,
        /\nimport \{ JwtAuthGuard \} from "\.\.\/auth\/jwt-auth\.guard\.js";\n/,
      );

      const throttled = project({
        "package.json": PACKAGE,
        "src/feedback/feedback.controller.ts": guardedController(
          "FeedbackController",
          "feedback",
          "ThrottlerGuard",
          "@nestjs/throttler",
        ),
        "src/refunds/refunds.controller.ts": refundsController("./refunds.service"),
      });
      const found = await findings(version, throttled, file, fs.readFileSync(path.join(throttled, file), "utf8"));
      assert.deepEqual(
        found.map((f) => f.suggestions),
        [[], []],
        "a rate limiter is no auth guard to suggest",
      );
    });

    it("Express: project middleware counts when its own file shows it turns callers away", async () => {
      const routes = lines(
        'import { Router } from "express";',
        'import { requireAuth, requireSession } from "../middleware/auth.js";',
        'import { createOrder } from "../controllers/orders.js";',
        "",
        "const router = Router();",
        'router.post("/orders", createOrder);',
        "export default router;",
      );
      const middleware = (requireAuthBody: string) =>
        lines(
          'import type { NextFunction, Request, Response } from "express";',
          "",
          "export function requireAuth(req: Request, res: Response, next: NextFunction) {",
          requireAuthBody,
          "  next();",
          "}",
          "",
          "/** Loads the session when there is one; lets everyone through. */",
          "export function requireSession(req: Request, _res: Response, next: NextFunction) {",
          "  req.session ??= null;",
          "  next();",
          "}",
        );
      const dir = project({
        "package.json": PACKAGE,
        "src/middleware/auth.ts": middleware(
          '  if (!req.user) return res.status(401).json({ error: "unauthorized" });',
        ),
        "src/routes/orders.ts": routes,
      });
      const file = "src/routes/orders.ts";
      const [found] = await findings(version, dir, file, routes);
      assert.deepEqual(
        found.suggestions.map((s) => s.desc),
        ["Add requireAuth before the handler"],
      );
      const { left } = await applyAll(version, dir, file);
      assert.deepEqual(left, []);

      // The same names, but the middleware never turns anyone away: nothing to suggest.
      const soft = project({
        "package.json": PACKAGE,
        "src/middleware/auth.ts": middleware("  res.locals.user = req.user;"),
        "src/routes/orders.ts": routes,
      });
      const [none] = await findings(version, soft, file, routes);
      assert.deepEqual(none.suggestions, []);
    });

    it("TS/JS: applying each suggestion and linting again leaves no AP101 finding", async () => {
      const dir = project({
        "package.json": PACKAGE,
        "src/routes/orders.ts": lines(
          'import { Router } from "express";',
          'import passport from "passport";',
          'import { createOrder, deleteOrder, updateOrder } from "../controllers/orders.js";',
          "",
          "const router = Router();",
          'const authenticate = passport.authenticate("jwt", { session: false });',
          "",
          'router.put("/orders/:id", authenticate, updateOrder);',
          'router.post("/orders", createOrder);',
          'router.route("/orders/:id").delete(deleteOrder);',
          "",
          "export default router;",
        ),
        "src/server.ts": lines(
          'import Fastify from "fastify";',
          'import fastifyJwt from "@fastify/jwt";',
          "",
          "const app = Fastify();",
          "app.register(fastifyJwt, { secret: process.env.JWT_SECRET! });",
          'app.decorate("authenticate", async (request, reply) => {',
          "  try {",
          "    await request.jwtVerify();",
          "  } catch (err) {",
          "    reply.send(err);",
          "  }",
          "});",
          "",
          'app.post("/orders", { onRequest: [app.authenticate] }, async (request) => request.body);',
          'app.delete("/orders/:id", async (request) => request.params);',
          "app.route({",
          '  method: "PATCH",',
          '  url: "/orders/:id",',
          "  handler: async (request) => request.body,",
          "});",
          "",
          "await app.listen({ port: 3000 });",
        ),
        "src/orders/orders.controller.ts": lines(
          'import { Body, Controller, Delete, Param, Post, UseGuards } from "@nestjs/common";',
          'import { AuthGuard } from "@nestjs/passport";',
          "",
          '@Controller("orders")',
          "export class OrdersController {",
          '  @UseGuards(AuthGuard("jwt"))',
          "  @Post()",
          "  create(@Body() dto: unknown) {}",
          "",
          '  @Delete(":id")',
          '  remove(@Param("id") id: string) {}',
          "}",
        ),
      });
      for (const [file, expected] of [
        ["src/routes/orders.ts", ["Add authenticate before the handler", "Add authenticate before the handler"]],
        ["src/server.ts", ["Add onRequest: [app.authenticate]", "Add onRequest: [app.authenticate]"]],
        ["src/orders/orders.controller.ts", ['Add @UseGuards(AuthGuard("jwt")) to OrdersController.remove']],
      ] as const) {
        const { applied, left } = await applyAll(version, dir, file);
        assert.deepEqual(applied, expected, file);
        assert.deepEqual(left, [], file);
      }
    });

    it("C#: applying each suggestion and linting again leaves no AP101 finding, with one using", async () => {
      const dir = project({
        "Shop.Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n',
        "Controllers/OrdersController.cs": lines(
          "using Microsoft.AspNetCore.Mvc;",
          "using Shop.Api.Data;",
          "",
          "namespace Shop.Api.Controllers;",
          "",
          "[ApiController]",
          '[Route("api/[controller]")]',
          "public class OrdersController(ShopDbContext db) : ControllerBase",
          "{",
          "    [HttpPost]",
          "    public async Task<IActionResult> Create(OrderDto dto)",
          "    {",
          "        db.Orders.Add(dto.ToOrder());",
          "        await db.SaveChangesAsync();",
          "        return Ok();",
          "    }",
          "",
          '    [HttpDelete("{id:int}")]',
          "    public async Task<IActionResult> Delete(int id)",
          "    {",
          "        db.Orders.Remove(await db.Orders.FindAsync(id));",
          "        await db.SaveChangesAsync();",
          "        return NoContent();",
          "    }",
          "}",
        ),
        "Program.cs": lines(
          "var builder = WebApplication.CreateBuilder(args);",
          "builder.Services.AddAuthorization();",
          "var app = builder.Build();",
          "",
          'var todos = app.MapGroup("/todos");',
          'todos.MapPost("/", async (Todo todo, TodoDb db) =>',
          "{",
          "    db.Todos.Add(todo);",
          "    await db.SaveChangesAsync();",
          '    return Results.Created($"/todos/{todo.Id}", todo);',
          "})",
          '.WithName("CreateTodo");',
          'todos.MapDelete("/{id}", DeleteTodo);',
          "",
          "app.Run();",
        ),
        "Pages/Orders/Edit.cshtml.cs": lines(
          "using Microsoft.AspNetCore.Mvc;",
          "using Microsoft.AspNetCore.Mvc.RazorPages;",
          "",
          "namespace Shop.Api.Pages.Orders;",
          "",
          "public class EditModel(ShopDbContext db) : PageModel",
          "{",
          "    public async Task<IActionResult> OnPostAsync(Order order)",
          "    {",
          "        db.Orders.Update(order);",
          "        await db.SaveChangesAsync();",
          '        return RedirectToPage("Index");',
          "    }",
          "",
          "    public async Task<IActionResult> OnPostDeleteAsync(int id)",
          "    {",
          "        db.Orders.Remove(await db.Orders.FindAsync(id));",
          "        await db.SaveChangesAsync();",
          '        return RedirectToPage("Index");',
          "    }",
          "}",
        ),
      });
      const controller = await applyAll(version, dir, "Controllers/OrdersController.cs");
      assert.deepEqual(controller.applied, [
        "Add [Authorize] to OrdersController.Create",
        "Add [Authorize] to OrdersController.Delete",
      ]);
      assert.deepEqual(controller.left, []);
      assert.equal(controller.text.match(/using Microsoft\.AspNetCore\.Authorization;/g)?.length, 1);
      const program = await applyAll(version, dir, "Program.cs");
      assert.deepEqual(program.applied, ["Add .RequireAuthorization()", "Add .RequireAuthorization()"]);
      assert.deepEqual(program.left, []);
      // One [Authorize] on the page model covers both handlers.
      const page = await applyAll(version, dir, "Pages/Orders/Edit.cshtml.cs");
      assert.deepEqual(page.applied, ["Add [Authorize] to EditModel"]);
      assert.deepEqual(page.left, []);
    });

    it("C#: no using is added where the project imports Microsoft.AspNetCore.Authorization everywhere", async () => {
      const controller = lines(
        "namespace Shop.Api.Controllers;",
        "",
        "[ApiController]",
        '[Route("api/orders")]',
        "public class OrdersController : ControllerBase",
        "{",
        '    [HttpDelete("{id:int}")]',
        "    public IActionResult Delete(int id) => NoContent();",
        "}",
      );
      const csproj = (items: string) =>
        `<Project Sdk="Microsoft.NET.Sdk.Web">\n  <ItemGroup>\n${items}  </ItemGroup>\n</Project>\n`;
      const cases: Array<[string, Record<string, string>, number]> = [
        [
          "a global using in GlobalUsings.cs",
          {
            "Shop.Api.csproj": csproj(""),
            "GlobalUsings.cs": lines(
              "global using Microsoft.AspNetCore.Authorization;",
              "global using Microsoft.AspNetCore.Mvc;",
            ),
          },
          0,
        ],
        [
          "<Using Include> in the project file",
          { "Shop.Api.csproj": csproj('    <Using Include="Microsoft.AspNetCore.Authorization" />\n') },
          0,
        ],
        [
          "a static global using imports no attribute",
          {
            "Shop.Api.csproj": csproj(""),
            "GlobalUsings.cs": lines("global using static Microsoft.AspNetCore.Authorization.AuthorizationPolicy;"),
          },
          1,
        ],
      ];
      for (const [name, files, usings] of cases) {
        const dir = project({ ...files, "Controllers/OrdersController.cs": controller });
        const { applied, left, text } = await applyAll(version, dir, "Controllers/OrdersController.cs");
        assert.deepEqual(applied, ["Add [Authorize] to OrdersController.Delete"], name);
        assert.deepEqual(left, [], name);
        assert.equal(text.match(/using Microsoft\.AspNetCore\.Authorization;/g)?.length ?? 0, usings, name);
      }
    });
  });
}
