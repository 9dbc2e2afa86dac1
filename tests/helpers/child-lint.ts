/**
 * Lints a directory through ESLint's Node API in a child process, so that a crash (a V8
 * fatal error cannot be caught) or a hang of the linter fails a test instead of taking
 * the test runner with it.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { EslintVersion } from "./eslint.js";

export interface ChildMessage {
  ruleId: string | null;
  fatal: boolean;
  line: number;
  message: string;
  messageId?: string;
}

export interface ChildLint {
  /** By file name (relative to the directory). */
  results: Map<string, ChildMessage[]>;
  /** Whether the child ran code of these packages (CommonJS modules in `require.cache`; reading a manifest does not count). */
  loaded: { typescript: boolean; typescriptEslintParser: boolean };
  stderr: string;
}

const CHILD = `
import { createRequire } from "node:module";
import path from "node:path";
const [api, dir] = process.argv.slice(1);
const { ESLint } = await import(api);
const eslint = new ESLint({ cwd: dir });
const results = await eslint.lintFiles(["."]);
const cache = Object.keys(createRequire(import.meta.url).cache).map((file) => file.split(path.sep).join("/"));
process.stdout.write(JSON.stringify({
  results: results.map((r) => [path.relative(dir, r.filePath).split(path.sep).join("/"), r.messages.map((m) => ({ ruleId: m.ruleId, fatal: m.fatal === true, line: m.line, message: m.message, messageId: m.messageId }))]),
  loaded: {
    typescript: cache.some((file) => file.includes("/node_modules/typescript/") && file.endsWith(".js")),
    typescriptEslintParser: cache.some((file) => file.includes("/node_modules/@typescript-eslint/parser/") && file.endsWith(".js")),
  },
}));
`;

/** `preload`: a CommonJS file run first with `--require` (to change how modules resolve). */
export async function lintInChild(
  version: EslintVersion,
  dir: string,
  options: { preload?: string; timeoutMs?: number } = {},
): Promise<ChildLint> {
  const api = pathToFileURL(path.join(path.dirname(version.bin), "../lib/api.js")).href;
  const args = [
    ...(options.preload ? ["--require", options.preload] : []),
    "--input-type=module",
    "-e",
    CHILD,
    api,
    dir,
  ];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, {
      timeout: options.timeoutMs ?? 60_000,
      maxBuffer: 256 * 1024 * 1024,
    });
    const parsed = JSON.parse(stdout) as { results: [string, ChildMessage[]][]; loaded: ChildLint["loaded"] };
    return { results: new Map(parsed.results), loaded: parsed.loaded, stderr };
  } catch (error) {
    const e = error as { code?: unknown; signal?: unknown; killed?: boolean; stderr?: string };
    const tail = String(e.stderr ?? "")
      .split("\n")
      .filter((line) => /error|fatal/i.test(line))
      .slice(0, 5)
      .join("\n");
    throw new Error(
      `ESLint's child process ended with ${e.killed ? "a timeout" : `code ${String(e.code)} signal ${String(e.signal)}`}:\n${tail}`,
    );
  }
}
