/**
 * What other C# files of the project need to know of this one (lib/core/project/summary.ts),
 * built in the parser worker for the project index:
 *  - markers: attribute and filter classes it declares, and what they do when a
 *    controller or action carries them (a subclass of `AuthorizeAttribute` or an
 *    `IAuthorizationFilter` protects; a subclass of `AllowAnonymousAttribute` or an
 *    `IAllowAnonymous` opts out);
 *  - types: every class with its bases and the authorization attributes on it, for
 *    controllers deriving from it in other files; for a partial class, the types of its
 *    part's members (`partMembers`), for the actions of its parts in other files;
 *  - attachments: route builders it hands to functions of other files
 *    (`app.MapGroup("/orders").RequireAuthorization().MapOrdersApi()`), with the prefix
 *    and protections they carry;
 *  - appWide: its startup registrations (a FallbackPolicy, a global AuthorizeFilter,
 *    `MapControllers().RequireAuthorization()`, Razor Pages conventions);
 *  - functions: what the public methods of its services, repositories and MediatR handlers
 *    do with records, in their own terms (AP103, data-layer.ts), with the service-typed
 *    properties of its classes (`members`) and its records' positional parameters for the
 *    calls that reach them;
 *  - scopedEntities: entities its EF Core query filters scope to an owner or tenant.
 */
import type { AnonymousMarker, Protection, RouteGroupCall, StartupRegistration } from "../../lib/core/model.js";
import type {
  AppWideProtection,
  Attachment,
  FileSummary,
  MarkerEffect,
  TypeSummary,
} from "../../lib/core/project/summary.js";
import { LIBRARIES } from "./libraries/index.js";
import { CSharpFile } from "./libraries/library.js";
import type { ResolvedSettings } from "../../lib/core/settings.js";
import type { SyntaxNode, Tree } from "../parser.js";
import { collectDeclarations } from "./declarations.js";
import { ANONYMOUS_BASES, AUTH_BASES, attributeClassifier } from "./protections.js";
import { recoverFromSyntaxErrors } from "./recovery.js";
import { nodeLoc } from "./syntax.js";
import { controllerTemplates } from "./libraries/aspnetcore-mvc.js";
import { functionSummaries } from "./data-layer.js";
import { queryFilterScopes } from "./query-filters.js";
import { isServiceType } from "./record-access.js";
import { field, parametersOf } from "./invocations.js";
import { simpleName } from "./syntax.js";
import { auditMechanisms } from "./audit-events.js";
import { globalSuppressions } from "../scan.js";

/** Filters that run before an action and can end the request with their own result. */
const ACTION_FILTER_BASES = new Set([
  "ActionFilterAttribute",
  "IActionFilter",
  "IAsyncActionFilter",
  "IResourceFilter",
  "IAsyncResourceFilter",
  "IEndpointFilter",
]);
/** A 401/403 result, in the forms filters write it. */
const DENIES =
  /\b(?:UnauthorizedObjectResult|UnauthorizedResult|ForbidResult|ForbiddenResult|StatusCodes\.Status40[13]\w*|TypedResults\.(?:Unauthorized|Forbid)|Results\.(?:Unauthorized|Forbid))\b/;

