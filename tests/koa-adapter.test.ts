/**
 * The TS/JS adapter on Koa code: @koa/router and koa-router routers, their routes, the
 * auth middleware before each route (on the route, `router.use()` before it, where the
 * router is mounted), and routers mounted from other files.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ApiPostureSettings } from "../lib/core/settings.js";
import { formatRoutePath } from "../lib/core/model.js";
import { tsModel } from "./helpers/model.js";

function routes(code: string, settings: ApiPostureSettings = {}, filename = "routes.ts"): string[] {
  return tsModel(code, settings, filename).endpoints.map(
    (e) =>
      `${e.methods.join(",")} ${e.path} [${e.protections.map((p) => `${p.name}@${p.source}`).join(", ")}]` +
      (e.framework === "koa" ? "" : ` (${e.framework})`),
  );
}

function mounts(code: string): string[] {
  return (tsModel(code).mounts ?? []).map(
    (m) =>
      `${m.module}#${m.export} ${formatRoutePath(m.prefix)} [${m.protections.map((p) => `${p.name}@${p.source}`).join(", ")}]`,
  );
}

const ROUTER = `import Router from "@koa/router";\nconst router = new Router();\n`;

describe("Koa routers", () => {
  it("recognises @koa/router and koa-router, with or without new, imported or required", () => {
    const code = `
import Router from "@koa/router";
import KoaRouter from "koa-router";
const a = new Router();
const b = KoaRouter();
const c = new (require("@koa/router"))();
const d = require("koa-router")();
a.post("/a", async (ctx) => { ctx.body = {}; });
b.put("/b", async (ctx) => { ctx.body = {}; });
c.delete("/c", async (ctx) => { ctx.status = 204; });
d.patch("/d", async (ctx) => { ctx.body = {}; });
`;
    assert.deepEqual(routes(code), ["POST /a []", "PUT /b []", "DELETE /c []", "PATCH /d []"]);
  });

  it("recognises parameters typed Router, and router/app parameters in a file that imports Koa", () => {
    const code = `
import type Router from "@koa/router";
import type * as KoaRouter from "koa-router";
import "koa";
export function orders(r: Router) { r.post("/orders", create); }
export function users(r: KoaRouter.Router) { r.post("/users", create); }
export default (router) => { router.delete("/orders/:id", remove); };
`;
    assert.deepEqual(routes(code), ["POST /orders []", "POST /users []", "DELETE /orders/:id []"]);
  });

  it("gives a Koa app no routes, and leaves Express routers to Express", () => {
    const code = `
import Koa from "koa";
import express from "express";
const app = new Koa();
app.post("/nothing", handler);
const router = express.Router();
router.post("/x", (req, res) => res.end());
`;
    assert.deepEqual(routes(code), ["POST /x [] (express)"]);
  });

  it("reads methods, named routes, prefixes and chained registrations", () => {
    const code = `
import Router from "@koa/router";
const router = new Router({ prefix: "/api" });
router
  .get("/orders", list)
  .post("/orders", create)
  .put("order", "/orders/:id", update)
  .del("/orders/:id", remove)
  .all("/echo", echo);
const v2 = new Router();
v2.prefix("/v2");
v2.post("/orders", create);
`;
    assert.deepEqual(
      tsModel(code).endpoints.map((e) => `${e.methods.join(",")} ${e.path} ${e.handler}`),
      [
        "GET /api/orders list",
        "POST /api/orders create",
        "PUT /api/orders/:id update",
        "DELETE /api/orders/:id remove",
        "ANY /api/echo echo",
        "POST /v2/orders create",
      ],
    );
  });
});

describe("Koa middleware", () => {
  it("counts koa-jwt (not with passthrough), koa-passport, auth names and the settings' names", () => {
    const code = `
import Router from "@koa/router";
import jwt from "koa-jwt";
import passport from "koa-passport";
const router = new Router();
const softJwt = jwt({ secret: process.env.JWT_SECRET, passthrough: true });
router.post("/a", jwt({ secret: process.env.JWT_SECRET }), create);
router.post("/b", softJwt, create);
router.post("/c", passport.authenticate("jwt", { session: false }), create);
router.post("/d", requireLogin, create);
router.post("/e", optionalAuth, create);
router.post("/f", gatekeeper, create);
`;
    assert.deepEqual(routes(code, { auth: ["gatekeeper"] }), [
      "POST /a [jwt@route]",
      "POST /b []",
      "POST /c [passport.authenticate@route]",
      "POST /d [requireLogin@route]",
      "POST /e []",
      "POST /f [gatekeeper@route]",
    ]);
  });

  it("counts same-file (ctx, next) middleware that throws, asserts or sets 401/403, not one that turns errors of next() into 401/403", () => {
    const code = `${ROUTER}
async function members(ctx, next) {
  if (!ctx.state.user) ctx.throw(401, "Sign in first");
  await next();
}
const staff = async (ctx, next) => {
  ctx.assert(ctx.state.user?.staff, 403, "Staff only");
  return next();
};
const session = async (ctx, next) => {
  if (ctx.isAuthenticated()) {
    await next();
  } else {
    ctx.status = 401;
  }
};
const onlyRole = (role) => async (ctx, next) => {
  if (ctx.state.user?.role !== role) ctx.throw(403);
  await next();
};
const translateErrors = (ctx, next) =>
  next().catch((err) => {
    if (err.status === 401) { ctx.status = 401; ctx.body = "Protected resource"; } else throw err;
  });
const errorBody = async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (err.name !== "ForbiddenError") throw err;
    ctx.status = 403;
    ctx.body = { error: "Forbidden" };
  }
};
const timing = async (ctx, next) => { const start = Date.now(); await next(); ctx.set("X-Time", String(Date.now() - start)); };
router.post("/a", members, create);
router.post("/b", staff, create);
router.post("/c", session, create);
router.post("/d", onlyRole("admin"), create);
router.post("/e", translateErrors, create);
router.post("/f", timing, create);
router.post("/h", errorBody, create);
router.post("/g", async (ctx, next) => { if (!ctx.get("x-api-key")) ctx.throw(401); await next(); }, create);
`;
    assert.deepEqual(routes(code), [
      "POST /a [members@route]",
      "POST /b [staff@route]",
      "POST /c [session@route]",
      "POST /d [onlyRole@route]",
      "POST /e []",
      "POST /f []",
      "POST /h []",
      "POST /g [inline middleware@route]",
    ]);
  });

  it("applies router.use() to the routes registered after it, on the paths it covers", () => {
    const code = `
import Router from "@koa/router";
import jwt from "koa-jwt";
const router = new Router({ prefix: "/api" });
router.post("/login", login);
router.use(jwt({ secret: process.env.JWT_SECRET }).unless({ path: [/^\\/api\\/public/] }));
router.post("/orders", create);
router.post("/public/contact", contact);
router.use("/admin", requireAdmin);
router.delete("/admin/users/:id", remove);
router.delete("/administrators", remove);
`;
    assert.deepEqual(routes(code), [
      "POST /api/login []",
      "POST /api/orders [jwt@router]",
      "POST /api/public/contact []",
      "DELETE /api/admin/users/:id [jwt@router, requireAdmin@router]",
      "DELETE /api/administrators [jwt@router]",
    ]);
  });

  it("takes a guard in last place (router.all) as middleware for what follows", () => {
    const code = `
import Router from "@koa/router";
import jwt from "koa-jwt";
const router = new Router();
router.post("/open", create);
router.all("/secure/(.*)", jwt({ secret: process.env.JWT_SECRET }));
router.post("/secure/orders", create);
`;
    assert.deepEqual(routes(code), ["POST /open []", "POST /secure/orders [jwt@router]"]);
  });
});

describe("Koa mounts", () => {
  it("applies app.use() middleware registered before app.use(router.routes()), not after", () => {
    const code = `
import Koa from "koa";
import Router from "@koa/router";
import jwt from "koa-jwt";
const app = new Koa();
const publicRouter = new Router();
const api = new Router({ prefix: "/api" });
publicRouter.post("/signup-form", create);
api.post("/orders", create);
app.use(publicRouter.routes()).use(publicRouter.allowedMethods());
app.use(jwt({ secret: process.env.JWT_SECRET }));
app.use(api.routes());
`;
    assert.deepEqual(routes(code), ["POST /signup-form []", "POST /api/orders [jwt@mount]"]);
  });

  it("nests routers with router.use(path, child.routes()): prefixes join, the parent's guards before it apply", () => {
    const code = `
import Router from "@koa/router";
const api = new Router({ prefix: "/api" });
const admin = new Router();
const reports = new Router({ prefix: "/reports" });
admin.delete("/users/:id", remove);
reports.post("/rebuild", rebuild);
api.use(requireUser);
api.use("/admin", requireAdmin, admin.routes(), admin.allowedMethods());
api.use("/admin", reports.routes());
admin.post("/too-late", create);
`;
    assert.deepEqual(routes(code), [
      "DELETE /api/admin/users/:id [requireAdmin@mount, requireUser@mount]",
      "POST /api/admin/reports/rebuild [requireUser@mount, requireAdmin@mount]",
      "POST /too-late []",
    ]);
  });

  it("follows koa-mount for routers, middleware and apps", () => {
    const code = `
import Koa from "koa";
import Router from "@koa/router";
import mount from "koa-mount";
const app = new Koa();
const router = new Router();
router.post("/orders", create);
app.use(mount("/private", requireAuth));
app.use(mount("/private/v1", router.routes()));
`;
    assert.deepEqual(routes(code), ["POST /private/v1/orders [requireAuth@mount]"]);
  });

  it("records routers mounted from other files with the prefix and the middleware before them", () => {
    const code = `
import Koa from "koa";
import Router from "@koa/router";
import jwt from "koa-jwt";
import ordersRouter from "./routes/orders";
const { usersRouter } = require("./routes/users");
const app = new Koa();
const api = new Router({ prefix: "/api" });
app.use(require("./routes/health").routes());
app.use(jwt({ secret: process.env.JWT_SECRET }));
api.use("/orders", ordersRouter.routes());
api.use(usersRouter.routes());
app.use(api.routes());
`;
    assert.deepEqual(mounts(code), [
      "./routes/health#default / []",
      "./routes/orders#default /api/orders [jwt@mount]",
      "./routes/users#usersRouter /api [jwt@mount]",
    ]);
  });
});
