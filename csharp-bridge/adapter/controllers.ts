/**
 * Which classes are MVC controllers and which of their methods are actions, following
 * ASP.NET Core's ControllerFeatureProvider and DefaultApplicationModelProvider as far as
 * one file shows them.
 */
import type { ClassDecl, FileDeclarations, MethodDecl } from "./declarations.js";

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
export function isController(decl: ClassDecl, declarations: FileDeclarations): boolean {
  const chain = [decl, ...declarations.baseChain(decl)];
  if (chain.some((d) => d.attributes.some((a) => a.name === "NonController"))) return false;
  if (!decl.modifiers.has("public") || decl.modifiers.has("abstract") || decl.modifiers.has("static") || decl.isGeneric)
    return false;
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
export function actionsOf(controller: ClassDecl, declarations: FileDeclarations): MethodDecl[] {
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
