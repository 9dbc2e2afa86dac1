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
};

export function buildTsModel(sourceCode: TsSourceCodeLike, settings: ResolvedSettings, filename: string): FileModel {
  const facts = collectFacts(sourceCode, INTERESTS);
  const endpoints = facts.routerCalls.length === 0 ? [] : expressEndpoints(facts, settings);
  return { language: "ts", filename, endpoints };
}
