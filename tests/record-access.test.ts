/**
 * What the TS/JS adapter tells AP103 about each data operation of a handler: the entity,
 * the conditions that pick its records with where each value comes from, the ownership
 * checks that cover it, and the same-file calls that lead to it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseForESLint } from "@typescript-eslint/parser";
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { DataOperation, ValueOrigin } from "../lib/core/model.js";
import { resolveSettings, type ApiPostureSettings } from "../lib/core/settings.js";
import { collectFacts } from "../lib/adapters/ts/facts.js";
import { DATA_CALL_NAMES, DataLayer } from "../lib/adapters/ts/concerns/data-layer.js";
import { RECORD_ACCESS_NODE_TYPES } from "../lib/adapters/ts/concerns/record-access.js";
import { Handlers } from "../lib/adapters/ts/handlers.js";
import { tsModel } from "./helpers/model.js";

function origin(o: ValueOrigin): string {
  switch (o.kind) {
    case "client":
    case "principal":
      return `${o.kind}:${o.via}`;
    case "parameter":
      return `parameter:${o.index}${o.path.map((p) => `.${p}`).join("")}`;
    case "other":
      return "other";
  }
}

/** `delete invoice {id=client:req.params.id, userId=principal:req.user.id}`, `+ checked by …`, `in …`. */
function render(op: DataOperation): string {
  let text = `${op.kind} ${op.entity ?? "?"}`;
  if (op.selection) {
    const conditions = op.selection.conditions.map((c) => `${c.field}=${origin(c.origin)}`).join(", ");
    text += ` {${conditions}}${op.selection.complete ? "" : " incomplete"}`;
  }
  if (op.ownership?.length) text += ` checked by ${op.ownership.map((o) => `${o.kind}(${o.name})`).join(" & ")}`;
  if (op.through?.length) text += ` in ${op.through.map((s) => s.function).join(" > ")}`;
  return text;
}

/** The data operations of every endpoint of a file, one line each. */
function operations(code: string, filename = "routes.ts", settings: ApiPostureSettings = {}): string[] {
  return tsModel(code, settings, filename).endpoints.flatMap((e) => e.dataOperations.map(render));
}

const EXPRESS = `import express from "express";
import { prisma } from "./prisma";
import { requireAuth } from "./auth";
const router = express.Router();
router.use(requireAuth);
`;

function express(body: string): string[] {
  return operations(`${EXPRESS}router.post("/invoices/:id", async (req, res) => {\n${body}\n});\n`);
}

