/**
 * AP107 details: messages and positions through RuleTester in both languages (ESLint 9 and
 * 10), the audit events the adapters record (kinds, names, the caller among the arguments,
 * calls followed in the same file, a function's events in its own terms for other files),
 * the project's audit mechanisms, and the core helpers the linker uses.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseForESLint } from "@typescript-eslint/parser";
import plugin from "../lib/index.js";
import { parser } from "../lib/parser.js";
import type { AuditEvent, Endpoint } from "../lib/core/model.js";
import { auditsThrough, carriesCaller, isAuditCall, registeredMechanisms } from "../lib/core/facts/audit.js";
import { resolveSettings } from "../lib/core/settings.js";
import { collectFacts } from "../lib/adapters/ts/facts.js";
import { DATA_CALL_NAMES } from "../lib/adapters/ts/concerns/data-layer.js";
import { AUDIT_NODE_TYPES, auditEvents, auditEventsWithin } from "../lib/adapters/ts/concerns/audit-events.js";
import { isFunction, type FunctionNode } from "../lib/adapters/ts/ast.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { csharpModel, tsModel } from "./helpers/model.js";

const rule = plugin.rules["require-audit-log"];
const SUFFIX = "SOC 2 CC7.2, CC7.3.";
const REMEDY =
  "record the change with the caller's identity: log it with the user's id, call your audit service, or audit the data layer with an interceptor (name your own audit helpers in settings auditLoggers).";
const message = (text: string) => `AP107 ${text} ${SUFFIX} Fix: ${REMEDY}`;

const routes = (body: string) => `import express from "express";
import { PrismaClient } from "@prisma/client";
import pino from "pino";
import { requireAuth } from "./auth";
const prisma = new PrismaClient();
const logger = pino();
const router = express.Router();
router.use(requireAuth);
${body}
export default router;
`;

const controller = (members: string, attributes = "[Authorize]") => `using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

[ApiController]
${attributes}
[Route("api/orders")]
public class OrdersController(ShopDbContext db, ILogger<OrdersController> logger) : ControllerBase
{
${members}
}
`;

const tsCases = {
  valid: [
    // A read, and a state-changing route that writes nothing.
    {
      code: routes(
        'router.get("/orders/:id", async (req, res) => res.json(await prisma.order.findFirst({ where: { id: req.params.id, userId: req.user.id } })));',
      ),
    },
    { code: routes('router.post("/orders/preview", (req, res) => res.json(price(req.body)));') },
    // The log line carries the caller, in several shapes.
    {
      code: routes(
        'router.post("/orders", async (req, res) => {\n  await prisma.order.create({ data: { userId: req.user.id } });\n  logger.info(`order placed by ${req.user.email}`);\n  res.sendStatus(201);\n});',
      ),
    },
    {
      code: routes(
        'router.post("/orders", async (req, res) => {\n  const { user } = req;\n  await prisma.order.create({ data: { userId: user.id } });\n  req.log.info({ actor: user.id }, "order placed");\n  res.sendStatus(201);\n});',
      ),
    },
    // An audit service, by its name or by the settings.
    {
      code: routes(
        'router.delete("/orders/:id", async (req, res) => {\n  await prisma.order.deleteMany({ where: { id: req.params.id, userId: req.user.id } });\n  await auditLog.write("order.deleted", req.params.id);\n  res.sendStatus(204);\n});',
      ),
    },
    {
      code: routes(
        'router.delete("/orders/:id", async (req, res) => {\n  await prisma.order.deleteMany({ where: { id: req.params.id, userId: req.user.id } });\n  await journal.note("order.deleted", req.params.id);\n  res.sendStatus(204);\n});',
      ),
      settings: { "api-posture": { auditLoggers: ["journal"] } },
    },
    // Public: nothing protects it (AP101's), and a sign-out's writes are session bookkeeping.
    {
      code: routes(
        'export const open = express.Router();\nopen.post("/feedback", async (req, res) => {\n  await prisma.feedback.create({ data: req.body });\n  res.sendStatus(201);\n});',
      ),
    },
    {
      code: routes(
        'router.post("/auth/logout", async (req, res) => {\n  await prisma.session.deleteMany({ where: { userId: req.user.id } });\n  res.sendStatus(204);\n});',
      ),
    },
    // Test code.
    {
      code: routes(
        'router.post("/orders", async (req, res) => {\n  await prisma.order.create({ data: { userId: req.user.id } });\n});',
      ),
      filename: "routes/orders.test.ts",
    },
  ],
  invalid: [
    {
      code: routes(
        'router.post("/orders", async (req, res) => {\n  await prisma.order.create({ data: { userId: req.user.id } });\n  res.sendStatus(201);\n});',
      ),
      errors: [
        {
          message: message(
            "POST /orders writes Order (prisma.order.create(…)) and records no audit event with the caller's identity.",
          ),
          line: 9,
          column: 8,
          endLine: 9,
        },
      ],
    },
    {
      code: routes(
        'router.delete("/orders/:id", async (req, res) => {\n  await prisma.order.deleteMany({ where: { id: req.params.id, userId: req.user.id } });\n  logger.info({ orderId: req.params.id }, "order deleted");\n  res.sendStatus(204);\n});',
      ),
      errors: [
        {
          message: message(
            "DELETE /orders/:id deletes Order (prisma.order.deleteMany(…)) and records no audit event with the caller's identity; `logger.info` on line 11 logs no value that is the caller's.",
          ),
        },
      ],
    },
    {
      // The client's id is not the caller's.
      code: routes(
        'router.put("/orders/:id", async (req, res) => {\n  await prisma.order.updateMany({ where: { id: req.params.id, userId: req.user.id }, data: req.body });\n  logger.info({ by: req.body.userId }, "order changed");\n  res.sendStatus(204);\n});',
      ),
      errors: [{ messageId: "noAuditEvent" }],
    },
    {
      code: routes(
        'router.post("/orders", async (req, res) => {\n  await prisma.order.create({ data: { userId: req.user.id } });\n});',
      ),
      filename: "routes/orders.test.ts",
      options: [{ includeTestFiles: true }],
      errors: [{ messageId: "noAuditEvent" }],
    },
  ],
};

const csCases = {
  valid: [
    {
      code: controller(`    [HttpPost]
    public async Task<IActionResult> Create(OrderInput input)
    {
        db.Orders.Add(new Order { Sku = input.Sku, CustomerId = User.FindFirstValue(ClaimTypes.NameIdentifier) });
        await db.SaveChangesAsync();
        logger.LogInformation("{User} placed an order", User.Identity!.Name);
        return Accepted();
    }`),
    },
    {
      // An explicit anonymous opt-out: no caller to record.
      code: controller(`    [HttpPost]
    [AllowAnonymous]
    public async Task<IActionResult> Create(OrderInput input)
    {
        db.Orders.Add(new Order { Sku = input.Sku });
        await db.SaveChangesAsync();
        return Accepted();
    }`),
    },
  ],
  invalid: [
    {
      code: controller(`    [HttpPost]
    public async Task<IActionResult> Create(OrderInput input)
    {
        db.Orders.Add(new Order { Sku = input.Sku, CustomerId = User.FindFirstValue(ClaimTypes.NameIdentifier) });
        await db.SaveChangesAsync();
        logger.LogInformation("Order placed for {Sku}", input.Sku);
        return Accepted();
    }`),
      errors: [
        {
          message: message(
            "POST /api/orders (OrdersController.Create) writes through the data layer (db.Orders.Add(…)) and records no audit event with the caller's identity; `logger.LogInformation` on line 16 logs no value that is the caller's.",
          ),
          line: 12,
          column: 38,
        },
      ],
    },
  ],
};

for (const version of ESLINT_VERSIONS) {
  const tester = version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown };
  tester.describe = describe;
  tester.it = it;
  tester.itOnly = it.only;

  describe(`require-audit-log, TypeScript (${version.label})`, () => {
    new version.RuleTester({ plugins: { "api-posture": plugin }, languageOptions: { parser } }).run(
      "require-audit-log",
      rule,
      {
        valid: tsCases.valid.map((c) => ({ filename: "routes/orders.ts", ...c })),
        invalid: tsCases.invalid.map((c) => ({ filename: "routes/orders.ts", ...c })),
      },
    );
  });

  describe(`require-audit-log, C# (${version.label})`, () => {
    new version.RuleTester({ plugins: { "api-posture": plugin }, language: "api-posture/csharp" }).run(
      "require-audit-log",
      rule,
      {
        valid: csCases.valid.map((c) => ({ filename: "Controllers/OrdersController.cs", ...c })),
        invalid: csCases.invalid.map((c) => ({ filename: "Controllers/OrdersController.cs", ...c })),
      },
    );
  });
}

/** `kind name line` and the actors' origins, per endpoint. */
function eventsOf(endpoints: readonly Endpoint[]): string[][] {
  return endpoints.map((e) =>
    (e.auditEvents ?? []).map(
      (a) =>
        `${a.kind} ${a.name} ${a.loc.start.line}${a.actors ? ` [${a.actors.map((o) => ("via" in o ? `${o.kind}:${o.via}` : o.kind === "parameter" ? `parameter:${o.index}.${o.path.join(".")}` : o.kind)).join(", ")}]` : ""}${a.through ? ` via ${a.through.map((s) => s.function).join(" → ")}` : ""}${a.entities ? ` {${a.entities.join(", ")}}` : ""}`,
    ),
  );
}

