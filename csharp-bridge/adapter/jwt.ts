import type { JwtFact } from "../../lib/core/model.js";
import type { SyntaxNode } from "../parser.js";

export function collectJwtFacts(_root: SyntaxNode, _text: string): JwtFact[] {
  return [];
}
