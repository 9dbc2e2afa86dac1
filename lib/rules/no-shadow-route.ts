/**
 * AP105 no-shadow-route: a route the code serves that the project's OpenAPI document does
 * not declare. It reports nothing until `settings["api-posture"].openapi` names the
 * document.
 *
 * Routes and document paths are compared in the template form of lib/core/openapi.ts:
 * parameter names and syntax, case and trailing slashes aside, with the servers' path
 * prefixes (Swagger 2's `basePath`) in front of the document's paths and the project's
 * mounts, groups and global prefixes in front of the code's.
 */
import * as path from "node:path";
import { createRule } from "../core/create-rule.js";
import type { RuleDescriptor } from "../core/descriptor.js";
import type { Endpoint, Language } from "../core/model.js";
import {
  covers,
  documentBase,
  documentFiles,
  documentPathFor,
  isCatchAllRoute,
  isKnownRoutePath,
  normaliseRoute,
  loadOpenApiDocument,
  OpenApiDocumentError,
  operationsOnRoute,
  operationsWithoutPrefix,
  type OpenApiDocument,
} from "../core/openapi.js";
import type { ProjectKind } from "../core/project/root.js";
import { pathPatternMatcher } from "../core/settings.js";

export const descriptor: RuleDescriptor = {
  id: "AP105",
  name: "no-shadow-route",
  title: "Routes are declared in the OpenAPI document",
  description:
    'A route the code serves that the project\'s OpenAPI document does not declare (only when `settings["api-posture"].openapi` names the document).',
  severity: "low",
  soc2: ["CC6.7"],
  owasp: ["API9:2023 Improper Inventory Management"],
  cwe: "CWE-1059",
  remediation:
    "Declare the route in the OpenAPI document, with its method, parameters and security, so that it is reviewed and inventoried with the rest of the API, or remove it if no client should reach it. A route left out on purpose (a health probe, metrics scraped inside the cluster) goes in ignoreRoutes.",
};

export interface Options {
  /** Route paths the document leaves out on purpose (`/health`, `/internal/**`). */
  ignoreRoutes: string[];
}

export type MessageIds = "undeclared" | "underOtherPrefix" | "unreadableDocument";

/** The project a file of each language belongs to, for documents given relative to it. */
const PROJECT_KIND: Record<Language, ProjectKind> = { ts: "node", csharp: "dotnet" };

/** A file as messages show it: relative to the working directory when inside it. */
function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === "" || relative.startsWith("..") || path.isAbsolute(relative)
    ? file
    : relative.split(path.sep).join("/");
}

/** `openapi.yaml does not exist`, `openapi.yaml refers to paths/orders.yaml, which is not valid YAML …`. */
function problemOf(error: OpenApiDocumentError, entry: string, file: string, cwd: string): string {
  const shown = displayPath(file, cwd);
  const label = path.isAbsolute(entry) || shown === entry ? entry : `${entry} (${shown})`;
  if (path.resolve(error.file) === file) return `${label} ${error.reason}`;
  const referred = path.relative(path.dirname(file), error.file).split(path.sep).join("/");
  return `${label} refers to ${referred}, which ${error.reason}`;
}

/**
 * Endpoints the document is expected to list and that can be compared with it: API routes
 * (not pages or server actions) whose path the code tells.
 */
function isApiRoute(endpoint: Endpoint): boolean {
  return endpoint.vocabulary.apiSurface !== false && isKnownRoutePath(endpoint.path);
}

