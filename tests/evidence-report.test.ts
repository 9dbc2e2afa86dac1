/**
 * The SOC 2 evidence report's renderers (lib/cli/formats/markdown.ts and html.ts): what each
 * section says for a given ScanReport, hostile values from the scanned code kept as text,
 * secrets kept masked, and the same report always giving the same bytes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import MarkdownIt from "markdown-it";
import { renderMarkdown, escapeMarkdown } from "../lib/cli/formats/markdown.js";
import { renderHtml, escapeHtml } from "../lib/cli/formats/html.js";
import { CRITERIA, evidenceOf } from "../lib/cli/formats/evidence.js";
import type { Finding, ScanReport } from "../lib/cli/report.js";
import { realisticReport } from "./helpers/scan-report.js";
import { ROOT } from "./helpers/paths.js";

const HOSTILE_MESSAGE =
  "AP101 POST /x`; drop` changes state <script>alert(1)</script> | extra | cell\n# Heading\r\n- item ![i](http://evil.example/i.png) **bold** [link](javascript:alert(1)) $x$ &amp; ~~s~~";
const HOSTILE_PATH = "src/a|b/<img src=x onerror=alert(1)>\n`tick`.ts";
const RLO = "\u202e";

/** A small report whose every value from the code is hostile. */
function hostileReport(): ScanReport {
  const base = realisticReport({ scale: 1 });
  const finding: Finding = {
    ...base.findings.find((f) => f.id === "AP101")!,
    file: HOSTILE_PATH,
    line: 7,
    message: HOSTILE_MESSAGE,
    baselineState: "new",
  };
  const secret: Finding = {
    ...base.findings.find((f) => f.id === "AP201")!,
    file: `src/${RLO}txt.ts`,
    message: "AP201 Stripe secret key `sk_l…` is written into the code (in `STRIPE_SECRET_KEY`). SOC 2 CC6.1, CC6.2.",
  };
  return {
    ...base,
    paths: ["src|<b>x</b>"],
    findings: [finding, secret],
    suppressedFindings: [],
    endpoints: [
      {
        method: "POST",
        route: "/orders/`x`|</td><td>injected",
        handler: "Orders<script>.Create\nnext",
        file: HOSTILE_PATH,
        line: 3,
        framework: "express",
        classification: "public",
        protections: [],
        anonymous: ["@Public() <i>x</i>"],
      },
    ],
    suppressions: [
      {
        file: HOSTILE_PATH,
        line: 6,
        kind: "eslint-disable",
        rules: ["api-posture/require-route-auth"],
        justification: "ok | <script>x</script>\n| injected | row |",
        silenced: [],
        unused: true,
      },
      { file: "src/plain.ts", line: 2, kind: "pragma", rules: ["AP203"], justification: "", silenced: [] },
    ],
    errors: [{ file: "bad\r\n|file|.ts", message: "Parsing error: <unexpected> `token`\n| x |" }],
    undocumented: {
      documentFile: "openapi|<x>.yaml",
      operations: [{ method: "GET", path: "/a|`b`", operationId: "<op>" }],
    },
    baseline: { file: "base|line.json", new: 1, unchanged: 1, fixed: 0 },
  };
}

const md = new MarkdownIt({ html: true, linkify: false });

/** The markdown as GitHub-flavoured markdown renders it (markdown-it with raw HTML allowed, as GitHub's renderer allows some). */
function mdToHtml(text: string): string {
  return md.render(text);
}

