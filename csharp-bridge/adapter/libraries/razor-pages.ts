/**
 * ASP.NET Core Razor Pages: page models and their handlers, and the authorization
 * conventions of AddRazorPages.
 *
 * A page model is a public, non-abstract class deriving from `PageModel` (directly, through
 * a same-file base, or through a base from another file named like one: `BasePageModel`).
 * Its handlers are the public instance methods named `On{Verb}[Name][Async]`
 * (`OnGet`, `OnPostAsync`, `OnPostDeleteAsync` → POST `?handler=Delete`), minus
 * `[NonHandler]` ones, including those of same-file bases. The page's path comes from the
 * file: `Pages/Orders/Edit.cshtml.cs` → `/Orders/Edit`, `Areas/Admin/Pages/Users/Index.cshtml.cs`
 * → `/Admin/Users`; a page model in any other file (its `@page` route is in the .cshtml,
 * which no C# file shows) is placed by its class name: `EditModel` → `/Edit`.
 *
 * Authorization comes from the page model class and its bases (`[Authorize]`,
 * `[AllowAnonymous]`, the attribute rules of protections.ts). Razor Pages ignore these
 * attributes on handler methods, so they count for nothing there. App-wide, the conventions
 * `AuthorizePage`, `AuthorizeFolder`, `AuthorizeAreaPage`, `AuthorizeAreaFolder` and their
 * `AllowAnonymousTo…` counterparts, and conventions on `MapRazorPages()`, are startup
 * registrations.
 */
import { routePath } from "../../../lib/core/model.js";
import type { Endpoint, FrameworkVocabulary, HttpMethod, StartupRegistration } from "../../../lib/core/model.js";
import { callText, mappedConventions, policyRequirement, type ConventionContext } from "../conventions.js";
import { indexDataLayer } from "../data-layer.js";
import { requestChecks } from "../request-checks.js";
import { auditEventsOfMethod, recordAudits } from "../audit-events.js";
import { withChecks } from "../../../lib/core/adapter-utils.js";
import type { ClassDecl, FileDeclarations, MethodDecl } from "../declarations.js";
import type { SyntaxNode } from "../../parser.js";
import {
  argumentsOf,
  argumentValue,
  calledNameNode,
  callNamedBy,
  identifiersMatching,
  unwrapParentheses,
} from "../invocations.js";
import { attributeRequirements, mergeRequirements } from "../protections.js";
import { normalisePath, templateText } from "../routes.js";
import { nodeLoc } from "../syntax.js";
import { authorizeFix } from "../auth-fixes.js";
import type { CSharpFile, CSharpLibrary } from "./library.js";

export const RAZOR_PAGES: FrameworkVocabulary = {
  displayName: "ASP.NET Core Razor Pages",
  missingAuth: "no [Authorize] on the page model and no AuthorizePage/AuthorizeFolder convention covers the page",
  addAuth:
    "add [Authorize] to the page model class (Razor Pages ignore it on handler methods) or cover the page with AuthorizePage/AuthorizeFolder in AddRazorPages.",
  apiSurface: false,
};

const HINT = /PageModel|AuthorizeFolder|AuthorizePage|AuthorizeArea|AllowAnonymousTo|MapRazorPages/;
const PAGE_MODEL_LIKE_BASE = /PageModel$/;
const HANDLER = /^On([A-Z][a-z]*)(\w*?)(?:Async)?$/;
const VERBS: ReadonlyMap<string, HttpMethod> = new Map([
  ["Get", "GET"],
  ["Post", "POST"],
  ["Put", "PUT"],
  ["Delete", "DELETE"],
  ["Patch", "PATCH"],
  ["Head", "HEAD"],
  ["Options", "OPTIONS"],
]);
const CONVENTIONS =
  /\b(?:AuthorizePage|AuthorizeFolder|AuthorizeAreaPage|AuthorizeAreaFolder|AllowAnonymousToPage|AllowAnonymousToFolder|AllowAnonymousToAreaPage|AllowAnonymousToAreaFolder)\b/g;

