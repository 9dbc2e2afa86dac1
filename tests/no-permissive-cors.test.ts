/**
 * AP301 no-permissive-cors: what the adapters record about CORS configurations in both
 * languages, how origin patterns are judged, and the rule's messages, positions and
 * options through RuleTester with ESLint 9 and 10 and typescript-eslint's RuleTester.
 */
import { after, describe, it, test } from "node:test";
import assert from "node:assert/strict";
import { RuleTester as TsRuleTester } from "@typescript-eslint/rule-tester";
import plugin from "../lib/index.js";
import { parser } from "../lib/parser.js";
import type { CorsPolicy } from "../lib/core/facts/cors.js";
import { strangerOrigin } from "../lib/rules/no-permissive-cors.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { csharpModel, tsModel } from "./helpers/model.js";

const rule = plugin.rules["no-permissive-cors"];

/** One line per policy: `origin kinds | credentials | flags`. */
function summary(policies: readonly CorsPolicy[]): string[] {
  return policies.map((p) => {
    const flags = [p.guarded ? "guarded" : "", p.developmentOnly ? "dev" : "", p.wildcardWithCredentials]
      .filter(Boolean)
      .join(" ");
    return `${p.origins.map((o) => o.kind).join(",") || "-"} | ${p.credentials.allowed} | ${flags}`;
  });
}

const express = (body: string) =>
  `import express from "express";\nimport cors from "cors";\nconst app = express();\n${body}\n`;