describe("the audit events of TS handlers", () => {
  it("reads loggers, audit services, events and child loggers, with the caller among their arguments", () => {
    const model = tsModel(
      routes(`router.post("/a", async (req, res) => {
  logger.info({ userId: req.user.id }, "a");
  console.log(req.user.id);
  logger.debug(req.user.id);
  logger.error(req.user.id);
  audit.record("a");
  auditService.findAll();
  events.emit("a.done", { by: req.user.id });
  socket.emit("a.done", { by: req.user.id });
  logger.child({ actor: req.user.email }).info("child");
});
router.get("/b", async (req, res) => { logger.info(req.user.id); });`),
    );
    assert.deepEqual(eventsOf(model.endpoints), [
      [
        "logger logger.info 10 [principal:req.user.id]",
        "audit-service audit.record 14",
        "domain-event events.emit 16 [principal:req.user.id]",
        "logger logger.child(…).info 18 [principal:req.user.email]",
      ],
      // A GET changes nothing: its events are not read.
      [],
    ]);
  });

  it("follows same-file helpers with the caller's arguments in place of their parameters", () => {
    const model = tsModel(
      routes(`function note(actor, what) { logger.info({ actor, what }, "changed"); }
router.post("/a", async (req, res) => { note(req.user.id, "a"); });
router.post("/b", async (req, res) => { note(req.body.userId, "b"); });`),
    );
    assert.deepEqual(eventsOf(model.endpoints), [
      ["logger logger.info 9 [principal:req.user.id] via note"],
      ["logger logger.info 9 via note"],
    ]);
  });

  it("describes a function in its own terms for other files: its parameters stay parameters", () => {
    const code = `import { Injectable, Logger } from "@nestjs/common";
@Injectable()
export class InvoicesService {
  private readonly logger = new Logger("invoices");
  async remove(id: string, user: { id: string }) {
    this.logger.log(\`invoice \${id} removed by \${user.id}\`);
    this.audit.record("invoice.removed", id);
  }
}`;
    const { ast, visitorKeys } = parseForESLint(code, { range: true, loc: true, sourceType: "module" });
    const facts = collectFacts(
      { ast, text: code, visitorKeys },
      {
        memberCallNames: new Set(),
        dataCallNames: DATA_CALL_NAMES,
        isDenySignal: () => false,
        nodeTypes: new Set(AUDIT_NODE_TYPES),
      },
    );
    const remove = [...(facts.collected.get("CallExpression") ?? [])]
      .map((c) => c.scope)
      .find(isFunction) as FunctionNode;
    const events = auditEventsWithin(facts, remove, resolveSettings(undefined));
    assert.deepEqual(
      events.map((e) => [e.kind, e.name, e.actors]),
      [
        [
          "logger",
          "this.logger.log",
          [
            { kind: "parameter", index: 1, path: ["id"] },
            { kind: "parameter", index: 0, path: [] },
          ],
        ],
        ["audit-service", "this.audit.record", [{ kind: "parameter", index: 0, path: [] }]],
      ],
    );
    // The pass is shared by the libraries of one file.
    assert.equal(auditEvents(facts, resolveSettings(undefined)), auditEvents(facts, resolveSettings(undefined)));
  });

  it("counts route middleware and decorators named for audit", () => {
    const model = tsModel(routes('router.delete("/a/:id", auditTrail("a.delete"), removeA);'));
    assert.deepEqual(eventsOf(model.endpoints), [["audit-service auditTrail 9"]]);
  });
});

