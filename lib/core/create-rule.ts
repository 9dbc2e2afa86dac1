/**
 * Turns a descriptor and a language-neutral `check` into an ESLint rule that runs on
 * TS/JS (`js/js`) and on C# (`api-posture/csharp`).
 */
import type { RuleDescriptor } from "./descriptor.js";
import { helpUrl, soc2Suffix } from "./descriptor.js";
import type { FileModel, Loc } from "./model.js";
import type { ResolvedSettings } from "./settings.js";
import { ApiPostureSettingsError, resolveSettings } from "./settings.js";
import { analyze, type RuleContextLike } from "./analyze.js";
import { isTestFile } from "./test-files.js";

export const RULE_LANGUAGES = ["js/js", "api-posture/csharp"] as const;

/** The message every rule can use when a file could not be analysed. */
const ANALYSIS_FAILED = "analysisFailed";

/** A suggested edit the adapter computed: replace `range` of the source text with `text`. */
export interface Suggestion {
  messageId: string;
  data?: Record<string, string>;
  range: [number, number];
  text: string;
}

export interface CheckContext<Options> {
  options: Options;
  settings: ResolvedSettings;
  filename: string;
  /** Adds the descriptor id in front and the SOC 2 criteria at the end of the message. */
  report: (problem: { loc: Loc; messageId: string; data?: Record<string, string>; suggest?: Suggestion[] }) => void;
}

/** The option of every rule that leaves test code alone (`skipsTestFiles`). */
export interface TestCodeOption {
  /** Check test code (`*.test.ts`, `__tests__/`, `*Tests.cs`, `*.Tests/` projects) too. */
  includeTestFiles: boolean;
}

export interface RuleDefinition<Options extends Record<string, unknown>> {
  descriptor: RuleDescriptor;
  /**
   * Test code is never deployed: the rule skips it unless `includeTestFiles` is set.
   * The factory adds that option to the schema and the defaults.
   */
  skipsTestFiles?: boolean;
  /** messageId → template; `{{id}}` and `{{soc2}}` are filled in for every message. */
  messages: Record<string, string>;
  /** messageId → template of the rule's suggestions, used as written. Their presence turns on `hasSuggestions`. */
  suggestionMessages?: Record<string, string>;
  /** JSON schema of the single options object. */
  optionsSchema: Record<string, unknown>;
  defaultOptions: Options;
  check(model: FileModel, context: CheckContext<Options>): void;
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

export function createRule<Options extends Record<string, unknown>>(
  definition: RuleDefinition<Options>,
): ApiPostureRule {
  const { descriptor } = definition;
  const messages: Record<string, string> = {
    [ANALYSIS_FAILED]: `${descriptor.id}: api-posture could not analyse this file ({{reason}}); no ${descriptor.id} results for it.`,
  };
  for (const [id, text] of Object.entries(definition.messages)) {
    messages[id] = `${descriptor.id} ${text} ${soc2Suffix(descriptor)}{{fix}}`;
  }
  Object.assign(messages, definition.suggestionMessages);
  const optionsSchema = definition.skipsTestFiles
    ? withTestCodeOption(definition.optionsSchema)
    : definition.optionsSchema;
  const defaultOptions = definition.skipsTestFiles
    ? { includeTestFiles: false, ...definition.defaultOptions }
    : definition.defaultOptions;
  return {
    descriptor,
    meta: {
      type: "problem",
      docs: { description: descriptor.description, url: helpUrl(descriptor), recommended: true },
      messages,
      schema: [optionsSchema],
      defaultOptions: [defaultOptions],
      languages: [...RULE_LANGUAGES],
      ...(definition.suggestionMessages ? { hasSuggestions: true } : {}),
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
        const options = { ...defaultOptions, ...((context.options[0] as Partial<Options>) ?? {}) };
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
          definition.check(analysis.model, {
            options,
            settings,
            filename,
            report({ loc, messageId, data, suggest }) {
              const fix = data?.fix ? ` Fix: ${data.fix}` : "";
              const problem = { loc, messageId, data: { ...data, fix } };
              if (!suggest?.length) return context.report(problem);
              (context.report as (descriptor: unknown) => void)({
                ...problem,
                suggest: suggest.map((s) => ({
                  messageId: s.messageId,
                  data: s.data,
                  fix: (fixer: { replaceTextRange(range: [number, number], text: string): unknown }) =>
                    fixer.replaceTextRange(s.range, s.text),
                })),
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

function withTestCodeOption(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties as Record<string, unknown> | undefined) ?? {};
  return { ...schema, properties: { ...properties, includeTestFiles: { type: "boolean" } } };
}
