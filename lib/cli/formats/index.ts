/** The scan's output formats, each rendered from the ScanReport. */
import path from "node:path";
import type { ESLint, Linter } from "eslint";
import type { ScanFormat } from "../args.js";
import type { Finding, ScanReport } from "../report.js";
import { renderHtml } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import { renderSarif } from "./sarif.js";

export async function renderScan(format: ScanFormat, report: ScanReport, eslint: ESLint, cwd: string): Promise<string> {
  switch (format) {
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "stylish":
      return stylish(report, eslint, cwd);
    case "sarif":
      return renderSarif(report);
    case "markdown":
      return renderMarkdown(report);
    case "html":
      return renderHtml(report);
  }
}

/** ESLint's own stylish output of the report's findings, and a one-line summary. */
async function stylish(report: ScanReport, eslint: ESLint, cwd: string): Promise<string> {
  const byFile = new Map<string, Finding[]>();
  for (const finding of report.findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  const results: ESLint.LintResult[] = [...byFile].map(([file, findings]) => {
    const messages: Linter.LintMessage[] = findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.level === "error" ? 2 : 1,
      message: f.message,
      line: f.line,
      column: f.column,
      ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
      ...(f.endColumn !== undefined ? { endColumn: f.endColumn } : {}),
    }));
    const errors = messages.filter((m) => m.severity === 2).length;
    return {
      filePath: path.resolve(cwd, file),
      messages,
      suppressedMessages: [],
      errorCount: errors,
      fatalErrorCount: 0,
      warningCount: messages.length - errors,
      fixableErrorCount: 0,
      fixableWarningCount: 0,
      usedDeprecatedRules: [],
    };
  });
  const formatter = await eslint.loadFormatter("stylish");
  const text = await formatter.format(results);
  const lines: string[] = [];
  if (text.trim() !== "") lines.push(text.trimEnd(), "");
  for (const error of report.errors) lines.push(`${error.file}: could not be scanned: ${error.message}`);
  const n = report.findings.length;
  const baseline = report.baseline
    ? ` (${report.baseline.unchanged} more in the baseline, ${report.baseline.fixed} fixed since)`
    : "";
  lines.push(
    `api-posture: ${report.files.total} file${report.files.total === 1 ? "" : "s"} scanned, ${n} ${report.baseline ? "new " : ""}finding${n === 1 ? "" : "s"}${baseline}, ${report.endpoints.length} endpoint${report.endpoints.length === 1 ? "" : "s"}.`,
  );
  return `${lines.join("\n")}\n`;
}
