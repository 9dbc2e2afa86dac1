/**
 * What other C# files of the project need to know of this one (lib/core/project/summary.ts),
 * built in the parser worker for the project index:
 *  - markers: attribute and filter classes it declares, and what they do when a
 *    controller or action carries them (a subclass of `AuthorizeAttribute` or an
 *    `IAuthorizationFilter` protects; a subclass of `AllowAnonymousAttribute` or an
 *    `IAllowAnonymous` opts out);
 *  - types: every class with its bases and the authorization attributes on it, for
 *    controllers deriving from it in other files.
 */
import type { AnonymousMarker, Protection } from "../../lib/core/model.js";
import type { FileSummary, MarkerEffect, TypeSummary } from "../../lib/core/project/summary.js";
import type { ResolvedSettings } from "../../lib/core/settings.js";
import type { SyntaxNode, Tree } from "../parser.js";
import { collectDeclarations } from "./declarations.js";
import { ANONYMOUS_BASES, AUTH_BASES, attributeClassifier } from "./protections.js";
import { recoverFromSyntaxErrors } from "./recovery.js";
import { nodeLoc } from "./syntax.js";

export function summarizeCSharp(parsed: Tree, parsedText: string, settings: ResolvedSettings): FileSummary {
  const { tree, text } = recoverFromSyntaxErrors(parsed, parsedText);
  try {
    return summarizeRoot(tree.rootNode, text, settings);
  } finally {
    if (tree !== parsed) tree.delete();
  }
}

function summarizeRoot(root: SyntaxNode, text: string, settings: ResolvedSettings): FileSummary {
  // A file without a class declares nothing other files derive from or use as an attribute.
  if (!text.includes("class")) return { attachments: [] };
  const declarations = collectDeclarations(root);
  const classifier = attributeClassifier(declarations, settings);
  const markers: MarkerEffect[] = [];
  const types: TypeSummary[] = [];
  for (const decl of declarations.classes) {
    const first = decl.nodes[0];
    if (!first) continue;
    const loc = nodeLoc(first);
    const bases = new Set([decl, ...declarations.baseChain(decl)].flatMap((d) => d.baseTypes));
    if ([...bases].some((b) => AUTH_BASES.has(b))) markers.push({ type: decl.name, effect: "protection", loc });
    else if ([...bases].some((b) => ANONYMOUS_BASES.has(b)))
      markers.push({ type: decl.name, effect: "anonymous", loc });
    const protections: Protection[] = [];
    const anonymous: AnonymousMarker[] = [];
    for (const attribute of decl.attributes) {
      if (classifier.isAnonymous(attribute))
        anonymous.push({ name: attribute.text, source: "class", loc: attribute.loc });
      else if (classifier.isProtection(attribute))
        protections.push({ name: attribute.text, source: "class", loc: attribute.loc });
    }
    types.push({ name: decl.name, bases: decl.baseTypes, protections, anonymous, loc });
  }
  return { attachments: [], markers, types };
}
