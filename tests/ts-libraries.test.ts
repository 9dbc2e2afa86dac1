/**
 * The TS/JS library records (lib/adapters/ts/libraries/): each library's knowledge in one
 * record, consistent with itself, and read by the concerns through the one resolver.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ImportSpecifier } from "../lib/adapters/ts/imports.js";
import { libraries } from "../lib/adapters/ts/libraries/index.js";
import type { TsLibrary } from "../lib/adapters/ts/libraries/library.js";
import { tsModel } from "./helpers/model.js";

/** Every specifier a record's sections name. */
function specifiersOf(library: TsLibrary): ImportSpecifier[] {
  const { auth, cors, jwt, secrets } = library;
  return [
    ...(auth && auth.guards !== "every export" ? auth.guards : []),
    ...(cors?.middleware ?? []),
    ...(cors?.plugins ?? []),
    ...(jwt?.decoders ?? []),
    ...(jwt?.verifiers ?? []),
    ...(jwt?.middleware?.factories ?? []),
    ...(jwt?.strategies?.classes ?? []),
    ...(secrets?.keyArguments ?? []).flatMap((key) => key.calls),
  ];
}

describe("library records", () => {
  it("have distinct ids, and no package is described by two of them", () => {
    const ids = libraries().map((l) => l.id);
    assert.deepEqual(ids, [...new Set(ids)]);
    const packages = libraries().flatMap((l) => l.packages ?? []);
    assert.deepEqual(packages, [...new Set(packages)]);
  });

  it("name only exports of their own packages", () => {
    for (const library of libraries()) {
      for (const specifier of specifiersOf(library)) {
        assert.equal(specifier.from, "package");
        assert.ok(library.packages?.includes(specifier.package), `${library.id}: ${specifier.package}`);
        const names = typeof specifier.name === "string" ? [specifier.name] : specifier.name;
        assert.ok(names.length > 0, library.id);
      }
    }
  });

  it("list their packages wherever a section applies to everything a package exports", () => {
    for (const library of libraries()) {
      const packageWide =
        library.auth?.guards === "every export" ||
        library.secrets?.keyOptions !== undefined ||
        library.jwt?.publicKeys === true ||
        library.jwt?.service !== undefined;
      if (packageWide) assert.ok((library.packages ?? []).length > 0, library.id);
    }
  });
});

describe("library knowledge through the resolver", () => {
  const ESM = 'import express from "express";\nconst app = express();\n';

  it("auth guards follow local aliases of a library's exports", () => {
    const code = `${ESM}const jwtLib = require("express-jwt");\nconst check = jwtLib.expressjwt;\napp.post("/a", check({ secret, algorithms: ["HS256"] }), (req, res) => res.end());\napp.post("/b", check({ secret, credentialsRequired: false }), (req, res) => res.end());\n`;
    const protections = tsModel(code).endpoints.map((e) => e.protections.map((p) => p.name));
    assert.deepEqual(protections, [["check"], []]);
  });

  it("a library's other exports are not guards, whatever the variable is called", () => {
    const code = `${ESM}import { clerkMiddleware } from "@clerk/express";\nconst requireAuth = clerkMiddleware();\napp.post("/a", requireAuth, (req, res) => res.end());\n`;
    assert.deepEqual(tsModel(code).endpoints[0].protections, []);
  });

  it("CORS: a plugin from `require(…).default`, and middleware through a namespace import", () => {
    const code = [
      'import Fastify from "fastify";',
      'import * as honoCors from "hono/cors";',
      "const app = Fastify();",
      'app.register(require("@fastify/cors").default, { origin: true, credentials: true });',
      'app.use(honoCors.cors({ origin: "*", credentials: true }));',
    ].join("\n");
    assert.deepEqual(
      tsModel(code).cors.map((p) => `${p.via} ${p.origins.map((o) => o.kind).join()} ${String(p.credentials.allowed)}`),
      ["app.register(…) reflect true", "honoCors.cors(…) any true"],
    );
  });

  it("JWT: decoders through a namespace import and an alias", () => {
    const code = [
      'import * as jose from "jose";',
      'import jwt from "jsonwebtoken";',
      "const decode = jwt.decode;",
      "export function a(req) { const p = jose.UnsecuredJWT.decode(req.token); req.user = p.payload; }",
      "export function b(req) { const d = decode(req.token); return d.sub; }",
    ].join("\n");
    assert.deepEqual(
      tsModel(code).jwt.map((f) => (f.kind === "unverified-read" ? `${f.library} ${f.call} ${f.use}` : f.kind)),
      ["jose jose.UnsecuredJWT.decode(…) assigned to req.user", "jsonwebtoken decode(…) d.sub is read"],
    );
  });

  it("secrets: renamed imports and `require(…).member` calls are the library's", () => {
    const code = [
      'import { sign as signToken } from "jsonwebtoken";',
      'signToken(payload, "a-signing-key-literal-0001");',
      'require("jsonwebtoken").sign(payload, "a-signing-key-literal-0002");',
      'import cookieParser from "cookie-parser";',
      'cookieParser("a-cookie-secret-literal-03");',
    ].join("\n");
    assert.deepEqual(
      tsModel(code).literals.map((l) => l.sink),
      ["jwt.sign() key", "jwt.sign() key", "cookie-parser secret"],
    );
  });
});
