/**
 * `--format sarif` (lib/cli/formats/sarif.ts) on scan reports built by hand: the log is
 * valid against the OASIS SARIF 2.1.0 schema (vendored in tests/fixtures/sarif/), carries
 * what GitHub code scanning reads (every rule with its tags and security-severity,
 * relative locations, fingerprints, suppressions, notifications, provenance), and the same
 * report always gives the same bytes.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type * as Sarif from "sarif";
import {
  FINGERPRINT_KEY,
  SARIF_SCHEMA_URI,
  SECURITY_SEVERITY,
  remoteUri,
  renderSarif,
} from "../lib/cli/formats/sarif.js";
import type { Finding, ScanReport } from "../lib/cli/report.js";
import { REPORT_SCHEMA_VERSION } from "../lib/cli/report.js";
import { PLUGIN_NAME, PLUGIN_VERSION, REPOSITORY_URL } from "../lib/core/descriptor.js";
import { allRules } from "../lib/rules/index.js";
import { schema, schemaErrors } from "./helpers/sarif-schema.js";

function descriptorOf(id: string) {
  const rule = allRules.find((candidate) => candidate.descriptor.id === id);
  assert.ok(rule, `rule ${id} exists`);
  return rule;
}

function fingerprint(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 32);
}

function finding(
  id: string,
  where: { file: string; line: number; column: number; endLine?: number; endColumn?: number },
  message: string,
  extra: Partial<Finding> = {},
): Finding {
  const rule = descriptorOf(id);
  const { descriptor } = rule;
  return {
    ruleId: `api-posture/${descriptor.name}`,
    id: descriptor.id,
    name: descriptor.name,
    title: descriptor.title,
    severity: descriptor.severity,
    level: descriptor.severity === "high" ? "error" : "warning",
    ...where,
    message,
    soc2: [...descriptor.soc2],
    owasp: [...descriptor.owasp],
    cwe: descriptor.cwe,
    helpUri: rule.meta.docs.url,
    fingerprint: fingerprint(descriptor.id, where.file, message),
    ...extra,
  };
}

const ROUTE_AUTH_TS = finding(
  "AP101",
  { file: "src/routes/orders.ts", line: 19, column: 8, endLine: 19, endColumn: 25 },
  "AP101 PUT /api/orders/:id changes state but nothing requires authorization: no auth middleware on the route, and none registered before it with app.use()/router.use(). SOC 2 CC6.1, CC6.3. Fix: pass an auth middleware before the handler (e.g. requireAuth) or call router.use(requireAuth) before the route.",
  { baselineState: "unchanged" },
);
const ROUTE_AUTH_CS = finding(
  "AP101",
  { file: "Orders.Api/Controllers/InvoicesController.cs", line: 22, column: 38, endLine: 22, endColumn: 44 },
  "AP101 PUT /api/invoices/{id:int} (InvoicesController.Update) changes state but nothing requires authorization: no [Authorize] on the action or controller. SOC 2 CC6.1, CC6.3. Fix: add [Authorize] (with a role or policy where it fits) to the action or its controller.",
  { baselineState: "new" },
);
const SECRET_CS = finding(
  "AP201",
  { file: "Orders.Api/Program.cs", line: 17, column: 76, endLine: 17, endColumn: 109 },
  'AP201 The key of new SymmetricSecurityKey() is a literal `orde…` written into the code. SOC 2 CC6.1, CC6.2. Fix: read it from configuration (builder.Configuration["Jwt:SigningKey"]) or a secret store, and rotate the value that was committed.',
  { baselineState: "new" },
);
const AUDIT_TS = finding(
  "AP107",
  { file: "src/routes/orders.ts", line: 25, column: 8, endLine: 25, endColumn: 28 },
  "AP107 DELETE /api/orders/:id deletes Order (Order.findByIdAndDelete(…)) and records no audit event with the caller's identity. SOC 2 CC7.2, CC7.3. Fix: record the change with the caller's identity: log it with the user's id, call your audit service, or audit the data layer with an interceptor (name your own audit helpers in settings auditLoggers).",
  { level: "error", baselineState: "new" },
);
/** Silenced by `// eslint-disable-next-line api-posture/no-anonymous-write -- …` on line 11. */
const ANONYMOUS_TS = finding(
  "AP102",
  { file: "src/routes/webhooks.ts", line: 12, column: 1, endLine: 12, endColumn: 48 },
  "AP102 POST /webhooks/stripe changes state, and skipAuth() opens it to anonymous callers: anyone on the network can call it, and nothing records who did. SOC 2 CC6.1. Fix: remove the anonymous marker, or narrow it to the public flow it serves.",
  {
    suppression: {
      kind: "eslint-disable",
      line: 11,
      justification: "Stripe signs every event; the handler checks the signature first",
    },
  },
);
/** Silenced by `#pragma warning disable AP203` on line 40, with no justification. */
const JWT_CS = finding(
  "AP203",
  { file: "Orders.Api/Program.cs", line: 41, column: 9, endLine: 41, endColumn: 33 },
  "AP203 `ValidateLifetime = false` in new TokenValidationParameters { … }: expired tokens are accepted, so a leaked or revoked token keeps working forever. SOC 2 CC6.1. Fix: keep `ValidateLifetime = true` (the default) and issue short-lived tokens with a refresh flow.",
  { suppression: { kind: "pragma", line: 40, justification: "" } },
);

