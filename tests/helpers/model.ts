/**
 * Builds file models straight from source text, for adapter unit tests.
 */
import { parseForESLint } from "@typescript-eslint/parser";
import plugin from "../../lib/index.js";
import type { FileModel } from "../../lib/core/model.js";
import { resolveSettings, type ApiPostureSettings } from "../../lib/core/settings.js";
import { buildTsModel, type TsSourceCodeLike } from "../../lib/adapters/ts/index.js";

export function tsModel(code: string, settings: ApiPostureSettings = {}, filename = "routes.ts"): FileModel {
  const { ast, scopeManager, visitorKeys } = parseForESLint(code, {
    range: true,
    loc: true,
    comment: true,
    tokens: true,
    sourceType: "module",
    filePath: filename,
  });
  const sourceCode = { ast, scopeManager, visitorKeys, text: code } as unknown as TsSourceCodeLike;
  return buildTsModel(sourceCode, resolveSettings({ "api-posture": settings }), filename);
}

export function csharpModel(code: string, settings: ApiPostureSettings = {}, filename = "Controller.cs"): FileModel {
  const language = plugin.languages.csharp;
  const parsed = language.parse({ body: code, path: filename });
  if (!parsed.ok) throw new Error(parsed.errors[0].message);
  return language.createSourceCode({ body: code }, parsed).model(settings, filename);
}
