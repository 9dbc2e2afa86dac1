/**
 * ScanReports that look like the scan of a real code base, for the evidence report's
 * renderers: a billing platform with an Express API, a NestJS admin service, a Next.js
 * front end and an ASP.NET Core ledger service. Findings are written the way the rules
 * word them (secrets masked to their first four characters), across every rule of the
 * catalogue; the inventory has every classification; suppressions come with and without
 * justifications. The same options always give the same report.
 */
import { createHash } from "node:crypto";
import { allRules } from "../../lib/rules/index.js";
import { REPORT_SCHEMA_VERSION } from "../../lib/cli/report.js";
import type { Finding, InventoryEndpoint, ScanReport, Suppression } from "../../lib/cli/report.js";

export interface RealisticOptions {
  /** How many times the base set of findings repeats across more files (1: 44 findings). */
  scale?: number;
  baseline?: boolean;
  timestamp?: boolean;
  git?: boolean;
  ruleSet?: string;
  /** Leave out the findings of these rule ids (a rule set without them); their suppressions silence nothing. */
  without?: string[];
}

interface Template {
  id: string;
  file: string;
  line: number;
  message: string;
}

const BASE: Template[] = [
  {
    id: "AP101",
    file: "services/billing-api/src/routes/invoices.ts",
    line: 41,
    message:
      "AP101 POST /api/v2/invoices/:id/refund changes state but nothing requires authorization: no auth middleware on the route, and none registered before it with app.use()/router.use(); its router is mounted in services/billing-api/src/app.ts:58 without any.",
  },
  {
    id: "AP101",
    file: "services/billing-api/src/routes/invoices.ts",
    line: 77,
    message:
      "AP101 DELETE /api/v2/invoices/:id/lines/:lineId changes state but nothing requires authorization: no auth middleware on the route, and none registered before it with app.use()/router.use().",
  },
  {
    id: "AP101",
    file: "services/billing-api/src/routes/coupons.ts",
    line: 19,
    message:
      "AP101 GET /api/v2/coupons/:code/redeem writes through the data layer (prisma.coupon.update(…)) but nothing requires authorization: no auth middleware on the route.",
  },
  {
    id: "AP101",
    file: "services/ledger/Controllers/JournalController.cs",
    line: 52,
    message:
      "AP101 PUT /api/journal/{id:guid} (JournalController.Amend) changes state but nothing requires authorization: no [Authorize] on the action or controller.",
  },
  {
    id: "AP101",
    file: "services/ledger/Endpoints/PayoutEndpoints.cs",
    line: 23,
    message:
      "AP101 POST /payouts/{id}/approve (MapPost lambda) changes state but nothing requires authorization: no RequireAuthorization() on the endpoint or its group, and no FallbackPolicy.",
  },
  {
    id: "AP102",
    file: "services/ledger/Controllers/WebhooksController.cs",
    line: 18,
    message:
      "AP102 POST /api/webhooks/bank-feed (WebhooksController.Receive) is opened to anonymous callers by [AllowAnonymous] and changes state, and no signature check is made before the write.",
  },
  {
    id: "AP102",
    file: "services/admin/src/tenants/tenants.controller.ts",
    line: 64,
    message:
      "AP102 PATCH /admin/tenants/:id/plan (TenantsController.changePlan) is opened to anonymous callers by @Public() and changes state.",
  },
  {
    id: "AP103",
    file: "services/billing-api/src/routes/invoices.ts",
    line: 29,
    message:
      "AP103 Invoice is read by id from req.params.id with no owner or tenant condition and no ownership check (prisma.invoice.findUnique(…)).",
  },
  {
    id: "AP103",
    file: "services/billing-api/src/services/payment-methods.ts",
    line: 88,
    message:
      "AP103 PaymentMethod is deleted by id from req.body.paymentMethodId with no owner or tenant condition and no ownership check; called from DELETE /api/v2/payment-methods in services/billing-api/src/routes/payment-methods.ts:31.",
  },
  {
    id: "AP103",
    file: "services/ledger/Services/StatementService.cs",
    line: 47,
    message:
      "AP103 Statements is read by id from statementId with no owner or tenant condition and no ownership check; called from GET /api/statements/{statementId} (StatementsController.Get).",
  },
  {
    id: "AP103",
    file: "apps/portal/app/api/receipts/[id]/route.ts",
    line: 14,
    message:
      "AP103 receipt is read by id from params.id with no owner or tenant condition and no ownership check (db.receipt.findFirst(…)).",
  },
  {
    id: "AP104",
    file: "services/billing-api/src/app.ts",
    line: 71,
    message:
      "AP104 GET /internal/metrics is a sensitive route (`internal` in its path) but nothing requires authorization: no auth middleware on the route.",
  },
  {
    id: "AP104",
    file: "services/admin/src/debug/debug.controller.ts",
    line: 12,
    message:
      "AP104 POST /admin/debug/replay-events (DebugController.replay) is a sensitive route (`debug` in its path) but nothing requires authorization: no guard on the handler or controller, and no APP_GUARD.",
  },
  {
    id: "AP104",
    file: "services/ledger/Program.cs",
    line: 96,
    message:
      "AP104 GET /hangfire is a sensitive route (`hangfire` dashboard) reachable without authorization: no authorization filter in DashboardOptions.",
  },
  {
    id: "AP107",
    file: "services/billing-api/src/routes/subscriptions.ts",
    line: 55,
    message:
      "AP107 POST /api/v2/subscriptions/:id/cancel writes Subscription (prisma.subscription.update(…)) and records no audit event with the caller's identity.",
  },
  {
    id: "AP107",
    file: "services/ledger/Controllers/JournalController.cs",
    line: 52,
    message:
      "AP107 PUT /api/journal/{id:guid} (JournalController.Amend) writes JournalEntries (_db.JournalEntries.Update(…)) and records no audit event with the caller's identity.",
  },
  {
    id: "AP107",
    file: "services/admin/src/tenants/tenants.controller.ts",
    line: 88,
    message:
      "AP107 DELETE /admin/tenants/:id (TenantsController.remove) deletes Tenant (this.tenants.delete(…)) and records no audit event with the caller's identity.",
  },
  {
    id: "AP201",
    file: "services/billing-api/src/config/stripe.ts",
    line: 6,
    message: "AP201 Stripe secret key `sk_l…` is written into the code (in `STRIPE_SECRET_KEY`).",
  },
  {
    id: "AP201",
    file: "services/ledger/appsettings.Development.cs",
    line: 11,
    message:
      "AP201 A SQL Server connection string with its password `Ledg…` is written into the code (in `ConnectionString`).",
  },
  {
    id: "AP201",
    file: "services/admin/src/auth/jwt.module.ts",
    line: 9,
    message: "AP201 The JWT signing key of JwtModule.register() is a literal `adm1…` written into the code.",
  },
  {
    id: "AP201",
    file: "scripts/seed/aws.ts",
    line: 3,
    message: "AP201 AWS access key id `AKIA…` is written into the code (in `accessKeyId`).",
  },
  {
    id: "AP202",
    file: "services/admin/src/auth/local.strategy.ts",
    line: 27,
    message:
      "AP202 user.password === password compares a password as plain text: a password that can be compared directly can be read by anyone with access to the database, a backup or the configuration.",
  },
  {
    id: "AP202",
    file: "services/ledger/Services/OperatorLogin.cs",
    line: 34,
    message:
      "AP202 string.Equals(op.Pin, request.Pin) compares a password as plain text: a password that can be compared directly can be read by anyone with access to the database, a backup or the configuration.",
  },
  {
    id: "AP203",
    file: "apps/portal/middleware.ts",
    line: 18,
    message:
      "AP203 jwt.decode(…) reads the token without checking its signature, and the result is used as the caller's identity (claims.sub is read): anyone can write a token with any user id or role and it is believed.",
  },
  {
    id: "AP203",
    file: "services/ledger/Program.cs",
    line: 41,
    message:
      "AP203 `ValidateIssuerSigningKey = false` in new TokenValidationParameters { … }: tokens signed with any key are accepted.",
  },
  {
    id: "AP301",
    file: "services/billing-api/src/app.ts",
    line: 33,
    message:
      "AP301 origin: true in cors(…) lets every origin in, and credentials: true allows credentials: any web site the user visits can send authenticated requests with the user's cookies and read the responses.",
  },
  {
    id: "AP301",
    file: "services/ledger/Program.cs",
    line: 62,
    message:
      'AP301 SetIsOriginAllowed(_ => true) in AddPolicy("portal") lets every origin in, and AllowCredentials() allows credentials.',
  },
];

