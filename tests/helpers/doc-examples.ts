/**
 * The code examples of a Markdown page, classified by their fence's info string:
 *
 *     ```ts bad            reported: every finding is marked `// ruleid: AP203` above its line
 *     ```csharp good       not reported: no finding, no parse error, no unused directive
 *     ```csharp good Program.cs   … linted as a file of that name
 *     ```js config         a whole eslint.config.js, loaded by ESLint
 *     ```ts fragment       shown for reading only, never linted
 *
 * GitHub renders the first word as the language and ignores the rest. Blocks in other
 * languages (`text`, `sh`, `json`) are not examples and need no class.
 */

export type ExampleKind = "bad" | "good" | "config" | "fragment";
export type ExampleLanguage = "ts" | "tsx" | "js" | "jsx" | "csharp";

export interface CodeBlock {
  /** The page, relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  info: string;
  code: string;
  /** The headings the block stands under, outermost first (`["AP101 …", "Examples", "C#"]`). */
  headings: string[];
}

export interface Example extends CodeBlock {
  language: ExampleLanguage;
  kind: ExampleKind;
  /** The file name to lint the example as. */
  fileName: string;
}

/** The info-string words that name a lintable language, and the file extension they lint as. */
const LANGUAGES: Record<string, { language: ExampleLanguage; extension: string }> = {
  ts: { language: "ts", extension: ".ts" },
  typescript: { language: "ts", extension: ".ts" },
  tsx: { language: "tsx", extension: ".tsx" },
  js: { language: "js", extension: ".js" },
  javascript: { language: "js", extension: ".js" },
  mjs: { language: "js", extension: ".mjs" },
  cjs: { language: "js", extension: ".cjs" },
  jsx: { language: "jsx", extension: ".jsx" },
  csharp: { language: "csharp", extension: ".cs" },
  cs: { language: "csharp", extension: ".cs" },
  "c#": { language: "csharp", extension: ".cs" },
};
const KINDS = new Set<string>(["bad", "good", "config", "fragment"]);
const DEFAULT_NAMES: Record<ExampleLanguage, string> = {
  ts: "routes",
  tsx: "Page",
  js: "routes",
  jsx: "Page",
  csharp: "Example",
};

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/u;
const HEADING = /^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/u;

/** Every fenced code block of a Markdown text, with the headings it stands under. */
export function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/u);
  const blocks: CodeBlock[] = [];
  const headings: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const heading = HEADING.exec(lines[index]);
    if (heading) {
      headings.length = Math.max(0, heading[1].length - 1);
      headings[heading[1].length - 1] = heading[2]!;
      continue;
    }
    const open = FENCE.exec(lines[index]);
    if (!open) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const close = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`, "u");
    let end = index + 1;
    while (end < lines.length && !close.test(lines[end])) end++;
    const body = lines
      .slice(index + 1, end)
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()));
    blocks.push({
      file,
      line: index + 1,
      info: info.trim(),
      code: `${body.join("\n")}\n`,
      headings: headings.filter(Boolean),
    });
    index = end;
  }
  return blocks;
}

/**
 * The examples among the blocks: every block in a lintable language, with its class.
 * Throws for a block without a language, a lintable block without a class, and words
 * in an info string that mean nothing here, so that no example escapes by accident.
 */
export function classify(block: CodeBlock): Example | undefined {
  const where = `${block.file}:${block.line}`;
  const [languageWord = "", ...rest] = block.info.split(/\s+/u).filter(Boolean);
  if (!languageWord)
    throw new Error(`${where}: a code block without a language; name it (\`\`\`ts bad, \`\`\`text, …)`);
  const language = LANGUAGES[languageWord.toLowerCase()];
  if (!language) return undefined;
  const [kind, ...names] = rest;
  if (!kind || !KINDS.has(kind)) {
    throw new Error(
      `${where}: \`\`\`${block.info} is not classified; write \`\`\`${languageWord} bad, good, config or fragment`,
    );
  }
  if (kind === "config" && language.language !== "js")
    throw new Error(`${where}: a config example is an eslint.config.js (\`\`\`js config)`);
  // A config example may be any of ESLint's config file names: .mjs in a CommonJS package, .cjs with require().
  const allowed =
    kind === "config"
      ? /^eslint\.config\.(?:js|mjs|cjs)$/u
      : new RegExp(`${language.extension.replace(".", "\\.")}$`, "u");
  if (names.length > 1 || (names[0] !== undefined && !allowed.test(names[0]))) {
    const expected =
      kind === "config" ? "eslint.config.js, .mjs or .cjs" : `a file name ending in ${language.extension}`;
    throw new Error(`${where}: after the class, only ${expected} may follow (\`\`\`${block.info})`);
  }
  const fileName =
    names[0] ?? (kind === "config" ? "eslint.config.js" : `${DEFAULT_NAMES[language.language]}${language.extension}`);
  return { ...block, language: language.language, kind: kind as ExampleKind, fileName };
}
