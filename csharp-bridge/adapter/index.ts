/**
 * The C# adapter: builds the file model of an ASP.NET Core file from its tree-sitter
 * tree. Controllers and actions become endpoints (routes, protections, anonymous
 * markers, data operations); rules decide what is a finding.
 */
import type { FileModel } from "../../lib/core/model.js";
import type { ResolvedSettings } from "../../lib/core/settings.js";
import type { CSharpSourceCode } from "../source-code.js";
import { isController } from "./controllers.js";
import { indexDataLayer } from "./data-layer.js";
import { collectDeclarations, type ClassDecl } from "./declarations.js";
import { controllerEndpoints } from "./endpoints.js";
import { attributeClassifier } from "./protections.js";
import { recoverFromSyntaxErrors } from "./recovery.js";

export function buildCSharpModel(sourceCode: CSharpSourceCode, settings: ResolvedSettings, filename: string): FileModel {
  const { tree, text } = recoverFromSyntaxErrors(sourceCode.tree, sourceCode.text);
  const declarations = collectDeclarations(tree.rootNode);
  const controllers = declarations.classes.filter((decl) => isController(decl, declarations));
  if (controllers.length === 0) return { language: "csharp", filename, endpoints: [] };
  const classifier = attributeClassifier(declarations, settings);
  const scanned = new Set<ClassDecl>(controllers.flatMap((c) => [c, ...declarations.baseChain(c)]));
  const dataLayer = indexDataLayer([...scanned], declarations, text);
  const endpoints = controllers.flatMap((controller) => controllerEndpoints(controller, declarations, classifier, dataLayer));
  return { language: "csharp", filename, endpoints };
}
