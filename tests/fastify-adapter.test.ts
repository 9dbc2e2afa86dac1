/**
 * The TS/JS adapter on Fastify code: instances and plugins, routes, the auth hooks that
 * run before each route under Fastify's encapsulation, decorators, and plugins registered
 * from other files.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ApiPostureSettings } from "../lib/core/settings.js";
import { formatRoutePath } from "../lib/core/model.js";
import { tsModel } from "./helpers/model.js";

/** `METHODS /path [protection@source, …]`, one line per endpoint. */
function routes(code: string, settings: ApiPostureSettings = {}, filename = "server.ts"): string[] {
  return tsModel(code, settings, filename).endpoints.map(
    (e) =>
      `${e.methods.join(",")} ${e.path} [${e.protections.map((p) => `${p.name}@${p.source}`).join(", ")}]` +
      (e.framework === "fastify" ? "" : ` (${e.framework})`),
  );
}

function mounts(code: string, filename = "server.ts"): string[] {
  return (tsModel(code, {}, filename).mounts ?? []).map(
    (m) =>
      `${m.module}#${m.export} ${formatRoutePath(m.prefix)} [${m.protections.map((p) => `${p.name}@${p.source}`).join(", ")}]`,
  );
}

const APP = `import Fastify from "fastify";\nconst app = Fastify({ logger: true });\n`;

describe("Fastify instances and plugins", () => {
  it("recognises Fastify(), fastify() and require('fastify')(), and withTypeProvider() views of them", () => {
    const code = `
import Fastify from "fastify";
import { fastify as createServer } from "fastify";
const a = Fastify();
const b = createServer({ logger: true });
const c = require("fastify")({ logger: true });
const typed = a.withTypeProvider<ZodTypeProvider>();
a.post("/a", async () => ({}));
b.put("/b", async () => ({}));
c.delete("/c", async () => ({}));
typed.patch("/typed", async () => ({}));
b.withTypeProvider<TypeBoxTypeProvider>().post("/chained", async () => ({}));
`;
    assert.deepEqual(routes(code), ["POST /a []", "PUT /b []", "DELETE /c []", "PATCH /typed []", "POST /chained []"]);
  });

  it("recognises plugins: a first parameter typed FastifyInstance or named fastify, or any instance name in a Fastify file", () => {
    const typed = `
import type { FastifyInstance } from "fastify";
export default async function orders(server: FastifyInstance) {
  server.post("/orders", async () => ({}));
}
`;
    assert.deepEqual(routes(typed), ["POST /orders []"]);
    const cli = `module.exports = async function (fastify, opts) {\n  fastify.post("/", async function (request, reply) { return {}; });\n};\n`;
    assert.deepEqual(routes(cli, {}, "routes/root.js"), ["POST / []"]);
    const named = `import fp from "fastify-plugin";\nexport default async function (app) {\n  app.post("/x", async () => ({}));\n}\n`;
    assert.deepEqual(routes(named), ["POST /x []"]);
  });

  it("leaves other servers alone: hapi routes, Express apps, a helper's parameter in a file without Fastify", () => {
    const hapi = `
import Hapi from "@hapi/hapi";
const server = Hapi.server({ port: 3000 });
server.route({ method: "POST", path: "/orders", handler: () => ({}) });
export function register(server) { server.route({ method: "DELETE", path: "/orders/{id}", handler: () => null }); }
`;
    assert.deepEqual(routes(hapi), []);
    const express = `import express from "express";\nconst app = express();\napp.post("/x", (req, res) => res.end());\n`;
    assert.deepEqual(routes(express), ["POST /x [] (express)"]);
    const helper = `export function setup(app) {\n  app.post("/x", async (request, reply) => reply.send({}));\n}\n`;
    assert.deepEqual(routes(helper, {}, "setup.js"), []);
  });
});