/** The further files a larger scale spreads findings over. */
const MORE_FILES = [
  "services/billing-api/src/routes/credit-notes.ts",
  "services/billing-api/src/routes/usage.ts",
  "services/ledger/Controllers/AccountsController.cs",
  "services/ledger/Controllers/ReconciliationController.cs",
  "services/admin/src/users/users.controller.ts",
  "apps/portal/app/api/team/[memberId]/route.ts",
  "services/notifications/src/handlers/email.ts",
];

interface RuleFacts {
  id: string;
  name: string;
  title: string;
  severity: Finding["severity"];
  soc2: readonly string[];
  owasp: readonly string[];
  cwe: string;
  helpUri: string;
}

const RULES = new Map<string, RuleFacts>(
  allRules.map((rule) => [rule.descriptor.id, { ...rule.descriptor, helpUri: rule.meta.docs.url }]),
);
// AP105 (routes the OpenAPI document does not declare) reports only with a document configured;
// its facts as the catalogue describes them, for as long as this version's rules lack it.
if (!RULES.has("AP105"))
  RULES.set("AP105", {
    id: "AP105",
    name: "no-shadow-route",
    title: "Routes are declared in the API description",
    severity: "low",
    soc2: ["CC6.7"],
    owasp: ["API9:2023 Improper Inventory Management"],
    cwe: "CWE-1059",
    helpUri: "https://github.com/api-posture/eslint-plugin-api-posture/blob/v0.1.0/docs/rules/no-shadow-route.md",
  });

