/**
 * What the SOC 2 evidence report says, decided once for both of its formats (markdown.ts,
 * html.ts): the Trust Services criteria it reports on, which rules of the rule set test
 * each, the findings under each criterion grouped by rule, and the status an auditor reads.
 * Everything here is a pure function of the ScanReport and the rule catalogue, so the same
 * report always renders to the same bytes.
 */
import type { Severity } from "../../core/descriptor.js";
import { allRules } from "../../rules/index.js";
import type { Finding, ScanReport, Suppression } from "../report.js";

export interface Criterion {
  id: string;
  /** The criterion's subject, as the 2017 Trust Services Criteria (revised 2022) put it, shortened. */
  name: string;
}

/** The criteria the report speaks to, in the order of the Trust Services Criteria. */
export const CRITERIA: readonly Criterion[] = [
  { id: "CC6.1", name: "Logical access security over protected information assets" },
  { id: "CC6.2", name: "Registration, authorization and removal of users and their credentials" },
  { id: "CC6.3", name: "Access authorized, changed and removed by role, with least privilege" },
  { id: "CC6.6", name: "Protection against threats from sources outside the system boundaries" },
  { id: "CC6.7", name: "Transmission and movement of information restricted to authorized parties" },
  { id: "CC7.2", name: "Monitoring of system components for anomalies and security events" },
  { id: "CC8.1", name: "Change management: changes authorized, tested, approved and implemented" },
];

export const SEVERITIES: readonly Severity[] = ["high", "medium", "low"];

export type SeverityCounts = Record<Severity, number>;

/** A rule as the report presents it: from its descriptor, or from its findings when the catalogue lacks it. */
export interface RuleInfo {
  id: string;
  name: string;
  title: string;
  severity: Severity;
  soc2: readonly string[];
  owasp: readonly string[];
  cwe: string;
  /** Absent for a rule this version's catalogue does not know. */
  remediation?: string;
  helpUri: string;
}

export interface RuleFindings {
  rule: RuleInfo;
  findings: Finding[];
}

export type StatusKind = "exceptions" | "none-noted" | "not-run" | "not-mapped";

export interface CriterionSummary extends Criterion {
  /** The rules of the catalogue (and of the findings) that map to this criterion, in catalogue order. */
  rules: RuleInfo[];
  /** Of those, the ones the rule set runs; every one of them when the rule set is the project's own. */
  rulesRun: RuleInfo[];
  counts: SeverityCounts;
  total: number;
  /** Findings of this criterion that a suppression in the code silenced. */
  suppressed: number;
  /** Of those, the ones whose suppression gives no justification. */
  suppressedUnjustified: number;
  status: { kind: StatusKind; text: string };
  byRule: RuleFindings[];
}

export interface Evidence {
  /** The rule ids of the rule set, or undefined when it is the project's own configuration. */
  ruleSetRules: string[] | undefined;
  criteria: CriterionSummary[];
  /** Each finding once, whatever number of criteria it bears on. */
  totals: SeverityCounts & { total: number };
  unjustified: Suppression[];
  unused: Suppression[];
  /** Findings whose criteria include none of CRITERIA (none in this catalogue; kept so none is lost). */
  unmapped: RuleFindings[];
}

const CATALOGUE: ReadonlyMap<string, RuleInfo> = new Map(
  allRules.map((rule) => {
    const d = rule.descriptor;
    const info: RuleInfo = {
      id: d.id,
      name: d.name,
      title: d.title,
      severity: d.severity,
      soc2: d.soc2,
      owasp: d.owasp,
      cwe: d.cwe,
      remediation: d.remediation,
      helpUri: rule.meta.docs.url,
    };
    return [d.id, info];
  }),
);
const CATALOGUE_ORDER: ReadonlyMap<string, number> = new Map(allRules.map((rule, i) => [rule.descriptor.id, i]));

/** The rule ids a named rule set runs; undefined for a project's own configuration. */
export function rulesOfRuleSet(ruleSet: string): string[] | undefined {
  if (ruleSet === "strict-soc2") return allRules.map((rule) => rule.descriptor.id);
  if (ruleSet === "recommended-soc2")
    return allRules.filter((rule) => rule.meta.docs.recommended).map((rule) => rule.descriptor.id);
  return undefined;
}

