/**
 * AP203 require-jwt-verification: the JWT facts both adapters record, and the rule's
 * messages, positions and options through RuleTester with ESLint 9 and 10 and
 * typescript-eslint's RuleTester.
 */
import { after, describe, it, test } from "node:test";
import assert from "node:assert/strict";
import { RuleTester as TsRuleTester } from "@typescript-eslint/rule-tester";
import plugin from "../lib/index.js";
import { parser } from "../lib/parser.js";
import type { JwtFact } from "../lib/core/facts/jwt.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { csharpModel, tsModel } from "./helpers/model.js";

const rule = plugin.rules["require-jwt-verification"];

/** One line per fact: reads as `read <call> | <use> | verified?`, verifications as `<via> | algs | key | settings`. */
function summary(facts: readonly JwtFact[]): string[] {
  return facts.map((f) => {
    if (f.kind === "unverified-read") return `read ${f.call} | ${f.use}${f.verifiedNearby ? " | verified" : ""}`;
    const algorithms = f.algorithms ? (f.algorithms.values?.join(",") ?? "?") : "-";
    const settings = f.settings.map((s) => `${s.name}=${s.value}`).join(",");
    return `${f.library} ${f.via} | ${algorithms} | ${f.key?.kind ?? "-"} | ${settings}${f.complete ? "" : " | partial"}`;
  });
}

const jsonwebtoken = (body: string) => `import jwt from "jsonwebtoken";\nimport fs from "node:fs";\n${body}\n`;