describe("selections", () => {
  it("reads Prisma where objects: owner relations, compound keys, combinators, equality operators", () => {
    assert.deepEqual(
      express(`
        await prisma.invoice.findUnique({ where: { id: req.params.id } });
        await prisma.invoice.findFirst({ where: { id: req.params.id, owner: { id: req.user.id } } });
        await prisma.membership.findUnique({ where: { userId_orgId: { userId: req.user.id, orgId: req.params.id } } });
        await prisma.invoice.updateMany({ where: { AND: [{ id: { equals: req.params.id } }, { status: { not: "void" } }] }, data: {} });
        await prisma.invoice.deleteMany({ where: { id: { in: req.body.ids }, project: { members: { some: { userId: req.user.id } } } } });
        await prisma.invoice.create({ data: req.body });
        await prisma.invoice.findMany({ orderBy: { id: "asc" } });`),
      [
        "read invoice {id=client:req.params.id}",
        "read invoice {id=client:req.params.id, owner=principal:req.user.id}",
        "read membership {userId=principal:req.user.id, orgId=client:req.params.id}",
        "write invoice {id=client:req.params.id}",
        "delete invoice {id=client:req.body.ids, project.members.userId=principal:req.user.id}",
        "write invoice",
        "read invoice {}",
      ],
    );
  });

  it("marks what it cannot read: a spread, a where built elsewhere, a computed key", () => {
    assert.deepEqual(
      express(`
        const filter = buildFilter(req.query);
        await prisma.invoice.findMany({ where: { ...filter, id: req.params.id } });
        await prisma.invoice.findMany({ where: filter });
        await prisma.invoice.findMany({ where: { [key]: req.params.id } });
        const where = { id: req.params.id, customerId: req.user.id };
        await prisma.invoice.findFirst({ where });`),
      [
        "read invoice {id=client:req.params.id} incomplete",
        "read invoice {} incomplete",
        "read invoice {} incomplete",
        "read invoice {id=client:req.params.id, customerId=principal:req.user.id}",
      ],
    );
  });

  it("reads TypeORM repositories, entity managers and query builders", () => {
    assert.deepEqual(
      operations(`${EXPRESS}
import { AppDataSource } from "./data-source";
import { Invoice } from "./invoice.entity";
const invoices = AppDataSource.getRepository(Invoice);
router.delete("/invoices/:id", async (req, res) => {
  const invoice = await invoices.findOneBy({ id: req.params.id });
  await invoices.remove(invoice);
  await invoices.update(req.params.id, { seen: true });
  await invoices.delete({ id: req.params.id, ownerId: req.user.id });
  await AppDataSource.manager.findOne(Invoice, { where: { id: req.params.id }, relations: { lines: true } });
  await invoices.find({ relations: { lines: true } });
  await invoices
    .createQueryBuilder("invoice")
    .where("invoice.id = :id AND invoice.status = :status", { id: req.params.id, status: "open" })
    .andWhere("invoice.ownerId = :owner")
    .setParameter("owner", req.user.id)
    .getOne();
});
`),
      [
        "read Invoice {id=client:req.params.id}",
        "delete Invoice {id=client:req.params.id}",
        "write Invoice {(key)=client:req.params.id}",
        "delete Invoice {id=client:req.params.id, ownerId=principal:req.user.id}",
        "read Invoice {id=client:req.params.id}",
        "read Invoice {}",
        "read Invoice {id=client:req.params.id, status=other, ownerId=principal:req.user.id}",
      ],
    );
  });

  it("reads Sequelize options, Mongoose filters and the instances they load", () => {
    assert.deepEqual(
      operations(`${EXPRESS}
import { Order } from "./models";
import Note from "./note.model";
router.delete("/orders/:id", async (req, res) => {
  const order = await Order.findByPk(req.params.id);
  await order.destroy();
  await Order.update({ status: "x" }, { where: { id: req.params.id, userId: req.user.id } });
  await Order.destroy({ where: { id: req.params.id } });
  await Note.findOne({ $or: [{ _id: req.params.id }, { slug: req.params.id }], owner: req.user._id });
  await Note.findByIdAndDelete(req.params.id);
  const note = await Note.findById(req.params.id).populate("tags");
  await note.save();
});
`),
      [
        "read Order {(key)=client:req.params.id}",
        "delete Order {(key)=client:req.params.id}",
        "write Order {id=client:req.params.id, userId=principal:req.user.id}",
        "delete Order {id=client:req.params.id}",
        "read Note {_id=client:req.params.id, slug=client:req.params.id, owner=principal:req.user._id}",
        "delete Note {(key)=client:req.params.id}",
        "read Note {(key)=client:req.params.id}",
        "write Note {(key)=client:req.params.id}",
      ],
    );
  });

  it("reads Drizzle and knex chains from the call outwards", () => {
    assert.deepEqual(
      operations(`${EXPRESS}
import { and, eq } from "drizzle-orm";
import { db } from "./db";
import { knex } from "./knex";
import { invoices } from "./schema";
router.put("/invoices/:id", async (req, res) => {
  await db.update(invoices).set({ seen: true }).where(and(eq(invoices.id, req.params.id), eq(invoices.userId, req.user.id)));
  await db.select().from(invoices).where(eq(invoices.id, req.params.id));
  await db.query.invoices.findFirst({ where: (t, { eq }) => eq(t.id, req.params.id) });
  await knex("invoices").where("id", req.params.id).andWhere("owner_id", "=", req.user.id).del();
  await knex("invoices").where({ id: req.params.id }).first();
  await knex("invoices").whereRaw("id = ?", [req.params.id]).update({ seen: true });
});
`),
      [
        "write invoices {id=client:req.params.id, userId=principal:req.user.id}",
        "read invoices {id=client:req.params.id}",
        "read invoices {id=client:req.params.id}",
        "delete invoices {id=client:req.params.id, owner_id=principal:req.user.id}",
        "read invoices {id=client:req.params.id}",
        "write invoices {} incomplete",
      ],
    );
  });
});

