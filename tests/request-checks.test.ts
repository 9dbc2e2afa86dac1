/**
 * What handlers check of the request itself, in the model: signature verification as a
 * protection (`kind: "signature"`), and the password facts public-flows.ts reads for
 * sign-up. Both adapters.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { classifyEndpoint, type Endpoint, type FileModel } from "../lib/core/model.js";
import { csharpModel, tsModel } from "./helpers/model.js";

function byPath(model: FileModel): Map<string, Endpoint> {
  return new Map(model.endpoints.map((e) => [`${e.methods.join(",")} ${e.path}`, e]));
}

function signatureOf(endpoint: Endpoint | undefined): string | undefined {
  assert.ok(endpoint, "the endpoint is in the model");
  const found = endpoint.protections.filter((p) => p.kind === "signature");
  assert.ok(found.length <= 1, "one signature protection at most");
  if (found[0]) {
    assert.equal(found[0].requirement ?? "authenticated", "authenticated");
    assert.equal(found[0].source, "route");
  }
  return found[0]?.name;
}

describe("TS/JS: signature verification", () => {
  const express = `
import express, { Router } from "express";
import crypto from "node:crypto";
import Stripe from "stripe";
import { Webhook } from "svix";
import { Webhooks } from "@octokit/webhooks";
import { verify } from "@octokit/webhooks-methods";
import twilio from "twilio";
import safeCompare from "tsscmp";
import { verifyWebhook } from "@clerk/express/webhooks";
import { handleDelivery, verifyPartner } from "./partners";

const stripe = new Stripe("sk");
const octo = new Webhooks({ secret: "s" });
const router = Router();

router.post("/a", (req, res) => { stripe.webhooks.constructEvent(req.body, req.get("stripe-signature"), "x"); res.end(); });
router.post("/b", async (req, res) => { await this.stripe.webhooks.constructEventAsync(req.body, "s", "x"); res.end(); });
router.post("/c", (req, res) => { new Webhook("s").verify(req.body, req.headers); res.end(); });
router.post("/d", async (req, res) => { await octo.verifyAndReceive(req.body); res.end(); });
router.post("/e", async (req, res) => { await octo.receive(req.body); res.end(); });
router.post("/f", async (req, res) => { await verify("s", req.body, req.get("x-hub-signature-256")); res.end(); });
router.post("/g", twilio.webhook({ protocol: "https" }), (req, res) => res.end());
router.post("/h", twilio.webhook({ validate: false }), (req, res) => res.end());
router.post("/i", (req, res) => {
  const digest = crypto.createHmac("sha256", "k").update(req.body).digest("hex");
  if (!safeCompare(digest, req.get("x-signature"))) return res.sendStatus(400);
  res.end();
});
router.post("/j", (req, res) => { crypto.createHmac("sha256", "k").update(req.body).digest("hex"); res.end(); });
router.post("/k", (req, res) => { crypto.timingSafeEqual(Buffer.from("a"), Buffer.from("b")); res.end(); });
router.post("/l", async (req, res) => { await verifyWebhook(req); res.end(); });
router.post("/m", async (req, res) => { await verifyPartner(req); res.end(); });
router.post("/n", async (req, res) => { await handleDelivery(req); res.end(); });
export default router;
`;

  test("library calls in the handler protect the route, named as the code calls them", () => {
    const endpoints = byPath(tsModel(express));
    assert.equal(signatureOf(endpoints.get("POST /a")), "stripe.webhooks.constructEvent");
    assert.equal(signatureOf(endpoints.get("POST /b")), "stripe.webhooks.constructEventAsync");
    assert.equal(signatureOf(endpoints.get("POST /c")), "Webhook.verify");
    assert.equal(signatureOf(endpoints.get("POST /d")), "Webhooks.verifyAndReceive");
    assert.equal(signatureOf(endpoints.get("POST /f")), "verify");
    assert.equal(signatureOf(endpoints.get("POST /g")), "twilio.webhook");
    assert.equal(signatureOf(endpoints.get("POST /i")), "safeCompare over crypto.createHmac");
    assert.equal(signatureOf(endpoints.get("POST /l")), "verifyWebhook");
    assert.equal(classifyEndpoint(endpoints.get("POST /a")!), "authenticated");
  });

  test("what verifies nothing: receive(), validate: false, an HMAC or a comparison alone", () => {
    const endpoints = byPath(tsModel(express));
    for (const path of ["/e", "/h", "/j", "/k", "/m", "/n"]) {
      assert.equal(signatureOf(endpoints.get(`POST ${path}`)), undefined, path);
      assert.equal(classifyEndpoint(endpoints.get(`POST ${path}`)!), "public", path);
    }
  });

  test("an imported project function whose name may verify is left to the project index", () => {
    const endpoints = byPath(tsModel(express));
    assert.deepEqual(
      endpoints.get("POST /m")!.importedFunctions?.map((f) => [f.role, f.name, f.module, f.export]),
      [["guard", "verifyPartner", "./partners", "verifyPartner"]],
    );
    assert.equal(endpoints.get("POST /n")!.importedFunctions, undefined, "handleDelivery says nothing of verifying");
  });

  test("helpers of the same file, two calls deep, and middleware on the route", () => {
    const code = `
import crypto from "crypto";
import Koa from "koa";
import Router from "@koa/router";
const router = new Router();
function sameDigest(body, header) {
  const digest = crypto.createHmac("sha256", process.env.SECRET).update(body).digest();
  return crypto.timingSafeEqual(digest, Buffer.from(header, "hex"));
}
function checkSignature(ctx) { return sameDigest(ctx.request.rawBody, ctx.get("x-signature")); }
async function signed(ctx, next) { if (!checkSignature(ctx)) ctx.throw(400); await next(); }
router.post("/deliveries", signed, async (ctx) => { ctx.status = 202; });
router.post("/checked", async (ctx) => { if (!checkSignature(ctx)) ctx.throw(400); ctx.status = 202; });
router.post("/unchecked", async (ctx) => { ctx.status = 202; });
const app = new Koa();
app.use(router.routes());
`;
    const endpoints = byPath(tsModel(code));
    assert.equal(signatureOf(endpoints.get("POST /deliveries")), "signed");
    assert.equal(signatureOf(endpoints.get("POST /checked")), "checkSignature");
    assert.equal(signatureOf(endpoints.get("POST /unchecked")), undefined);
  });

  test("a Fastify hook of the same file that checks an HMAC", () => {
    const code = `
import Fastify from "fastify";
import { createHmac, timingSafeEqual } from "node:crypto";
const app = Fastify();
async function verifySignature(request, reply) {
  const digest = createHmac("sha256", process.env.SECRET).update(request.rawBody).digest();
  if (!timingSafeEqual(digest, Buffer.from(String(request.headers["x-signature"]), "hex"))) return reply.code(400).send();
}
app.post("/events", { preHandler: verifySignature }, async () => ({ ok: true }));
app.post("/events/replay", async () => ({ ok: true }));
`;
    const endpoints = byPath(tsModel(code));
    assert.equal(signatureOf(endpoints.get("POST /events")), "verifySignature");
    assert.equal(signatureOf(endpoints.get("POST /events/replay")), undefined);
  });

  test("settings name the code base's own verifiers, by a call's whole path or its last parts", () => {
    const code = `
import { Router } from "express";
import { partner } from "@acme/partners";
const router = Router();
router.post("/a", (req, res) => { partner.signatures.verify(req); res.end(); });
router.post("/b", partner.hmacFilter, (req, res) => res.end());
router.post("/c", (req, res) => { partner.parse(req); res.end(); });
export default router;
`;
    const endpoints = byPath(tsModel(code, { signatureVerifiers: ["signatures.verify", "/^hmac/"] }));
    assert.equal(signatureOf(endpoints.get("POST /a")), "partner.signatures.verify");
    assert.equal(signatureOf(endpoints.get("POST /b")), "partner.hmacFilter");
    assert.equal(signatureOf(endpoints.get("POST /c")), undefined);
    assert.equal(signatureOf(byPath(tsModel(code)).get("POST /a")), undefined, "nothing without the setting");
  });
});

describe("TS/JS: passwords", () => {
  test("a password from the request body, in the forms frameworks give it", () => {
    const code = `
import express from "express";
import bcrypt from "bcrypt";
import { hash } from "@node-rs/argon2";
const app = express();
app.post("/a", (req, res) => { const { email, password } = req.body; res.json(email); });
app.post("/b", (req, res) => { res.json(req.body.user.password); });
app.post("/c", async (req, res) => { const data = schema.parse(req.body); res.json(data.password); });
app.post("/d", async (req, res) => { res.json(await bcrypt.hash(req.body.pwd, 10)); });
app.post("/e", async (req, res) => { res.json(await hash(secret)); });
app.post("/f", async (req, res) => { res.json(await hashPassword(generated.password)); });
app.post("/g", async (req, res) => { const user = await User.findOne(); res.json(user.password); });
app.post("/h", async (req, res) => { res.json(req.query.password); });
`;
    const endpoints = byPath(tsModel(code));
    const facts = (path: string) => endpoints.get(`POST ${path}`)!.credentials;
    assert.deepEqual(facts("/a"), { passwordFromBody: true });
    assert.deepEqual(facts("/b"), { passwordFromBody: true });
    assert.deepEqual(facts("/c"), { passwordFromBody: true });
    assert.deepEqual(facts("/d"), { hashesPassword: "bcrypt.hash(…)" });
    assert.deepEqual(facts("/e"), { hashesPassword: "hash(…)" }, "a known hasher, whatever its argument");
    assert.deepEqual(facts("/f"), { hashesPassword: "hashPassword(…)" }, "a hash function given a password");
    assert.equal(facts("/g"), undefined, "a stored user's password is not the request's");
    assert.equal(facts("/h"), undefined, "the query string is not the body");
  });

  test("Fastify body schemas, Next.js form data, Hono validators, NestJS DTOs of the same file", () => {
    const fastify = `
import Fastify from "fastify";
const app = Fastify();
app.post("/users", { schema: { body: { type: "object", properties: { email: { type: "string" }, password: { type: "string" } } } } }, async () => ({}));
app.post("/members", { schema: { body: { type: "object", properties: { email: { type: "string" } } } } }, async () => ({}));
`;
    const fastifyEndpoints = byPath(tsModel(fastify));
    assert.deepEqual(fastifyEndpoints.get("POST /users")!.credentials, { passwordFromBody: true });
    assert.equal(fastifyEndpoints.get("POST /members")!.credentials, undefined);

    const next = `
export async function POST(request: Request) {
  const form = await request.formData();
  return Response.json({ ok: form.get("email"), p: Object.fromEntries(form).password });
}
`;
    assert.equal(tsModel(next, {}, "app/api/users/route.ts").endpoints[0].credentials, undefined);
    const nextJson = `
export async function POST(request: Request) {
  const body = await request.json();
  return Response.json({ p: body.password });
}
`;
    assert.deepEqual(tsModel(nextJson, {}, "app/api/users/route.ts").endpoints[0].credentials, {
      passwordFromBody: true,
    });

    const hono = `
import { Hono } from "hono";
import { zValidator } from "@hono/zod-validator";
const app = new Hono();
app.post("/users", zValidator("json", schema), (c) => { const { password } = c.req.valid("json"); return c.json({}); });
export default app;
`;
    assert.deepEqual(byPath(tsModel(hono)).get("POST /users")!.credentials, { passwordFromBody: true });

    const nest = `
import { Body, Controller, Post } from "@nestjs/common";
class SignUpDto { email!: string; password!: string; }
class InviteDto { email!: string; }
@Controller("users")
export class UsersController {
  @Post() signUp(@Body() dto: SignUpDto) { return dto.email; }
  @Post("invite") invite(@Body() dto: InviteDto) { return dto.email; }
}
`;
    const nestEndpoints = byPath(tsModel(nest));
    assert.deepEqual(nestEndpoints.get("POST /users")!.credentials, { passwordFromBody: true });
    assert.equal(nestEndpoints.get("POST /users/invite")!.credentials, undefined);
  });
});

describe("C#: signature verification", () => {
  const controller = `
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Stripe;
using Svix;
using Twilio.AspNet.Core;
using Twilio.Security;

[ApiController]
[Route("hooks")]
public class HooksController(IConfiguration config, Webhook svix) : ControllerBase
{
    [HttpPost("a")] public IActionResult A(string json) { EventUtility.ConstructEvent(json, Request.Headers["Stripe-Signature"], "s"); return Ok(); }
    [HttpPost("b")] public IActionResult B(string json) { Stripe.EventUtility.ValidateSignature(json, "h", "s"); return Ok(); }
    [HttpPost("c")] public IActionResult C(string json) { EventUtility.ParseEvent(json); return Ok(); }
    [HttpPost("d")] public IActionResult D(string json) { svix.Verify(json, Request.Headers); return Ok(); }
    [HttpPost("e")] public IActionResult E(string json) { var v = new RequestValidator("t"); return v.Validate("u", new Dictionary<string, string>(), "s") ? Ok() : BadRequest(); }
    [HttpPost("f")] [ValidateRequest] public IActionResult F() => Ok();
    [HttpPost("g")] public IActionResult G(string body) => Signed(body) ? Ok() : BadRequest();
    [HttpPost("h")] public IActionResult H(string body) { using var hmac = new HMACSHA256(Key()); hmac.ComputeHash(Encoding.UTF8.GetBytes(body)); return Ok(); }
    [HttpPost("i")] public IActionResult I(string key) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Key()) ? Ok() : BadRequest();
    [HttpPost("j")] public IActionResult J(string body) => Verify(body) ? Ok() : BadRequest();

    private bool Signed(string body) => Compare(HMACSHA512.HashData(Key(), Encoding.UTF8.GetBytes(body)));
    private bool Compare(byte[] digest) => CryptographicOperations.FixedTimeEquals(digest, Convert.FromHexString(Request.Headers["X-Signature"].ToString()));
    private bool Verify(string body) => body.Length > 0;
    private byte[] Key() => Encoding.UTF8.GetBytes(config["Secret"]!);
}
`;

  test("library calls, attributes and HMAC checks in methods of the class protect the action", () => {
    const endpoints = byPath(csharpModel(controller));
    assert.equal(signatureOf(endpoints.get("POST /hooks/a")), "EventUtility.ConstructEvent");
    assert.equal(signatureOf(endpoints.get("POST /hooks/b")), "EventUtility.ValidateSignature");
    assert.equal(signatureOf(endpoints.get("POST /hooks/d")), "Webhook.Verify");
    assert.equal(signatureOf(endpoints.get("POST /hooks/e")), "RequestValidator.Validate");
    assert.equal(signatureOf(endpoints.get("POST /hooks/f")), "[ValidateRequest]");
    assert.equal(signatureOf(endpoints.get("POST /hooks/g")), "Signed");
    assert.equal(classifyEndpoint(endpoints.get("POST /hooks/a")!), "authenticated");
  });

  test("what verifies nothing: ParseEvent, an HMAC alone, a key compared alone, a method named Verify", () => {
    const endpoints = byPath(csharpModel(controller));
    for (const path of ["c", "h", "i", "j"])
      assert.equal(signatureOf(endpoints.get(`POST /hooks/${path}`)), undefined, path);
  });

  test("settings name the code base's own verifiers", () => {
    const code = `
[ApiController]
[Route("partners")]
public class PartnersController(PartnerClient partner) : ControllerBase
{
    [HttpPost("a")] public IActionResult A(string body) => partner.Signatures.Verify(body) ? Ok() : BadRequest();
    [HttpPost("b")] public IActionResult B(string body) => partner.Parse(body) ? Ok() : BadRequest();
}
`;
    const endpoints = byPath(csharpModel(code, { signatureVerifiers: ["Signatures.Verify"] }));
    assert.equal(signatureOf(endpoints.get("POST /partners/a")), "partner.Signatures.Verify");
    assert.equal(signatureOf(endpoints.get("POST /partners/b")), undefined);
    assert.equal(signatureOf(byPath(csharpModel(code)).get("POST /partners/a")), undefined);
  });
});

describe("C#: passwords", () => {
  test("body parameters with a password, hashers and UserManager.CreateAsync(user, password)", () => {
    const code = `
using Microsoft.AspNetCore.Identity;
public record SignUp(string Email, string Password);
public class Invite { public string Email { get; set; } = ""; }
[ApiController]
[Route("users")]
public class UsersController(UserManager<User> userManager, IPasswordHasher<User> hasher) : ControllerBase
{
    [HttpPost("a")] public IActionResult A([FromBody] SignUp body) => Ok(body.Email);
    [HttpPost("b")] public IActionResult B(RegisterModel model) => Ok(model.Password.Length);
    [HttpPost("c")] public async Task<IActionResult> C(Invite invite) { await userManager.CreateAsync(new User(invite.Email)); return Ok(); }
    [HttpPost("d")] public async Task<IActionResult> D(Invite invite, string secret) { await userManager.CreateAsync(new User(invite.Email), secret); return Ok(); }
    [HttpPost("e")] public IActionResult E(Invite invite, string secret) => Ok(hasher.HashPassword(new User(invite.Email), secret));
    [HttpPost("f")] public IActionResult F([FromQuery] RegisterModel model) => Ok(model.Password.Length);
    [HttpPost("g")] public IActionResult G(Invite invite) => Ok(invite.Email);
}
`;
    const endpoints = byPath(csharpModel(code));
    const facts = (path: string) => endpoints.get(`POST /users/${path}`)!.credentials;
    assert.deepEqual(facts("a"), { passwordFromBody: true }, "a record declared in the file with a password");
    assert.deepEqual(facts("b"), { passwordFromBody: true }, "the handler reads model.Password");
    assert.equal(facts("c"), undefined, "CreateAsync without a password");
    assert.deepEqual(facts("d"), { hashesPassword: "userManager.CreateAsync(…)" });
    assert.deepEqual(facts("e"), { hashesPassword: "hasher.HashPassword(…)" });
    assert.equal(facts("f"), undefined, "bound from the query string");
    assert.equal(facts("g"), undefined);
  });
});
