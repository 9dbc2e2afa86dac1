import type { TSESTree } from "@typescript-eslint/types";
import type { FileModel } from "../../core/model.js";
import type { ResolvedSettings } from "../../core/settings.js";

export interface TsSourceCodeLike {
  ast: TSESTree.Program;
  text: string;
  visitorKeys?: Record<string, readonly string[]>;
}

export function buildTsModel(_sourceCode: TsSourceCodeLike, _settings: ResolvedSettings, filename: string): FileModel {
  return { language: "ts", filename, endpoints: [] };
}