describe("origins", () => {
  it("follows values through destructuring, renaming, casts, await, parsing and iteration", () => {
    assert.deepEqual(
      express(`
        const { id: invoiceId } = req.params;
        const page = parseInt(req.query.page as string, 10);
        const input = schema.parse(req.body);
        const { data } = schema.safeParse(req.body);
        await prisma.invoice.findUnique({ where: { id: Number(invoiceId) } });
        await prisma.invoice.findFirst({ where: { id: String(input.invoiceId), page } });
        await prisma.invoice.findFirst({ where: { id: data.id, customerId: \`\${req.user.id}\` } });
        for (const id of req.body.ids) await prisma.invoice.delete({ where: { id } });
        await Promise.all(req.body.ids.map((id: string) => prisma.invoice.delete({ where: { id } })));`),
      [
        "read invoice {id=client:req.params.id}",
        "read invoice {id=client:req.body.invoiceId, page=client:req.query.page}",
        "read invoice {id=client:req.body.id, customerId=principal:req.user.id}",
        "delete invoice {id=client:req.body.ids}",
        "delete invoice {id=client:req.body.ids}",
      ],
    );
  });

  it("knows each framework's request: Koa, Fastify, Hono", () => {
    assert.deepEqual(
      operations(`import Router from "@koa/router";
import jwt from "koa-jwt";
import { prisma } from "./prisma";
const router = new Router();
router.use(jwt({ secret: process.env.SECRET }));
router.post("/a/:id", async (ctx) => {
  await prisma.a.update({ where: { id: ctx.params.id, userId: ctx.state.user.id }, data: ctx.request.body });
  await prisma.a.delete({ where: { id: ctx.request.body.id } });
});
`),
      [
        "write a {id=client:ctx.params.id, userId=principal:ctx.state.user.id}",
        "delete a {id=client:ctx.request.body.id}",
      ],
    );
    assert.deepEqual(
      operations(`import Fastify from "fastify";
import { prisma } from "./prisma";
const app = Fastify();
app.addHook("onRequest", app.authenticate);
app.delete("/a/:id", async (request) => {
  const userId = await request.getCurrentUserId();
  await prisma.a.delete({ where: { id: (request.params as { id: string }).id, userId } });
});
`),
      ["delete a {id=client:request.params.id, userId=principal:request.getCurrentUserId()}"],
    );
    assert.deepEqual(
      operations(`import { Hono } from "hono";
import { jwt } from "hono/jwt";
import { prisma } from "./prisma";
const app = new Hono();
app.use("*", jwt({ secret: "s" }));
app.put("/a/:id", async (c) => {
  const body = await c.req.json();
  const { title } = c.req.valid("json");
  await prisma.a.update({ where: { id: c.req.param("id"), ownerId: c.get("jwtPayload").sub }, data: { title } });
  await prisma.a.update({ where: { id: body.id, title } });
});
`),
      [
        'write a {id=client:c.req.param("id"), ownerId=principal:c.get("jwtPayload").sub}',
        'write a {id=client:c.req.json().id, title=client:c.req.valid("json").title}',
      ],
    );
  });

  it("reads NestJS parameter decorators, a @Body DTO's properties, @Req() and an injected context", () => {
    assert.deepEqual(
      operations(`import { Body, Controller, Param, Post, Req, UseGuards } from "@nestjs/common";
import { AuthGuard } from "@nestjs/passport";
import { ClsService } from "nestjs-cls";
import { PrismaService } from "./prisma.service";
import { AuthUser } from "./auth-user.decorator";
@Controller("invoices")
@UseGuards(AuthGuard("jwt"))
export class InvoicesController {
  constructor(private readonly prisma: PrismaService, private readonly cls: ClsService) {}
  @Post(":id")
  async pay(@Param("id") id: string, @Body() dto: PayDto, @AuthUser() user: User, @Req() req: Request) {
    await this.prisma.invoice.update({ where: { id, payerId: user.id }, data: {} });
    await this.prisma.payment.delete({ where: { id: dto.paymentId, tenantId: this.cls.get("tenantId") } });
    await this.prisma.invoice.findFirst({ where: { id: req.params.id, userId: req.user.id } });
  }
}
`),
      [
        'write invoice {id=client:@Param("id") id, payerId=principal:@AuthUser() user.id}',
        'delete payment {id=client:@Body() dto.paymentId, tenantId=principal:this.cls.get("tenantId")}',
        "read invoice {id=client:req.params.id, userId=principal:req.user.id}",
      ],
    );
  });

  it("reads Next.js route params, request bodies and search params, sessions, server actions and next-safe-action", () => {
    assert.deepEqual(
      operations(
        `import { NextResponse } from "next/server";
import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
export async function PATCH(request: Request, context: { params: Promise<{ id: string }> }) {
  const session = await auth();
  if (!session) return NextResponse.json({}, { status: 401 });
  const { name } = await request.json();
  await prisma.item.update({ where: { id: (await context.params).id, ownerId: session.user.id }, data: { name } });
  await prisma.item.findMany({ where: { listId: new URL(request.url).searchParams.get("list") } });
  return NextResponse.json({});
}
`,
        "app/api/items/[id]/route.ts",
      ),
      [
        "write item {id=client:context.params.id, ownerId=principal:session.user.id}",
        'read item {listId=client:request.url.searchParams.get("list")}',
      ],
    );
    assert.deepEqual(
      operations(
        `"use server";
import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";
import { authActionClient } from "@/lib/safe-action";
export async function archive(itemId: string) {
  const session = await auth();
  if (!session) throw new Error("Unauthorized");
  await prisma.item.update({ where: { id: itemId }, data: { archived: true } });
}
export const rename = authActionClient.action(async ({ parsedInput: { id, name }, ctx }) => {
  await prisma.item.update({ where: { id, ownerId: ctx.userId }, data: { name } });
});
`,
        "app/items/actions.ts",
      ),
      ["write item {id=client:itemId}", "write item {id=client:parsedInput.id, ownerId=principal:ctx.userId}"],
    );
  });
});

