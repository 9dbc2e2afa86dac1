/**
 * The endpoint inventory. The CLI lints with one more rule, `api-posture-cli/inventory`,
 * which reports every endpoint of a file from the same linked model the rules judge
 * (routes with the prefixes and protections other files give them); the CLI takes those
 * reports out of the results and turns them into InventoryEndpoints. Going through ESLint's
 * reports keeps it one engine and lets it work with `--concurrency`, where rules run in
 * other threads.
 */
import path from "node:path";
import { analyze, type RuleContextLike } from "../core/analyze.js";
import { RULE_LANGUAGES } from "../core/create-rule.js";
import { classifyEndpoint, type Endpoint, type Protection } from "../core/model.js";
import { escapeMarkdown } from "./formats/markdown.js";
import { CLASSIFICATIONS } from "./formats/evidence.js";
import { configSuppressions, roslynConfigFor } from "../../csharp-bridge/roslyn/processor.js";
import type { GlobalSuppression } from "../core/project/summary.js";
import { allRules } from "../rules/index.js";
import type { InventoryEndpoint, ScanReport } from "./report.js";

export const INVENTORY_PLUGIN = "api-posture-cli";
export const INVENTORY_RULE_ID = `${INVENTORY_PLUGIN}/inventory`;

/** What one report of the inventory rule carries, as JSON in its message. */
type Reported = Omit<InventoryEndpoint, "file" | "line">;

const SOURCE_WORDS: Record<Protection["source"], string> = {
  route: "on the route",
  router: "on its router",
  mount: "where its router is mounted",
  class: "on the class",
  "base-class": "on a base class",
  global: "app-wide",
};

function describeProtection(protection: Protection | Endpoint["anonymous"][number], from: string): string {
  const where = "file" in protection && protection.file ? ` (${relativeTo(from, protection.file)})` : "";
  return `${protection.name} ${SOURCE_WORDS[protection.source]}${where}`;
}

function relativeTo(fromFile: string, file: string): string {
  return path.relative(path.dirname(fromFile), file).split(path.sep).join("/") || path.basename(file);
}

export function inventoryRecord(endpoint: Endpoint, filename: string): Reported {
  return {
    method: endpoint.methods.includes("ANY") ? "ALL" : endpoint.methods.join(","),
    route: endpoint.path,
    handler: endpoint.handler ?? "(anonymous function)",
    framework: endpoint.framework,
    classification: classifyEndpoint(endpoint),
    protections: endpoint.protections.map((p) => describeProtection(p, filename)),
    anonymous: endpoint.anonymous.map((a) => describeProtection(a, filename)),
  };
}

export const inventoryRule = {
  meta: {
    type: "suggestion" as const,
    docs: { description: "Lists the endpoints of a file for the api-posture inventory." },
    messages: { endpoint: "{{record}}" },
    schema: [],
    languages: [...RULE_LANGUAGES],
  },
  create(context: RuleContextLike): Record<string, () => void> {
    const run = () => {
      // The file's suppressions, for the report's list of them (collect.ts).
      const sourceCode = context.sourceCode as {
        getDisableDirectives?: () => { directives: DirectiveLike[] };
        globalSuppressions?: readonly GlobalSuppression[];
      };
      const file = context.physicalFilename ?? context.filename;
      const record: FileSuppressions = {
        directives:
          sourceCode
            .getDisableDirectives?.()
            .directives.map((d) => directiveRecord(d))
            .filter((d) => d !== undefined) ?? [],
        globals: (sourceCode.globalSuppressions ?? []).map((g) => ({
          line: g.line,
          rules: [g.checkId],
          justification: g.justification.trim(),
          setting: [g.scope && `Scope = "${g.scope}"`, g.target && `Target = "${g.target}"`].filter(Boolean).join(", "),
        })),
        config: sourceCode.globalSuppressions ? configRecords(file) : [],
      };
      if (record.directives.length > 0 || record.globals.length > 0 || record.config.length > 0) {
        context.report({
          loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 0 } },
          messageId: "endpoint",
          data: { record: JSON.stringify(record) },
        });
      }
      const analysis = analyze(context);
      if (!analysis.ok) return;
      const filename = context.physicalFilename ?? context.filename;
      for (const endpoint of analysis.model.endpoints) {
        context.report({
          loc: endpoint.loc,
          messageId: "endpoint",
          data: { record: JSON.stringify(inventoryRecord(endpoint, filename)) },
        });
      }
    };
    return { Program: run, compilation_unit: run };
  },
};

interface DirectiveLike {
  type: string;
  node: {
    type?: string;
    loc?: { start: { line: number }; end: { line: number } };
    source?: { file: string; line: number };
  };
  value: string;
  justification?: string;
}

/** A disable directive of the file as the CLI needs it: its form, lines, rules and justification. */
export interface DirectiveRecord {
  type: "disable" | "enable" | "disable-line" | "disable-next-line";
  kind: "eslint-disable" | "pragma" | "suppress-message" | "global-suppress-message";
  line: number;
  endLine: number;
  /** The rules it names, as written; empty for all rules. */
  rules: string[];
  justification: string;
  /** A global suppression's attribute: its file (absolute) and line. */
  source?: { file: string; line: number };
}

/** One of the file's own `[assembly: SuppressMessage]` attributes. */
export interface GlobalRecord {
  line: number;
  rules: string[];
  justification: string;
  setting: string;
}