function sampleReport(): ScanReport {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: PLUGIN_NAME, version: PLUGIN_VERSION, ruleSet: "strict-soc2", eslintVersion: "10.15.0" },
    scannedAt: "2026-03-02T09:14:07.512Z",
    git: {
      commit: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
      dirty: false,
      branch: "main",
      remote: "https://github.com/acme/orders.git",
    },
    paths: ["."],
    files: { typescript: 14, csharp: 9, total: 23 },
    findings: [
      ROUTE_AUTH_CS,
      SECRET_CS,
      ROUTE_AUTH_TS,
      AUDIT_TS,
      // A rule this version does not have (a report of a newer plugin, or a renamed rule).
      {
        ...finding(
          "AP104",
          { file: "src/app.ts", line: 13, column: 5 },
          "AP999 GET /internal/reindex is not in openapi.yaml. SOC 2 CC6.7. Fix: declare it.",
        ),
        ruleId: "api-posture/future-rule",
        id: "AP999",
        name: "future-rule",
        title: "A rule from a later version",
        severity: "low",
        level: "warning",
        cwe: "CWE-1059",
        owasp: ["API9:2023 Improper Inventory Management"],
        soc2: ["CC6.7"],
        helpUri: `${REPOSITORY_URL}/blob/v9.0.0/docs/rules/future-rule.md`,
      },
    ],
    suppressedFindings: [JWT_CS, ANONYMOUS_TS],
    errors: [{ file: "src/legacy/report builder.js", message: "Parsing error: Unexpected token )" }],
    suppressions: [
      {
        file: "Orders.Api/Program.cs",
        line: 40,
        kind: "pragma",
        rules: ["AP203"],
        justification: "",
        silenced: [{ id: "AP203", line: 41 }],
      },
      {
        file: "src/routes/webhooks.ts",
        line: 11,
        kind: "eslint-disable",
        rules: ["no-anonymous-write"],
        justification: "Stripe signs every event; the handler checks the signature first",
        silenced: [{ id: "AP102", line: 12 }],
      },
    ],
    endpoints: [],
    baseline: { file: ".api-posture-baseline.json", new: 3, unchanged: 1, fixed: 2 },
  };
}

function render(report: ScanReport): Sarif.Log {
  return JSON.parse(renderSarif(report)) as Sarif.Log;
}

function onlyRun(log: Sarif.Log): Sarif.Run {
  assert.equal(log.runs.length, 1);
  return log.runs[0];
}

