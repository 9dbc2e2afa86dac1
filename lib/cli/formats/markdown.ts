/**
 * `api-posture scan --format markdown`: the SOC 2 evidence report as GitHub-flavoured
 * markdown, for a pull request, a wiki or an auditor's request list. Every value that comes
 * from the scanned code (paths, routes, handlers, messages, justifications) is escaped so it
 * reads as text: it can neither end a table cell nor start a link, an HTML tag or code.
 */
import type { Finding, ScanReport, Suppression } from "../report.js";
import {
  CLASSIFICATIONS,
  INTRO,
  SEVERITIES,
  STATUS_NOTE,
  SUPPRESSION_KIND,
  commitText,
  countsText,
  criterionNote,
  emptyCriterionText,
  emptyCounts,
  evidenceOf,
  filesText,
  findingsText,
  isUnjustified,
  location,
  silencedAt,
  suppressedAt,
  suppressionPlace,
  oneLine,
  protectionText,
  ruleSetText,
  safeUrl,
  scannedAtText,
  type CriterionSummary,
  type Evidence,
  type RuleFindings,
} from "./evidence.js";

/**
 * One line of inline text: every character that inline markdown (CommonMark, GitHub's
 * tables, strikethrough and math) could read as syntax is backslash-escaped — code spans,
 * emphasis, links and images, autolinks and HTML, entities, table cell ends — and line
 * breaks are spaces. Text from the code never starts a line, so block syntax (`#`, `>`,
 * `-`, `1.`) cannot arise from it.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(/[\\`*_[\]<>|~$&]/gu, (c) => `\\${c}`);
}

const e = escapeMarkdown;

function row(cells: readonly string[]): string {
  return `| ${cells.map((cell) => (cell === "" ? " " : cell)).join(" | ")} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(header), row(header.map(() => "---")), ...rows.map(row)];
}

function link(text: string, url: string): string {
  const target = safeUrl(url);
  return target ? `[${e(text)}](${target})` : `${e(text)} (${e(url)})`;
}

function scope(report: ScanReport, evidence: Evidence): string[] {
  return [
    "## Scope",
    "",
    ...table(
      ["Item", "Value"],
      [
        ["Tool", e(`${report.tool.name} ${report.tool.version} on ESLint ${report.tool.eslintVersion}`)],
        ["Rule set", e(ruleSetText(report, evidence))],
        ["Commit", e(commitText(report))],
        ["Scanned at", e(scannedAtText(report))],
        ["Paths", report.paths.map(e).join(", ")],
        ["Files", e(filesText(report))],
        ["Findings", e(findingsText(evidence, report))],
      ],
    ),
  ];
}

function rulesCell(summary: CriterionSummary): string {
  if (summary.rules.length === 0) return "none";
  const run = new Set(summary.rulesRun.map((r) => r.id));
  return summary.rules.map((r) => e(run.has(r.id) ? r.id : `${r.id} (not run)`)).join(", ");
}

function summary(report: ScanReport, evidence: Evidence): string[] {
  const rows = evidence.criteria.map((c) => [
    c.id,
    e(c.name),
    rulesCell(c),
    ...SEVERITIES.map((s) => String(c.counts[s])),
    String(c.suppressed),
    `**${e(c.status.text)}**`,
  ]);
  const notes = evidence.criteria.map((c) => criterionNote(c, report)).filter((n) => n !== undefined);
  if (report.errors.length > 0)
    notes.push(
      `${report.errors.length} ${report.errors.length === 1 ? "file" : "files"} could not be scanned; no criterion's result covers ${report.errors.length === 1 ? "it" : "them"} (see Files that could not be scanned).`,
    );
  return [
    "## Summary by Trust Services criterion",
    "",
    ...table(["Criterion", "Subject", "Rules", "High", "Medium", "Low", "Suppressed", "Status"], rows),
    "",
    e(STATUS_NOTE),
    "",
    ...notes.map((note) => `- ${e(note)}`),
  ];
}

function findingRows(findings: readonly Finding[], withBaseline: boolean): string[] {
  const header = ["Location", "Message", ...(withBaseline ? ["Baseline"] : [])];
  return table(
    header,
    findings.map((f) => [e(location(f.file, f.line)), e(f.message), ...(withBaseline ? [f.baselineState ?? " "] : [])]),
  );
}

function ruleBlock(group: RuleFindings, withBaseline: boolean): string[] {
  const { rule } = group;
  const facts = [
    `Severity: ${rule.severity}`,
    `SOC 2: ${rule.soc2.map(e).join(", ")}`,
    `OWASP API Security Top 10: ${rule.owasp.length > 0 ? rule.owasp.map(e).join("; ") : "none"}`,
    e(rule.cwe),
  ];
  return [
    `#### ${e(rule.id)} ${e(rule.title)} (${group.findings.length})`,
    "",
    `- ${facts.join(" · ")}`,
    `- Remediation: ${rule.remediation ? e(rule.remediation) : "see the rule page"}`,
    `- Rule page: ${link(rule.name, rule.helpUri)}`,
    "",
    ...findingRows(group.findings, withBaseline),
    "",
  ];
}

function findings(report: ScanReport, evidence: Evidence): string[] {
  const withBaseline = report.baseline !== undefined;
  const out = [
    "## Findings by criterion",
    "",
    "Each criterion lists its findings by rule, with the rule's remediation. " +
      "A finding that bears on several criteria appears under each of them.",
    "",
  ];
  for (const c of evidence.criteria) {
    out.push(`### ${c.id} ${e(c.name)}`, "", `Status: **${e(c.status.text)}**.`, "");
    const empty = emptyCriterionText(c, report);
    if (empty !== undefined) out.push(e(empty), "");
    for (const group of c.byRule) out.push(...ruleBlock(group, withBaseline));
  }
  if (evidence.unmapped.length > 0) {
    out.push("### Findings of no criterion above", "");
    for (const group of evidence.unmapped) out.push(...ruleBlock(group, withBaseline));
  }
  return out;
}

function inventory(report: ScanReport): string[] {
  const endpoints = report.endpoints;
  const out = ["## Endpoint inventory", ""];
  if (endpoints.length === 0) return [...out, "The scan found no endpoints."];
  const counts = CLASSIFICATIONS.map((c) => [c, endpoints.filter((ep) => ep.classification === c).length] as const)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${n} ${c}`);
  const documented = endpoints.some((ep) => ep.documented !== undefined);
  out.push(
    `${endpoints.length} endpoints: ${counts.join(", ")}. ` +
      "The protection column says where each endpoint's authentication or authorization comes from.",
    "",
    ...table(
      [
        "Method",
        "Route",
        "Handler",
        "Location",
        "Framework",
        "Classification",
        "Protection",
        ...(documented ? ["In the OpenAPI document"] : []),
      ],
      endpoints.map((ep) => [
        e(ep.method),
        e(ep.route),
        e(ep.handler),
        e(location(ep.file, ep.line)),
        e(ep.framework),
        e(ep.classification),
        protectionText(ep).map(e).join("; "),
        ...(documented ? [ep.documented === undefined ? " " : ep.documented ? "yes" : "**no**"] : []),
      ]),
    ),
  );
  if (report.undocumented) {
    const { documentFile, operations } = report.undocumented;
    out.push("", `### Operations of ${e(documentFile)} that no code implements`, "");
    if (operations.length === 0) out.push("Every operation of the document is implemented.");
    else
      out.push(
        ...table(
          ["Method", "Path", "Operation id"],
          operations.map((op) => [e(op.method), e(op.path), op.operationId ? e(op.operationId) : " "]),
        ),
      );
  }
  return out;
}

function suppressionRow(s: Suppression): string[] {
  return [
    e(location(s.file, s.line)),
    e(SUPPRESSION_KIND[s.kind]) + (s.setting ? `: ${e(s.setting)}` : ""),
    s.rules.length > 0 ? s.rules.map(e).join(", ") : "every rule",
    isUnjustified(s.justification) ? "**none**" : e(s.justification),
    s.silenced.length > 0 ? s.silenced.map((x) => e(silencedAt(x))).join(", ") : "nothing",
    s.unused ? "**unused**" : "in use",
  ];
}

const SUPPRESSION_HEADER = ["Location", "Kind", "Rules", "Justification", "Silences", "State"];

function suppressions(report: ScanReport, evidence: Evidence): string[] {
  const all = report.suppressions;
  const out = ["## Suppressions", ""];
  if (all.length === 0) return [...out, `No suppression ${suppressionPlace(report)} silences an api-posture rule.`];
  out.push(
    `${all.length} ${all.length === 1 ? "suppression" : "suppressions"} ${suppressionPlace(report)}; ` +
      `${evidence.unjustified.length} without a justification, ${evidence.unused.length} unused.`,
    "",
    "### Suppressions without a justification",
    "",
  );
  if (evidence.unjustified.length === 0) out.push("Every suppression gives a justification.");
  else out.push(...table(SUPPRESSION_HEADER, evidence.unjustified.map(suppressionRow)));
  if (evidence.unused.length > 0)
    out.push(
      "",
      "### Unused suppressions",
      "",
      "They silence nothing any more: the code they covered changed or the finding is gone.",
      "",
      ...table(SUPPRESSION_HEADER, evidence.unused.map(suppressionRow)),
    );
  out.push("", "### Every suppression", "", ...table(SUPPRESSION_HEADER, all.map(suppressionRow)));
  if (report.suppressedFindings.length > 0)
    out.push(
      "",
      "### Findings the suppressions silence",
      "",
      ...table(
        ["Location", "Rule", "Severity", "Message", "Suppressed at", "Justification"],
        report.suppressedFindings.map((f) => [
          e(location(f.file, f.line)),
          e(f.id),
          f.severity,
          e(f.message),
          f.suppression ? e(suppressedAt(f.suppression)) : " ",
          !f.suppression || isUnjustified(f.suppression.justification) ? "**none**" : e(f.suppression.justification),
        ]),
      ),
    );
  return out;
}

function baseline(report: ScanReport): string[] {
  const b = report.baseline;
  if (!b) return [];
  const fresh = report.findings.filter((f) => f.baselineState === "new");
  const counts = emptyCounts();
  for (const f of fresh) counts[f.severity]++;
  const out = [
    "## Baseline comparison",
    "",
    ...table(
      ["Baseline", "New", "Unchanged", "Fixed"],
      [[e(b.file), String(b.new), String(b.unchanged), String(b.fixed)]],
    ),
    "",
  ];
  if (fresh.length === 0) return [...out, "No finding is new since the baseline."];
  return [
    ...out,
    `New since the baseline: ${countsText(counts)}.`,
    "",
    ...table(
      ["Location", "Rule", "Severity", "Message"],
      fresh.map((f) => [e(location(f.file, f.line)), e(f.id), f.severity, e(f.message)]),
    ),
  ];
}

function errors(report: ScanReport): string[] {
  const out = ["## Files that could not be scanned", ""];
  if (report.errors.length === 0) return [...out, "Every file was scanned."];
  return [
    ...out,
    "No rule's result covers these files.",
    "",
    ...table(
      ["File", "Reason"],
      report.errors.map((err) => [e(err.file), e(err.message)]),
    ),
  ];
}

/** The SOC 2 evidence report of one scan, as markdown; the same report always gives the same text. */
export function renderMarkdown(report: ScanReport): string {
  const evidence = evidenceOf(report);
  const sections = [
    ["# SOC 2 evidence report: API security scan", "", e(INTRO)],
    scope(report, evidence),
    summary(report, evidence),
    findings(report, evidence),
    inventory(report),
    suppressions(report, evidence),
    baseline(report),
    errors(report),
    [
      `Generated by ${e(`${report.tool.name} ${report.tool.version}`)} from a scan report of schema version ${report.schemaVersion}.`,
    ],
  ].filter((section) => section.length > 0);
  return `${sections.map((section) => section.join("\n")).join("\n\n")}\n`;
}
