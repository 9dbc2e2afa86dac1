/**
 * The TS/JS adapter: one walk over the file collects the facts, then the Express pass
 * turns them into endpoints with their protections and data operations.
 */
import type { TSESTree } from "@typescript-eslint/types";
import type { FileModel } from "../../core/model.js";
import type { ResolvedSettings } from "../../core/settings.js";
import { isDenySignal } from "./auth-middleware.js";
import { DATA_CALL_NAMES } from "./data-layer.js";
import { expressEndpoints, ROUTER_CALL_NAMES } from "./express.js";
import { collectFacts, type WalkInterests } from "./facts.js";
import { collectLiterals, LITERAL_NODE_TYPES } from "./literals.js";
import { collectEqualityChecks, COMPARISON_NODE_TYPES } from "./comparisons.js";
import { mayNamePassword } from "../../core/facts/passwords.js";
import { collectJwtFacts, JWT_NODE_TYPES } from "./jwt.js";
import { collectCorsPolicies, CORS_NODE_TYPES } from "./cors.js";

/** The parts of ESLint's SourceCode the adapter reads (espree's tree for .js files has the same shape). */
export interface TsSourceCodeLike {
  ast: TSESTree.Program;
  text: string;
  visitorKeys?: { readonly [type: string]: readonly string[] | undefined };
}

const INTERESTS: WalkInterests = {
  routerCallNames: ROUTER_CALL_NAMES,
  dataCallNames: DATA_CALL_NAMES,
  isDenySignal,
  nodeTypes: new Set([...LITERAL_NODE_TYPES, ...COMPARISON_NODE_TYPES, ...JWT_NODE_TYPES, ...CORS_NODE_TYPES]),
};

export function buildTsModel(sourceCode: TsSourceCodeLike, settings: ResolvedSettings, filename: string): FileModel {
  const facts = collectFacts(sourceCode, INTERESTS);
  return {
    language: "ts",
    filename,
    endpoints: facts.routerCalls.length === 0 ? [] : expressEndpoints(facts, settings),
    literals: collectLiterals(facts),
    equalityChecks: mayNamePassword(sourceCode.text) ? collectEqualityChecks(facts) : [],
    jwt: collectJwtFacts(facts),
    cors: collectCorsPolicies(facts),
  };
}
