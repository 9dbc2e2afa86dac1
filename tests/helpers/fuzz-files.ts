/**
 * The files tests/fuzz.test.ts lints: the project's fixtures (TS/JS and C#) with one to
 * three mutations each, drawn from a seeded generator, so a seed always gives the same files.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Rng } from "../../bench/corpus-kit.js";
import { FIXTURES, ROOT } from "./paths.js";

/** The benchmark's seeded source (mulberry32), with `int(n)` in [0, n). */
function random(seed: number) {
  const rng = new Rng(seed);
  const int = (n: number): number => rng.int(0, n - 1);
  return { next: () => rng.next(), int, pick: <T>(items: readonly T[]): T => rng.pick(items) };
}

type Random = ReturnType<typeof random>;

interface Mutation {
  name: string;
  apply(text: string, rng: Random): string;
}

const insertAt = (text: string, at: number, inserted: string): string => text.slice(0, at) + inserted + text.slice(at);

const ODD_UNICODE = [
  "😀",
  "👩‍💻",
  "\u180E",
  "\u0085",
  "\uFFFD",
  "\uD800",
  "\uDC00",
  "\uDBFF",
  "\u2028",
  "\u2029",
  "\uFEFF",
  "\u200D",
  "\u202E",
  "\u00A0",
  "\u0000",
];
const RUN_CHARACTERS = ["{", "}", "(", ")", "[", "]", '"', "'", "`", "<", "/*", "*/", "${", '@"', '$"', '"""'];

const MUTATIONS: Mutation[] = [
  { name: "truncate", apply: (text, rng) => text.slice(0, rng.int(text.length + 1)) },
  {
    name: "flip bytes",
    apply: (text, rng) => {
      const bytes = Buffer.from(text, "utf8");
      for (let k = 1 + rng.int(8); k > 0 && bytes.length > 0; k--) bytes[rng.int(bytes.length)] ^= 1 << rng.int(8);
      return new TextDecoder().decode(bytes);
    },
  },
  {
    name: "run of brackets or quotes",
    apply: (text, rng) =>
      insertAt(
        text,
        rng.int(text.length + 1),
        rng.pick(RUN_CHARACTERS).repeat(1 + rng.int(rng.next() < 0.8 ? 50 : 3_000)),
      ),
  },
  {
    name: "stray #",
    apply: (text, rng) => {
      let out = text;
      for (let k = 1 + rng.int(4); k > 0; k--)
        out = insertAt(
          out,
          rng.int(out.length + 1),
          rng.pick([
            "#",
            "#if",
            "#endif",
            "#region",
            "#pragma warning disable",
            "#!",
            "#nullable",
            "\n#if DEBUG\n",
            "\n#else\n",
          ]),
        );
      return out;
    },
  },
  {
    name: "odd Unicode",
    apply: (text, rng) => {
      let out = text;
      for (let k = 1 + rng.int(6); k > 0; k--) out = insertAt(out, rng.int(out.length + 1), rng.pick(ODD_UNICODE));
      return out;
    },
  },
  {
    name: "very long line",
    apply: (text, rng) => {
      const n = 20_000 + rng.int(200_000);
      const line = rng.pick([
        () => `"${"x".repeat(n)}"`,
        () => "a".repeat(n),
        () => `// ${"y".repeat(n)}`,
        () => "a, ".repeat(n / 3),
        () => `x = ${"1 + ".repeat(n / 4)}1;`,
        () => " ".repeat(n),
      ])();
      return insertAt(text, rng.int(text.length + 1), `\n${line}\n`);
    },
  },
  {
    name: "deep nesting",
    apply: (text, rng) => {
      const n = 50 + rng.int(rng.next() < 0.5 ? 500 : 5_000);
      const [open, close] = rng.pick([
        ["{", "}"],
        ["(", ")"],
        ["[", "]"],
        ["if (a) {\n", "}\n"],
        ["f(() => {", "})"],
        ["a.", ""],
        ["!", ""],
        ["<div>", "</div>"],
      ] as const);
      const closed = rng.next() < 0.6;
      return insertAt(text, rng.int(text.length + 1), open.repeat(n) + (closed ? close.repeat(n) : ""));
    },
  },
  {
    name: "splice",
    apply: (text, rng) => {
      const from = rng.int(text.length + 1);
      const to = Math.min(text.length, from + rng.int(400));
      return rng.next() < 0.5
        ? text.slice(0, from) + text.slice(to)
        : insertAt(text, rng.int(text.length + 1), text.slice(from, to));
    },
  },
];

export interface FuzzFile {
  index: number;
  fixture: string;
  mutations: string[];
  text: string;
  filePath: string;
}

function fixtures(): { relative: string; text: string }[] {
  const out: { relative: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(?:[cm]?[jt]sx?|cs)$/u.test(entry.name) && entry.name !== "eslint.config.js")
        out.push({ relative: path.relative(FIXTURES, full), text: readFileSync(full, "utf8") });
    }
  };
  walk(FIXTURES);
  return out;
}

export function fuzzFiles(seed: number, count: number): FuzzFile[] {
  const rng = random(seed);
  const corpus = fixtures();
  return Array.from({ length: count }, (_, index) => {
    const fixture = rng.pick(corpus);
    let text = fixture.text;
    const mutations: string[] = [];
    for (let k = 1 + rng.int(3); k > 0; k--) {
      const mutation = rng.pick(MUTATIONS);
      text = mutation.apply(text, rng);
      mutations.push(mutation.name);
    }
    // A path under the project, in a folder of its own, with the fixture's name and extension.
    return {
      index,
      fixture: fixture.relative,
      mutations,
      text,
      filePath: path.join(ROOT, "fuzz", String(index), fixture.relative),
    };
  });
}
