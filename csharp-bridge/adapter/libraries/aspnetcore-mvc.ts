/**
 * ASP.NET Core MVC: which classes are controllers and which of their methods are actions
 * (following ControllerFeatureProvider and DefaultApplicationModelProvider as far as one
 * file shows them), the routes attribute routing gives each action, and the protections
 * and anonymous markers on the action, the controller and its same-file base classes.
 *
 * Attribute routing mirrors how MVC builds selectors (DefaultApplicationModelProvider.CreateSelectors):
 *  - every attribute that carries a template (`[HttpPost("{id}")]`, `[Route("x")]`,
 *    `[AcceptVerbs("GET", Route = "x")]`) defines one route;
 *  - a `[Route]` route takes the methods of the template-less verb attributes next to
 *    it (`[Route("x")] [HttpPost]` is one POST route);
 *  - template-less verb attributes next to verb-with-template ones make one more route
 *    on the controller's template (`[HttpGet] [HttpPost("x")]` is two routes);
 *  - no verb attribute at all means every method (`ANY`).
 * Without any route attribute on the action, its controller or a base controller, the
 * action is conventionally routed: `/{area}/{controller}/{action}`, with the
 * `[controller]`/`[action]`/`[area]` tokens replaced.
 *
 * App-wide, MVC's global filters and the conventions on `MapControllers()` protect
 * actions (see mvcRegistrations).
 */
import { routePath } from "../../../lib/core/model.js";
import type {
  AuditEvent,
  Endpoint,
  FrameworkVocabulary,
  HttpMethod,
  ProtectionSource,
  Reference,
  StartupRegistration,
} from "../../../lib/core/model.js";
import type { SyntaxNode } from "../../parser.js";
import { positional, property, type CSharpAttribute } from "../attributes.js";
import { indexDataLayer, type DataLayerIndex } from "../data-layer.js";
import { requestChecks, type RequestChecksIndex } from "../request-checks.js";
import { withChecks } from "../../../lib/core/adapter-utils.js";
import type { ClassDecl, FileDeclarations, MethodDecl } from "../declarations.js";
import { attributeRequirements, mergeRequirements, type AttributeClassifier } from "../protections.js";
import { normalisePath, templateText, type ConstantLookup } from "../routes.js";
import { createdObject, creationRequirement, mappedConventions, type ConventionContext } from "../conventions.js";
import {
  argumentsOf,
  argumentValue,
  calledName,
  callOnResult,
  identifiersMatching,
  typeArgumentsOf,
  unwrapParentheses,
} from "../invocations.js";
import { nodeLoc, shortText, simpleName, stringLiteralValue } from "../syntax.js";
import { authorizeFix } from "../auth-fixes.js";
import { auditEventsOfMethod, recordAudits } from "../audit-events.js";
import type { CSharpFile, CSharpLibrary } from "./library.js";

export const ASPNETCORE_MVC: FrameworkVocabulary = {
  displayName: "ASP.NET Core MVC",
  missingAuth: "no [Authorize] on the action or controller",
  addAuth: "add [Authorize] (with a role or policy where it fits) to the action or its controller.",
};

export const aspnetcoreMvc: CSharpLibrary = {
  id: "aspnetcore-mvc",
  vocabulary: ASPNETCORE_MVC,
  applies: (file) => file.text.includes("Controller") || file.text.includes("Filters"),
  endpoints: mvcEndpoints,
  registrations: mvcRegistrations,
};

/** Controllers and their actions as endpoints. */
function mvcEndpoints(file: CSharpFile): Endpoint[] {
  // Every way a class becomes a controller (`[ApiController]`, `[Controller]`, a
  // `Controller`/`ControllerBase` base, the `Controller` suffix) spells the word.
  if (!file.text.includes("Controller")) return [];
  const { declarations } = file;
  const controllers = declarations.classes.filter((decl) => isController(decl, declarations));
  if (controllers.length === 0) return [];
  const classifier = file.classifier;
  const scanned = new Set<ClassDecl>(controllers.flatMap((c) => [c, ...declarations.baseChain(c)]));
  const dataLayer = indexDataLayer([...scanned], file);
  const checks = requestChecks(file);
  return controllers.flatMap((controller) => controllerEndpoints(file, controller, classifier, dataLayer, checks));
}

