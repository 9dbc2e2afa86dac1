/**
 * The TS/JS adapter on Hono code: apps and base paths, routes, the middleware registered
 * before each route in the app's one ordered list (sub-apps mounted with `route()`
 * included), and sub-apps mounted from other files.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ApiPostureSettings } from "../lib/core/settings.js";
import { formatRoutePath } from "../lib/core/model.js";
import { tsModel } from "./helpers/model.js";

function routes(code: string, settings: ApiPostureSettings = {}, filename = "app.ts"): string[] {
  return tsModel(code, settings, filename).endpoints.map(
    (e) =>
      `${e.methods.join(",")} ${e.path} [${e.protections.map((p) => `${p.name}@${p.source}`).join(", ")}]` +
      (e.framework === "hono" ? "" : ` (${e.framework})`),
  );
}

function mounts(code: string): string[] {
  return (tsModel(code).mounts ?? []).map(
    (m) =>
      `${m.module}#${m.export} ${formatRoutePath(m.prefix)} [${m.protections.map((p) => `${p.name}@${p.source}`).join(", ")}]`,
  );
}

const APP = `import { Hono } from "hono";\nconst app = new Hono();\n`;

describe("Hono apps", () => {
  it("recognises new Hono() from hono, hono/tiny and OpenAPIHono, factories, chains and base paths", () => {
    const code = `
import { Hono } from "hono";
import { Hono as TinyHono } from "hono/tiny";
import { OpenAPIHono } from "@hono/zod-openapi";
import { createFactory } from "hono/factory";
const app = new Hono<{ Bindings: Env }>();
const tiny = new TinyHono();
const docs = new OpenAPIHono();
const factory = createFactory();
const made = factory.createApp();
const api = new Hono().basePath("/api");
const v1 = api.basePath("/v1");
app.post("/a", (c) => c.json({}));
tiny.put("/b", (c) => c.json({}));
docs.delete("/c", (c) => c.body(null, 204));
made.patch("/d", (c) => c.json({}));
v1.post("/orders", (c) => c.json({}, 201));
const books = new Hono().get("/", (c) => c.json([])).post("/", (c) => c.json({}, 201));
`;
    assert.deepEqual(routes(code), [
      "POST /a []",
      "PUT /b []",
      "DELETE /c []",
      "PATCH /d []",
      "POST /api/v1/orders []",
      "GET / []",
      "POST / []",
    ]);
  });

  it("recognises parameters typed Hono, and app parameters in a file that imports Hono", () => {
    const code = `
import { Hono } from "hono";
export function orders(routes: Hono) { routes.post("/orders", (c) => c.json({})); }
export function users(app) { app.post("/users", (c) => c.json({})); }
`;
    assert.deepEqual(routes(code), ["POST /orders []", "POST /users []"]);
  });

  it("leaves Express to Express and a Hono app's receivers to Hono", () => {
    const code = `
import { Hono } from "hono";
export function register(router: Hono) { router.post("/c", (req, res) => res.end()); }
`;
    assert.deepEqual(routes(code), ["POST /c []"]);
    const express = `import express from "express";\nconst app = express();\napp.post("/x", (req, res) => res.end());\n`;
    assert.deepEqual(routes(express), ["POST /x [] (express)"]);
  });

  it("reads methods and on() with one method or several; an unknown method is not a route", () => {
    const code = `${APP}
app.get("/g", h).post("/p", h).put("/u", h).patch("/a", h).delete("/d", h).all("/any", h).options("/o", h);
app.on("POST", "/on", h);
app.on(["PUT", "DELETE"], ["/items/:id", "/things/:id"], h);
app.on("PURGE", "/cache", h);
`;
    assert.deepEqual(
      routes(code).map((r) => r.replace(" []", "")),
      [
        "GET /g",
        "POST /p",
        "PUT /u",
        "PATCH /a",
        "DELETE /d",
        "ANY /any",
        "OPTIONS /o",
        "POST /on",
        "PUT,DELETE /items/:id",
      ],
    );
  });
});

describe("Hono middleware", () => {
  it("counts hono/jwt, bearer and basic auth, other auth packages, not Clerk's middleware that only reads the session", () => {
    const code = `${APP}
import { jwt } from "hono/jwt";
import { bearerAuth } from "hono/bearer-auth";
import { basicAuth } from "hono/basic-auth";
import { oidcAuthMiddleware } from "@hono/oidc-auth";
import { clerkMiddleware } from "@hono/clerk-auth";
app.post("/a", jwt({ secret: "s", alg: "HS256" }), h);
app.post("/b", bearerAuth({ token: "t" }), h);
app.post("/c", basicAuth({ username: "u", password: "p" }), h);
app.post("/d", oidcAuthMiddleware(), h);
app.post("/e", clerkMiddleware(), h);
`;
    assert.deepEqual(routes(code), [
      "POST /a [jwt@route]",
      "POST /b [bearerAuth@route]",
      "POST /c [basicAuth@route]",
      "POST /d [oidcAuthMiddleware@route]",
      "POST /e []",
    ]);
  });

  it("counts createMiddleware() and (c, next) functions that answer 401/403, not one that translates the errors of next()", () => {
    const code = `${APP}
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { basicAuth } from "hono/basic-auth";
const signedIn = createMiddleware(async (c, next) => {
  if (!c.get("session")) return c.json({ error: "Unauthorized" }, 401);
  await next();
});
const staff = createMiddleware(async (c, next) => {
  if (!c.get("user")?.staff) throw new HTTPException(403, { message: "Staff only" });
  await next();
});
const apiKey = async (c, next) => {
  if (c.req.header("x-api-key") !== c.env.API_KEY) return c.text("Forbidden", 403);
  await next();
};
const writesNeedAuth = async (c, next) => {
  if (c.req.method === "GET") return next();
  const auth = basicAuth({ username: c.env.USER, password: c.env.PASSWORD });
  return auth(c, next);
};
const raw = async (c, next) => {
  if (!c.req.header("authorization")) return new Response("Unauthorized", { status: 401 });
  await next();
};
const logger = createMiddleware(async (c, next) => { console.log(c.req.path); await next(); });
const afterwards = createMiddleware(async (c, next) => {
  try {
    await next();
  } catch (err) {
    if (err.name === "TokenExpiredError") return c.json({ error: "Session expired" }, 401);
    throw err;
  }
});
app.post("/a", signedIn, h);
app.post("/b", staff, h);
app.post("/c", apiKey, h);
app.post("/d", writesNeedAuth, h);
app.post("/e", raw, h);
app.post("/f", logger, h);
app.post("/g", afterwards, h);
`;
    assert.deepEqual(routes(code), [
      "POST /a [signedIn@route]",
      "POST /b [staff@route]",
      "POST /c [apiKey@route]",
      "POST /d [writesNeedAuth@route]",
      "POST /e [raw@route]",
      "POST /f []",
      "POST /g []",
    ]);
  });

  it("applies use() to routes registered after it on the paths its pattern covers", () => {
    const code = `${APP}
import { jwt } from "hono/jwt";
app.post("/api/early", h);
app.use("/api/*", jwt({ secret: "s" }));
app.post("/api", h);
app.post("/api/orders", h);
app.post("/apiary", h);
app.use("/admin", requireAdmin);
app.post("/admin", h);
app.post("/admin/users", h);
app.use(requireUser);
app.post("/anything", h);
`;
    assert.deepEqual(routes(code), [
      "POST /api/early []",
      "POST /api [jwt@global]",
      "POST /api/orders [jwt@global]",
      "POST /apiary []",
      "POST /admin [requireAdmin@global]",
      "POST /admin/users []",
      "POST /anything [requireUser@global]",
    ]);
  });

  it("keeps use() on a base path view under that base path", () => {
    const code = `${APP}
const api = app.basePath("/api");
api.use(requireUser);
api.post("/orders", h);
app.post("/contact", h);
`;
    assert.deepEqual(routes(code), ["POST /api/orders [requireUser@global]", "POST /contact []"]);
  });

  it("takes a guard in last place as middleware for what follows, for its methods", () => {
    const code = `${APP}
app.post("/admin/*", requireAdmin);
app.post("/admin/users", h);
app.delete("/admin/users/:id", h);
`;
    assert.deepEqual(routes(code), ["POST /admin/users [requireAdmin@global]", "DELETE /admin/users/:id []"]);
  });
});

describe("Hono sub-apps", () => {
  it("mounts with route(): prefixes join, the parent's middleware before the mount applies", () => {
    const code = `${APP}
import { jwt } from "hono/jwt";
const orders = new Hono();
orders.post("/", h);
orders.use("/:id/*", requireOwner);
orders.delete("/:id/items", h);
app.use("/orders/*", jwt({ secret: "s" }));
app.route("/orders", orders);
orders.put("/", h);
`;
    assert.deepEqual(routes(code), [
      "POST /orders [jwt@mount]",
      "DELETE /orders/:id/items [requireOwner@router, jwt@mount]",
      "PUT / []",
    ]);
  });

  it("runs a mounted sub-app's middleware before routes mounted later under its path", () => {
    const code = `${APP}
import { bearerAuth } from "hono/bearer-auth";
const middleware = new Hono();
middleware.use("*", bearerAuth({ token: "t" }));
const books = new Hono().post("/", h).delete("/:id", h);
const health = new Hono().post("/ping", h);
app.route("/health", health);
app.route("/books", middleware);
app.route("/books", books);
app.route("/status", health);
`;
    assert.deepEqual(routes(code), [
      "POST /books [bearerAuth@mount]",
      "DELETE /books/:id [bearerAuth@mount]",
      "POST /health/ping []",
    ]);
  });

  it("records sub-apps mounted from other files with the prefix and the middleware in force", () => {
    const code = `${APP}
import { jwt } from "hono/jwt";
import users from "./routes/users";
import { postsApp } from "./routes/posts";
const api = app.basePath("/api");
api.route("/users", users);
api.use("*", jwt({ secret: "s" }));
api.route("/posts", postsApp);
`;
    assert.deepEqual(mounts(code), [
      "./routes/users#default /api/users []",
      "./routes/posts#postsApp /api/posts [jwt@mount]",
    ]);
  });
});
