/**
 * AP201 facts from both adapters: where a literal goes (target, owners, sink,
 * fallback) and the configuration read offered instead; and the collectors stay
 * fast and stack-safe on large and deeply nested files.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { StringLiteral } from "../lib/core/model.js";
import { csharpModel, tsModel } from "./helpers/model.js";

const byValue = (literals: StringLiteral[], value: string): StringLiteral => {
  const found = literals.find((l) => l.value === value);
  assert.ok(found, `a fact for ${value.slice(0, 4)}…`);
  return found;
};

describe("AP201 TypeScript facts", () => {
  const { literals } = tsModel(`
import jwt from "jsonwebtoken";
import { createHmac } from "crypto";
import session from "express-session";
const config = { stripe: { secretKey: "v-secret-key", region: "eu" } };
const jwtSecret = process.env.JWT_SECRET ?? "v-fallback";
class Mailer { smtpPassword = "v-field"; }
function connect(password = "v-param") {}
const { token = "v-destructured" } = options;
this.apiKey = "v-assigned";
headers.set("Authorization", "v-pair");
jwt.sign(claims, "v-jwt-key");
createHmac("sha256", Buffer.from("v-hmac-key"));
app.use(session({ secret: "v-session" }));
enum Keys { Api = "v-enum" }
console.log("tiny");
const longUntargeted = "a string long enough to hold a credential";
import("./lazy-module-with-a-long-name.js");
`);

  it("records targets, owners and siblings", () => {
    const fact = byValue(literals, "v-secret-key");
    assert.equal(fact.target, "secretKey");
    assert.deepEqual(fact.owners, ["stripe", "config"]);
    assert.deepEqual(fact.siblings, ["secretKey", "region"]);
    assert.deepEqual(fact.suggestion?.text, "process.env.STRIPE_SECRET_KEY");
  });

  it("names fallbacks after the lookup they stand in for", () => {
    const fact = byValue(literals, "v-fallback");
    assert.equal(fact.target, "JWT_SECRET");
    assert.equal(fact.fallback, true);
  });

  it("sees class fields, parameter and destructuring defaults, member assignments and name/value pairs", () => {
    assert.equal(byValue(literals, "v-field").target, "smtpPassword");
    assert.equal(byValue(literals, "v-param").target, "password");
    assert.equal(byValue(literals, "v-destructured").target, "token");
    assert.equal(byValue(literals, "v-assigned").target, "apiKey");
    assert.equal(byValue(literals, "v-pair").target, "Authorization");
    assert.equal(byValue(literals, "v-enum").suggestion, undefined, "string enum members must stay constant");
  });

  it("recognises sinks through imports and byte conversions", () => {
    assert.equal(byValue(literals, "v-jwt-key").sink, "jwt.sign() key");
    assert.equal(byValue(literals, "v-hmac-key").sink, "crypto.createHmac() key");
    assert.equal(byValue(literals, "v-session").sink, "express-session secret");
  });

  it("keeps untargeted literals only when long enough, and never module names", () => {
    assert.equal(
      literals.find((l) => l.value === "tiny"),
      undefined,
    );
    assert.ok(literals.find((l) => l.value.startsWith("a string long")));
    assert.equal(
      literals.find((l) => l.value.includes("lazy-module")),
      undefined,
    );
  });

  it("is stack-safe and linear", { timeout: 120_000 }, () => {
    // As deep as the TypeScript parser itself goes; the collector walks iteratively beyond that.
    const deep = `const x = ${"[".repeat(500)}"${"z".repeat(20)}"${"]".repeat(500)};`;
    assert.ok(tsModel(deep).literals.length === 1);
    const big = Array.from(
      { length: 20_000 },
      (_, i) => `export const value${i} = { password: "pw-${i}-Xq9!", label: "Label ${i}" };`,
    ).join("\n");
    const model = tsModel(big);
    assert.equal(model.literals.filter((l) => l.target === "password").length, 20_000);
  });

  it("names compared literals for what they are compared with, and tells request input apart", () => {
    const { literals: compared } = tsModel(`
export function a(req, res, token) {
  if (token === "v-local-compare") return;
  switch (process.env.API_KEY) { case "v-env-case": return; }
  if (req.headers["x-api-key"] !== "v-header-compare") return res.end();
  const { key } = req.body;
  if ("v-body-compare" === key) return;
  if (req.get("x-token") === process.env.TOKEN) return;
}
`);
    assert.deepEqual(
      ["v-local-compare", "v-env-case", "v-header-compare", "v-body-compare"].map((v) => {
        const fact = byValue(compared, v);
        return [fact.target, fact.compared];
      }),
      [
        ["token", "value"],
        ["API_KEY", "value"],
        ["x-api-key", "request"],
        ["key", "request"],
      ],
    );
  });
});

describe("AP201 C# facts", () => {
  const { literals } = csharpModel(`
var builder = WebApplication.CreateBuilder(args);
var key = builder.Configuration["Jwt:Key"] ?? "v-fallback";
[PartnerAuth(ApiKey = "v-attribute")]
public class MailSettings
{
    private const string SigningKey = "v-const";
    public string SmtpPassword { get; set; } = "v-property";
    public string Secret => "v-arrow";
    public void Configure(string password = "v-param")
    {
        var smtp = new SmtpOptions { Password = "v-initializer" };
        smtp.Token = "v-member";
        var defaults = new Dictionary<string, string> { { "Jwt:Secret", "v-pair" }, ["ApiKey"] = "v-indexer" };
        var credential = new NetworkCredential("user", "v-network");
        var signing = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("v-symmetric"));
        Connect(password: "v-named");
        var anonymous = new { secret = "v-anonymous" };
    }
}
public class TokenService
{
    private readonly IConfiguration _config;
    private string _apiKey = "v-config-reader";
}
`);

  it("records fields, properties, constants, attributes and initializers", () => {
    assert.deepEqual(
      [
        "v-attribute",
        "v-const",
        "v-property",
        "v-arrow",
        "v-param",
        "v-initializer",
        "v-member",
        "v-pair",
        "v-indexer",
        "v-named",
        "v-anonymous",
      ].map((v) => byValue(literals, v).target),
      [
        "ApiKey",
        "SigningKey",
        "SmtpPassword",
        "Secret",
        "password",
        "Password",
        "Token",
        "Jwt:Secret",
        "ApiKey",
        "password",
        "secret",
      ],
    );
    assert.deepEqual(byValue(literals, "v-initializer").owners, ["SmtpOptions", "MailSettings"]);
  });

  it("offers no configuration read where only a constant may stand", () => {
    for (const v of ["v-const", "v-attribute", "v-param"]) assert.equal(byValue(literals, v).suggestion, undefined, v);
  });

  it("reads configuration the way the surrounding code can", () => {
    assert.equal(byValue(literals, "v-fallback").suggestion?.text, 'builder.Configuration["Jwt:Key"]');
    assert.equal(byValue(literals, "v-fallback").fallback, true);
    assert.equal(
      byValue(literals, "v-property").suggestion?.text,
      'Environment.GetEnvironmentVariable("Mail__SmtpPassword")',
    );
    assert.equal(byValue(literals, "v-config-reader").suggestion?.text, '_config["Token:ApiKey"]');
  });

  it("recognises credential constructors, through byte conversions", () => {
    assert.equal(byValue(literals, "v-network").sink, "password of new NetworkCredential()");
    assert.equal(byValue(literals, "v-symmetric").sink, "key of new SymmetricSecurityKey()");
    assert.equal(literals.find((l) => l.value === "user")?.sink, undefined);
  });

  it("is stack-safe and linear", { timeout: 120_000 }, () => {
    const deep = `class C { object X = ${"(".repeat(3000)}"${"z".repeat(20)}"${")".repeat(3000)}; }`;
    assert.ok(csharpModel(deep).literals.length >= 0);
    const members = Array.from(
      { length: 20_000 },
      (_, i) => `    public string Password${i} { get; set; } = "pw-${i}-Xq9!";`,
    ).join("\n");
    const model = csharpModel(`public class Big\n{\n${members}\n}\n`);
    assert.equal(model.literals.filter((l) => l.target?.startsWith("Password")).length, 20_000);
  });

  it("names literals compared with ==/!= and tells request input apart", () => {
    const { literals: compared } = csharpModel(`
public class M
{
    public void Check(HttpContext context)
    {
        if (_options.ApiKey == "v-options-compare") return;
        if (context.Request.Headers["X-Api-Key"].ToString() != "v-header-compare") return;
    }
}
`);
    const options = byValue(compared, "v-options-compare");
    assert.deepEqual([options.target, options.compared, options.suggestion], ["ApiKey", "value", undefined]);
    const header = byValue(compared, "v-header-compare");
    assert.deepEqual([header.target, header.compared], ["X-Api-Key", "request"]);
  });
});
