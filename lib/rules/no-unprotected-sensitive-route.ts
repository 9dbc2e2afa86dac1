/**
 * AP104 no-unprotected-sensitive-route: an admin, debug, internal, test or metrics route
 * that anyone can reach, whatever its method: nothing protects it, or an anonymous marker
 * opens it.
 *
 * A route is sensitive when a whole segment of its path is one of the keywords (`/admin`,
 * `/api/internal/jobs`, `/_debug`), or when a word of its handler's name is
 * (`AdminController.Index`, `getDebugInfo`). Words are whole: `/contests`,
 * `TestimonialsController` and `attestations` are not `test`; `/admin-panel` is one
 * segment, found through its handler's name if that says `admin`.
 */
import { createRule } from "../core/create-rule.js";
import type { RuleDescriptor } from "../core/descriptor.js";
import { classifyEndpoint, type Endpoint } from "../core/model.js";
import { pathPatternMatcher } from "../core/settings.js";
import { describeMarker, markerRemedy, nameWords, publicFlowOfEndpoint, segmentsOf } from "./util/endpoints.js";

export const descriptor: RuleDescriptor = {
  id: "AP104",
  name: "no-unprotected-sensitive-route",
  title: "Admin, debug, internal, test and metrics routes require authorization",
  description:
    "An admin, debug, internal, test or metrics route, any method, that anyone can reach: no authentication or authorization protects it, or an anonymous marker opens it.",
  severity: "high",
  soc2: ["CC6.6", "CC6.7"],
  owasp: ["API9:2023 Improper Inventory Management"],
  cwe: "CWE-284",
  remediation:
    "Protect the admin, debug, internal or metrics route with an admin role or policy, serve it on an internal port or network only, or remove it from production builds.",
};

/** The words that make a route sensitive unless `extendDefaultKeywords` is false. */
export const DEFAULT_KEYWORDS: readonly string[] = ["admin", "debug", "internal", "test", "metrics"];

export interface Options {
  /** More words that make a route sensitive (`ops`, `backoffice`), whole path segments or handler-name words. */
  keywords: string[];
  /** Use the default keywords as well as `keywords`. */
  extendDefaultKeywords: boolean;
  /** Route paths that are public by design (`/metrics` scraped inside the cluster). */
  ignoreRoutes: string[];
  /** Leave sign-in, sign-up, password-reset and health-check routes alone (`/admin/login`, `/internal/health`). */
  allowPublicFlows: boolean;
}

export type MessageIds = "unprotected" | "anonymous";

/** A word the route is sensitive by, and where it was found. */
interface Evidence {
  keyword: string;
  place: "path" | "handler's name";
}

/** The first keyword among the route's path segments, then among its handler's words. */
function sensitiveBy(endpoint: Endpoint, keywords: ReadonlySet<string>): Evidence | undefined {
  for (const segment of segmentsOf(endpoint.path)) {
    // `_debug`, `__admin__`: the punctuation around a segment is not part of its word.
    const word = segment.toLowerCase().replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
    if (keywords.has(word)) return { keyword: word, place: "path" };
  }
  for (const word of nameWords(endpoint.handler ?? "")) {
    if (keywords.has(word)) return { keyword: word, place: "handler's name" };
  }
  return undefined;
}

export default createRule<Options, MessageIds>({
  descriptor,
  meta: {
    type: "problem",
    messages: {
      unprotected:
        "{{method}} {{path}}{{handler}} is a sensitive route (`{{keyword}}` in its {{place}}) but nothing requires authorization: {{missing}}.",
      anonymous:
        "{{method}} {{path}}{{handler}} is a sensitive route (`{{keyword}}` in its {{place}}) but {{marker}} opens it to anonymous callers.",
    },
    schema: [
      {
        type: "object",
        properties: {
          keywords: {
            description:
              "More words that make a route sensitive: matched against whole path segments and the words of handler names, without regard to case.",
            type: "array",
            items: { type: "string", pattern: "^[A-Za-z0-9]+$" },
            uniqueItems: true,
          },
          extendDefaultKeywords: {
            description: "Use the default keywords (admin, debug, internal, test, metrics) as well as `keywords`.",
            type: "boolean",
          },
          ignoreRoutes: {
            description: "Route paths that are public by design: `*` matches one path segment, `**` any number.",
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
          },
          allowPublicFlows: {
            description: "Leave sign-in, sign-up, password-reset and health-check routes under a sensitive path alone.",
            type: "boolean",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ keywords: [], extendDefaultKeywords: true, ignoreRoutes: [], allowPublicFlows: true }],
  },
  skipsTestFiles: true,
  create(context) {
    const { options, settings } = context;
    const keywords = new Set(
      [...(options.extendDefaultKeywords ? DEFAULT_KEYWORDS : []), ...options.keywords].map((k) => k.toLowerCase()),
    );
    if (keywords.size === 0) return;
    const ignored = pathPatternMatcher(options.ignoreRoutes);
    for (const endpoint of context.model.endpoints) {
      const [marker] = endpoint.anonymous;
      if (!marker && classifyEndpoint(endpoint) !== "public") continue;
      const evidence = sensitiveBy(endpoint, keywords);
      if (!evidence) continue;
      if (ignored(endpoint.path) || settings.publicRoutes(endpoint.path)) continue;
      if (options.allowPublicFlows && publicFlowOfEndpoint(endpoint, context.model.endpoints)) continue;
      const method = endpoint.methods.join(", ");
      const handler = endpoint.handler ? ` (${endpoint.handler})` : "";
      const { keyword, place } = evidence;
      if (marker) {
        context.report({
          loc: endpoint.loc,
          messageId: "anonymous",
          data: { method, path: endpoint.path, handler, keyword, place, marker: describeMarker(marker) },
          remedy: markerRemedy(endpoint, marker),
        });
      } else {
        context.report({
          loc: endpoint.loc,
          messageId: "unprotected",
          data: { method, path: endpoint.path, handler, keyword, place, missing: endpoint.vocabulary.missingAuth },
          remedy: endpoint.vocabulary.addAuth,
        });
      }
    }
  },
});
