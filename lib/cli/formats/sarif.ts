/**
 * `--format sarif`: a ScanReport as one SARIF 2.1.0 run, for GitHub code scanning and any
 * other SARIF viewer.
 *
 * Built here from the report, not through `@microsoft/eslint-formatter-sarif`: that formatter
 * takes ESLint's results, not a ScanReport, and cannot express what code scanning needs from
 * this tool. It names the driver `ESLint`, lists only the rules that have results, with no
 * tags, security-severity or precision, writes absolute `file://` URIs (a path of the machine
 * that ran the scan, so different on every CI runner), has no partialFingerprints, no
 * suppression status or baseline state, and can embed whole source files (and so a secret in
 * full). It also depends on ESLint 8 and on `jschardet@latest`. The object model follows the
 * SARIF 2.1.0 types of `@types/sarif`; tests/sarif.test.ts validates the output against the
 * OASIS schema.
 *
 * What a consumer gets:
 * - `tool.driver`: the plugin, with one `reportingDescriptor` per rule of this version, with
 *   or without results. Its `properties` follow GitHub code scanning's conventions: `tags`
 *   with `security` (results then count as security alerts) and `external/cwe/cwe-NNN` (the
 *   form code scanning shows as the alert's CWE), plus `SOC2/CC6.1` and `OWASP-API/API5:2023`
 *   to filter by (`tag:SOC2/CC6.1`); `security-severity`, which code scanning maps 7.0-8.9 to
 *   high, 4.0-6.9 to medium and 0.1-3.9 to low; `precision` (`high`, or `medium` for a rule
 *   that only `strict-soc2` turns on); `problem.severity`. `defaultConfiguration` is the
 *   rule's level in the scan's rule set. ESLint itself is `tool.extensions[0]`.
 * - `results`: the findings, then the findings a suppression silenced, each with
 *   `suppressions: [{ kind: "inSource", status: "accepted", justification, location }]`.
 *   Code scanning does not read `suppressions` and would open an alert for those:
 *   docs/ci/github-actions.md uploads a copy without them.
 *   Paths are relative to the directory the scan ran in, under `uriBaseId` `%SRCROOT%`, whose
 *   absolute location `originalUriBaseIds` leaves out (SARIF §3.14.14 allows that for
 *   deterministic output): run the scan from the repository root for code scanning. Lines and
 *   columns are ESLint's (1-based, columns in UTF-16 code units: `columnKind`).
 *   `partialFingerprints["apiPosture/v1"]` is the report's fingerprint, which survives line
 *   shifts; code scanning adds its own `primaryLocationLineHash` on upload.
 * - `invocations[0]`: the files that could not be linted as `toolExecutionNotifications` of
 *   level `error`; `executionSuccessful` is true, as the scan itself ran to its end (results
 *   cover every other file). `startTimeUtc` is `report.scannedAt`, the only timestamp, and
 *   only when the report has one.
 * - `versionControlProvenance`: the commit and branch, when the report names the repository's
 *   remote (SARIF requires its URI); the URI never carries credentials.
 *
 * Messages are the report's, where a secret is already masked; no source text is added.
 * The same report gives the same bytes.
 */
import type * as Sarif from "sarif";
import type { ApiPostureRule } from "../../core/create-rule.js";
import { PLUGIN_NAME, REPOSITORY_URL, type Severity } from "../../core/descriptor.js";
import { recommendedLevel } from "../../configs/index.js";
import { allRules } from "../../rules/index.js";
import type { Finding, ScanReport } from "../report.js";

/** The published OASIS SARIF 2.1.0 schema (errata 01). */
export const SARIF_SCHEMA_URI =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** The uriBaseId of every path: the directory the scan ran in. */
const SRCROOT = "%SRCROOT%";

/** The partialFingerprints key of the report's fingerprint; a new meaning gets a new version. */
export const FINGERPRINT_KEY = "apiPosture/v1";

/** Code scanning's scale: 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. */
export const SECURITY_SEVERITY: Record<Severity, string> = { high: "8.0", medium: "5.5", low: "3.0" };

/** `problem.severity`, which code scanning reads beside `precision` to order and show results. */
const PROBLEM_SEVERITY: Record<Severity, string> = { high: "error", medium: "warning", low: "recommendation" };

