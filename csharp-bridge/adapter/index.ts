/**
 * The C# adapter: builds the file model of an ASP.NET Core file from its tree-sitter
 * tree. Controllers and actions become endpoints (routes, protections, anonymous
 * markers, data operations); rules decide what is a finding.
 */
import type { Endpoint, FileModel } from "../../lib/core/model.js";
import type { ResolvedSettings } from "../../lib/core/settings.js";
import type { CSharpSourceCode } from "../source-code.js";
import { isController } from "./controllers.js";
import { indexDataLayer } from "./data-layer.js";
import { collectDeclarations, type ClassDecl } from "./declarations.js";
import { controllerEndpoints } from "./endpoints.js";
import { attributeClassifier } from "./protections.js";
import { recoverFromSyntaxErrors } from "./recovery.js";
import type { SyntaxNode } from "../parser.js";
import { collectLiterals } from "./literals.js";
import { collectEqualityChecks } from "./comparisons.js";
import { collectJwtFacts } from "./jwt.js";
import { collectCorsPolicies } from "./cors.js";

export function buildCSharpModel(sourceCode: CSharpSourceCode, settings: ResolvedSettings, filename: string): FileModel {
  const { tree, text } = recoverFromSyntaxErrors(sourceCode.tree, sourceCode.text);
  const root = tree.rootNode;
  return {
    language: "csharp",
    filename,
    endpoints: mvcEndpoints(root, text, settings),
    literals: collectLiterals(root, text),
    equalityChecks: collectEqualityChecks(root, text),
    jwt: collectJwtFacts(root, text),
    cors: collectCorsPolicies(root, text),
  };
}

/** Controllers and their actions as endpoints. */
function mvcEndpoints(root: SyntaxNode, text: string, settings: ResolvedSettings): Endpoint[] {
  // Every way a class becomes a controller (`[ApiController]`, `[Controller]`, a
  // `Controller`/`ControllerBase` base, the `Controller` suffix) spells the word.
  if (!text.includes("Controller")) return [];
  const declarations = collectDeclarations(root);
  const controllers = declarations.classes.filter((decl) => isController(decl, declarations));
  if (controllers.length === 0) return [];
  const classifier = attributeClassifier(declarations, settings);
  const scanned = new Set<ClassDecl>(controllers.flatMap((c) => [c, ...declarations.baseChain(c)]));
  const dataLayer = indexDataLayer([...scanned], declarations, text);
  return controllers.flatMap((controller) => controllerEndpoints(controller, declarations, classifier, dataLayer));
}