describe("Fastify routes", () => {
  it("reads the shorthand methods, all → ANY, options before the handler or holding it", () => {
    const code = `${APP}
const schema = { body: {} };
app.get("/g", async () => ({}));
app.post("/p", { schema }, async () => ({}));
app.put("/u", { schema, handler: async () => ({}) });
app.patch("/a", async () => ({}));
app.delete("/d", async () => ({}));
app.all("/any", async () => ({}));
app.head("/h", async () => ({}));
app.options("/o", async () => ({}));
app.post("/no-handler");
`;
    assert.deepEqual(
      routes(code).map((r) => r.replace(" []", "")),
      ["GET /g", "POST /p", "PUT /u", "PATCH /a", "DELETE /d", "ANY /any", "HEAD /h", "OPTIONS /o"],
    );
  });

  it("reads route() tables: one method or several, url or path, options from a constant", () => {
    const code = `${APP}
app.route({ method: "POST", url: "/orders", handler: createOrder });
app.route({ method: ["PUT", "PATCH"], url: "/orders/:id", handler: updateOrder });
app.route({ method: "delete", path: "/orders/:id", handler: async () => null });
const listRoute = { method: "GET", url: "/orders", handler: listOrders };
app.route(listRoute);
app.route({ method: "PURGE", url: "/cache", handler: purge });
app.route({ method: "POST", url: "/no-handler" });
`;
    assert.deepEqual(
      tsModel(code).endpoints.map((e) => `${e.methods.join(",")} ${e.path} ${e.handler ?? "-"}`),
      [
        "POST /orders createOrder",
        "PUT,PATCH /orders/:id updateOrder",
        "DELETE /orders/:id -",
        "GET /orders listOrders",
      ],
    );
  });

  it("locates a shorthand route on its method and path, a route() table on `route`", () => {
    const code = `${APP}app.post("/a", async () => ({}));\napp.route({\n  method: "PUT",\n  url: "/b",\n  handler: async () => ({}),\n});\n`;
    assert.deepEqual(
      tsModel(code).endpoints.map(
        (e) => `${e.loc.start.line}:${e.loc.start.column}-${e.loc.end.line}:${e.loc.end.column}`,
      ),
      ["3:4-3:13", "4:4-6:11"],
    );
  });

  it("follows the handler to its data-layer calls", () => {
    const code = `${APP}
import { prisma } from "./db";
async function createOrder(request) { return prisma.order.create({ data: request.body }); }
app.post("/orders", createOrder);
app.get("/orders/:id/cancel", async (request) => prisma.order.update({ where: { id: request.params.id }, data: { status: "cancelled" } }));
`;
    assert.deepEqual(
      tsModel(code).endpoints.map((e) => e.dataOperations.map((d) => `${d.kind} ${d.call}`)),
      [["write prisma.order.create(…)"], ["write prisma.order.update(…)"]],
    );
  });
});

