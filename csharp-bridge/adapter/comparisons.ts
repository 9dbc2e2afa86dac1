import type { EqualityCheck } from "../../lib/core/model.js";
import type { SyntaxNode } from "../parser.js";

export function collectEqualityChecks(_root: SyntaxNode, _text: string): EqualityCheck[] {
  return [];
}
