/**
 * Builds the file model once per file and shares it between all rules: the cache is
 * keyed by the SourceCode object ESLint hands every rule of one file.
 */
import type { FileModel, Loc } from "./model.js";
import { resolveSettings } from "./settings.js";
import { buildTsModel, type TsSourceCodeLike } from "../adapters/ts/index.js";
import { CSharpSourceCode } from "../../csharp-bridge/source-code.js";

export interface RuleContextLike {
  sourceCode: unknown;
  filename: string;
  physicalFilename?: string;
  options: readonly unknown[];
  settings: Record<string, unknown>;
  report(descriptor: { loc: Loc; messageId: string; data?: Record<string, string> }): void;
}

export type Analysis =
  | { ok: true; model: FileModel }
  | { ok: false; message: string; reported: boolean };

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
  try {
    const model =
      context.sourceCode instanceof CSharpSourceCode
        ? context.sourceCode.model(context.settings?.["api-posture"], filename)
        : buildTsModel(context.sourceCode as TsSourceCodeLike, resolveSettings(context.settings), filename);
    return { ok: true, model };
  } catch (error) {
    const reason = error instanceof RangeError ? "the file is nested too deeply to analyse" : String((error as Error)?.message ?? error);
    return { ok: false, message: reason, reported: false };
  }
}
