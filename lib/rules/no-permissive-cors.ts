/**
 * AP301 no-permissive-cors: CORS that lets any origin in together with credentials.
 */
import { createRule, type NoOptions } from "../core/create-rule.js";
import type { RuleDescriptor } from "../core/descriptor.js";
import type { CorsOrigin, CorsOriginPattern, CorsPolicy } from "../core/facts/cors.js";
import type { Language } from "../core/model.js";

export const descriptor: RuleDescriptor = {
  id: "AP301",
  name: "no-permissive-cors",
  title: "CORS must not let any origin in with credentials",
  description:
    "A CORS configuration that allows credentials for any origin: '*', a reflected or always-allowed origin, the 'null' origin or an origin pattern that also matches other people's sites.",
  severity: "high",
  soc2: ["CC6.6", "CC6.7"],
  owasp: ["API8:2023 Security Misconfiguration"],
  cwe: "CWE-942",
  remediation:
    "List the trusted origins explicitly when credentials are allowed (an allow-list checked against the Origin header), or drop credentials for a public API that any origin may call.",
};

/** No options of its own: `includeTestFiles` comes with `skipsTestFiles`. */
export type Options = NoOptions;

export type MessageIds = "reflectedOrigin" | "wildcardOrigin" | "nullOrigin" | "broadOrigin";

const CONSEQUENCE =
  "any web site the user visits can send authenticated requests with the user's cookies and read the responses";

/**
 * Suffixes under which anyone can get a name: shared hosting and tunnelling services, and
 * the second-level registries of common country codes. A pattern that accepts every name
 * under one of them accepts sites run by strangers.
 */
const OPEN_SUFFIXES = [
  "azurewebsites.net",
  "azurestaticapps.net",
  "cloudapp.net",
  "cloudfront.net",
  "herokuapp.com",
  "vercel.app",
  "now.sh",
  "netlify.app",
  "netlify.com",
  "github.io",
  "gitlab.io",
  "pages.dev",
  "workers.dev",
  "web.app",
  "firebaseapp.com",
  "appspot.com",
  "onrender.com",
  "fly.dev",
  "railway.app",
  "glitch.me",
  "repl.co",
  "replit.dev",
  "surge.sh",
  "amplifyapp.com",
  "ngrok.io",
  "ngrok-free.app",
  "ngrok.app",
  "loca.lt",
  "trycloudflare.com",
  "s3.amazonaws.com",
  "blob.core.windows.net",
  "co.uk",
  "org.uk",
  "com.au",
  "net.au",
  "co.nz",
  "co.jp",
  "co.in",
  "com.br",
  "com.cn",
  "co.za",
];

type Finding = {
  messageId: MessageIds;
  origin: CorsOrigin;
  example?: string;
};

/** The worst origin of a policy that allows credentials, or undefined when none is open to strangers. */
function findingOf(policy: CorsPolicy): Finding | undefined {
  let best: (Finding & { rank: number }) | undefined;
  for (const origin of policy.origins) {
    const finding = judge(origin, policy);
    if (finding && (!best || finding.rank > best.rank)) best = finding;
  }
  return best;
}