/** Code-point order, the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRuleIds(a: string, b: string): number {
  const ia = CATALOGUE_ORDER.get(a) ?? Number.MAX_SAFE_INTEGER;
  const ib = CATALOGUE_ORDER.get(b) ?? Number.MAX_SAFE_INTEGER;
  return ia !== ib ? ia - ib : compareText(a, b);
}

function ruleOf(finding: Finding): RuleInfo {
  return (
    CATALOGUE.get(finding.id) ?? {
      id: finding.id,
      name: finding.name,
      title: finding.title,
      severity: finding.severity,
      soc2: finding.soc2,
      owasp: finding.owasp,
      cwe: finding.cwe,
      helpUri: finding.helpUri,
    }
  );
}

export function emptyCounts(): SeverityCounts {
  return { high: 0, medium: 0, low: 0 };
}

/** `3 high, 1 medium`: the severities that occur, most severe first. */
export function countsText(counts: SeverityCounts): string {
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(", ");
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function groupByRule(findings: readonly Finding[]): RuleFindings[] {
  const groups = new Map<string, RuleFindings>();
  for (const finding of findings) {
    let group = groups.get(finding.id);
    if (!group) groups.set(finding.id, (group = { rule: ruleOf(finding), findings: [] }));
    group.findings.push(finding);
  }
  return [...groups.values()].sort((a, b) => compareRuleIds(a.rule.id, b.rule.id));
}

/** A suppression without a justification: empty, or nothing but whitespace. */
/** Where the report's suppressions are written: in the code, or also in a C# project's configuration. */
export function suppressionPlace(report: Pick<ScanReport, "suppressions">): string {
  return report.suppressions.some((s) => s.kind === "editorconfig" || s.kind === "msbuild")
    ? "in the code or the project configuration"
    : "in the code";
}

export function isUnjustified(justification: string): boolean {
  return justification.trim() === "";
}

function statusOf(
  criterion: Criterion,
  summary: Pick<CriterionSummary, "rules" | "rulesRun" | "counts" | "total" | "suppressed" | "suppressedUnjustified">,
  report: ScanReport,
  ruleSetKnown: boolean,
): CriterionSummary["status"] {
  const suppressed =
    summary.suppressed === 0
      ? ""
      : `; ${plural(summary.suppressed, "finding", "findings")} suppressed ${suppressionPlace(report)}` +
        (summary.suppressedUnjustified > 0 ? `, ${summary.suppressedUnjustified} without a justification` : "");
  if (summary.total > 0)
    return { kind: "exceptions", text: `Exceptions noted: ${countsText(summary.counts)}${suppressed}` };
  if (summary.rulesRun.length > 0)
    return {
      kind: "none-noted",
      text: `No exceptions noted${ruleSetKnown ? "" : " by the rules the project configuration enables"}${suppressed}`,
    };
  if (summary.rules.length > 0) {
    const ids = summary.rules.map((rule) => rule.id).join(", ");
    const verb = summary.rules.length === 1 ? "is" : "are";
    return { kind: "not-run", text: `Not tested: ${ids} ${verb} not in ${report.tool.ruleSet}` };
  }
  if (criterion.id === "CC8.1" && report.baseline)
    return {
      kind: "not-mapped",
      text: `Not tested by the rules; the baseline comparison found ${plural(report.baseline.new, "new finding", "new findings")}`,
    };
  return { kind: "not-mapped", text: "Not tested by the rules" };
}

/** The report's content, decided once for markdown and HTML alike. */
export function evidenceOf(report: ScanReport): Evidence {
  const ruleSetRules = rulesOfRuleSet(report.tool.ruleSet);
  const unjustifiedAt = new Set(
    report.suppressions.filter((s) => isUnjustified(s.justification)).map((s) => `${s.file}\0${s.line}`),
  );
  const criteria = CRITERIA.map((criterion): CriterionSummary => {
    const findings = report.findings.filter((f) => f.soc2.includes(criterion.id));
    const suppressed = report.suppressedFindings.filter((f) => f.soc2.includes(criterion.id));
    const rules = new Map<string, RuleInfo>();
    for (const rule of CATALOGUE.values()) if (rule.soc2.includes(criterion.id)) rules.set(rule.id, rule);
    for (const finding of [...findings, ...suppressed])
      if (!rules.has(finding.id)) rules.set(finding.id, ruleOf(finding));
    const ruleList = [...rules.values()].sort((a, b) => compareRuleIds(a.id, b.id));
    // A rule that reported something ran, whatever the rule set is called.
    const reported = new Set([...findings, ...suppressed].map((f) => f.id));
    // With the project's own configuration, which rules ran is not recorded: take them as run,
    // and the status says the result holds for the rules that configuration enables.
    const rulesRun = ruleList.filter(
      (rule) => ruleSetRules === undefined || ruleSetRules.includes(rule.id) || reported.has(rule.id),
    );
    const counts = emptyCounts();
    for (const finding of findings) counts[finding.severity]++;
    const partial = {
      rules: ruleList,
      rulesRun,
      counts,
      total: findings.length,
      suppressed: suppressed.length,
      suppressedUnjustified: suppressed.filter((f) =>
        f.suppression ? isUnjustified(f.suppression.justification) : unjustifiedAt.has(`${f.file}\0${f.line}`),
      ).length,
    };
    return {
      ...criterion,
      ...partial,
      status: statusOf(criterion, partial, report, ruleSetRules !== undefined),
      byRule: groupByRule(findings),
    };
  });
  const totals = { ...emptyCounts(), total: report.findings.length };
  for (const finding of report.findings) totals[finding.severity]++;
  const known = new Set(CRITERIA.map((c) => c.id));
  return {
    ruleSetRules,
    criteria,
    totals,
    unjustified: report.suppressions.filter((s) => isUnjustified(s.justification)),
    unused: report.suppressions.filter((s) => s.unused === true),
    unmapped: groupByRule(report.findings.filter((f) => !f.soc2.some((c) => known.has(c)))),
  };
}

/**
 * Text from the scanned code made safe to show on one line: line breaks and other control
 * characters become spaces, and the characters that reorder text (the "Trojan Source"
 * bidirectional controls) are shown as their code points, so a path or message reads in
 * the report as it is stored.
 */
export function oneLine(text: string): string {
  return text
    .replace(/\r\n?|[\n\u2028\u2029\u0085]/gu, " ")
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/gu, " ")
    .replace(
      /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu,
      (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}]`,
    );
}

/** A silenced finding: `AP101 line 12`, or `AP101 src/Orders.cs:12` when in another file than the suppression. */
export function silencedAt(x: { id: string; line: number; file?: string }): string {
  return x.file ? `${x.id} ${location(x.file, x.line)}` : `${x.id} line ${x.line}`;
}

/** Where a finding's suppression is: `line 12`, or `src/GlobalSuppressions.cs:4` in another file. */
export function suppressedAt(s: { line: number; file?: string }): string {
  return s.file ? location(s.file, s.line) : `line ${s.line}`;
}

/** `src/orders.ts:42`. */
export function location(file: string, line: number): string {
  return `${file}:${line}`;
}

export const CLASSIFICATIONS = ["public", "authenticated", "role-restricted", "policy-restricted"] as const;

/** A suppression's kind as the code writes it. */
export const SUPPRESSION_KIND: Record<Suppression["kind"], string> = {
  "eslint-disable": "eslint-disable comment",
  pragma: "#pragma warning disable",
  "suppress-message": "[SuppressMessage]",
  "global-suppress-message": "[assembly: SuppressMessage]",
  editorconfig: "severity in .editorconfig / .globalconfig",
  msbuild: "<NoWarn> in a project file",
};

/** What a criterion's status means, for the notes under the summary. */
export function criterionNote(summary: CriterionSummary, report: ScanReport): string | undefined {
  if (summary.status.kind === "not-run") {
    const rules = summary.rules.map((r) => `${r.id} (${r.title})`).join(", ");
    const verbs = summary.rules.length === 1 ? "tests this criterion but is" : "test this criterion but are";
    return `${summary.id}: ${rules} ${verbs} not part of ${report.tool.ruleSet}; a scan with strict-soc2 gives evidence on it.`;
  }
  if (summary.status.kind !== "not-mapped") return undefined;
  if (summary.id !== "CC8.1")
    return `${summary.id}: no rule of this version tests this criterion; the scan gives no evidence on it.`;
  const commit = report.git
    ? `The scan is tied to commit ${report.git.commit}${report.git.dirty ? " with uncommitted changes" : ""}.`
    : "The scan is not tied to a commit (it did not run in a git work tree).";
  const gate = report.baseline
    ? `Compared with the baseline ${report.baseline.file}: ${report.baseline.new} new, ${report.baseline.unchanged} unchanged, ${report.baseline.fixed} fixed; run on every change in CI, with new findings failing the build, this comparison is a change gate for the security checks above.`
    : "The scan ran without a baseline comparison, so it does not show which findings a change introduced.";
  return `CC8.1: no rule tests change management. ${commit} ${gate} The scan does not evidence that changes were reviewed, tested, approved or deployed as authorized.`;
}

/** What a criterion's section says when no finding is listed under it. */
export function emptyCriterionText(summary: CriterionSummary, report: ScanReport): string | undefined {
  if (summary.byRule.length > 0) return undefined;
  return (
    criterionNote(summary, report) ??
    `${summary.rulesRun.map((r) => r.id).join(", ")} found nothing under this criterion in the files scanned.`
  );
}

/** A link target only when it is a plain http(s) URL with nothing that could end the link early. */
export function safeUrl(url: string): string | undefined {
  return /^https?:\/\/[^\s<>"'`()|\\]+$/u.test(url) ? url : undefined;
}

