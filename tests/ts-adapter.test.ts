/**
 * The TS/JS adapter on Express code: which calls are routes, their methods and paths,
 * handlers, the protections that apply with where they come from, and the data-layer
 * calls of each handler.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseForESLint } from "@typescript-eslint/parser";
import type { TSESTree } from "@typescript-eslint/types";
import type { Endpoint, FileModel } from "../lib/core/model.js";
import { resolveSettings, type ApiPostureSettings } from "../lib/core/settings.js";
import { buildTsModel } from "../lib/adapters/ts/index.js";
import { authNameVerdict } from "../lib/adapters/ts/concerns/auth-middleware.js";
import { Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import plugin from "../lib/index.js";
import { tsModel } from "./helpers/model.js";

interface Summary {
  methods: string;
  path: string;
  handler?: string;
  protections: string[];
  data: string[];
}

/** One line per fact, so a failing assertion reads like the route table it is. */
function summarise(endpoint: Endpoint): Summary {
  return {
    methods: endpoint.methods.join(","),
    path: endpoint.path,
    ...(endpoint.handler !== undefined ? { handler: endpoint.handler } : {}),
    protections: endpoint.protections.map((p) => `${p.name}@${p.source}`),
    data: endpoint.dataOperations.map((d) => `${d.kind} ${d.call}`),
  };
}

function routes(code: string, settings: ApiPostureSettings = {}, filename = "routes.ts"): Summary[] {
  return tsModel(code, settings, filename).endpoints.map(summarise);
}

/** `METHOD path` of every endpoint. */
function table(code: string, filename = "routes.ts"): string[] {
  return tsModel(code, {}, filename).endpoints.map((e) => `${e.methods.join(",")} ${e.path}`);
}

function protectionsOf(code: string, settings: ApiPostureSettings = {}): string[][] {
  return routes(code, settings).map((r) => r.protections);
}

const ESM = `import express, { Router } from "express";\n`;

describe("Express apps and routers", () => {
  it("recognises express(), express.Router() and Router() from ESM imports", () => {
    const code = `${ESM}
const app = express();
const router = express.Router();
const api = Router();
const legacy = new express.Router();
app.post("/a", (req, res) => res.end());
legacy.post("/legacy", h);
router.put("/b", (req, res) => res.end());
api.delete("/c", (req, res) => res.end());
`;
    assert.deepEqual(table(code), ["POST /a", "POST /legacy", "PUT /b", "DELETE /c"]);
  });

  it("recognises CommonJS requires", () => {
    const code = `
const express = require("express");
const { Router } = require("express");
const app = express();
const users = Router();
const orders = require("express").Router({ mergeParams: true });
const server = require("express")();
app.patch("/a", handler);
users.post("/b", handler);
orders.delete("/c", handler);
server.put("/d", handler);
const promised = require("express-promise-router")();
promised.post("/e", handler);
`;
    assert.deepEqual(table(code, "routes.js"), ["PATCH /a", "POST /b", "DELETE /c", "PUT /d", "POST /e"]);
  });

  it("recognises parameters typed as Express apps and routers", () => {
    const code = `
import express from "express";
import type { Application, Express, Router } from "express";
export function a(app: Express) { app.post("/a", handler); }
export function b(server: Application) { server.post("/b", handler); }
export function c(r: Router) { r.post("/c", handler); }
export function d(r: express.Router) { r.post("/d", handler); }
export function e(r: Koa.Router) { r.post("/e", handler); }
`;
    assert.deepEqual(table(code), ["POST /a", "POST /b", "POST /c", "POST /d"]);
  });

  it("recognises class fields created by or typed as Express, whatever their name", () => {
    const code = `
import { Router } from "express";
import type { Application } from "express";
import { Hono } from "hono";
export class OrdersRoutes {
  public readonly routes = Router();
  private server: Application;
  private hono = new Hono();
  constructor(server: Application) {
    this.server = server;
    this.routes.post("/orders", (ctx) => ctx);
    this.server.post("/health", (ctx) => ctx);
    this.hono.post("/hono", (c) => c.json({}));
  }
}
`;
    assert.deepEqual(table(code), ["POST /orders", "POST /health"]);
  });

  it("takes app/router/*Router/api by name when the file imports express", () => {
    const code = `
import "express";
import { controller } from "./controller";
export default function register(app, router, ordersRouter, api, server) {
  app.post("/a", controller.a);
  router.post("/b", controller.b);
  ordersRouter.post("/c", controller.c);
  api.post("/d", controller.d);
  server.post("/e", controller.e);
}
`;
    assert.deepEqual(table(code, "routes.js"), ["POST /a", "POST /b", "POST /c", "POST /d"]);
  });

  it("takes untyped receivers in files without express only when some handler takes (req, res)", () => {
    const shaped = `module.exports = function (app) {\n  app.post("/a", function (req, res) { res.end(); });\n  app.post("/b", controller.b);\n};\n`;
    assert.deepEqual(table(shaped, "routes.js"), ["POST /a", "POST /b"]);
    const unshaped = `module.exports = function (app) {\n  app.post("/a", controller.a);\n};\n`;
    assert.deepEqual(table(unshaped, "routes.js"), []);
  });

  it("ignores HTTP clients, supertest, Angular, Koa and app settings", () => {
    const code = `
import express from "express";
import axios from "axios";
import request from "supertest";
import Router from "@koa/router";
import got from "got";
const app = express();
const api = axios.create({ baseURL: "/x" });
const koaRouter = new Router();
const client = got.extend({});
export async function calls(http, id) {
  await axios.post("/orders", { id });
  await api.post("/orders", { id });
  await http.post("/orders", { id });
  await fetch("/orders", { method: "POST" });
  await request(app).post("/orders").send({ id });
  await client.post("/orders", { json: { id } });
  koaRouter.post("/orders", async (ctx) => { ctx.body = 1; });
}
class Service { constructor(private http: HttpClient) {} create(o) { return this.http.post("/orders", o); } }
app.get("env");
app.set("trust proxy", 1);
`;
    // The Koa router's route is Koa's, not Express's.
    assert.deepEqual(
      tsModel(code).endpoints.map((e) => `${e.framework} ${e.methods.join(",")} ${e.path}`),
      ["koa POST /orders"],
    );
  });
});