describe("SARIF schema validation", () => {
  it("uses the OASIS SARIF 2.1.0 schema (JSON Schema draft-04) that the log names", () => {
    assert.equal(schema.$schema, "http://json-schema.org/draft-04/schema#");
    assert.equal(schema.id, SARIF_SCHEMA_URI);
    assert.equal(render(sampleReport()).$schema, SARIF_SCHEMA_URI);
  });

  it("accepts the log of a realistic scan", () => {
    assert.deepEqual(schemaErrors(render(sampleReport())), []);
  });

  it("accepts the log of a scan with no findings, no timestamp and no git", () => {
    const report: ScanReport = {
      ...sampleReport(),
      scannedAt: undefined,
      git: undefined,
      findings: [],
      suppressedFindings: [],
      errors: [],
      suppressions: [],
      baseline: undefined,
    };
    const log = render(report);
    assert.deepEqual(schemaErrors(log), []);
    assert.deepEqual(onlyRun(log).results, []);
  });

  it("rejects logs that break the schema, so the checks above can fail", () => {
    const broken: Array<[string, (log: Sarif.Log) => void]> = [
      ["an unknown result level", (log) => Object.assign(onlyRun(log).results![0], { level: "fatal" })],
      ["a line 0", (log) => (onlyRun(log).results![0].locations![0].physicalLocation!.region!.startLine = 0)],
      [
        "a suppression kind SARIF does not know",
        (log) => Object.assign(onlyRun(log).results![5].suppressions![0], { kind: "comment" }),
      ],
      [
        "an invocation without executionSuccessful",
        (log) => delete (onlyRun(log).invocations![0] as Partial<Sarif.Invocation>).executionSuccessful,
      ],
      [
        "a repository URI that is not absolute",
        (log) => (onlyRun(log).versionControlProvenance![0].repositoryUri = "acme/orders"),
      ],
      [
        "a rule without an id",
        (log) => delete (onlyRun(log).tool.driver.rules![0] as Partial<Sarif.ReportingDescriptor>).id,
      ],
      ["another SARIF version", (log) => Object.assign(log, { version: "2.0.0" })],
    ];
    for (const [what, breakIt] of broken) {
      const log = render(sampleReport());
      assert.deepEqual(schemaErrors(log), [], `valid before breaking it with ${what}`);
      breakIt(log);
      assert.notDeepEqual(schemaErrors(log), [], `${what} is rejected`);
    }
  });
});

