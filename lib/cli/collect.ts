/**
 * ESLint's results into the report's parts: findings with their fingerprints, the findings
 * suppressions silenced, the suppressions themselves, the endpoints and the files that
 * could not be linted. Everything is sorted, so the same tree gives the same report.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ESLint, Linter } from "eslint";
import { allRules } from "../index.js";
import { helpUrl, PLUGIN_NAMESPACE, type RuleDescriptor } from "../core/descriptor.js";
import { fromReport, INVENTORY_RULE_ID, type DirectiveRecord, type FileSuppressions } from "./inventory.js";
import type { FileError, Finding, InventoryEndpoint, Suppression } from "./report.js";

export interface Collected {
  findings: Finding[];
  suppressedFindings: Finding[];
  suppressions: Suppression[];
  endpoints: InventoryEndpoint[];
  errors: FileError[];
  files: { typescript: number; csharp: number; total: number };
}

const DESCRIPTORS = new Map<string, RuleDescriptor>(
  allRules.map((rule) => [`${PLUGIN_NAMESPACE}/${rule.descriptor.name}`, rule.descriptor]),
);

export function descriptorOf(ruleId: string): RuleDescriptor | undefined {
  return DESCRIPTORS.get(ruleId);
}

const posix = (file: string) => file.split(path.sep).join("/");

export function collect(results: readonly ESLint.LintResult[], cwd: string): Collected {
  const out: Collected = {
    findings: [],
    suppressedFindings: [],
    suppressions: [],
    endpoints: [],
    errors: [],
    files: { typescript: 0, csharp: 0, total: 0 },
  };
  const relative = (file: string) => posix(path.relative(cwd, file));
  // Suppressions that reach other files (global ones, a C# project's configuration), by where they are written.
  const shared = new Map<string, Suppression>();
  const sharedAt = (file: string, line: number, make: () => Suppression): Suppression => {
    const key = `${file}\0${line}`;
    let entry = shared.get(key);
    if (!entry) shared.set(key, (entry = make()));
    return entry;
  };
  for (const result of results) {
    const file = relative(result.filePath);
    out.files.total++;
    if (/\.cs$/iu.test(file)) out.files.csharp++;
    else out.files.typescript++;
    const lines = sourceLines(result);
    const active: Finding[] = [];
    const silenced: Array<{ finding: Finding; message: Linter.SuppressedLintMessage }> = [];
    let reported: FileSuppressions = { directives: [], globals: [], config: [] };
    const take = (message: Linter.LintMessage, suppressed?: Linter.SuppressedLintMessage) => {
      if (message.ruleId === INVENTORY_RULE_ID) {
        const record = fromReport(message.message, file, message.line);
        if ("endpoint" in record) out.endpoints.push(record.endpoint);
        else reported = record.suppressions;
        return;
      }
      if (message.fatal) {
        out.errors.push({ file, message: message.message });
        return;
      }
      const descriptor = message.ruleId ? descriptorOf(message.ruleId) : undefined;
      if (!descriptor || !message.ruleId) return;
      const finding = toFinding(message, message.ruleId, descriptor, file);
      if (suppressed) silenced.push({ finding, message: suppressed });
      else active.push(finding);
    };
    for (const message of result.messages) take(message);
    for (const message of result.suppressedMessages) take(message, message);
    fingerprint([...active, ...silenced.map((s) => s.finding)], lines);
    out.findings.push(...active);
    // The file's own global suppressions are listed even when they reach nothing, as written.
    for (const g of reported.globals) {
      const entry = sharedAt(file, g.line, () => ({
        file,
        line: g.line,
        kind: "global-suppress-message",
        rules: [],
        justification: "",
        silenced: [],
      }));
      entry.rules = g.rules;
      entry.justification = g.justification;
      if (g.setting) entry.setting = g.setting;
    }
    const configEntries = reported.config.map((c) => {
      const at = relative(c.file);
      const entry = sharedAt(at, c.line, () => ({
        file: at,
        line: c.line,
        kind: c.kind,
        rules: [],
        justification: c.justification,
        setting: c.setting,
        silenced: [],
      }));
      for (const rule of c.rules) if (!entry.rules.includes(rule)) entry.rules.push(rule);
      return entry;
    });
    const suppressions = suppressionsOf(reported.directives, file);
    for (const { finding, message } of silenced) {
      const by = attribute(finding, suppressions);
      const config = by ? undefined : configEntries.find((c) => names(c.rules, finding));
      if (by?.source) {
        const source = relative(by.source.file);
        const entry = sharedAt(source, by.source.line, () => ({
          file: source,
          line: by.source!.line,
          kind: "global-suppress-message",
          rules: by.rules,
          justification: by.justification,
          silenced: [],
        }));
        entry.silenced.push({ id: finding.id, line: finding.line, ...(source === file ? {} : { file }) });
        finding.suppression = {
          kind: entry.kind,
          line: entry.line,
          justification: entry.justification,
          ...(source === file ? {} : { file: source }),
        };
      } else if (by) {
        by.silenced.push({ id: finding.id, line: finding.line });
        finding.suppression = { kind: by.kind, line: by.line, justification: by.justification };
      } else if (config) {
        config.silenced.push({ id: finding.id, line: finding.line, ...(config.file === file ? {} : { file }) });
        finding.suppression = {
          kind: config.kind,
          line: config.line,
          justification: config.justification,
          ...(config.file === file ? {} : { file: config.file }),
        };
      } else {
        finding.suppression = {
          kind: "eslint-disable",
          line: finding.line,
          justification: message.suppressions.map((s) => s.justification).find((j) => j) ?? "",
        };
      }
      out.suppressedFindings.push(finding);
    }
    for (const suppression of suppressions) {
      if (suppression.source) continue;
      // A directive for other tools' rules is not ours to list; one for every rule is, when it silenced ours.
      const ours = suppression.rules.some((r) => isOurs(r));
      if (suppression.silenced.length === 0 && !ours) continue;
      suppression.silenced.sort((a, b) => a.line - b.line || a.id.localeCompare(b.id));
      if (suppression.silenced.length === 0) suppression.unused = true;
      out.suppressions.push(stripRange(suppression));
    }
  }
  for (const suppression of shared.values()) {
    suppression.silenced.sort(
      (a, b) => (a.file ?? "").localeCompare(b.file ?? "") || a.line - b.line || a.id.localeCompare(b.id),
    );
    if (suppression.silenced.length === 0) suppression.unused = true;
    suppression.rules.sort();
    out.suppressions.push(suppression);
  }
  const byPlace = (a: { file: string; line: number }, b: { file: string; line: number }) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
  const byFinding = (a: Finding, b: Finding) =>
    byPlace(a, b) || a.column - b.column || a.id.localeCompare(b.id) || a.message.localeCompare(b.message);
  out.findings.sort(byFinding);
  out.suppressedFindings.sort(byFinding);
  out.suppressions.sort((a, b) => byPlace(a, b) || a.rules.join().localeCompare(b.rules.join()));
  out.endpoints.sort((a, b) => byPlace(a, b) || a.method.localeCompare(b.method) || a.route.localeCompare(b.route));
  out.errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.message.localeCompare(b.message)));
  return out;
}

function isOurs(rule: string): boolean {
  return rule.startsWith(`${PLUGIN_NAMESPACE}/`) || /^AP\d{3}\b/iu.test(rule);
}

function toFinding(message: Linter.LintMessage, ruleId: string, descriptor: RuleDescriptor, file: string): Finding {
  return {
    ruleId,
    id: descriptor.id,
    name: descriptor.name,
    title: descriptor.title,
    severity: descriptor.severity,
    level: message.severity === 2 ? "error" : "warning",
    file,
    line: message.line,
    column: message.column,
    ...(message.endLine !== undefined ? { endLine: message.endLine } : {}),
    ...(message.endColumn !== undefined ? { endColumn: message.endColumn } : {}),
    message: message.message,
    soc2: [...descriptor.soc2],
    owasp: [...descriptor.owasp],
    cwe: descriptor.cwe,
    helpUri: helpUrl(descriptor),
    fingerprint: "",
  };
}

function sourceLines(result: ESLint.LintResult): string[] {
  if (result.source !== undefined) return result.source.split(/\r?\n/u);
  try {
    return readFileSync(result.filePath, "utf8").split(/\r?\n/u);
  } catch {
    return [];
  }
}

/**
 * Fingerprints that survive line shifts and edits elsewhere: the rule, the file, the
 * reported line's text without whitespace and the message without numbers (positions and
 * counts in messages move with edits), then the occurrence among findings sharing those.
 */
