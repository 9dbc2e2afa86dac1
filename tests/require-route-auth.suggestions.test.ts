/**
 * AP101 suggestions: the edits each framework's adapter works out to add the authorization a
 * route lacks, through RuleTester (ESLint 9 and 10) in both languages, with the near-misses
 * that get none. What each suggestion inserts is checked as the whole output file.
 */
import { describe, it } from "node:test";
import plugin from "../lib/index.js";
import { parser } from "../lib/parser.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";

const rule = plugin.rules["require-route-auth"];

type SuggestionId = "addToDeclaration" | "addToRegistration" | "addBeforeHandler";

/** One report with one suggestion whose output is `output`, checked by its message id or, when given, its whole text. */
const suggests = (messageId: SuggestionId, output: string, desc?: string) => [
  { messageId: "missingAuth", suggestions: [{ ...(desc ? { desc } : { messageId }), output }] },
];
/** One report and no suggestion. */
const none = [{ messageId: "missingAuth", suggestions: [] }];

const lines = (...l: string[]) => `${l.join("\n")}\n`;

// ---------------------------------------------------------------- TypeScript / JavaScript

const expressRouter = (routes: string[], imports: string[] = []) =>
  lines(
    'import { Router } from "express";',
    ...imports,
    'import { createOrder, deleteOrder, listOrders, updateOrder } from "../controllers/orders";',
    "",
    "const router = Router();",
    "",
    ...routes,
    "",
    "export default router;",
  );
const AUTH_IMPORT = 'import { requireAuth } from "../middleware/auth";';

