/**
 * One configuration over one language of the corpus, in a process of its own, so that
 * the process's peak resident memory (main thread and the C# parser worker together)
 * belongs to that configuration alone. Prints one JSON line for bench/run.ts.
 *
 *   node dist/bench/peak.js <ts|csharp> <parse-only|recommended> <corpus dir>
 */
import { engines } from "./engines.js";

const [language, config, dir] = process.argv.slice(2) as ["ts" | "csharp", "parse-only" | "recommended", string];
const { recommended, parseOnly } = engines(dir, language);
const eslint = config === "recommended" ? recommended : parseOnly;
const cpuStart = process.cpuUsage();
const results = await eslint.lintFiles([language]);
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(
  `${JSON.stringify({ files: results.length, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
