/**
 * Seeded fuzzing of both languages: the project's own fixtures and example services,
 * mutated the ways broken and hostile files look (truncation, flipped characters, runs of
 * braces and quotes, stray `#`, odd Unicode, very long lines, deep nesting), linted with
 * recommended-soc2 through ESLint's Node API, as an editor does on every keystroke.
 *
 * Every file must end in findings or one clear message: no rejected lint, no crash of a
 * rule, at most one parsing error, and no file may hold up the run (a hang guard, not a
 * timing check). The seed is printed; API_POSTURE_FUZZ_SEED=<n> replays a run and
 * API_POSTURE_FUZZ_FILES=<n> changes its size.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import plugin from "../lib/index.js";
import { FIXTURES, ROOT } from "./helpers/paths.js";

const SEED = Number(process.env.API_POSTURE_FUZZ_SEED ?? 0x5eed);
const FILES = Number(process.env.API_POSTURE_FUZZ_FILES ?? 300);
/** Far above what any file takes; only a hang trips it. */
const HANG_GUARD_MS = 10_000;

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sources(): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (name === "node_modules") continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(?:ts|cs)$/u.test(name) && !name.endsWith(".d.ts")) out.push({ file: full, text: readFileSync(full, "utf8") });
    }
  };
  walk(FIXTURES);
  walk(path.join(ROOT, "examples"));
  return out;
}

const ODD = ["\u{1F600}", "\u180E", "\u0085", "\uFFFD", "\uD800", "\u2028", "\u0000", "\u200B", "\uFEFF", "é"];
const NOISE = ["{", "}", "(", ")", "[", "]", '"', "'", "`", "#", "/", "\\", ";", "@", "$", "<", ">", "=", "*", "\n"];

type Mutation = (text: string, rand: () => number) => string;

const at = (text: string, rand: () => number) => Math.floor(rand() * (text.length + 1));
const insert = (text: string, i: number, piece: string) => text.slice(0, i) + piece + text.slice(i);
const pick = <T>(items: readonly T[], rand: () => number): T => items[Math.floor(rand() * items.length)]!;

const MUTATIONS: Record<string, Mutation> = {
  truncate: (text, rand) => text.slice(0, at(text, rand)),
  flip: (text, rand) => {
    const chars = [...text];
    const flips = 1 + Math.floor(rand() * 20);
    for (let i = 0; i < flips && chars.length > 0; i++) chars[Math.floor(rand() * chars.length)] = pick(rand() < 0.7 ? NOISE : ODD, rand);
    return chars.join("");
  },
  braceRun: (text, rand) => insert(text, at(text, rand), pick(["{", "}", "(", "["], rand).repeat(1 + Math.floor(rand() * 5000))),
  quoteRun: (text, rand) => insert(text, at(text, rand), pick(['"', "'", "`", '"""', '@"'], rand).repeat(1 + Math.floor(rand() * 2000))),
  strayHash: (text, rand) => insert(text, at(text, rand), pick(["#", "#if X\n", "#else\n", "#endif\n", "#pragma warning disable AP101\n", "#region\n"], rand)),
  oddUnicode: (text, rand) => insert(text, at(text, rand), pick(ODD, rand).repeat(1 + Math.floor(rand() * 50))),
  longLine: (text, rand) => insert(text, at(text, rand), rand() < 0.5 ? "x".repeat(50_000) : `"${"a".repeat(50_000)}"`),
  deepNesting: (text, rand) => {
    const depth = 100 + Math.floor(rand() * 700);
    return insert(text, at(text, rand), `${"if (a) { ".repeat(depth)}${"} ".repeat(rand() < 0.5 ? depth : 0)}`);
  },
  duplicate: (text, rand) => {
    const from = at(text, rand);
    return insert(text, at(text, rand), text.slice(from, from + Math.floor(rand() * 2000)).repeat(1 + Math.floor(rand() * 20)));
  },
};

/** A failure of the analysis itself, as opposed to a file too odd to analyse within its budget. */
const INTERNAL_FAILURE = /could not analyse this file \((?!the analysis took longer than|the file is nested too deeply)/u;

test(`seeded fuzzing of TypeScript and C# files (seed ${SEED}, ${FILES} files)`, { timeout: 600_000 }, async (t) => {
  t.diagnostic(`seed ${SEED}: replay with API_POSTURE_FUZZ_SEED=${SEED}`);
  const rand = random(SEED);
  const corpus = sources();
  assert.ok(corpus.some((s) => s.file.endsWith(".ts")) && corpus.some((s) => s.file.endsWith(".cs")), "fixtures of both languages");
  const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: plugin.configs["recommended-soc2"] });
  const names = Object.keys(MUTATIONS);
  const problems: string[] = [];
  const tally = { ts: 0, cs: 0, findings: 0, parsingErrors: 0, notAnalysed: 0 };
  for (let i = 0; i < FILES; i++) {
    const source = corpus[i % 2 === 0 ? Math.floor(rand() * corpus.length) : i % corpus.length]!;
    const mutation = pick(names, rand);
    let text = MUTATIONS[mutation]!(source.text, rand);
    if (rand() < 0.3) text = MUTATIONS[pick(names, rand)]!(text, rand);
    const filePath = path.join(path.dirname(source.file), `fuzz-${i}${path.extname(source.file)}`);
    const label = `#${i} ${mutation} of ${path.relative(ROOT, source.file)}`;
    const started = performance.now();
    let results: ESLint.LintResult[];
    try {
      results = await eslint.lintText(text, { filePath });
    } catch (error) {
      problems.push(`${label}: lintText rejected: ${(error as Error).message.split("\n")[0]}`);
      continue;
    }
    const elapsed = performance.now() - started;
    if (elapsed > HANG_GUARD_MS) problems.push(`${label}: took ${Math.round(elapsed)} ms`);
    const messages = results[0]?.messages ?? [];
    const fatal = messages.filter((m) => m.fatal);
    tally[filePath.endsWith(".cs") ? "cs" : "ts"]++;
    tally.parsingErrors += fatal.length;
    tally.findings += messages.filter((m) => m.ruleId?.startsWith("api-posture/") && !/could not analyse/u.test(m.message)).length;
    tally.notAnalysed += messages.filter((m) => /could not analyse/u.test(m.message)).length;
    if (messages.some((m) => m.message.startsWith("File ignored"))) problems.push(`${label}: ignored`);
    if (fatal.length > 1) problems.push(`${label}: ${fatal.length} parsing errors`);
    if (fatal.length === 1 && messages.length > 1) problems.push(`${label}: a parsing error and ${messages.length - 1} other messages`);
    for (const message of messages) {
      if (INTERNAL_FAILURE.test(message.message)) problems.push(`${label}: ${message.message}`);
    }
  }
  t.diagnostic(JSON.stringify(tally));
  assert.deepEqual(problems, []);
  // Most mutants still parse: the run exercised the rules, not only the parsers.
  assert.ok(tally.findings > FILES / 2, `findings on mutated files: ${tally.findings}`);
});
