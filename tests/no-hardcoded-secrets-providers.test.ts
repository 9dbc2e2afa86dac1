/**
 * AP201 provider formats: every shipped format is found in a made-up value built
 * here at run time (prefix, generated characters of the format's alphabet, computed
 * checksum), so the repository itself holds no credential-shaped literal. Each
 * family also has near-misses: a broken checksum, a wrong length, a placeholder.
 * Messages never show more than four characters of a secret.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { crc32 } from "node:zlib";
import plugin from "../lib/index.js";
import { parser } from "../lib/parser.js";
import { CONTEXTUAL_FORMATS, PROVIDER_FORMATS, findProviderCredential } from "../lib/core/secrets/providers.js";
import { judgeLiteral } from "../lib/core/secrets/index.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { Rng } from "../bench/corpus-kit.js";

/** A small seeded generator (the benchmark's mulberry32), so failures reproduce. */
function generator(seed: number) {
  const rng = new Rng(seed);
  const next = (): number => rng.next();
  const chars = (alphabet: string, n: number): string =>
    Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
  const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
  return { chars, bytes };
}

const DIGITS = "0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const ALNUM = DIGITS + UPPER + LOWER;
const HEX = "0123456789abcdef";
const B64URL = ALNUM + "_-";
const g = generator(201);

/** GitHub's and npm's checksum, computed independently of the plugin: CRC-32 of the body in six base62 digits. */
function withChecksum(prefix: string): string {
  const body = g.chars(ALNUM, 30);
  let n = crc32(body);
  let digits = "";
  while (n > 0) {
    digits = ALNUM[n % 62] + digits;
    n = Math.floor(n / 62);
  }
  return prefix + body + digits.padStart(6, "0");
}

const uuid = (): string =>
  `${g.chars(HEX, 8)}-${g.chars(HEX, 4)}-${g.chars(HEX, 4)}-${g.chars(HEX, 4)}-${g.chars(HEX, 12)}`;
const b64url = (data: unknown): string => Buffer.from(JSON.stringify(data)).toString("base64url");
const pem = (label: string, body: string): string =>
  `-----BEGIN ${label}-----\n${body.match(/.{1,64}/g)!.join("\n")}\n-----END ${label}-----\n`;

interface Case {
  /** The format id the value must be found as. */
  id: string;
  value: string;
  /** Target name, for formats recognised by the names around them. */
  target?: string;
}

