/**
 * A worker thread called synchronously: the caller posts a request and blocks on a
 * shared counter (`Atomics.wait`) until the worker posts its answer and bumps the
 * counter; the answer is taken off the port with `receiveMessageOnPort`. This is what
 * lets ESLint's synchronous parse use tree-sitter's WebAssembly runtime, which can only
 * be started asynchronously.
 *
 * The same primitive as synckit, kept to what this needs: no output capture or id
 * bookkeeping (a call costs about 0.06 ms instead of 0.4 ms, and a run makes two per C#
 * file), and a worker that does not answer in time is terminated so the next call gets
 * a fresh one.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";

/** What the worker posts back: its handler's value, or the message of what it threw. */
export type WorkerAnswer<Reply> = { ok: true; value: Reply } | { ok: false; error: string };

/** The data a worker made by SyncWorker receives (`workerData`). */
export interface SyncWorkerData {
  port: MessagePort;
  /** [0] is bumped by the worker after each answer it posts; [1] is set once the worker runs. */
  signal: Int32Array;
}

const ANSWERS = 0;
const STARTED = 1;

/**
 * A worker that has not run a line of its own code after this long did not start: Node
 * failed to boot it (a flag of the process it rejects, a broken install). Its exit cannot
 * be seen while this thread waits, so the wait is cut short instead of running to the end.
 */
const STARTUP_TIMEOUT_MS = 15_000;

/** Options of this process Node refuses, or that mean nothing, in a worker thread. */
const PROCESS_ONLY_OPTION = /^(?:--input-type|--test|--watch|--check$|-c$|--interactive$|-i$)/u;
const OPTION_WITH_SCRIPT = new Set(["-e", "--eval", "-p", "--print"]);

/** The process's Node options, less those a worker cannot take (`node --input-type=module -e …` runs). */
function workerExecArgv(): string[] {
  const out: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const option = process.execArgv[i];
    if (OPTION_WITH_SCRIPT.has(option)) i++;
    else if (!PROCESS_ONLY_OPTION.test(option) && !/^--(?:eval|print)=/u.test(option)) out.push(option);
  }
  return out;
}

export class WorkerTimeout extends Error {}

export class SyncWorker<Request, Reply> {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #signal = new Int32Array(new SharedArrayBuffer(8));
  readonly #created = performance.now();
  #terminated = false;

  constructor(file: URL) {
    const { port1, port2 } = new MessageChannel();
    const data: SyncWorkerData = { port: port2, signal: this.#signal };
    this.#worker = new Worker(file, { workerData: data, transferList: [port2], execArgv: workerExecArgv() });
    // Neither the worker nor its port may keep the process alive once ESLint is done.
    this.#worker.unref();
    port1.unref();
    this.#port = port1;
  }

  get terminated(): boolean {
    return this.#terminated;
  }

  /** Sends `request` and waits up to `timeoutMs` for the answer; on time-out the worker is terminated. */
  call(request: Request, timeoutMs: number): Reply {
    if (this.#terminated) throw new Error("the worker was terminated");
    this.#port.postMessage(request);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const received = receiveMessageOnPort(this.#port);
      if (received) {
        Atomics.sub(this.#signal, ANSWERS, 1);
        const answer = received.message as WorkerAnswer<Reply>;
        if (!answer.ok) throw new Error(answer.error);
        return answer.value;
      }
      const now = performance.now();
      if (Atomics.load(this.#signal, STARTED) === 0 && now - this.#created > STARTUP_TIMEOUT_MS) {
        this.terminate();
        throw new WorkerTimeout(`the worker thread did not start within ${STARTUP_TIMEOUT_MS / 1000} s`);
      }
      const left = deadline - now;
      if (left <= 0) {
        this.terminate();
        throw new WorkerTimeout(`no answer within ${Math.round(timeoutMs / 1000)} s`);
      }
      // Short waits while the worker has not started, so a failed start is noticed.
      Atomics.wait(this.#signal, ANSWERS, 0, Atomics.load(this.#signal, STARTED) === 0 ? Math.min(left, 100) : left);
    }
  }

  terminate(): void {
    this.#terminated = true;
    void this.#worker.terminate();
  }
}

/** The worker's first act: tells the caller it runs, before it loads anything that could fail. */
export function markStarted(data: SyncWorkerData): void {
  Atomics.store(data.signal, STARTED, 1);
}

/**
 * The worker's side: answers each request with `handler`'s value, or with the message of
 * what it threw, and wakes the caller.
 */
export function serveSyncRequests<Request, Reply>(
  data: SyncWorkerData,
  handler: (request: Request) => Reply | Promise<Reply>,
): void {
  const { port, signal } = data;
  port.on("message", (request: Request) => {
    void (async () => {
      let answer: WorkerAnswer<Reply>;
      try {
        answer = { ok: true, value: await handler(request) };
      } catch (error) {
        answer = { ok: false, error: String((error as Error)?.message ?? error) };
      }
      port.postMessage(answer);
      Atomics.add(signal, ANSWERS, 1);
      Atomics.notify(signal, ANSWERS);
    })();
  });
}