function fingerprint(findings: Finding[], lines: readonly string[]): void {
  const seen = new Map<string, number>();
  const ordered = [...findings].sort((a, b) => a.line - b.line || a.column - b.column);
  for (const finding of ordered) {
    const lineText = (lines[finding.line - 1] ?? "").replace(/\s+/gu, "");
    const key = [finding.id, finding.file, lineText, finding.message.replace(/\d+/gu, "#")].join("\0");
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    finding.fingerprint = createHash("sha256").update(`${key}\0${occurrence}`).digest("hex").slice(0, 32);
  }
}

interface Placed extends Omit<Suppression, "kind"> {
  kind: DirectiveRecord["kind"];
  type: DirectiveRecord["type"];
  /** A global suppression's attribute (absolute file). */
  source?: { file: string; line: number };
  endLine: number;
  /** The enable directives after it, which end a block's reach for the rules they name. */
  enables: DirectiveRecord[];
}

function suppressionsOf(directives: readonly DirectiveRecord[], file: string): Placed[] {
  const enables = directives.filter((d) => d.type === "enable");
  return directives
    .filter((d) => d.type !== "enable")
    .map((d) => ({
      file,
      line: d.line,
      kind: d.kind,
      rules: d.rules,
      justification: d.justification,
      silenced: [],
      type: d.type,
      endLine: d.endLine,
      enables: enables.filter((e) => e.line >= d.line),
      ...(d.source ? { source: d.source } : {}),
    }));
}

function names(rules: readonly string[], finding: Finding): boolean {
  return (
    rules.length === 0 ||
    rules.some(
      (r) => r === finding.ruleId || r.toUpperCase() === finding.id || r.toUpperCase().startsWith(`${finding.id}:`),
    )
  );
}

/** The directive that silenced a finding: on its line, on the line before, or the nearest block before it. */
function attribute(finding: Finding, suppressions: readonly Placed[]): Placed | undefined {
  const candidates = suppressions.filter((s) => names(s.rules, finding));
  const line = finding.line;
  const exact =
    candidates.find((s) => s.type === "disable-line" && s.line <= line && s.endLine >= line) ??
    candidates.find((s) => s.type === "disable-next-line" && s.endLine === line - 1);
  if (exact) return exact;
  let best: Placed | undefined;
  for (const s of candidates) {
    if (s.type !== "disable" || s.line > line) continue;
    if (s.enables.some((e) => e.line < line && names(e.rules, finding))) continue;
    if (!best || s.line > best.line) best = s;
  }
  return best;
}

function stripRange(placed: Placed): Suppression {
  const { file, line, kind, rules, justification, silenced, unused } = placed;
  return { file, line, kind, rules, justification, silenced, ...(unused ? { unused } : {}) };
}