describe("ownership checks", () => {
  it("a comparison that denies covers the load and later operations by the same id, not earlier ones", () => {
    assert.deepEqual(
      express(`
        await prisma.audit.deleteMany({ where: { invoiceId: req.params.id } });
        const invoice = await prisma.invoice.findUnique({ where: { id: req.params.id } });
        if (!invoice || invoice.customerId !== req.user.id) return res.sendStatus(404);
        await prisma.invoice.update({ where: { id: req.params.id }, data: {} });
        await prisma.payment.deleteMany({ where: { id: req.body.paymentId } });`),
      [
        "delete audit {invoiceId=client:req.params.id}",
        "read invoice {id=client:req.params.id} checked by compared(invoice.customerId !== req.user.id)",
        "write invoice {id=client:req.params.id} checked by compared(invoice.customerId !== req.user.id)",
        "delete payment {id=client:req.body.paymentId}",
      ],
    );
  });

  it("a comparison with a value the client sent, or one that does not deny, is no check", () => {
    assert.deepEqual(
      express(`
        const invoice = await prisma.invoice.findUnique({ where: { id: req.params.id } });
        if (invoice.customerId !== req.body.customerId) return res.sendStatus(403);
        if (invoice.customerId !== req.user.id) console.warn("foreign invoice");`),
      ["read invoice {id=client:req.params.id}"],
    );
  });

  it("a scoped load that denies when nothing is found covers later operations by the same id", () => {
    assert.deepEqual(
      express(`
        const project = await prisma.project.findFirst({ where: { id: req.params.id, organizationId: req.user.orgId } });
        if (!project) throw new NotFoundError();
        await prisma.project.delete({ where: { id: req.params.id } });
        const other = await prisma.project.findFirst({ where: { id: req.body.otherId } });
        if (!other) throw new NotFoundError();
        await prisma.project.delete({ where: { id: req.body.otherId } });`),
      [
        "read project {id=client:req.params.id, organizationId=principal:req.user.orgId} checked by compared(!project)",
        "delete project {id=client:req.params.id} checked by compared(!project)",
        "read project {id=client:req.body.otherId}",
        "delete project {id=client:req.body.otherId}",
      ],
    );
  });

  it("authorization calls: CASL in a denying if, throwing helpers, a block that only runs for the owner", () => {
    assert.deepEqual(
      express(`
        const invoice = await prisma.invoice.findUnique({ where: { id: req.params.id } });
        if (ability.cannot("read", invoice)) return res.sendStatus(403);
        await assertInvoiceOwner(req.user, req.body.lineInvoiceId);
        await prisma.line.deleteMany({ where: { invoiceId: req.body.lineInvoiceId } });
        const note = await prisma.note.findUnique({ where: { id: req.query.noteId } });
        if (note.authorId === req.user.id) {
          await prisma.note.delete({ where: { id: req.query.noteId } });
        }`),
      [
        "read invoice {id=client:req.params.id} checked by authorization-call(ability.cannot)",
        "delete line {invoiceId=client:req.body.lineInvoiceId} checked by authorization-call(assertInvoiceOwner)",
        "read note {id=client:req.query.noteId}",
        "delete note {id=client:req.query.noteId} checked by compared(note.authorId === req.user.id)",
      ],
    );
  });

  it("a field of the caller's own record is the caller: an invitation for the caller's email", () => {
    assert.deepEqual(
      express(`
        const invite = await prisma.invite.findUnique({ where: { id: req.params.id } });
        const user = await prisma.user.findUnique({ where: { id: req.user.id } });
        if (!invite || invite.email !== user.email) throw new BadRequestError("not allowed");
        await prisma.invite.delete({ where: { id: invite.id } });`),
      [
        "read invite {id=client:req.params.id} checked by compared(invite.email !== user.email)",
        "read user {id=principal:req.user.id}",
        "delete invite {id=client:req.params.id} checked by compared(invite.email !== user.email)",
      ],
    );
  });

  it("a lookup with the caller that denies when it finds nothing, and what it vouches for", () => {
    assert.deepEqual(
      express(`
        const { organizationId, memberId } = req.body;
        const account = await getEmailAccount({ userId: req.user.id, emailAccountId: req.query.accountId });
        if (!account) return res.sendStatus(403);
        await prisma.meeting.findFirst({ where: { id: req.params.id, emailAccountId: req.query.accountId } });
        const target = await prisma.member.findUnique({ where: { id: memberId } });
        if (!target || target.organizationId !== organizationId) throw new Error("Member not found");
        await fetchAndCheckIsAdmin({ organizationId, userId: req.user.id });
        await prisma.member.update({ where: { id: memberId }, data: { role: "admin" } });`),
      [
        "read meeting {id=client:req.params.id, emailAccountId=client:req.query.accountId} checked by compared(!account)",
        "read member {id=client:req.body.memberId} checked by compared(target.organizationId !== organizationId)",
        "write member {id=client:req.body.memberId} checked by compared(target.organizationId !== organizationId)",
      ],
    );
  });

  it("a record found or else created keeps the load; mapped values keep the client's", () => {
    assert.deepEqual(
      express(`
        const chat = (await prisma.chat.findUnique({ where: { id: req.body.id } })) || (await prisma.chat.create({ data: {} }));
        if (chat.ownerId !== req.user.id) return res.sendStatus(403);
        await prisma.item.deleteMany({ where: { id: { in: req.body.items.map((item: { id: string }) => item.id) } } });
        const pairs = req.body.items.flatMap((item: { id: string }) => { return [{ existing: lookup(item) }]; });
        await prisma.item.update({ where: { id: pairs[0].existing.id }, data: {} });`),
      [
        "read chat {id=client:req.body.id} checked by compared(chat.ownerId !== req.user.id)",
        "write chat",
        "delete item {id=client:req.body.items.id}",
        "write item {id=other}",
      ],
    );
  });

  it("helpers named in settings.ownershipChecks", () => {
    const code = `${EXPRESS}router.put("/p/:id", async (req, res) => {
  await policies.enforceChart(req.user, req.params.id);
  await prisma.chart.update({ where: { id: req.params.id }, data: {} });
});\n`;
    assert.deepEqual(operations(code), ["write chart {id=client:req.params.id}"]);
    assert.deepEqual(operations(code, "routes.ts", { ownershipChecks: ["policies.enforceChart"] }), [
      "write chart {id=client:req.params.id} checked by authorization-call(policies.enforceChart)",
    ]);
  });
});

