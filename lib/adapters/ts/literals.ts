import type { StringLiteral } from "../../core/model.js";
import type { FileFacts } from "./facts.js";

/** Node types the walk collects for this pass. */
export const LITERAL_NODE_TYPES: readonly string[] = [];

export function collectLiterals(_facts: FileFacts): StringLiteral[] {
  return [];
}