describe("TS adapter: CORS facts", () => {
  test("cors() options inline, through a const, and the defaults", () => {
    const code = express(
      [
        "app.use(cors({ origin: true, credentials: true }));",
        'app.use(cors({ origin: "*" }));',
        "app.use(cors());",
        'const corsOptions = { origin: "null", credentials: true };',
        "app.use(cors(corsOptions));",
        "app.use(cors({ credentials: true }));",
      ].join("\n"),
    );
    assert.deepEqual(summary(tsModel(code).cors), [
      "reflect | true | sent",
      "any | false | sent",
      "any | false | sent",
      "null | true | sent",
      "any | true | sent",
    ]);
  });

  test("a name that is not the cors package is not a CORS configuration", () => {
    const code =
      'import express from "express";\nconst app = express();\nconst cors = (o: object) => o;\napp.use(cors({ origin: true, credentials: true }));\n';
    assert.deepEqual(tsModel(code).cors, []);
  });

  test("origin functions: allow-all and echo versus checks", () => {
    const code = express(
      [
        "app.use(cors({ origin: (o, cb) => cb(null, true), credentials: true }));",
        "app.use(cors({ origin: function (origin, callback) { log(origin); callback(null, origin); }, credentials: true }));",
        "app.use(cors({ origin: (o, cb) => { if (list.includes(o)) cb(null, true); }, credentials: true }));",
        "app.use(cors({ origin: (o, cb) => { if (!o) return cb(null, true); cb(new Error('blocked')); }, credentials: true }));",
        "app.use(cors({ origin: (o, cb) => cb(null, list.includes(o)), credentials: true }));",
        "function allowAll(origin, callback) { callback(null, true); }",
        "app.use(cors({ origin: allowAll, credentials: true }));",
      ].join("\n"),
    );
    assert.deepEqual(
      summary(tsModel(code).cors).map((s) => s.split(" | ")[0]),
      ["reflect", "reflect", "restricted", "restricted", "restricted", "reflect"],
    );
  });

  test("arrays are judged element by element; configuration and fallbacks", () => {
    const code = express(
      [
        'app.use(cors({ origin: ["*", "https://a.example.com"], credentials: true }));',
        'app.use(cors({ origin: [/\\.example\\.com$/, "null"], credentials: true }));',
        "app.use(cors({ origin: process.env.ORIGINS.split(','), credentials: true }));",
        "app.use(cors({ origin: process.env.ORIGIN ?? true, credentials: true }));",
        'app.use(cors({ origin: new RegExp("example\\\\.com"), credentials: isProd }));',
      ].join("\n"),
    );
    assert.deepEqual(
      summary(tsModel(code).cors).map((s) => s.split(" | ").slice(0, 2).join(" | ")),
      ["restricted | true", "pattern,null | true", "restricted | true", "reflect | true", "pattern | unknown"],
    );
    const pattern = tsModel(code).cors[4].origins[0].patterns![0];
    assert.deepEqual(pattern, { syntax: "regexp", source: "example\\.com", flags: "" });
  });

  test("spreads: followed when const, otherwise the defaults are not assumed", () => {
    const code = express(
      [
        "const base = { origin: true };",
        "app.use(cors({ ...base, credentials: true }));",
        "app.use(cors({ ...loadOptions(), credentials: true }));",
        "let reassigned = { origin: true, credentials: true };",
        "reassigned = { origin: false };",
        "app.use(cors(reassigned));",
      ].join("\n"),
    );
    assert.deepEqual(summary(tsModel(code).cors), ["reflect | true | sent", "- | true | sent"]);
  });

  test("delegates: options handed over in a branch are guarded", () => {
    const code = express(
      [
        "app.use(cors((req, cb) => cb(null, { origin: true, credentials: true })));",
        "app.use(cors((req, cb) => { if (ok(req)) cb(null, { origin: true, credentials: true }); else cb(null, { origin: false }); }));",
      ].join("\n"),
    );
    assert.deepEqual(summary(tsModel(code).cors), [
      "reflect | true | sent",
      "reflect | true | guarded sent",
      "disabled | false | guarded sent",
    ]);
  });

  test("libraries: @koa/cors reflects '*', Hono and @fastify/cors send it; NestJS", () => {
    const koa =
      'import Koa from "koa";\nimport cors from "@koa/cors";\nconst app = new Koa();\napp.use(cors({ credentials: true }));\napp.use(cors({ origin: (ctx) => ctx.get("Origin"), credentials: true }));\n';
    assert.deepEqual(summary(tsModel(koa).cors), ["any | true | reflected", "reflect | true | reflected"]);
    const hono =
      'import { cors } from "hono/cors";\napp.use(cors({ origin: (origin) => origin, credentials: true }));\napp.use(cors({ origin: (o) => (o.endsWith(".example.com") ? o : null), credentials: true }));\n';
    assert.deepEqual(summary(tsModel(hono).cors), ["reflect | true | sent", "restricted | true | sent"]);
    const fastify =
      'import cors from "@fastify/cors";\nawait fastify.register(cors, { origin: true, credentials: true });\nawait fastify.register(import("@fastify/cors"), { delegator: (req, cb) => cb(null, { origin: true, credentials: true }) });\n';
    assert.deepEqual(summary(tsModel(fastify).cors), ["reflect | true | sent", "reflect | true | sent"]);
    const nest = [
      'import { NestFactory } from "@nestjs/core";',
      "const app = await NestFactory.create(AppModule, { cors: true });",
      "const admin = await NestFactory.create(AdminModule, { cors: { origin: true, credentials: true } });",
      "app.enableCors();",
      "app.enableCors({ credentials: true });",
      "app.enableCors((req, callback) => callback(null, { origin: true, credentials: true }));",
    ].join("\n");
    assert.deepEqual(summary(tsModel(nest).cors), [
      "any | false | sent",
      "reflect | true | sent",
      "any | false | sent",
      "any | true | sent",
      "reflect | true | sent",
    ]);
  });

  test("typed options objects, counted once when also passed to cors()", () => {
    const code = [
      'import cors, { type CorsOptions } from "cors";',
      "export const options: CorsOptions = { origin: true, credentials: true };",
      "export const factory = (config: Config): CorsOptions => ({ origin: config.origins, credentials: true });",
      "const used: CorsOptions = { origin: '*', credentials: true };",
      "app.use(cors(used));",
    ].join("\n");
    assert.deepEqual(summary(tsModel(code).cors), [
      "any | true | sent",
      "reflect | true | sent",
      "restricted | true | sent",
    ]);
  });

  test("development-only branches", () => {
    const code = express(
      [
        "if (process.env.NODE_ENV === 'development') app.use(cors({ origin: true, credentials: true }));",
        "if (isProduction) { app.use(cors({ origin: list, credentials: true })); } else { app.use(cors({ origin: true, credentials: true })); }",
        "if (!config.isDev) app.use(cors({ origin: true, credentials: true }));",
      ].join("\n"),
    );
    assert.deepEqual(summary(tsModel(code).cors), [
      "reflect | true | dev sent",
      "restricted | true | sent",
      "reflect | true | dev sent",
      "reflect | true | sent",
    ]);
  });

  test("handwritten headers: reflected, checked, '*', and credentials from the same handler", () => {
    const code = [
      "export function a(req, res, next) { const origin = req.headers.origin; res.setHeader('Access-Control-Allow-Origin', origin); res.setHeader('Access-Control-Allow-Credentials', 'true'); next(); }",
      "export function b(req, res, next) { const { origin } = req.headers; if (allowed.has(origin)) res.header('Access-Control-Allow-Origin', origin); res.header('Access-Control-Allow-Credentials', true); next(); }",
      "export function c(req, res, next) { if (typeof req.headers.origin === 'string') res.set('Access-Control-Allow-Origin', req.headers.origin); res.set('access-control-allow-credentials', 'true'); next(); }",
      "export function d(req, res) { res.writeHead(204, { 'Access-Control-Allow-Origin': '*' }); res.end(); }",
      "export function e(c) { c.header('Access-Control-Allow-Origin', c.req.header('origin')); return c.body(null); }",
      "export const f = (req, res) => { res.setHeader('Access-Control-Allow-Origin', req.get('origin')); res.on('finish', () => log(res)); res.setHeader('Access-Control-Allow-Credentials', flag); };",
    ].join("\n");
    assert.deepEqual(summary(tsModel(code).cors), [
      "reflect | true | sent",
      "reflect | true | guarded sent",
      "reflect | true | sent",
      "any | false | sent",
      "reflect | false | sent",
      "reflect | unknown | sent",
    ]);
  });

  test("headers on different arms of a branch do not combine", () => {
    const code = [
      "export function g(req, res, next) {",
      "  const origin = req.headers.origin;",
      "  if (allowed.includes(origin)) {",
      "    res.setHeader('Access-Control-Allow-Origin', origin);",
      "    res.setHeader('Access-Control-Allow-Credentials', 'true');",
      "  } else {",
      "    res.setHeader('Access-Control-Allow-Origin', '*');",
      "  }",
      "  next();",
      "}",
      "export function h(req, res) {",
      "  switch (mode) {",
      "    case 'public': res.setHeader('Access-Control-Allow-Origin', '*'); break;",
      "    default: res.setHeader('Access-Control-Allow-Origin', req.headers.origin); res.setHeader('Access-Control-Allow-Credentials', 'true');",
      "  }",
      "}",
    ].join("\n");
    assert.deepEqual(summary(tsModel(code).cors), [
      "reflect | true | guarded sent",
      "any | false | sent",
      "any | false | sent",
      "reflect | true | sent",
    ]);
  });

  test("a long file with many writes and configurations stays linear", { timeout: 120_000 }, () => {
    const handler =
      "app.use((req, res, next) => { const origin = req.headers.origin; if (ok(origin)) res.setHeader('Access-Control-Allow-Origin', origin); res.setHeader('Access-Control-Allow-Credentials', 'true'); next(); });\n";
    const config = "app.use(cors({ origin: (o, cb) => cb(null, true), credentials: true }));\n";
    const topLevel = "res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\n";
    const code = express(handler.repeat(3_000) + config.repeat(3_000) + topLevel.repeat(3_000));
    const model = tsModel(code);
    assert.equal(model.cors.length, 9_000);
  });

  test("a long || chain does not overflow", () => {
    // The last fallback decides: `true` whenever every name before it is unset.
    const code = express(`app.use(cors({ origin: ${"a || ".repeat(800)}true, credentials: true }));`);
    assert.deepEqual(summary(tsModel(code).cors), ["reflect | true | sent"]);
  });
});