/** What a rule entry is built from: a rule of this version, or a finding of a rule this version does not have. */
interface RuleFacts {
  id: string;
  name: string;
  title: string;
  description: string;
  remediation?: string;
  severity: Severity;
  soc2: readonly string[];
  owasp: readonly string[];
  cwe: string;
  helpUri: string;
  recommended: boolean;
  /** The rule's level in the scan's rule set, and whether that set turns it on. */
  level: "error" | "warning";
  enabled: boolean;
}

export function renderSarif(report: ScanReport): string {
  const rules = ruleFacts(report);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const results = [
    ...report.findings.map((finding) => result(finding, ruleIndex)),
    ...report.suppressedFindings.map((finding) => result(finding, ruleIndex)),
  ];
  const invocation: Sarif.Invocation = {
    executionSuccessful: true,
    ...(report.scannedAt ? { startTimeUtc: report.scannedAt } : {}),
    toolExecutionNotifications: report.errors.map((error): Sarif.Notification => ({
      level: "error",
      message: { text: error.message },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(error.file) } }],
    })),
  };
  const provenance = versionControl(report.git);
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: PLUGIN_NAME,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        informationUri: REPOSITORY_URL,
        rules: rules.map(reportingDescriptor),
      },
      extensions: [{ name: "ESLint", version: report.tool.eslintVersion, informationUri: "https://eslint.org" }],
    },
    invocations: [invocation],
    originalUriBaseIds: {
      [SRCROOT]: { description: { text: "The directory api-posture scan ran in." } },
    },
    ...(provenance ? { versionControlProvenance: [provenance] } : {}),
    columnKind: "utf16CodeUnits",
    results,
    properties: {
      ruleSet: report.tool.ruleSet,
      // Built key by key: the output's order must not follow the order the report's objects were built in.
      files: { typescript: report.files.typescript, csharp: report.files.csharp, total: report.files.total },
      ...(report.baseline
        ? {
            baseline: {
              file: report.baseline.file,
              new: report.baseline.new,
              unchanged: report.baseline.unchanged,
              fixed: report.baseline.fixed,
            },
          }
        : {}),
    },
  };
  const log: Sarif.Log = { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** Every rule of this version in catalogue order, then any rule only a finding names, by id. */
function ruleFacts(report: ScanReport): RuleFacts[] {
  const strict = report.tool.ruleSet === "strict-soc2";
  const known: RuleFacts[] = allRules.map((rule: ApiPostureRule) => ({
    ...rule.descriptor,
    helpUri: rule.meta.docs.url,
    recommended: rule.meta.docs.recommended,
    level: strict || recommendedLevel(rule) === "error" ? "error" : "warning",
    // `project config` may turn any rule on: only the built-in set is known to leave one out.
    enabled: !(report.tool.ruleSet === "recommended-soc2" && !rule.meta.docs.recommended),
  }));
  const ids = new Set(known.map((rule) => rule.id));
  const unknown = new Map<string, RuleFacts>();
  for (const finding of [...report.findings, ...report.suppressedFindings]) {
    if (ids.has(finding.id) || unknown.has(finding.id)) continue;
    unknown.set(finding.id, {
      id: finding.id,
      name: finding.name,
      title: finding.title,
      description: finding.title,
      severity: finding.severity,
      soc2: finding.soc2,
      owasp: finding.owasp,
      cwe: finding.cwe,
      helpUri: finding.helpUri,
      recommended: false,
      level: finding.level,
      enabled: true,
    });
  }
  return [...known, ...[...unknown.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))];
}

function reportingDescriptor(rule: RuleFacts): Sarif.ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    helpUri: rule.helpUri,
    defaultConfiguration: { level: rule.level, ...(rule.enabled ? {} : { enabled: false }) },
    properties: {
      tags: tags(rule),
      "security-severity": SECURITY_SEVERITY[rule.severity],
      precision: rule.recommended ? "high" : "medium",
      "problem.severity": PROBLEM_SEVERITY[rule.severity],
    },
  };
}

/** `security`, the CWE as code scanning shows it, then the SOC 2 criteria and OWASP API categories. */
export function tags(rule: Pick<RuleFacts, "cwe" | "soc2" | "owasp">): string[] {
  const cwe = /^CWE-(\d+)$/i.exec(rule.cwe)?.[1];
  const all = [
    "security",
    ...(cwe ? [`external/cwe/cwe-${cwe}`] : []),
    ...rule.soc2.map((criterion) => `SOC2/${criterion}`),
    // `API5:2023 Broken Function Level Authorization` → `OWASP-API/API5:2023`: a tag has no spaces.
    ...rule.owasp.map((category) => `OWASP-API/${category.split(" ")[0]}`),
  ];
  // SARIF's tags are distinct.
  return [...new Set(all)];
}