const tsCases = {
  valid: [] as { code: string; filename?: string }[],
  invalid: [
    {
      // The middleware another route of the file uses.
      code: expressRouter(
        ['router.put("/orders/:id", requireAuth, updateOrder);', 'router.post("/orders", createOrder);'],
        [AUTH_IMPORT],
      ),
      errors: suggests(
        "addBeforeHandler",
        expressRouter(
          ['router.put("/orders/:id", requireAuth, updateOrder);', 'router.post("/orders", requireAuth, createOrder);'],
          [AUTH_IMPORT],
        ),
        "Add requireAuth before the handler",
      ),
    },
    {
      // One argument per line: the middleware gets a line of its own.
      code: expressRouter(
        [
          'router.get("/orders", requireAuth, listOrders);',
          "router.delete(",
          '  "/orders/:id",',
          "  deleteOrder,",
          ");",
        ],
        [AUTH_IMPORT],
      ),
      errors: suggests(
        "addBeforeHandler",
        expressRouter(
          [
            'router.get("/orders", requireAuth, listOrders);',
            "router.delete(",
            '  "/orders/:id",',
            "  requireAuth,",
            "  deleteOrder,",
            ");",
          ],
          [AUTH_IMPORT],
        ),
      ),
    },
    {
      // `route(path).post(…)`: the path is not an argument of the method.
      code: expressRouter(['router.route("/orders").get(requireAuth, listOrders).post(createOrder);'], [AUTH_IMPORT]),
      errors: suggests(
        "addBeforeHandler",
        expressRouter(
          ['router.route("/orders").get(requireAuth, listOrders).post(requireAuth, createOrder);'],
          [AUTH_IMPORT],
        ),
      ),
    },
    {
      // Imported from the project and named as auth, not used yet.
      code: expressRouter(['router.post("/orders", createOrder);'], [AUTH_IMPORT]),
      errors: suggests(
        "addBeforeHandler",
        expressRouter(['router.post("/orders", requireAuth, createOrder);'], [AUTH_IMPORT]),
      ),
    },
    {
      // A configured guard call, copied as written.
      code: expressRouter(
        [
          'router.put("/orders/:id", passport.authenticate("jwt", { session: false }), updateOrder);',
          'router.post("/orders", validate(orderSchema), createOrder);',
        ],
        ['import passport from "passport";', 'import { orderSchema, validate } from "../validation";'],
      ),
      errors: suggests(
        "addBeforeHandler",
        expressRouter(
          [
            'router.put("/orders/:id", passport.authenticate("jwt", { session: false }), updateOrder);',
            'router.post("/orders", passport.authenticate("jwt", { session: false }), validate(orderSchema), createOrder);',
          ],
          ['import passport from "passport";', 'import { orderSchema, validate } from "../validation";'],
        ),
        'Add passport.authenticate("jwt", { session: false }) before the handler',
      ),
    },
    {
      // Registered for the router after the route: the route comes first and gets none of it.
      code: expressRouter(
        ['router.post("/orders", createOrder);', "router.use(requireAuth);", 'router.put("/orders/:id", updateOrder);'],
        [AUTH_IMPORT],
      ),
      errors: suggests(
        "addBeforeHandler",
        expressRouter(
          [
            'router.post("/orders", requireAuth, createOrder);',
            "router.use(requireAuth);",
            'router.put("/orders/:id", updateOrder);',
          ],
          [AUTH_IMPORT],
        ),
      ),
    },
    {
      // CommonJS: required from the project.
      filename: "src/routes/orders.js",
      code: lines(
        'const express = require("express");',
        'const { requireAuth } = require("../middleware/auth");',
        'const orders = require("../controllers/orders");',
        "",
        "const router = express.Router();",
        'router.post("/orders", orders.create);',
        "module.exports = router;",
      ),
      errors: suggests(
        "addBeforeHandler",
        lines(
          'const express = require("express");',
          'const { requireAuth } = require("../middleware/auth");',
          'const orders = require("../controllers/orders");',
          "",
          "const router = express.Router();",
          'router.post("/orders", requireAuth, orders.create);',
          "module.exports = router;",
        ),
      ),
    },
    {
      // Near-miss: the file shows no auth middleware at all.
      code: expressRouter(['router.post("/orders", createOrder);']),
      errors: none,
    },
    {
      // Near-miss: a package's guard factory needs its options: not mechanical.
      code: expressRouter(
        ['router.post("/orders", createOrder);'],
        ['import { auth } from "express-oauth2-jwt-bearer";'],
      ),
      errors: none,
    },
    {
      // Near-miss: an import from the project whose name does not say auth.
      code: expressRouter(['router.post("/orders", createOrder);'], ['import { gate } from "../middleware/gate";']),
      errors: none,
    },
    {
      // Near-miss: the other route's middleware is a local of another function, not in scope here.
      code: lines(
        'import express from "express";',
        'import { expressjwt } from "express-jwt";',
        "",
        "export function adminRoutes(app: express.Express) {",
        '  const checkJwt = expressjwt({ secret: process.env.JWT_SECRET!, algorithms: ["HS256"] });',
        '  app.post("/admin/users", checkJwt, (req, res) => res.sendStatus(201));',
        "}",
        "",
        "export function publicRoutes(app: express.Express) {",
        '  app.post("/feedback", (req, res) => res.sendStatus(202));',
        "}",
      ),
      errors: none,
    },
    {
      // Koa: the guard of another route of the router.
      code: lines(
        'import Router from "@koa/router";',
        'import jwt from "koa-jwt";',
        "",
        'const router = new Router({ prefix: "/api" });',
        "const auth = jwt({ secret: process.env.JWT_SECRET as string });",
        "",
        'router.post("/orders", auth, async (ctx) => {',
        "  ctx.body = await createOrder(ctx.request.body);",
        "});",
        'router.delete("/orders/:id", async (ctx) => {',
        "  await deleteOrder(ctx.params.id);",
        "  ctx.status = 204;",
        "});",
        "",
        "export default router;",
      ),
      errors: suggests(
        "addBeforeHandler",
        lines(
          'import Router from "@koa/router";',
          'import jwt from "koa-jwt";',
          "",
          'const router = new Router({ prefix: "/api" });',
          "const auth = jwt({ secret: process.env.JWT_SECRET as string });",
          "",
          'router.post("/orders", auth, async (ctx) => {',
          "  ctx.body = await createOrder(ctx.request.body);",
          "});",
          'router.delete("/orders/:id", auth, async (ctx) => {',
          "  await deleteOrder(ctx.params.id);",
          "  ctx.status = 204;",
          "});",
          "",
          "export default router;",
        ),
        "Add auth before the handler",
      ),
    },
    {
      // Hono: the same, before a validator.
      code: lines(
        'import { Hono } from "hono";',
        'import { jwt } from "hono/jwt";',
        'import { zValidator } from "@hono/zod-validator";',
        "",
        "const app = new Hono();",
        "const auth = jwt({ secret: process.env.JWT_SECRET!, alg: 'HS256' });",
        "",
        'app.post("/posts", auth, zValidator("json", postSchema), (c) => c.json(createPost(c.req.valid("json")), 201));',
        'app.delete("/posts/:id", (c) => c.body(deletePost(c.req.param("id")), 204));',
        "",
        "export default app;",
      ),
      errors: suggests(
        "addBeforeHandler",
        lines(
          'import { Hono } from "hono";',
          'import { jwt } from "hono/jwt";',
          'import { zValidator } from "@hono/zod-validator";',
          "",
          "const app = new Hono();",
          "const auth = jwt({ secret: process.env.JWT_SECRET!, alg: 'HS256' });",
          "",
          'app.post("/posts", auth, zValidator("json", postSchema), (c) => c.json(createPost(c.req.valid("json")), 201));',
          'app.delete("/posts/:id", auth, (c) => c.body(deletePost(c.req.param("id")), 204));',
          "",
          "export default app;",
        ),
      ),
    },
  ],
};