export function summarizeCSharp(
  parsed: Tree,
  parsedText: string,
  settings: ResolvedSettings,
  filename: string,
): FileSummary {
  const { tree, text } = recoverFromSyntaxErrors(parsed, parsedText);
  try {
    const file = new CSharpFile(tree.rootNode, text, settings, filename);
    const summary = summarizeRoot(tree.rootNode, text, settings, file);
    const attachments: Attachment[] = [];
    const appWide: AppWideProtection[] = [];
    for (const library of LIBRARIES) {
      if (!library.applies(file)) continue;
      for (const call of library.routeGroupCalls?.(file) ?? []) attachments.push(groupAttachment(call, filename));
      for (const registration of library.registrations?.(file) ?? []) {
        const rule = appWideOf(registration);
        if (rule) appWide.push(rule);
      }
    }
    // A fallback applies to what nothing else protects: the scoped registrations go first.
    appWide.sort((a, b) => Number(a.fallback ?? false) - Number(b.fallback ?? false));
    const scopes = queryFilterScopes(file).scopes;
    // Audit mechanisms and the interceptors they need registered, for the project's endpoints (AP107).
    const { mechanisms, interceptors } = auditMechanisms(file);
    // `[assembly: SuppressMessage("ApiPosture", …)]`, for the files of the project they reach.
    const suppressions = globalSuppressions(tree.rootNode);
    return {
      ...summary,
      attachments,
      appWide,
      ...(scopes.length > 0 ? { scopedEntities: scopes } : {}),
      ...(mechanisms.length > 0 ? { audit: mechanisms } : {}),
      ...(interceptors.length > 0 ? { interceptors } : {}),
      ...(suppressions.length > 0 ? { globalSuppressions: suppressions } : {}),
    };
  } finally {
    if (tree !== parsed) tree.delete();
  }
}

/** The frameworks an ASP.NET Core fallback policy covers: every endpoint without authorization metadata. */
const ASPNETCORE_FRAMEWORKS = ["aspnetcore-mvc", "minimal-apis", "razor-pages"];

function appWideOf(registration: StartupRegistration): AppWideProtection | undefined {
  if (registration.effect !== "protect") return undefined;
  const protection: Protection = {
    name: registration.name,
    source: "global",
    loc: registration.loc,
    ...(registration.requirement ? { requirement: registration.requirement } : {}),
  };
  const { scope } = registration;
  switch (scope.kind) {
    case "fallback":
      return { protection, frameworks: ASPNETCORE_FRAMEWORKS, fallback: true, honoursAnonymous: true };
    case "frameworks":
      return { protection, frameworks: scope.frameworks, honoursAnonymous: true };
    case "pages": {
      const route = `/${scope.route.segments.join("/")}`;
      const paths = scope.folder ? [route === "/" ? "/:rest*" : `${route}/:rest*`] : [route];
      return { protection, frameworks: [scope.framework], paths, honoursAnonymous: true };
    }
  }
}

/** A builder handed to a function of another file: the function's name is what other files declare. */
function groupAttachment(call: RouteGroupCall, filename: string): Attachment {
  return {
    module: call.name,
    export: call.name,
    param: call.position,
    prefix: call.prefix.segments,
    protections: [...call.protections, ...call.resultProtections].map((p) => ({ ...p, file: filename })),
    ...(call.registeredOn ? { via: { export: call.registeredOn.name, param: call.registeredOn.position } } : {}),
    loc: call.loc,
  };
}