/** `599 files (412 TypeScript/JavaScript, 187 C#); 2 of them could not be scanned`. */
export function filesText(report: ScanReport): string {
  const { typescript, csharp, total } = report.files;
  const failed = report.errors.length;
  return (
    `${plural(total, "file", "files")} (${typescript} TypeScript/JavaScript, ${csharp} C#)` +
    (failed > 0 ? `; ${failed} of them could not be scanned` : "")
  );
}

/** `44: 30 high, 10 medium, 4 low`, and the suppressed ones. */
export function findingsText(evidence: Evidence, report: ScanReport): string {
  const { totals } = evidence;
  const suppressed = report.suppressedFindings.length;
  return (
    (totals.total === 0 ? "none" : `${totals.total}: ${countsText(totals)}`) +
    (suppressed > 0
      ? `; ${plural(suppressed, "more finding", "more findings")} suppressed ${suppressionPlace(report)}`
      : "")
  );
}

/** `8f3c2a91… (branch release/2026.11), working tree clean`: the full commit, for an auditor to check out. */
export function commitText(report: ScanReport): string {
  if (!report.git) return "not recorded: the scan did not run in a git work tree, so it is not tied to a commit";
  const { commit, dirty, branch } = report.git;
  return (
    commit +
    (branch ? ` (branch ${branch})` : "") +
    (dirty ? ", with uncommitted changes: the code scanned differs from this commit" : ", working tree clean")
  );
}