describe("TS adapter: JWT facts", () => {
  test("jsonwebtoken verify: algorithms, key kinds and settings, inline and from consts", () => {
    const code = jsonwebtoken(
      [
        "const pub = fs.readFileSync('keys/public.pem');",
        "const opts = { algorithms: ['RS256'], ignoreExpiration: true };",
        "jwt.verify(t, pub);",
        "jwt.verify(t, process.env.JWT_SECRET, opts);",
        "jwt.verify(t, null, { algorithms: ['none'] });",
        "jwt.verify(t, '', { ...opts, complete: false });",
        "jwt.verify(t, key, makeOptions());",
        "jwt.verify(t, secretOrPublicKey, (err, payload) => {});",
        "jwt.verify(t);",
      ].join("\n"),
    );
    assert.deepEqual(summary(tsModel(code).jwt), [
      "jsonwebtoken jwt.verify(…) | - | public | ",
      "jsonwebtoken jwt.verify(…) | RS256 | other | ignoreExpiration=true",
      "jsonwebtoken jwt.verify(…) | none | falsy | ",
      "jsonwebtoken jwt.verify(…) | RS256 | falsy | ignoreExpiration=true,complete=false",
      "jsonwebtoken jwt.verify(…) | - | other |  | partial",
      "jsonwebtoken jwt.verify(…) | - | other | ",
      "jsonwebtoken jwt.verify(…) | - | missing | ",
    ]);
  });

  test("decode used as identity, and not", () => {
    const code = jsonwebtoken(
      [
        "function a(req) { req.user = jwt.decode(req.headers.token); }",
        "function b(t) { const d = jwt.decode(t); return User.findById(d.id); }",
        "function c(t) { return jwt.decode(t, { complete: true }).payload.sub; }",
        "function getCurrentUser(t) { return jwt.decode(t); }",
        "function d(t, done) { const p = jwt.decode(t); done(null, p); }",
        "function e(t) { return jwt.decode(t, { complete: true }).header.kid; }",
        "function f(t) { const d = jwt.decode(t); console.log(d.sub); return d.exp; }",
        "function g(t) { return jwt.decode(t); }",
        "function h(t) { jwt.verify(t, process.env.JWT_SECRET, { algorithms: ['HS256'] }); return jwt.decode(t).sub; }",
      ].join("\n"),
    );
    const reads = summary(tsModel(code).jwt.filter((f) => f.kind === "unverified-read"));
    assert.deepEqual(reads, [
      "read jwt.decode(…) | assigned to req.user",
      "read jwt.decode(…) | d.id is read",
      "read jwt.decode(…) | its .payload.sub is read",
      "read jwt.decode(…) | returned from getCurrentUser()",
      "read jwt.decode(…) | handed to done() as the user",
      "read jwt.decode(…) | its .sub is read | verified",
    ]);
  });

  test("only the libraries' own exports count", () => {
    const code = [
      'import { decode } from "./codec";',
      'import jwtSimple from "jwt-simple";',
      "const jwt = { decode: (t) => t, verify: (t) => t };",
      "req.user = decode(token);",
      "req.user = jwtSimple.decode(token, secret);",
      "req.user = jwt.decode(token);",
      "jwt.verify(token, null);",
    ].join("\n");
    assert.deepEqual(tsModel(code).jwt, []);
  });

  test("express-jwt, passport-jwt, NestJS strategies and JwtService, jose", () => {
    const code = [
      'import { expressjwt } from "express-jwt";',
      'import legacyJwt from "express-jwt";',
      'import { Strategy, ExtractJwt } from "passport-jwt";',
      'import { PassportStrategy } from "@nestjs/passport";',
      'import { JwtService } from "@nestjs/jwt";',
      'import { decodeJwt } from "jose";',
      "app.use(expressjwt({ secret: process.env.S }));",
      "app.use(legacyJwt({ secret: process.env.S, algorithms: ['HS256'] }));",
      "passport.use(new Strategy({ secretOrKey: process.env.S, ignoreExpiration: true }, verify));",
      "class JwtStrategy extends PassportStrategy(Strategy) { constructor() { super({ secretOrKey: process.env.PUBLIC_KEY }); } }",
      "class Guard { constructor(private jwtService: JwtService) {} attach(req) { req.user = this.jwtService.decode(req.token); } check(req) { return this.jwtService.verify(req.token, { ignoreExpiration: true }); } }",
      "const session = { userId: decodeJwt(cookie).sub };",
    ].join("\n");
    assert.deepEqual(summary(tsModel(code).jwt), [
      "express-jwt expressjwt(…) | - | other | ",
      "express-jwt legacyJwt(…) | HS256 | other | ",
      "passport-jwt new Strategy(…) | - | other | ignoreExpiration=true",
      "passport-jwt super(…) of JwtStrategy | - | public | ",
      "read this.jwtService.decode(…) | assigned to req.user",
      "@nestjs/jwt this.jwtService.verify(…) | - | - | ignoreExpiration=true",
      "read decodeJwt(…) | its .sub is read",
    ]);
  });

  test("jws: the algorithm argument, read from the token or missing", () => {
    const code = [
      'const jws = require("jws");',
      "const ALG = 'HS256';",
      "jws.verify(sig, process.env.PARTNER_PUBLIC_KEY);",
      "jws.verify(sig, jws.decode(sig).header.alg, key);",
      "jws.verify(sig, ALG, process.env.SECRET);",
      "jws.verify(sig, 'none', '');",
      "jws.verify(sig, process.env.JWS_ALG, key);",
      "function p(req) { req.user = jws.decode(req.token).payload; }",
    ].join("\n");
    const facts = tsModel(code).jwt;
    assert.deepEqual(summary(facts), [
      "jws jws.verify(…) | - | public | ",
      "jws jws.verify(…) | - | other | ",
      "jws jws.verify(…) | HS256 | other | ",
      "jws jws.verify(…) | none | falsy | ",
      "jws jws.verify(…) | ? | other | ",
      "read jws.decode(…) | assigned to req.user",
    ]);
    assert.deepEqual(
      facts.map((f) => (f.kind === "verification" ? (f.algorithmFromToken?.start.column ?? null) : null)),
      [0, 16, null, null, null, null],
    );
  });

  test("fast-jwt: createVerifier options and what createDecoder returns", () => {
    const code = [
      'import { createVerifier, createDecoder } from "fast-jwt";',
      "const decode = createDecoder();",
      "createVerifier({ key: process.env.SECRET });",
      "createVerifier({ key: null, algorithms: ['HS256'], ignoreExpiration: true });",
      "createVerifier({ key: async () => getKey() });",
      "function a(req) { req.user = decode(req.token); }",
      "function b(t) { return createDecoder({ complete: true })(t).header.kid; }",
      "function c(req) { req.user = createVerifier({ key: process.env.SECRET })(req.token); }",
    ].join("\n");
    assert.deepEqual(summary(tsModel(code).jwt), [
      "fast-jwt createVerifier(…) | - | other | ",
      "fast-jwt createVerifier(…) | HS256 | falsy | ignoreExpiration=true",
      "fast-jwt createVerifier(…) | - | other | ",
      "read decode(…) | assigned to req.user",
      "fast-jwt createVerifier(…) | - | other | ",
    ]);
  });

  test("@nestjs/jwt: the verifyOptions of JwtModule.register and of registerAsync's factory", () => {
    const code = [
      'import { JwtModule } from "@nestjs/jwt";',
      "const verifyOptions = { algorithms: ['RS256'], ignoreNotBefore: true };",
      "JwtModule.register({ secret: process.env.S, verifyOptions: { algorithms: ['none'], ignoreExpiration: true } });",
      "JwtModule.register({ publicKey: PUBLIC_KEY, verifyOptions });",
      "JwtModule.register({ secret: process.env.S, signOptions: { expiresIn: '1h' } });",
      "JwtModule.registerAsync({ useFactory: (c) => ({ secret: c.get('S'), verifyOptions: { ignoreExpiration: false } }) });",
      "JwtModule.registerAsync({ useFactory: async (c) => { const k = c.get('K'); return { publicKey: k, verifyOptions: {} }; } });",
      "JwtModule.registerAsync({ useClass: JwtConfig });",
    ].join("\n");
    assert.deepEqual(summary(tsModel(code).jwt), [
      "@nestjs/jwt JwtModule.register(…) | none | other | ignoreExpiration=true",
      "@nestjs/jwt JwtModule.register(…) | RS256 | public | ignoreNotBefore=true",
      "@nestjs/jwt JwtModule.registerAsync(…) | - | other | ignoreExpiration=false",
      "@nestjs/jwt JwtModule.registerAsync(…) | - | other | ",
    ]);
  });

  test("jose EmbeddedJWK and jws.createVerify: keys and algorithms the token picks", () => {
    const code = [
      'import { EmbeddedJWK, jwtVerify, compactVerify } from "jose";',
      'import * as jose from "jose";',
      'import jws from "jws";',
      "const keys = EmbeddedJWK;",
      "jwtVerify(t, EmbeddedJWK);",
      "jwtVerify(t, keys, { algorithms: ['ES256'] });",
      "compactVerify(t, jose.EmbeddedJWK, opts);",
      "jwtVerify(t, secret);",
      "jws.createVerify({ signature: s, publicKey: pub });",
      "jws.createVerify({ signature: s, algorithm: 'RS256', key: pub });",
      "jws.createVerify({ signature: s, algorithm: decoded.header.alg, secret: k });",
    ].join("\n");
    const facts = tsModel(code).jwt;
    assert.deepEqual(summary(facts), [
      "jose jwtVerify(…) | - | token | ",
      "jose jwtVerify(…) | ES256 | token | ",
      "jose compactVerify(…) | - | token |  | partial",
      "jws jws.createVerify(…) | - | public | ",
      "jws jws.createVerify(…) | RS256 | public | ",
      "jws jws.createVerify(…) | - | other | ",
    ]);
    assert.deepEqual(
      facts.map((f) => (f.kind === "verification" && f.algorithmFromToken ? f.algorithmFromToken.start.line : null)),
      [null, null, null, 9, null, 11],
    );
  });

  test("jwt-decode: a read counts where code serves a request, not in a browser", () => {
    const code = [
      'import { jwtDecode } from "jwt-decode";',
      'import jwt_decode from "jwt-decode";',
      "export function middleware(request: NextRequest) { return jwtDecode(token(request)).sub; }",
      "export function guard(ctx) { const { role } = jwt_decode(ctx.get('x-token')); return role === 'admin'; }",
      "export const attach = (token) => { res.locals.user = jwtDecode(token); };",
      "export function useUser(token: string) { const { sub } = jwtDecode(token); return sub; }",
      "export function getCurrentUser() { return jwtDecode(localStorage.getItem('token')); }",
      "export function Menu({ token }: { token: string }) { return jwtDecode(token).name; }",
    ].join("\n");
    assert.deepEqual(summary(tsModel(code).jwt), [
      "read jwtDecode(…) | its .sub is read",
      "read jwt_decode(…) | destructures { role }",
      "read jwtDecode(…) | assigned to res.locals.user",
    ]);
  });
});