/** A setting of the file's C# project that silences a rule for it (`.editorconfig`, `<NoWarn>`). */
export interface ConfigRecord {
  kind: "editorconfig" | "msbuild";
  /** Absolute. */
  file: string;
  line: number;
  rules: string[];
  justification: string;
  setting: string;
}

/** What the inventory rule reports of a file's suppressions. */
export interface FileSuppressions {
  directives: DirectiveRecord[];
  globals: GlobalRecord[];
  config: ConfigRecord[];
}

const RULE_IDS = allRules.map((rule) => rule.descriptor.id);

function configRecords(filename: string): ConfigRecord[] {
  const config = roslynConfigFor(filename);
  if (!config) return [];
  return configSuppressions(config, RULE_IDS).map(({ id, by }) => ({
    kind: by.kind,
    file: by.source.file,
    line: by.source.line,
    rules: [id],
    justification: by.source.comment,
    setting: by.source.text,
  }));
}

function directiveRecord(directive: DirectiveLike): DirectiveRecord | undefined {
  const loc = directive.node.loc;
  if (!loc) return undefined;
  const type = directive.type as DirectiveRecord["type"];
  const kind =
    directive.node.type === "pragma"
      ? "pragma"
      : directive.node.type === "attribute"
        ? "suppress-message"
        : directive.node.type === "global-suppression"
          ? "global-suppress-message"
          : "eslint-disable";
  return {
    type,
    kind,
    line: loc.start.line,
    endLine: loc.end.line,
    rules: directive.value
      .split(",")
      .map((r) => r.trim())
      .filter((r) => r !== ""),
    justification: directive.justification?.trim() ?? "",
    ...(directive.node.source ? { source: directive.node.source } : {}),
  };
}

export const inventoryPlugin = { meta: { name: INVENTORY_PLUGIN }, rules: { inventory: inventoryRule } };

/** An inventory report back into what it carries: an endpoint, or the file's suppressions. */
export function fromReport(
  message: string,
  file: string,
  line: number,
): { endpoint: InventoryEndpoint } | { suppressions: FileSuppressions } {
  const record = JSON.parse(message) as Reported | FileSuppressions;
  if ("directives" in record) return { suppressions: record };
  return { endpoint: { ...record, file, line } };
}

export function renderInventoryJson(endpoints: readonly InventoryEndpoint[], unimplemented?: Unimplemented): string {
  return `${JSON.stringify({ endpoints, ...(unimplemented ? { unimplemented } : {}) }, null, 2)}\n`;
}

/** The operations of the OpenAPI document (`--openapi`) that no endpoint serves. */
type Unimplemented = NonNullable<ScanReport["undocumented"]>;

const CSV_COLUMNS = [
  "method",
  "route",
  "handler",
  "file",
  "line",
  "framework",
  "classification",
  "protections",
  "anonymous",
  "documented",
] as const;

/** RFC 4180: fields with a comma, quote or line break quoted, quotes doubled; lists joined by `; `. */
export function renderInventoryCsv(endpoints: readonly InventoryEndpoint[]): string {
  const cell = (value: string | number | boolean | readonly string[] | undefined): string => {
    const text = Array.isArray(value) ? value.join("; ") : value === undefined ? "" : String(value);
    // A leading = + - @ makes spreadsheets run the cell as a formula.
    const safe = /^[=+\-@\t\r]/u.test(text) ? `'${text}` : text;
    return /[",\r\n]/u.test(safe) ? `"${safe.replace(/"/gu, '""')}"` : safe;
  };
  const rows = endpoints.map((e) => CSV_COLUMNS.map((c) => cell(e[c])).join(","));
  return `${[CSV_COLUMNS.join(","), ...rows].join("\r\n")}\r\n`;
}

export function renderInventoryMarkdown(
  endpoints: readonly InventoryEndpoint[],
  unimplemented?: Unimplemented,
): string {
  const counts = new Map<string, number>();
  for (const e of endpoints) counts.set(e.classification, (counts.get(e.classification) ?? 0) + 1);
  const summary = CLASSIFICATIONS.map((c) => `${counts.get(c) ?? 0} ${c}`).join(", ");
  const documented = endpoints.some((e) => e.documented !== undefined);
  const header = [
    "Method",
    "Route",
    "Handler",
    "Location",
    "Framework",
    "Classification",
    "Protection",
    ...(documented ? ["In OpenAPI"] : []),
  ];
  const rows = endpoints.map((e) =>
    [
      e.method,
      e.route,
      e.handler,
      `${e.file}:${e.line}`,
      e.framework,
      e.classification,
      [...e.protections, ...e.anonymous.map((a) => `anonymous: ${a}`)].join("; ") || "none",
      ...(documented ? [e.documented === false ? "no" : "yes"] : []),
    ]
      .map((c) => escapeMarkdown(c))
      .join(" | "),
  );
  return [
    "# Endpoint inventory",
    "",
    `${endpoints.length} endpoint${endpoints.length === 1 ? "" : "s"}: ${summary}.`,
    "",
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r} |`),
    "",
    ...(unimplemented
      ? [
          `## Declared in ${escapeMarkdown(unimplemented.documentFile)}, served by no code`,
          "",
          unimplemented.operations.length === 0
            ? "Every operation of the document has an endpoint."
            : [
                "| Method | Path | Operation |",
                "|---|---|---|",
                ...unimplemented.operations.map(
                  (o) => `| ${o.method} | ${escapeMarkdown(o.path)} | ${escapeMarkdown(o.operationId ?? "")} |`,
                ),
              ].join("\n"),
          "",
        ]
      : []),
  ].join("\n");
}
