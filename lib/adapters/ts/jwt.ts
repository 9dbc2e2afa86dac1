import type { JwtFact } from "../../core/model.js";
import type { FileFacts } from "./facts.js";

/** Node types the walk collects for this pass. */
export const JWT_NODE_TYPES: readonly string[] = [];

export function collectJwtFacts(_facts: FileFacts): JwtFact[] {
  return [];
}
