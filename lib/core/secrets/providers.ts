/**
 * Credential formats of known providers, recognised by their structure: prefix,
 * length, alphabet, and the checksum or decodable parts a format carries.
 *
 * Most patterns are adapted from the gitleaks rule list (config/gitleaks.toml,
 * https://github.com/gitleaks/gitleaks) and some details from secretlint's rules
 * (https://github.com/secretlint/secretlint); both are MIT-licensed, see
 * THIRD_PARTY_NOTICES.md at the package root:
 *
 *   gitleaks — Copyright (c) 2019 Zachary Rice
 *   secretlint — Copyright (c) 2020 azu
 *
 *   Permission is hereby granted, free of charge, to any person obtaining a copy of
 *   this software and associated documentation files (the "Software"), to deal in
 *   the Software without restriction, including without limitation the rights to
 *   use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
 *   the Software, and to permit persons to whom the Software is furnished to do so,
 *   subject to the following conditions: The above copyright notice and this
 *   permission notice shall be included in all copies or substantial portions of the
 *   Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND.
 *
 * They are vendored rather than called: both tools scan whole files asynchronously
 * and report the full secret in their messages, while a lint rule runs
 * synchronously on one string literal at a time and must never print the secret.
 * Where a format has a checksum (GitHub, npm) it is verified, which gitleaks and
 * secretlint do not do; where gitleaks needs a keyword next to the value, the names
 * around the literal (its target and owners) play that part.
 */
import { hasBase62Crc32 } from "./checksums.js";
import { entropy } from "./values.js";

export interface ProviderFormat {
  /** gitleaks' rule id where there is one. */
  id: string;
  /** What the credential is, for messages: `GitHub personal access token`. */
  title: string;
  /** Text every credential of this format contains (one of them), to pick candidate formats quickly. */
  keyword: string | readonly string[];
  /** Global pattern with boundaries; group 1, when present, is the credential itself. */
  pattern: RegExp;
  /** Structure beyond the pattern: a checksum, parts that must decode. */
  valid?: (token: string, value: string) => boolean;
  /** Least Shannon entropy of the credential (bits per character): `ghp_aaaa…` is not a token. */
  minEntropy?: number;
}

/** Credentials without a prefix of their own, recognised by shape and by the names around them. */
export interface ContextualFormat {
  id: string;
  title: string;
  /** The whole value must match. */
  pattern: RegExp;
  /** Do the words of the target and its owners say whose credential this is? */
  names(words: ReadonlySet<string>): boolean;
  minEntropy: number;
}

export interface ProviderMatch {
  id: string;
  title: string;
  /** The credential as found in the value. */
  token: string;
  /** Where it starts in the value. */
  index: number;
}

const B = "(?<![A-Za-z0-9_])"; // no word character before
const E = "(?![A-Za-z0-9_])"; // none after
const BD = "(?<![A-Za-z0-9_-])"; // for formats whose alphabet includes `-`
const ED = "(?![A-Za-z0-9_-])";

const re = (source: string, flags = "g"): RegExp => new RegExp(source, flags);

function github(prefix: string, title: string): ProviderFormat {
  return {
    id:
      prefix === "ghp"
        ? "github-pat"
        : prefix === "gho"
          ? "github-oauth"
          : prefix === "ghr"
            ? "github-refresh-token"
            : "github-app-token",
    title,
    keyword: `${prefix}_`,
    pattern: re(`${B}${prefix}_[A-Za-z0-9]{36}${E}`),
    valid: (token) => hasBase62Crc32(token, 4),
  };
}

function base64UrlJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

/** A signed JWT: its header names an algorithm other than `none` and both header and payload are JSON objects. */
function isSignedJwt(token: string): boolean {
  const [header, payload] = token.split(".");
  const h = base64UrlJson(header) as { alg?: unknown; typ?: unknown } | undefined;
  const p = base64UrlJson(payload) as Record<string, unknown> | undefined;
  if (!h || typeof h !== "object" || typeof h.alg !== "string" || h.alg.toLowerCase() === "none") return false;
  if (!p || typeof p !== "object" || Array.isArray(p)) return false;
  // A license file signed as a JWT (`typ: license+jwt`) proves a purchase, it opens no API.
  if (typeof h.typ === "string" && /license/i.test(h.typ)) return false;
  // The sample token every JWT tutorial and library README shows.
  return !(p.sub === "1234567890" && p.name === "John Doe");
}