test("markdown: hostile values render as text: no HTML, link, code, heading or extra table cell comes from them", () => {
  const report = hostileReport();
  const text = renderMarkdown(report);
  const html = mdToHtml(text);
  assert.doesNotMatch(html, /<script/iu);
  assert.doesNotMatch(html, /<img/iu);
  assert.doesNotMatch(html, /<b>x<\/b>/u);
  assert.doesNotMatch(html, /<i>x<\/i>/u);
  assert.doesNotMatch(html, /href="javascript/iu);
  assert.doesNotMatch(html, /<s>s<\/s>/u, "no strikethrough from the message");
  assert.doesNotMatch(html, /<strong>bold<\/strong>/u, "no emphasis from the message");
  assert.doesNotMatch(html, /<h1>Heading/u, "a line break in a message starts no heading");
  assert.doesNotMatch(html, /<code>; drop<\/code>/u, "a backtick in a message opens no code span");
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/u, "the message's text is shown");
  // Each value is the whole text of its cell, as written (on one line).
  assert.ok(html.includes(`<td>${escapeHtml(HOSTILE_MESSAGE)}</td>`), "the message is one cell's text");
  assert.ok(html.includes(`<td>${escapeHtml(`${HOSTILE_PATH}:7`)}</td>`), "the location is one cell's text");
  assert.ok(html.includes(`<td>${escapeHtml("ok | <script>x</script>\n| injected | row |")}</td>`));
  // Every row of every table has the cells of its header.
  for (const table of html.split("<table>").slice(1)) {
    const body = table.split("</table>")[0];
    const header = (body.split("</tr>")[0].match(/<th[ >]/gu) ?? []).length;
    for (const row of body.split("<tr>").slice(2))
      assert.equal((row.match(/<td[ >]/gu) ?? []).length, header, `a row of ${header} cells: ${row.slice(0, 200)}`);
  }
  // The raw text: the hostile line breaks are gone, so no line of the file comes from them.
  assert.ok(!text.split("\n").some((line) => line.startsWith("# Heading") || line.startsWith("| injected")));
  assert.ok(!text.includes(RLO), "a bidirectional control is shown as its code point");
  assert.match(text, /\\\[U\+202E\\\]txt\.ts/u);
});

test("escapeMarkdown escapes what inline markdown reads and keeps the rest", () => {
  assert.equal(escapeMarkdown("a|b"), "a\\|b");
  assert.equal(escapeMarkdown("`x`"), "\\`x\\`");
  assert.equal(escapeMarkdown("a\\|b"), "a\\\\\\|b", "a backslash before a pipe cannot un-escape it");
  assert.equal(escapeMarkdown("line1\nline2\r\nline3"), "line1 line2 line3");
  assert.equal(escapeMarkdown("<b>*x*_y_</b>"), "\\<b\\>\\*x\\*\\_y\\_\\</b\\>");
  assert.equal(escapeMarkdown("src/orders.ts:42 {id}"), "src/orders.ts:42 {id}");
});

test("html: hostile values are escaped everywhere and the page keeps its structure", () => {
  const report = hostileReport();
  const html = renderHtml(report);
  assert.doesNotMatch(html, /<script/iu);
  assert.doesNotMatch(html, /<img/iu);
  assert.doesNotMatch(html, /<b>x<\/b>|<i>x<\/i>|<op>/u);
  assert.doesNotMatch(html, /href="javascript/iu);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/u);
  assert.match(html, /&lt;\/(?:<wbr>)?td&gt;&lt;td&gt;injected/u);
  assert.ok(!html.includes(RLO));
  // One row per finding in the finding tables of CC6.1 (both findings map to it).
  const cc61 = html.split('id="criterion-cc6-1"')[1].split('id="criterion-cc6-2"')[0];
  assert.equal((cc61.match(/<tr>/gu) ?? []).length - (cc61.match(/<thead>/gu) ?? []).length, 2);
  // The message's own backticks become code, escaped: a pair shows as code, the text stays text.
  assert.match(html, /<code>sk_l…<\/code>/u);
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
  );
});

test("masked secrets stay masked: the renderers show the rule's masked text and nothing more", () => {
  const report = hostileReport();
  const text = renderMarkdown(report);
  const html = renderHtml(report);
  assert.ok(text.includes("\\`sk\\_l…\\`"), "the masked value, escaped, in markdown");
  assert.ok(html.includes("<code>sk_l…</code>"));
  for (const out of [text, html]) {
    assert.doesNotMatch(out, /sk_l[^…]/u, "no character of the key beyond the mask");
    assert.ok(!out.includes(report.findings[1].fingerprint), "fingerprints are not shown");
  }
});

