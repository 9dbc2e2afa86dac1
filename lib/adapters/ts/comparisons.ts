import type { EqualityCheck } from "../../core/model.js";
import type { FileFacts } from "./facts.js";

/** Node types the walk collects for this pass. */
export const COMPARISON_NODE_TYPES: readonly string[] = [];

export function collectEqualityChecks(_facts: FileFacts): EqualityCheck[] {
  return [];
}
