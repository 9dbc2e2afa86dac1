/**
 * AP203 require-jwt-verification: a JSON Web Token trusted without verification.
 *
 *  - A token read without checking its signature (`jwt.decode`, `decodeJwt`,
 *    `ReadJwtToken`) whose content then serves as the caller's identity, unless the same
 *    function verifies the same token.
 *  - Verification that accepts `none`, that does not pin `algorithms` where the header
 *    could choose them (express-jwt always; a public key with jsonwebtoken or
 *    passport-jwt: algorithm confusion), that takes the algorithm from the token itself
 *    (jws), that allows HMAC with a public key, or whose key is empty.
 *  - Verification with the key the token carries itself (jose's `EmbeddedJWK`) without
 *    pinned `algorithms`.
 *  - Checks switched off: `ignoreExpiration: true`, `ignoreNotBefore: true`; `ValidateLifetime`,
 *    `RequireExpirationTime`, `RequireSignedTokens`, `ValidateIssuerSigningKey`,
 *    `ValidateIssuer`, `ValidateAudience` set to `false`; validators replaced by ones
 *    that accept everything (`SignatureValidator = (t, _) => new JwtSecurityToken(t)`).
 */
import { createRule, type Report } from "../core/create-rule.js";
import type { RuleDescriptor } from "../core/descriptor.js";
import type { TokenVerification, UnverifiedRead, ValidationSetting } from "../core/facts/jwt.js";
import type { Language } from "../core/model.js";

export const descriptor: RuleDescriptor = {
  id: "AP203",
  name: "require-jwt-verification",
  title: "JSON Web Tokens are verified before they are trusted",
  description:
    "A JWT trusted without verification: `decode` used for identity, `verify` with `none` or without pinned algorithms, expiry ignored, or signature, lifetime, issuer or audience validation turned off.",
  severity: "high",
  soc2: ["CC6.1"],
  owasp: ["API2:2023 Broken Authentication"],
  cwe: "CWE-347",
  remediation:
    "Verify every token before trusting its claims: call verify with the key and an explicit list of algorithms (never none), keep expiry, issuer, audience and signature validation on, and use decode only for tokens already verified.",
};

export interface Options {
  /** Report `ValidateIssuer = false` and `ValidateAudience = false` (weaker than a signature or lifetime bypass). */
  checkIssuerAndAudience: boolean;
}

/** What a switched-off check lets in, and how to switch it back on. */
interface SwitchedOff {
  /** The value that switches the check off. */
  off: boolean;
  consequence: string;
  remedy: string;
  /** Issuer and audience: reported only with `checkIssuerAndAudience`. */
  scope?: true;
}

const SETTINGS: Readonly<Record<string, SwitchedOff>> = {
  ignoreExpiration: {
    off: true,
    consequence: "expired tokens are accepted, so a leaked or revoked token keeps working forever",
    remedy: "remove `ignoreExpiration` and issue short-lived tokens with a refresh flow.",
  },
  ignoreNotBefore: {
    off: true,
    consequence: "tokens are accepted before their `nbf` time, so a token issued for later works now",
    remedy: "remove `ignoreNotBefore`; allow for clock skew with `clockTolerance` instead.",
  },
  ValidateLifetime: {
    off: false,
    consequence: "expired tokens are accepted, so a leaked or revoked token keeps working forever",
    remedy: "keep `ValidateLifetime = true` (the default) and issue short-lived tokens with a refresh flow.",
  },
  RequireExpirationTime: {
    off: false,
    consequence: "tokens without an expiry are accepted and never stop working",
    remedy: "keep `RequireExpirationTime = true` (the default).",
  },
  RequireSignedTokens: {
    off: false,
    consequence: "unsigned tokens are accepted, so anyone can write one",
    remedy: "keep `RequireSignedTokens = true` (the default).",
  },
  ValidateIssuerSigningKey: {
    off: false,
    consequence: "the key that signed the token is not checked against the keys you trust",
    remedy: "set `ValidateIssuerSigningKey = true` with `IssuerSigningKey` (or the authority's keys).",
  },
  ValidateIssuer: {
    off: false,
    consequence: "tokens from any issuer are accepted, such as another tenant's or a test environment's",
    remedy: "set `ValidIssuer` and keep `ValidateIssuer = true`.",
    scope: true,
  },
  ValidateAudience: {
    off: false,
    consequence: "tokens issued for other applications are accepted",
    remedy: "set `ValidAudience` and keep `ValidateAudience = true`.",
    scope: true,
  },
};

