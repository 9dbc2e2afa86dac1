/**
 * The TS/JS adapter: one walk over the file collects the facts every library and
 * concern asked for, then each library that applies turns them into endpoints with
 * their protections and data operations, and the concerns collect the rest.
 */
import type { TSESTree } from "@typescript-eslint/types";
import type { Endpoint, FileModel } from "../../core/model.js";
import type { ResolvedSettings } from "../../core/settings.js";
import { isDenySignal } from "./concerns/auth-middleware.js";
import { DATA_CALL_NAMES } from "./concerns/data-layer.js";
import { LIBRARIES } from "./libraries/index.js";
import type { TsFile } from "./libraries/library.js";
import { collectFacts, type WalkInterests } from "./facts.js";
import { collectLiterals, LITERAL_NODE_TYPES } from "./concerns/literals.js";
import { collectEqualityChecks, COMPARISON_NODE_TYPES } from "./concerns/comparisons.js";
import { mayNamePassword } from "../../core/facts/passwords.js";
import { collectJwtFacts, JWT_NODE_TYPES, jwtNeedsParents } from "./concerns/jwt.js";
import { collectCorsPolicies, CORS_NODE_TYPES, corsNeedsParents } from "./concerns/cors.js";

/** The parts of ESLint's SourceCode the adapter reads (espree's tree for .js files has the same shape). */
export interface TsSourceCodeLike {
  ast: TSESTree.Program;
  text: string;
  visitorKeys?: { readonly [type: string]: readonly string[] | undefined };
}

const INTERESTS: WalkInterests = {
  memberCallNames: new Set(LIBRARIES.flatMap((library) => [...(library.memberCalls ?? [])])),
  dataCallNames: DATA_CALL_NAMES,
  isDenySignal,
  nodeTypes: new Set([
    ...LITERAL_NODE_TYPES,
    ...COMPARISON_NODE_TYPES,
    ...JWT_NODE_TYPES,
    ...CORS_NODE_TYPES,
    ...LIBRARIES.flatMap((library) => [...(library.nodeTypes ?? [])]),
  ]),
  keepParents: (text) => jwtNeedsParents(text) || corsNeedsParents(text),
};

export function buildTsModel(sourceCode: TsSourceCodeLike, settings: ResolvedSettings, filename: string): FileModel {
  const facts = collectFacts(sourceCode, INTERESTS);
  return {
    language: "ts",
    filename,
    endpoints: libraryEndpoints({ facts, settings, filename }),
    literals: collectLiterals(facts),
    equalityChecks: mayNamePassword(sourceCode.text) ? collectEqualityChecks(facts) : [],
    jwt: collectJwtFacts(facts),
    cors: collectCorsPolicies(facts),
  };
}

function libraryEndpoints(file: TsFile): Endpoint[] {
  const endpoints: Endpoint[] = [];
  for (const library of LIBRARIES) {
    if (!library.endpoints || (library.applies && !library.applies(file))) continue;
    endpoints.push(...library.endpoints(file));
  }
  return endpoints;
}