describe("routes", () => {
  it("maps methods, all → ANY, del → DELETE", () => {
    const code = `${ESM}
const router = Router();
router.get("/g", h); router.post("/p", h); router.put("/u", h); router.patch("/a", h);
router.delete("/d", h); router.del("/old", h); router.all("/any", h); router.head("/h", h); router.options("/o", h);
`;
    assert.deepEqual(table(code), [
      "GET /g",
      "POST /p",
      "PUT /u",
      "PATCH /a",
      "DELETE /d",
      "DELETE /old",
      "ANY /any",
      "HEAD /h",
      "OPTIONS /o",
    ]);
  });

  it("reads paths: literals, templates and sums of constants, arrays (first), RegExp, else the source text", () => {
    const code = `${ESM}
const router = Router();
const BASE = "/orders";
router.post(\`/plain\`, h);
router.post(BASE, h);
router.post(["/first", "/second"], h);
router.post(/^\\/hooks\\/(\\w+)$/, h);
router.post(\`\${BASE}/:id\`, h);
router.post(BASE + "/bulk", h);
router.post(\`\${prefix()}/x\`, h);
router.post(config.paths.orders, h);
class UsersRoute {
  public path = "/users";
  public router = Router();
  constructor() { this.router.post(\`\${this.path}/:id\`, h); }
}
`;
    assert.deepEqual(table(code), [
      "POST /plain",
      "POST /orders",
      "POST /first",
      "POST /^\\/hooks\\/(\\w+)$/",
      "POST /orders/:id",
      "POST /orders/bulk",
      "POST `${prefix()}/x`",
      "POST config.paths.orders",
      "POST /users/:id",
    ]);
  });

  it("reads route(path) chains, one endpoint per method", () => {
    const code = `${ESM}
const router = Router();
router.route("/orders/:id").get(show).put(requireAuth, update).delete(remove);
`;
    assert.deepEqual(routes(code), [
      { methods: "GET", path: "/orders/:id", handler: "show", protections: [], data: [] },
      { methods: "PUT", path: "/orders/:id", handler: "update", protections: ["requireAuth@route"], data: [] },
      { methods: "DELETE", path: "/orders/:id", handler: "remove", protections: [], data: [] },
    ]);
  });

  it("locates a route from the method name to the end of the path, and a chained one on its method name", () => {
    const code = `${ESM}const router = Router();\nrouter.post(\n  "/orders",\n  createOrder,\n);\nrouter\n  .route("/x")\n  .patch(update);\n`;
    const [direct, chained] = tsModel(code).endpoints;
    assert.deepEqual(direct.loc, { start: { line: 3, column: 7 }, end: { line: 4, column: 11 } });
    assert.deepEqual(chained.loc, { start: { line: 9, column: 3 }, end: { line: 9, column: 8 } });
  });

  it("needs a path and a handler", () => {
    const code = `${ESM}const app = express();\napp.get("title");\napp.post(handler);\napp.post({ path: "/x" }, handler);\n`;
    assert.deepEqual(table(code), []);
  });
});

