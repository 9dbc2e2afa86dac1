/**
 * The endpoints of one controller: each action's routes with the protections and
 * anonymous markers that apply from the action, the controller and its same-file
 * base classes, and the data operations the action performs.
 */
import { routePath } from "../../lib/core/model.js";
import type {
  AnonymousMarker,
  Endpoint,
  FrameworkVocabulary,
  HttpMethod,
  Protection,
  ProtectionSource,
} from "../../lib/core/model.js";
import { positional, type CSharpAttribute } from "./attributes.js";
import { actionsOf } from "./controllers.js";
import type { DataLayerIndex } from "./data-layer.js";
import type { ClassDecl, FileDeclarations, MethodDecl } from "./declarations.js";
import type { AttributeClassifier } from "./protections.js";
import { actionSelectors, controllerTemplates, selectorPaths, templateText, type RouteTokens } from "./routes.js";

export const ASPNETCORE_MVC: FrameworkVocabulary = {
  displayName: "ASP.NET Core MVC",
  missingAuth: "no [Authorize] on the action or controller",
  addAuth: "add [Authorize] (with a role or policy where it fits) to the action or its controller.",
};

interface Requirements {
  protections: Protection[];
  anonymous: AnonymousMarker[];
}

export function controllerEndpoints(
  controller: ClassDecl,
  declarations: FileDeclarations,
  classifier: AttributeClassifier,
  dataLayer: DataLayerIndex,
): Endpoint[] {
  const bases = declarations.baseChain(controller);
  const constants = declarations.constant;
  const classRequirements = requirements(controller.attributes, "class", classifier);
  for (const base of bases) merge(classRequirements, requirements(base.attributes, "base-class", classifier));
  // RouteAttribute is inherited: a controller without its own [Route] uses its nearest base's.
  const controllerRoutes =
    [controller, ...bases].map((d) => controllerTemplates(d.attributes, constants)).find((t) => t.length > 0) ?? [];
  const area = [controller, ...bases]
    .map((d) => attributeValue(d.attributes, "Area", declarations))
    .find((v) => v !== undefined);
  const controllerName =
    attributeValue(controller.attributes, "ControllerName", declarations) ?? controller.name.replace(/Controller$/, "");

  const endpoints: Endpoint[] = [];
  for (const action of actionsOf(controller, declarations)) {
    const tokens: RouteTokens = {
      controller: controllerName,
      action: attributeValue(action.attributes, "ActionName", declarations) ?? action.name.replace(/Async$/, ""),
      area: attributeValue(action.attributes, "Area", declarations) ?? area,
    };
    const own = requirements(action.attributes, "route", classifier);
    merge(own, classRequirements);
    const dataOperations = dataLayer.operationsOf(action, controller);
    for (const [path, methods] of routesOf(action, controllerRoutes, tokens, declarations)) {
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
      });
    }
  }
  return endpoints;
}

/** Path → methods, one entry per distinct path the action answers on. */
function routesOf(
  action: MethodDecl,
  controllerRoutes: readonly string[],
  tokens: RouteTokens,
  declarations: FileDeclarations,
): Map<string, HttpMethod[]> {
  const routes = new Map<string, HttpMethod[]>();
  for (const selector of actionSelectors(action.attributes, declarations.constant)) {
    for (const path of selectorPaths(selector, controllerRoutes, tokens)) {
      const methods = routes.get(path) ?? [];
      for (const method of selector.methods) if (!methods.includes(method)) methods.push(method);
      routes.set(path, methods);
    }
  }
  return routes;
}

function requirements(
  attributes: readonly CSharpAttribute[],
  source: ProtectionSource,
  classifier: AttributeClassifier,
): Requirements {
  const result: Requirements = { protections: [], anonymous: [] };
  for (const attribute of attributes) {
    if (classifier.isAnonymous(attribute)) result.anonymous.push({ name: attribute.text, source, loc: attribute.loc });
    else if (classifier.isProtection(attribute))
      result.protections.push({ name: attribute.text, source, loc: attribute.loc });
  }
  return result;
}

function merge(into: Requirements, from: Requirements): void {
  into.protections.push(...from.protections);
  into.anonymous.push(...from.anonymous);
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