describe("C# adapter: JWT facts", () => {
  test("TokenValidationParameters settings in initializers and assignments", () => {
    const code = `class Setup {
  TokenValidationParameters _p = new() { ValidateAudience = false };
  void Configure(JwtBearerOptions o, bool dev) {
    o.TokenValidationParameters = new TokenValidationParameters { ValidateIssuer = false, ValidateLifetime = dev, RequireSignedTokens = true };
    o.TokenValidationParameters.ValidateIssuerSigningKey = false;
    var p = new TokenValidationParameters();
    p.RequireExpirationTime = false;
    var flags = new Flags { ValidateLifetime = false };
    flags.ValidateIssuer = false;
  }
}`;
    assert.deepEqual(summary(csharpModel(code).jwt), [
      "identitymodel new TokenValidationParameters { … } | - | - | ValidateAudience=false",
      "identitymodel new TokenValidationParameters { … } | - | - | ValidateIssuer=false,RequireSignedTokens=true",
      "identitymodel o.TokenValidationParameters | - | - | ValidateIssuerSigningKey=false",
      "identitymodel p | - | - | RequireExpirationTime=false",
    ]);
  });

  test("validators that accept everything, and ones that check", () => {
    const code = `class Setup { void Configure(JwtBearerOptions o) {
  o.TokenValidationParameters = new TokenValidationParameters {
    SignatureValidator = (token, parameters) => new JwtSecurityToken(token),
    LifetimeValidator = (nb, exp, token, p) => { return true; },
    IssuerValidator = (issuer, token, p) => issuer,
    AudienceValidator = (audiences, token, p) => audiences.Contains("api"),
    IssuerSigningKeyValidator = (key, token, p) => { Log(key); return true; },
  };
} }`;
    assert.deepEqual(summary(csharpModel(code).jwt), [
      "identitymodel new TokenValidationParameters { … } | - | - | SignatureValidator=unvalidated,LifetimeValidator=unvalidated,IssuerValidator=unvalidated",
    ]);
  });

  test("ReadJwtToken used as identity, and not", () => {
    const code = `class Tokens {
  JwtSecurityTokenHandler _handler = new();
  string A(string t) => _handler.ReadJwtToken(t).Subject;
  ClaimsPrincipal B(string t) { var jwt = _handler.ReadJwtToken(t); return new ClaimsPrincipal(new ClaimsIdentity(jwt.Claims)); }
  bool C(string t) { var jwt = _handler.ReadJwtToken(t); return jwt.ValidTo < DateTime.UtcNow; }
  string D(string t) { _handler.ValidateToken(t, _p, out _); return _handler.ReadJwtToken(t).Subject; }
  JwtSecurityToken GetCurrentUserToken(string t) => (JwtSecurityToken)_handler.ReadToken(t);
  void E(string t) { var jwt = _handler.ReadJwtToken(t); _logger.LogInformation("sub {S}", jwt.Subject); }
}`;
    assert.deepEqual(summary(csharpModel(code).jwt), [
      "read _handler.ReadJwtToken(…) | its .Subject is read",
      "read _handler.ReadJwtToken(…) | jwt.Claims is read",
      "read _handler.ReadJwtToken(…) | its .Subject is read | verified",
      "read _handler.ReadToken(…) | returned from GetCurrentUserToken()",
    ]);
  });

  test("ReadToken counts only beside a JWT token handler", () => {
    const code = "class X { string A(string t) => _reader.ReadToken(t).Subject; }";
    assert.deepEqual(csharpModel(code).jwt, []);
  });
});