describe("middleware before the handler", () => {
  it("counts single, several, spread, array and same-file array middleware", () => {
    const code = `${ESM}
import passport from "passport";
import { requireAuth, requireRole, validate } from "./mw";
const router = Router();
const protect = [passport.authenticate("jwt", { session: false }), requireRole("admin")];
const adminStack = [...protect, validate];
router.post("/a", requireAuth, h);
router.post("/b", requireAuth, validate, requireRole("editor"), h);
router.post("/c", ...protect, h);
router.post("/d", [requireAuth, validate], h);
router.post("/e", protect, h);
router.post("/f", adminStack, h);
router.post("/g", [requireAuth, h]);
router.post("/h", validate, h);
`;
    assert.deepEqual(protectionsOf(code), [
      ["requireAuth@route"],
      ["requireAuth@route", "requireRole@route"],
      ["passport.authenticate@route", "requireRole@route"],
      ["requireAuth@route"],
      ["passport.authenticate@route", "requireRole@route"],
      ["passport.authenticate@route", "requireRole@route"],
      ["requireAuth@route"],
      [],
    ]);
  });

  it("a registration that ends in a guard is no endpoint: it guards later ones of that method and path", () => {
    const code = `${ESM}
const app = express();
app.post("/api/Products", security.isAuthorized());
app.route("/api/Users/:id").get(security.isAuthorized()).put(security.denyAll());
app.post("/api/Products", createProduct);
app.put("/api/Products", updateProduct);
app.put("/api/Users/:id", h);
app.get("/api/Users/:id", h);
app.delete("/api/Users/:id", h);
`;
    assert.deepEqual(
      routes(code).map((r) => `${r.methods} ${r.path} ${r.protections.join(" ")}`),
      [
        "POST /api/Products security.isAuthorized@global",
        "PUT /api/Products ",
        "PUT /api/Users/:id security.denyAll@global",
        "GET /api/Users/:id security.isAuthorized@global",
        "DELETE /api/Users/:id ",
      ],
    );
  });
  it("a handler that answers 403 itself, or is named like a guard, stays the handler", () => {
    const code = `${ESM}
import passport from "passport";
import { Order } from "./models";
const app = express();
function authenticate(req, res, next) {
  users.authenticate(req.body).then((user) => (user ? res.json(user) : res.status(401).json({ message: "bad credentials" }))).catch(next);
}
app.delete("/orders/:id", async (req, res, next) => {
  const order = await Order.findById(req.params.id);
  if (order.owner !== req.user.id) return res.sendStatus(403);
  await order.deleteOne();
  res.sendStatus(204);
});
app.post("/users/authenticate", authenticate);
app.post("/login", passport.authenticate("local", { successRedirect: "/", failureRedirect: "/login" }));
app.all("/api/*", (req, res, next) => (req.user ? next() : res.sendStatus(401)));
app.post("/api/x", h);
`;
    assert.deepEqual(
      routes(code).map((r) => `${r.methods} ${r.path} ${r.handler ?? "-"} ${r.protections.join(" ")}`),
      [
        "DELETE /orders/:id - ",
        "POST /users/authenticate authenticate ",
        "POST /login passport.authenticate ",
        "POST /api/x h inline middleware@global",
      ],
    );
  });
});