describe("the audit mechanisms of a TS file", () => {
  it("applies a Mongoose history plugin to the models of its schema, and mongoose.plugin to all", () => {
    const model = tsModel(`import express from "express";
import mongoose from "mongoose";
import history from "mongoose-history";
import { requireAuth } from "./auth";
const ticketSchema = new mongoose.Schema({ title: String });
ticketSchema.plugin(history);
const Ticket = mongoose.model("Ticket", ticketSchema);
const router = express.Router();
router.post("/tickets", requireAuth, async (req, res) => { await Ticket.create({ title: req.body.title }); });
export default router;
`);
    assert.deepEqual(eventsOf(model.endpoints), [["data-layer ticketSchema.plugin(history) 6 {Ticket}"]]);
  });

  it("does not count a Prisma extension that records nothing", () => {
    const model = tsModel(`import express from "express";
import { PrismaClient } from "@prisma/client";
import { requireAuth } from "./auth";
const prisma = new PrismaClient().$extends({ query: { $allModels: { async $allOperations({ args, query }) { return query(args); } } } });
const router = express.Router();
router.post("/tickets", requireAuth, async (req, res) => { await prisma.ticket.create({ data: req.body }); });
export default router;
`);
    assert.deepEqual(eventsOf(model.endpoints), [[]]);
  });
});