export const razorPages: CSharpLibrary = {
  id: "razor-pages",
  vocabulary: RAZOR_PAGES,
  applies: (file) => HINT.test(file.text),
  endpoints: pageEndpoints,
  registrations: pageRegistrations,
};

// ---------------------------------------------------------------- pages and handlers

function pageEndpoints(file: CSharpFile): Endpoint[] {
  if (!file.text.includes("PageModel")) return [];
  const { declarations } = file;
  const pages = declarations.classes.filter((decl) => isPageModel(decl, declarations));
  if (pages.length === 0) return [];
  const scanned = new Set<ClassDecl>(pages.flatMap((p) => [p, ...declarations.baseChain(p)]));
  const dataLayer = indexDataLayer([...scanned], file);
  const fromFile = filePagePath(file.filename);
  const ownerOfFilePath =
    fromFile === undefined
      ? undefined
      : pages.length === 1
        ? pages[0]
        : pages.find((p) => p.name === `${fromFile.name}Model`);
  const endpoints: Endpoint[] = [];
  for (const page of pages) {
    const pagePath =
      page === ownerOfFilePath && fromFile
        ? fromFile.path
        : `/${page.name.replace(/PageModel$|Model$/, "") || page.name}`;
    const route = pageRoute(pagePath);
    const requirements = attributeRequirements(page.attributes, "class", file.classifier);
    for (const base of declarations.baseChain(page))
      mergeRequirements(requirements, attributeRequirements(base.attributes, "base-class", file.classifier));
    // Razor Pages ignore `[Authorize]` on handler methods: it goes on the page model.
    const authFixes =
      requirements.protections.length === 0 && requirements.anonymous.length === 0
        ? [authorizeFix(file, page.nodes[0], page.name)]
        : undefined;
    for (const { method, verb, name } of handlersOf(page, declarations)) {
      const path = name ? `${route}?handler=${name}` : route;
      const calls = dataLayer.callsOf(method, page);
      endpoints.push({
        framework: razorPages.id,
        vocabulary: RAZOR_PAGES,
        methods: [verb],
        route: routePath(path),
        path,
        handler: `${page.name}.${method.name}`,
        loc: method.nameLoc,
        protections: [...requirements.protections],
        anonymous: [...requirements.anonymous],
        dataOperations: [...dataLayer.operationsOf(method, page)],
        ...(calls.length > 0 ? { calls: [...calls] } : {}),
        ...(authFixes ? { authFixes } : {}),
      });
      withChecks(endpoints[endpoints.length - 1], requestChecks(file).of(method, page));
      recordAudits(endpoints[endpoints.length - 1], () => auditEventsOfMethod(method, file));
    }
  }
  return endpoints;
}

function isPageModel(decl: ClassDecl, declarations: FileDeclarations): boolean {
  if (!decl.modifiers.has("public") || decl.modifiers.has("abstract") || decl.modifiers.has("static")) return false;
  if (decl.isGeneric) return false;
  const chain = [decl, ...declarations.baseChain(decl)];
  const topBase = chain.at(-1)!.baseName;
  return chain.some((d) => d.baseName === "PageModel") || (topBase !== undefined && PAGE_MODEL_LIKE_BASE.test(topBase));
}

interface Handler {
  method: MethodDecl;
  verb: HttpMethod;
  /** The named-handler part: `Delete` in `OnPostDeleteAsync`; empty for the page's own handler. */
  name: string;
}

/** Handler methods of a page model and its same-file bases; a method hides a base method of the same name. */
function handlersOf(page: ClassDecl, declarations: FileDeclarations): Handler[] {
  const handlers: Handler[] = [];
  const hidden = new Set<string>();
  for (const decl of [page, ...declarations.baseChain(page)]) {
    for (const method of decl.methods) {
      if (hidden.has(method.name)) continue;
      const handler = asHandler(method);
      if (handler) handlers.push(handler);
    }
    for (const method of decl.methods) hidden.add(method.name);
  }
  return handlers;
}