describe("what counts as auth middleware", () => {
  const guarded = (middleware: string, imports = "") =>
    `${ESM}${imports}\nconst router = Router();\nrouter.post("/x", ${middleware}, handler);\n`;
  const names = (middleware: string, imports = "", settings: ApiPostureSettings = {}) =>
    protectionsOf(guarded(middleware, imports), settings)[0];

  it("passport.authenticate, but not the anonymous strategy", () => {
    assert.deepEqual(names('passport.authenticate("jwt", { session: false })'), ["passport.authenticate@route"]);
    assert.deepEqual(names('passport.authenticate("anonymous")'), []);
    assert.deepEqual(names('passport.authenticate(["bearer", "anonymous"], { session: false })'), []);
  });

  it("express-jwt, unless credentialsRequired is false", () => {
    const esm = 'import { expressjwt } from "express-jwt";';
    assert.deepEqual(names('expressjwt({ secret, algorithms: ["HS256"] })', esm), ["expressjwt@route"]);
    assert.deepEqual(names('expressjwt({ secret, algorithms: ["HS256"], credentialsRequired: false })', esm), []);
    const cjs = 'const jwt = require("express-jwt");';
    assert.deepEqual(names("jwt({ secret })", cjs), ["jwt@route"]);
    assert.deepEqual(
      names("checkJwt", `${esm}\nconst checkJwt = expressjwt({ secret, credentialsRequired: false });`),
      [],
    );
    assert.deepEqual(names("verify", `${esm}\nconst verify = expressjwt({ secret });`), ["verify@route"]);
  });

  it("express-openid-connect, express-oauth2-jwt-bearer, Clerk and Keycloak", () => {
    const oidc = 'import { auth, requiresAuth } from "express-openid-connect";';
    assert.deepEqual(names("requiresAuth()", oidc), ["requiresAuth@route"]);
    assert.deepEqual(names("auth({ issuerBaseURL })", oidc), ["auth@route"]);
    assert.deepEqual(names("auth({ authRequired: false })", oidc), []);
    assert.deepEqual(
      names('requiredScopes("write:orders")', 'import { requiredScopes } from "express-oauth2-jwt-bearer";'),
      ["requiredScopes@route"],
    );
    assert.deepEqual(
      names("ClerkExpressRequireAuth()", 'import { ClerkExpressRequireAuth } from "@clerk/clerk-sdk-node";'),
      ["ClerkExpressRequireAuth@route"],
    );
    assert.deepEqual(
      names("ClerkExpressWithAuth()", 'import { ClerkExpressWithAuth } from "@clerk/clerk-sdk-node";'),
      [],
    );
    assert.deepEqual(names("requireAuth()", 'import { requireAuth } from "@clerk/express";'), ["requireAuth@route"]);
    assert.deepEqual(names("clerkMiddleware()", 'import { clerkMiddleware } from "@clerk/express";'), []);
    assert.deepEqual(names('keycloak.protect("realm:admin")'), ["keycloak.protect@route"]);
    assert.deepEqual(names("keycloak.middleware()"), []);
  });

  it("auth.required but not auth.optional", () => {
    assert.deepEqual(names("auth.required"), ["auth.required@route"]);
    assert.deepEqual(names("auth.optional"), []);
    assert.deepEqual(names("middlewares.isAuth"), ["middlewares.isAuth@route"]);
    assert.deepEqual(names('authController.restrictTo("admin")'), ["authController.restrictTo@route"]);
  });

  it("names configured in settings: identifier, member name and callee", () => {
    const settings = { auth: ["gatekeeper", "myAuth", "/^Tenant\\w*Guard$/"] };
    assert.deepEqual(names("gatekeeper", "", settings), ["gatekeeper@route"]);
    assert.deepEqual(names("security.gatekeeper", "", settings), ["security.gatekeeper@route"]);
    assert.deepEqual(names('myAuth("admin")', "", settings), ["myAuth@route"]);
    assert.deepEqual(names("TenantOwnerGuard()", "", settings), ["TenantOwnerGuard@route"]);
    assert.deepEqual(names("gatekeeper"), []);
  });

  it("a same-file (req, res, next) function that answers 401/403, whatever its name", () => {
    const fn = (body: string) => `function bouncer(req, res, next) { ${body} }`;
    assert.deepEqual(names("bouncer", fn("if (!req.user) return res.status(401).end(); next();")), ["bouncer@route"]);
    assert.deepEqual(names("bouncer", fn("if (!req.user) return res.sendStatus(403); next();")), ["bouncer@route"]);
    assert.deepEqual(names("bouncer", fn("if (!req.user) throw new UnauthorizedError(); next();")), ["bouncer@route"]);
    assert.deepEqual(names("bouncer", fn("if (!req.user) return next(createError(401)); next();")), ["bouncer@route"]);
    assert.deepEqual(
      names("bouncer", fn("if (!req.user) return next(new ApiError(httpStatus.UNAUTHORIZED, 'x')); next();")),
      ["bouncer@route"],
    );
    assert.deepEqual(names("bouncer", fn("if (!req.isAuthenticated()) return res.redirect('/login'); next();")), [
      "bouncer@route",
    ]);
    assert.deepEqual(
      names("bouncer", fn("if (req.user.role !== 'admin') return next(new Error('Unauthorized')); next();")),
      ["bouncer@route"],
    );
    assert.deepEqual(names("bouncer", fn("console.log(req.path); next();")), []);
    assert.deepEqual(names("bouncer", fn("if (!req.body) return next(new Error('Missing body')); next();")), []);
    assert.deepEqual(names("bouncer", fn("if (!req.body) return res.status(400).end(); next();")), []);
    // Soft by name even when it rejects bad tokens.
    assert.deepEqual(
      names("optionalAuth", "function optionalAuth(req, res, next) { if (bad) return res.sendStatus(401); next(); }"),
      [],
    );
    // Factories: the middleware they return decides.
    assert.deepEqual(
      names(
        'only("lead")',
        "const only = (role) => (req, res, next) => req.user.role === role ? next() : res.sendStatus(403);",
      ),
      ["only@route"],
    );
    assert.deepEqual(names("(req, res, next) => (req.user ? next() : res.sendStatus(401))"), [
      "inline middleware@route",
    ]);
  });

  it("a required auth module", () => {
    assert.deepEqual(names('require("./middleware/auth")'), ['require("./middleware/auth")@route']);
    assert.deepEqual(names('require("./routes/auth")'), []);
  });
});

