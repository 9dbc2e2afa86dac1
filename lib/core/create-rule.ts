/**
 * Turns a descriptor and a language-neutral `create` into an ESLint rule that runs on
 * TS/JS (`js/js`) and on C# (`api-posture/csharp`).
 *
 * Like typescript-eslint's `createRule<Options, MessageIds>`, a definition is typed by
 * its options and its message ids: a report with a messageId the rule does not declare,
 * an option key that is not in `Options` (in `context.options`, the schema or the
 * defaults) or a schema that leaves out an option does not compile. The definition's
 * `meta` holds what the rule itself owns (messages, schema, default options); the factory
 * adds what follows from the descriptor (type, docs, languages) and frames every message
 * as `<id> <message> SOC 2 <criteria>. Fix: <remedy>`, where the remedy is a field of its
 * own in every report.
 */
import type { RuleDescriptor } from "./descriptor.js";
import { helpUrl, soc2Suffix } from "./descriptor.js";
import type { FileModel, Loc, TextEdit } from "./model.js";
import type { ResolvedSettings } from "./settings.js";
import { ApiPostureSettingsError, resolveSettings } from "./settings.js";
import { analyze, type RuleContextLike } from "./analyze.js";
import { isTestFile } from "./test-files.js";

export const RULE_LANGUAGES = ["js/js", "api-posture/csharp"] as const;

/** The message every rule can use when a file could not be analysed. */
const ANALYSIS_FAILED = "analysisFailed";

/** The options of a rule that has none of its own. */
export type NoOptions = Record<never, never>;

/**
 * The values of a message's `{{placeholders}}`. `remedy` is not one of them: it is the
 * report's own field, so no rule passes text to the framing through `data`.
 */
export type MessageData = Readonly<Record<string, string>> & { readonly remedy?: never };

/**
 * A suggested change the adapter computed: replace `range` of the source text with `text`,
 * or make several `edits` at once (an attribute and the `using` it needs). The edits of one
 * suggestion must not overlap.
 */
export type Suggestion<SuggestionIds extends string = string> = {
  messageId: SuggestionIds;
  data?: MessageData;
} & ({ range: [number, number]; text: string } | { edits: readonly TextEdit[] });

/** One finding. */
export interface Report<MessageIds extends string, SuggestionIds extends string = never> {
  loc: Loc;
  messageId: MessageIds;
  data?: MessageData;
  /** What to do about it, one sentence; the message ends with `Fix: <remedy>`. */
  remedy: string;
  suggest?: readonly Suggestion<SuggestionIds>[];
}

/** What a rule's `create` gets for one file. */
export interface RuleContext<Options, MessageIds extends string, SuggestionIds extends string = never> {
  /** The file's model, built once and shared by every rule. */
  model: FileModel;
  /** The user's options over the defaults. */
  options: Readonly<Options>;
  settings: ResolvedSettings;
  filename: string;
  /** ESLint's working directory. */
  cwd: string;
  /** Adds the descriptor id in front, the SOC 2 criteria and the remedy at the end of the message. */
  report(problem: Report<MessageIds, SuggestionIds>): void;
}

/** The option of every rule that leaves test code alone (`skipsTestFiles`). */
export interface TestCodeOption {
  /** Check test code (`*.test.ts`, `__tests__/`, `*Tests.cs`, `*.Tests/` projects) too. */
  includeTestFiles: boolean;
}

/** The JSON schema of one option: any JSON schema, with a description for the docs. */
export type OptionSchema = { description: string } & Record<string, unknown>;

/** The JSON schema of a rule's single options object: one described property per option, and no others. */
export interface OptionsSchema<Options> {
  type: "object";
  properties: { [Key in keyof Options]-?: OptionSchema };
  additionalProperties: false;
}

export interface RuleMeta<Options, MessageIds extends string> {
  /** Every rule of this plugin finds a problem: code that is or causes an error. */
  type: "problem";
  /** messageId → template. Each is framed as `<id> <template> SOC 2 <criteria>. Fix: {{remedy}}`. */
  messages: Record<MessageIds, string>;
  /** Set when the rule offers suggestions (`suggestionMessages`). */
  hasSuggestions?: true;
  /** One options object. */
  schema: [OptionsSchema<Options>];
  defaultOptions: [Options];
}

export interface RuleDefinition<Options, MessageIds extends string, SuggestionIds extends string = never> {
  descriptor: RuleDescriptor;
  meta: RuleMeta<Options, MessageIds>;
  /** messageId → template of the rule's suggestions, used as written. Requires `meta.hasSuggestions`. */
  suggestionMessages?: Record<SuggestionIds, string>;
  /**
   * Test code is never deployed: the rule skips it unless `includeTestFiles` is set.
   * The factory adds that option to the schema and the defaults.
   */
  skipsTestFiles?: boolean;
  /**
   * False for a rule that only `strict-soc2` turns on: one whose findings on well-built code
   * bases are not yet known to be few enough for `recommended-soc2` (its page says why).
   */
  recommended?: false;
  /** Judges one file's model; called once per file. */
  create(context: RuleContext<Options, MessageIds, SuggestionIds>): void;
}

