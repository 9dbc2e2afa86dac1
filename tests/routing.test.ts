/**
 * What the Fastify, Koa and Hono libraries share: middleware path patterns and prefixes;
 * and that each framework keeps to its own code, Express files staying Express's alone.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Linter } from "eslint";
import plugin from "../lib/index.js";
import { joinPaths, patternCover, type PatternOptions } from "../lib/adapters/ts/libraries/routing.js";
import { tsModel } from "./helpers/model.js";
import { FIXTURES } from "./helpers/paths.js";

const HONO: PatternOptions = { caseSensitive: true, coversBelow: false };
const KOA_USE: PatternOptions = { caseSensitive: false, coversBelow: true };

function covered(pattern: string, options: PatternOptions, paths: string[]): string[] {
  const cover = patternCover(pattern, options);
  return paths.filter((p) => cover.test(p));
}

describe("middleware path patterns", () => {
  const paths = ["/", "/api", "/api/", "/api/orders", "/api/orders/:id", "/apiary", "/API/orders", "/admin/api"];

  it("a trailing wildcard covers the prefix and what is under it", () => {
    assert.deepEqual(covered("/api/*", HONO, paths), ["/api", "/api/", "/api/orders", "/api/orders/:id"]);
    assert.deepEqual(covered("*", HONO, paths), paths);
    assert.deepEqual(covered("/api/(.*)", KOA_USE, paths), [
      "/api",
      "/api/",
      "/api/orders",
      "/api/orders/:id",
      "/API/orders",
    ]);
  });

  it("without a wildcard a pattern covers itself, and what is under it only where the framework says so", () => {
    assert.deepEqual(covered("/api", HONO, paths), ["/api", "/api/"]);
    assert.deepEqual(covered("/api", KOA_USE, paths), [
      "/api",
      "/api/",
      "/api/orders",
      "/api/orders/:id",
      "/API/orders",
    ]);
    assert.deepEqual(covered("/", HONO, paths), ["/"]);
    assert.deepEqual(covered("/", KOA_USE, paths), paths);
  });

  it("a parameter covers any one segment; a route's parameter only a parameter or a wildcard", () => {
    assert.deepEqual(covered("/api/orders/:orderId", HONO, paths), ["/api/orders/:id"]);
    assert.deepEqual(covered("/api/orders/me", HONO, paths), []);
    assert.deepEqual(covered("/:section/orders", HONO, paths), ["/api/orders", "/API/orders"]);
    assert.deepEqual(covered("/api/*/:id", HONO, paths), ["/api/orders/:id"]);
  });

  it("gives the first literal segment for indexing, none for a parameter or wildcard", () => {
    assert.equal(patternCover("/Admin/*", KOA_USE).segment, "admin");
    assert.equal(patternCover("/Admin/*", HONO).segment, "Admin");
    assert.equal(patternCover("/:tenant/admin", HONO).segment, undefined);
    assert.equal(patternCover("*", HONO).segment, undefined);
  });

  it("joins prefixes and paths", () => {
    assert.equal(joinPaths("/api", "/orders"), "/api/orders");
    assert.equal(joinPaths("/api/", "orders"), "/api/orders");
    assert.equal(joinPaths("api", "/"), "/api");
    assert.equal(joinPaths(undefined, ""), "/");
    assert.equal(joinPaths("/", "/orders"), "/orders");
  });
});

describe("each framework keeps to its own code", () => {
  it("every Express fixture yields Express endpoints only, and no mounts", () => {
    const dir = path.join(FIXTURES, "require-route-auth", "ts");
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.[cm]?[jt]s$/.test(e.name))
      .map((e) => path.join(e.parentPath, e.name))
      .filter(
        (file) => !/[\\/](fastify|koa|hono|nestjs|nextjs|nest-[a-z-]+|nextjs-[a-z-]+|fastify-[a-z-]+)[\\/]/.test(file),
      );
    assert.ok(files.length >= 10);
    let express = 0;
    for (const file of files) {
      const model = tsModel(readFileSync(file, "utf8"), {}, path.basename(file));
      express += model.endpoints.length;
      assert.deepEqual(
        model.endpoints.filter((e) => e.framework !== "express").map((e) => `${e.framework} ${e.path}`),
        [],
        file,
      );
      assert.deepEqual(model.mounts, [], file);
    }
    assert.ok(express > 50, "the Express fixtures declare their routes");
  });

  it("a file with routes of two frameworks gives each route to its own", () => {
    const code = `
import express from "express";
import Fastify from "fastify";
import Router from "@koa/router";
import { Hono } from "hono";
const app = express();
const server = Fastify();
const router = new Router();
const hono = new Hono();
app.post("/express", (req, res) => res.end());
server.post("/fastify", async () => ({}));
router.post("/koa", async (ctx) => { ctx.body = {}; });
hono.post("/hono", (c) => c.json({}));
`;
    assert.deepEqual(
      tsModel(code).endpoints.map((e) => `${e.framework} ${e.path} ${e.vocabulary.displayName}`),
      ["express /express Express", "fastify /fastify Fastify", "koa /koa Koa", "hono /hono Hono"],
    );
  });
});

describe("AP101 in each framework's words", () => {
  const linter = new Linter({ configType: "flat" });
  const plugins = { "api-posture": plugin as never };
  const rules = { "api-posture/require-route-auth": "error" } as const;
  const lint = (code: string) =>
    linter.verify(code, [{ files: ["**/*.js"], plugins, rules }], "server.js").map((m) => `${m.line} ${m.message}`);

  it("names the route and handler, what is missing and how to add it", () => {
    assert.deepEqual(lint(`const app = require("fastify")();\napp.post("/orders", createOrder);\n`), [
      '2 AP101 POST /orders (createOrder) changes state but nothing requires authorization: no auth hook (onRequest, preValidation, preHandler) in the route options, and none added with addHook() in its plugin or the plugins it is registered in. SOC 2 CC6.1, CC6.3. Fix: add an auth hook to the route options ({ onRequest: [fastify.authenticate] }) or call fastify.addHook("onRequest", fastify.authenticate) in the plugin that declares the route.',
    ]);
    assert.deepEqual(
      lint(
        `const Router = require("@koa/router");\nconst router = new Router();\nrouter.del("/orders/:id", removeOrder);\n`,
      ),
      [
        "3 AP101 DELETE /orders/:id (removeOrder) changes state but nothing requires authorization: no auth middleware on the route, and none registered before it with router.use() or app.use(). SOC 2 CC6.1, CC6.3. Fix: pass an auth middleware before the handler (router.post(path, requireAuth, handler)) or call router.use(jwt({ secret })) before the route.",
      ],
    );
    assert.deepEqual(
      lint(`const { Hono } = require("hono");\nconst app = new Hono();\napp.put("/orders/:id", (c) => c.json({}));\n`),
      [
        '3 AP101 PUT /orders/:id changes state but nothing requires authorization: no auth middleware on the route, and none registered before it with app.use() on a path that covers it. SOC 2 CC6.1, CC6.3. Fix: pass an auth middleware before the handler or call app.use("/api/*", jwt({ secret })) before the route (or before app.route() mounts its sub-app).',
      ],
    );
  });
});