/** One made-up, format-valid value per shipped format. */
const CASES: Case[] = [
  { id: "github-pat", value: withChecksum("ghp_") },
  { id: "github-oauth", value: withChecksum("gho_") },
  { id: "github-app-token", value: withChecksum("ghu_") },
  { id: "github-app-token", value: withChecksum("ghs_") },
  { id: "github-refresh-token", value: withChecksum("ghr_") },
  { id: "github-fine-grained-pat", value: `github_pat_${g.chars(ALNUM, 22)}_${g.chars(ALNUM, 59)}` },
  { id: "gitlab-pat", value: `glpat-${g.chars(ALNUM, 20)}` },
  { id: "gitlab-pat-routable", value: `glpat-${g.chars(ALNUM, 36)}.01${g.chars(DIGITS + LOWER, 7)}` },
  { id: "gitlab-deploy-token", value: `gldt-${g.chars(ALNUM, 20)}` },
  { id: "gitlab-runner-authentication-token", value: `glrt-${g.chars(ALNUM, 20)}` },
  { id: "gitlab-ptt", value: `glptt-${g.chars(HEX, 40)}` },
  { id: "gitlab-feed-token", value: `glft-${g.chars(ALNUM, 20)}` },
  { id: "gitlab-incoming-mail-token", value: `glimt-${g.chars(ALNUM, 25)}` },
  { id: "gitlab-kubernetes-agent-token", value: `glagent-${g.chars(ALNUM, 50)}` },
  { id: "gitlab-oauth-app-secret", value: `gloas-${g.chars(ALNUM, 64)}` },
  { id: "gitlab-scim-token", value: `glsoat-${g.chars(ALNUM, 20)}` },
  { id: "gitlab-rrt", value: `GR1348941${g.chars(ALNUM, 20)}` },
  { id: "slack-bot-token", value: `xoxb-${g.chars(DIGITS, 11)}-${g.chars(DIGITS, 13)}-${g.chars(ALNUM, 24)}` },
  {
    id: "slack-user-token",
    value: `xoxp-${g.chars(DIGITS, 11)}-${g.chars(DIGITS, 11)}-${g.chars(DIGITS, 12)}-${g.chars(ALNUM, 32)}`,
  },
  { id: "slack-legacy-workspace-token", value: `xoxr-${g.chars(ALNUM, 40)}` },
  {
    id: "slack-legacy-token",
    value: `xoxs-${g.chars(DIGITS, 10)}-${g.chars(DIGITS, 10)}-${g.chars(DIGITS, 10)}-${g.chars(HEX, 40)}`,
  },
  { id: "slack-app-token", value: `xapp-1-A${g.chars(UPPER + DIGITS, 10)}-${g.chars(DIGITS, 13)}-${g.chars(HEX, 64)}` },
  { id: "slack-config-access-token", value: `xoxe.xoxp-1-${g.chars(ALNUM, 150)}` },
  {
    id: "slack-webhook-url",
    value: `https://hooks.slack.com/services/T${g.chars(UPPER + DIGITS, 10)}/B${g.chars(UPPER + DIGITS, 10)}/${g.chars(ALNUM, 24)}`,
  },
  { id: "stripe-access-token", value: `sk_live_${g.chars(ALNUM, 99)}` },
  { id: "stripe-access-token", value: `rk_live_${g.chars(ALNUM, 99)}` },
  { id: "stripe-test-access-token", value: `sk_test_${g.chars(ALNUM, 99)}` },
  { id: "aws-access-token", value: `AKIA${g.chars(UPPER + "234567", 16)}` },
  { id: "aws-access-token", value: `ASIA${g.chars(UPPER + "234567", 16)}` },
  { id: "aws-amazon-bedrock-api-key-long-lived", value: `ABSK${g.bytes(96).toString("base64")}` },
  { id: "gcp-api-key", value: `AIza${g.chars(B64URL, 35)}` },
  { id: "gcp-oauth-client-secret", value: `GOCSPX-${g.chars(B64URL, 28)}` },
  {
    id: "azure-storage-account-key",
    value: `DefaultEndpointsProtocol=https;AccountName=acmefiles;AccountKey=${g.bytes(64).toString("base64")};EndpointSuffix=core.windows.net`,
  },
  {
    id: "azure-shared-access-key",
    value: `Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${g.bytes(32).toString("base64")}`,
  },
  {
    id: "azure-sas-token",
    value: `https://acme.blob.core.windows.net/reports?sv=2022-11-02&ss=b&sp=rl&se=2030-01-01T00:00:00Z&sig=${encodeURIComponent(g.bytes(32).toString("base64"))}`,
  },
  { id: "azure-ad-client-secret", value: `${g.chars(ALNUM, 3)}8Q~${g.chars(ALNUM + "_~.-", 34)}` },
  { id: "twilio-api-key", value: `SK${g.chars(HEX, 32)}` },
  { id: "sendgrid-api-token", value: `SG.${g.chars(B64URL, 22)}.${g.chars(B64URL, 43)}` },
  { id: "mailgun-private-api-token", value: `key-${g.chars(HEX, 32)}` },
  { id: "mailchimp-api-key", value: `${g.chars(HEX, 32)}-us${g.chars(DIGITS, 2)}` },
  { id: "sendinblue-api-token", value: `xkeysib-${g.chars(HEX, 64)}-${g.chars(ALNUM, 16)}` },
  { id: "telegram-bot-api-token", value: `${g.chars(DIGITS, 9)}:AA${g.chars(B64URL, 33)}` },
  {
    id: "microsoft-teams-webhook",
    value: `https://acme.webhook.office.com/webhookb2/${uuid()}@${uuid()}/IncomingWebhook/${g.chars(DIGITS + LOWER, 32)}/${uuid()}`,
  },
  {
    id: "discord-webhook-url",
    value: `https://discord.com/api/webhooks/${g.chars(DIGITS, 18)}/${g.chars(B64URL, 68)}`,
  },
  { id: "openai-api-key", value: `sk-proj-${g.chars(B64URL, 74)}T3BlbkFJ${g.chars(B64URL, 74)}` },
  { id: "openai-api-key", value: `sk-${g.chars(ALNUM, 20)}T3BlbkFJ${g.chars(ALNUM, 20)}` },
  { id: "anthropic-api-key", value: `sk-ant-api03-${g.chars(B64URL, 93)}AA` },
  { id: "huggingface-access-token", value: `hf_${g.chars(UPPER + LOWER, 34)}` },
  { id: "huggingface-organization-api-token", value: `api_org_${g.chars(UPPER + LOWER, 34)}` },
  { id: "perplexity-api-key", value: `pplx-${g.chars(ALNUM, 48)}` },
  { id: "npm-access-token", value: withChecksum("npm_") },
  { id: "pypi-upload-token", value: `pypi-AgEIcHlwaS5vcmc${g.chars(B64URL, 70)}` },
  { id: "rubygems-api-token", value: `rubygems_${g.chars(HEX, 48)}` },
  { id: "shopify-access-token", value: `shpat_${g.chars(HEX, 32)}` },
  { id: "digitalocean-pat", value: `dop_v1_${g.chars(HEX, 64)}` },
  { id: "databricks-api-token", value: `dapi${g.chars(HEX, 32)}` },
  { id: "linear-api-key", value: `lin_api_${g.chars(ALNUM, 40)}` },
  { id: "notion-api-token", value: `ntn_${g.chars(DIGITS, 11)}${g.chars(ALNUM, 35)}` },
  { id: "postman-api-token", value: `PMAK-${g.chars(HEX, 24)}-${g.chars(HEX, 34)}` },
  { id: "sentry-user-token", value: `sntryu_${g.chars(HEX, 64)}` },
  { id: "grafana-service-account-token", value: `glsa_${g.chars(ALNUM, 32)}_${g.chars(HEX, 8)}` },
  { id: "grafana-cloud-api-token", value: `glc_${g.chars(ALNUM, 60)}` },
  { id: "vault-service-token", value: `hvs.${g.chars(B64URL, 100)}` },
  { id: "hashicorp-tf-api-token", value: `${g.chars(DIGITS + LOWER, 14)}.atlasv1.${g.chars(B64URL, 66)}` },
  { id: "doppler-api-token", value: `dp.pt.${g.chars(ALNUM, 43)}` },
  { id: "pulumi-api-token", value: `pul-${g.chars(HEX, 40)}` },
  { id: "planetscale-api-token", value: `pscale_tkn_${g.chars(ALNUM, 43)}` },
  { id: "dynatrace-api-token", value: `dt0c01.${g.chars(UPPER + DIGITS, 24)}.${g.chars(ALNUM, 64)}` },
  { id: "heroku-api-key-v2", value: `HRKU-AA${g.chars(B64URL, 58)}` },
  { id: "new-relic-user-api-key", value: `NRAK-${g.chars(UPPER + DIGITS, 27)}` },
  { id: "square-access-token", value: `sq0atp-${g.chars(B64URL, 22)}` },
  { id: "shippo-api-token", value: `shippo_live_${g.chars(HEX, 40)}` },
  { id: "alibaba-access-key-id", value: `LTAI${g.chars(ALNUM, 20)}` },
  { id: "artifactory-api-key", value: `AKCp${g.chars(ALNUM, 69)}` },
  { id: "age-secret-key", value: `AGE-SECRET-KEY-1${g.chars("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)}` },
  {
    id: "1password-secret-key",
    value: `A3-${g.chars(UPPER + DIGITS, 6)}-${g.chars(UPPER + DIGITS, 11)}-${g.chars(UPPER + DIGITS, 5)}-${g.chars(UPPER + DIGITS, 5)}-${g.chars(UPPER + DIGITS, 5)}`,
  },
  { id: "private-key", value: pem("RSA PRIVATE KEY", `MIIEpAIBAAKCAQEA${g.bytes(300).toString("base64")}`) },
  {
    id: "private-key",
    value: pem("PRIVATE KEY", `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${g.bytes(300).toString("base64")}`),
  },
  {
    id: "private-key",
    value: pem("OPENSSH PRIVATE KEY", `b3BlbnNzaC1rZXktdjEAAAAA${g.bytes(200).toString("base64")}`),
  },
  {
    id: "jwt",
    value: `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url({ sub: `user-${g.chars(DIGITS, 6)}`, role: "admin", iat: 1700000000 })}.${g.bytes(32).toString("base64url")}`,
  },
  // Formats recognised by the names around the value.
  { id: "aws-secret-access-key", value: g.bytes(30).toString("base64"), target: "AWS_SECRET_ACCESS_KEY" },
  { id: "twilio-auth-token", value: g.chars(HEX, 32), target: "twilioAuthToken" },
  {
    id: "mailgun-api-key",
    value: `${g.chars(HEX, 32)}-${g.chars(HEX, 8)}-${g.chars(HEX, 8)}`,
    target: "mailgunApiKey",
  },
  { id: "azure-storage-account-key", value: g.bytes(64).toString("base64"), target: "StorageAccountKey" },
];