describe("bounded work", () => {
  test("many decodes and settings in one file stay linear", { timeout: 120_000 }, () => {
    const decodes = Array.from(
      { length: 3000 },
      (_, i) => `const d${i} = jwt.decode(t${i}); req.user${i} = d${i};`,
    ).join("\n");
    assert.equal(tsModel(jsonwebtoken(decodes)).jwt.length, 3000);
    const settings = Array.from({ length: 3000 }, () => "p.ValidateLifetime = false;").join("\n");
    assert.equal(
      csharpModel(`class A { void M() { var p = new TokenValidationParameters();\n${settings}\n} }`).jwt.length,
      3000,
    );
  });
});

const SUFFIX = "SOC 2 CC6.1.";
const TS_VERIFY =
  'Fix: verify it and take the identity from the result: `jwt.verify(token, key, { algorithms: ["RS256"] })` (jose: `await jwtVerify(token, key)`).';
const CS_VERIFY =
  "Fix: validate it and take the identity from the result: `handler.ValidateToken(token, validationParameters, out _)` or `await new JsonWebTokenHandler().ValidateTokenAsync(token, validationParameters)`.";
const PIN = 'Fix: pin the algorithms you issue: `{ algorithms: ["RS256"] }`.';
const decoded = (call: string, use: string, fix: string) =>
  `AP203 ${call} reads the token without checking its signature, and the result is used as the caller's identity (${use}): anyone can write a token with any user id or role and it is believed. ${SUFFIX} ${fix}`;