describe("the name rule", () => {
  const auth = [
    "requireAuth",
    "requireLogin",
    "requireUser",
    "isAuthenticated",
    "ensureAuthenticated",
    "ensureLoggedIn",
    "authenticate",
    "authenticated",
    "authorize",
    "verifyToken",
    "verifyJWT",
    "checkJwt",
    "validateToken",
    "authMiddleware",
    "jwtAuth",
    "apiKeyAuth",
    "protect",
    "requireRole",
    "hasRole",
    "requirePermission",
    "checkPermissions",
    "isAdmin",
    "isAuth",
    "auth",
    "admin",
    "adminOnly",
    "authRequired",
    "loginRequired",
    "authenticateJWT",
    "authorizeRoles",
    "restrictTo",
    "verifyApiKey",
    "checkRole",
    "isLoggedIn",
    "mustBeLoggedIn",
    "basicAuth",
    "authGuard",
    "adminGuard",
    "require_auth",
    "verify_token",
    "allowRoles",
    "canAccess",
    "isOwner",
    "verifyWebhookSignature",
    "jwtCheck",
    "denyAll",
    "rejectAnonymous",
    "andRestrictTo",
  ];
  const notAuth = [
    "optionalAuth",
    "authOptional",
    "maybeAuth",
    "softAuth",
    "attachUser",
    "authLimiter",
    "loginLimiter",
    "authRouter",
    "authRoutes",
    "validateBody",
    "validateUser",
    "checkUser",
    "loadUser",
    "getUser",
    "parseToken",
    "decodeToken",
    "ensureLoggedOut",
    "authController",
    "authCallback",
    "csrfProtection",
    "noAuth",
    "skipAuth",
    "authService",
    "requireFields",
    "requireJson",
    "isValid",
    "tokenLimiter",
    "session",
    "cors",
    "upload",
    "logger",
    "passport",
    "tenantScope",
    "verifyEmail",
    "xssProtection",
    "denyList",
    "allowAnonymous",
  ];
  for (const name of auth) it(`${name} is auth`, () => assert.equal(authNameVerdict(name), "auth"));
  for (const name of notAuth) it(`${name} is not auth`, () => assert.notEqual(authNameVerdict(name), "auth"));
});