// ---------------------------------------------------------------- app-wide registrations

/** What MvcOptions.Filters applies to: controller actions and Razor Pages handlers alike. */
const FILTERED_FRAMEWORKS = ["aspnetcore-mvc", "razor-pages"];
const CONTROLLER_MAPS = /\b(?:MapControllers|MapDefaultControllerRoute|MapControllerRoute|MapAreaControllerRoute)\b/g;
const FILTER_ADDS = new Set(["Add", "AddService", "Insert"]);

/**
 * The app-wide authorization of MVC:
 *  - a global filter in MvcOptions (`AddControllers(o => o.Filters.Add(new AuthorizeFilter(policy)))`,
 *    `AddMvc`, `AddControllersWithViews`, `Configure<MvcOptions>`, `Filters.Add<ApiKeyAuthFilter>()`,
 *    `Filters.Add(typeof(…))`), judged by the attribute rules: `AllowAnonymousFilter` opens
 *    every action and page;
 *  - conventions on the controllers' endpoints: `MapControllers().RequireAuthorization()`,
 *    `MapDefaultControllerRoute().RequireAuthorization("Staff")`.
 */
function mvcRegistrations(file: CSharpFile): StartupRegistration[] {
  const ctx = { root: file.root, text: file.text, classifier: file.classifier };
  const registrations: StartupRegistration[] = [];
  if (file.text.includes("Filters")) registrations.push(...globalFilters(file, ctx));
  if (/Map\w*Controller/.test(file.text))
    registrations.push(...mappedConventions(ctx, CONTROLLER_MAPS, [aspnetcoreMvc.id]));
  return registrations;
}

function globalFilters(file: CSharpFile, ctx: ConventionContext): StartupRegistration[] {
  const registrations: StartupRegistration[] = [];
  for (const identifier of identifiersMatching(file.root, file.text, /\bFilters\b/g)) {
    const parent = identifier.parent;
    const collection =
      parent?.type === "member_access_expression" && parent.lastNamedChild?.id === identifier.id ? parent : identifier;
    const call = callOnResult(collection);
    if (!call || !FILTER_ADDS.has(calledName(call))) continue;
    const name = shortText(file.text.slice(identifier.startIndex, call.endIndex), 100);
    const loc = { start: nodeLoc(identifier).start, end: nodeLoc(call).end };
    for (const filter of addedFilters(call, ctx)) {
      if (ctx.classifier.isAnonymousType(filter.type)) {
        registrations.push({
          effect: "allow-anonymous",
          scope: { kind: "frameworks", frameworks: FILTERED_FRAMEWORKS },
          name,
          loc,
        });
      } else if (ctx.classifier.isProtectionType(filter.type)) {
        const requirement = filter.creation
          ? creationRequirement(ctx, filter.creation, filter.type)
          : ctx.classifier.typeRequirement(filter.type);
        registrations.push({
          effect: "protect",
          scope: { kind: "frameworks", frameworks: FILTERED_FRAMEWORKS },
          name,
          loc,
          requirement,
        });
      }
    }
  }
  return registrations;
}

/** The filter types a `Filters.Add…` call adds: type arguments, `new X(…)`, `typeof(X)`. */
function addedFilters(call: SyntaxNode, ctx: ConventionContext): Array<{ type: string; creation?: SyntaxNode }> {
  const filters: Array<{ type: string; creation?: SyntaxNode }> = typeArgumentsOf(call).map((type) => ({ type }));
  for (const argument of argumentsOf(call)) {
    const value = unwrapParentheses(argumentValue(argument));
    // `new AuthorizeFilter(policy)`, or a local holding one (`AuthorizeFilter filter = new(policy);`).
    const created = createdObject(ctx, value);
    if (created) filters.push(created);
    else if (value?.type === "typeof_expression") filters.push({ type: simpleName(value.childForFieldName("type")) });
  }
  return filters;
}

// ---------------------------------------------------------------- controllers and actions

const CONTROLLER_BASES = new Set(["Controller", "ControllerBase"]);
const CONTROLLER_ATTRIBUTES = new Set(["ApiController", "Controller"]);
/** A base class from another file that is named like one is taken for a controller base (`BaseApiController<T>`, `ApiControllerBase`). */
const CONTROLLER_LIKE_BASE = /Controller(?:Base)?$/;