/** Validator callbacks the adapters recognise as accepting everything. */
const VALIDATORS: Readonly<Record<string, SwitchedOff>> = {
  SignatureValidator: {
    off: true,
    consequence: "the signature is never checked, so anyone can forge a token with any claims",
    remedy:
      "remove `SignatureValidator` and give `IssuerSigningKey` (or the authority) so the handler verifies signatures.",
  },
  LifetimeValidator: {
    off: true,
    consequence: "expired tokens are accepted",
    remedy: "remove `LifetimeValidator` and keep `ValidateLifetime = true`.",
  },
  IssuerSigningKeyValidator: {
    off: true,
    consequence: "any signing key is trusted",
    remedy: "remove `IssuerSigningKeyValidator` or make it reject keys you do not trust.",
  },
  IssuerValidator: {
    off: true,
    consequence: "tokens from any issuer are accepted",
    remedy: "remove `IssuerValidator` and set `ValidIssuer`.",
    scope: true,
  },
  AudienceValidator: {
    off: true,
    consequence: "tokens issued for other applications are accepted",
    remedy: "remove `AudienceValidator` and set `ValidAudience`.",
    scope: true,
  },
};

const VERIFY_INSTEAD: Record<Language, string> = {
  ts: 'verify it and take the identity from the result: `jwt.verify(token, key, { algorithms: ["RS256"] })` (jose: `await jwtVerify(token, key)`).',
  csharp:
    "validate it and take the identity from the result: `handler.ValidateToken(token, validationParameters, out _)` or `await new JsonWebTokenHandler().ValidateTokenAsync(token, validationParameters)`.",
};
const PIN_ALGORITHMS = 'pin the algorithms you issue: `{ algorithms: ["RS256"] }`.';
const GIVE_KEY =
  'pass the verification key from configuration: `jwt.verify(token, process.env.JWT_PUBLIC_KEY, { algorithms: ["RS256"] })`.';
/** Libraries whose verification follows the token header unless `algorithms` pins it. */
const HEADER_CHOOSES_ALGORITHM = new Set(["jsonwebtoken", "passport-jwt", "@nestjs/jwt"]);

export type MessageIds =
  | "decodedIdentity"
  | "algorithmNone"
  | "algorithmFromToken"
  | "missingAlgorithms"
  | "algorithmConfusion"
  | "keyFromToken"
  | "hmacWithPublicKey"
  | "emptyKey"
  | "checkSwitchedOff"
  | "validatorAcceptsAll";

type ReportJwt = (problem: Report<MessageIds>) => void;

function checkRead(read: UnverifiedRead, language: Language, report: ReportJwt): void {
  if (read.verifiedNearby) return;
  report({
    loc: read.loc,
    messageId: "decodedIdentity",
    data: { call: read.call, use: read.use },
    remedy: VERIFY_INSTEAD[language],
  });
}

function checkVerification(fact: TokenVerification, options: Options, report: ReportJwt): void {
  const via = fact.via;
  const algorithms = fact.algorithms?.values;
  const none = algorithms?.find((a) => a.toLowerCase() === "none");
  if (none !== undefined) {
    report({ loc: fact.algorithms!.loc, messageId: "algorithmNone", data: { via }, remedy: PIN_ALGORITHMS });
  } else if (fact.algorithmFromToken) {
    report({
      loc: fact.algorithmFromToken,
      messageId: "algorithmFromToken",
      data: { via },
      remedy: 'name the algorithm you issue: `jws.verify(signature, "RS256", publicKey)`.',
    });
  } else if (!fact.algorithms && fact.complete && fact.library === "express-jwt") {
    report({ loc: fact.loc, messageId: "missingAlgorithms", data: { via }, remedy: PIN_ALGORITHMS });
  } else if (fact.key?.kind === "token") {
    if (!fact.algorithms && fact.complete)
      report({
        loc: fact.key.loc,
        messageId: "keyFromToken",
        data: { via, key: fact.key.text },
        remedy:
          'pin the algorithms and trust only keys you know: `jwtVerify(token, EmbeddedJWK, { algorithms: ["ES256"] })`, then check the key\'s thumbprint against the ones you registered.',
      });
  } else if (fact.key?.kind === "public" && HEADER_CHOOSES_ALGORITHM.has(fact.library)) {
    const hmac = algorithms?.find((a) => /^HS\d+$/i.test(a));
    if (!fact.algorithms && fact.complete) {
      report({
        loc: fact.loc,
        messageId: "algorithmConfusion",
        data: { via, key: fact.key.text },
        remedy: 'pin the public-key algorithms: `{ algorithms: ["RS256"] }`.',
      });
    } else if (hmac) {
      report({
        loc: fact.algorithms!.loc,
        messageId: "hmacWithPublicKey",
        data: { via, key: fact.key.text, alg: hmac },
        remedy: 'allow only public-key algorithms: `{ algorithms: ["RS256"] }`.',
      });
    }
  }
  if (fact.key?.kind === "falsy" || fact.key?.kind === "missing") {
    report({
      loc: fact.key.loc,
      messageId: "emptyKey",
      data: { via, key: fact.key.kind === "missing" ? "no key" : `the key \`${fact.key.text}\`` },
      remedy: GIVE_KEY,
    });
  }
  for (const setting of fact.settings) checkSetting(setting, via, options, report);
}

