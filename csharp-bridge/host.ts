/**
 * ESLint's side of the C# parser worker (worker.ts): started on the first C# file, so a
 * run without C# never loads the parser; called synchronously (sync-worker.ts), as ESLint
 * parses and runs rules synchronously.
 *
 * A worker that cannot start, fails or stops answering costs the C# file at hand one
 * clear message; the next C# file gets a fresh worker, and files of other languages never
 * notice.
 */
import type { CSharpModel } from "./adapter/index.js";
import {
  partialTypes,
  type ModelReply,
  type ModelWithParse,
  type ParseReply,
  type SummaryReply,
  type WorkerReply,
  type WorkerRequest,
} from "./protocol.js";
import type { PartMembers } from "./adapter/declarations.js";
import { projectIndexFor } from "../lib/core/project/index.js";
import type { FileSummary } from "../lib/core/project/summary.js";
import type { FileScan } from "./scan.js";
import { SyncWorker, WorkerTimeout } from "./sync-worker.js";

const WORKER = new URL("./worker-entry.js", import.meta.url);

/**
 * How long ESLint's thread waits for one answer before giving up on the worker. Parsing
 * and analysis have budgets of their own well below this; it only ends a wait on a
 * worker that stopped answering.
 */
const WORKER_TIMEOUT_MS = 60_000;

let worker: SyncWorker<WorkerRequest, WorkerReply> | undefined;
let nextId = 1;

/** Whether this thread has started a parser worker (none is started before the first C# file). */
export function parserWorkerStarted(): boolean {
  return worker !== undefined;
}

/** The C# parser could not be started or stopped answering. */
export class ParserUnavailable extends Error {}

function send(request: WorkerRequest): WorkerReply {
  try {
    worker ??= new SyncWorker(WORKER);
    return worker.call(request, WORKER_TIMEOUT_MS);
  } catch (error) {
    // Whatever went wrong, the next file gets a fresh worker.
    worker?.terminate();
    worker = undefined;
    throw new ParserUnavailable(describeFailure(error));
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof WorkerTimeout) return `the C# parser did not answer (${error.message}) and was stopped`;
  const message = String((error as Error)?.message ?? error).split("\n")[0];
  return `the C# parser (tree-sitter's WebAssembly build) could not run: ${message}. Reinstall eslint-plugin-api-posture; if this persists, report it with this message`;
}

export type ParseOutcome =
  { ok: true; id: number; scan: FileScan; model?: ModelWithParse } | { ok: false; reason: string };

/** Parses `text` in the worker, which keeps the tree for the model that follows. */
export function parseInWorker(text: string, maxParseTime: number, filename?: string): ParseOutcome {
  const id = nextId++;
  let reply: ParseReply;
  try {
    reply = send({ kind: "parse", id, text, filename, maxParseTime }) as ParseReply;
  } catch (error) {
    if (error instanceof ParserUnavailable) return { ok: false, reason: error.message };
    throw error;
  }
  return reply.ok ? { ok: true, id, scan: reply.scan, ...(reply.model ? { model: reply.model } : {}) } : reply;
}

/**
 * The model of file `id`: the one that came with the parse when it was built for these
 * settings and this file name, else built in the worker now. Throws with the reason when
 * it cannot be built.
 */
export function modelInWorker(
  id: number,
  text: string,
  settings: unknown,
  filename: string,
  maxParseTime: number,
  withParse?: ModelWithParse,
): CSharpModel {
  if (withParse && withParse.filename === filename && withParse.settings === JSON.stringify(settings ?? {}))
    return unwrap(withParse.reply);
  // Asked before the request: the index may have the worker summarise the other parts' files first.
  const partMembers = partMembersOf(text, filename, settings);
  const parts = partMembers ? { partMembers } : {};
  let reply = send({ kind: "model", id, settings, filename, maxParseTime, ...parts }) as ModelReply;
  // The worker holds one file's tree; it was given up for another file's (or the worker restarted).
  if (!reply.ok && "gone" in reply)
    reply = send({ kind: "model", id, text, settings, filename, maxParseTime, ...parts }) as ModelReply;
  return unwrap(reply);
}

/** Files of other parts read per partial type: a class split over more files is rare. */
const MAX_PART_FILES = 16;

/**
 * What the parts of the file's partial types in other files of its project declare: the
 * services their constructors inject, their fields and properties (the project index's
 * summaries of those files, cached per file like every summary). Undefined when there is
 * nothing to add.
 */
function partMembersOf(text: string, filename: string, settings: unknown): PartMembers | undefined {
  const names = partialTypes(text);
  if (names.length === 0) return undefined;
  const index = projectIndexFor(filename, "dotnet");
  if (!index) return undefined;
  let found: Record<string, Record<string, string>> | undefined;
  for (const name of names) {
    let files = 0;
    for (const file of index.declaring(name)) {
      if (file === filename) continue;
      const members = index.summary(file, settings)?.types?.find((t) => t.name === name && t.partMembers)?.partMembers;
      if (members) {
        const into = ((found ??= {})[name] ??= {});
        for (const [member, type] of Object.entries(members)) if (!Object.hasOwn(into, member)) into[member] = type;
      }
      if (++files >= MAX_PART_FILES) break;
    }
  }
  return found;
}

/** The project index's summary of another C# file of the project; undefined when it cannot be parsed. */
export function summaryInWorker(
  text: string,
  filename: string,
  settings: unknown,
  maxParseTime: number,
): FileSummary | undefined {
  const reply = send({ kind: "summary", text, filename, settings, maxParseTime }) as SummaryReply;
  return reply.ok ? reply.summary : undefined;
}

function unwrap(reply: ModelReply): CSharpModel {
  if (reply.ok) return reply.model;
  throw new Error("gone" in reply ? "the C# parser lost the file" : reply.reason);
}