function fingerprint(...parts: Array<string | number>): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 32);
}

function findingOf(template: Template, baseline: boolean, index: number): Finding {
  const d = RULES.get(template.id);
  if (!d) throw new Error(`no rule ${template.id}`);
  return {
    ruleId: `api-posture/${d.name}`,
    id: d.id,
    name: d.name,
    title: d.title,
    severity: d.severity,
    level: d.severity === "high" ? "error" : "warning",
    file: template.file,
    line: template.line,
    column: 3,
    endLine: template.line,
    endColumn: 40,
    message: `${template.message} SOC 2 ${d.soc2.join(", ")}. Fix: see the rule page.`,
    soc2: [...d.soc2],
    owasp: [...d.owasp],
    cwe: d.cwe,
    helpUri: d.helpUri,
    fingerprint: fingerprint(d.id, template.file, template.line, template.message),
    ...(baseline ? { baselineState: index % 5 === 0 ? ("new" as const) : ("unchanged" as const) } : {}),
  };
}

function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function endpoint(
  method: string,
  route: string,
  handler: string,
  file: string,
  line: number,
  framework: string,
  classification: InventoryEndpoint["classification"],
  protections: string[] = [],
  anonymous: string[] = [],
): InventoryEndpoint {
  return { method, route, handler, file, line, framework, classification, protections, anonymous };
}