const csharp = (body: string) =>
  `using Microsoft.AspNetCore.Builder;\nvar builder = WebApplication.CreateBuilder(args);\n${body}\n`;

describe("C# adapter: CORS facts", () => {
  test("policy builders: chains, statements on one builder, separate policies", () => {
    const code = csharp(
      [
        'builder.Services.AddCors(o => o.AddPolicy("a", p => p.AllowAnyOrigin().AllowCredentials()));',
        "builder.Services.AddCors(o => { o.AddDefaultPolicy(p => { p.SetIsOriginAllowed(_ => true); p.AllowAnyHeader(); p.AllowCredentials(); }); });",
        'builder.Services.AddCors(o => o.AddPolicy("b", p => p.WithOrigins("https://a.example.com").AllowCredentials()));',
        'builder.Services.AddCors(o => o.AddPolicy("c", p => p.WithOrigins("*")));',
        "var cp = new CorsPolicyBuilder().AllowAnyOrigin();",
        "cp.AllowCredentials();",
      ].join("\n"),
    );
    const policies = csharpModel(code).cors;
    assert.deepEqual(summary(policies), [
      "any | true | rejected",
      "any | true | rejected",
      "restricted | true | rejected",
      "any | false | rejected",
      "reflect | true | rejected",
    ]);
    assert.deepEqual(
      policies.map((p) => p.via),
      ['AddPolicy("a")', "new CorsPolicyBuilder()", 'AddPolicy("b")', 'AddPolicy("c")', "AddDefaultPolicy()"],
    );
  });

  test("settings on different arms of a branch belong to different policies", () => {
    const code = `public class Provider : ICorsPolicyProvider
{
    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? name)
    {
        var hosts = _config.CorsHosts;
        var builder = new CorsPolicyBuilder().AllowAnyHeader();
        if (hosts.Length == 0) { builder.AllowAnyOrigin(); }
        else { builder.WithOrigins(hosts).AllowCredentials(); }
        var other = new CorsPolicyBuilder();
        other.AllowAnyOrigin();
        if (hosts.Length > 0) other.AllowCredentials();
        return Task.FromResult<CorsPolicy?>(builder.Build());
    }
}`;
    assert.deepEqual(summary(csharpModel(code).cors), [
      "any | false | rejected",
      "restricted | true | rejected",
      "any | true | rejected",
    ]);
  });

  test("origin predicates: always true versus a check, lambdas and method groups", () => {
    const code = `public static class Cors
{
    private static bool Anything(string origin) => true;
    private static bool Listed(string origin) { if (origin == null) return false; return Allowed.Contains(origin); }
    private static bool Always(string origin) { return (true); }
    public static void Add(IServiceCollection services) => services.AddCors(o =>
    {
        o.AddPolicy("a", p => p.SetIsOriginAllowed(Anything).AllowCredentials());
        o.AddPolicy("b", p => p.SetIsOriginAllowed(Listed).AllowCredentials());
        o.AddPolicy("c", p => p.SetIsOriginAllowed(origin => origin.EndsWith(".example.com")).AllowCredentials());
        o.AddPolicy("d", p => p.SetIsOriginAllowed(isOriginAllowed: Always).AllowCredentials());
        o.AddPolicy("e", p => p.SetIsOriginAllowed(delegate (string s) { return true; }).AllowCredentials());
        o.AddPolicy("f", p => p.SetIsOriginAllowed(s => { if (s.Length > 0) throw new InvalidOperationException(); return true; }).AllowCredentials());
    });
}`;
    assert.deepEqual(
      summary(csharpModel(code).cors).map((s) => s.split(" | ")[0]),
      ["reflect", "restricted", "restricted", "reflect", "reflect", "restricted"],
    );
  });

  test("wildcard subdomains count only with SetIsOriginAllowedToAllowWildcardSubdomains()", () => {
    const code = csharp(
      [
        'builder.Services.AddCors(o => o.AddPolicy("a", p => p.WithOrigins("https://*.example.com").SetIsOriginAllowedToAllowWildcardSubdomains().AllowCredentials()));',
        'builder.Services.AddCors(o => o.AddPolicy("b", p => p.WithOrigins("https://*.example.com").AllowCredentials()));',
      ].join("\n"),
    );
    const policies = csharpModel(code).cors;
    assert.deepEqual(summary(policies), ["pattern | true | rejected", "- | true | rejected"]);
    assert.deepEqual(policies[0].origins[0].patterns, [
      { syntax: "wildcard-subdomain", source: "https://*.example.com", flags: "" },
    ]);
  });

  test("CorsPolicy objects, classic ASP.NET and Web API attributes", () => {
    const core = csharp(
      'var policy = new CorsPolicy { SupportsCredentials = true };\npolicy.Origins.Add("*");\nvar other = new CorsPolicy { IsOriginAllowed = _ => true };',
    );
    assert.deepEqual(summary(csharpModel(core).cors), ["any | true | rejected", "reflect | false | rejected"]);
    const classic =
      "using System.Web.Cors;\nvar policy = new CorsPolicy { AllowAnyOrigin = true, SupportsCredentials = true };\n";
    assert.deepEqual(summary(csharpModel(classic).cors), ["any | true | reflected"]);
    const webApi = `using System.Web.Http.Cors;
[EnableCors(origins: "*", headers: "*", methods: "*", SupportsCredentials = true)]
public class AController : ApiController { }
[EnableCors("https://a.example.com,null", "*", "*", SupportsCredentials = true)]
public class BController : ApiController { }
[EnableCors("PolicyName")]
public class CController : ControllerBase { }
public static class WebApiConfig { public static void Register(HttpConfiguration config) => config.EnableCors(new EnableCorsAttribute("*", "*", "GET") { SupportsCredentials = true }); }
`;
    assert.deepEqual(summary(csharpModel(webApi).cors).sort(), [
      "any | true | reflected",
      "any | true | reflected",
      "null,restricted | true | reflected",
    ]);
  });

  test("development-only: IsDevelopment(), the else of !IsDevelopment(), #if DEBUG; not Staging", () => {
    const code = `public class Startup
{
    public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
    {
        if (env.IsDevelopment()) { app.UseCors(p => p.SetIsOriginAllowed(_ => true).AllowCredentials()); }
        if (!env.IsDevelopment()) { app.UseHsts(); } else { app.UseCors(p => p.SetIsOriginAllowed(_ => true).AllowCredentials()); }
        if (app.Environment.IsDevelopment() && useSpaProxy) { app.UseCors(p => p.SetIsOriginAllowed(_ => true).AllowCredentials()); }
        if (env.IsProduction()) { app.UseCors("Prod"); } else { app.UseCors(p => p.SetIsOriginAllowed(_ => true).AllowCredentials()); }
        if (!env.IsDevelopment()) { app.UseCors(p => p.SetIsOriginAllowed(_ => true).AllowCredentials()); }
        if (env.IsDevelopment() || allowAll) { app.UseCors(p => p.SetIsOriginAllowed(_ => true).AllowCredentials()); }
#if DEBUG
        app.UseCors(p => p.AllowAnyOrigin().AllowCredentials());
#endif
    }
}`;
    assert.deepEqual(summary(csharpModel(code).cors), [
      "any | true | dev rejected",
      "reflect | true | dev rejected",
      "reflect | true | dev rejected",
      "reflect | true | dev rejected",
      "reflect | true | rejected",
      "reflect | true | rejected",
      "reflect | true | rejected",
    ]);
  });

  test("handwritten headers: reflected, checked, '*', typed header properties", () => {
    const code = `public class CorsMiddleware
{
    public async Task A(HttpContext context)
    {
        var origin = context.Request.Headers["Origin"].ToString();
        context.Response.Headers["Access-Control-Allow-Origin"] = origin;
        context.Response.Headers["Access-Control-Allow-Credentials"] = "true";
    }
    public Task B(HttpContext context)
    {
        if (context.Request.Headers.TryGetValue("Origin", out var origin) && !string.IsNullOrEmpty(origin) && _trusted.Contains(origin))
            context.Response.Headers.Append(HeaderNames.AccessControlAllowOrigin, origin);
        context.Response.Headers.AccessControlAllowCredentials = "true";
        return Task.CompletedTask;
    }
    public Task C(HttpContext context)
    {
        if (!string.IsNullOrEmpty(context.Request.Headers.Origin))
            context.Response.Headers.AccessControlAllowOrigin = context.Request.Headers.Origin;
        context.Response.OnStarting(() => { context.Response.Headers.Add("Access-Control-Allow-Credentials", "true"); return Task.CompletedTask; });
        return Task.CompletedTask;
    }
    public void D(HttpResponse response) => response.Headers.Add("Access-Control-Allow-Origin", "*");
    public void F(HttpContext context, bool open)
    {
        if (open) context.Response.Headers.Add("Access-Control-Allow-Origin", "*");
        else { context.Response.Headers.Add("Access-Control-Allow-Origin", "https://app.example.com"); context.Response.Headers.Add("Access-Control-Allow-Credentials", "true"); }
    }
    public void E(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.Add("Access-Control-Allow-Origin", context.Request.Headers["Origin"]);
            return Task.CompletedTask;
        });
        context.Response.Headers.Add("Access-Control-Allow-Credentials", "true");
    }
}`;
    assert.deepEqual(summary(csharpModel(code).cors), [
      "reflect | true | sent",
      "reflect | true | guarded sent",
      "reflect | false | sent",
      "any | false | sent",
      "any | false | sent",
      "restricted | true | sent",
      "reflect | true | sent",
    ]);
  });

  test("deep nesting and a long file stay fast", { timeout: 120_000 }, () => {
    const deep = `public class Deep {\n  public void M(IApplicationBuilder app, bool a) {\n${"if (a) {\n".repeat(10_000)}app.UseCors(p => p.SetIsOriginAllowed(_ => true).AllowCredentials());\n${"}\n".repeat(10_000)}  }\n}\n`;
    assert.deepEqual(summary(csharpModel(deep).cors), ["reflect | true | rejected"]);
    const body =
      'o.AddPolicy("p", p => p.SetIsOriginAllowed(_ => true).AllowCredentials());\ncontext.Response.Headers["Access-Control-Allow-Origin"] = context.Request.Headers["Origin"];\ncontext.Response.Headers["Access-Control-Allow-Credentials"] = "true";\n';
    const long = `public class Long {\n  public void M(CorsOptions o, HttpContext context) {\n${body.repeat(4_000)}  }\n}\n`;
    const policies = csharpModel(long).cors;
    assert.equal(policies.length, 8_000);
  });
});