const fastifyApp = (routes: string[]) =>
  lines(
    'import Fastify from "fastify";',
    'import fastifyJwt from "@fastify/jwt";',
    "",
    "const app = Fastify({ logger: true });",
    "app.register(fastifyJwt, { secret: process.env.JWT_SECRET! });",
    'app.decorate("authenticate", async (request, reply) => {',
    "  try {",
    "    await request.jwtVerify();",
    "  } catch (err) {",
    "    reply.code(401).send(err);",
    "  }",
    "});",
    "",
    ...routes,
    "",
    "await app.listen({ port: 3000 });",
  );
const PROTECTED_FASTIFY_ROUTE =
  'app.post("/orders", { onRequest: [app.authenticate] }, async (request) => createOrder(request.body));';

const fastifyCases = [
  {
    // The hook goes into new options between the path and the handler.
    code: fastifyApp([
      PROTECTED_FASTIFY_ROUTE,
      'app.delete("/orders/:id", async (request) => deleteOrder(request.params));',
    ]),
    errors: suggests(
      "addToRegistration",
      fastifyApp([
        PROTECTED_FASTIFY_ROUTE,
        'app.delete("/orders/:id", { onRequest: [app.authenticate] }, async (request) => deleteOrder(request.params));',
      ]),
      "Add onRequest: [app.authenticate]",
    ),
  },
  {
    // Into the route's own options.
    code: fastifyApp([
      PROTECTED_FASTIFY_ROUTE,
      'app.put("/orders/:id", { schema: { body: orderSchema } }, async (request) => updateOrder(request.body));',
    ]),
    errors: suggests(
      "addToRegistration",
      fastifyApp([
        PROTECTED_FASTIFY_ROUTE,
        'app.put("/orders/:id", { onRequest: [app.authenticate], schema: { body: orderSchema } }, async (request) => updateOrder(request.body));',
      ]),
    ),
  },
  {
    // A route table written one option per line.
    code: fastifyApp([
      PROTECTED_FASTIFY_ROUTE,
      "app.route({",
      '  method: "PATCH",',
      '  url: "/orders/:id",',
      "  handler: async (request) => patchOrder(request.body),",
      "});",
    ]),
    errors: suggests(
      "addToRegistration",
      fastifyApp([
        PROTECTED_FASTIFY_ROUTE,
        "app.route({",
        "  onRequest: [app.authenticate],",
        '  method: "PATCH",',
        '  url: "/orders/:id",',
        "  handler: async (request) => patchOrder(request.body),",
        "});",
      ]),
    ),
  },
  {
    // Near-miss: the options are a constant written elsewhere.
    code: fastifyApp([
      PROTECTED_FASTIFY_ROUTE,
      "const cached = { config: { cache: true } };",
      'app.put("/orders/:id", cached, async (request) => updateOrder(request.body));',
    ]),
    errors: none,
  },
  {
    // Near-miss: the route already has an onRequest hook of another kind.
    code: fastifyApp([
      PROTECTED_FASTIFY_ROUTE,
      'app.put("/orders/:id", { onRequest: [app.rateLimit()] }, async (request) => updateOrder(request.body));',
    ]),
    errors: none,
  },
  {
    // Near-miss: no route of the file shows the hook pattern.
    code: fastifyApp(['app.delete("/orders/:id", async (request) => deleteOrder(request.params));']),
    errors: none,
  },
];

const nestController = (imports: string, body: string[]) =>
  lines(
    imports,
    'import { JwtAuthGuard } from "../auth/jwt-auth.guard";',
    'import { OrdersService } from "./orders.service";',
    "",
    '@Controller("orders")',
    "export class OrdersController {",
    "  constructor(private readonly orders: OrdersService) {}",
    "",
    "  @UseGuards(JwtAuthGuard)",
    "  @Post()",
    "  create(@Body() dto: CreateOrderDto) {",
    "    return this.orders.create(dto);",
    "  }",
    "",
    ...body,
    "}",
  );