/** 32 endpoints across five frameworks and every classification. */
function inventory(documented: boolean): InventoryEndpoint[] {
  const api = "services/billing-api/src/routes";
  const jwt = "requireJwt (router.use) in services/billing-api/src/app.ts:52";
  const list: InventoryEndpoint[] = [
    endpoint("GET", "/api/v2/invoices", "router.get handler", `${api}/invoices.ts`, 12, "express", "authenticated", [
      jwt,
    ]),
    endpoint(
      "GET",
      "/api/v2/invoices/:id",
      "router.get handler",
      `${api}/invoices.ts`,
      27,
      "express",
      "authenticated",
      [jwt],
    ),
    endpoint("POST", "/api/v2/invoices/:id/refund", "refundInvoice", `${api}/invoices.ts`, 41, "express", "public"),
    endpoint(
      "POST",
      "/api/v2/invoices/:id/send",
      "sendInvoice",
      `${api}/invoices.ts`,
      60,
      "express",
      "role-restricted",
      [jwt, 'requireRole("billing-admin") on the route'],
    ),
    endpoint(
      "DELETE",
      "/api/v2/invoices/:id/lines/:lineId",
      "router.delete handler",
      `${api}/invoices.ts`,
      77,
      "express",
      "public",
    ),
    endpoint("GET", "/api/v2/coupons/:code", "router.get handler", `${api}/coupons.ts`, 9, "express", "public"),
    endpoint("GET", "/api/v2/coupons/:code/redeem", "redeemCoupon", `${api}/coupons.ts`, 19, "express", "public"),
    endpoint(
      "GET",
      "/api/v2/payment-methods",
      "listPaymentMethods",
      `${api}/payment-methods.ts`,
      14,
      "express",
      "authenticated",
      [jwt],
    ),
    endpoint(
      "DELETE",
      "/api/v2/payment-methods",
      "removePaymentMethod",
      `${api}/payment-methods.ts`,
      31,
      "express",
      "authenticated",
      [jwt],
    ),
    endpoint(
      "POST",
      "/api/v2/subscriptions/:id/cancel",
      "router.post handler",
      `${api}/subscriptions.ts`,
      55,
      "express",
      "authenticated",
      [jwt],
    ),
    endpoint("GET", "/internal/metrics", "metricsHandler", "services/billing-api/src/app.ts", 71, "express", "public"),
    endpoint("GET", "/healthz", "app.get handler", "services/billing-api/src/app.ts", 75, "express", "public"),
    endpoint(
      "GET",
      "/admin/tenants",
      "TenantsController.findAll",
      "services/admin/src/tenants/tenants.controller.ts",
      30,
      "nestjs",
      "role-restricted",
      ["JwtAuthGuard (APP_GUARD) in services/admin/src/app.module.ts:22", "@Roles('support') on TenantsController"],
    ),
    endpoint(
      "PATCH",
      "/admin/tenants/:id/plan",
      "TenantsController.changePlan",
      "services/admin/src/tenants/tenants.controller.ts",
      64,
      "nestjs",
      "public",
      [],
      ["@Public() on the handler"],
    ),
    endpoint(
      "DELETE",
      "/admin/tenants/:id",
      "TenantsController.remove",
      "services/admin/src/tenants/tenants.controller.ts",
      88,
      "nestjs",
      "role-restricted",
      ["JwtAuthGuard (APP_GUARD) in services/admin/src/app.module.ts:22", "@Roles('owner') on the handler"],
    ),
    endpoint(
      "POST",
      "/admin/debug/replay-events",
      "DebugController.replay",
      "services/admin/src/debug/debug.controller.ts",
      12,
      "nestjs",
      "public",
      [],
      ["@Public() on DebugController"],
    ),
    endpoint(
      "POST",
      "/admin/auth/login",
      "AuthController.login",
      "services/admin/src/auth/auth.controller.ts",
      19,
      "nestjs",
      "public",
      [],
      ["@Public() on the handler"],
    ),
    endpoint(
      "GET",
      "/api/receipts/[id]",
      "GET",
      "apps/portal/app/api/receipts/[id]/route.ts",
      14,
      "nextjs",
      "authenticated",
      ["middleware.ts matcher /api/:path* in apps/portal/middleware.ts:31"],
    ),
    endpoint(
      "POST",
      "/api/team/[memberId]",
      "POST",
      "apps/portal/app/api/team/[memberId]/route.ts",
      9,
      "nextjs",
      "authenticated",
      ["auth() check in the handler"],
    ),
    endpoint(
      "POST",
      "(server action) updateBillingEmail",
      "updateBillingEmail",
      "apps/portal/app/settings/actions.ts",
      7,
      "nextjs",
      "authenticated",
      ["getServerSession() in the action"],
    ),
    endpoint(
      "GET",
      "/api/journal",
      "JournalController.List",
      "services/ledger/Controllers/JournalController.cs",
      30,
      "aspnetcore-mvc",
      "policy-restricted",
      ['[Authorize(Policy = "LedgerRead")] on JournalController'],
    ),
    endpoint(
      "PUT",
      "/api/journal/{id:guid}",
      "JournalController.Amend",
      "services/ledger/Controllers/JournalController.cs",
      52,
      "aspnetcore-mvc",
      "public",
    ),
    endpoint(
      "GET",
      "/api/statements/{statementId}",
      "StatementsController.Get",
      "services/ledger/Controllers/StatementsController.cs",
      21,
      "aspnetcore-mvc",
      "authenticated",
      ["[Authorize] on ApiControllerBase (base class)"],
    ),
    endpoint(
      "POST",
      "/api/accounts",
      "AccountsController.Open",
      "services/ledger/Controllers/AccountsController.cs",
      40,
      "aspnetcore-mvc",
      "role-restricted",
      ['[Authorize(Roles = "Treasury")] on the action'],
    ),
    endpoint(
      "DELETE",
      "/api/accounts/{id}",
      "AccountsController.Close",
      "services/ledger/Controllers/AccountsController.cs",
      66,
      "aspnetcore-mvc",
      "role-restricted",
      ['[Authorize(Roles = "Treasury")] on the action'],
    ),
    endpoint(
      "POST",
      "/api/webhooks/bank-feed",
      "WebhooksController.Receive",
      "services/ledger/Controllers/WebhooksController.cs",
      18,
      "aspnetcore-mvc",
      "public",
      [],
      ["[AllowAnonymous] on the action"],
    ),
    endpoint(
      "POST",
      "/payouts/{id}/approve",
      "MapPost lambda",
      "services/ledger/Endpoints/PayoutEndpoints.cs",
      23,
      "minimal-apis",
      "public",
    ),
    endpoint(
      "GET",
      "/payouts",
      "MapGet lambda",
      "services/ledger/Endpoints/PayoutEndpoints.cs",
      15,
      "minimal-apis",
      "policy-restricted",
      ['MapGroup("/payouts").RequireAuthorization("Payouts") in services/ledger/Program.cs:88'],
    ),
    endpoint("GET", "/hangfire", "UseHangfireDashboard", "services/ledger/Program.cs", 96, "minimal-apis", "public"),
    endpoint("GET", "/health", "MapHealthChecks", "services/ledger/Program.cs", 99, "minimal-apis", "public"),
    endpoint(
      "POST",
      "/Reconciliation/Run",
      "ReconciliationModel.OnPostAsync",
      "services/ledger/Pages/Reconciliation.cshtml.cs",
      25,
      "razor-pages",
      "authenticated",
      ['AuthorizeFolder("/") in services/ledger/Program.cs:71'],
    ),
    endpoint("PUT", "/api/v2/usage/:meter", "recordUsage", `${api}/usage.ts`, 22, "express", "authenticated", [
      "verifyUsageSignature (signature check) in the handler",
    ]),
  ];
  list.sort((a, b) => (a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.line - b.line));
  if (documented) for (const [i, e] of list.entries()) e.documented = i % 7 !== 3;
  return list;
}