const PEM_BODY_MAGIC = /^(?:MI|b3BlbnNzaC1rZXktdjE)/;

/** The body of a PEM private key is base64 key material, not `...` or `<your key>`. */
function isPemKeyMaterial(token: string): boolean {
  const pgp = /PGP PRIVATE KEY/.test(token);
  const body = token
    .replace(/^-----BEGIN[^-]*-----|-----END[^-]*-----$/g, "")
    .split(/\r?\n|\\n/)
    .filter((line) => !/^[\w-]+:\s/.test(line)) // armor headers (Proc-Type:, Version:, Comment:)
    .join("")
    .replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}(?:=[A-Za-z0-9+/]{4})?$/.test(body) || body.length < 64) return false;
  return pgp || PEM_BODY_MAGIC.test(body);
}

/** An Azure SAS signature is the base64 of a 32-byte HMAC, URL-encoded in the query string. */
function isSasSignature(token: string, value: string): boolean {
  if (!/[?&]sv=/.test(value) || !/[?&](?:se|sp)=/.test(value)) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(token);
  } catch {
    return false;
  }
  return /^[A-Za-z0-9+/]{43}=$/.test(decoded);
}

export const PROVIDER_FORMATS: readonly ProviderFormat[] = [
  // GitHub: prefix, 30 random base62 characters and a CRC-32 checksum.
  github("ghp", "GitHub personal access token"),
  github("gho", "GitHub OAuth access token"),
  github("ghu", "GitHub user-to-server token"),
  github("ghs", "GitHub server-to-server token"),
  github("ghr", "GitHub refresh token"),
  {
    id: "github-fine-grained-pat",
    title: "GitHub fine-grained personal access token",
    keyword: "github_pat_",
    pattern: re(`${B}github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}${E}`),
    minEntropy: 4,
  },
  // GitLab
  {
    id: "gitlab-pat",
    title: "GitLab personal access token",
    keyword: "glpat-",
    pattern: re(`${BD}glpat-[A-Za-z0-9_-]{20}${ED}`),
    minEntropy: 3,
  },
  {
    id: "gitlab-pat-routable",
    title: "GitLab personal access token",
    keyword: "glpat-",
    pattern: re(`${BD}glpat-[A-Za-z0-9_-]{27,300}\\.[0-9a-z]{2}[0-9a-z]{7}${ED}`),
    minEntropy: 4,
  },
  {
    id: "gitlab-deploy-token",
    title: "GitLab deploy token",
    keyword: "gldt-",
    pattern: re(`${BD}gldt-[A-Za-z0-9_-]{20}${ED}`),
    minEntropy: 3,
  },
  {
    id: "gitlab-runner-authentication-token",
    title: "GitLab runner token",
    keyword: "glrt-",
    pattern: re(`${BD}glrt-(?:t\\d_)?[A-Za-z0-9_-]{20,300}(?:\\.[0-9a-z]{9})?${ED}`),
    minEntropy: 3,
  },
  {
    id: "gitlab-ptt",
    title: "GitLab pipeline trigger token",
    keyword: "glptt-",
    pattern: re(`${BD}glptt-[0-9a-f]{40}${ED}`),
    minEntropy: 3,
  },
  {
    id: "gitlab-feed-token",
    title: "GitLab feed token",
    keyword: "glft-",
    pattern: re(`${BD}glft-[A-Za-z0-9_-]{20}${ED}`),
    minEntropy: 3,
  },
  {
    id: "gitlab-incoming-mail-token",
    title: "GitLab incoming mail token",
    keyword: "glimt-",
    pattern: re(`${BD}glimt-[A-Za-z0-9_-]{25}${ED}`),
    minEntropy: 3,
  },
  {
    id: "gitlab-kubernetes-agent-token",
    title: "GitLab agent token",
    keyword: "glagent-",
    pattern: re(`${BD}glagent-[A-Za-z0-9_-]{50}${ED}`),
    minEntropy: 3,
  },
  {
    id: "gitlab-oauth-app-secret",
    title: "GitLab OAuth application secret",
    keyword: "gloas-",
    pattern: re(`${BD}gloas-[A-Za-z0-9_-]{64}${ED}`),
    minEntropy: 3,
  },
  {
    id: "gitlab-scim-token",
    title: "GitLab SCIM token",
    keyword: "glsoat-",
    pattern: re(`${BD}glsoat-[A-Za-z0-9_-]{20}${ED}`),
    minEntropy: 3,
  },
  {
    id: "gitlab-rrt",
    title: "GitLab runner registration token",
    keyword: "GR1348941",
    pattern: re(`${BD}GR1348941[A-Za-z0-9_-]{20}${ED}`),
    minEntropy: 3,
  },
  // Slack
  {
    id: "slack-bot-token",
    title: "Slack bot token",
    keyword: "xox",
    pattern: re(`${BD}xoxb-\\d{8,13}-(?:\\d{8,13}-)?[A-Za-z0-9]{18,34}${ED}`),
    minEntropy: 3,
  },
  {
    id: "slack-user-token",
    title: "Slack user token",
    keyword: "xox",
    pattern: re(`${BD}xoxp-\\d{8,13}-\\d{8,13}-\\d{8,13}-[A-Za-z0-9]{28,34}${ED}`),
    minEntropy: 3,
  },
  {
    id: "slack-legacy-workspace-token",
    title: "Slack workspace token",
    keyword: "xox",
    pattern: re(`${BD}xox[ar]-(?:\\d-)?[A-Za-z0-9]{8,48}${ED}`),
    minEntropy: 3,
  },
  {
    id: "slack-legacy-token",
    title: "Slack legacy token",
    keyword: "xox",
    pattern: re(`${BD}xox[os]-\\d{1,20}-\\d{1,20}-\\d{1,20}-[a-fA-F0-9]{8,64}${ED}`),
    minEntropy: 3,
  },
  {
    id: "slack-app-token",
    title: "Slack app-level token",
    keyword: "xapp-",
    pattern: re(`${BD}xapp-\\d-[A-Z0-9]{8,16}-\\d{8,16}-[a-f0-9]{32,80}${ED}`),
    minEntropy: 3,
  },
  {
    id: "slack-config-access-token",
    title: "Slack configuration token",
    keyword: "xox",
    pattern: re(`${BD}xoxe(?:\\.xox[bp])?-\\d-[A-Za-z0-9]{140,170}${ED}`),
    minEntropy: 3,
  },
  {
    id: "slack-webhook-url",
    title: "Slack incoming-webhook URL",
    keyword: "hooks.slack.com/",
    pattern: re(
      `hooks\\.slack\\.com/(?:services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24}|(?:workflows|triggers)/[A-Za-z0-9+/]{43,56})${E}`,
    ),
    minEntropy: 3,
  },
  // Stripe: secret and restricted keys (publishable `pk_` keys are meant for browsers).
  {
    id: "stripe-access-token",
    title: "Stripe secret key",
    keyword: "_live_",
    pattern: re(`${B}(?:sk|rk)_live_[A-Za-z0-9]{24,247}${E}`),
    minEntropy: 3,
  },
  {
    id: "stripe-test-access-token",
    title: "Stripe test-mode secret key",
    keyword: "_test_",
    pattern: re(`${B}(?:sk|rk)_test_[A-Za-z0-9]{24,247}${E}`),
    minEntropy: 3,
  },
  // AWS
  {
    id: "aws-access-token",
    title: "AWS access key id",
    keyword: ["AKIA", "ASIA", "ABIA", "ACCA", "A3T"],
    pattern: re(`${B}(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}${E}`),
    minEntropy: 3,
  },
  {
    id: "aws-amazon-bedrock-api-key-long-lived",
    title: "Amazon Bedrock API key",
    keyword: "ABSK",
    pattern: re(`${B}ABSK[A-Za-z0-9+/]{109,269}={0,2}`),
    minEntropy: 3,
  },
  // Google Cloud
  {
    id: "gcp-api-key",
    title: "Google API key",
    keyword: "AIza",
    pattern: re(`${BD}AIza[A-Za-z0-9_-]{35}${ED}`),
    minEntropy: 4,
  },
  {
    id: "gcp-oauth-client-secret",
    title: "Google OAuth client secret",
    keyword: "GOCSPX-",
    pattern: re(`${BD}GOCSPX-[A-Za-z0-9_-]{28}${ED}`),
    minEntropy: 3,
  },
  // Azure
  {
    id: "azure-storage-account-key",
    title: "Azure account key",
    keyword: "AccountKey=",
    pattern: re(`AccountKey=([A-Za-z0-9+/]{86}==)`, "gi"),
    // The storage emulator's key is published in Microsoft's documentation.
    valid: (_token, value) => !/AccountName=devstoreaccount1/i.test(value),
    minEntropy: 4,
  },
  {
    id: "azure-shared-access-key",
    title: "Azure shared access key",
    keyword: "SharedAccessKey=",
    pattern: re(`SharedAccessKey=([A-Za-z0-9+/]{43}=)`, "gi"),
    minEntropy: 4,
  },
  {
    id: "azure-sas-token",
    title: "Azure SAS token signature",
    keyword: "sig=",
    pattern: re(`[?&]sig=([A-Za-z0-9%+/]{43,64})(?![A-Za-z0-9%+/])`),
    valid: isSasSignature,
    minEntropy: 3.5,
  },
  {
    id: "azure-ad-client-secret",
    title: "Azure AD client secret",
    keyword: "Q~",
    pattern: re(`(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`),
    minEntropy: 3,
  },
  // Messaging and email
  {
    id: "twilio-api-key",
    title: "Twilio API key",
    keyword: "SK",
    pattern: re(`${B}SK[0-9a-fA-F]{32}${E}`),
    minEntropy: 3,
  },
  {
    id: "sendgrid-api-token",
    title: "SendGrid API key",
    keyword: "SG.",
    pattern: re(`${BD}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${ED}`),
    minEntropy: 3.5,
  },
  {
    id: "mailgun-private-api-token",
    title: "Mailgun API key",
    keyword: "key-",
    pattern: re(`${BD}key-[0-9a-f]{32}${ED}`),
    minEntropy: 3,
  },
  {
    id: "mailchimp-api-key",
    title: "Mailchimp API key",
    keyword: "-us",
    pattern: re(`${B}[0-9a-f]{32}-us\\d{1,2}${E}`),
    minEntropy: 3,
  },
  {
    id: "sendinblue-api-token",
    title: "Brevo (Sendinblue) API key",
    keyword: "xkeysib-",
    pattern: re(`${BD}xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}${ED}`),
    minEntropy: 3,
  },
  {
    id: "telegram-bot-api-token",
    title: "Telegram bot token",
    keyword: ":AA",
    pattern: re(`${B}\\d{8,10}:AA[A-Za-z0-9_-]{33}${ED}`),
    minEntropy: 3.5,
  },
  {
    id: "microsoft-teams-webhook",
    title: "Microsoft Teams webhook URL",
    keyword: "webhook.office.com/",
    pattern: re(
      `[a-z0-9]+\\.webhook\\.office\\.com/webhookb2/[a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}@[a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}/IncomingWebhook/[a-z0-9]{32}/[a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}`,
    ),
  },
  {
    id: "discord-webhook-url",
    title: "Discord webhook URL",
    keyword: "/api/webhooks/",
    pattern: re(`discord(?:app)?\\.com/api/webhooks/\\d{17,20}/[A-Za-z0-9_-]{60,68}${ED}`),
    minEntropy: 3.5,
  },
  // AI providers
  {
    id: "openai-api-key",
    title: "OpenAI API key",
    keyword: "T3BlbkFJ",
    pattern: re(
      `${BD}sk-(?:(?:proj|svcacct|admin)-(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})T3BlbkFJ(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})${ED}`,
    ),
    minEntropy: 3.5,
  },
  {
    id: "anthropic-api-key",
    title: "Anthropic API key",
    keyword: "sk-ant-",
    pattern: re(`${BD}sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA${ED}`),
    minEntropy: 3.5,
  },
  {
    id: "huggingface-access-token",
    title: "Hugging Face token",
    keyword: "hf_",
    pattern: re(`${B}hf_[A-Za-z]{34}${E}`),
    minEntropy: 3.5,
  },
  {
    id: "huggingface-organization-api-token",
    title: "Hugging Face organization token",
    keyword: "api_org_",
    pattern: re(`${B}api_org_[A-Za-z]{34}${E}`),
    minEntropy: 3.5,
  },
  {
    id: "perplexity-api-key",
    title: "Perplexity API key",
    keyword: "pplx-",
    pattern: re(`${BD}pplx-[A-Za-z0-9]{48}${ED}`),
    minEntropy: 4,
  },
  // Package registries and developer platforms
  {
    id: "npm-access-token",
    title: "npm access token",
    keyword: "npm_",
    pattern: re(`${B}npm_[A-Za-z0-9]{36}${E}`),
    valid: (token) => hasBase62Crc32(token, 4),
  },
  {
    id: "pypi-upload-token",
    title: "PyPI upload token",
    keyword: "pypi-AgEIcHlwaS5vcmc",
    pattern: re(`${BD}pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}${ED}`),
    minEntropy: 3,
  },
  {
    id: "rubygems-api-token",
    title: "RubyGems API key",
    keyword: "rubygems_",
    pattern: re(`${B}rubygems_[a-f0-9]{48}${E}`),
    minEntropy: 3,
  },
  {
    id: "shopify-access-token",
    title: "Shopify access token",
    keyword: "shp",
    pattern: re(`${B}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}${E}`),
    minEntropy: 3,
  },
  {
    id: "digitalocean-pat",
    title: "DigitalOcean token",
    keyword: "_v1_",
    pattern: re(`${B}do[opr]_v1_[a-f0-9]{64}${E}`),
    minEntropy: 3,
  },
  {
    id: "databricks-api-token",
    title: "Databricks token",
    keyword: "dapi",
    pattern: re(`${B}dapi[a-f0-9]{32}(?:-\\d)?${E}`),
    minEntropy: 3,
  },
  {
    id: "linear-api-key",
    title: "Linear API key",
    keyword: "lin_api_",
    pattern: re(`${B}lin_api_[A-Za-z0-9]{40}${E}`),
    minEntropy: 3.5,
  },
  {
    id: "notion-api-token",
    title: "Notion integration token",
    keyword: "ntn_",
    pattern: re(`${B}ntn_\\d{11}[A-Za-z0-9]{35}${E}`),
    minEntropy: 3.5,
  },
  {
    id: "postman-api-token",
    title: "Postman API key",
    keyword: "PMAK-",
    pattern: re(`${BD}PMAK-[a-f0-9]{24}-[a-f0-9]{34}${ED}`),
    minEntropy: 3,
  },
  {
    id: "sentry-user-token",
    title: "Sentry user token",
    keyword: "sntryu_",
    pattern: re(`${B}sntryu_[a-f0-9]{64}${E}`),
    minEntropy: 3.5,
  },
  {
    id: "grafana-service-account-token",
    title: "Grafana service-account token",
    keyword: "glsa_",
    pattern: re(`${B}glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}${E}`),
    minEntropy: 3,
  },
  {
    id: "grafana-cloud-api-token",
    title: "Grafana Cloud token",
    keyword: "glc_",
    pattern: re(`${B}glc_[A-Za-z0-9+/]{32,400}={0,3}`),
    minEntropy: 3,
  },
  {
    id: "vault-service-token",
    title: "HashiCorp Vault token",
    keyword: ["hvs.", "hvb."],
    pattern: re(`${B}(?:hvs\\.[A-Za-z0-9_-]{90,120}|hvb\\.[A-Za-z0-9_-]{138,300})${ED}`),
    minEntropy: 3.5,
  },
  {
    id: "hashicorp-tf-api-token",
    title: "Terraform Cloud token",
    keyword: ".atlasv1.",
    pattern: re(`${B}[a-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}${ED}`),
    minEntropy: 3.5,
  },
  {
    id: "doppler-api-token",
    title: "Doppler token",
    keyword: "dp.pt.",
    pattern: re(`${B}dp\\.pt\\.[A-Za-z0-9]{43}${E}`),
    minEntropy: 3.5,
  },
  {
    id: "pulumi-api-token",
    title: "Pulumi access token",
    keyword: "pul-",
    pattern: re(`${BD}pul-[a-f0-9]{40}${ED}`),
    minEntropy: 3,
  },
  {
    id: "planetscale-api-token",
    title: "PlanetScale credential",
    keyword: "pscale_",
    pattern: re(`${B}pscale_(?:tkn|oauth|pw)_[A-Za-z0-9_=.-]{32,64}${ED}`),
    minEntropy: 3,
  },
  {
    id: "dynatrace-api-token",
    title: "Dynatrace token",
    keyword: "dt0c01.",
    pattern: re(`${B}dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}${E}`),
    minEntropy: 4,
  },
  {
    id: "heroku-api-key-v2",
    title: "Heroku API key",
    keyword: "HRKU-AA",
    pattern: re(`${BD}HRKU-AA[A-Za-z0-9_-]{58}${ED}`),
    minEntropy: 4,
  },
  {
    id: "new-relic-user-api-key",
    title: "New Relic user API key",
    keyword: "NRAK-",
    pattern: re(`${BD}NRAK-[A-Z0-9]{27}${ED}`),
    minEntropy: 3,
  },
  {
    id: "square-access-token",
    title: "Square credential",
    keyword: "sq0",
    pattern: re(`${BD}sq0(?:atp-[A-Za-z0-9_-]{22}|csp-[A-Za-z0-9_-]{43})${ED}`),
    minEntropy: 3,
  },
  {
    id: "shippo-api-token",
    title: "Shippo API token",
    keyword: "shippo_",
    pattern: re(`${B}shippo_(?:live|test)_[a-fA-F0-9]{40}${E}`),
    minEntropy: 3,
  },
  {
    id: "alibaba-access-key-id",
    title: "Alibaba Cloud access key id",
    keyword: "LTAI",
    pattern: re(`${B}LTAI[A-Za-z0-9]{20}${E}`),
    minEntropy: 3,
  },
  {
    id: "artifactory-api-key",
    title: "JFrog Artifactory API key",
    keyword: "AKCp",
    pattern: re(`${B}AKCp[A-Za-z0-9]{69}${E}`),
    minEntropy: 4.5,
  },
  {
    id: "age-secret-key",
    title: "age secret key",
    keyword: "AGE-SECRET-KEY-1",
    pattern: re(`AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`),
  },
  {
    id: "1password-secret-key",
    title: "1Password secret key",
    keyword: "A3-",
    pattern: re(
      `${BD}A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}${ED}`,
    ),
    minEntropy: 3.8,
  },
  // Key material and tokens of any issuer
  {
    id: "private-key",
    title: "private key",
    keyword: "-----BEGIN ",
    pattern: re(
      `-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|PGP|ENCRYPTED) )?PRIVATE KEY(?: BLOCK)?-----[\\s\\S]{0,20000}?-----END [A-Z ]{0,30}PRIVATE KEY(?: BLOCK)?-----`,
    ),
    valid: isPemKeyMaterial,
  },
  {
    id: "jwt",
    title: "JSON Web Token",
    keyword: "eyJ",
    pattern: re(`${BD}eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}${ED}`),
    valid: isSignedJwt,
    minEntropy: 3,
  },
];