const NEST_IMPORT = 'import { Body, Controller, Delete, HttpCode, Param, Post, UseGuards } from "@nestjs/common";';
const REMOVE = [
  '  @Delete(":id")',
  "  @HttpCode(204)",
  '  remove(@Param("id") id: string) {',
  "    return this.orders.remove(id);",
  "  }",
];

const nestCases = [
  {
    // The guard another handler of the controller uses, above the handler's first decorator.
    code: nestController(NEST_IMPORT, REMOVE),
    errors: suggests(
      "addToDeclaration",
      nestController(NEST_IMPORT, ["  @UseGuards(JwtAuthGuard)", ...REMOVE]),
      "Add @UseGuards(JwtAuthGuard) to OrdersController.remove",
    ),
  },
  {
    // AuthGuard("jwt") on another controller of the file, with UseGuards imported under another name.
    code: lines(
      "import { Body, Controller, Post } from '@nestjs/common'",
      "import { UseGuards as Guarded } from '@nestjs/common'",
      "import { AuthGuard } from '@nestjs/passport'",
      "",
      "@Controller('orders')",
      "@Guarded(AuthGuard('jwt'))",
      "export class OrdersController {",
      "  @Post()",
      "  create(@Body() dto: unknown) {}",
      "}",
      "",
      "@Controller('refunds')",
      "export class RefundsController {",
      "  @Post()",
      "  create(@Body() dto: unknown) {}",
      "}",
    ),
    errors: suggests(
      "addToDeclaration",
      lines(
        "import { Body, Controller, Post } from '@nestjs/common'",
        "import { UseGuards as Guarded } from '@nestjs/common'",
        "import { AuthGuard } from '@nestjs/passport'",
        "",
        "@Controller('orders')",
        "@Guarded(AuthGuard('jwt'))",
        "export class OrdersController {",
        "  @Post()",
        "  create(@Body() dto: unknown) {}",
        "}",
        "",
        "@Controller('refunds')",
        "export class RefundsController {",
        "  @Guarded(AuthGuard('jwt'))",
        "  @Post()",
        "  create(@Body() dto: unknown) {}",
        "}",
      ),
      "Add @Guarded(AuthGuard('jwt')) to RefundsController.create",
    ),
  },
  {
    // Near-miss: the only guard of the file is a rate limiter.
    code: lines(
      'import { Body, Controller, Post, UseGuards } from "@nestjs/common";',
      'import { ThrottlerGuard } from "@nestjs/throttler";',
      "",
      '@Controller("feedback")',
      "@UseGuards(ThrottlerGuard)",
      "export class FeedbackController {",
      "  @Post()",
      "  send(@Body() dto: FeedbackDto) {}",
      "}",
    ),
    errors: none,
  },
  {
    // Near-miss: no guard in the file, and no project to look in.
    code: lines(
      'import { Body, Controller, Post } from "@nestjs/common";',
      "",
      '@Controller("refunds")',
      "export class RefundsController {",
      "  @Post()",
      "  create(@Body() dto: unknown) {}",
      "}",
    ),
    errors: none,
  },
];

// ---------------------------------------------------------------- C#

const mvcController = (usings: string[], members: string[]) =>
  lines(
    ...usings,
    "",
    "namespace Shop.Api.Controllers;",
    "",
    "[ApiController]",
    '[Route("api/[controller]")]',
    "public class OrdersController : ControllerBase",
    "{",
    ...members,
    "}",
  );
const CREATE = [
  "    /// <summary>Places an order.</summary>",
  "    [HttpPost]",
  "    public IActionResult Create(OrderDto dto) => Ok();",
];