describe("origin patterns: which ones strangers can satisfy", () => {
  const regexp = (source: string) => strangerOrigin({ syntax: "regexp", source, flags: "" });
  const wildcard = (source: string) => strangerOrigin({ syntax: "wildcard-subdomain", source, flags: "" });

  test("too broad", () => {
    assert.equal(regexp("example\\.com"), "https://example.com.evil.test");
    assert.equal(regexp("example\\.com$"), "https://evilexample.com");
    assert.equal(regexp("^https:\\/\\/.*example\\.com$"), "https://evilexample.com");
    assert.equal(regexp(".*"), "https://evil.test");
    assert.equal(regexp("^https?:\\/\\/localhost"), "https://localhost.evil.test");
    assert.equal(regexp("\\.vercel\\.app$"), "https://evil.vercel.app");
    assert.equal(
      regexp("^https:\\/\\/app\\.example\\.com$|staging\\.example\\.com"),
      "https://staging.example.com.evil.test",
    );
    assert.equal(wildcard("https://*.com"), "https://evil.com");
    assert.equal(wildcard("https://*.azurewebsites.net"), "https://evil.azurewebsites.net");
    assert.equal(wildcard("http://*.co.uk:8080"), "http://evil.co.uk:8080");
  });

  test("anchored to a domain the owner controls", () => {
    assert.equal(regexp("^https:\\/\\/([a-z0-9-]+\\.)*example\\.com$"), undefined);
    assert.equal(regexp("\\.example\\.com$"), undefined);
    assert.equal(regexp("^https:\\/\\/app\\.example\\.com(:\\d+)?$"), undefined);
    assert.equal(regexp("^https:\\/\\/(app|admin)\\.example\\.com$"), undefined);
    assert.equal(regexp("^http:\\/\\/localhost:\\d+$"), undefined);
    assert.equal(regexp("^https:\\/\\/shop-[a-z0-9]+-acme\\.vercel\\.app$"), undefined);
    assert.equal(wildcard("https://*.example.com"), undefined);
  });

  test("patterns that could backtrack exponentially or do not compile are not tested", () => {
    assert.equal(regexp("^(a+)+$"), undefined);
    assert.equal(regexp("^(.*a){3}.*$"), undefined);
    assert.equal(regexp("(unclosed"), undefined);
  });
});