/**
 * Members of `object`, `ControllerBase` and `Controller` that a controller may override
 * and that MVC never routes to (they are `[NonAction]` in the framework).
 */
const FRAMEWORK_MEMBERS = new Set([
  "ToString",
  "Equals",
  "GetHashCode",
  "Dispose",
  "OnActionExecuting",
  "OnActionExecuted",
  "OnActionExecutionAsync",
  "View",
  "PartialView",
  "ViewComponent",
  "Json",
  "Ok",
  "Created",
  "CreatedAtAction",
  "CreatedAtRoute",
  "Accepted",
  "AcceptedAtAction",
  "AcceptedAtRoute",
  "NoContent",
  "BadRequest",
  "NotFound",
  "Conflict",
  "Unauthorized",
  "Forbid",
  "Challenge",
  "SignIn",
  "SignOut",
  "Content",
  "File",
  "PhysicalFile",
  "Problem",
  "ValidationProblem",
  "StatusCode",
  "UnprocessableEntity",
  "Redirect",
  "RedirectPermanent",
  "RedirectToAction",
  "RedirectToRoute",
  "RedirectToPage",
  "LocalRedirect",
  "TryValidateModel",
  "TryUpdateModelAsync",
]);

/**
 * A controller is a public, non-abstract, non-generic class that is not `[NonController]`
 * and either is named `…Controller`, carries `[ApiController]`/`[Controller]` (itself or
 * on a base), or derives from `Controller`/`ControllerBase` directly or through a base
 * class (declared in this file or named like a controller base).
 */
const ACCESS = ["internal", "private", "protected"];

function isController(decl: ClassDecl, declarations: FileDeclarations): boolean {
  const chain = [decl, ...declarations.baseChain(decl)];
  if (chain.some((d) => d.attributes.some((a) => a.name === "NonController"))) return false;
  // A part of a partial class may leave its accessibility to another part (`partial class OrdersController`).
  const publicOrPart =
    decl.modifiers.has("public") || (decl.modifiers.has("partial") && !ACCESS.some((m) => decl.modifiers.has(m)));
  if (!publicOrPart || decl.modifiers.has("abstract") || decl.modifiers.has("static") || decl.isGeneric) return false;
  if (decl.name.endsWith("Controller")) return true;
  if (chain.some((d) => d.attributes.some((a) => CONTROLLER_ATTRIBUTES.has(a.name)))) return true;
  const topBase = chain.at(-1)!.baseName;
  return (
    chain.some((d) => d.baseName !== undefined && CONTROLLER_BASES.has(d.baseName)) ||
    (topBase !== undefined && CONTROLLER_LIKE_BASE.test(topBase))
  );
}

/**
 * The actions of a controller: its public instance methods and those it inherits from
 * same-file base classes (a method hides a base method of the same name), minus
 * `[NonAction]`, generic methods, `Dispose()` and overrides of framework members.
 */
function actionsOf(controller: ClassDecl, declarations: FileDeclarations): MethodDecl[] {
  const actions: MethodDecl[] = [];
  const hidden = new Set<string>();
  for (const decl of [controller, ...declarations.baseChain(controller)]) {
    for (const method of decl.methods) {
      if (!hidden.has(method.name) && isAction(method)) actions.push(method);
    }
    for (const method of decl.methods) hidden.add(method.name);
  }
  return actions;
}

function isAction(method: MethodDecl): boolean {
  const { modifiers } = method;
  if (!modifiers.has("public") || modifiers.has("static") || modifiers.has("abstract") || method.isGeneric)
    return false;
  if (method.attributes.some((a) => a.name === "NonAction")) return false;
  if (modifiers.has("override") && FRAMEWORK_MEMBERS.has(method.name)) return false;
  return !(method.name === "Dispose" && !method.hasParameters);
}

// ---------------------------------------------------------------- endpoints