const csCases = {
  valid: [] as { code: string; filename?: string }[],
  invalid: [
    {
      // The using goes where it sorts (System first), the attribute above the action's attributes.
      code: lines(
        "// Copyright (c) Contoso. All rights reserved.",
        "#nullable enable",
        mvcController(["using System;", "using Microsoft.AspNetCore.Mvc;", "using Shop.Data;"], CREATE),
      ),
      errors: suggests(
        "addToDeclaration",
        lines(
          "// Copyright (c) Contoso. All rights reserved.",
          "#nullable enable",
          mvcController(
            [
              "using System;",
              "using Microsoft.AspNetCore.Authorization;",
              "using Microsoft.AspNetCore.Mvc;",
              "using Shop.Data;",
            ],
            [CREATE[0], "    [Authorize]", ...CREATE.slice(1)],
          ),
        ),
        "Add [Authorize] to OrdersController.Create",
      ),
    },
    {
      // The using is there: only the attribute.
      code: mvcController(["using Microsoft.AspNetCore.Authorization;", "using Microsoft.AspNetCore.Mvc;"], CREATE),
      errors: suggests(
        "addToDeclaration",
        mvcController(
          ["using Microsoft.AspNetCore.Authorization;", "using Microsoft.AspNetCore.Mvc;"],
          [CREATE[0], "    [Authorize]", ...CREATE.slice(1)],
        ),
      ),
    },
    {
      // A global using in the file counts too; `[AllowAnonymous]` on another action shows the namespace is in scope.
      code: mvcController(
        ["global using Microsoft.AspNetCore.Authorization;", "using Microsoft.AspNetCore.Mvc;"],
        ['    [HttpDelete("{id}")] public IActionResult Delete(int id) => NoContent();'],
      ),
      errors: suggests(
        "addToDeclaration",
        mvcController(
          ["global using Microsoft.AspNetCore.Authorization;", "using Microsoft.AspNetCore.Mvc;"],
          ["    [Authorize]", '    [HttpDelete("{id}")] public IActionResult Delete(int id) => NoContent();'],
        ),
      ),
    },
    {
      code: mvcController(
        ["using Microsoft.AspNetCore.Mvc;"],
        [
          '    [HttpPost("login"), AllowAnonymous]',
          "    public IActionResult Login(LoginDto dto) => Ok();",
          "",
          '    [HttpDelete("{id}")]',
          "    public IActionResult Delete(int id) => NoContent();",
        ],
      ),
      errors: suggests(
        "addToDeclaration",
        mvcController(
          ["using Microsoft.AspNetCore.Mvc;"],
          [
            '    [HttpPost("login"), AllowAnonymous]',
            "    public IActionResult Login(LoginDto dto) => Ok();",
            "",
            "    [Authorize]",
            '    [HttpDelete("{id}")]',
            "    public IActionResult Delete(int id) => NoContent();",
          ],
        ),
      ),
    },
    {
      // No usings at all: one before the first declaration, above its doc comment.
      code: lines(
        "/// <summary>Receives payment provider callbacks.</summary>",
        "public class RefundsController : Microsoft.AspNetCore.Mvc.ControllerBase",
        "{",
        '    [Microsoft.AspNetCore.Mvc.HttpPost("refunds")]',
        "    public void Refund() { }",
        "}",
      ),
      errors: suggests(
        "addToDeclaration",
        lines(
          "using Microsoft.AspNetCore.Authorization;",
          "",
          "/// <summary>Receives payment provider callbacks.</summary>",
          "public class RefundsController : Microsoft.AspNetCore.Mvc.ControllerBase",
          "{",
          "    [Authorize]",
          '    [Microsoft.AspNetCore.Mvc.HttpPost("refunds")]',
          "    public void Refund() { }",
          "}",
        ),
        "Add [Authorize] to RefundsController.Refund",
      ),
    },
    {
      // Usings inside a block namespace, CRLF line endings.
      code: lines(
        "namespace Shop.Api.Controllers",
        "{",
        "    using Microsoft.AspNetCore.Mvc;",
        "",
        '    [Route("api/orders")]',
        "    public class OrdersController : Controller",
        "    {",
        "        [HttpPost]",
        "        public IActionResult Create(OrderDto dto) => Ok();",
        "    }",
        "}",
      ).replace(/\n/g, "\r\n"),
      errors: suggests(
        "addToDeclaration",
        lines(
          "namespace Shop.Api.Controllers",
          "{",
          "    using Microsoft.AspNetCore.Authorization;",
          "    using Microsoft.AspNetCore.Mvc;",
          "",
          '    [Route("api/orders")]',
          "    public class OrdersController : Controller",
          "    {",
          "        [Authorize]",
          "        [HttpPost]",
          "        public IActionResult Create(OrderDto dto) => Ok();",
          "    }",
          "}",
        ).replace(/\n/g, "\r\n"),
      ),
    },
    {
      // Near-miss: the action is inherited from a base class of the file; [Authorize] there would change its other controllers.
      code: lines(
        "using Microsoft.AspNetCore.Mvc;",
        "",
        "public abstract class CrudController : ControllerBase",
        "{",
        '    [HttpDelete("{id}")]',
        "    public IActionResult Delete(int id) => NoContent();",
        "}",
        "",
        '[Route("api/orders")]',
        "public class OrdersController : CrudController { }",
      ),
      errors: none,
    },
  ],
};