export default createRule<Options, MessageIds>({
  descriptor,
  meta: {
    type: "problem",
    messages: {
      undeclared:
        "{{method}} {{path}}{{handler}} is served but not declared in {{document}} (an undocumented route escapes review and inventory).",
      underOtherPrefix:
        "{{method}} {{path}}{{handler}} is served but not declared in {{document}}, which declares it under the server path {{prefix}} (an undocumented route escapes review and inventory).",
      unreadableDocument: "The OpenAPI document {{problem}}; no route of this file is checked against the document.",
    },
    schema: [
      {
        type: "object",
        properties: {
          ignoreRoutes: {
            description:
              "Route paths the document leaves out on purpose: `*` matches one path segment, `**` any number.",
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ ignoreRoutes: [] }],
  },
  skipsTestFiles: true,
  create(context) {
    const { options, settings, model, cwd } = context;
    const entries = settings.openapi;
    if (entries.length === 0) return;
    const ignored = pathPatternMatcher(options.ignoreRoutes);
    const endpoints = model.endpoints.filter((e) => isApiRoute(e) && !ignored(e.path));
    if (endpoints.length === 0) return;

    const kind = PROJECT_KIND[model.language];
    const files = documentFiles(entries, context.filename, kind, cwd);
    const docs: OpenApiDocument[] = [];
    for (const [i, file] of files.entries()) {
      try {
        docs.push(loadOpenApiDocument(file));
      } catch (error) {
        if (!(error instanceof OpenApiDocumentError)) throw error;
        const base = path.isAbsolute(entries[i])
          ? ""
          : ` (a relative path is read from ${displayPath(documentBase(context.filename, kind, cwd), cwd)})`;
        // One message for the file, before its routes, in place of their findings.
        context.report({
          loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 0 } },
          messageId: "unreadableDocument",
          data: { problem: problemOf(error, entries[i], file, cwd) },
          remedy: `point settings["api-posture"].openapi at the document${base}, or correct the document.`,
        });
        return;
      }
    }
    const document = entries.join(" or ");
    // A route registered more than once in the file (middleware added route by route) is one route.
    const reported = new Set<string>();
    for (const endpoint of endpoints) {
      const onPath = docs.flatMap((doc, i) =>
        operationsOnRoute(doc, endpoint.path).map((operation) => ({ operation, entry: entries[i] })),
      );
      const declared = new Set<string>(onPath.map(({ operation }) => operation.method));
      // An OPTIONS catch-all (`app.options("*", cors())`) answers CORS preflights for every path.
      const preflight = isCatchAllRoute(endpoint.path);
      const undeclared = endpoint.methods.filter(
        (method) => !covers(declared, method) && !(method === "OPTIONS" && preflight),
      );
      if (undeclared.length === 0) continue;
      const route = normaliseRoute(endpoint.path)[0];
      const key = `${undeclared.join(",")} ${route}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const method = undeclared.join(", ");
      const handler = endpoint.handler ? ` (${endpoint.handler})` : "";
      // Declared at the route's path, but only behind a server path the code does not serve.
      const elsewhere = docs
        .flatMap((doc) => operationsWithoutPrefix(doc, endpoint.path))
        .filter((operation) => !operation.prefixes.includes("/"));
      const elsewhereMethods = new Set(elsewhere.map((operation) => operation.method));
      if (elsewhere.length > 0 && undeclared.every((method) => covers(elsewhereMethods, method))) {
        const prefix = [...new Set(elsewhere.flatMap((operation) => operation.prefixes))].join(" or ");
        context.report({
          loc: endpoint.loc,
          messageId: "underOtherPrefix",
          data: { method, path: endpoint.path, handler, document, prefix },
          remedy: `serve the route under ${prefix} as the document says, or list the server that serves it without the prefix in the document's servers (\`url: /\`).`,
        });
        continue;
      }
      const operations = undeclared.map((m) => (m === "ANY" ? "the methods it answers" : m.toLowerCase())).join(", ");
      const [existing] = onPath;
      context.report({
        loc: endpoint.loc,
        messageId: "undeclared",
        data: { method, path: endpoint.path, handler, document },
        remedy: existing
          ? `add ${operations} to ${existing.operation.path} in the paths of ${existing.entry}, or remove the route if no client should reach it.`
          : `add ${documentPathFor(docs[0], endpoint.path)} with ${operations} to the paths of ${entries[0]}, or remove the route if no client should reach it.`,
      });
    }
  },
});
