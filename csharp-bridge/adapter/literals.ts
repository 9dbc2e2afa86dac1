import type { StringLiteral } from "../../lib/core/model.js";
import type { SyntaxNode } from "../parser.js";

export function collectLiterals(_root: SyntaxNode, _text: string): StringLiteral[] {
  return [];
}
