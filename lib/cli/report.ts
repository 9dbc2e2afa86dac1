/**
 * What one `api-posture scan` found, as plain data: every output format (json, sarif,
 * markdown, html, the inventory's) is rendered from a ScanReport, and `--baseline` reads
 * the JSON form back. docs/report-format.md documents the shape; `schemaVersion` changes
 * when a field changes meaning or goes away (new optional fields keep it).
 */
import type { Classification } from "../core/model.js";
import type { OperationMethod } from "../core/openapi.js";
import type { Severity } from "../core/descriptor.js";

export const REPORT_SCHEMA_VERSION = 1;

export interface ScanReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: {
    name: string;
    version: string;
    /** `recommended-soc2`, `strict-soc2`, or `project config` with `--config`. */
    ruleSet: string;
    eslintVersion: string;
  };
  /** ISO 8601, UTC; absent with `--no-timestamp`. */
  scannedAt?: string;
  /** The repository the scan ran in, when it is a git work tree. */
  git?: {
    commit: string;
    dirty: boolean;
    branch?: string;
    /** The `origin` remote's URL without credentials, when there is one (SARIF's versionControlProvenance needs it). */
    remote?: string;
  };
  /** The paths as given, relative to the working directory, with `/` separators. */
  paths: string[];
  files: { typescript: number; csharp: number; total: number };
  /** Sorted by file, line, column, rule id. */
  findings: Finding[];
  /** Findings a suppression in the code silenced, each with it; sorted like `findings`. */
  suppressedFindings: Finding[];
  /** Files that could not be linted (a parse failure, a file that is not text), sorted by file. */
  errors: FileError[];
  /** Every suppression comment or attribute that silenced an api-posture finding, or none. Sorted by file, line. */
  suppressions: Suppression[];
  /** The endpoints found, sorted by file, line. */
  endpoints: InventoryEndpoint[];
  /** Operations of the configured OpenAPI document that no code implements (AP105). */
  undocumented?: { documentFile: string; operations: DocumentedOperation[] };
  /** Present when the scan compared against a baseline (`--baseline`). */
  baseline?: BaselineComparison;
}

export interface Finding {
  /** `api-posture/require-route-auth`. */
  ruleId: string;
  /** `AP101`. */
  id: string;
  /** `require-route-auth`. */
  name: string;
  title: string;
  severity: Severity;
  /** What ESLint reported it as under the rule set. */
  level: "error" | "warning";
  /** Relative to the working directory, `/` separators. */
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** The rule's message: a secret is already masked to its first four characters. */
  message: string;
  soc2: string[];
  owasp: string[];
  cwe: string;
  helpUri: string;
  /**
   * Stable across line shifts and edits elsewhere in the file: the rule, the file, the
   * reported line's text without its whitespace and the message without positions, and
   * the occurrence among findings that share those (baseline.ts).
   */
  fingerprint: string;
  /** With `--baseline`: whether the baseline had it. */
  baselineState?: "new" | "unchanged";
  /** In `suppressedFindings`: what silenced it. */
  /** What silenced it: `file` is given when that is another file (a global suppression, `.editorconfig`, a project file). */
  suppression?: { kind: Suppression["kind"]; line: number; justification: string; file?: string };
}

export interface FileError {
  file: string;
  message: string;
}

export interface Suppression {
  file: string;
  line: number;
  /**
   * In the code: `eslint-disable` comments (all forms), C# `#pragma warning disable`, `[SuppressMessage]`,
   * and `[assembly: SuppressMessage]` (global, usually in GlobalSuppressions.cs). In a C# project's
   * configuration: a `none` or `silent` severity in `.editorconfig` or `.globalconfig`, `<NoWarn>` in a project file.
   */
  kind: "eslint-disable" | "pragma" | "suppress-message" | "global-suppress-message" | "editorconfig" | "msbuild";
  /** The `AP…` ids or rule names it names; empty when it names none (it then silences every rule). */
  rules: string[];
  /**
   * The text after ` -- ` (ESLint), after `//` on a pragma line, or `Justification = "…"`; for the
   * configuration kinds, the comment right above the setting. Empty when none.
   */
  justification: string;
  /** The configuration kinds and global suppressions: the setting or target as written. */
  setting?: string;
  /** The findings it silenced (rule id and line; `file` when it is not the suppression's own), sorted. */
  silenced: Array<{ id: string; line: number; file?: string }>;
  /** It silences nothing any more (ESLint's unused disable directive), in any file of the scan. */
  unused?: boolean;
}

export interface InventoryEndpoint {
  /** `GET`, `POST`, …; `ALL` for a handler of every method. */
  method: string;
  /** The full route as the framework serves it, with prefixes: `/api/orders/:id`. */
  route: string;
  /** `OrdersController.Delete`, `router.delete handler`, … as the model names it. */
  handler: string;
  file: string;
  line: number;
  /** `express`, `nestjs`, `aspnetcore-mvc`, … */
  framework: string;
  classification: Classification;
  /** Where the protection comes from, one entry per protection, e.g. `[Authorize(Roles = "Admin")] on OrdersController`. */
  protections: string[];
  /** Explicit anonymous markers on the route (`[AllowAnonymous]`, `@Public()`). */
  anonymous: string[];
  /** AP105: whether the configured OpenAPI document declares it; absent when no document is configured. */
  documented?: boolean;
}

export interface DocumentedOperation {
  method: OperationMethod;
  /** As the document writes it: `/orders/{id}`. */
  path: string;
  operationId?: string;
}

export interface BaselineComparison {
  /** The baseline file, relative to the working directory. */
  file: string;
  new: number;
  unchanged: number;
  /** In the baseline, gone now. */
  fixed: number;
}