function suppressions(): { suppressions: Suppression[]; silenced: Array<{ template: Template; index: number }> } {
  const list: Suppression[] = [
    {
      file: "services/billing-api/src/app.ts",
      line: 74,
      kind: "eslint-disable",
      rules: ["api-posture/require-route-auth"],
      justification: "health check for the load balancer; answers 200 with no data",
      silenced: [{ id: "AP101", line: 75 }],
    },
    {
      file: "services/billing-api/src/routes/usage.ts",
      line: 21,
      kind: "eslint-disable",
      rules: ["api-posture/require-ownership-check"],
      justification: "",
      silenced: [{ id: "AP103", line: 22 }],
    },
    {
      file: "services/ledger/Controllers/AccountsController.cs",
      line: 12,
      kind: "suppress-message",
      rules: ["AP107"],
      justification: "Audited by the EF Core SaveChanges interceptor (AuditInterceptor.cs)",
      silenced: [{ id: "AP107", line: 40 }],
    },
    {
      file: "services/ledger/Program.cs",
      line: 40,
      kind: "pragma",
      rules: ["AP203"],
      justification: "",
      silenced: [{ id: "AP203", line: 42 }],
    },
    {
      file: "services/notifications/src/handlers/email.ts",
      line: 3,
      kind: "eslint-disable",
      rules: [],
      justification: "  ",
      silenced: [],
      unused: true,
    },
    {
      file: "tests/e2e/fixtures/keys.ts",
      line: 1,
      kind: "eslint-disable",
      rules: ["api-posture/no-hardcoded-secrets"],
      justification: "test-only keys generated for the e2e stack, never deployed",
      silenced: [{ id: "AP201", line: 4 }],
    },
    {
      file: "services/admin/src/legacy/import.controller.ts",
      line: 15,
      kind: "eslint-disable",
      rules: ["api-posture/no-anonymous-write"],
      justification: "kept until the v1 importer is retired",
      silenced: [],
      unused: true,
    },
  ];
  const silenced: Array<{ template: Template; index: number }> = [];
  const messages: Record<string, string> = {
    AP101: "AP101 GET /healthz writes through the data layer (redis.set(…)) but nothing requires authorization.",
    AP103:
      "AP103 UsageRecord is updated by id from req.params.meter with no owner or tenant condition and no ownership check.",
    AP107:
      "AP107 POST /api/accounts (AccountsController.Open) writes Accounts (_db.Accounts.Add(…)) and records no audit event with the caller's identity.",
    AP203:
      "AP203 `ValidateAudience = false` in new TokenValidationParameters { … }: tokens issued for other services are accepted.",
    AP201: "AP201 RSA private key `----…` is written into the code (in `E2E_SIGNING_KEY`).",
  };
  for (const [index, s] of list.entries())
    for (const entry of s.silenced)
      silenced.push({
        template: { id: entry.id, file: s.file, line: entry.line, message: messages[entry.id] ?? "" },
        index,
      });
  return { suppressions: list, silenced };
}

