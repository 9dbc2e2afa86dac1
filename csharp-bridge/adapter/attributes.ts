/**
 * C# attributes as the adapter needs them: the short name the framework resolves
 * (`[Microsoft.AspNetCore.Authorization.AuthorizeAttribute]` → `Authorize`), the text
 * for messages, and the arguments. Every attribute's name is needed, its arguments and
 * location only for a few, so those are read from the tree on first use: each node
 * visited from JavaScript costs about a microsecond.
 */
import type { Loc } from "../../lib/core/model.js";
import type { SyntaxNode } from "../parser.js";
import { nodeLoc } from "./syntax.js";
import { isTransparent, shortText, simpleName } from "./syntax.js";

export interface AttributeArgument {
  /** `Roles` in `Roles = "Admin"`, `template` in `template: "x"`; undefined for positional arguments. */
  name?: string;
  /** Whether the argument names a property (`Name = …`) rather than a constructor parameter (`template: …`). */
  isProperty: boolean;
  value: SyntaxNode;
}

const SUFFIX = "Attribute";
/** An attribute's name as the grammar allows it: optional `global::`, dotted identifiers, optional type arguments. */
const ATTRIBUTE_NAME = /^\s*(?:global\s*::\s*)?((?:[A-Za-z_]\w*\s*\.\s*)*[A-Za-z_]\w*)\s*(?:<([^>]*)>)?/;

/** `FooAttribute` → `Foo`; `Attribute` itself stays. */
export function withoutSuffix(name: string): string {
  return name.length > SUFFIX.length && name.endsWith(SUFFIX) ? name.slice(0, -SUFFIX.length) : name;
}

export class CSharpAttribute {
  /** Short name without namespace, type arguments and `Attribute` suffix: `Authorize`, `HttpPost`. */
  readonly name: string;
  /** The name as written minus `global::` and the `Attribute` suffix: `Microsoft.AspNetCore.Authorization.Authorize`. */
  readonly qualifiedName: string;
  /** `[Authorize(Roles = "Admin")]`, on one line. */
  readonly text: string;
  /** Generic attribute arguments: `[ServiceFilter<AuthFilter>]` → [`AuthFilter`]. */
  readonly typeArguments: string[];
  readonly #node: SyntaxNode;
  #arguments: AttributeArgument[] | undefined;
  #loc: Loc | undefined;

  constructor(node: SyntaxNode) {
    this.#node = node;
    const source = node.text;
    // The name node is a plain (qualified, generic) name, so its parts are read from the text.
    const match = ATTRIBUTE_NAME.exec(source);
    const qualified = (match?.[1] ?? "").replace(/\s+/g, "");
    this.qualifiedName = withoutSuffix(qualified);
    this.name = withoutSuffix(qualified.slice(qualified.lastIndexOf(".") + 1));
    this.typeArguments = match?.[2]
      ? match[2].split(",").map((t) =>
          t
            .trim()
            .replace(/<[\s\S]*$/, "")
            .replace(/^[\s\S]*\./, ""),
        )
      : [];
    this.text = `[${shortText(source, 120)}]`;
  }

  get loc(): Loc {
    this.#loc ??= nodeLoc(this.#node);
    return this.#loc;
  }

  get arguments(): AttributeArgument[] {
    this.#arguments ??= readArguments(this.#node);
    return this.#arguments;
  }
}

/**
 * The attributes of the given `attribute_list` nodes (and of those inside `#if` blocks
 * among them: a build configuration that drops `[Authorize]` is not the one that ships).
 * `[return: …]` and other targeted lists are skipped: they are not about the declaration.
 */
export function readAttributes(lists: readonly SyntaxNode[]): CSharpAttribute[] {
  const attributes: CSharpAttribute[] = [];
  const stack = [...lists].reverse();
  while (stack.length > 0) {
    const list = stack.pop()!;
    if (list.type !== "attribute_list") {
      if (isTransparent(list) && list.type !== "ERROR") {
        const inner = list.namedChildren;
        for (let i = inner.length - 1; i >= 0; i--) stack.push(inner[i]);
      }
      continue;
    }
    const entries = list.namedChildren;
    if (entries[0]?.type === "attribute_target_specifier") continue;
    for (const entry of entries) {
      if (entry.type === "attribute") attributes.push(new CSharpAttribute(entry));
    }
  }
  return attributes;
}

function readArguments(node: SyntaxNode): AttributeArgument[] {
  const args: AttributeArgument[] = [];
  const list = node.lastNamedChild;
  if (list?.type !== "attribute_argument_list") return args;
  for (const argument of list.namedChildren) {
    if (argument.type !== "attribute_argument") continue;
    const name = argument.childForFieldName("name");
    const value = argument.lastNamedChild;
    if (!value || (name && value.startIndex === name.startIndex)) continue;
    args.push({ name: name?.text, isProperty: name ? argument.child(1)?.type === "=" : false, value });
  }
  return args;
}

/** Positional arguments and named constructor arguments (`template: "x"`), in order. */
export function positional(attribute: CSharpAttribute): SyntaxNode[] {
  return attribute.arguments.filter((a) => !a.isProperty).map((a) => a.value);
}

/** The value of a property argument (`Route = "x"`), if given. */
export function property(attribute: CSharpAttribute, name: string): SyntaxNode | undefined {
  return attribute.arguments.find((a) => a.isProperty && a.name === name)?.value;
}

/** Types named by `typeof(X)` arguments and generic arguments: `[TypeFilter(typeof(X))]`, `[ServiceFilter<X>]`. */
export function typeofArguments(attribute: CSharpAttribute): string[] {
  const names = [...attribute.typeArguments];
  for (const argument of attribute.arguments) {
    if (argument.value.type === "typeof_expression") names.push(simpleName(argument.value.childForFieldName("type")));
  }
  return names;
}
