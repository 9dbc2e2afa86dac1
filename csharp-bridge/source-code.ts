/**
 * SourceCode for C#: text, lines and locations from @eslint/plugin-kit, and the three ways
 * C# code switches rules off, from what the parser worker read of the file:
 *  - ESLint comments (`// eslint-disable-next-line …`, `/* eslint rule: "off" *\/`),
 *  - `#pragma warning disable AP101` … `#pragma warning restore AP101`,
 *  - `[SuppressMessage("ApiPosture", "AP101:…", Justification = "…")]` on a type or member,
 *  - `[assembly: SuppressMessage("ApiPosture", "AP101:…", Scope = …, Target = …)]` in any file
 *    of the project (`GlobalSuppressions.cs`), found through the project index.
 * The tree itself stays in the worker; `model()` asks the worker for the file model.
 */
import { ConfigCommentParser, Directive, TextSourceCodeBase, VisitNodeStep } from "@eslint/plugin-kit";
import type { RulesConfig } from "@eslint/core";
import type { FileModel, Loc } from "../lib/core/model.js";
import { modelInWorker } from "./host.js";
import { projectIndexFor } from "../lib/core/project/index.js";
import type { GlobalSuppression } from "../lib/core/project/summary.js";
import { GLOBAL_SUPPRESSIONS } from "./project.js";
import { reachOf } from "./roslyn/global-suppressions.js";
import { recordGlobalSites, type GlobalSite } from "./roslyn/sites.js";
import type { FileScan } from "./scan.js";
import type { ModelWithParse } from "./protocol.js";

/** The root node ESLint sees. Rules get everything else from the file model. */
export interface CSharpRoot {
  type: "compilation_unit";
  range: [number, number];
  loc: Loc;
  /** Whether tree-sitter had to recover from syntax errors. */
  hasError: boolean;
}

export interface CSharpComment {
  type: "comment";
  /** Text without the comment delimiters, as ESLint's directive parser expects. */
  value: string;
  range: [number, number];
  loc: Loc;
}

/** A synthetic node that only carries a location, for directives made from pragmas and attributes. */
interface LocatedNode {
  type: "pragma" | "attribute" | "global-suppression";
  range: [number, number];
  loc: Loc;
  /** A global suppression's attribute: its file (absolute) and line. */
  source?: { file: string; line: number };
}

interface InlineConfigProblem {
  ruleId: null;
  message: string;
  loc: Loc;
}

const commentParser = new ConfigCommentParser();
const INLINE_CONFIG = /^\s*(?:eslint(?:-disable|-enable|-disable-next-line|-disable-line)?|globals?|exported)(?:\s|$)/u;
const PRAGMA = /^#\s*pragma\s+warning\s+(disable|restore)\b([^\r\n]*)/u;
const RULE_ID = /^(AP\d{3})\b/u;

