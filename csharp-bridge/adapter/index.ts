import type { FileModel } from "../../lib/core/model.js";
import type { ResolvedSettings } from "../../lib/core/settings.js";
import type { CSharpSourceCode } from "../source-code.js";

export function buildCSharpModel(_sourceCode: CSharpSourceCode, _settings: ResolvedSettings, filename: string): FileModel {
  return { language: "csharp", filename, endpoints: [] };
}
