/**
 * The worker thread tests/fuzz.test.ts lints its files in: one ESLint (10) with
 * recommended-soc2, one file per message. A worker can be terminated when a file hangs,
 * which a timer on the test's own thread could never interrupt.
 */
import { parentPort } from "node:worker_threads";
import { ESLint } from "eslint";
import plugin from "../../lib/index.js";
import { ROOT } from "./paths.js";

export interface FuzzRequest {
  id: number;
  text: string;
  filePath: string;
}

export interface FuzzReply {
  id: number;
  ms: number;
  /** Fatal messages (parsing errors) of the file. */
  fatal: string[];
  /** Messages of rules that could not analyse the file (create-rule's `analysisFailed`). */
  analysisFailed: string[];
  /** The rejection of `lintText`, if it rejected. */
  error?: string;
}

const eslint = new ESLint({
  cwd: ROOT,
  overrideConfigFile: true,
  overrideConfig: [...plugin.configs["recommended-soc2"]] as never,
});

parentPort!.on("message", (request: FuzzRequest) => void answer(request));

async function answer({ id, text, filePath }: FuzzRequest): Promise<void> {
  const start = performance.now();
  let reply: FuzzReply;
  try {
    const [result] = await eslint.lintText(text, { filePath });
    const messages = result?.messages ?? [];
    reply = {
      id,
      ms: performance.now() - start,
      fatal: messages.filter((m) => m.fatal).map((m) => m.message),
      analysisFailed: messages
        .filter((m) => m.messageId === "analysisFailed" || /could not analyse this file/u.test(m.message))
        .map((m) => `${m.ruleId}: ${m.message}`),
    };
  } catch (error) {
    reply = {
      id,
      ms: performance.now() - start,
      fatal: [],
      analysisFailed: [],
      error: String((error as Error)?.stack ?? error),
    };
  }
  parentPort!.postMessage(reply);
}

parentPort!.postMessage("ready");