describe("middleware order", () => {
  it("app.use(auth) protects app routes after it, not before", () => {
    const code = `${ESM}
const app = express();
app.post("/early", h);
app.use(requireAuth);
app.post("/late", h);
`;
    assert.deepEqual(protectionsOf(code), [[], ["requireAuth@global"]]);
  });

  it("router.use(auth) protects that router's later routes only", () => {
    const code = `${ESM}
const app = express();
const a = Router();
const b = Router();
a.post("/a1", h);
a.use(requireAuth);
a.post("/a2", h);
b.post("/b1", h);
app.post("/app", h);
`;
    assert.deepEqual(protectionsOf(code), [[], ["requireAuth@router"], [], []]);
  });

  it("routers in different functions are different routers", () => {
    const code = `${ESM}
export function admin() { const router = Router(); router.use(requireAuth); router.post("/a", h); return router; }
export function open() { const router = Router(); router.post("/b", h); return router; }
`;
    assert.deepEqual(protectionsOf(code), [["requireAuth@router"], []]);
  });

  it("a path prefix limits app.use(auth) to the routes under it", () => {
    const code = `${ESM}
const app = express();
app.use("/admin", requireAuth);
app.post("/admin/users", h);
app.post("/admin", h);
app.post("/administrators", h);
app.post("/api/x", h);
app.use(["/billing", "/payouts"], requireAuth);
app.post("/payouts/1", h);
`;
    assert.deepEqual(protectionsOf(code), [
      ["requireAuth@global"],
      ["requireAuth@global"],
      [],
      [],
      ["requireAuth@global"],
    ]);
  });

  it("all(pattern, auth) with no handler acts like use()", () => {
    const code = `${ESM}
const app = express();
const router = Router();
app.all("*", requireAuth);
app.post("/x", h);
router.post("/admin/before", h);
router.all("/admin/*", isAdmin);
router.post("/admin/users", h);
router.post("/public", h);
app.all("/catch-all", (req, res) => res.sendStatus(404));
`;
    assert.deepEqual(table(code), [
      "POST /x",
      "POST /admin/before",
      "POST /admin/users",
      "POST /public",
      "ANY /catch-all",
    ]);
    assert.deepEqual(protectionsOf(code), [["requireAuth@global"], [], ["isAdmin@router"], [], ["requireAuth@global"]]);
  });

  it("a router mounted with auth, or after app.use(auth), is protected through the mount, with the mount path", () => {
    const code = `${ESM}
const app = express();
const orders = Router();
const reports = Router();
const open = Router();
orders.post("/", h);
reports.delete("/:id", h);
open.put("/x", h);
app.use("/api/orders", requireAuth, orders);
app.use("/public", open);
app.use(requireAuth);
app.use("/api/reports", reports);
`;
    assert.deepEqual(
      routes(code).map((r) => [r.path, r.protections]),
      [
        ["/api/orders", ["requireAuth@mount"]],
        ["/api/reports/:id", ["requireAuth@mount"]],
        ["/public/x", []],
      ],
    );
  });

  it("middleware after the router in the same use() does not protect it", () => {
    const code = `${ESM}const app = express();\nconst r = Router();\nr.post("/x", h);\napp.use("/api", r, requireAuth);\napp.post("/api/y", h);\n`;
    assert.deepEqual(
      routes(code).map((r) => [r.path, r.protections]),
      [
        ["/api/x", []],
        ["/api/y", ["requireAuth@global"]],
      ],
    );
  });

  it("app.use('/auth', authRouter) is a mount, not middleware", () => {
    const code = `${ESM}import { authRouter } from "./auth";\nconst app = express();\napp.use("/auth", authRouter);\napp.post("/orders", h);\n`;
    assert.deepEqual(protectionsOf(code), [[]]);
  });

  it("nested mounts join paths and carry protections", () => {
    const code = `${ESM}
const app = express();
const api = Router();
const v1 = Router();
v1.post("/orders", h);
api.use("/v1", v1);
app.use("/api", requireAuth, api);
`;
    assert.deepEqual(
      routes(code).map((r) => [r.path, r.protections]),
      [["/api/v1/orders", ["requireAuth@mount"]]],
    );
  });

  it("a router mounted twice is as exposed as its least protected mount", () => {
    const code = `${ESM}const app = express();\nconst r = Router();\nr.post("/x", h);\napp.use("/secure", requireAuth, r);\napp.use("/legacy", r);\n`;
    assert.deepEqual(
      routes(code).map((r) => [r.path, r.protections]),
      [["/legacy/x", []]],
    );
  });

  it("express-jwt .unless() exempts the listed paths", () => {
    const code = `${ESM}import { expressjwt } from "express-jwt";
const app = express();
app.use(expressjwt({ secret }).unless({ path: ["/login", /^\\/public\\//, { url: "/import", methods: ["POST"] }] }));
app.post("/orders", h);
app.post("/login", h);
app.post("/public/x", h);
app.post("/import", h);
app.delete("/import", h);
`;
    assert.deepEqual(protectionsOf(code), [["expressjwt@global"], [], [], [], ["expressjwt@global"]]);
  });

  it("class routers: this.router with router.use() order", () => {
    const code = `${ESM}
export class OrdersRoute {
  public router = Router();
  constructor() {
    this.router.post("/early", this.create);
    this.router.use(requireAuth);
    this.router.post("/late", this.create);
  }
  private create = async (req, res) => { res.end(); };
}
class App {
  public app: express.Application;
  constructor() { this.app = express(); this.app.post("/x", (req, res) => res.end()); }
}
`;
    assert.deepEqual(routes(code), [
      { methods: "POST", path: "/early", handler: "OrdersRoute.create", protections: [], data: [] },
      { methods: "POST", path: "/late", handler: "OrdersRoute.create", protections: ["requireAuth@router"], data: [] },
      { methods: "POST", path: "/x", protections: [], data: [] },
    ]);
  });
});