/** Bases that make a controller and carry no authorization of their own. */
const FRAMEWORK_BASES = new Set([
  "Controller",
  "ControllerBase",
  "ApiController",
  "Microsoft.AspNetCore.Mvc.Controller",
]);
/** Attributes of the framework that say nothing about authorization; anything else unknown is looked up in the project. */
const FRAMEWORK_ATTRIBUTES = new Set([
  "ApiController",
  "Route",
  "HttpGet",
  "HttpPost",
  "HttpPut",
  "HttpPatch",
  "HttpDelete",
  "HttpHead",
  "HttpOptions",
  "AcceptVerbs",
  "Produces",
  "ProducesResponseType",
  "Consumes",
  "ApiExplorerSettings",
  "ApiVersion",
  "Area",
  "ActionName",
  "ControllerName",
  "NonAction",
  "NonController",
  "ValidateAntiForgeryToken",
  "IgnoreAntiforgeryToken",
  "RequestSizeLimit",
  "DisableRequestSizeLimit",
  "ResponseCache",
  "Obsolete",
  "SuppressMessage",
]);

function controllerEndpoints(
  file: CSharpFile,
  controller: ClassDecl,
  classifier: AttributeClassifier,
  dataLayer: DataLayerIndex,
  checks: RequestChecksIndex,
): Endpoint[] {
  const { declarations } = file;
  const bases = declarations.baseChain(controller);
  const constants = declarations.constant;
  const classRequirements = attributeRequirements(controller.attributes, "class", classifier);
  for (const base of bases)
    mergeRequirements(classRequirements, attributeRequirements(base.attributes, "base-class", classifier));
  // RouteAttribute is inherited: a controller without its own [Route] uses its nearest base's.
  const controllerRoutes =
    [controller, ...bases].map((d) => controllerTemplates(d.attributes, constants)).find((t) => t.length > 0) ?? [];
  const area = [controller, ...bases]
    .map((d) => attributeValue(d.attributes, "Area", declarations))
    .find((v) => v !== undefined);
  const controllerName =
    attributeValue(controller.attributes, "ControllerName", declarations) ?? controller.name.replace(/Controller$/, "");

  // What other files of the project define: a base class this file does not declare, and
  // attributes this file cannot classify (a `[RequireTenant]` deriving from AuthorizeAttribute).
  const top = [controller, ...bases].at(-1)!;
  const classReferences: Reference[] = [];
  // A partial controller: its parts in other files may carry [Authorize], [AllowAnonymous], [Route] or the base class.
  const partial = controller.modifiers.has("partial");
  if (partial)
    classReferences.push({
      name: controller.name,
      type: controller.name,
      role: "partial",
      source: "class",
      loc: nodeLoc(controller.nodes[0]),
    });
  const baseName = top.baseName;
  const externalBase =
    baseName !== undefined && !FRAMEWORK_BASES.has(baseName) && !declarations.classes.some((c) => c.name === baseName);
  if (externalBase)
    classReferences.push({
      name: baseName,
      type: baseName,
      role: "base",
      source: "base-class",
      loc: nodeLoc(controller.nodes[0]),
    });
  const unclassified = (attributes: readonly CSharpAttribute[], source: ProtectionSource): Reference[] =>
    attributes
      .filter((a) => !classifier.isProtection(a) && !classifier.isAnonymous(a) && !FRAMEWORK_ATTRIBUTES.has(a.name))
      .map((a) => ({ name: a.text, type: a.name, role: "marker", source, loc: a.loc }));
  classReferences.push(...unclassified(controller.attributes, "class"));

  const endpoints: Endpoint[] = [];
  for (const action of actionsOf(controller, declarations)) {
    const tokens: RouteTokens = {
      controller: controllerName,
      action: attributeValue(action.attributes, "ActionName", declarations) ?? action.name.replace(/Async$/, ""),
      area: attributeValue(action.attributes, "Area", declarations) ?? area,
    };
    const own = attributeRequirements(action.attributes, "route", classifier);
    mergeRequirements(own, classRequirements);
    const dataOperations = dataLayer.operationsOf(action, controller);
    const calls = dataLayer.callsOf(action, controller);
    const references = [...unclassified(action.attributes, "route"), ...classReferences];
    // Without a [Route] of its own or of a base in this file, a base in another file may give one.
    const inheritable = (externalBase || partial) && controllerRoutes.length === 0;
    // `[Authorize]` on the action itself; an action inherited from a base would change every controller deriving from it.
    const authFixes =
      own.protections.length === 0 && own.anonymous.length === 0 && action.owner === controller
        ? [authorizeFix(file, action.node, `${controller.name}.${action.name}`)]
        : undefined;
    const first = endpoints.length;
    for (const [path, { methods, own: ownPath }] of routesOf(action, controllerRoutes, tokens, declarations)) {
      endpoints.push({
        framework: "aspnetcore-mvc",
        vocabulary: ASPNETCORE_MVC,
        methods,
        route: routePath(path),
        path,
        handler: `${controller.name}.${action.name}`,
        loc: action.nameLoc,
        protections: [...own.protections],
        anonymous: [...own.anonymous],
        dataOperations: [...dataOperations],
        ...(calls.length > 0 ? { calls: [...calls] } : {}),
        ...(references.length > 0 ? { references } : {}),
        ...(inheritable && ownPath !== undefined
          ? { inheritedRoute: { path: ownPath, tokens: tokenValues(tokens) } }
          : {}),
        ...(authFixes ? { authFixes } : {}),
      });
    }
    if (endpoints.length > first) {
      const found = checks.of(action, controller);
      for (const endpoint of endpoints.slice(first)) withChecks(endpoint, found);
      let audits: AuditEvent[] | undefined;
      for (const endpoint of endpoints.slice(first))
        recordAudits(endpoint, () => (audits ??= auditEventsOfMethod(action, file)));
    }
  }
  return endpoints;
}