function mappings(rule: RuleFacts): string[] {
  return [
    `SOC 2 ${rule.soc2.join(", ")}`,
    ...(rule.owasp.length ? [`OWASP API Security Top 10: ${rule.owasp.join("; ")}`] : []),
    ...(rule.cwe ? [rule.cwe] : []),
  ];
}

function helpText(rule: RuleFacts): string {
  const fix = rule.remediation ?? rule.description;
  return `${fix}\n\n${mappings(rule).join(". ")}.\n\n${rule.id} ${rule.name}: ${rule.helpUri}`;
}

function helpMarkdown(rule: RuleFacts): string {
  const fix = rule.remediation ?? rule.description;
  const cwe = /^CWE-(\d+)$/i.exec(rule.cwe)?.[1];
  const lines = [
    `**${rule.title}**`,
    "",
    rule.description,
    "",
    `**How to fix:** ${fix}`,
    "",
    `- SOC 2: ${rule.soc2.join(", ")}`,
    ...(rule.owasp.length ? [`- OWASP API Security Top 10: ${rule.owasp.join("; ")}`] : []),
    ...(cwe ? [`- [${rule.cwe}](https://cwe.mitre.org/data/definitions/${cwe}.html)`] : []),
    "",
    `[${rule.id} ${rule.name}](${rule.helpUri})`,
  ];
  return lines.join("\n");
}

function result(finding: Finding, ruleIndex: ReadonlyMap<string, number>): Sarif.Result {
  const index = ruleIndex.get(finding.id);
  const out: Sarif.Result = {
    ruleId: finding.id,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: finding.level,
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(finding.file),
          region: region(finding.line, finding.column, finding.endLine, finding.endColumn),
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
  };
  if (finding.baselineState) out.baselineState = finding.baselineState;
  if (finding.suppression) {
    const { kind, line, justification, file } = finding.suppression;
    out.suppressions = [
      {
        // `.editorconfig` and project files are outside the source; `[assembly: SuppressMessage]` is in it.
        kind: kind === "editorconfig" || kind === "msbuild" ? "external" : "inSource",
        status: "accepted",
        ...(justification ? { justification } : {}),
        location: {
          physicalLocation: { artifactLocation: artifactLocation(file ?? finding.file), region: region(line) },
        },
        properties: { suppressionKind: kind },
      },
    ];
  }
  return out;
}

/** A path relative to the scan's directory with `/` separators, as a URI reference: each segment percent-encoded. */
function artifactLocation(file: string): Sarif.ArtifactLocation {
  return { uri: file.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

function region(line: number, column?: number, endLine?: number, endColumn?: number): Sarif.Region {
  const startLine = Math.max(1, line);
  const out: Sarif.Region = { startLine };
  if (column !== undefined && column >= 1) out.startColumn = column;
  if (endLine !== undefined && endLine >= startLine) {
    out.endLine = endLine;
    if (endColumn !== undefined && endColumn >= 1) out.endColumn = endColumn;
  }
  return out;
}

function versionControl(git: ScanReport["git"]): Sarif.VersionControlDetails | undefined {
  const repositoryUri = git?.remote === undefined ? undefined : remoteUri(git.remote);
  if (!git || !repositoryUri) return undefined;
  return {
    repositoryUri,
    revisionId: git.commit,
    ...(git.branch ? { branch: git.branch } : {}),
    mappedTo: { uriBaseId: SRCROOT },
    properties: { dirty: git.dirty },
  };
}

/**
 * A git remote as an absolute URI without user name or password: `https://…`, `ssh://…`, or
 * scp-like `git@host:owner/repo.git` → `ssh://host/owner/repo.git`. Anything else (a local
 * path) has no URI to give.
 */
export function remoteUri(remote: string): string | undefined {
  const scp = /^(?:[^@/:\s]+@)?([^@/:\s]{2,}):(?!\/\/)([^\s]+)$/.exec(remote);
  if (scp) return `ssh://${scp[1]}/${scp[2].replace(/^\/+/, "")}`;
  let url: URL;
  try {
    url = new URL(remote);
  } catch {
    return undefined;
  }
  if (!/^(https?|ssh|git):$/.test(url.protocol)) return undefined;
  url.username = "";
  url.password = "";
  return url.href;
}