test("a link is written only for a plain http(s) rule page", () => {
  const report = realisticReport({ scale: 1 });
  const f = report.findings.find((x) => x.id === "AP101")!;
  const unknown: Finding = {
    ...f,
    id: "AP999",
    name: "future-rule",
    title: "A rule this version does not know",
    severity: "low",
    soc2: ["CC6.6"],
    helpUri: "javascript:alert(document.cookie)",
  };
  const r = { ...report, findings: [unknown] };
  const html = renderHtml(r);
  const text = renderMarkdown(r);
  assert.doesNotMatch(html, /href="javascript/u);
  assert.doesNotMatch(mdToHtml(text), /href="javascript/u);
  assert.match(
    html,
    /AP999 A rule this version does not know/u,
    "a rule the catalogue lacks is shown from its finding",
  );
  assert.match(text, /Remediation: see the rule page/u);
  assert.match(
    renderHtml(report),
    /* catalogue rules link their page */
    /<a class="rule-link" href="https:\/\/github.com\/[^"]+\/docs\/rules\/require-route-auth.md"/u,
  );
});

test("the same report renders to the same bytes, whatever the time zone and locale", () => {
  const report = realisticReport({ scale: 2 });
  const clone = JSON.parse(JSON.stringify(report)) as ScanReport;
  assert.equal(renderMarkdown(report), renderMarkdown(clone));
  assert.equal(renderHtml(report), renderHtml(clone));
  const script = `
    import { realisticReport } from "./helpers/scan-report.js";
    import { renderHtml } from "../lib/cli/formats/html.js";
    import { renderMarkdown } from "../lib/cli/formats/markdown.js";
    const r = realisticReport({ scale: 2 });
    process.stdout.write(renderMarkdown(r) + "\\0" + renderHtml(r));`;
  const other = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: new URL(".", import.meta.url),
    env: { ...process.env, TZ: "Pacific/Kiritimati", LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8" },
    maxBuffer: 64 * 1024 * 1024,
    encoding: "utf8",
  });
  assert.equal(other, `${renderMarkdown(report)}\0${renderHtml(report)}`);
});

test("the criteria summary: every criterion, counts by severity, a finding under each of its criteria, the totals once", () => {
  const report = realisticReport({ scale: 1 });
  const evidence = evidenceOf(report);
  assert.deepEqual(
    evidence.criteria.map((c) => c.id),
    ["CC6.1", "CC6.2", "CC6.3", "CC6.6", "CC6.7", "CC7.2", "CC8.1"],
  );
  for (const c of evidence.criteria) {
    const mine = report.findings.filter((f) => f.soc2.includes(c.id));
    assert.equal(c.total, mine.length, c.id);
    assert.equal(c.counts.high + c.counts.medium + c.counts.low, mine.length);
    assert.equal(
      c.byRule.reduce((n, g) => n + g.findings.length, 0),
      mine.length,
    );
  }
  assert.equal(evidence.totals.total, report.findings.length);
  const both = report.findings.find((f) => f.soc2.includes("CC6.1") && f.soc2.includes("CC6.3"))!;
  const text = renderMarkdown(report);
  const under = (id: string, next: string) => text.split(`### ${id} `)[1].split(`### ${next} `)[0];
  const row = escapeMarkdown(both.message);
  assert.ok(under("CC6.1", "CC6.2").includes(row));
  assert.ok(under("CC6.3", "CC6.6").includes(row));
  assert.ok(!under("CC6.2", "CC6.3").includes(row));
  assert.match(
    text,
    /\| CC6\.1 \| .* \| \*\*Exceptions noted: \d+ high, \d+ medium; 4 findings suppressed in the code, 2 without a justification\*\* \|/u,
  );
  const html = renderHtml(report);
  for (const c of CRITERIA)
    assert.match(
      html,
      new RegExp(
        `<tr><td class="nowrap"><a href="#criterion-${c.id.toLowerCase().replace(".", "-")}">${c.id}</a></td>`,
        "u",
      ),
    );
});