export interface ApiPostureRule {
  meta: {
    type: "problem";
    docs: { description: string; url: string; recommended: boolean };
    messages: Record<string, string>;
    schema: unknown[];
    defaultOptions: unknown[];
    languages: string[];
    hasSuggestions?: boolean;
  };
  descriptor: RuleDescriptor;
  create(context: RuleContextLike): Record<string, () => void>;
}

/** `AP101 <template> SOC 2 CC6.1, CC6.3. Fix: {{remedy}}`. */
function framed(descriptor: RuleDescriptor, template: string): string {
  return `${descriptor.id} ${template} ${soc2Suffix(descriptor)} Fix: {{remedy}}`;
}

export function createRule<Options, MessageIds extends string, SuggestionIds extends string = never>(
  definition: RuleDefinition<Options, MessageIds, SuggestionIds>,
): ApiPostureRule {
  const { descriptor, meta, suggestionMessages } = definition;
  if (Boolean(meta.hasSuggestions) !== (suggestionMessages !== undefined))
    throw new Error(`${descriptor.id}: meta.hasSuggestions and suggestionMessages go together`);
  const messages: Record<string, string> = {
    [ANALYSIS_FAILED]: `${descriptor.id}: api-posture could not analyse this file ({{reason}}); no ${descriptor.id} results for it.`,
  };
  for (const [id, text] of Object.entries<string>(meta.messages)) messages[id] = framed(descriptor, text);
  Object.assign(messages, suggestionMessages);
  const [ownSchema] = meta.schema;
  const [ownDefaults] = meta.defaultOptions;
  const optionsSchema = definition.skipsTestFiles ? withTestCodeOption(ownSchema) : ownSchema;
  const defaultOptions: Options & Partial<TestCodeOption> = definition.skipsTestFiles
    ? { includeTestFiles: false, ...ownDefaults }
    : (ownDefaults as Options & Partial<TestCodeOption>);
  return {
    descriptor,
    meta: {
      type: meta.type,
      docs: {
        description: descriptor.description,
        url: helpUrl(descriptor),
        recommended: definition.recommended ?? true,
      },
      messages,
      schema: [optionsSchema],
      defaultOptions: [defaultOptions],
      languages: [...RULE_LANGUAGES],
      ...(meta.hasSuggestions ? { hasSuggestions: true } : {}),
    },
    create(context) {
      const reportFailure = (reason: string): void =>
        context.report({
          loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 0 } },
          messageId: ANALYSIS_FAILED,
          data: { reason },
        });
      const run = (): void => {
        // Wrong settings are the user's configuration, not this file: ApiPostureSettingsError
        // leaves the rule and stops the run, as an invalid rule option does.
        const settings = resolveSettings(context.settings);
        const options = { ...defaultOptions, ...((context.options[0] as Partial<Options> | undefined) ?? {}) };
        const filename = context.physicalFilename ?? context.filename;
        if (definition.skipsTestFiles && !options.includeTestFiles && isTestFile(filename)) return;
        const analysis = analyze(context);
        if (!analysis.ok) {
          // Every rule sees the same failed analysis: one message for the file is enough.
          if (!analysis.reported) reportFailure(analysis.message);
          analysis.reported = true;
          return;
        }
        try {
          definition.create({
            model: analysis.model,
            options,
            settings,
            filename,
            cwd: context.cwd ?? process.cwd(),
            report({ loc, messageId, data, remedy, suggest }) {
              const problem = { loc, messageId, data: { ...data, remedy } };
              if (!suggest?.length) return context.report(problem);
              (context.report as (descriptor: unknown) => void)({
                ...problem,
                suggest: suggest.map((s) => {
                  const edits = "edits" in s ? s.edits : [{ range: s.range, text: s.text }];
                  return {
                    messageId: s.messageId,
                    data: s.data,
                    fix: (fixer: { replaceTextRange(range: [number, number], text: string): unknown }) =>
                      edits.map((edit) => fixer.replaceTextRange(edit.range, edit.text)),
                  };
                }),
              });
            },
          });
        } catch (error) {
          if (error instanceof ApiPostureSettingsError) throw error;
          // One file a rule cannot judge must not end the whole run.
          reportFailure(String((error as Error)?.message ?? error));
        }
      };
      // The root node: `Program` in ESTree, `compilation_unit` in the C# tree.
      return { Program: run, compilation_unit: run };
    },
  };
}

function withTestCodeOption<Options>(schema: OptionsSchema<Options>): OptionsSchema<Options & TestCodeOption> {
  const includeTestFiles: OptionSchema = {
    description: "Check test code (`*.test.ts`, `__tests__/`, `*Tests.cs`, `*.Tests/` projects) too.",
    type: "boolean",
  };
  return {
    ...schema,
    properties: { ...schema.properties, includeTestFiles } as OptionsSchema<Options & TestCodeOption>["properties"],
  };
}
