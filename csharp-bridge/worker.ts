/**
 * The C# parser worker. web-tree-sitter can only start asynchronously and ESLint parses
 * synchronously, so the parser runs here, in a worker thread that ESLint's thread calls
 * and waits for (host.ts, sync-worker.ts). Each file's tree is kept until its model is
 * built or the next file is parsed. The last file's tree then stays until another file is
 * parsed: an editor lints the file at hand again after each change, and tree-sitter
 * re-parses only what the change touched. The WebAssembly heap holds at most one file's
 * trees at a time, whatever the run lints.
 */
import { resolveSettings, type ResolvedSettings } from "../lib/core/settings.js";
import { isTestFile } from "../lib/core/test-files.js";
import { buildCSharpModel } from "./adapter/index.js";
import { startAnalysisClock, stopAnalysisClock } from "./adapter/clock.js";
import { editBetween, loadCSharpParser, ParseBudgetExceeded, parseCSharp, type Tree } from "./parser.js";
import {
  partialTypes,
  type ModelReply,
  type ModelRequest,
  type ParseReply,
  type ParseRequest,
  type SummaryReply,
  type SummaryRequest,
  type WorkerReply,
  type WorkerRequest,
} from "./protocol.js";
import type { PartMembers } from "./adapter/declarations.js";
import { summarizeCSharp } from "./adapter/summary.js";
import { scanFile } from "./scan.js";

/**
 * The model of a file may take this long beyond twice its parse time; real files take a
 * fraction of it, trees that error recovery left in odd shapes are cut off.
 */
const ANALYSIS_BASE_MS = 2000;

interface HeldTree {
  id: number;
  tree: Tree;
  text: string;
  filename: string | undefined;
  parseMs: number;
}

let held: HeldTree | undefined;

/** The last file's tree once its model is built, for the next parse of the same file. */
let previous: { filename: string; text: string; tree: Tree } | undefined;

/** Done with the held tree: kept as the file's previous version when the file has a name. */
function release(): void {
  if (!held) return;
  if (held.filename === undefined) {
    held.tree.delete();
  } else {
    previous?.tree.delete();
    previous = { filename: held.filename, text: held.text, tree: held.tree };
  }
  held = undefined;
}

/**
 * Parses `text`; when it is a new version of the file parsed last, from that file's tree,
 * edited to match. The previous tree is deleted either way.
 */
function parse(id: number, text: string, maxParseTime: number, filename: string | undefined): HeldTree {
  const started = performance.now();
  const before = previous;
  previous = undefined;
  let tree: Tree;
  try {
    if (before && filename !== undefined && before.filename === filename) {
      before.tree.edit(editBetween(before.text, text));
      tree = parseCSharp(text, maxParseTime, before.tree);
    } else {
      tree = parseCSharp(text, maxParseTime);
    }
  } finally {
    before?.tree.delete();
  }
  return { id, tree, text, filename, parseMs: performance.now() - started };
}

/** The settings the rules sent with their last model request, once they have sent one. */
let lastSettings: { json: string; resolved: ResolvedSettings } | undefined;

function handleParse(request: ParseRequest): ParseReply {
  release();
  try {
    held = parse(request.id, request.text, request.maxParseTime, request.filename);
  } catch (error) {
    if (error instanceof ParseBudgetExceeded) return { ok: false, reason: error.message };
    throw error;
  }
  const reply: ParseReply = { ok: true, scan: scanFile(held.tree, held.text) };
  const { filename } = request;
  // A partial type's model needs what its other parts declare, which the model request brings.
  const partial = partialTypes(held.text).length > 0;
  if (lastSettings && filename !== undefined && !isTestFile(filename) && !partial) {
    reply.model = { settings: lastSettings.json, filename, reply: buildModel(held, lastSettings.resolved, filename) };
    release();
  }
  return reply;
}

function settingsOf(raw: unknown): { json: string; resolved: ResolvedSettings } {
  const json = JSON.stringify(raw ?? {});
  if (lastSettings?.json !== json) lastSettings = { json, resolved: resolveSettings({ "api-posture": raw }) };
  return lastSettings;
}

function handleModel(request: ModelRequest): ModelReply {
  const { resolved } = settingsOf(request.settings);
  if (held?.id !== request.id) {
    release();
    if (request.text === undefined) return { ok: false, gone: true };
    try {
      held = parse(request.id, request.text, request.maxParseTime, request.filename);
    } catch (error) {
      if (error instanceof ParseBudgetExceeded) return { ok: false, reason: error.message };
      throw error;
    }
  }
  try {
    return buildModel(held, resolved, request.filename, request.partMembers);
  } finally {
    release();
  }
}

function buildModel(
  { tree, text, parseMs }: HeldTree,
  settings: ResolvedSettings,
  filename: string,
  partMembers?: PartMembers,
): ModelReply {
  startAnalysisClock(ANALYSIS_BASE_MS + 2 * parseMs);
  try {
    return { ok: true, model: buildCSharpModel(tree, text, settings, filename, partMembers) };
  } catch (error) {
    const reason =
      error instanceof RangeError
        ? "the file is nested too deeply to analyse"
        : String((error as Error)?.message ?? error);
    return { ok: false, reason };
  } finally {
    stopAnalysisClock();
  }
}

/** Answers one request from ESLint's thread (worker-entry.ts serves them). */
export async function handleRequest(request: WorkerRequest): Promise<WorkerReply> {
  await loadCSharpParser();
  switch (request.kind) {
    case "parse":
      return handleParse(request);
    case "model":
      return handleModel(request);
    case "summary":
      return handleSummary(request);
  }
}

/** Another file of the project, for the index: parsed, summarised and released; the file held for a model stays. */
function handleSummary(request: SummaryRequest): SummaryReply {
  let tree: Tree;
  const started = performance.now();
  try {
    tree = parseCSharp(request.text, request.maxParseTime);
  } catch (error) {
    if (error instanceof ParseBudgetExceeded) return { ok: false, reason: error.message };
    throw error;
  }
  startAnalysisClock(ANALYSIS_BASE_MS + 2 * (performance.now() - started));
  try {
    return {
      ok: true,
      summary: summarizeCSharp(tree, request.text, settingsOf(request.settings).resolved, request.filename),
    };
  } catch (error) {
    return { ok: false, reason: String((error as Error)?.message ?? error) };
  } finally {
    stopAnalysisClock();
    tree.delete();
  }
}