function judge(origin: CorsOrigin, policy: CorsPolicy): (Finding & { rank: number }) | undefined {
  switch (origin.kind) {
    case "reflect":
      return { messageId: "reflectedOrigin", origin, rank: 4 };
    case "any":
      // @koa/cors and ASP.NET Web API answer `*` with credentials by echoing the origin.
      return policy.wildcardWithCredentials === "reflected"
        ? { messageId: "reflectedOrigin", origin, rank: 4 }
        : { messageId: "wildcardOrigin", origin, rank: 1 };
    case "null":
      return { messageId: "nullOrigin", origin, rank: 3 };
    case "pattern": {
      for (const pattern of origin.patterns ?? []) {
        const example = strangerOrigin(pattern);
        if (example) return { messageId: "broadOrigin", origin, example, rank: 2 };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** An origin someone else can own that the pattern accepts, or undefined when none is found. */
export function strangerOrigin(pattern: CorsOriginPattern): string | undefined {
  return pattern.syntax === "regexp"
    ? strangerForRegExp(pattern.source, pattern.flags)
    : strangerForWildcard(pattern.source);
}

/** `https://*.com`, `https://*.vercel.app`: a wildcard over a suffix where anyone can register a name. */
function strangerForWildcard(source: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)?\*\.([^/:]+)(:\d+)?\/?$/i.exec(source.trim());
  if (!match) return undefined;
  const domain = match[2].toLowerCase();
  if (!domain.includes(".") || OPEN_SUFFIXES.includes(domain))
    return `${match[1] ?? "https://"}evil.${domain}${match[3] ?? ""}`;
  return undefined;
}

/** A group repeated around something repeated (`(a+)+`): testing it could take exponential time. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{]/;

/**
 * Tests the pattern against origins a stranger could own, built from the host names it
 * mentions: `https://example.com.evil.test` (not anchored at the end), `https://evilexample.com`
 * (no boundary before the domain), `https://evil.vercel.app` (any name under an open suffix),
 * `https://evil.test` (matches anything). Only short strings are tested, and patterns that
 * could backtrack exponentially are not tested at all.
 */
function strangerForRegExp(source: string, flags: string): string | undefined {
  if (source.length > 500 || NESTED_QUANTIFIER.test(source)) return undefined;
  let regexp: RegExp;
  try {
    regexp = new RegExp(source, flags.replace(/[gy]/g, ""));
  } catch {
    return undefined;
  }
  for (const probe of probesFor(source)) if (regexp.test(probe)) return probe;
  return undefined;
}

function probesFor(source: string): string[] {
  const hosts = new Set(
    (source.replace(/\\\./g, ".").match(/[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|localhost/gi) ?? []).map((h) =>
      h.toLowerCase().replace(/^[.-]+|[.-]+$/g, ""),
    ),
  );
  const probes: string[] = [];
  for (const scheme of ["https://", "http://"]) {
    probes.push(`${scheme}evil.test`);
    for (const host of hosts) {
      if (!host) continue;
      probes.push(`${scheme}${host}.evil.test`);
      const labels = host.split(".");
      if (labels.length >= 2) {
        const registrable = labels.slice(OPEN_SUFFIXES.includes(labels.slice(-2).join(".")) ? -3 : -2).join(".");
        probes.push(`${scheme}evil${registrable}`, `${scheme}evil-${registrable}`);
      }
      for (const suffix of OPEN_SUFFIXES)
        if (host === suffix || host.endsWith(`.${suffix}`)) probes.push(`${scheme}evil.${suffix}`);
    }
  }
  return probes;
}

function wildcardNote(policy: CorsPolicy): string {
  return policy.wildcardWithCredentials === "rejected"
    ? "; ASP.NET Core rejects this pair when it builds the policy, and the usual way round it, SetIsOriginAllowed(_ => true), lets every site in"
    : "; browsers refuse '*' with credentials, and the usual way round it, echoing the request's origin, lets every site in";
}

function remedyFor(language: Language, policy: CorsPolicy, finding: Finding): string {
  if (policy.mechanism === "headers") {
    return "echo the Origin header only after checking it against an explicit allow-list of trusted origins, or do not send Access-Control-Allow-Credentials.";
  }
  if (finding.messageId === "broadOrigin") {
    return language === "csharp"
      ? 'list the trusted origins with WithOrigins("https://app.example.com"), or a wildcard under a domain you own (https://*.example.com).'
      : "anchor the pattern to a domain you own (/^https:\\/\\/([a-z0-9-]+\\.)*example\\.com$/) or list the trusted origins explicitly.";
  }
  if (finding.messageId === "nullOrigin") return "remove 'null' from the allowed origins.";
  if (language === "csharp" && policy.credentials.setting.startsWith("SupportsCredentials")) {
    return "list the trusted origins (\"https://app.example.com\") instead of '*' or an always-true IsOriginAllowed, or set SupportsCredentials = false.";
  }
  return language === "csharp"
    ? 'name the trusted origins with WithOrigins("https://app.example.com") (or check the origin against that list in SetIsOriginAllowed), or drop AllowCredentials().'
    : "allow an explicit list of trusted origins (origin: ['https://app.example.com']) or turn credentials off.";
}

export default createRule<Options, MessageIds>({
  descriptor,
  meta: {
    type: "problem",
    messages: {
      reflectedOrigin: `{{origin}} in {{via}} lets every origin in, and {{credentials}} allows credentials: ${CONSEQUENCE}.`,
      wildcardOrigin: `{{origin}} in {{via}} allows any origin ('*'), and {{credentials}} allows credentials: the configuration asks that ${CONSEQUENCE}{{note}}.`,
      nullOrigin: `{{origin}} in {{via}} allows the origin 'null', and {{credentials}} allows credentials: any web site can send that origin from a sandboxed iframe, so ${CONSEQUENCE}.`,
      broadOrigin: `{{origin}} in {{via}} also accepts origins nobody here controls (e.g. {{example}}), and {{credentials}} allows credentials: such a site can send authenticated requests with the user's cookies and read the responses.`,
    },
    schema: [{ type: "object", properties: {}, additionalProperties: false }],
    defaultOptions: [{}],
  },
  skipsTestFiles: true,
  create(context) {
    const { model } = context;
    // One options object can be applied twice (`app.use(cors(options))`, `app.options("*", cors(options))`): one report per place.
    const reported = new Set<string>();
    for (const policy of model.cors) {
      // A configuration chosen per request after a check, or one that only runs in development, is not judged.
      if (policy.credentials.allowed !== true || policy.guarded || policy.developmentOnly) continue;
      const finding = findingOf(policy);
      if (!finding) continue;
      const place = `${finding.origin.loc.start.line}:${finding.origin.loc.start.column}`;
      if (reported.has(place)) continue;
      reported.add(place);
      context.report({
        loc: finding.origin.loc,
        messageId: finding.messageId,
        data: {
          origin: finding.origin.setting,
          via: policy.via,
          credentials: policy.credentials.setting,
          example: finding.example ?? "",
          note: finding.messageId === "wildcardOrigin" ? wildcardNote(policy) : "",
        },
        remedy: remedyFor(model.language, policy, finding),
      });
    }
  },
});
