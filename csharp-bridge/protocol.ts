/**
 * The messages between ESLint's thread and the C# parser worker. Everything that crosses
 * is plain data: trees stay in the worker.
 */
import type { CSharpModel } from "./adapter/index.js";
import type { FileScan } from "./scan.js";
import type { PartMembers } from "./adapter/declarations.js";
import type { FileSummary } from "../lib/core/project/summary.js";

/** `partial class OrdersController`, `partial record OrderView`. */
const PARTIAL_TYPE = /\bpartial\s+(?:class|record|struct)\s+([A-Za-z_]\w*)/g;
/** What a file with endpoints shows: a controller, a route or HTTP attribute, a page handler, a Minimal API mapping. */
const MAY_HOLD_ENDPOINTS =
  /Controller|\[\s*(?:Http|Route)|\bOn(?:Get|Post|Put|Patch|Delete)|\bMap(?:Get|Post|Put|Patch|Delete|Methods)\b/;

/**
 * The partial types of a file that may hold endpoints, found without parsing. Their model is
 * built with what their parts in other files declare (`ModelRequest.partMembers`), never
 * with the parse.
 */
export function partialTypes(text: string): string[] {
  if (!text.includes("partial") || !MAY_HOLD_ENDPOINTS.test(text)) return [];
  return [...new Set([...text.matchAll(PARTIAL_TYPE)].map((m) => m[1]))];
}

/** Parse a file and keep its tree in the worker under `id` until its model is built or the next file is parsed. */
export interface ParseRequest {
  kind: "parse";
  id: number;
  text: string;
  /** The file's path, when ESLint gives one: the model of a file the rules will ask for can come with the parse. */
  filename?: string;
  /** Milliseconds tree-sitter may take before the parse is abandoned. */
  maxParseTime: number;
}

/** A model the worker built with the parse, for the settings (as JSON) and file name the rules asked with last. */
export interface ModelWithParse {
  settings: string;
  filename: string;
  reply: ModelReply;
}

export type ParseReply = { ok: true; scan: FileScan; model?: ModelWithParse } | { ok: false; reason: string };

/** Build the model of file `id`; `text` is sent again only when the worker no longer holds its tree. */
export interface ModelRequest {
  kind: "model";
  id: number;
  text?: string;
  /** `settings["api-posture"]` as configured. */
  settings: unknown;
  filename: string;
  maxParseTime: number;
  /**
   * The member types the parts of the file's partial classes in other files declare, by class
   * (from the project index's summaries of those files): their actions here use them.
   */
  partMembers?: PartMembers;
}

export type ModelReply = { ok: true; model: CSharpModel } | { ok: false; reason: string } | { ok: false; gone: true };

/** The project index's summary of another file of the project (lib/core/project/summary.ts). */
export interface SummaryRequest {
  kind: "summary";
  text: string;
  filename: string;
  /** `settings["api-posture"]` as configured. */
  settings: unknown;
  maxParseTime: number;
}

export type SummaryReply = { ok: true; summary: FileSummary } | { ok: false; reason: string };

export type WorkerRequest = ParseRequest | ModelRequest | SummaryRequest;
export type WorkerReply = ParseReply | ModelReply | SummaryReply;