describe("the audit events of C# handlers", () => {
  it("reads ILogger, Serilog, [LoggerMessage] methods, audit services and domain events with the caller", () => {
    const model = csharpModel(
      controller(`    [HttpPost]
    public async Task<IActionResult> Create(OrderInput input)
    {
        var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
        logger.LogInformation("{UserId} placed an order", userId);
        logger.LogDebug("{UserId} debug", userId);
        logger.Log(LogLevel.Trace, "{UserId} trace", userId);
        logger.OrderPlaced(input.Sku, userId);
        Log.ForContext("UserId", userId).Information("placed");
        await _auditService.LogAsync("order.placed");
        await _auditService.GetEntriesAsync();
        order.AddDomainEvent(new OrderPlaced(input.Sku, userId));
        await _mediator.Publish(new OrderPlaced(input.Sku, "system"));
        return Accepted();
    }`),
    );
    assert.deepEqual(eventsOf(model.endpoints), [
      [
        "logger logger.LogInformation 15 [principal:User.FindFirstValue(ClaimTypes.NameIdentifier)]",
        "logger logger.OrderPlaced 18 [principal:User.FindFirstValue(ClaimTypes.NameIdentifier)]",
        "logger Log.Information 19 [principal:User.FindFirstValue(ClaimTypes.NameIdentifier)]",
        "audit-service _auditService.LogAsync 20",
        "domain-event order.AddDomainEvent 22 [principal:User.FindFirstValue(ClaimTypes.NameIdentifier)]",
        "domain-event _mediator.Publish 23",
      ],
    ]);
  });

  it("follows a method of the class with the caller's argument in place of its parameter", () => {
    const model = csharpModel(
      controller(`    [HttpDelete("{id}")]
    public async Task<IActionResult> Delete(int id)
    {
        await Remove(id, User.Identity!.Name!);
        return NoContent();
    }

    private async Task Remove(int id, string actor)
    {
        await db.Orders.Where(o => o.Id == id).ExecuteDeleteAsync();
        logger.LogInformation("{Actor} removed {Id}", actor, id);
    }`),
    );
    assert.deepEqual(eventsOf(model.endpoints), [
      ["logger logger.LogInformation 21 [principal:User.Identity!.Name] via OrdersController.Remove"],
    ]);
  });

  it("applies an interceptor of the file only once it is registered", () => {
    const program = (registration: string) => `using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDbContext<ShopDb>(o => o.UseSqlite("Data Source=shop.db")${registration});
var app = builder.Build();
app.MapPost("/orders", async (Order order, ShopDb db) => { db.Orders.Add(order); await db.SaveChangesAsync(); }).RequireAuthorization();
app.Run();
public sealed class AuditInterceptor : SaveChangesInterceptor { }
`;
    assert.deepEqual(
      eventsOf(csharpModel(program(".AddInterceptors(new AuditInterceptor())"), {}, "Program.cs").endpoints),
      [["data-layer AuditInterceptor 8"]],
    );
    assert.deepEqual(eventsOf(csharpModel(program(""), {}, "Program.cs").endpoints), [[]]);
  });
});

