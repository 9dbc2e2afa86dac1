import type { CorsPolicy } from "../../core/model.js";
import type { FileFacts } from "./facts.js";

/** Node types the walk collects for this pass. */
export const CORS_NODE_TYPES: readonly string[] = [];

export function collectCorsPolicies(_facts: FileFacts): CorsPolicy[] {
  return [];
}