describe("AP201 provider formats", () => {
  it("every shipped format has a generated case", () => {
    const shipped = new Set([...PROVIDER_FORMATS.map((f) => f.id), ...CONTEXTUAL_FORMATS.map((f) => f.id)]);
    const tested = new Set(CASES.map((c) => c.id));
    assert.deepEqual(
      [...shipped].filter((id) => !tested.has(id)),
      [],
    );
  });

  for (const c of CASES) {
    it(`finds ${c.id} (${c.value.slice(0, 4)}…)`, () => {
      const names = new Set(
        c.target ? (c.target.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []).map((w) => w.toLowerCase()) : [],
      );
      assert.equal(findProviderCredential(c.value, names)?.id, c.id);
      // Inside a longer string too, as in a header or a URL.
      if (!c.target) assert.equal(findProviderCredential(`Authorization: Bearer ${c.value} `)?.id, c.id);
    });
  }

  it("contextual formats need the names around them", () => {
    for (const c of CASES.filter((x) => x.target)) assert.equal(findProviderCredential(c.value), undefined, c.id);
  });
});

describe("AP201 provider near-misses", () => {
  const checksummed = withChecksum("ghp_");
  const broken = checksummed.slice(0, -1) + (checksummed.endsWith("A") ? "B" : "A");
  const cases: [string, string][] = [
    ["GitHub token with a wrong checksum", broken],
    ["npm token with a wrong checksum", `npm_${broken.slice(4)}`],
    ["GitHub token one character short", checksummed.slice(0, -1)],
    ["GitHub placeholder", `ghp_${"x".repeat(36)}`],
    ["AWS documentation key", `AKIA${"IOSFODNN7"}EXAMPLE`],
    ["AWS key with a character outside base32", `AKIA${g.chars(UPPER, 15)}1`],
    ["Stripe publishable key", `pk_live_${g.chars(ALNUM, 99)}`],
    ["Stripe key too short", `sk_live_${g.chars(ALNUM, 12)}`],
    ["Slack webhook without its secret", "https://hooks.slack.com/services/T00000000/B00000000/"],
    ["unsigned JWT", `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ sub: "user-1" })}.`],
    ["JWT whose header is not JSON", `eyJ${g.chars(ALNUM, 20)}.eyJ${g.chars(ALNUM, 20)}.${g.chars(B64URL, 43)}`],
    [
      "the JWT of tutorials",
      `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url({ sub: "1234567890", name: "John Doe", iat: 1516239022 })}.${g.bytes(32).toString("base64url")}`,
    ],
    ["private key placeholder", `-----BEGIN ${"PRIVATE KEY"}-----\n...\n-----END ${"PRIVATE KEY"}-----`],
    ["public key", pem("PUBLIC KEY", `MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A${g.bytes(200).toString("base64")}`)],
    [
      "storage emulator account",
      `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${g.bytes(64).toString("base64")};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;`,
    ],
    [
      "SAS-like query without a service version",
      `https://acme.example.org/file?sig=${encodeURIComponent(g.bytes(32).toString("base64"))}`,
    ],
    ["Twilio account SID (an identifier)", `AC${g.chars(HEX, 32)}`],
    ["SendGrid key with a short segment", `SG.${g.chars(B64URL, 10)}.${g.chars(B64URL, 43)}`],
    ["GitHub token glued to a word", `xghp_${checksummed.slice(4)}`],
  ];
  for (const [name, value] of cases) {
    it(`ignores ${name}`, () => assert.equal(findProviderCredential(value)?.id, undefined));
  }

  it("ignores a Google API key in Firebase's public web configuration", () => {
    const apiKey = `AIza${g.chars(B64URL, 35)}`;
    assert.equal(
      judgeLiteral({ value: apiKey, loc: LOC, target: "apiKey", siblings: ["authDomain", "projectId"] }),
      undefined,
    );
    assert.equal(judgeLiteral({ value: apiKey, loc: LOC, target: "apiKey", siblings: ["region"] })?.kind, "provider");
  });

  it("stays linear on long and adversarial values", { timeout: 120_000 }, () => {
    const values = [
      "ghp_".repeat(250_000),
      `${"a".repeat(1_000_000)}!`,
      `-----BEGIN ${"PRIVATE KEY"}-----${"A".repeat(500_000)}`,
      `eyJ${"A".repeat(200_000)}.eyJ${"B".repeat(200_000)}.`,
      "Server=x;".repeat(100_000),
      `postgres://${"a:".repeat(200_000)}`,
    ];
    for (const value of values) judgeLiteral({ value, loc: LOC, target: "password" });
  });
});