const hasAll = (words: ReadonlySet<string>, ...required: string[]): boolean => required.every((w) => words.has(w));

export const CONTEXTUAL_FORMATS: readonly ContextualFormat[] = [
  {
    id: "aws-secret-access-key",
    title: "AWS secret access key",
    pattern: /^[A-Za-z0-9/+]{40}$/,
    names: (w) => (w.has("aws") && (w.has("secret") || w.has("secretkey"))) || hasAll(w, "secret", "access", "key"),
    minEntropy: 4,
  },
  {
    id: "twilio-auth-token",
    title: "Twilio auth token",
    pattern: /^[0-9a-f]{32}$/,
    names: (w) => w.has("twilio") && (w.has("token") || w.has("auth") || w.has("secret")),
    minEntropy: 3,
  },
  {
    id: "mailgun-api-key",
    title: "Mailgun API key",
    pattern: /^[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}$/,
    names: (w) => w.has("mailgun") || w.has("mg"),
    minEntropy: 3,
  },
  {
    id: "azure-storage-account-key",
    title: "Azure account key",
    pattern: /^[A-Za-z0-9+/]{86}==$/,
    names: (w) => w.has("key") && (w.has("account") || w.has("storage") || w.has("azure") || w.has("cosmos")),
    minEntropy: 4,
  },
];