const middleware = (body: string) =>
  `import jwt from "jsonwebtoken";\nimport { expressjwt } from "express-jwt";\n${body}\n`;

const tsCases = {
  valid: [
    {
      code: middleware(
        'export const check = (t: string) => jwt.verify(t, process.env.JWT_SECRET!, { algorithms: ["HS256"] });',
      ),
    },
    { code: middleware("export const kid = (t: string) => jwt.decode(t, { complete: true })?.header.kid;") },
    { code: middleware('export const auth = expressjwt({ secret: process.env.JWT_SECRET!, algorithms: ["HS256"] });') },
    // Test code is left alone by default.
    { code: middleware("export function a(req) { req.user = jwt.decode(req.token); }"), filename: "src/auth.test.ts" },
    // jose binds each algorithm to a key type: a public key never verifies HS256.
    {
      code: 'import { jwtVerify, importSPKI } from "jose";\nexport const check = async (t: string) => jwtVerify(t, await importSPKI(process.env.JWT_PUBLIC_KEY!, "RS256"));',
    },
    // A browser reading its own token.
    {
      code: 'import { jwtDecode } from "jwt-decode";\nexport const useUser = (token: string) => jwtDecode<{ sub: string }>(token).sub;',
      filename: "src/hooks/useUser.ts",
    },
  ],
  invalid: [
    {
      code: middleware("export function attach(req) {\n  req.user = jwt.decode(req.headers.authorization);\n}"),
      errors: [
        {
          message: decoded("jwt.decode(…)", "assigned to req.user", TS_VERIFY),
          line: 4,
          column: 14,
          endLine: 4,
          endColumn: 51,
        },
      ],
    },
    {
      code: middleware(
        'export const check = (t: string) => jwt.verify(t, process.env.JWT_SECRET!, { algorithms: ["HS256", "none"] });',
      ),
      errors: [
        {
          message: `AP203 jwt.verify(…) accepts the \`none\` algorithm: a token with no signature at all passes verification. ${SUFFIX} ${PIN}`,
          line: 3,
          column: 78,
          endLine: 3,
          endColumn: 107,
        },
      ],
    },
    {
      code: middleware("export const check = (t: string) => jwt.verify(t, process.env.JWT_PUBLIC_KEY!);"),
      errors: [
        {
          message: `AP203 jwt.verify(…) verifies with a public key (process.env.JWT_PUBLIC_KEY!) without pinning \`algorithms\`: a token signed with HS256 using the public key as the HMAC secret can pass (algorithm confusion). ${SUFFIX} Fix: pin the public-key algorithms: \`{ algorithms: ["RS256"] }\`.`,
          line: 3,
          column: 37,
        },
      ],
    },
    {
      code: middleware(
        'export const check = (t: string) => jwt.verify(t, process.env.JWT_PUBLIC_KEY!, { algorithms: ["RS256", "HS256"] });',
      ),
      errors: [
        {
          message: `AP203 jwt.verify(…) allows HS256 while verifying with a public key (process.env.JWT_PUBLIC_KEY!): anyone who has the public key can sign an HMAC token that passes (algorithm confusion). ${SUFFIX} Fix: allow only public-key algorithms: \`{ algorithms: ["RS256"] }\`.`,
        },
      ],
    },
    {
      code: middleware('export const check = (t: string) => jwt.verify(t, "", { algorithms: ["HS256"] });'),
      errors: [
        {
          message: `AP203 jwt.verify(…) verifies with the key \`""\`: without a key the signature proves nothing. ${SUFFIX} Fix: pass the verification key from configuration: \`jwt.verify(token, process.env.JWT_PUBLIC_KEY, { algorithms: ["RS256"] })\`.`,
          column: 51,
        },
      ],
    },
    {
      code: middleware(
        'export const check = (t: string) => jwt.verify(t, process.env.JWT_SECRET!, {\n  algorithms: ["HS256"],\n  ignoreExpiration: true,\n});',
      ),
      errors: [
        {
          message: `AP203 \`ignoreExpiration: true\` in jwt.verify(…): expired tokens are accepted, so a leaked or revoked token keeps working forever. ${SUFFIX} Fix: remove \`ignoreExpiration\` and issue short-lived tokens with a refresh flow.`,
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 25,
        },
      ],
    },
    {
      code: 'const jws = require("jws");\nexports.fromPartner = (sig) => jws.verify(sig, process.env.PARTNER_PUBLIC_KEY);',
      errors: [
        {
          message: `AP203 jws.verify(…) takes the algorithm from the token's own header: a forged token can name \`none\`, or HS256 keyed with the public key, and pass verification. ${SUFFIX} Fix: name the algorithm you issue: \`jws.verify(signature, "RS256", publicKey)\`.`,
          line: 2,
          column: 32,
        },
      ],
    },
    {
      code: 'import { jwtDecode } from "jwt-decode";\nexport function gateway(req) {\n  req.user = jwtDecode(req.headers["x-token"]);\n}',
      errors: [{ message: decoded("jwtDecode(…)", "assigned to req.user", TS_VERIFY), line: 3, column: 14 }],
    },
    {
      code: 'import { createVerifier } from "fast-jwt";\nexport const verify = createVerifier({ key: "", algorithms: ["HS256"] });',
      errors: [
        {
          message: `AP203 createVerifier(…) verifies with the key \`""\`: without a key the signature proves nothing. ${SUFFIX} Fix: pass the verification key from configuration: \`jwt.verify(token, process.env.JWT_PUBLIC_KEY, { algorithms: ["RS256"] })\`.`,
          line: 2,
          column: 45,
        },
      ],
    },
    {
      code: middleware("export const auth = expressjwt({ secret: process.env.JWT_SECRET! });"),
      errors: [
        {
          message: `AP203 expressjwt(…) does not pin \`algorithms\`: the token's own header decides how it is checked, so a forged header can weaken verification. ${SUFFIX} ${PIN}`,
          line: 3,
          column: 21,
        },
      ],
    },
    {
      code: middleware("export function a(req) { req.user = jwt.decode(req.token); }"),
      filename: "src/auth.test.ts",
      options: [{ includeTestFiles: true }],
      errors: [{ messageId: "decodedIdentity" }],
    },
  ],
};

