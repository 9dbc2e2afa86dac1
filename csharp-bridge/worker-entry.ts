/**
 * The parser worker thread's entry. It tells ESLint's thread it runs before it loads the
 * parser and the adapter, so that a failure to load them comes back as the answer to every
 * request (one clear message per C# file) instead of a thread that never answers.
 */
import { workerData } from "node:worker_threads";
import type { WorkerReply, WorkerRequest } from "./protocol.js";
import { markStarted, serveSyncRequests, type SyncWorkerData } from "./sync-worker.js";

const data = workerData as SyncWorkerData;
markStarted(data);
let handler: (request: WorkerRequest) => Promise<WorkerReply>;
try {
  ({ handleRequest: handler } = await import("./worker.js"));
} catch (error) {
  handler = () => Promise.reject(error instanceof Error ? error : new Error(String(error)));
}
serveSyncRequests(data, handler);
