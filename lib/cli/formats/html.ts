/**
 * `api-posture scan --format html`: the SOC 2 evidence report as one self-contained HTML
 * file. Styles are inline, there are no scripts, fonts, images or other requests (a
 * Content-Security-Policy forbids them), the chart is inline SVG, and a print stylesheet
 * starts each major section on a new page, repeats table headers and keeps the colours.
 * Every value from the scanned code is HTML-escaped.
 */
import type { Finding, InventoryEndpoint, ScanReport, Suppression } from "../report.js";
import type { Severity } from "../../core/descriptor.js";
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

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for an element's content or a quoted attribute value, on one line. */
export function escapeHtml(text: string): string {
  return oneLine(text).replace(/[&<>"']/gu, (c) => HTML_ESCAPES[c]);
}

const h = escapeHtml;

/** A message with its `code` spans set in monospace; every part escaped. */
function richText(text: string): string {
  const parts = oneLine(text).split("`");
  // An odd number of parts means the backticks pair up; otherwise the text is shown as written.
  if (parts.length % 2 === 0) return h(text);
  return parts.map((part, i) => (i % 2 === 1 ? `<code>${h(part)}</code>` : h(part))).join("");
}

function anchorOf(criterionId: string): string {
  return `criterion-${criterionId.toLowerCase().replace(/[^a-z0-9]+/gu, "-")}`;
}

function link(text: string, url: string): string {
  const target = safeUrl(url);
  return target ? `<a class="rule-link" href="${h(target)}" rel="noreferrer">${h(text)}</a>` : `${h(text)} (${h(url)})`;
}

function badge(severity: Severity): string {
  return `<span class="sev sev-${severity}">${severity}</span>`;
}

/** A column: its header, and the class of its cells (`num`, `nowrap`, `path`, `text`). */
type Column = readonly [head: string, cls?: string];

function table(className: string, columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const cls = (i: number) => (columns[i]?.[1] ? ` class="${columns[i][1]}"` : "");
  const head = columns.map(([text], i) => `<th scope="col"${cls(i)}>${text}</th>`).join("");
  const body = rows
    .map((cells) => `<tr>${cells.map((cell, i) => `<td${cls(i)}>${cell}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table class="${className}">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** A path or route, escaped, that may wrap after each `/` or `\\`. */
function breakable(text: string): string {
  return h(text).replace(/[/\\]/gu, "$&<wbr>");
}

/** A qualified name (`OrdersController.Delete`, `api-posture/require-route-auth`), escaped, that may wrap after each `.` or `/`. */
function breakableName(text: string): string {
  return h(text).replace(/[/.]/gu, "$&<wbr>");
}

const COLOURS: Record<Severity, string> = { high: "#b42318", medium: "#dc6803", low: "#84adea" };

const CSS = `
:root { color-scheme: light; --ink: #1d2433; --muted: #5b6475; --rule: #d5d9e2; --band: #f3f5f9; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 1180px; padding: 24px 32px 48px; color: var(--ink); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 17px; margin: 26px 0 8px; }
h4 { font-size: 15px; margin: 18px 0 6px; }
p { margin: 6px 0; }
.lead { color: var(--muted); max-width: 820px; }
code, span.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
code { background: var(--band); padding: 0 3px; border-radius: 3px; }
a { color: #1849a9; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; }
th, td { border: 1px solid var(--rule); padding: 4px 7px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.nowrap { white-space: nowrap; }
td.text { overflow-wrap: anywhere; }
td.path, td.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
table.findings td.path { width: 32%; }
table.inventory { table-layout: fixed; }
table.inventory th:nth-child(1) { width: 21%; } table.inventory th:nth-child(2) { width: 15%; }
table.inventory th:nth-child(3) { width: 19%; } table.inventory th:nth-child(4) { width: 14%; }
table.inventory th:nth-child(5) { width: 22%; } table.inventory th:nth-child(6) { width: 9%; }
.method { font-weight: 600; }
.framework { color: var(--muted); font-size: 0.92em; }
table { font-size: 13px; }
table.suppressions td.text { min-width: 12em; }
table.scope { width: auto; min-width: 60%; }
table.baseline { width: auto; }
table.scope th { width: 150px; }
.sev { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; font-size: 12px; font-weight: 600; }
.sev-high { background: ${COLOURS.high}; } .sev-medium { background: ${COLOURS.medium}; } .sev-low { background: ${COLOURS.low}; color: #0b1f44; }
.status { font-weight: 600; }
.status-exceptions { color: #a0190f; } .status-none-noted { color: #1a6b35; } .status-not-run, .status-not-mapped { color: #6a4a00; }
.flag { font-weight: 700; color: #a0190f; }
.rule { border: 1px solid var(--rule); border-left: 4px solid var(--ink); padding: 6px 12px 2px; margin: 12px 0 18px; }
.rule.rule-high { border-left-color: ${COLOURS.high}; } .rule.rule-medium { border-left-color: ${COLOURS.medium}; } .rule.rule-low { border-left-color: ${COLOURS.low}; }
.rule h4 { margin-top: 4px; }
.facts { color: var(--muted); }
dl.rule-facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0 10px; }
dl.rule-facts dt { font-weight: 600; } dl.rule-facts dd { margin: 0; }
nav.toc ol { columns: 2; margin: 6px 0; }
figure.chart { margin: 12px 0 6px; }
figure.chart svg { width: 100%; max-width: 880px; height: auto; }
figure.chart figcaption { color: var(--muted); font-size: 12.5px; }
.notes li { margin: 3px 0; }
.callout { border: 2px solid #a0190f; padding: 6px 12px; margin: 10px 0; }
.callout h3 { margin-top: 6px; color: #a0190f; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { font-size: 15pt; }
  section.major { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, .rule-head, figure.chart, dl.rule-facts { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  a.rule-link::after { content: " (" attr(href) ")"; overflow-wrap: anywhere; }
  table { font-size: 8.5pt; }
  th, td { padding: 3px 4px; }
  th { font-size: 8pt; }
  table.suppressions td.text { min-width: 9em; }
  td.path, td.mono { font-size: 8pt; }
  nav.toc { display: none; }
  code { background: none; padding: 0; }
}
`.trim();

function head(report: ScanReport): string {
  const subject = report.paths.length > 0 ? report.paths.join(", ") : ".";
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>SOC 2 evidence report: ${h(subject)}</title>`,
    `<style>\n${CSS}\n</style>`,
    "</head>",
  ].join("\n");
}

function scope(report: ScanReport, evidence: Evidence): string {
  const rows: Array<[string, string]> = [
    ["Tool", h(`${report.tool.name} ${report.tool.version} on ESLint ${report.tool.eslintVersion}`)],
    ["Rule set", h(ruleSetText(report, evidence))],
    ["Commit", `<span class="mono">${h(commitText(report))}</span>`],
    ["Scanned at", h(scannedAtText(report))],
    ["Paths", report.paths.map((p) => `<code>${h(p)}</code>`).join(", ")],
    ["Files", h(filesText(report))],
    ["Findings", h(findingsText(evidence, report))],
  ];
  const body = rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join("\n");
  return `<section id="scope">\n<h2>Scope</h2>\n<table class="scope">\n<tbody>\n${body}\n</tbody>\n</table>\n</section>`;
}

function toc(report: ScanReport): string {
  const items: Array<[string, string]> = [
    ["summary", "Summary by Trust Services criterion"],
    ["findings", "Findings by criterion"],
    ["inventory", "Endpoint inventory"],
    ["suppressions", "Suppressions"],
    ...(report.baseline ? [["baseline", "Baseline comparison"] as [string, string]] : []),
    ["errors", "Files that could not be scanned"],
  ];
  return `<nav class="toc" aria-label="Contents"><ol>${items.map(([id, text]) => `<li><a href="#${id}">${text}</a></li>`).join("")}</ol></nav>`;
}

/** Horizontal bars, one group per criterion, stacked high → medium → low, with the counts written out. */
function chart(evidence: Evidence): string {
  const rowHeight = 34;
  const top = 36;
  const labelWidth = 70;
  const barWidth = 480;
  const width = 880;
  const height = top + rowHeight * evidence.criteria.length + 8;
  const max = Math.max(1, ...evidence.criteria.map((c) => c.total));
  const fmt = (n: number) => String(Math.round(n * 10) / 10);
  const legend = SEVERITIES.map((s, i) => {
    const x = labelWidth + i * 110;
    return `<g class="legend-item"><rect x="${x}" y="8" width="14" height="14" fill="${COLOURS[s]}"/><text x="${x + 20}" y="20">${s}</text></g>`;
  }).join("");
  const bars = evidence.criteria
    .map((c, i) => {
      const y = top + i * rowHeight;
      let x = labelWidth;
      const segments = SEVERITIES.filter((s) => c.counts[s] > 0).map((s) => {
        const w = (c.counts[s] / max) * barWidth;
        const rect = `<rect class="seg seg-${s}" x="${fmt(x)}" y="${y + 4}" width="${fmt(w)}" height="${rowHeight - 12}" fill="${COLOURS[s]}"><title>${c.id}: ${c.counts[s]} ${s}</title></rect>`;
        x += w;
        return rect;
      });
      const label =
        c.total > 0
          ? `${c.total} (${countsText(c.counts)})`
          : c.status.kind === "none-noted"
            ? "0: no exceptions noted"
            : "0: not tested";
      return (
        `<g class="bar" data-criterion="${c.id}" data-total="${c.total}">` +
        `<text x="0" y="${y + rowHeight / 2 + 2}" class="axis">${c.id}</text>` +
        segments.join("") +
        `<text x="${fmt(x + 8)}" y="${y + rowHeight / 2 + 2}" class="count">${h(label)}</text>` +
        `</g>`
      );
    })
    .join("\n");
  const description = evidence.criteria
    .map((c) => `${c.id}: ${c.total === 0 ? "no findings" : `${c.total} findings, ${countsText(c.counts)}`}.`)
    .join(" ");
  return [
    '<figure class="chart">',
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="chart-title chart-desc" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" font-size="13" fill="#1d2433">`,
    '<title id="chart-title">Findings per Trust Services criterion, by severity</title>',
    `<desc id="chart-desc">${h(description)}</desc>`,
    legend,
    `<line x1="${labelWidth}" y1="${top - 2}" x2="${labelWidth}" y2="${height - 6}" stroke="#5b6475" stroke-width="1"/>`,
    bars,
    "</svg>",
    "<figcaption>Bars are the findings that are not suppressed, stacked by severity; a finding that bears on several criteria counts under each.</figcaption>",
    "</figure>",
  ].join("\n");
}

function rulesCell(c: CriterionSummary): string {
  if (c.rules.length === 0) return "none";
  const run = new Set(c.rulesRun.map((r) => r.id));
  return c.rules.map((r) => (run.has(r.id) ? h(r.id) : `${h(r.id)} <em>(not run)</em>`)).join(", ");
}

function status(c: CriterionSummary): string {
  return `<span class="status status-${c.status.kind}">${h(c.status.text)}</span>`;
}

function summary(report: ScanReport, evidence: Evidence): string {
  const rows = evidence.criteria.map((c) => [
    `<a href="#${anchorOf(c.id)}">${c.id}</a>`,
    h(c.name),
    rulesCell(c),
    ...SEVERITIES.map((s) => String(c.counts[s])),
    String(c.suppressed),
    status(c),
  ]);
  const notes = evidence.criteria.map((c) => criterionNote(c, report)).filter((n) => n !== undefined);
  if (report.errors.length > 0)
    notes.push(
      `${report.errors.length} ${report.errors.length === 1 ? "file" : "files"} could not be scanned; no criterion's result covers ${report.errors.length === 1 ? "it" : "them"}.`,
    );
  const columns: Column[] = [
    ["Criterion", "nowrap"],
    ["Subject"],
    ["Rules"],
    ["High", "num"],
    ["Medium", "num"],
    ["Low", "num"],
    ["Suppressed", "num"],
    ["Status"],
  ];
  return [
    '<section id="summary">',
    "<h2>Summary by Trust Services criterion</h2>",
    chart(evidence),
    table("criteria", columns, rows),
    `<p>${h(STATUS_NOTE)}</p>`,
    notes.length > 0 ? `<ul class="notes">${notes.map((n) => `<li>${h(n)}</li>`).join("\n")}</ul>` : "",
    "</section>",
  ]
    .filter((part) => part !== "")
    .join("\n");
}

function findingTable(findings: readonly Finding[], withBaseline: boolean): string {
  return table(
    "findings",
    [["Location", "path"], ["Message", "text"], ...(withBaseline ? [["Baseline", "nowrap"] as const] : [])],
    findings.map((f) => [
      breakable(location(f.file, f.line)),
      richText(f.message),
      ...(withBaseline ? [f.baselineState === "new" ? '<span class="flag">new</span>' : h(f.baselineState ?? "")] : []),
    ]),
  );
}

function ruleBlock(group: RuleFindings, withBaseline: boolean): string {
  const { rule } = group;
  return [
    `<div class="rule rule-${rule.severity}">`,
    '<div class="rule-head">',
    `<h4>${h(rule.id)} ${h(rule.title)} <span class="facts">(${group.findings.length})</span></h4>`,
    '<dl class="rule-facts">',
    `<dt>Severity</dt><dd>${badge(rule.severity)}</dd>`,
    `<dt>SOC 2</dt><dd>${rule.soc2.map(h).join(", ")}</dd>`,
    `<dt>OWASP API 2023</dt><dd>${rule.owasp.length > 0 ? rule.owasp.map(h).join("; ") : "none"}</dd>`,
    `<dt>CWE</dt><dd>${h(rule.cwe)}</dd>`,
    `<dt>Remediation</dt><dd>${rule.remediation ? richText(rule.remediation) : "see the rule page"}</dd>`,
    `<dt>Rule page</dt><dd>${link(rule.name, rule.helpUri)}</dd>`,
    "</dl>",
    "</div>",
    findingTable(group.findings, withBaseline),
    "</div>",
  ].join("\n");
}

function findings(report: ScanReport, evidence: Evidence): string {
  const withBaseline = report.baseline !== undefined;
  const out = [
    '<section id="findings" class="major">',
    "<h2>Findings by criterion</h2>",
    "<p>Each criterion lists its findings by rule, with the rule's remediation. A finding that bears on several criteria appears under each of them.</p>",
  ];
  for (const c of evidence.criteria) {
    out.push(
      `<section id="${anchorOf(c.id)}" class="criterion">`,
      `<h3>${c.id} ${h(c.name)}</h3>`,
      `<p>Status: ${status(c)}</p>`,
      ...[emptyCriterionText(c, report)].filter((text) => text !== undefined).map((text) => `<p>${h(text)}</p>`),
      ...c.byRule.map((group) => ruleBlock(group, withBaseline)),
      "</section>",
    );
  }
  if (evidence.unmapped.length > 0)
    out.push(
      '<section class="criterion">',
      "<h3>Findings of no criterion above</h3>",
      ...evidence.unmapped.map((group) => ruleBlock(group, withBaseline)),
      "</section>",
    );
  out.push("</section>");
  return out.join("\n");
}

function protectionCell(ep: InventoryEndpoint): string {
  if (ep.protections.length === 0 && ep.anonymous.length === 0) return '<span class="flag nowrap">none found</span>';
  return protectionText(ep)
    .map((p) => h(p))
    .join("<br>");
}

function inventory(report: ScanReport): string {
  const endpoints = report.endpoints;
  const out = ['<section id="inventory" class="major">', "<h2>Endpoint inventory</h2>"];
  if (endpoints.length === 0) {
    out.push("<p>The scan found no endpoints.</p>", "</section>");
    return out.join("\n");
  }
  const counts = CLASSIFICATIONS.map((c) => [c, endpoints.filter((ep) => ep.classification === c).length] as const)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${n} ${c}`);
  const documented = endpoints.some((ep) => ep.documented !== undefined);
  out.push(
    `<p>${endpoints.length} endpoints: ${h(counts.join(", "))}. The protection column says where each endpoint's authentication or authorization comes from.</p>`,
    table(
      "inventory",
      [
        ["Endpoint", "path"],
        ["Handler (framework)"],
        ["Location", "path"],
        ["Classification"],
        ["Protection"],
        ...(documented ? [["OpenAPI"] as const] : []),
      ],
      endpoints.map((ep) => [
        `<span class="method">${h(ep.method)}</span> ${breakable(ep.route)}`,
        `${breakableName(ep.handler)}<br><span class="framework">${h(ep.framework)}</span>`,
        breakable(location(ep.file, ep.line)),
        ep.classification === "public" ? `<strong>${h(ep.classification)}</strong>` : h(ep.classification),
        protectionCell(ep),
        ...(documented
          ? [ep.documented === undefined ? "" : ep.documented ? "yes" : '<span class="flag">no</span>']
          : []),
      ]),
    ),
  );
  if (report.undocumented) {
    const { documentFile, operations } = report.undocumented;
    out.push(`<h3>Operations of <code>${h(documentFile)}</code> that no code implements</h3>`);
    if (operations.length === 0) out.push("<p>Every operation of the document is implemented.</p>");
    else
      out.push(
        table(
          "undocumented",
          [
            ["Method", "nowrap mono"],
            ["Path", "path"],
            ["Operation id", "name"],
          ],
          operations.map((op) => [h(op.method), breakable(op.path), breakableName(op.operationId ?? "")]),
        ),
      );
  }
  out.push("</section>");
  return out.join("\n");
}

const SUPPRESSION_COLUMNS: Column[] = [
  ["Location", "path"],
  ["Kind"],
  ["Rules", "name"],
  ["Justification", "text"],
  ["Silences"],
  ["State", "nowrap"],
];

function suppressionRow(s: Suppression): string[] {
  return [
    breakable(location(s.file, s.line)),
    h(SUPPRESSION_KIND[s.kind]) + (s.setting ? `: <code>${h(s.setting)}</code>` : ""),
    s.rules.length > 0 ? s.rules.map(breakableName).join(", ") : "<em>every rule</em>",
    isUnjustified(s.justification) ? '<span class="flag">none</span>' : h(s.justification),
    s.silenced.length > 0
      ? s.silenced.map((x) => `<span class="nowrap">${h(silencedAt(x))}</span>`).join(", ")
      : "nothing",
    s.unused ? '<span class="flag">unused</span>' : "in use",
  ];
}

function suppressions(report: ScanReport, evidence: Evidence): string {
  const all = report.suppressions;
  const out = ['<section id="suppressions" class="major">', "<h2>Suppressions</h2>"];
  if (all.length === 0) {
    out.push(`<p>No suppression ${suppressionPlace(report)} silences an api-posture rule.</p>`, "</section>");
    return out.join("\n");
  }
  out.push(
    `<p>${all.length} ${all.length === 1 ? "suppression" : "suppressions"} ${suppressionPlace(report)}; ${evidence.unjustified.length} without a justification, ${evidence.unused.length} unused.</p>`,
    '<div class="callout" id="unjustified">',
    "<h3>Suppressions without a justification</h3>",
    evidence.unjustified.length === 0
      ? "<p>Every suppression gives a justification.</p>"
      : table("suppressions unjustified", SUPPRESSION_COLUMNS, evidence.unjustified.map(suppressionRow)),
    "</div>",
  );
  if (evidence.unused.length > 0)
    out.push(
      '<h3 id="unused">Unused suppressions</h3>',
      "<p>They silence nothing any more: the code they covered changed or the finding is gone.</p>",
      table("suppressions unused", SUPPRESSION_COLUMNS, evidence.unused.map(suppressionRow)),
    );
  out.push("<h3>Every suppression</h3>", table("suppressions all", SUPPRESSION_COLUMNS, all.map(suppressionRow)));
  if (report.suppressedFindings.length > 0)
    out.push(
      "<h3>Findings the suppressions silence</h3>",
      table(
        "suppressed",
        [
          ["Location", "path"],
          ["Rule", "nowrap"],
          ["Severity", "nowrap"],
          ["Message", "text"],
          ["Suppressed at", "nowrap"],
          ["Justification", "text"],
        ],
        report.suppressedFindings.map((f) => [
          breakable(location(f.file, f.line)),
          h(f.id),
          badge(f.severity),
          richText(f.message),
          f.suppression ? h(suppressedAt(f.suppression)) : "",
          !f.suppression || isUnjustified(f.suppression.justification)
            ? '<span class="flag">none</span>'
            : h(f.suppression.justification),
        ]),
      ),
    );
  out.push("</section>");
  return out.join("\n");
}

function baseline(report: ScanReport): string {
  const b = report.baseline;
  if (!b) return "";
  const fresh = report.findings.filter((f) => f.baselineState === "new");
  const counts = emptyCounts();
  for (const f of fresh) counts[f.severity]++;
  const out = [
    '<section id="baseline" class="major">',
    "<h2>Baseline comparison</h2>",
    table(
      "baseline",
      [
        ["Baseline", "path"],
        ["New", "num"],
        ["Unchanged", "num"],
        ["Fixed", "num"],
      ],
      [[breakable(b.file), String(b.new), String(b.unchanged), String(b.fixed)]],
    ),
  ];
  if (fresh.length === 0) out.push("<p>No finding is new since the baseline.</p>");
  else
    out.push(
      `<p>New since the baseline: ${h(countsText(counts))}.</p>`,
      table(
        "findings new",
        [
          ["Location", "path"],
          ["Rule", "nowrap"],
          ["Severity", "nowrap"],
          ["Message", "text"],
        ],
        fresh.map((f) => [breakable(location(f.file, f.line)), h(f.id), badge(f.severity), richText(f.message)]),
      ),
    );
  out.push("</section>");
  return out.join("\n");
}

function errors(report: ScanReport): string {
  const out = ['<section id="errors">', "<h2>Files that could not be scanned</h2>"];
  if (report.errors.length === 0) out.push("<p>Every file was scanned.</p>");
  else
    out.push(
      "<p>No rule's result covers these files.</p>",
      table(
        "errors",
        [
          ["File", "path"],
          ["Reason", "text"],
        ],
        report.errors.map((err) => [breakable(err.file), h(err.message)]),
      ),
    );
  out.push("</section>");
  return out.join("\n");
}

/** The SOC 2 evidence report of one scan, as one self-contained HTML page; the same report always gives the same bytes. */
export function renderHtml(report: ScanReport): string {
  const evidence = evidenceOf(report);
  return [
    head(report),
    "<body>",
    "<header>",
    "<h1>SOC 2 evidence report: API security scan</h1>",
    `<p class="lead">${h(INTRO)}</p>`,
    "</header>",
    toc(report),
    "<main>",
    scope(report, evidence),
    summary(report, evidence),
    findings(report, evidence),
    inventory(report),
    suppressions(report, evidence),
    baseline(report),
    errors(report),
    "</main>",
    `<footer>Generated by ${h(`${report.tool.name} ${report.tool.version}`)} from a scan report of schema version ${report.schemaVersion}.</footer>`,
    "</body>",
    "</html>",
    "",
  ]
    .filter((part, i, all) => part !== "" || i === all.length - 1)
    .join("\n");
}
