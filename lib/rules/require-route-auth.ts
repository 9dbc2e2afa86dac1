/**
 * AP101 require-route-auth: a state-changing route that no authentication or
 * authorization protects.
 */
import * as path from "node:path";
import { createRule, type Suggestion } from "../core/create-rule.js";
import type { RuleDescriptor } from "../core/descriptor.js";
import type { AuthFix } from "../core/model.js";
import { pathPatternMatcher } from "../core/settings.js";
import { endpointPublicFlow } from "../core/public-flows.js";
import { stateChange } from "./util/endpoints.js";

export const descriptor: RuleDescriptor = {
  id: "AP101",
  name: "require-route-auth",
  title: "State-changing routes require authorization",
  description:
    "A state-changing route (POST/PUT/PATCH/DELETE, or any route whose handler writes through the data layer) that no authentication or authorization protects.",
  severity: "high",
  soc2: ["CC6.1", "CC6.3"],
  owasp: ["API5:2023 Broken Function Level Authorization", "API2:2023 Broken Authentication"],
  cwe: "CWE-862",
  remediation:
    "Put authentication on the route, its router, group or controller, or register it app-wide ([Authorize], a NestJS guard, auth middleware before the router, a fallback policy), with a role or policy where only some callers may change this state. A route that is public by design is named in ignoreRoutes or marked anonymous, which AP102 then reviews.",
};

export interface Options {
  /** Route paths that are public by design (`/health`, `/webhooks/**`). */
  ignoreRoutes: string[];
  /** Leave sign-in, sign-up, password-reset and similar public flows alone. */
  allowPublicFlows: boolean;
}

export type MessageIds = "missingAuth";
export type SuggestionIds = "addToDeclaration" | "addToRegistration" | "addBeforeHandler";

const SUGGESTION_IDS: Record<AuthFix["place"], SuggestionIds> = {
  declaration: "addToDeclaration",
  registration: "addToRegistration",
  "before-handler": "addBeforeHandler",
};

/**
 * The adapter's fixes as suggestions, never as an autofix: requiring authorization
 * changes who can call the route, which its callers must agree to.
 */
function suggestionsOf(fixes: readonly AuthFix[] | undefined): Suggestion<SuggestionIds>[] {
  return (fixes ?? []).map((fix) => ({
    messageId: SUGGESTION_IDS[fix.place],
    data: { insert: fix.insert, target: fix.target ?? "" },
    edits: fix.edits,
  }));
}

/** A file of the project as messages show it: relative to the working directory when inside it. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative.split(path.sep).join("/");
}

export default createRule<Options, MessageIds, SuggestionIds>({
  descriptor,
  meta: {
    type: "problem",
    messages: {
      missingAuth:
        "{{method}} {{path}}{{handler}} {{reason}} but nothing requires authorization: {{missing}}{{mounted}}.",
    },
    hasSuggestions: true,
    schema: [
      {
        type: "object",
        properties: {
          ignoreRoutes: {
            description: "Route paths that are public by design: `*` matches one path segment, `**` any number.",
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
          },
          allowPublicFlows: {
            description: "Leave sign-in, sign-up, password-reset, token-refresh and webhook routes alone.",
            type: "boolean",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ ignoreRoutes: [], allowPublicFlows: true }],
  },
  suggestionMessages: {
    addToDeclaration: "Add {{insert}} to {{target}}",
    addToRegistration: "Add {{insert}}",
    addBeforeHandler: "Add {{insert}} before the handler",
  },
  skipsTestFiles: true,
  create(context) {
    const { options, settings } = context;
    const ignored = pathPatternMatcher(options.ignoreRoutes);
    for (const endpoint of context.model.endpoints) {
      if (endpoint.protections.length > 0) continue;
      // An explicit anonymous opt-out is a decision, judged by AP102 no-anonymous-write.
      if (endpoint.anonymous.length > 0) continue;
      const change = stateChange(endpoint);
      if (!change) continue;
      if (ignored(endpoint.path) || settings.publicRoutes(endpoint.path)) continue;
      if (options.allowPublicFlows && endpointPublicFlow(endpoint, context.model.endpoints)) continue;
      const vocabulary = endpoint.vocabulary;
      context.report({
        loc: endpoint.loc,
        messageId: "missingAuth",
        data: {
          method: change.verb,
          path: endpoint.path,
          handler: endpoint.handler ? ` (${endpoint.handler})` : "",
          reason: change.reason,
          missing: vocabulary.missingAuth,
          mounted: endpoint.mountedAt
            ? `; its router is mounted in ${displayPath(endpoint.mountedAt.file)}:${endpoint.mountedAt.line} without any`
            : "",
        },
        remedy: vocabulary.addAuth,
        suggest: suggestionsOf(endpoint.authFixes),
      });
    }
  },
});