const SUFFIX = "SOC 2 CC6.6, CC6.7.";
const CONSEQUENCE =
  "any web site the user visits can send authenticated requests with the user's cookies and read the responses";
const TS_FIX =
  "Fix: allow an explicit list of trusted origins (origin: ['https://app.example.com']) or turn credentials off.";
const CS_FIX =
  'Fix: name the trusted origins with WithOrigins("https://app.example.com") (or check the origin against that list in SetIsOriginAllowed), or drop AllowCredentials().';
const HEADER_FIX =
  "Fix: echo the Origin header only after checking it against an explicit allow-list of trusted origins, or do not send Access-Control-Allow-Credentials.";

const tsCases = {
  valid: [
    { code: express('app.use(cors({ origin: "*" }));') },
    { code: express("app.use(cors());") },
    { code: express('app.use(cors({ origin: ["https://app.example.com"], credentials: true }));') },
    { code: express("app.use(cors({ origin: false, credentials: true }));") },
    { code: express("app.use(cors({ origin: true, credentials: false }));") },
    { code: express("app.use(cors({ origin: /^https:\\/\\/([a-z0-9-]+\\.)*example\\.com$/, credentials: true }));") },
    { code: express("app.use(cors({ origin: (o, cb) => cb(null, allowed.includes(o)), credentials: true }));") },
    {
      code: express("if (process.env.NODE_ENV === 'development') app.use(cors({ origin: true, credentials: true }));"),
    },
    // CORS set up by test code is not deployed.
    { code: express("app.use(cors({ origin: true, credentials: true }));"), filename: "test/app.test.ts" },
    {
      code: 'import { NestFactory } from "@nestjs/core";\nconst app = await NestFactory.create(AppModule, { cors: true });\n',
    },
  ],
  invalid: [
    {
      code: express("app.use(cors({ origin: true, credentials: true }));"),
      errors: [
        {
          message: `AP301 origin: true in cors(…) lets every origin in, and credentials: true allows credentials: ${CONSEQUENCE}. ${SUFFIX} ${TS_FIX}`,
          line: 4,
          column: 16,
          endLine: 4,
          endColumn: 28,
        },
      ],
    },
    {
      code: express('app.use(cors({\n  origin: "*",\n  credentials: true,\n}));'),
      errors: [
        {
          message: `AP301 origin: "*" in cors(…) allows any origin ('*'), and credentials: true allows credentials: the configuration asks that ${CONSEQUENCE}; browsers refuse '*' with credentials, and the usual way round it, echoing the request's origin, lets every site in. ${SUFFIX} ${TS_FIX}`,
          line: 5,
          column: 3,
        },
      ],
    },
    {
      code: express('app.use(cors({ origin: ["https://docs.example.com", "null"], credentials: true }));'),
      errors: [
        {
          message: `AP301 "null" in the origin list in cors(…) allows the origin 'null', and credentials: true allows credentials: any web site can send that origin from a sandboxed iframe, so ${CONSEQUENCE}. ${SUFFIX} Fix: remove 'null' from the allowed origins.`,
          line: 4,
          column: 53,
        },
      ],
    },
    {
      code: express("app.use(cors({ origin: /example\\.com$/, credentials: true }));"),
      errors: [
        {
          message: `AP301 origin: /example\\.com$/ in cors(…) also accepts origins nobody here controls (e.g. https://evilexample.com), and credentials: true allows credentials: such a site can send authenticated requests with the user's cookies and read the responses. ${SUFFIX} Fix: anchor the pattern to a domain you own (/^https:\\/\\/([a-z0-9-]+\\.)*example\\.com$/) or list the trusted origins explicitly.`,
          line: 4,
          column: 16,
        },
      ],
    },
    {
      code: "export function cors(req, res, next) {\n  res.setHeader('Access-Control-Allow-Origin', req.headers.origin);\n  res.setHeader('Access-Control-Allow-Credentials', 'true');\n  next();\n}\n",
      errors: [
        {
          message: `AP301 Access-Control-Allow-Origin: req.headers.origin in res.setHeader(…) lets every origin in, and Access-Control-Allow-Credentials: 'true' allows credentials: ${CONSEQUENCE}. ${SUFFIX} ${HEADER_FIX}`,
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 67,
        },
      ],
    },
    {
      // One options object applied twice is one finding, where the origin is set.
      code: express(
        'const corsOptions = {\n  origin: true,\n  credentials: true,\n};\napp.use(cors(corsOptions));\napp.options("*", cors(corsOptions));',
      ),
      errors: [{ messageId: "reflectedOrigin", line: 5, column: 3 }],
    },
    {
      code: 'const express = require("express");\nconst app = express();\napp.use(require("cors")({ origin: "null", credentials: true }));\n',
      filename: "src/server.js",
      errors: [{ messageId: "nullOrigin", line: 3, column: 27 }],
    },
    {
      code: 'import { NestFactory } from "@nestjs/core";\nconst app = await NestFactory.create(AppModule, { cors: true });\napp.enableCors({ credentials: true });\n',
      errors: [{ messageId: "wildcardOrigin", line: 3, column: 1 }],
    },
    {
      code: 'import Koa from "koa";\nimport cors from "@koa/cors";\nnew Koa().use(cors({ credentials: true }));\n',
      errors: [{ messageId: "reflectedOrigin", line: 3, column: 15 }],
    },
    {
      code: 'import { cors } from "hono/cors";\napp.use("/api/*", cors({ origin: (origin) => origin, credentials: true }));\n',
      errors: [{ messageId: "reflectedOrigin", line: 2, column: 26 }],
    },
    {
      code: 'import cors from "@fastify/cors";\nawait fastify.register(cors, { origin: true, credentials: true });\n',
      errors: [{ messageId: "reflectedOrigin", line: 2, column: 32 }],
    },
    {
      code: express("app.use(cors({ origin: true, credentials: true }));"),
      filename: "test/app.test.ts",
      options: [{ includeTestFiles: true }],
      errors: [{ messageId: "reflectedOrigin" }],
    },
  ],
};