describe("tool.driver", () => {
  const run = onlyRun(render(sampleReport()));
  const { driver } = run.tool;
  const rulesById = new Map((driver.rules ?? []).map((rule) => [rule.id, rule]));

  it("names the plugin, its version and its repository", () => {
    assert.equal(driver.name, "eslint-plugin-api-posture");
    assert.equal(driver.version, PLUGIN_VERSION);
    assert.equal(driver.semanticVersion, PLUGIN_VERSION);
    assert.equal(driver.informationUri, REPOSITORY_URL);
    assert.deepEqual(run.tool.extensions, [
      { name: "ESLint", version: "10.15.0", informationUri: "https://eslint.org" },
    ]);
  });

  it("lists every rule of this version, with or without results, in catalogue order, then unknown ones", () => {
    assert.deepEqual(
      driver.rules?.map((rule) => rule.id),
      [...allRules.map((rule) => rule.descriptor.id), "AP999"],
    );
    // Rules with no result in the sample are listed all the same.
    for (const id of ["AP103", "AP104", "AP202", "AP301"]) assert.ok(rulesById.has(id), id);
  });

  for (const rule of allRules) {
    const { descriptor } = rule;
    it(`describes ${descriptor.id} ${descriptor.name} from its descriptor`, () => {
      const entry = rulesById.get(descriptor.id);
      assert.ok(entry);
      assert.equal(entry.name, descriptor.name);
      assert.equal(entry.shortDescription?.text, descriptor.title);
      assert.equal(entry.fullDescription?.text, descriptor.description);
      // Code scanning's limits: a name of 255 characters, descriptions of 1,024.
      assert.ok(
        descriptor.name.length <= 255 && descriptor.title.length <= 1024 && descriptor.description.length <= 1024,
      );
      assert.equal(entry.helpUri, rule.meta.docs.url);
      assert.ok(entry.help?.text.startsWith(descriptor.remediation), "help text starts with the remediation");
      assert.ok(entry.help?.text.includes(rule.meta.docs.url), "help text links the rule page");
      assert.ok(entry.help?.markdown?.includes(descriptor.remediation), "help markdown has the remediation");
      assert.ok(entry.help?.markdown?.includes(`](${rule.meta.docs.url})`), "help markdown links the rule page");
      assert.ok(
        entry.help?.markdown?.includes(
          `[${descriptor.cwe}](https://cwe.mitre.org/data/definitions/${descriptor.cwe.slice(4)}.html)`,
        ),
        "help markdown links the CWE",
      );
      // strict-soc2 turns every rule on as an error.
      assert.deepEqual(entry.defaultConfiguration, { level: "error" });
      const properties = entry.properties ?? {};
      assert.deepEqual(properties.tags, [
        "security",
        `external/cwe/${descriptor.cwe.toLowerCase()}`,
        ...descriptor.soc2.map((criterion) => `SOC2/${criterion}`),
        ...descriptor.owasp.map((category) => `OWASP-API/${category.slice(0, category.indexOf(" "))}`),
      ]);
      assert.equal(properties["security-severity"], SECURITY_SEVERITY[descriptor.severity]);
      assert.equal(properties.precision, rule.meta.docs.recommended ? "high" : "medium");
      assert.equal(
        properties["problem.severity"],
        { high: "error", medium: "warning", low: "recommendation" }[descriptor.severity],
      );
    });
  }

  it("gives tags in the forms code scanning reads, e.g. AP101's", () => {
    assert.deepEqual(rulesById.get("AP101")?.properties?.tags, [
      "security",
      "external/cwe/cwe-862",
      "SOC2/CC6.1",
      "SOC2/CC6.3",
      "OWASP-API/API5:2023",
      "OWASP-API/API2:2023",
    ]);
    assert.deepEqual(rulesById.get("AP107")?.properties?.tags, [
      "security",
      "external/cwe/cwe-778",
      "SOC2/CC7.2",
      "SOC2/CC7.3",
    ]);
  });

  it("puts security-severity in code scanning's band for the rule's severity", () => {
    // Code scanning: 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
    const bands = { high: [7.0, 8.9], medium: [4.0, 6.9], low: [0.1, 3.9] } as const;
    for (const [severity, [low, high]] of Object.entries(bands)) {
      const score = Number(SECURITY_SEVERITY[severity as keyof typeof bands]);
      assert.ok(score >= low && score <= high, `${severity}: ${score}`);
    }
  });

  it("describes a rule it only knows from a finding with what the finding carries", () => {
    const entry = rulesById.get("AP999");
    assert.ok(entry);
    assert.equal(entry.name, "future-rule");
    assert.equal(entry.shortDescription?.text, "A rule from a later version");
    assert.equal(entry.helpUri, `${REPOSITORY_URL}/blob/v9.0.0/docs/rules/future-rule.md`);
    assert.equal(entry.properties?.["security-severity"], "3.0");
    assert.deepEqual(entry.defaultConfiguration, { level: "warning" });
  });

  it("gives recommended-soc2's levels, and marks the rules it leaves out as disabled", () => {
    const report = { ...sampleReport(), tool: { ...sampleReport().tool, ruleSet: "recommended-soc2" } };
    const rules = new Map((onlyRun(render(report)).tool.driver.rules ?? []).map((rule) => [rule.id, rule]));
    for (const rule of allRules) {
      const expected = rule.descriptor.severity === "high" ? "error" : "warning";
      const entry = rules.get(rule.descriptor.id);
      assert.equal(entry?.defaultConfiguration?.level, expected, rule.descriptor.id);
      assert.equal(entry?.defaultConfiguration?.enabled, rule.meta.docs.recommended ? undefined : false);
    }
    assert.ok(
      allRules.some((rule) => !rule.meta.docs.recommended),
      "a rule that only strict-soc2 turns on",
    );
  });

  it("leaves every rule enabled with a project config, which may turn any on", () => {
    const report = { ...sampleReport(), tool: { ...sampleReport().tool, ruleSet: "project config" } };
    for (const rule of onlyRun(render(report)).tool.driver.rules ?? [])
      assert.equal(rule.defaultConfiguration?.enabled, undefined, rule.id);
  });
});