function summarizeRoot(root: SyntaxNode, text: string, settings: ResolvedSettings, file: CSharpFile): FileSummary {
  // A file without a class declares nothing other files derive from or use as an attribute.
  if (!text.includes("class") && !text.includes("record")) return { attachments: [], markers: [], types: [] };
  const declarations = collectDeclarations(root);
  const classifier = attributeClassifier(declarations, settings);
  const markers: MarkerEffect[] = [];
  const types: TypeSummary[] = [];
  for (const decl of declarations.classes) {
    const first = decl.nodes[0];
    if (!first) continue;
    const loc = nodeLoc(first);
    const bases = new Set([decl, ...declarations.baseChain(decl)].flatMap((d) => d.baseTypes));
    if ([...bases].some((b) => AUTH_BASES.has(b))) markers.push({ type: decl.name, effect: "protection", loc });
    else if ([...bases].some((b) => ANONYMOUS_BASES.has(b)))
      markers.push({ type: decl.name, effect: "anonymous", loc });
    else if ([...bases].some((b) => ACTION_FILTER_BASES.has(b)) && decl.nodes.some((n) => DENIES.test(n.text)))
      // An action filter that answers 401/403 itself (`context.Result = new UnauthorizedObjectResult(…)`).
      markers.push({ type: decl.name, effect: "protection", loc });
    const protections: Protection[] = [];
    const anonymous: AnonymousMarker[] = [];
    for (const attribute of decl.attributes) {
      if (classifier.isAnonymous(attribute))
        anonymous.push({ name: attribute.text, source: "class", loc: attribute.loc });
      else if (classifier.isProtection(attribute)) {
        // What it requires, for the classes of other files that take it (`[Authorize(Roles = "Staff")]` on a base or a part).
        const requirement = classifier.requirement(attribute);
        protections.push({
          name: attribute.text,
          source: "class",
          loc: attribute.loc,
          ...(requirement !== "authenticated" ? { requirement } : {}),
        });
      }
    }
    // [Route] is inherited: a controller deriving from this class in another file without its own takes it.
    const routes = decl.attributes.some((a) => a.name === "Route")
      ? controllerTemplates(decl.attributes, declarations.constant)
      : [];
    const memberTypes = declarations.memberTypes(decl);
    const members = serviceMembers(memberTypes);
    const parts = decl.modifiers.has("partial") ? partMembers(memberTypes) : undefined;
    types.push({
      name: decl.name,
      bases: decl.baseTypes,
      ...(routes.length > 0 ? { routes } : {}),
      ...(members ? { members } : {}),
      ...(parts ? { partMembers: parts } : {}),
      protections,
      anonymous,
      loc,
    });
  }
  types.push(...records(root, text));
  const functions = functionSummaries(file);
  return { attachments: [], markers, types, ...(functions.length > 0 ? { functions } : {}) };
}

/** Service-typed members a class offers callers of other files: a bundle of services (`Queries` → `IOrderQueries`). */
const MAX_MEMBERS = 16;

function serviceMembers(types: ReadonlyMap<string, string>): Record<string, string> | undefined {
  let members: Record<string, string> | undefined;
  let count = 0;
  for (const [name, type] of types) {
    if (!/^[A-Z]/.test(name) || !isServiceType(type)) continue;
    (members ??= {})[name] = type;
    if (++count >= MAX_MEMBERS) break;
  }
  return members;
}

/** Members of a partial class's part kept for its other parts: enough for any controller's injected services. */
const MAX_PART_MEMBERS = 64;

function partMembers(types: ReadonlyMap<string, string>): Record<string, string> | undefined {
  let members: Record<string, string> | undefined;
  let count = 0;
  for (const [name, type] of types) {
    (members ??= {})[name] = type;
    if (++count >= MAX_PART_MEMBERS) break;
  }
  return members;
}

/** Records with a primary constructor, with the properties it sets in order: `record DeleteOrderCommand(int OrderNumber)`. */
const MAX_RECORDS = 256;

function records(root: SyntaxNode, text: string): TypeSummary[] {
  if (!/\brecord\b/.test(text)) return [];
  const out: TypeSummary[] = [];
  for (const node of root.descendantsOfType("record_declaration")) {
    const own = field(node, "name")?.text;
    if (own === undefined || !node.namedChildren.some((c) => c.type === "parameter_list")) continue;
    // A record nested in a feature class (`Edit.Command`) is named as callers write it.
    const outer = node.parent?.type === "declaration_list" ? node.parent.parent : null;
    const outerName =
      outer && /^(?:class|record|struct)_declaration$/.test(outer.type) ? field(outer, "name")?.text : undefined;
    const name = outerName !== undefined ? `${outerName}.${own}` : own;
    const bases = node.namedChildren.find((c) => c.type === "base_list");
    out.push({
      name,
      bases: bases ? bases.namedChildren.filter((c) => c.type !== "argument_list").map((c) => simpleName(c)) : [],
      positional: parametersOf(node).map((p) => p.name),
      protections: [],
      anonymous: [],
      loc: nodeLoc(node),
    });
    if (out.length >= MAX_RECORDS) break;
  }
  return out;
}
