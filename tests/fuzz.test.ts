/**
 * Seeded fuzzing: a few hundred files mutated from the project's own fixtures (TS/JS and
 * C#) go through ESLint's Node API with recommended-soc2. Whatever the mutation (a file cut
 * short, flipped bytes, runs of braces and quotes, stray `#`, odd Unicode, very long lines,
 * deep nesting), linting must not reject, a file gets at most one fatal message, no rule
 * reports that it could not analyse the file, and no file takes more than the hang guard.
 *
 * The run is deterministic: the seed is printed, and API_POSTURE_FUZZ_SEED=<seed> replays
 * it (API_POSTURE_FUZZ_FILES=<n> lints more or fewer files).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { fuzzFiles, type FuzzFile } from "./helpers/fuzz-files.js";
import type { FuzzReply, FuzzRequest } from "./helpers/fuzz-worker.js";

const DEFAULT_SEED = 20_251_101;
const DEFAULT_FILES = 300;
/** No file may take longer: a hang guard, far above what any file needs. */
const HANG_GUARD_MS = 10_000;
/** Loading ESLint, the plugin and the parsers in a fresh worker. */
const STARTUP_MS = 30_000;

function envInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

const SEED = envInteger("API_POSTURE_FUZZ_SEED", DEFAULT_SEED);
const FILES = envInteger("API_POSTURE_FUZZ_FILES", DEFAULT_FILES);

/** Lints the files in a worker; a worker that hangs on a file or dies is replaced, and the run goes on. */
async function lintAll(files: readonly FuzzFile[], onFailure: (file: FuzzFile, reason: string) => void): Promise<void> {
  let worker: Worker | undefined;
  let replies: ((message: FuzzReply | "ready" | Error) => void) | undefined;
  const next = (timeoutMs: number) =>
    new Promise<FuzzReply | "ready" | Error>((resolve) => {
      const timer = setTimeout(() => resolve(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      replies = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
    });
  const start = async (): Promise<void> => {
    const w = new Worker(new URL("./helpers/fuzz-worker.js", import.meta.url));
    w.on("message", (message: FuzzReply | "ready") => replies?.(message));
    w.on("error", (error) => replies?.(error));
    w.on("exit", (code) => replies?.(new Error(`the worker exited with code ${code}`)));
    worker = w;
    const ready = await next(STARTUP_MS);
    if (ready !== "ready") throw new Error(`the lint worker did not start: ${JSON.stringify(ready)}`);
  };

  await start();
  try {
    for (const file of files) {
      const request: FuzzRequest = { id: file.index, text: file.text, filePath: file.filePath };
      const answer = next(HANG_GUARD_MS);
      worker!.postMessage(request);
      const reply = await answer;
      if (reply instanceof Error || reply === "ready") {
        onFailure(file, `hung or crashed: ${String(reply)}`);
        replies = undefined;
        // Terminating a worker inside a native call can abort the whole process: the failure is already printed.
        await worker!.terminate();
        await start();
        continue;
      }
      if (reply.error) onFailure(file, `lintText rejected: ${reply.error.split("\n").slice(0, 3).join(" | ")}`);
      if (reply.fatal.length > 1) onFailure(file, `${reply.fatal.length} fatal messages: ${reply.fatal.join(" | ")}`);
      if (reply.analysisFailed.length > 0)
        onFailure(file, `a rule could not analyse the file: ${reply.analysisFailed[0]}`);
      if (reply.ms > HANG_GUARD_MS) onFailure(file, `took ${Math.round(reply.ms)} ms`);
    }
  } finally {
    replies = undefined;
    await worker?.terminate();
  }
}

test("mutated fixtures never crash, hang or fail an analysis", { timeout: 600_000 }, async (t) => {
  t.diagnostic(`seed ${SEED} (API_POSTURE_FUZZ_SEED=${SEED} replays it), ${FILES} files`);
  const files = fuzzFiles(SEED, FILES);
  assert.ok(
    files.some((f) => f.fixture.endsWith(".cs")) && files.some((f) => !f.fixture.endsWith(".cs")),
    "both languages are fuzzed",
  );
  const failures: string[] = [];
  await lintAll(files, (file, reason) => {
    const failure = `#${file.index} ${file.fixture} [${file.mutations.join(", ")}]: ${reason}`;
    failures.push(failure);
    // Printed at once, so that it is seen even if a native crash ends the process.
    process.stderr.write(`fuzz seed ${SEED} failure ${failure}\n`);
  });
  assert.deepEqual(failures, [], `seed ${SEED}: ${failures.length} of ${files.length} files failed`);
});