const razorCase = {
  filename: "Pages/Orders/Edit.cshtml.cs",
  code: lines(
    "using Microsoft.AspNetCore.Mvc;",
    "using Microsoft.AspNetCore.Mvc.RazorPages;",
    "",
    "namespace Shop.Web.Pages.Orders;",
    "",
    "public class EditModel : PageModel",
    "{",
    '    public IActionResult OnPost() => RedirectToPage("Index");',
    "}",
  ),
  // Razor Pages ignore [Authorize] on handler methods: it goes on the page model.
  errors: suggests(
    "addToDeclaration",
    lines(
      "using Microsoft.AspNetCore.Authorization;",
      "using Microsoft.AspNetCore.Mvc;",
      "using Microsoft.AspNetCore.Mvc.RazorPages;",
      "",
      "namespace Shop.Web.Pages.Orders;",
      "",
      "[Authorize]",
      "public class EditModel : PageModel",
      "{",
      '    public IActionResult OnPost() => RedirectToPage("Index");',
      "}",
    ),
    "Add [Authorize] to EditModel",
  ),
};

const program = (statements: string[]) =>
  lines(
    "var builder = WebApplication.CreateBuilder(args);",
    "var app = builder.Build();",
    "",
    ...statements,
    "",
    "app.Run();",
  );

const minimalCases = [
  {
    // After the lambda.
    code: program([
      'app.MapPost("/todos", async (Todo todo, TodoDb db) =>',
      "{",
      "    db.Todos.Add(todo);",
      "    await db.SaveChangesAsync();",
      '    return Results.Created($"/todos/{todo.Id}", todo);',
      "});",
    ]),
    errors: suggests(
      "addToRegistration",
      program([
        'app.MapPost("/todos", async (Todo todo, TodoDb db) =>',
        "{",
        "    db.Todos.Add(todo);",
        "    await db.SaveChangesAsync();",
        '    return Results.Created($"/todos/{todo.Id}", todo);',
        "}).RequireAuthorization();",
      ]),
      "Add .RequireAuthorization()",
    ),
  },
  {
    // After the calls chained on it, one per line as they are.
    code: program(['app.MapPut("/todos/{id}", UpdateTodo)', '    .WithName("UpdateTodo")', "    .WithOpenApi();"]),
    errors: suggests(
      "addToRegistration",
      program([
        'app.MapPut("/todos/{id}", UpdateTodo)',
        '    .WithName("UpdateTodo")',
        "    .WithOpenApi()",
        "    .RequireAuthorization();",
      ]),
    ),
  },
  {
    // On the endpoint, not its group.
    code: program([
      'var admin = app.MapGroup("/admin");',
      'admin.MapDelete("/cache", () => Results.NoContent()).WithTags("admin");',
    ]),
    errors: suggests(
      "addToRegistration",
      program([
        'var admin = app.MapGroup("/admin");',
        'admin.MapDelete("/cache", () => Results.NoContent()).WithTags("admin").RequireAuthorization();',
      ]),
    ),
  },
];

for (const version of ESLINT_VERSIONS) {
  const tester = version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown };
  tester.describe = describe;
  tester.it = it;
  tester.itOnly = it.only;

  describe(`require-route-auth suggestions, TypeScript (${version.label})`, () => {
    const ts = new version.RuleTester({ plugins: { "api-posture": plugin }, languageOptions: { parser } });
    ts.run("require-route-auth", rule, {
      valid: tsCases.valid,
      invalid: [...tsCases.invalid, ...fastifyCases, ...nestCases].map((c) => ({ filename: "src/orders.ts", ...c })),
    });
  });

  describe(`require-route-auth suggestions, C# (${version.label})`, () => {
    const cs = new version.RuleTester({ plugins: { "api-posture": plugin }, language: "api-posture/csharp" });
    cs.run("require-route-auth", rule, {
      valid: csCases.valid,
      invalid: [
        ...csCases.invalid.map((c) => ({ filename: "Controllers/OrdersController.cs", ...c })),
        razorCase,
        ...minimalCases.map((c) => ({ filename: "Program.cs", ...c })),
      ],
    });
  });
}
