/**
 * Builds the file model once per file and shares it between all rules: the cache is
 * keyed by the SourceCode object ESLint hands every rule of one file.
 *
 * Which adapter builds a model is looked up in a registry: each language's adapter
 * registers itself (lib/adapters/index.ts), and nothing here knows any language.
 */
import type { FileModel, Loc } from "./model.js";
import { projectIndexFor, type ProjectIndex } from "./project/index.js";
import { linkEndpoints } from "./project/link.js";
import type { ProjectKind } from "./project/root.js";
import { ApiPostureSettingsError, resolveSettings } from "./settings.js";

export interface RuleContextLike {
  sourceCode: unknown;
  filename: string;
  physicalFilename?: string;
  /** ESLint's working directory. */
  cwd?: string;
  options: readonly unknown[];
  settings: Record<string, unknown>;
  report(descriptor: { loc: Loc; messageId: string; data?: Record<string, string> }): void;
}

/** One language's adapter: recognises its SourceCode and builds the file model from it. */
export interface LanguageAdapter {
  /** `ts`, `csharp`: for messages and tests. */
  readonly language: string;
  /** The kind of project its files belong to, for the project index. */
  readonly projectKind?: ProjectKind;
  /** Is this SourceCode one this adapter reads? */
  handles(sourceCode: unknown): boolean;
  /** The model of the file; `settings` is the user's raw `settings` object of the rule context. */
  build(sourceCode: unknown, settings: Record<string, unknown> | undefined, filename: string): FileModel;
  /**
   * Adds `authFixes` to the endpoints nothing protects, once the project's facts are applied:
   * which guard or middleware to suggest depends on what the file and the project already
   * use. An adapter that can tell from the file alone adds them in `build` instead.
   */
  addAuthFixes?(
    sourceCode: unknown,
    model: FileModel,
    index: ProjectIndex | undefined,
    settings: Record<string, unknown> | undefined,
  ): void;
}

const adapters: LanguageAdapter[] = [];

/** Adds an adapter; registering the same language twice replaces the first. */
export function registerAdapter(adapter: LanguageAdapter): void {
  const existing = adapters.findIndex((a) => a.language === adapter.language);
  if (existing >= 0) adapters[existing] = adapter;
  else adapters.push(adapter);
}

export type Analysis = { ok: true; model: FileModel } | { ok: false; message: string; reported: boolean };

const analyses = new WeakMap<object, Analysis>();

export function analyze(context: RuleContextLike): Analysis {
  const sourceCode = context.sourceCode as object;
  let analysis = analyses.get(sourceCode);
  if (!analysis) {
    analysis = buildAnalysis(context);
    analyses.set(sourceCode, analysis);
  }
  return analysis;
}

function buildAnalysis(context: RuleContextLike): Analysis {
  const filename = context.physicalFilename ?? context.filename;
  const adapter = adapters.find((a) => a.handles(context.sourceCode));
  if (!adapter) return { ok: false, message: "no api-posture adapter reads this kind of file", reported: false };
  try {
    const model = adapter.build(context.sourceCode, context.settings, filename);
    // What other files of the project say about this one's endpoints (mounts, guards, base classes, global policies).
    let index: ProjectIndex | undefined;
    if (adapter.projectKind && model.endpoints.length > 0) {
      index = projectIndexFor(filename, adapter.projectKind);
      if (index) {
        resolveSettings(context.settings); // wrong settings stop the run here, not in another file's summary
        linkEndpoints(model, index, context.settings?.["api-posture"]);
      }
    }
    if (adapter.addAuthFixes && model.endpoints.length > 0) addAuthFixes(adapter, context, model, index);
    return { ok: true, model };
  } catch (error) {
    const reason =
      error instanceof RangeError
        ? "the file is nested too deeply to analyse"
        : String((error as Error)?.message ?? error);
    return { ok: false, message: reason, reported: false };
  }
}

/** Suggestions are extras: a file whose fixes cannot be worked out is still judged, without them. */
function addAuthFixes(
  adapter: LanguageAdapter,
  context: RuleContextLike,
  model: FileModel,
  index: ProjectIndex | undefined,
): void {
  try {
    adapter.addAuthFixes!(context.sourceCode, model, index, context.settings);
  } catch (error) {
    if (error instanceof ApiPostureSettingsError) throw error;
    for (const endpoint of model.endpoints) delete endpoint.authFixes;
  }
}