/** Tokens that keep a format's shape but say they are not real. */
const FAKE_TOKEN =
  /example|sample|dummy|fake|placeholder|x{6,}|0{8,}|\*{3,}|([A-Za-z0-9])\1{7,}|1234567890|abcdefghij/i;

const byKeyword = new Map<string, ProviderFormat[]>();
for (const format of PROVIDER_FORMATS) {
  for (const keyword of typeof format.keyword === "string" ? [format.keyword] : format.keyword) {
    const list = byKeyword.get(keyword);
    if (list) list.push(format);
    else byKeyword.set(keyword, [format]);
  }
}
const KEYWORDS = re(
  [...byKeyword.keys()]
    .sort((a, b) => b.length - a.length)
    .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("|"),
  "g",
);

/** No format is shorter than this. */
const MIN_TOKEN_LENGTH = 20;

/** The first provider credential in `value`, if any. `names` are the words of the target and its owners. */
/** Whether a provider keyword appears in the value at all: a cheap first look before placing a literal. */
export function mentionsProviderKeyword(value: string): boolean {
  if (value.length < MIN_TOKEN_LENGTH) return false;
  KEYWORDS.lastIndex = 0;
  return KEYWORDS.test(value);
}

export function findProviderCredential(
  value: string,
  names: ReadonlySet<string> = new Set(),
): ProviderMatch | undefined {
  if (value.length < MIN_TOKEN_LENGTH) return undefined;
  const candidates = new Set<ProviderFormat>();
  KEYWORDS.lastIndex = 0;
  for (let m = KEYWORDS.exec(value); m; m = KEYWORDS.exec(value)) {
    for (const format of byKeyword.get(m[0])!) candidates.add(format);
    // A keyword may start inside another one (`_live_` in `shippo_live_`): step one character, not past the match.
    KEYWORDS.lastIndex = m.index + 1;
  }
  for (const format of candidates) {
    const found = firstValid(format, value);
    if (found) return found;
  }
  for (const format of CONTEXTUAL_FORMATS) {
    if (
      format.pattern.test(value) &&
      format.names(names) &&
      entropy(value) >= format.minEntropy &&
      !FAKE_TOKEN.test(value)
    ) {
      return { id: format.id, title: format.title, token: value, index: 0 };
    }
  }
  return undefined;
}

function firstValid(format: ProviderFormat, value: string): ProviderMatch | undefined {
  format.pattern.lastIndex = 0;
  for (let m = format.pattern.exec(value); m; m = format.pattern.exec(value)) {
    const token = m[1] ?? m[0];
    const index = m.index + m[0].indexOf(token);
    if (FAKE_TOKEN.test(token)) continue;
    if (format.minEntropy !== undefined && entropy(token) < format.minEntropy) continue;
    if (format.valid && !format.valid(token, value)) continue;
    return { id: format.id, title: format.title, token, index };
  }
  return undefined;
}