export function scannedAtText(report: ScanReport): string {
  return report.scannedAt ?? "not recorded (the scan ran with --no-timestamp)";
}

/** The rule set and, for a named one, its rules. */
export function ruleSetText(report: ScanReport, evidence: Evidence): string {
  return evidence.ruleSetRules
    ? `${report.tool.ruleSet}: ${evidence.ruleSetRules.join(", ")}`
    : `${report.tool.ruleSet}: the rules the project's ESLint configuration enables (not recorded in the report)`;
}

/** Where an endpoint's protection comes from, or what opens it. */
export function protectionText(endpoint: ScanReport["endpoints"][number]): string[] {
  if (endpoint.protections.length > 0) return endpoint.protections;
  if (endpoint.anonymous.length > 0) return endpoint.anonymous.map((marker) => `anonymous: ${marker}`);
  return ["none found"];
}

export const INTRO =
  "Results of a static analysis of the source code: the rules below read the code without running it. " +
  "The report is evidence of what those rules check in the files scanned. " +
  "It is not an opinion on the design or the operating effectiveness of any control.";

export const STATUS_NOTE =
  "“No exceptions noted” means the rules that test the criterion found nothing in the files scanned; " +
  "“Exceptions noted” counts the findings that are not suppressed. " +
  "A finding that bears on several criteria is counted, and listed, under each of them; the totals count it once.";
