/**
 * ASP.NET Core attribute routing, as far as one file tells: the HTTP methods and route
 * templates of an action, combined with its controller's `[Route]` and with the
 * `[controller]`/`[action]`/`[area]` tokens replaced. Mirrors how MVC builds selectors
 * (DefaultApplicationModelProvider.CreateSelectors):
 *  - every attribute that carries a template (`[HttpPost("{id}")]`, `[Route("x")]`,
 *    `[AcceptVerbs("GET", Route = "x")]`) defines one route;
 *  - a `[Route]` route takes the methods of the template-less verb attributes next to
 *    it (`[Route("x")] [HttpPost]` is one POST route);
 *  - template-less verb attributes next to verb-with-template ones make one more route
 *    on the controller's template (`[HttpGet] [HttpPost("x")]` is two routes);
 *  - no verb attribute at all means every method (`ANY`).
 * Without any route attribute on the action, its controller or a base controller, the
 * action is conventionally routed: `/{area}/{controller}/{action}`.
 */
import type { HttpMethod } from "../../lib/core/model.js";
import type { SyntaxNode } from "../parser.js";
import { positional, property, type CSharpAttribute } from "./attributes.js";
import { simpleName, stringLiteralValue } from "./syntax.js";

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

/** Looks up a `const` string by name, for templates such as `[Route(ApiRoutes.Orders)]`. */
export type ConstantLookup = (name: string) => SyntaxNode | undefined;

interface RouteProvider {
  /** Methods this attribute constrains to; undefined for `[Route]`, which constrains none. */
  methods: HttpMethod[] | undefined;
  /** Undefined for a "silent" provider such as a bare `[HttpPost]`. */
  template: string | undefined;
}

export interface RouteSelector {
  methods: HttpMethod[];
  /** The action's own template; undefined when the action only inherits its controller's. */
  template: string | undefined;
}

/** The routes an action's attributes define (before combining with the controller's). */
export function actionSelectors(attributes: readonly CSharpAttribute[], constants: ConstantLookup): RouteSelector[] {
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

/** The templates of `[Route]` attributes on a controller. */
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

/**
 * A template's text: literals, `const` strings in the file, `+` and interpolation of
 * those, `nameof(X)`. Anything else is kept as `{expression}` so the path still shows
 * where the unknown part goes.
 */
export function templateText(node: SyntaxNode, constants: ConstantLookup, depth = 0): string {
  const literal = stringLiteralValue(node);
  if (literal !== undefined) return literal;
  if (depth < 16) {
    switch (node.type) {
      case "parenthesized_expression":
        if (node.firstNamedChild) return templateText(node.firstNamedChild, constants, depth + 1);
        break;
      case "binary_expression": {
        const left = node.childForFieldName("left");
        const right = node.childForFieldName("right");
        if (left && right && node.childForFieldName("operator")?.text !== "-") {
          return templateText(left, constants, depth + 1) + templateText(right, constants, depth + 1);
        }
        break;
      }
      case "identifier":
      case "member_access_expression": {
        const value = constants(simpleName(node));
        if (value) return templateText(value, constants, depth + 1);
        break;
      }
      case "invocation_expression": {
        const argument = node.childForFieldName("arguments")?.firstNamedChild?.firstNamedChild;
        if (node.childForFieldName("function")?.text === "nameof" && argument) return simpleName(argument);
        break;
      }
      case "interpolated_string_expression":
        return node.namedChildren
          .map((part) => {
            if (part.type === "string_content") return part.text.replace(/\{\{/g, "{").replace(/\}\}/g, "}");
            if (part.type !== "interpolation") return "";
            const expression = part.namedChildren.find((c) => c.type !== "interpolation_brace");
            return expression ? templateText(expression, constants, depth + 1) : "";
          })
          .join("");
    }
  }
  return `{${node.text.replace(/\s+/g, "")}}`;
}

export interface RouteTokens {
  controller: string;
  action: string;
  area: string | undefined;
}

/**
 * The client-visible paths of one selector: the action template alone when it is
 * absolute (`/x`, `~/x`), else appended to each controller template; the conventional
 * route when neither the action nor the controller has a template.
 */
export function selectorPaths(
  selector: RouteSelector,
  controllerRoutes: readonly string[],
  tokens: RouteTokens,
): string[] {
  const template = selector.template;
  let paths: string[];
  if (template !== undefined && /^~?\//.test(template)) paths = [template.replace(/^~/, "")];
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

/** One leading `/`, no doubled or trailing ones; `~/` on a controller template means the root too. */
function normalisePath(path: string): string {
  const joined = `/${path.replace(/^~(?=\/)/, "")}`.replace(/\/{2,}/g, "/");
  return joined.length > 1 ? joined.replace(/\/+$/, "") : joined;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function orAny(methods: readonly HttpMethod[]): HttpMethod[] {
  return methods.length > 0 ? [...methods] : ["ANY"];
}