/** The `[token]` values of a route template, as the project index fills in a base class's template. */
function tokenValues(tokens: RouteTokens): Record<string, string> {
  return {
    controller: tokens.controller,
    action: tokens.action,
    ...(tokens.area !== undefined ? { area: tokens.area } : {}),
  };
}

/**
 * Path → methods, one entry per distinct path the action answers on, with the action's own
 * part of the path (`/{id}`, `/` for none) when it is relative: a controller template
 * declared elsewhere goes in front of that part.
 */
function routesOf(
  action: MethodDecl,
  controllerRoutes: readonly string[],
  tokens: RouteTokens,
  declarations: FileDeclarations,
): Map<string, { methods: HttpMethod[]; own: string | undefined }> {
  const routes = new Map<string, { methods: HttpMethod[]; own: string | undefined }>();
  for (const selector of actionSelectors(action.attributes, declarations.constant)) {
    const template = selector.template;
    const own =
      template !== undefined && isAbsolute(template) ? undefined : normalisePath(replaceTokens(template ?? "", tokens));
    for (const path of selectorPaths(selector, controllerRoutes, tokens)) {
      const route = routes.get(path) ?? { methods: [], own };
      for (const method of selector.methods) if (!route.methods.includes(method)) route.methods.push(method);
      routes.set(path, route);
    }
  }
  return routes;
}

/** `/x` and `~/x` ignore the controller's template. */
function isAbsolute(template: string): boolean {
  return /^~?\//.test(template);
}

/** The first argument of `[Area("x")]`, `[ActionName("x")]`, `[ControllerName("x")]`. */
function attributeValue(
  attributes: readonly CSharpAttribute[],
  name: string,
  declarations: FileDeclarations,
): string | undefined {
  const attribute = attributes.find((a) => a.name === name);
  const value = attribute ? positional(attribute)[0] : undefined;
  return value ? templateText(value, declarations.constant) : undefined;
}

// ---------------------------------------------------------------- attribute routing