describe("the core audit helpers", () => {
  const names = resolveSettings({ "api-posture": { auditLoggers: ["journal", "ChangeJournal.Write"] } }).auditLoggers;
  const none = resolveSettings(undefined).auditLoggers;

  it("names audit calls by the receiver, the method and the settings, reads aside", () => {
    assert.equal(isAuditCall(["this", "auditService", "record"], none), true);
    assert.equal(isAuditCall(["recordAudit"], none), true);
    assert.equal(isAuditCall(["getAuditEntries"], none), false);
    assert.equal(isAuditCall(["_activityLog", "Add"], none), true);
    assert.equal(isAuditCall(["auditService", "findAll"], none), false);
    assert.equal(isAuditCall(["_audit", "GetEntriesAsync"], none), false);
    assert.equal(isAuditCall(["history", "push"], none), false);
    assert.equal(isAuditCall(["this", "activityTracker", "track"], none), true);
    assert.equal(isAuditCall(["this", "journal", "note"], names), true);
    assert.equal(isAuditCall(["_history", "ChangeJournal", "Write"], names), true);
    assert.equal(isAuditCall(["this", "journal", "note"], none), false);
    assert.equal(isAuditCall(["ChangeJournal", "Read"], names), false);
  });

  it("puts the caller's origins in place of a callee's parameters, for the linker", () => {
    const event: AuditEvent = {
      kind: "logger",
      name: "this.logger.log",
      loc: { start: { line: 6, column: 4 }, end: { line: 6, column: 40 } },
      actors: [{ kind: "parameter", index: 1, path: ["id"] }],
    };
    const step = {
      function: "InvoicesService.remove",
      loc: { start: { line: 20, column: 4 }, end: { line: 20, column: 30 } },
    };
    const [fromCaller] = auditsThrough(
      [event],
      () => ({ kind: "principal", via: "user.id" }),
      step,
      "/p/invoices.service.ts",
    );
    assert.deepEqual(fromCaller.actors, [{ kind: "principal", via: "user.id" }]);
    assert.equal(fromCaller.file, "/p/invoices.service.ts");
    assert.deepEqual(fromCaller.through, [step]);
    assert.equal(carriesCaller(fromCaller), true);
    const [fromClient] = auditsThrough([event], () => ({ kind: "client", via: "req.body.userId" }), step, "/p/s.ts");
    assert.deepEqual(fromClient.actors, []);
    assert.equal(carriesCaller(fromClient), false);
  });

  it("keeps mechanisms that need a registration only when one names them", () => {
    const loc = { start: { line: 1, column: 0 }, end: { line: 1, column: 0 } };
    const mechanisms = [
      { name: "AuditInterceptor", loc, registeredAs: "AuditInterceptor" },
      { name: "Audit.NET", loc },
    ];
    assert.deepEqual(
      registeredMechanisms(mechanisms, new Set()).map((m) => m.name),
      ["Audit.NET"],
    );
    assert.equal(registeredMechanisms(mechanisms, new Set(["AuditInterceptor"])).length, 2);
    assert.equal(registeredMechanisms(mechanisms, new Set(["*"])).length, 2);
  });
});