const setup = (body: string) =>
  `public static class JwtSetup\n{\n    public static void Configure(JwtBearerOptions options)\n    {\n        options.TokenValidationParameters = new TokenValidationParameters\n        {\n${body}\n        };\n    }\n}\n`;
const VIA = "new TokenValidationParameters { … }";
const switchedOff = (setting: string, consequence: string, fix: string) =>
  `AP203 \`${setting}\` in ${VIA}: ${consequence}. ${SUFFIX} Fix: ${fix}`;

const csCases = {
  valid: [
    { code: setup("            ValidateIssuer = true,\n            ValidateLifetime = true,") },
    { code: setup("            ValidateLifetime = !isDevelopment,") },
    {
      code: setup("            ValidateIssuer = false,\n            ValidateAudience = false,"),
      options: [{ checkIssuerAndAudience: false }],
    },
    {
      code: "class T { bool Soon(string t) => new JwtSecurityTokenHandler().ReadJwtToken(t).ValidTo < DateTime.UtcNow; }",
    },
    { code: setup("            ValidateLifetime = false,"), filename: "tests/Api.Tests/JwtSetupTests.cs" },
  ],
  invalid: [
    {
      code: setup("            ValidateLifetime = false,"),
      errors: [
        {
          message: switchedOff(
            "ValidateLifetime = false",
            "expired tokens are accepted, so a leaked or revoked token keeps working forever",
            "keep `ValidateLifetime = true` (the default) and issue short-lived tokens with a refresh flow.",
          ),
          line: 7,
          column: 13,
          endLine: 7,
          endColumn: 37,
        },
      ],
    },
    {
      code: setup("            ValidateIssuer = false,\n            ValidateAudience = false,"),
      errors: [
        {
          message: switchedOff(
            "ValidateIssuer = false",
            "tokens from any issuer are accepted, such as another tenant's or a test environment's",
            "set `ValidIssuer` and keep `ValidateIssuer = true`.",
          ),
          line: 7,
        },
        {
          message: switchedOff(
            "ValidateAudience = false",
            "tokens issued for other applications are accepted",
            "set `ValidAudience` and keep `ValidateAudience = true`.",
          ),
          line: 8,
        },
      ],
    },
    {
      code: setup(
        "            RequireSignedTokens = false,\n            ValidateIssuerSigningKey = false,\n            RequireExpirationTime = false,",
      ),
      errors: [
        {
          message: switchedOff(
            "RequireSignedTokens = false",
            "unsigned tokens are accepted, so anyone can write one",
            "keep `RequireSignedTokens = true` (the default).",
          ),
          line: 7,
        },
        {
          message: switchedOff(
            "ValidateIssuerSigningKey = false",
            "the key that signed the token is not checked against the keys you trust",
            "set `ValidateIssuerSigningKey = true` with `IssuerSigningKey` (or the authority's keys).",
          ),
          line: 8,
        },
        {
          message: switchedOff(
            "RequireExpirationTime = false",
            "tokens without an expiry are accepted and never stop working",
            "keep `RequireExpirationTime = true` (the default).",
          ),
          line: 9,
        },
      ],
    },
    {
      code: setup("            SignatureValidator = (token, _) => new JwtSecurityToken(token),"),
      errors: [
        {
          message: `AP203 \`SignatureValidator\` in ${VIA} accepts every token without checking it: the signature is never checked, so anyone can forge a token with any claims. ${SUFFIX} Fix: remove \`SignatureValidator\` and give \`IssuerSigningKey\` (or the authority) so the handler verifies signatures.`,
          line: 7,
          column: 13,
        },
      ],
    },
    {
      code: "class T\n{\n    string UserId(string t) => new JwtSecurityTokenHandler().ReadJwtToken(t).Subject;\n}\n",
      errors: [
        {
          message: decoded("new JwtSecurityTokenHandler().ReadJwtToken(…)", "its .Subject is read", CS_VERIFY),
          line: 3,
          column: 32,
          endLine: 3,
          endColumn: 77,
        },
      ],
    },
    {
      code: setup("            ValidateLifetime = false,"),
      filename: "tests/Api.Tests/JwtSetupTests.cs",
      options: [{ includeTestFiles: true }],
      errors: [{ messageId: "checkSwitchedOff" }],
    },
  ],
};