const LOC = { start: { line: 1, column: 0 }, end: { line: 1, column: 1 } };

describe("AP201 messages never show more than four characters of a secret", () => {
  const { Linter } = ESLINT_VERSIONS[0];
  const rules = { "api-posture/no-hardcoded-secrets": "error" } as const;
  const configs = {
    ts: [{ files: ["**/*.ts"], plugins: { "api-posture": plugin }, languageOptions: { parser }, rules }],
    cs: [{ files: ["**/*.cs"], plugins: { "api-posture": plugin }, language: "api-posture/csharp", rules }],
  };
  const escapeTs = (v: string) => JSON.stringify(v);
  const escapeCs = (v: string) => `@"${v.replace(/"/g, '""')}"`;
  const sources: { secret: string; ts: string; cs: string }[] = [
    ...CASES.map((c) => ({
      secret: c.value,
      ts: `const ${c.target ?? "value"} = ${escapeTs(c.value)};`,
      cs: `class C { string ${c.target ?? "Value"} = ${escapeCs(c.value)}; }`,
    })),
    {
      secret: "Tr0ub4dor&3x",
      ts: 'const dbPassword = "Tr0ub4dor&3x";',
      cs: 'class C { string DbPassword = "Tr0ub4dor&3x"; }',
    },
    {
      secret: "Kx8$mQ2!vLp9",
      ts: 'const url = "postgres://app:Kx8$mQ2!vLp9@db.internal/app";',
      cs: 'class C { string Db = "Server=db.internal;User Id=app;Password=Kx8$mQ2!vLp9;"; }',
    },
    {
      secret: "wQ7zT1pLk3",
      ts: 'jwt.sign(claims, "wQ7zT1pLk3");\nimport jwt from "jsonwebtoken";',
      cs: 'class C { object K = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("wQ7zT1pLk3")); }',
    },
  ];

  for (const [language, pick] of [
    ["ts", (s: (typeof sources)[number]) => s.ts],
    ["cs", (s: (typeof sources)[number]) => s.cs],
  ] as const) {
    it(`in ${language === "ts" ? "TypeScript" : "C#"}`, () => {
      const linter = new Linter();
      let reported = 0;
      for (const source of sources) {
        const messages = linter.verify(
          pick(source),
          configs[language],
          language === "ts" ? "src/config.ts" : "Config.cs",
        );
        assert.ok(messages.length > 0, `reported: ${source.secret.slice(0, 4)}…`);
        for (const message of messages) {
          reported++;
          const texts = [message.message, ...(message.suggestions ?? []).map((s) => s.desc)];
          for (const text of texts) {
            for (const shown of text.matchAll(/`([^`]*)…`/g))
              assert.ok(shown[1].length <= 4, `shows ${shown[1].length} characters`);
            // A leaking message would contain every window of the secret; windows of plain lower-case
            // words are skipped because format titles share them with fixed prefixes (`glagent-`, `hooks.`).
            for (let i = 0; i + 5 <= source.secret.length; i++) {
              const window = source.secret.slice(i, i + 5);
              if (/^[a-z .:/_-]+$/.test(window)) continue;
              assert.ok(
                !text.includes(window),
                `message shows "${window.slice(0, 2)}…" of a secret: ${text.slice(0, 40)}`,
              );
            }
          }
        }
      }
      assert.ok(reported >= sources.length);
    });
  }
});
