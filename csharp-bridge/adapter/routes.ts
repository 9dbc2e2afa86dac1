/**
 * Route templates as C# code writes them, for every ASP.NET Core routing style: the text
 * of a template expression (literals, constants, concatenation, interpolation, `nameof`)
 * and templates joined into the path a client sees.
 */
import type { SyntaxNode } from "../parser.js";
import { simpleName, stringLiteralValue } from "./syntax.js";

/** Looks up a `const` string by name, for templates such as `[Route(ApiRoutes.Orders)]`. */
export type ConstantLookup = (name: string) => SyntaxNode | undefined;

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

/** One leading `/`, no doubled or trailing ones; `~/` at the start means the root too. */
export function normalisePath(path: string): string {
  const joined = `/${path.replace(/^~(?=\/)/, "")}`.replace(/\/{2,}/g, "/");
  return joined.length > 1 ? joined.replace(/\/+$/, "") : joined;
}

/** A template under a prefix: `api/orders` + `{id}` → `/api/orders/{id}`; an absolute template (`/x`, `~/x`) stands alone. */
export function joinTemplates(prefix: string, template: string): string {
  return normalisePath(/^~?\//.test(template) && prefix === "" ? template : `${prefix}/${template}`);
}