export class CSharpSourceCode extends TextSourceCodeBase<{
  LangOptions: Record<string, unknown>;
  RootNode: CSharpRoot;
  SyntaxElementWithLoc: { loc: Loc; range: [number, number] };
  ConfigNode: CSharpComment;
}> {
  /** The worker's handle on this file's tree. */
  readonly #id: number;
  readonly #scan: FileScan;
  /** The model that came with the parse, if the worker built one. */
  readonly #modelWithParse: ModelWithParse | undefined;
  readonly #maxParseTime: number;
  /** `AP101` → `api-posture/require-route-auth`, for pragmas and SuppressMessage. */
  readonly #ruleNames: ReadonlyMap<string, string>;
  /** The file's path as ESLint gave it, for the project's global suppressions. */
  readonly #filename: string | undefined;
  #comments: CSharpComment[] | undefined;
  #disableDirectives: { problems: InlineConfigProblem[]; directives: Directive[] } | undefined;
  #inlineConfigComments: CSharpComment[] | undefined;

  constructor({
    text,
    ast,
    id,
    scan,
    model,
    maxParseTime,
    ruleNames,
    filename,
  }: {
    text: string;
    ast: CSharpRoot;
    id: number;
    scan: FileScan;
    model?: ModelWithParse | undefined;
    maxParseTime: number;
    ruleNames: ReadonlyMap<string, string>;
    filename?: string | undefined;
  }) {
    super({ text, ast });
    this.#id = id;
    this.#scan = scan;
    this.#modelWithParse = model;
    this.#maxParseTime = maxParseTime;
    this.#ruleNames = ruleNames;
    this.#filename = filename;
  }

  /** Every `//`, `///` and `/* *\/` comment in the file. */
  get comments(): CSharpComment[] {
    this.#comments ??= this.#scan.comments.map(({ value, range, loc }) => ({ type: "comment", value, range, loc }));
    return this.#comments;
  }

  /**
   * The file model, built by the adapter in the parser worker. String literals come back
   * with ranges; their locations are read here, from this file's line index.
   */
  model(settings: unknown, filename: string): FileModel {
    const model = modelInWorker(this.#id, this.text, settings, filename, this.#maxParseTime, this.#modelWithParse);
    const literals = model.literals.map(({ range, ...literal }) => ({
      ...literal,
      loc: { start: this.getLocFromIndex(range[0]), end: this.getLocFromIndex(range[1]) },
    }));
    return { ...model, literals };
  }

  getInlineConfigNodes(): CSharpComment[] {
    this.#inlineConfigComments ??= this.comments.filter((comment) => INLINE_CONFIG.test(comment.value));
    return this.#inlineConfigComments;
  }

  /**
   * Read once per file: ESLint asks before the rules run, and the CLI's inventory rule asks
   * again (the project's global suppressions come from the project index).
   */
  getDisableDirectives(): { problems: InlineConfigProblem[]; directives: Directive[] } {
    this.#disableDirectives ??= this.#readDisableDirectives();
    return this.#disableDirectives;
  }

  #readDisableDirectives(): { problems: InlineConfigProblem[]; directives: Directive[] } {
    const problems: InlineConfigProblem[] = [];
    const directives: Directive[] = [];
    for (const comment of this.getInlineConfigNodes()) {
      const parsed = commentParser.parseDirective(comment.value);
      if (!parsed) continue;
      const { label, value, justification } = parsed;
      if (label === "eslint-disable-line" && comment.loc.start.line !== comment.loc.end.line) {
        problems.push({ ruleId: null, message: `${label} comment should not span multiple lines.`, loc: comment.loc });
        continue;
      }
      if (
        label === "eslint-disable" ||
        label === "eslint-enable" ||
        label === "eslint-disable-next-line" ||
        label === "eslint-disable-line"
      ) {
        const type = label.slice("eslint-".length) as "disable" | "enable" | "disable-next-line" | "disable-line";
        directives.push(new Directive({ type, node: comment, value, justification }));
      }
    }
    directives.push(...this.#pragmaDirectives(), ...this.#blockDirectives());
    return { problems, directives };
  }

  applyInlineConfig(): {
    configs: Array<{ config: { rules: RulesConfig }; loc: Loc }>;
    problems: InlineConfigProblem[];
  } {
    const configs: Array<{ config: { rules: RulesConfig }; loc: Loc }> = [];
    const problems: InlineConfigProblem[] = [];
    for (const comment of this.getInlineConfigNodes()) {
      const parsed = commentParser.parseDirective(comment.value);
      if (parsed?.label !== "eslint") continue;
      const result = commentParser.parseJSONLikeConfig(parsed.value);
      if (result.ok) {
        configs.push({ config: { rules: result.config }, loc: comment.loc });
      } else {
        problems.push({ ruleId: null, message: result.error.message, loc: comment.loc });
      }
    }
    return { configs, problems };
  }

  override traverse(): Iterable<VisitNodeStep> {
    return [
      new VisitNodeStep({ target: this.ast, phase: 1, args: [this.ast, undefined] }),
      new VisitNodeStep({ target: this.ast, phase: 2, args: [this.ast, undefined] }),
    ];
  }

  /** The ESLint name of an api-posture id (`AP101`), or undefined for compiler and other analyzers' ids. */
  #ruleName(id: string): string | undefined {
    return this.#ruleNames.get(id.trim().toUpperCase());
  }

  /**
   * `#pragma warning disable AP101` … `#pragma warning restore AP101`, one directive per
   * api-posture id. A pragma without ids, or with only compiler ids, is about compiler
   * warnings and leaves our rules on. Each directive's range covers just its id (with
   * one separator), so removing an unused one keeps the other ids of the pragma.
   */
  *#pragmaDirectives(): Generator<Directive> {
    for (const pragma of this.#scan.pragmas) {
      const match = PRAGMA.exec(pragma.text);
      if (!match) continue;
      const type = match[1] === "disable" ? "disable" : "enable";
      const commentAt = match[2].indexOf("//");
      const list = commentAt === -1 ? match[2] : match[2].slice(0, commentAt);
      const justification = commentAt === -1 ? "" : match[2].slice(commentAt + 2).trim();
      const listOffset = match[0].length - match[2].length;
      const ids = [...list.matchAll(/[A-Za-z_][\w]*/gu)].map((m) => ({
        text: m[0],
        start: listOffset + m.index,
        end: listOffset + m.index + m[0].length,
      }));
      const loc = pragma.loc;
      for (const [i, id] of ids.entries()) {
        const name = this.#ruleName(id.text);
        if (!name) continue;
        let from: number;
        let to: number;
        // ESLint replaces an unused directive's range with one space.
        if (ids.length === 1) [from, to] = [0, match[0].trimEnd().length];
        else if (i < ids.length - 1)
          [from, to] = [id.start - (/\s*$/u.exec(match[0].slice(0, id.start))?.[0].length ?? 0), ids[i + 1].start];
        else [from, to] = [ids[i - 1].end, id.end];
        const located: LocatedNode = {
          type: "pragma",
          range: [pragma.start + from, pragma.start + to],
          loc: { start: loc.start, end: { line: loc.start.line, column: loc.start.column + to } },
        };
        yield new Directive({ type, node: located, value: name, justification });
      }
    }
  }

  /**
   * `[SuppressMessage("ApiPosture", "AP101:…", Justification = "…")]` switches the rule
   * off from the start of the declaration it is attached to until its end; so does a global
   * suppression of the project for each declaration of this file its target reaches. A block
   * inside another for the same rule adds nothing and is left out, as ESLint's disable/enable
   * pairs do not nest; of two on the same declaration, the attribute on it is kept.
   */
  *#blockDirectives(): Generator<Directive> {
    const found: Block[] = [...this.#suppressMessageBlocks(), ...this.#globalBlocks()];
    const sites: GlobalSite[] = [];
    for (const s of found) {
      if (
        found.some(
          (o) =>
            o !== s &&
            o.name === s.name &&
            o.from <= s.from &&
            o.to >= s.to &&
            (o.from < s.from || o.to > s.to || (o.site === undefined && s.site !== undefined)),
        )
      )
        continue;
      yield new Directive({ type: "disable", node: s.start, value: s.name, justification: s.justification });
      yield new Directive({ type: "enable", node: s.end, value: s.name, justification: s.justification });
      if (s.site) sites.push(s.site);
    }
    if (this.#filename !== undefined) recordGlobalSites(this.#filename, sites);
  }

  *#suppressMessageBlocks(): Generator<Block> {
    for (const suppression of this.#scan.suppressions) {
      const id = RULE_ID.exec(suppression.checkId.trim())?.[1];
      const name = id ? this.#ruleName(id) : undefined;
      if (!name) continue;
      const { declaration, removal, attributeEnd, justification } = suppression;
      yield {
        name,
        from: declaration.range[0],
        to: declaration.range[1],
        justification,
        start: { type: "attribute", range: removal, loc: { start: declaration.loc.start, end: attributeEnd } },
        end: {
          type: "attribute",
          range: [declaration.range[1], declaration.range[1]],
          loc: { start: declaration.loc.end, end: declaration.loc.end },
        },
      };
    }
  }

  /**
   * The project's global suppressions, for each declaration of this file they reach. Where one
   * reaches a namespace or a partial type, whether it was needed is known only across files:
   * the processor (roslyn/processor.ts) then drops ESLint's "unused" report for this file,
   * which `api-posture scan` makes across the project instead.
   */
  *#globalBlocks(): Generator<Block> {
    const filename = this.#filename;
    if (filename === undefined) return;
    for (const { file, suppression } of this.#projectGlobalSuppressions(filename)) {
      const id = RULE_ID.exec(suppression.checkId.trim())?.[1];
      const name = id ? this.#ruleName(id) : undefined;
      if (!name) continue;
      for (const { entry, shared } of reachOf(suppression, this.#scan.outline)) {
        const [from, to] = entry.range;
        const start = this.getLocFromIndex(from);
        const end = this.getLocFromIndex(to);
        const source = { file, line: suppression.line };
        yield {
          name,
          from,
          to,
          justification: suppression.justification,
          // ESLint's fix for an unused directive replaces its node's range with a space. The processor drops
          // that fix; for a config without it, the range is the space before the declaration (a no-op), or empty.
          start: {
            type: "global-suppression",
            range: this.text[from - 1] === " " ? [from - 1, from] : [from, from],
            loc: { start, end: start },
            source,
          },
          end: { type: "global-suppression", range: [to, to], loc: { start: end, end }, source },
          site: { line: start.line, column: start.column, rule: name, shared, source },
        };
      }
    }
  }

  /** `[assembly: SuppressMessage("ApiPosture", …)]` of the project, this file's own as its text is now. */
  #projectGlobalSuppressions(filename: string): Array<{ file: string; suppression: GlobalSuppression }> {
    const found: Array<{ file: string; suppression: GlobalSuppression }> = [];
    for (const suppression of this.#scan.globalSuppressions) found.push({ file: filename, suppression });
    const index = projectIndexFor(filename, "dotnet");
    if (!index) return found;
    for (const file of index.declaring(GLOBAL_SUPPRESSIONS)) {
      if (file === filename) continue;
      for (const suppression of index.summary(file, undefined)?.globalSuppressions ?? [])
        found.push({ file, suppression });
    }
    return found;
  }

  /** The file's path as ESLint gave it (absolute when it lints files on disk). */
  get filename(): string | undefined {
    return this.#filename;
  }

  /** This file's own global suppressions, for the CLI's list of suppressions. */
  get globalSuppressions(): readonly GlobalSuppression[] {
    return this.#scan.globalSuppressions;
  }
}

interface Block {
  name: string;
  from: number;
  to: number;
  justification: string;
  start: LocatedNode;
  end: LocatedNode;
  site?: GlobalSite;
}