function checkSetting(setting: ValidationSetting, via: string, options: Options, report: ReportJwt): void {
  if (setting.value === "unvalidated") {
    const validator = VALIDATORS[setting.name];
    if (!validator || (validator.scope && !options.checkIssuerAndAudience)) return;
    report({
      loc: setting.loc,
      messageId: "validatorAcceptsAll",
      data: { setting: setting.name, via, consequence: validator.consequence },
      remedy: validator.remedy,
    });
    return;
  }
  const known = SETTINGS[setting.name];
  if (!known || setting.value !== known.off || (known.scope && !options.checkIssuerAndAudience)) return;
  report({
    loc: setting.loc,
    messageId: "checkSwitchedOff",
    data: {
      setting: `${setting.name}${known.off ? ": true" : " = false"}`,
      via,
      consequence: known.consequence,
    },
    remedy: known.remedy,
  });
}

export default createRule<Options, MessageIds>({
  descriptor,
  meta: {
    type: "problem",
    messages: {
      decodedIdentity:
        "{{call}} reads the token without checking its signature, and the result is used as the caller's identity ({{use}}): anyone can write a token with any user id or role and it is believed.",
      algorithmNone: "{{via}} accepts the `none` algorithm: a token with no signature at all passes verification.",
      algorithmFromToken:
        "{{via}} takes the algorithm from the token's own header: a forged token can name `none`, or HS256 keyed with the public key, and pass verification.",
      missingAlgorithms:
        "{{via}} does not pin `algorithms`: the token's own header decides how it is checked, so a forged header can weaken verification.",
      algorithmConfusion:
        "{{via}} verifies with a public key ({{key}}) without pinning `algorithms`: a token signed with HS256 using the public key as the HMAC secret can pass (algorithm confusion).",
      keyFromToken:
        "{{via}} verifies with the key the token carries in its own header ({{key}}) without pinning `algorithms`: whoever makes the token chooses the key and the algorithm, so any token they sign passes.",
      hmacWithPublicKey:
        "{{via}} allows {{alg}} while verifying with a public key ({{key}}): anyone who has the public key can sign an HMAC token that passes (algorithm confusion).",
      emptyKey: "{{via}} verifies with {{key}}: without a key the signature proves nothing.",
      checkSwitchedOff: "`{{setting}}` in {{via}}: {{consequence}}.",
      validatorAcceptsAll: "`{{setting}}` in {{via}} accepts every token without checking it: {{consequence}}.",
    },
    schema: [
      {
        type: "object",
        properties: {
          checkIssuerAndAudience: {
            description:
              "Report `ValidateIssuer = false`, `ValidateAudience = false` and issuer or audience validators that accept everything.",
            type: "boolean",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ checkIssuerAndAudience: true }],
  },
  skipsTestFiles: true,
  create(context) {
    const { model, options } = context;
    // An options const shared by several verify calls is one problem, reported once where it is written.
    const reported = new Set<string>();
    const once: ReportJwt = (problem) => {
      const key = `${problem.messageId}@${problem.loc.start.line}:${problem.loc.start.column}`;
      if (reported.has(key)) return;
      reported.add(key);
      context.report(problem);
    };
    for (const fact of model.jwt) {
      if (fact.kind === "unverified-read") checkRead(fact, model.language, once);
      else checkVerification(fact, options, once);
    }
  },
});