describe("Fastify route hooks", () => {
  it("counts auth hooks in onRequest, preParsing, preValidation and preHandler, alone or in arrays", () => {
    const code = `${APP}
app.post("/a", { onRequest: app.authenticate }, async () => ({}));
app.post("/b", { onRequest: [app.authenticate] }, async () => ({}));
app.post("/c", { preValidation: app.auth([app.verifyJWT, app.verifyApiKey], { relation: "or" }) }, async () => ({}));
app.post("/d", { preHandler: [app.rateLimit(), app.basicAuth] }, async () => ({}));
app.post("/e", { preParsing: verifyToken }, async () => ({}));
app.route({ method: "DELETE", url: "/f", onRequest: [requireAdmin], handler: async () => null });
`;
    assert.deepEqual(routes(code), [
      "POST /a [app.authenticate@route]",
      "POST /b [app.authenticate@route]",
      "POST /c [app.auth@route]",
      "POST /d [app.basicAuth@route]",
      "POST /e [verifyToken@route]",
      "DELETE /f [requireAdmin@route]",
    ]);
  });

  it("counts inline hooks that verify the JWT, answer 401/403 or hand the request to an auth hook", () => {
    const code = `${APP}
app.post("/jwt", { onRequest: async (request) => { await request.jwtVerify(); } }, async () => ({}));
app.post("/deny", { preHandler: async (request, reply) => { if (!request.user) return reply.code(401).send(); } }, async () => ({}));
app.post("/done", { preHandler: (request, reply, done) => { if (!request.session.user) { reply.status(403).send(); return; } done(); } }, async () => ({}));
app.post("/delegate", { onRequest: async (request, reply) => app.authenticate(request, reply) }, async () => ({}));
app.post("/log", { onRequest: async (request) => { request.log.info("hit"); } }, async () => ({}));
app.post("/after", { onSend: app.authenticate, onResponse: app.authenticate }, async () => ({}));
`;
    assert.deepEqual(routes(code), [
      "POST /jwt [inline hook@route]",
      "POST /deny [inline hook@route]",
      "POST /done [inline hook@route]",
      "POST /delegate [inline hook@route]",
      "POST /log []",
      "POST /after []",
    ]);
  });

  it("knows decorators: fastify.decorate gives a name the function that verifies", () => {
    const code = `${APP}
app.decorate("gatekeeper", async function (request, reply) {
  try { await request.jwtVerify(); } catch (err) { reply.send(err); }
});
app.decorate("tenantCheck", async (request, reply) => {
  if (!request.headers["x-tenant-id"]) return reply.code(403).send({ message: "Forbidden" });
});
app.decorate("loadCart", async (request) => { request.cart = await loadCart(request); });
app.decorate("optionalAuth", async (request) => { try { await request.jwtVerify(); } catch {} });
app.post("/a", { onRequest: [app.gatekeeper] }, async () => ({}));
app.post("/b", { preHandler: app.tenantCheck }, async () => ({}));
app.post("/c", { preHandler: app.loadCart }, async () => ({}));
app.post("/d", { onRequest: app.optionalAuth }, async () => ({}));
`;
    assert.deepEqual(routes(code), [
      "POST /a [app.gatekeeper@route]",
      "POST /b [app.tenantCheck@route]",
      "POST /c []",
      "POST /d []",
    ]);
  });

  it("takes the names of settings['api-posture'].auth", () => {
    const code = `${APP}app.post("/a", { preHandler: app.gatekeeper }, async () => ({}));\n`;
    assert.deepEqual(routes(code, { auth: ["gatekeeper"] }), ["POST /a [app.gatekeeper@route]"]);
    assert.deepEqual(routes(code), ["POST /a []"]);
  });
});