function asHandler(method: MethodDecl): Handler | undefined {
  const { modifiers } = method;
  if (!modifiers.has("public") || modifiers.has("static") || modifiers.has("abstract") || method.isGeneric)
    return undefined;
  if (method.attributes.some((a) => a.name === "NonHandler")) return undefined;
  const match = HANDLER.exec(method.name);
  const verb = match ? VERBS.get(match[1]) : undefined;
  return match && verb ? { method, verb, name: match[2] } : undefined;
}

/**
 * The page path the file's location gives: `…/Pages/Orders/Edit.cshtml.cs` → `/Orders/Edit`,
 * `…/Areas/Admin/Pages/Users/Index.cshtml.cs` → `/Admin/Users/Index`; undefined for a file
 * that is no page's code-behind.
 */
function filePagePath(filename: string): { path: string; name: string } | undefined {
  const match = /(?:^|\/)(?:Areas\/([^/]+)\/)?Pages\/((?:[^/]+\/)*)([^/]+)\.cshtml\.cs$/i.exec(filename);
  if (!match) return undefined;
  const [, area, folders, name] = match;
  return { path: `/${area ? `${area}/` : ""}${folders}${name}`, name };
}

/** The route of a page path: an Index page answers on its folder. */
function pageRoute(pagePath: string): string {
  return normalisePath(pagePath.replace(/(?:^|\/)Index$/i, ""));
}

// ---------------------------------------------------------------- conventions

/**
 * `options.Conventions.AuthorizeFolder("/Admin", "Staff")` and the rest (see the module
 * comment), and conventions on `MapRazorPages()`.
 */
function pageRegistrations(file: CSharpFile): StartupRegistration[] {
  const ctx: ConventionContext = { root: file.root, text: file.text, classifier: file.classifier };
  const registrations: StartupRegistration[] = [];
  if (/AuthorizeFolder|AuthorizePage|AuthorizeArea|AllowAnonymousTo/.test(file.text)) {
    for (const identifier of identifiersMatching(file.root, file.text, CONVENTIONS)) {
      const found = callNamedBy(identifier);
      if (!found?.receiver) continue;
      const registration = pageConvention(ctx, file, identifier.text, found.invocation);
      if (registration) registrations.push(registration);
    }
  }
  if (file.text.includes("MapRazorPages"))
    registrations.push(...mappedConventions(ctx, /\bMapRazorPages\b/g, [razorPages.id]));
  return registrations;
}

function pageConvention(
  ctx: ConventionContext,
  file: CSharpFile,
  name: string,
  invocation: SyntaxNode,
): StartupRegistration | undefined {
  const values = argumentsOf(invocation)
    .map((a) => unwrapParentheses(argumentValue(a)))
    .filter((v): v is SyntaxNode => v !== null);
  const inArea = name.includes("Area");
  const [area, path, policy] = inArea ? values : [undefined, ...values];
  if (!path || (inArea && !area)) return undefined;
  const constants = file.declarations.constant;
  const pagePath = `${area ? `/${templateText(area, constants)}` : ""}/${templateText(path, constants)}`;
  const folder = name.endsWith("Folder");
  const route = folder ? normalisePath(pagePath) : pageRoute(normalisePath(pagePath));
  const text = callText(invocation);
  const loc = { start: nodeLoc(calledNameNode(invocation) ?? invocation).start, end: nodeLoc(invocation).end };
  const scope = { kind: "pages" as const, framework: razorPages.id, route: routePath(route), folder };
  if (name.startsWith("AllowAnonymous")) return { effect: "allow-anonymous", scope, name: text, loc };
  return {
    effect: "protect",
    scope,
    name: text,
    loc,
    requirement: policy ? policyRequirement(ctx, policy) : "authenticated",
  };
}