describe("same-file calls", () => {
  it("follows local helpers and same-file services with the caller's arguments, and names the path", () => {
    assert.deepEqual(
      operations(`import { Controller, Delete, Injectable, Param, UseGuards } from "@nestjs/common";
import { AuthGuard } from "@nestjs/passport";
import { PrismaService } from "./prisma.service";
import { CurrentUser } from "./current-user.decorator";
async function purge(prisma: PrismaService, { invoiceId, ownerId }: { invoiceId: string; ownerId: string }) {
  await prisma.line.deleteMany({ where: { invoiceId, invoice: { ownerId } } });
}
@Injectable()
export class InvoicesService {
  constructor(private readonly prisma: PrismaService) {}
  async remove(id: string, userId: string) {
    await purge(this.prisma, { invoiceId: id, ownerId: userId });
    await this.prisma.invoice.delete({ where: { id } });
  }
}
@Controller("invoices")
@UseGuards(AuthGuard("jwt"))
export class InvoicesController {
  constructor(private readonly invoicesService: InvoicesService) {}
  @Delete(":id")
  remove(@Param("id") id: string, @CurrentUser() user: { id: string }) {
    return this.invoicesService.remove(id, user.id);
  }
}
`),
      [
        'delete line {invoiceId=client:@Param("id") id, invoice.ownerId=principal:@CurrentUser() user.id} in InvoicesService.remove > purge',
        'delete invoice {id=client:@Param("id") id} in InvoicesService.remove',
      ],
    );
  });

  it("summarises a function in its own terms, with parameter origins for what callers pass", () => {
    const code = `import { prisma } from "./prisma";
export async function removeInvoice(dto: { invoiceId: string }, userId: string) {
  const invoice = await prisma.invoice.findUnique({ where: { id: dto.invoiceId } });
  await prisma.invoice.delete({ where: { id: invoice.id, ownerId: userId } });
  await prisma.line.deleteMany({ where: { invoiceId: dto.invoiceId } });
}
`;
    const { ast, visitorKeys } = parseForESLint(code, { range: true, loc: true, sourceType: "module" });
    const facts = collectFacts(
      { ast, text: code, visitorKeys },
      {
        memberCallNames: new Set(),
        dataCallNames: DATA_CALL_NAMES,
        isDenySignal: () => false,
        nodeTypes: new Set(RECORD_ACCESS_NODE_TYPES),
      },
    );
    const handlers = new Handlers(facts, new DataLayer(facts), resolveSettings(undefined));
    const fn = (ast.body[1] as TSESTree.ExportNamedDeclaration).declaration as TSESTree.FunctionDeclaration;
    assert.equal(fn.type, T.FunctionDeclaration);
    assert.deepEqual(handlers.recordAccessOf(fn).map(render), [
      "read invoice {id=parameter:0.invoiceId}",
      "delete invoice {id=parameter:0.invoiceId, ownerId=parameter:1}",
      "delete line {invoiceId=parameter:0.invoiceId}",
    ]);
  });
});