test("statuses: no exceptions, a rule left out of the rule set, change management without and with a baseline, a project's own config", () => {
  const clean = {
    ...realisticReport({ ruleSet: "recommended-soc2", baseline: false }),
    findings: [],
    suppressedFindings: [],
  };
  const byId = new Map(evidenceOf(clean).criteria.map((c) => [c.id, c]));
  assert.equal(byId.get("CC6.1")!.status.text, "No exceptions noted");
  assert.equal(byId.get("CC6.1")!.status.kind, "none-noted");
  assert.equal(byId.get("CC7.2")!.status.text, "Not tested: AP107 is not in recommended-soc2");
  assert.equal(byId.get("CC8.1")!.status.text, "Not tested by the rules");
  const text = renderMarkdown(clean);
  assert.match(
    text,
    /CC8\.1: no rule tests change management\. The scan is tied to commit 8f3c2a9\w+\. The scan ran without a baseline comparison/u,
  );
  assert.match(text, /does not evidence that changes were reviewed, tested, approved or deployed/u);
  assert.doesNotMatch(text, /complian/iu, "the report never claims compliance");
  assert.match(
    text,
    /^### CC6\.1 .*\n\nStatus: \*\*No exceptions noted\*\*\.\n\nAP101, AP102, AP103, AP201, AP202, AP203 found nothing under this criterion in the files scanned\.$/mu,
  );
  assert.match(
    text,
    /^### CC7\.2 .*\n\nStatus: .*\n\nCC7\.2: AP107 \(.*\) tests this criterion but is not part of recommended-soc2/mu,
  );

  const gated = realisticReport({ baseline: true });
  const cc81 = evidenceOf(gated).criteria.find((c) => c.id === "CC8.1")!;
  assert.equal(
    cc81.status.text,
    `Not tested by the rules; the baseline comparison found ${gated.baseline!.new} new findings`,
  );
  assert.match(renderHtml(gated), /this comparison is a change gate for the security checks above/u);

  const own = { ...clean, tool: { ...clean.tool, ruleSet: "project config" } };
  const ownCc61 = evidenceOf(own).criteria.find((c) => c.id === "CC6.1")!;
  assert.equal(ownCc61.status.text, "No exceptions noted by the rules the project configuration enables");
  assert.match(renderMarkdown(own), /project config: the rules the project's ESLint configuration enables/u);

  const dirty = { ...clean, git: { commit: "abc123", dirty: true } };
  assert.match(renderMarkdown(dirty), /abc123, with uncommitted changes: the code scanned differs from this commit/u);
});

test("sections follow the report: baseline, timestamp, git, OpenAPI, errors and suppressions only when there is something to say", () => {
  const full = realisticReport({ baseline: true });
  const bare: ScanReport = {
    ...realisticReport({ baseline: false, timestamp: false, git: false }),
    errors: [],
    suppressions: [],
    suppressedFindings: [],
    endpoints: realisticReport().endpoints.map((ep) => {
      const copy = { ...ep };
      delete copy.documented;
      return copy;
    }),
  };
  delete bare.undocumented;
  const fullMd = renderMarkdown(full);
  const bareMd = renderMarkdown(bare);
  const fullHtml = renderHtml(full);
  const bareHtml = renderHtml(bare);

  assert.match(fullMd, /^## Baseline comparison$/mu);
  assert.match(fullMd, /\| Location \| Message \| Baseline \|/u);
  assert.doesNotMatch(bareMd, /Baseline comparison|\| Baseline \|/u);
  assert.match(fullHtml, /<section id="baseline"/u);
  assert.doesNotMatch(bareHtml, /id="baseline"|<th[^>]*>Baseline<\/th>/u);

  assert.match(fullMd, /\| Scanned at \| 2026-11-30T14:05:09\.000Z \|/u);
  assert.match(bareMd, /\| Scanned at \| not recorded \(the scan ran with --no-timestamp\) \|/u);
  assert.match(bareMd, /\| Commit \| not recorded: the scan did not run in a git work tree/u);

  assert.match(fullMd, /^### Operations of services\/billing-api\/openapi\.yaml that no code implements$/mu);
  assert.match(fullMd, /\| In the OpenAPI document \|$/mu);
  // AP105's title may name the OpenAPI document; its sections and column are what must go.
  assert.doesNotMatch(bareMd, /that no code implements|In the OpenAPI document/u);
  assert.doesNotMatch(bareHtml, /that no code implements|In the OpenAPI document/u);

  assert.match(fullMd, /^## Files that could not be scanned\n\nNo rule's result covers these files\./mu);
  assert.match(bareMd, /^## Files that could not be scanned\n\nEvery file was scanned\.$/mu);

  assert.match(fullMd, /^### Suppressions without a justification\n\n\| Location \|/mu);
  assert.match(fullMd, /^### Unused suppressions$/mu);
  assert.match(fullHtml, /<div class="callout" id="unjustified">/u);
  assert.match(bareMd, /^## Suppressions\n\nNo suppression in the code silences an api-posture rule\.$/mu);
  assert.doesNotMatch(bareHtml, /id="unjustified"/u);

  const justified = {
    ...full,
    suppressions: full.suppressions.map((s) => ({
      ...s,
      justification: s.justification.trim() || "reviewed",
      unused: false,
    })),
  };
  const justifiedMd = renderMarkdown(justified);
  assert.match(
    justifiedMd,
    /^### Suppressions without a justification\n\nEvery suppression gives a justification\.$/mu,
  );
  assert.doesNotMatch(justifiedMd, /Unused suppressions/u);
});

test("every suppression is listed with its justification; the unjustified and unused ones are called out", () => {
  const report = realisticReport();
  const text = renderMarkdown(report);
  const section = text.split("## Suppressions\n")[1].split("\n## ")[0];
  const unjustified = section.split("### Suppressions without a justification")[1].split("###")[0];
  const every = section.split("### Every suppression")[1].split("###")[0];
  for (const s of report.suppressions) {
    const where = escapeMarkdown(`${s.file}:${s.line}`);
    assert.ok(every.includes(`| ${where} |`), where);
    assert.equal(unjustified.includes(`| ${where} |`), s.justification.trim() === "", where);
    if (s.justification.trim() !== "") assert.ok(every.includes(escapeMarkdown(s.justification)));
  }
  const unused = section.split("### Unused suppressions")[1].split("###")[0];
  assert.equal((unused.match(/\*\*unused\*\*/gu) ?? []).length, report.suppressions.filter((s) => s.unused).length);
  assert.match(section, /7 suppressions in the code; 3 without a justification, 2 unused\./u);
  for (const f of report.suppressedFindings) assert.ok(section.includes(escapeMarkdown(f.message)));
});

test("the endpoint inventory lists every endpoint with its classification and where its protection comes from", () => {
  const report = realisticReport();
  const text = renderMarkdown(report);
  const html = renderHtml(report);
  const inventory = text.split("## Endpoint inventory")[1].split("\n## ")[0];
  assert.match(inventory, /32 endpoints: 14 public, 11 authenticated, 5 role-restricted, 2 policy-restricted\./u);
  for (const ep of report.endpoints) {
    assert.ok(inventory.includes(`| ${escapeMarkdown(ep.method)} | ${escapeMarkdown(ep.route)} |`), ep.route);
    for (const p of ep.protections) assert.ok(inventory.includes(escapeMarkdown(p)), p);
  }
  assert.match(inventory, /\| anonymous: \\\[AllowAnonymous\\\] on the action \|/u);
  assert.match(inventory, /\| none found \|/u);
  assert.equal((html.split('<table class="inventory">')[1].split("</table>")[0].match(/<tr>/gu) ?? []).length, 33);
});

test("docs/evidence-report.md shows the markdown the renderer writes", () => {
  const page = readFileSync(path.join(ROOT, "docs", "evidence-report.md"), "utf8");
  const excerpts = [...page.matchAll(/```markdown\n([\s\S]*?)```/gu)].map((m) => m[1]);
  assert.ok(excerpts.length > 0);
  const text = renderMarkdown(realisticReport({ ruleSet: "recommended-soc2", without: ["AP105", "AP107"] }));
  for (const excerpt of excerpts)
    for (const line of excerpt.split("\n").filter((l) => l !== ""))
      assert.ok(
        text.split("\n").includes(line),
        `a line of the page's excerpt that the report no longer writes:\n${line}`,
      );
});
