/**
 * AP102 no-anonymous-write: a state-changing route explicitly opened to anonymous callers
 * (`[AllowAnonymous]`, `.AllowAnonymous()`, `@Public()`, a configured public marker)
 * outside the flows that are public by design.
 *
 * AP101 leaves such a route alone because the opt-out is a decision; this rule judges the
 * decision. An anonymous marker counts whatever else applies: ASP.NET Core skips every
 * `[Authorize]` of an endpoint that carries `[AllowAnonymous]`, and a route marked public
 * is one the team declared public.
 */
import { createRule } from "../core/create-rule.js";
import type { RuleDescriptor } from "../core/descriptor.js";
import { pathPatternMatcher } from "../core/settings.js";
import { describeMarker, markerRemedy, publicFlowOfEndpoint, stateChange } from "./util/endpoints.js";

export const descriptor: RuleDescriptor = {
  id: "AP102",
  name: "no-anonymous-write",
  title: "State-changing routes are not opened to anonymous callers",
  description:
    "An explicit anonymous opt-out (`[AllowAnonymous]`, `.AllowAnonymous()`, `@Public()`, a configured public marker) on a state-changing route outside the public flows (sign-in, sign-up, password reset, token refresh, OAuth callbacks, webhooks, health checks).",
  severity: "medium",
  soc2: ["CC6.1"],
  owasp: ["API5:2023 Broken Function Level Authorization"],
  cwe: "CWE-862",
  remediation:
    "Remove the anonymous marker, or narrow it to the public flow it serves (sign-in, sign-up, password reset, a webhook whose signature the handler verifies), and record why the route is public in the suppression's justification.",
};

export interface Options {
  /** Route paths that are public by design (`/contact`, `/partner/callbacks/**`). */
  ignoreRoutes: string[];
  /** Leave sign-in, sign-up, password-reset, token-refresh, webhook and health-check routes alone. */
  allowPublicFlows: boolean;
}

export type MessageIds = "anonymousWrite";

export default createRule<Options, MessageIds>({
  descriptor,
  meta: {
    type: "problem",
    messages: {
      anonymousWrite:
        "{{method}} {{path}}{{handler}} {{reason}}, and {{marker}} opens it to anonymous callers: anyone on the network can call it, and nothing records who did.",
    },
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
            description:
              "Leave sign-in, sign-up, password-reset, token-refresh, OAuth-callback, webhook and health-check routes alone.",
            type: "boolean",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ ignoreRoutes: [], allowPublicFlows: true }],
  },
  skipsTestFiles: true,
  create(context) {
    const { options, settings } = context;
    const ignored = pathPatternMatcher(options.ignoreRoutes);
    for (const endpoint of context.model.endpoints) {
      const [marker] = endpoint.anonymous;
      if (!marker) continue;
      const change = stateChange(endpoint);
      if (!change) continue;
      if (ignored(endpoint.path) || settings.publicRoutes(endpoint.path)) continue;
      if (options.allowPublicFlows && publicFlowOfEndpoint(endpoint, context.model.endpoints)) continue;
      context.report({
        loc: endpoint.loc,
        messageId: "anonymousWrite",
        data: {
          method: change.verb,
          path: endpoint.path,
          handler: endpoint.handler ? ` (${endpoint.handler})` : "",
          reason: change.reason,
          marker: describeMarker(marker),
        },
        remedy: markerRemedy(endpoint, marker),
      });
    }
  },
});