const program = (body: string) =>
  `using Microsoft.AspNetCore.Builder;\n\nvar builder = WebApplication.CreateBuilder(args);\n${body}\nvar app = builder.Build();\napp.UseCors();\napp.Run();\n`;

const csCases = {
  valid: [
    {
      code: program(
        'builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins("https://app.example.com").AllowCredentials()));',
      ),
    },
    { code: program("builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowAnyHeader()));") },
    {
      code: program(
        "builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.SetIsOriginAllowed(IsTrusted).AllowCredentials()));\nstatic bool IsTrusted(string origin) => Trusted.Contains(origin);",
      ),
    },
    {
      code: program(
        "if (builder.Environment.IsDevelopment())\n    builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.SetIsOriginAllowed(_ => true).AllowCredentials()));",
      ),
    },
    {
      code: program(
        "builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.SetIsOriginAllowed(_ => true).AllowCredentials().DisallowCredentials()));",
      ),
    },
    { code: '[EnableCors("Storefront")]\npublic class OrdersController : ControllerBase { }\n' },
    {
      code: program("builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowCredentials()));"),
      filename: "tests/Api.Tests/TestStartup.cs",
    },
  ],
  invalid: [
    {
      code: program("builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowCredentials()));"),
      errors: [
        {
          message: `AP301 AllowAnyOrigin() in AddDefaultPolicy() allows any origin ('*'), and AllowCredentials() allows credentials: the configuration asks that ${CONSEQUENCE}; ASP.NET Core rejects this pair when it builds the policy, and the usual way round it, SetIsOriginAllowed(_ => true), lets every site in. ${SUFFIX} ${CS_FIX}`,
          line: 4,
          column: 57,
          endLine: 4,
          endColumn: 73,
        },
      ],
    },
    {
      code: program(
        'builder.Services.AddCors(options =>\n{\n    options.AddPolicy("Realtime", policy =>\n    {\n        policy.SetIsOriginAllowed(origin => true);\n        policy.AllowCredentials();\n    });\n});',
      ),
      errors: [
        {
          message: `AP301 SetIsOriginAllowed(origin => true) in AddPolicy("Realtime") lets every origin in, and AllowCredentials() allows credentials: ${CONSEQUENCE}. ${SUFFIX} ${CS_FIX}`,
          line: 8,
          column: 16,
          endLine: 8,
          endColumn: 50,
        },
      ],
    },
    {
      code: program(
        'builder.Services.AddCors(o => o.AddPolicy("Previews", p => p.WithOrigins("https://*.azurewebsites.net").SetIsOriginAllowedToAllowWildcardSubdomains().AllowCredentials()));',
      ),
      errors: [
        {
          message: `AP301 WithOrigins("https://*.azurewebsites.net") in AddPolicy("Previews") also accepts origins nobody here controls (e.g. https://evil.azurewebsites.net), and AllowCredentials() allows credentials: such a site can send authenticated requests with the user's cookies and read the responses. ${SUFFIX} Fix: list the trusted origins with WithOrigins("https://app.example.com"), or a wildcard under a domain you own (https://*.example.com).`,
          line: 4,
          column: 62,
        },
      ],
    },
    {
      code: 'public class CorsMiddleware\n{\n    public Task InvokeAsync(HttpContext context)\n    {\n        context.Response.Headers["Access-Control-Allow-Origin"] = context.Request.Headers["Origin"];\n        context.Response.Headers["Access-Control-Allow-Credentials"] = "true";\n        return _next(context);\n    }\n}\n',
      errors: [
        {
          message: `AP301 Access-Control-Allow-Origin: context.Request.Headers["Origin"] in context.Response.Headers["Access-Control-Allow-Origin"] = … lets every origin in, and Access-Control-Allow-Credentials: "true" allows credentials: ${CONSEQUENCE}. ${SUFFIX} ${HEADER_FIX}`,
          line: 5,
          column: 9,
        },
      ],
    },
    {
      code: 'var policy = new CorsPolicy { SupportsCredentials = true };\npolicy.Origins.Add("*");\n',
      errors: [
        {
          message: `AP301 policy.Origins.Add("*") in new CorsPolicy() allows any origin ('*'), and SupportsCredentials = true allows credentials: the configuration asks that ${CONSEQUENCE}; ASP.NET Core rejects this pair when it builds the policy, and the usual way round it, SetIsOriginAllowed(_ => true), lets every site in. ${SUFFIX} Fix: list the trusted origins ("https://app.example.com") instead of '*' or an always-true IsOriginAllowed, or set SupportsCredentials = false.`,
          line: 2,
          column: 1,
        },
      ],
    },
    {
      code: 'using System.Web.Http.Cors;\n\n[EnableCors(origins: "*", headers: "*", methods: "*", SupportsCredentials = true)]\npublic class DirectoryController : ApiController { }\n',
      errors: [{ messageId: "reflectedOrigin", line: 3, column: 22 }],
    },
    {
      code: program("builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowCredentials()));"),
      filename: "tests/Api.Tests/TestStartup.cs",
      options: [{ includeTestFiles: true }],
      errors: [{ messageId: "wildcardOrigin" }],
    },
  ],
};