describe("handlers and their data operations", () => {
  it("names handlers and follows them to their functions", () => {
    const code = `${ESM}
import { Order } from "./models";
const router = Router();
async function createOrder(req, res) { await Order.create(req.body); }
const updateOrder = async (req, res) => { await Order.findByIdAndUpdate(req.params.id, req.body); };
const controller = {
  remove: async (req, res) => { await Order.findByIdAndDelete(req.params.id); },
  async archive(req, res) { await Order.updateOne({ _id: req.params.id }, { archived: true }); },
  show: showOrder,
};
function showOrder(req, res) { return Order.findById(req.params.id); }
class OrdersController {
  async bulk(req, res) { await Order.insertMany(req.body); }
  static async purge(req, res) { await Order.deleteMany({}); }
}
const orders = new OrdersController();
router.post("/a", createOrder);
router.put("/b", updateOrder);
router.delete("/c", controller.remove);
router.patch("/d", controller.archive);
router.get("/e", controller.show);
router.post("/f", orders.bulk);
router.delete("/g", OrdersController.purge);
router.post("/h", asyncHandler(createOrder));
router.post("/i", orders.bulk.bind(orders));
router.post("/j", async (req, res) => { await Order.create({}); });
router.post("/k", imported.create);
router.post("/l", utils.asyncHandler(uploadImage()));
router.get("/m", swaggerUi.setup(specs));
router.post("/n", login());
`;
    assert.deepEqual(
      routes(code).map((r) => [r.handler, r.data]),
      [
        ["createOrder", ["write Order.create(…)"]],
        ["updateOrder", ["write Order.findByIdAndUpdate(…)"]],
        ["controller.remove", ["delete Order.findByIdAndDelete(…)"]],
        ["controller.archive", ["write Order.updateOne(…)"]],
        ["controller.show", ["read Order.findById(…)"]],
        ["orders.bulk", ["write Order.insertMany(…)"]],
        ["OrdersController.purge", ["delete Order.deleteMany(…)"]],
        ["createOrder", ["write Order.create(…)"]],
        ["orders.bulk", ["write Order.insertMany(…)"]],
        [undefined, ["write Order.create(…)"]],
        ["imported.create", []],
        ["uploadImage", []],
        ["swaggerUi.setup", []],
        ["login", []],
      ],
    );
  });

  it("follows same-file helpers two calls deep", () => {
    const code = `${ESM}
import { Order } from "./models";
const router = Router();
async function persist(data) { return Order.create(data); }
async function place(data) { return persist(data); }
router.get("/place", async (req, res) => { await place(req.query); res.end(); });
`;
    assert.deepEqual(routes(code)[0].data, ["write Order.create(…)"]);
  });

  const dataOf = (body: string, head = "") =>
    routes(`${ESM}${head}\nconst router = Router();\nrouter.get("/x", async (req, res) => {\n${body}\n});\n`)[0].data;

  it("Mongoose and Sequelize models, statics and instances", () => {
    const head =
      'import { Order } from "./models/order";\nconst User = require("./models/user");\nconst Item = mongoose.model("Item", itemSchema);';
    assert.deepEqual(
      dataOf(
        "await Order.create(req.body); await User.destroy({ where: { id } }); await Item.updateMany({}, {});",
        head,
      ),
      ["write Order.create(…)", "delete User.destroy(…)", "write Item.updateMany(…)"],
    );
    assert.deepEqual(dataOf("const o = new Order(req.body); await o.save();", head), ["write o.save()"]);
    assert.deepEqual(dataOf("const o = await Order.findById(id).populate('items'); await o.remove();", head), [
      "read Order.findById(…)",
      "delete o.remove()",
    ]);
    assert.deepEqual(dataOf("await db.Order.bulkCreate(rows); await this.orderModel.findOneAndDelete({ id });"), [
      "write db.Order.bulkCreate(…)",
      "delete this.orderModel.findOneAndDelete(…)",
    ]);
  });

  it("Prisma delegates", () => {
    assert.deepEqual(
      dataOf(
        "await prisma.order.create({ data }); await this.prisma.user.deleteMany({}); await tx.item.upsert({}); await prisma.order.findMany();",
      ),
      [
        "write prisma.order.create(…)",
        "delete this.prisma.user.deleteMany(…)",
        "write tx.item.upsert(…)",
        "read prisma.order.findMany()",
      ],
    );
  });

  it("TypeORM repositories and managers", () => {
    const head = 'import { AppDataSource } from "./data-source";';
    assert.deepEqual(
      dataOf(
        "const repo = AppDataSource.getRepository(Order); const invoices = AppDataSource.getRepository(Invoice);\nawait repo.save(o); await invoices.softDelete(id); await getRepository(User).insert(u); await AppDataSource.manager.remove(o); await this.orderRepository.update(id, {}); await em.persistAndFlush(o); repo.create(o);",
        head,
      ),
      [
        "write repo.save(…)",
        "delete invoices.softDelete(…)",
        "write getRepository(…).insert(…)",
        "delete AppDataSource.manager.remove(…)",
        "write this.orderRepository.update(…)",
        "write em.persistAndFlush(…)",
      ],
    );
  });

  it("knex, MongoDB collections and SQL text", () => {
    assert.deepEqual(
      dataOf(
        "await knex('orders').insert(row); await knex('orders').where({ id }).del(); await db.collection('orders').insertOne(doc); const coll = db.collection('users'); await coll.deleteOne({ id }); await pool.query('UPDATE orders SET paid = true WHERE id = $1', [id]); await pool.query(`SELECT * FROM orders`); const sql = 'DELETE FROM carts WHERE id = ?'; await connection.execute(sql, [id]); const request = pool.request(); await request.query('INSERT INTO audit (a) VALUES (@a)');",
      ),
      [
        "write knex(…).insert(…)",
        "delete knex(…).where(…).del()",
        "write db.collection(…).insertOne(…)",
        "delete coll.deleteOne(…)",
        "write pool.query(…)",
        "read pool.query(…)",
        "delete connection.execute(…)",
        "write request.query(…)",
      ],
    );
  });

  it("the same method names on things that are not the data layer", () => {
    assert.deepEqual(
      dataOf(
        "const seen = new Map(); seen.delete(k); const tags = new Set(); tags.delete(t); const hash = crypto.createHash('sha256'); hash.update(data); Object.create(null); req.session.destroy(); res.cookie('a', 'b'); await cache.del(key); await redis.set(k, v); items.find((i) => i.id === id); socket.destroy(); emitter.remove(x); await queue.update(job); list.filter(Boolean).find(Boolean); JSON.parse(body); await stream.save(); await api.post('/x', {}); await Promise.all([]);",
      ),
      [],
    );
  });
});

