/**
 * The C# parser worker. web-tree-sitter can only start asynchronously and ESLint parses
 * synchronously, so the parser runs here, in a worker thread that ESLint's thread calls
 * and waits for (host.ts, sync-worker.ts). Each file's tree is kept until its model is
 * built or the next file is parsed, then deleted: the WebAssembly heap holds at most one
 * file's trees at a time, whatever the run lints.
 */
import { workerData } from "node:worker_threads";
import { resolveSettings, type ResolvedSettings } from "../lib/core/settings.js";
import { buildCSharpModel } from "./adapter/index.js";
import { startAnalysisClock, stopAnalysisClock } from "./adapter/clock.js";
import { loadCSharpParser, ParseBudgetExceeded, parseCSharp, type Tree } from "./parser.js";
import type { ModelReply, ModelRequest, ParseReply, ParseRequest, WorkerReply, WorkerRequest } from "./protocol.js";
import { scanFile } from "./scan.js";
import { serveSyncRequests, type SyncWorkerData } from "./sync-worker.js";

/**
 * The model of a file may take this long beyond twice its parse time; real files take a
 * fraction of it, trees that error recovery left in odd shapes are cut off.
 */
const ANALYSIS_BASE_MS = 2000;

interface HeldTree {
  id: number;
  tree: Tree;
  text: string;
  parseMs: number;
}

let held: HeldTree | undefined;

function release(): void {
  held?.tree.delete();
  held = undefined;
}

function parse(id: number, text: string, maxParseTime: number): HeldTree {
  const started = performance.now();
  const tree = parseCSharp(text, maxParseTime);
  return { id, tree, text, parseMs: performance.now() - started };
}

function handleParse(request: ParseRequest): ParseReply {
  release();
  try {
    held = parse(request.id, request.text, request.maxParseTime);
  } catch (error) {
    if (error instanceof ParseBudgetExceeded) return { ok: false, reason: error.message };
    throw error;
  }
  return { ok: true, scan: scanFile(held.tree, held.text) };
}

let lastSettings: { json: string; resolved: ResolvedSettings } | undefined;

function settingsOf(raw: unknown): ResolvedSettings {
  const json = JSON.stringify(raw ?? {});
  if (lastSettings?.json !== json) lastSettings = { json, resolved: resolveSettings({ "api-posture": raw }) };
  return lastSettings.resolved;
}

function handleModel(request: ModelRequest): ModelReply {
  if (held?.id !== request.id) {
    release();
    if (request.text === undefined) return { ok: false, gone: true };
    try {
      held = parse(request.id, request.text, request.maxParseTime);
    } catch (error) {
      if (error instanceof ParseBudgetExceeded) return { ok: false, reason: error.message };
      throw error;
    }
  }
  const { tree, text, parseMs } = held;
  startAnalysisClock(ANALYSIS_BASE_MS + 2 * parseMs);
  try {
    return { ok: true, model: buildCSharpModel(tree, text, settingsOf(request.settings), request.filename) };
  } catch (error) {
    const reason = error instanceof RangeError ? "the file is nested too deeply to analyse" : String((error as Error)?.message ?? error);
    return { ok: false, reason };
  } finally {
    stopAnalysisClock();
    release();
  }
}

serveSyncRequests(workerData as SyncWorkerData, async (request: WorkerRequest): Promise<WorkerReply> => {
  await loadCSharpParser();
  return request.kind === "parse" ? handleParse(request) : handleModel(request);
});
