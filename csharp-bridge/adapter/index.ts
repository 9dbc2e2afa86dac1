/**
 * The C# adapter: builds the file model of an ASP.NET Core file from its tree-sitter
 * tree, in the parser worker. Controllers and actions become endpoints (routes,
 * protections, anonymous markers, data operations); rules decide what is a finding.
 */
import type { Endpoint, FileModel } from "../../lib/core/model.js";
import type { ResolvedSettings } from "../../lib/core/settings.js";
import { isController } from "./controllers.js";
import { indexDataLayer } from "./data-layer.js";
import { collectDeclarations, type ClassDecl } from "./declarations.js";
import { controllerEndpoints } from "./endpoints.js";
import { attributeClassifier } from "./protections.js";
import { recoverFromSyntaxErrors } from "./recovery.js";
import type { SyntaxNode, Tree } from "../parser.js";
import { collectLiterals, type CSharpStringLiteral } from "./literals.js";
import { collectEqualityChecks } from "./comparisons.js";
import { mayNamePassword } from "../../lib/core/facts/passwords.js";
import { collectJwtFacts } from "./jwt.js";
import { collectCorsPolicies } from "./cors.js";

/** The file model as the adapter hands it over: string literals carry ranges instead of locations. */
export type CSharpModel = Omit<FileModel, "literals"> & { literals: CSharpStringLiteral[] };

export function buildCSharpModel(
  parsed: Tree,
  parsedText: string,
  settings: ResolvedSettings,
  filename: string,
): CSharpModel {
  const { tree, text } = recoverFromSyntaxErrors(parsed, parsedText);
  try {
    const root = tree.rootNode;
    return {
      language: "csharp",
      filename,
      endpoints: mvcEndpoints(root, text, settings),
      literals: collectLiterals(root, text),
      equalityChecks: mayNamePassword(text) ? collectEqualityChecks(root, text) : [],
      jwt: collectJwtFacts(root, text),
      cors: collectCorsPolicies(root, text),
    };
  } finally {
    if (tree !== parsed) tree.delete();
  }
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
