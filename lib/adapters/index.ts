/**
 * Registers the language adapters with the analysis: TS/JS (ESTree from espree or
 * typescript-eslint) and C# (the tree-sitter bridge). The plugin entry imports this once.
 */
import { registerAdapter } from "../core/analyze.js";
import { resolveSettings } from "../core/settings.js";
import { addTsAuthFixes, buildTsModel, type TsSourceCodeLike } from "./ts/index.js";
import { CSharpSourceCode } from "../../csharp-bridge/source-code.js";
import { registerSummarizer } from "../core/project/index.js";
import { tsSummarizer } from "./ts/project.js";
import { csharpSummarizer } from "../../csharp-bridge/project.js";
import { dropProjectWideUsings } from "../../csharp-bridge/global-usings.js";

registerSummarizer(tsSummarizer);
registerSummarizer(csharpSummarizer);

registerAdapter({
  language: "csharp",
  projectKind: "dotnet",
  handles: (sourceCode) => sourceCode instanceof CSharpSourceCode,
  build: (sourceCode, settings, filename) =>
    (sourceCode as CSharpSourceCode).model(settings?.["api-posture"], filename),
  addAuthFixes: (sourceCode, model, index) => {
    const filename = (sourceCode as CSharpSourceCode).filename;
    if (filename !== undefined) dropProjectWideUsings(model, index, filename);
  },
});

registerAdapter({
  language: "ts",
  projectKind: "node",
  handles: (sourceCode) => isEstreeSourceCode(sourceCode),
  build: (sourceCode, settings, filename) =>
    buildTsModel(sourceCode as TsSourceCodeLike, resolveSettings(settings), filename),
  addAuthFixes: (_sourceCode, model, index, settings) => addTsAuthFixes(model, index, settings?.["api-posture"]),
});

/** ESLint's JS SourceCode (espree or typescript-eslint): an ESTree `Program` as its ast. */
function isEstreeSourceCode(sourceCode: unknown): boolean {
  const ast = (sourceCode as { ast?: { type?: unknown } } | null)?.ast;
  return ast?.type === "Program";
}
