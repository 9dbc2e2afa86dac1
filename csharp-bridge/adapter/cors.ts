import type { CorsPolicy } from "../../lib/core/model.js";
import type { SyntaxNode } from "../parser.js";

export function collectCorsPolicies(_root: SyntaxNode, _text: string): CorsPolicy[] {
  return [];
}