for (const version of ESLINT_VERSIONS) {
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).describe = describe;
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).it = it;
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).itOnly = it.only;

  describe(`require-jwt-verification, TypeScript (${version.label})`, () => {
    const tester = new version.RuleTester({ plugins: { "api-posture": plugin }, languageOptions: { parser } });
    tester.run("require-jwt-verification", rule, {
      valid: tsCases.valid.map((c) => ({ filename: "src/auth.ts", ...c })),
      invalid: tsCases.invalid.map((c) => ({ filename: "src/auth.ts", ...c })),
    });
  });

  describe(`require-jwt-verification, C# (${version.label})`, () => {
    const tester = new version.RuleTester({
      plugins: { "api-posture": plugin },
      language: "api-posture/csharp",
    });
    tester.run("require-jwt-verification", rule, {
      valid: csCases.valid.map((c) => ({ filename: "Auth/JwtSetup.cs", ...c })),
      invalid: csCases.invalid.map((c) => ({ filename: "Auth/JwtSetup.cs", ...c })),
    });
  });
}

describe("require-jwt-verification with typescript-eslint's RuleTester", () => {
  TsRuleTester.afterAll = after;
  TsRuleTester.describe = describe;
  TsRuleTester.it = it;
  TsRuleTester.itOnly = it.only;
  new TsRuleTester().run("require-jwt-verification", rule as never, {
    valid: [{ ...tsCases.valid[0], filename: "auth.ts" }],
    invalid: [{ ...tsCases.invalid[0], filename: "auth.ts" }] as never,
  });
  new TsRuleTester({ plugins: { "api-posture": plugin }, language: "api-posture/csharp" }).run(
    "require-jwt-verification (C#)",
    rule as never,
    {
      valid: [{ ...csCases.valid[0], filename: "JwtSetup.cs" }],
      invalid: [{ ...csCases.invalid[0], filename: "JwtSetup.cs" }] as never,
    },
  );
});