describe("results", () => {
  const report = sampleReport();
  const run = onlyRun(render(report));
  const results = run.results ?? [];
  const rules = run.tool.driver.rules ?? [];

  it("has one result per finding, then one per suppressed finding, in the report's order", () => {
    assert.deepEqual(
      results.map((result) => `${result.ruleId} ${result.locations?.[0].physicalLocation?.artifactLocation?.uri}`),
      [...report.findings, ...report.suppressedFindings].map((f) => `${f.id} ${f.file}`),
    );
  });

  it("refers to its rule by id and by index", () => {
    for (const result of results) {
      assert.equal(typeof result.ruleIndex, "number");
      assert.equal(rules[result.ruleIndex!].id, result.ruleId);
    }
  });

  it("carries the finding's level, message, location and fingerprint", () => {
    assert.deepEqual(results[0], {
      ruleId: "AP101",
      ruleIndex: 0,
      level: "error",
      message: { text: ROUTE_AUTH_CS.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "Orders.Api/Controllers/InvoicesController.cs", uriBaseId: "%SRCROOT%" },
            region: { startLine: 22, startColumn: 38, endLine: 22, endColumn: 44 },
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: ROUTE_AUTH_CS.fingerprint },
      baselineState: "new",
    });
    const audit = results[3];
    assert.equal(audit.ruleId, "AP107");
    assert.equal(audit.level, "error", "strict-soc2 made the medium rule an error: the result says so");
    assert.equal(results[2].baselineState, "unchanged");
  });

  it("gives a location without its end when the finding has none", () => {
    assert.deepEqual(results[4].locations?.[0].physicalLocation?.region, { startLine: 13, startColumn: 5 });
    assert.equal(results[4].baselineState, undefined);
  });

  it("keeps paths relative to the scan's directory under %SRCROOT%, which it does not pin to a machine", () => {
    assert.deepEqual(run.originalUriBaseIds, {
      "%SRCROOT%": { description: { text: "The directory api-posture scan ran in." } },
    });
    assert.equal(run.columnKind, "utf16CodeUnits");
    for (const result of results) {
      const location = result.locations?.[0].physicalLocation?.artifactLocation;
      assert.equal(location?.uriBaseId, "%SRCROOT%");
      assert.doesNotMatch(location?.uri ?? "", /^(\/|[a-z]+:)/i);
    }
  });

  it("lists a silenced finding with its suppression: where, which kind, and the justification when it has one", () => {
    const jwt = results[5];
    assert.equal(jwt.ruleId, "AP203");
    assert.deepEqual(jwt.suppressions, [
      {
        kind: "inSource",
        status: "accepted",
        location: {
          physicalLocation: {
            artifactLocation: { uri: "Orders.Api/Program.cs", uriBaseId: "%SRCROOT%" },
            region: { startLine: 40 },
          },
        },
        properties: { suppressionKind: "pragma" },
      },
    ]);
    const anonymous = results[6];
    assert.equal(anonymous.ruleId, "AP102");
    assert.deepEqual(anonymous.suppressions, [
      {
        kind: "inSource",
        status: "accepted",
        justification: "Stripe signs every event; the handler checks the signature first",
        location: {
          physicalLocation: {
            artifactLocation: { uri: "src/routes/webhooks.ts", uriBaseId: "%SRCROOT%" },
            region: { startLine: 11 },
          },
        },
        properties: { suppressionKind: "eslint-disable" },
      },
    ]);
    for (const result of results.slice(0, 5)) assert.equal(result.suppressions, undefined);
  });

  it("adds no source text: no snippet, no context, no embedded file", () => {
    const text = renderSarif(report);
    for (const key of ["snippet", "contextRegion", "contents", "artifacts"]) assert.ok(!text.includes(`"${key}"`), key);
    // The masked secret is the message's and nothing more.
    assert.deepEqual(text.match(/orde…/g), ["orde…"]);
  });

  it("percent-encodes what a URI reference cannot hold", () => {
    const notification = run.invocations?.[0].toolExecutionNotifications?.[0];
    assert.equal(
      notification?.locations?.[0].physicalLocation?.artifactLocation?.uri,
      "src/legacy/report%20builder.js",
    );
    const odd = finding("AP101", { file: "src/[id]/route#1.ts", line: 3, column: 1 }, "AP101 POST /x has no auth.");
    const log = render({ ...sampleReport(), findings: [odd] });
    assert.equal(
      onlyRun(log).results?.[0].locations?.[0].physicalLocation?.artifactLocation?.uri,
      "src/%5Bid%5D/route%231.ts",
    );
    assert.deepEqual(schemaErrors(log), []);
  });
});

