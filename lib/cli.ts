#!/usr/bin/env node
/**
 * `api-posture`: the command line (cli/main.ts). `api-posture [scan] [paths…]` lints
 * TypeScript/JavaScript and C# with the api-posture rules and reports; `api-posture
 * inventory` lists the endpoints.
 */
import { main } from "./cli/main.js";

main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`api-posture: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
