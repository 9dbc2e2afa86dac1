/**
 * The C# adapter: builds the file model of an ASP.NET Core file from its tree-sitter
 * tree, in the parser worker. Each library under libraries/ (MVC controllers, Minimal APIs, Razor Pages, …) turns
 * what it knows into endpoints (routes, protections, anonymous markers, data
 * operations) and app-wide registrations, which apply to the file's own endpoints here
 * and travel in the model (`startup`) to the rest of the project; rules decide what is a
 * finding.
 */
import type { Endpoint, FileModel, RouteGroupCall, StartupRegistration } from "../../lib/core/model.js";
import type { ResolvedSettings } from "../../lib/core/settings.js";
import { recoverFromSyntaxErrors } from "./recovery.js";
import { applyStartup } from "./startup.js";
import type { Tree } from "../parser.js";
import { LIBRARIES } from "./libraries/index.js";
import { CSharpFile } from "./libraries/library.js";
import type { PartMembers } from "./declarations.js";
import { collectLiterals, type CSharpStringLiteral } from "./literals.js";
import { collectEqualityChecks } from "./comparisons.js";
import { mayNamePassword } from "../../lib/core/facts/passwords.js";
import { collectJwtFacts } from "./jwt.js";
import { collectCorsPolicies } from "./cors.js";
import { queryFilterScopes } from "./query-filters.js";
import { auditMechanisms } from "./audit-events.js";
import { applyAuditMechanisms, registeredMechanisms } from "../../lib/core/facts/audit.js";

/** The file model as the adapter hands it over: string literals carry ranges instead of locations. */
export type CSharpModel = Omit<FileModel, "literals"> & { literals: CSharpStringLiteral[] };

export function buildCSharpModel(
  parsed: Tree,
  parsedText: string,
  settings: ResolvedSettings,
  filename: string,
  partMembers: PartMembers = {},
): CSharpModel {
  const { tree, text } = recoverFromSyntaxErrors(parsed, parsedText);
  try {
    const root = tree.rootNode;
    // The services a partial controller's other parts inject are its actions' here too (AP103).
    const file = new CSharpFile(root, text, settings, filename, partMembers);
    const { endpoints, routeGroupCalls, registrations } = libraryFacts(file);
    applyStartup(endpoints, registrations);
    // Endpoints mapped on a builder from a caller this file does not show: the project index
    // finds the callers by the function's name.
    for (const endpoint of endpoints) {
      if (endpoint.registeredOn && !endpoint.exposure)
        endpoint.exposure = { export: endpoint.registeredOn.name, param: endpoint.registeredOn.position };
    }
    const scopes = queryFilterScopes(file).scopes;
    // The file's own audit mechanisms record its endpoints' writes; the project index applies other files' (AP107).
    if (endpoints.length > 0) {
      const audit = auditMechanisms(file);
      applyAuditMechanisms(endpoints, registeredMechanisms(audit.mechanisms, new Set(audit.interceptors)));
    }
    return {
      language: "csharp",
      filename,
      endpoints,
      ...(registrations.length > 0 ? { startup: { registrations } } : {}),
      ...(routeGroupCalls.length > 0 ? { routeGroupCalls } : {}),
      ...(scopes.length > 0 ? { queryFilterScopes: scopes } : {}),
      literals: collectLiterals(root, text),
      equalityChecks: mayNamePassword(text) ? collectEqualityChecks(root, text) : [],
      jwt: collectJwtFacts(root, text),
      cors: collectCorsPolicies(root, text),
    };
  } finally {
    if (tree !== parsed) tree.delete();
  }
}

interface LibraryFacts {
  endpoints: Endpoint[];
  routeGroupCalls: RouteGroupCall[];
  registrations: StartupRegistration[];
}

/** What every library that applies to the file makes of it. */
function libraryFacts(file: CSharpFile): LibraryFacts {
  const facts: LibraryFacts = { endpoints: [], routeGroupCalls: [], registrations: [] };
  for (const library of LIBRARIES) {
    if (!library.applies(file)) continue;
    if (library.endpoints) facts.endpoints.push(...library.endpoints(file));
    if (library.routeGroupCalls) facts.routeGroupCalls.push(...library.routeGroupCalls(file));
    if (library.registrations) facts.registrations.push(...library.registrations(file));
  }
  return facts;
}
