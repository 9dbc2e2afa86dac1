/**
 * The messages between ESLint's thread and the C# parser worker. Everything that crosses
 * is plain data: trees stay in the worker.
 */
import type { CSharpModel } from "./adapter/index.js";
import type { FileScan } from "./scan.js";
import type { FileSummary } from "../lib/core/project/summary.js";

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