describe("parsers", () => {
  it("reads espree's tree for .js files as it reads typescript-eslint's", () => {
    const code = `const express = require("express");
const { Order } = require("./models");
const router = express.Router();
const protect = [requireAuth];
router.post("/a", ...protect, (req, res) => res.end());
router.post("/b", (req, res) => res.end());
router.get("/c", async (req, res) => { await Order.updateOne({}, {}); res.end(); });
router.use(requireAuth);
router.get("/d", async (req, res) => { await Order.deleteMany({}); res.end(); });
module.exports = router;
`;
    const linter = new Linter({ configType: "flat" });
    const rules = { "api-posture/require-route-auth": "error" } as const;
    const plugins = { "api-posture": plugin as never };
    const espree = linter.verify(code, [{ files: ["**/*.js"], plugins, rules }], "routes.js");
    const typescript = linter.verify(
      code,
      [{ files: ["**/*.ts"], plugins, rules, languageOptions: { parser: tsParser } }],
      "routes.ts",
    );
    assert.deepEqual(
      espree.map((m) => m.line),
      [6, 7],
    );
    assert.deepEqual(
      typescript.map((m) => `${m.line}:${m.column} ${m.message}`),
      espree.map((m) => `${m.line}:${m.column} ${m.message}`),
    );
  });
});

describe("walking", () => {
  it("handles 10,000-deep nesting without exhausting the stack", () => {
    const code = `${ESM}import { Order } from "./models";\nconst app = express();\napp.post("/x", async (req, res) => { const v = [0]; await Order.create(v); });\n`;
    const parsed = parseForESLint(code, { range: true, loc: true, sourceType: "module" });
    const program = parsed.ast as TSESTree.Program;
    // Deepen `[0]` into 10,000 nested arrays, and chain 10,000 calls onto a data call's receiver.
    const route = (program.body[3] as TSESTree.ExpressionStatement).expression as TSESTree.CallExpression;
    const handler = route.arguments[1] as TSESTree.ArrowFunctionExpression;
    const statements = (handler.body as TSESTree.BlockStatement).body;
    const declarator = (statements[0] as TSESTree.VariableDeclaration).declarations[0];
    const array = declarator.init as TSESTree.ArrayExpression;
    let inner: TSESTree.Expression = array.elements[0] as TSESTree.Expression;
    for (let i = 0; i < 10_000; i++) inner = { ...array, elements: [inner] };
    array.elements = [inner];
    const write = (statements[1] as TSESTree.ExpressionStatement).expression as TSESTree.AwaitExpression;
    const call = write.argument as TSESTree.CallExpression;
    const member = call.callee as TSESTree.MemberExpression;
    let receiver: TSESTree.Expression = member.object;
    for (let i = 0; i < 10_000; i++) {
      const m = { ...member, object: receiver } as TSESTree.MemberExpression;
      receiver = { ...call, callee: m, arguments: [] };
    }
    member.object = receiver;
    const model: FileModel = buildTsModel(
      { ast: program, text: code, visitorKeys: parsed.visitorKeys },
      resolveSettings({}),
      "deep.ts",
    );
    assert.equal(model.endpoints.length, 1);
    assert.equal(model.endpoints[0].path, "/x");
  });
});