export function realisticReport(options: RealisticOptions = {}): ScanReport {
  const scale = options.scale ?? 1;
  const baseline = options.baseline ?? true;
  const without = new Set(options.without ?? []);
  const templates: Template[] = [];
  for (let round = 0; round < scale; round++)
    for (const [i, t] of BASE.entries()) {
      if (round === 0) templates.push(t);
      else templates.push({ ...t, file: MORE_FILES[(i + round) % MORE_FILES.length], line: t.line + 100 * round + i });
    }
  // A few rules report several times in one file, as they do in a real controller.
  for (let extra = 0; extra < 17 * scale; extra++) {
    const t = BASE[(extra * 5) % BASE.length];
    templates.push({ ...t, line: t.line + 3 + extra });
  }
  const endpoints = inventory(true);
  for (const ep of endpoints)
    if (ep.documented === false)
      templates.push({
        id: "AP105",
        file: ep.file,
        line: ep.line,
        message: `AP105 ${ep.method} ${ep.route} is served by the code but services/billing-api/openapi.yaml does not declare it.`,
      });
  const findings = templates
    .filter((t) => !without.has(t.id))
    .map((t, i) => findingOf(t, baseline, i))
    .sort(compareFindings);
  const { suppressions: all, silenced } = suppressions();
  // A suppression of a rule the scan leaves out silences nothing: ESLint reports it unused.
  const sups = all.map((s) => {
    const kept = s.silenced.filter((x) => !without.has(x.id));
    return kept.length === s.silenced.length ? s : { ...s, silenced: kept, unused: true };
  });
  const suppressedFindings = silenced
    .filter(({ template }) => !without.has(template.id))
    .map(({ template, index }) => {
      const s = sups[index];
      return {
        ...findingOf(template, false, 0),
        suppression: { kind: s.kind, line: s.line, justification: s.justification },
      };
    })
    .sort(compareFindings);
  const report: ScanReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: {
      name: "eslint-plugin-api-posture",
      version: "0.1.0",
      ruleSet: options.ruleSet ?? "strict-soc2",
      eslintVersion: "10.15.0",
    },
    ...(options.timestamp === false ? {} : { scannedAt: "2026-11-30T14:05:09.000Z" }),
    ...(options.git === false
      ? {}
      : { git: { commit: "8f3c2a91d7e4b6c05a1f9e2d3c4b5a6978e1f0d2", dirty: false, branch: "release/2026.11" } }),
    paths: ["services", "apps/portal", "scripts"],
    files: { typescript: 412, csharp: 187, total: 599 },
    findings,
    suppressedFindings,
    errors: [
      {
        file: "services/ledger/Migrations/20240117093012_Initial.Designer.cs",
        message: "File too large to analyse (12.4 MB); api-posture skips files over 10 MB.",
      },
      { file: "apps/portal/app/legacy/editor.jsx", message: "Parsing error: Unexpected token (88:14)" },
    ],
    suppressions: sups,
    endpoints,
    undocumented: {
      documentFile: "services/billing-api/openapi.yaml",
      operations: [
        { method: "GET", path: "/api/v2/invoices/{id}/pdf", operationId: "getInvoicePdf" },
        { method: "POST", path: "/api/v2/disputes" },
      ],
    },
  };
  if (baseline) {
    const fresh = findings.filter((f) => f.baselineState === "new").length;
    report.baseline = { file: ".api-posture/baseline.json", new: fresh, unchanged: findings.length - fresh, fixed: 6 };
  }
  return report;
}