for (const version of ESLINT_VERSIONS) {
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).describe = describe;
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).it = it;
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).itOnly = it.only;

  describe(`no-permissive-cors, TypeScript (${version.label})`, () => {
    const tester = new version.RuleTester({ plugins: { "api-posture": plugin }, languageOptions: { parser } });
    tester.run("no-permissive-cors", rule, {
      valid: tsCases.valid.map((c) => ({ filename: "src/server.ts", ...c })),
      invalid: tsCases.invalid.map((c) => ({ filename: "src/server.ts", ...c })),
    });
  });

  describe(`no-permissive-cors, C# (${version.label})`, () => {
    const tester = new version.RuleTester({
      plugins: { "api-posture": plugin },
      language: "api-posture/csharp",
    });
    tester.run("no-permissive-cors", rule, {
      valid: csCases.valid.map((c) => ({ filename: "src/Api/Program.cs", ...c })),
      invalid: csCases.invalid.map((c) => ({ filename: "src/Api/Program.cs", ...c })),
    });
  });
}

describe("no-permissive-cors with typescript-eslint's RuleTester", () => {
  TsRuleTester.afterAll = after;
  TsRuleTester.describe = describe;
  TsRuleTester.it = it;
  TsRuleTester.itOnly = it.only;
  new TsRuleTester().run("no-permissive-cors", rule as never, {
    valid: [{ ...tsCases.valid[0], filename: "server.ts" }],
    invalid: [{ ...tsCases.invalid[0], filename: "server.ts" }] as never,
  });
  new TsRuleTester({ plugins: { "api-posture": plugin }, language: "api-posture/csharp" }).run(
    "no-permissive-cors (C#)",
    rule as never,
    {
      valid: [{ ...csCases.valid[0], filename: "Program.cs" }],
      invalid: [{ ...csCases.invalid[0], filename: "Program.cs" }] as never,
    },
  );
});