const VERB_ATTRIBUTES: ReadonlyMap<string, HttpMethod> = new Map([
  ["HttpGet", "GET"],
  ["HttpPost", "POST"],
  ["HttpPut", "PUT"],
  ["HttpPatch", "PATCH"],
  ["HttpDelete", "DELETE"],
  ["HttpHead", "HEAD"],
  ["HttpOptions", "OPTIONS"],
]);
const KNOWN_METHODS = new Set<string>(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

interface RouteProvider {
  /** Methods this attribute constrains to; undefined for `[Route]`, which constrains none. */
  methods: HttpMethod[] | undefined;
  /** Undefined for a "silent" provider such as a bare `[HttpPost]`. */
  template: string | undefined;
}

interface RouteSelector {
  methods: HttpMethod[];
  /** The action's own template; undefined when the action only inherits its controller's. */
  template: string | undefined;
}

/** The routes an action's attributes define (before combining with the controller's). */
function actionSelectors(attributes: readonly CSharpAttribute[], constants: ConstantLookup): RouteSelector[] {
  const providers: RouteProvider[] = [];
  for (const attribute of attributes) {
    const provider = routeProvider(attribute, constants);
    if (provider) providers.push(provider);
  }
  const defining = providers.filter((p) => p.template !== undefined);
  const unboundMethods = unique(providers.filter((p) => p.template === undefined).flatMap((p) => p.methods ?? []));
  let silentSelector = providers.some((p) => p.template === undefined);
  if (defining.some((p) => p.methods === undefined)) silentSelector = false;
  if (defining.length === 0 && !silentSelector) return [{ methods: ["ANY"], template: undefined }];
  const selectors: RouteSelector[] = defining.map((p) => ({
    methods: orAny(p.methods ?? unboundMethods),
    template: p.template,
  }));
  if (silentSelector) selectors.push({ methods: orAny(unboundMethods), template: undefined });
  return selectors;
}

/** The templates of `[Route]` attributes on a controller (or a class controllers derive from). */
export function controllerTemplates(attributes: readonly CSharpAttribute[], constants: ConstantLookup): string[] {
  const templates: string[] = [];
  for (const attribute of attributes) {
    if (attribute.name !== "Route") continue;
    const value = positional(attribute)[0];
    templates.push(value ? templateText(value, constants) : "");
  }
  return templates;
}

function routeProvider(attribute: CSharpAttribute, constants: ConstantLookup): RouteProvider | undefined {
  const verb = VERB_ATTRIBUTES.get(attribute.name);
  if (verb) {
    const value = positional(attribute)[0];
    return { methods: [verb], template: value ? templateText(value, constants) : undefined };
  }
  if (attribute.name === "AcceptVerbs") {
    const route = property(attribute, "Route");
    return {
      methods: acceptedVerbs(positional(attribute)),
      template: route ? templateText(route, constants) : undefined,
    };
  }
  if (attribute.name === "Route") {
    const value = positional(attribute)[0];
    return { methods: undefined, template: value ? templateText(value, constants) : undefined };
  }
  return undefined;
}

/** `[AcceptVerbs("POST", "PUT")]`, `[AcceptVerbs(HttpVerbs.Post | HttpVerbs.Put)]`. */
function acceptedVerbs(values: readonly SyntaxNode[]): HttpMethod[] {
  const verbs: HttpMethod[] = [];
  const stack = [...values];
  while (stack.length > 0) {
    const value = stack.pop()!;
    if (value.type === "binary_expression") {
      for (const side of [value.childForFieldName("left"), value.childForFieldName("right")])
        if (side) stack.push(side);
      continue;
    }
    const text = (
      stringLiteralValue(value) ?? (value.type === "member_access_expression" ? simpleName(value) : "")
    ).toUpperCase();
    if (KNOWN_METHODS.has(text)) verbs.push(text as HttpMethod);
  }
  return unique(verbs.reverse());
}

interface RouteTokens {
  controller: string;
  action: string;
  area: string | undefined;
}

/**
 * The client-visible paths of one selector: the action template alone when it is
 * absolute (`/x`, `~/x`), else appended to each controller template; the conventional
 * route when neither the action nor the controller has a template.
 */
function selectorPaths(selector: RouteSelector, controllerRoutes: readonly string[], tokens: RouteTokens): string[] {
  const template = selector.template;
  let paths: string[];
  if (template !== undefined && isAbsolute(template)) paths = [template.replace(/^~/, "")];
  else if (controllerRoutes.length > 0) paths = controllerRoutes.map((c) => (template ? `${c}/${template}` : c));
  else if (template !== undefined) paths = [template];
  else paths = [[tokens.area, tokens.controller, tokens.action].filter((s) => s).join("/")];
  return paths.map((p) => normalisePath(replaceTokens(p, tokens)));
}

/** `[controller]`, `[action]`, `[area]` (case-insensitive, as in MVC); other tokens stay as written. */
function replaceTokens(template: string, tokens: RouteTokens): string {
  return template.replace(/\[(controller|action|area)\]/gi, (whole, token: string) => {
    const key = token.toLowerCase() as keyof RouteTokens;
    return tokens[key] ?? whole;
  });
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function orAny(methods: readonly HttpMethod[]): HttpMethod[] {
  return methods.length > 0 ? [...methods] : ["ANY"];
}