describe("Fastify encapsulation", () => {
  it("applies addHook to every route of its instance, before or after it", () => {
    const code = `${APP}
app.post("/before", async () => ({}));
app.addHook("onRequest", app.authenticate);
app.post("/after", async () => ({}));
app.addHook("onResponse", app.authenticate);
app.addHook("preHandler", async (request) => { request.log.info("audit"); });
`;
    assert.deepEqual(routes(code), ["POST /before [app.authenticate@global]", "POST /after [app.authenticate@global]"]);
  });

  it("keeps a plugin's hooks inside the plugin and its children, and joins prefixes", () => {
    const code = `${APP}
async function adminRoutes(fastify) {
  fastify.addHook("preHandler", fastify.authenticate);
  fastify.delete("/users/:id", async () => null);
  fastify.register(async (reports) => {
    reports.post("/rebuild", async () => ({}));
  }, { prefix: "/reports" });
}
app.register(adminRoutes, { prefix: "/admin" });
app.post("/contact", async () => ({}));
`;
    assert.deepEqual(routes(code), [
      "DELETE /admin/users/:id [fastify.authenticate@router]",
      "POST /admin/reports/rebuild [fastify.authenticate@mount]",
      "POST /contact []",
    ]);
  });

  it("gives a plugin the parent's hooks added before it is registered, or after it without an await between", () => {
    const code = `${APP}
const v1 = { prefix: "/v1" };
app.addHook("onRequest", app.authenticate);
app.register(async (api) => { api.post("/orders", async () => ({})); }, v1);
`;
    assert.deepEqual(routes(code), ["POST /v1/orders [app.authenticate@mount]"]);
    const later = `${APP}
app.register(async (api) => { api.post("/orders", async () => ({})); }, { prefix: "/v1" });
app.addHook("onRequest", app.authenticate);
`;
    assert.deepEqual(routes(later), ["POST /v1/orders [app.authenticate@mount]"]);
    const awaited = `${APP}
await app.register(async (api) => { api.post("/orders", async () => ({})); }, { prefix: "/v1" });
app.addHook("onRequest", app.authenticate);
`;
    assert.deepEqual(routes(awaited), ["POST /v1/orders []"]);
    const awaitBetween = `${APP}
app.register(async (api) => { api.post("/orders", async () => ({})); }, { prefix: "/v1" });
await app.register(import("@fastify/jwt"), { secret: process.env.JWT_SECRET });
app.addHook("onRequest", app.authenticate);
`;
    assert.deepEqual(routes(awaitBetween), ["POST /v1/orders []"]);
    const awaitBefore = `${APP}
await app.register(import("@fastify/jwt"), { secret: process.env.JWT_SECRET });
app.register(async (api) => { api.post("/orders", async () => ({})); }, { prefix: "/v1" });
app.addHook("onRequest", app.authenticate);
`;
    assert.deepEqual(routes(awaitBefore), ["POST /v1/orders [app.authenticate@mount]"]);
  });

  it("shares the parent's instance with fastify-plugin: its hooks reach the parent's routes and the plugins registered after it", () => {
    const code = `${APP}
import fp from "fastify-plugin";
const auth = fp(async (fastify) => {
  fastify.addHook("onRequest", async (request, reply) => {
    if (!request.headers.authorization) return reply.code(401).send();
  });
});
app.register(async (early) => { early.post("/early", async () => ({})); });
app.register(auth);
app.register(async (late) => { late.post("/late", async () => ({})); });
app.post("/root", async () => ({}));
app.register(fp(async (shared) => { shared.post("/shared", async () => ({})); }), { prefix: "/ignored" });
`;
    assert.deepEqual(routes(code), [
      "POST /early []",
      "POST /late [inline hook@mount]",
      "POST /root [inline hook@global]",
      "POST /shared [inline hook@global]",
    ]);
  });

  it("counts @fastify/bearer-auth registered on an instance, unless it adds no hook", () => {
    const code = `${APP}
import bearerAuth from "@fastify/bearer-auth";
app.register(async (api) => {
  await api.register(bearerAuth, { keys: new Set([process.env.API_KEY]) });
  api.post("/ingest", async () => ({}));
}, { prefix: "/api" });
app.register(async (manual) => {
  manual.register(bearerAuth, { keys: new Set([process.env.API_KEY]), addHook: false });
  manual.post("/manual", async () => ({}));
});
`;
    assert.deepEqual(routes(code), ["POST /api/ingest [bearerAuth@router]", "POST /manual []"]);
  });

  it("takes the least protected registration of a plugin registered twice", () => {
    const code = `${APP}
async function orders(fastify) { fastify.post("/orders", async () => ({})); }
app.register(async (secured) => {
  secured.addHook("onRequest", secured.authenticate);
  secured.register(orders, { prefix: "/private" });
});
app.register(orders, { prefix: "/public" });
`;
    assert.deepEqual(routes(code), ["POST /public/orders []"]);
  });
});

describe("Fastify plugins from other files", () => {
  it("records registrations of project modules with the prefix and the hooks in force, not packages", () => {
    const code = `${APP}
import ordersRoutes from "./routes/orders.js";
import { adminRoutes } from "./routes/admin.js";
import swagger from "@fastify/swagger";
app.register(swagger);
app.register(ordersRoutes, { prefix: "/orders" });
app.register(async (api) => {
  api.addHook("onRequest", api.authenticate);
  api.register(adminRoutes, { prefix: "/admin" });
  api.register(require("./routes/reports"), { prefix: "/reports" });
}, { prefix: "/api" });
app.register(import("./routes/health.js"));
`;
    assert.deepEqual(mounts(code), [
      "./routes/orders.js#default /orders []",
      "./routes/admin.js#adminRoutes /api/admin [api.authenticate@mount]",
      "./routes/reports#default /api/reports [api.authenticate@mount]",
      "./routes/health.js#default / []",
    ]);
  });
});