describe("run", () => {
  it("reports the files that could not be linted as error notifications of a run that completed", () => {
    const run = onlyRun(render(sampleReport()));
    assert.deepEqual(run.invocations, [
      {
        executionSuccessful: true,
        startTimeUtc: "2026-03-02T09:14:07.512Z",
        toolExecutionNotifications: [
          {
            level: "error",
            message: { text: "Parsing error: Unexpected token )" },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: "src/legacy/report%20builder.js", uriBaseId: "%SRCROOT%" },
                },
              },
            ],
          },
        ],
      },
    ]);
  });

  it("names the commit and branch of the repository, without credentials in its URI", () => {
    const report = sampleReport();
    report.git = { ...report.git!, dirty: true, remote: "https://ci-bot:example-password@github.com/acme/orders.git" };
    const text = renderSarif(report);
    assert.ok(!text.includes("example-password") && !text.includes("ci-bot"), "no credentials in the log");
    assert.deepEqual(onlyRun(JSON.parse(text) as Sarif.Log).versionControlProvenance, [
      {
        repositoryUri: "https://github.com/acme/orders.git",
        revisionId: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        branch: "main",
        mappedTo: { uriBaseId: "%SRCROOT%" },
        properties: { dirty: true },
      },
    ]);
  });

  it("has no provenance without a git repository or without a remote to name it by", () => {
    assert.equal(onlyRun(render({ ...sampleReport(), git: undefined })).versionControlProvenance, undefined);
    const local = { ...sampleReport(), git: { commit: "4b825dc642cb6eb9a060e54bf8d69288fbee4904", dirty: false } };
    assert.equal(onlyRun(render(local)).versionControlProvenance, undefined);
  });

  it("carries the rule set, the file counts and the baseline comparison", () => {
    assert.deepEqual(onlyRun(render(sampleReport())).properties, {
      ruleSet: "strict-soc2",
      files: { typescript: 14, csharp: 9, total: 23 },
      baseline: { file: ".api-posture-baseline.json", new: 3, unchanged: 1, fixed: 2 },
    });
  });
});

describe("determinism", () => {
  /** The same data with every object's keys in reverse order. */
  function reversedKeys<T>(value: T): T {
    if (Array.isArray(value)) return value.map(reversedKeys) as T;
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, inner]) => [key, reversedKeys(inner)]),
    ) as T;
  }

  it("gives byte-identical output for the same report, however its objects were built", () => {
    const first = renderSarif(sampleReport());
    assert.equal(renderSarif(sampleReport()), first);
    assert.equal(renderSarif(JSON.parse(JSON.stringify(sampleReport())) as ScanReport), first);
    assert.equal(renderSarif(reversedKeys(sampleReport())), first);
    assert.ok(first.endsWith("}\n"));
  });

  it("has no timestamp but the report's, and none without it", () => {
    const isoTime = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/g;
    assert.deepEqual(renderSarif(sampleReport()).match(isoTime), ["2026-03-02T09:14"]);
    const text = renderSarif({ ...sampleReport(), scannedAt: undefined });
    assert.equal(text.match(isoTime), null);
    assert.ok(!text.includes("startTimeUtc"));
  });

  it("changes when the report does", () => {
    const moved = sampleReport();
    moved.findings[0] = { ...moved.findings[0], line: 23, endLine: 23 };
    assert.notEqual(renderSarif(moved), renderSarif(sampleReport()));
  });
});

describe("remoteUri", () => {
  const cases: Array<[string, string | undefined]> = [
    ["https://github.com/acme/orders.git", "https://github.com/acme/orders.git"],
    ["https://user:p4ss@gitlab.example.com/acme/orders.git", "https://gitlab.example.com/acme/orders.git"],
    ["git@github.com:acme/orders.git", "ssh://github.com/acme/orders.git"],
    ["ssh://git@github.com/acme/orders.git", "ssh://github.com/acme/orders.git"],
    ["/srv/git/orders.git", undefined],
    ["C:/src/orders", undefined],
    ["file:///srv/git/orders.git", undefined],
    ["../orders", undefined],
  ];
  for (const [remote, expected] of cases) {
    it(`${remote} → ${String(expected)}`, () => {
      assert.equal(remoteUri(remote), expected);
    });
  }
});
