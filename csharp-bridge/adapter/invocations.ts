/**
 * Calls, member chains and the functions around them, read from the tree around a name
 * found in the text. Each reader touches a bounded number of nodes: names are found in
 * the text first (about a microsecond per node visited from JavaScript makes a walk over
 * every node dearer than the parse), then confirmed in the tree.
 */
import type { SyntaxNode } from "../parser.js";
import { checkAnalysisClock } from "./clock.js";
import { simpleName } from "./syntax.js";

const WORD = /[A-Za-z0-9_]/;
/** How far up the tree a reader climbs at most. */
const MAX_CLIMB = 400;
/** How many calls a member chain may have before a reader stops following it. */
const MAX_CHAIN = 256;

/** Function-like nodes: where parameters and local variables belong. */
export const FUNCTION_TYPES: ReadonlySet<string> = new Set([
  "method_declaration",
  "constructor_declaration",
  "local_function_statement",
  "accessor_declaration",
  "operator_declaration",
  "conversion_operator_declaration",
  "destructor_declaration",
  "lambda_expression",
  "anonymous_method_expression",
  "compilation_unit",
]);

export function field(node: SyntaxNode | null | undefined, name: string): SyntaxNode | null {
  return node ? node.childForFieldName(name) : null;
}

/** Whether two handles are the same node of one tree. */
export function same(a: SyntaxNode | null | undefined, b: SyntaxNode | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

/** A key that tells nodes apart within one tree (tree-sitter's node id). */
export function keyOf(node: SyntaxNode): number {
  return node.id;
}

/**
 * Identifiers in the tree whose text matches `names` (a global pattern of whole words),
 * in document order.
 */
export function* identifiersMatching(root: SyntaxNode, text: string, names: RegExp): Generator<SyntaxNode> {
  names.lastIndex = 0;
  for (let match = names.exec(text); match; match = names.exec(text)) {
    checkAnalysisClock();
    const start = match.index;
    const end = start + match[0].length;
    if (match[0].length === 0) names.lastIndex++;
    if (WORD.test(text[start - 1] ?? "") || WORD.test(text[end] ?? "")) continue;
    let node = root.descendantForIndex(start, end);
    // A contextual keyword used as a name (`group`, `from`, `select`, `record`) is a keyword token inside its identifier.
    if (node && node.type !== "identifier" && node.parent?.type === "identifier") node = node.parent;
    if (node?.type === "identifier" && node.startIndex === start && node.endIndex === end) yield node;
  }
}

/** The call whose method is named by `identifier` (`x.Name(…)`, `Name(…)`, `x.Name<T>(…)`), with its receiver. */
export function callNamedBy(
  identifier: SyntaxNode,
): { invocation: SyntaxNode; receiver: SyntaxNode | null } | undefined {
  let name = identifier;
  let parent = identifier.parent;
  if (parent?.type === "generic_name") {
    name = parent;
    parent = parent.parent;
  }
  if (parent?.type === "member_access_expression" && same(field(parent, "name"), name)) {
    const invocation = parent.parent;
    if (invocation?.type === "invocation_expression" && same(field(invocation, "function"), parent))
      return { invocation, receiver: field(parent, "expression") };
    return undefined;
  }
  if (parent?.type === "invocation_expression" && same(field(parent, "function"), name))
    return { invocation: parent, receiver: null };
  return undefined;
}

/** The method name of a call: `Name` in `x.Name<T>(…)`. */
export function calledName(invocation: SyntaxNode): string {
  const fn = invocation.firstNamedChild;
  if (!fn) return "";
  if (fn.type === "member_access_expression") return simpleName(fn.lastNamedChild);
  return simpleName(fn);
}

/** The identifier node that names the method of a call, for locations. */
export function calledNameNode(invocation: SyntaxNode): SyntaxNode | null {
  const fn = field(invocation, "function");
  const name = fn?.type === "member_access_expression" ? field(fn, "name") : fn;
  return name?.type === "generic_name" ? name.firstNamedChild : name;
}

/** The receiver of a member call (`x` in `x.Name(…)`); null for a plain call. */
export function receiverOf(invocation: SyntaxNode): SyntaxNode | null {
  const fn = field(invocation, "function");
  return fn?.type === "member_access_expression" ? field(fn, "expression") : null;
}

/** Type arguments of a generic call: `AddEndpointFilter<ApiKeyFilter>()` → [`ApiKeyFilter`]. */
export function typeArgumentsOf(invocation: SyntaxNode): string[] {
  const fn = field(invocation, "function");
  const name = fn?.type === "member_access_expression" ? field(fn, "name") : fn;
  if (name?.type !== "generic_name") return [];
  const list = name.namedChildren.find((c) => c.type === "type_argument_list");
  return list ? list.namedChildren.map((t) => simpleName(t)) : [];
}

/** The `argument` nodes of a call or object creation. */
export function argumentsOf(invocationOrCreation: SyntaxNode): SyntaxNode[] {
  // A target-typed `new(policy)` holds its argument list without a field name.
  const list =
    field(invocationOrCreation, "arguments") ??
    (invocationOrCreation.type === "implicit_object_creation_expression"
      ? invocationOrCreation.namedChildren.find((c) => c.type === "argument_list")
      : undefined);
  return list ? list.namedChildren.filter((c) => c.type === "argument") : [];
}

/** The expression of an `argument` node (after `name:` and `out`/`ref`). */
export function argumentValue(argument: SyntaxNode): SyntaxNode | null {
  return argument.namedChildren.filter((c) => !same(c, field(argument, "name"))).at(-1) ?? null;
}

/** The name of a named argument (`pattern` in `pattern: "/x"`). */
export function argumentName(argument: SyntaxNode): string | undefined {
  return field(argument, "name")?.text;
}

export function unwrapParentheses(node: SyntaxNode | null): SyntaxNode | null {
  let current = node;
  for (let guard = 0; current?.type === "parenthesized_expression" && guard < MAX_CHAIN; guard++)
    current = current.namedChildren[0] ?? null;
  return current;
}

/**
 * The call that has `node` as the receiver of its method (`node.Name(…)`), or undefined
 * when `node` is not the start of a member call.
 */
export function callOnResult(node: SyntaxNode): SyntaxNode | undefined {
  // The receiver is a member access's first child, and the member access an invocation's:
  // comparing where they start spares reading the fields.
  const member = node.parent;
  if (member?.type !== "member_access_expression" || member.startIndex !== node.startIndex) return undefined;
  const invocation = member.parent;
  if (invocation?.type !== "invocation_expression" || invocation.startIndex !== member.startIndex) return undefined;
  return invocation;
}

/**
 * Where the value of `node` goes: the variable it initialises or is assigned to
 * (`var api = …`, `api = …`), an argument of a call (with its position), or nowhere the
 * readers follow.
 */
export type Destination =
  | { kind: "variable"; name: SyntaxNode }
  | { kind: "argument"; invocation: SyntaxNode; position: number; argumentName: string | undefined }
  | { kind: "return" }
  | { kind: "other" };

export function destinationOf(node: SyntaxNode): Destination {
  let value = node;
  let parent = node.parent;
  for (let guard = 0; parent?.type === "parenthesized_expression" && guard < MAX_CHAIN; guard++) {
    value = parent;
    parent = parent.parent;
  }
  if (!parent) return { kind: "other" };
  if (parent.type === "variable_declarator") {
    const name = field(parent, "name");
    return name && !same(name, value) ? { kind: "variable", name } : { kind: "other" };
  }
  if (parent.type === "assignment_expression" && same(field(parent, "right"), value)) {
    const left = field(parent, "left");
    return left?.type === "identifier" ? { kind: "variable", name: left } : { kind: "other" };
  }
  if (parent.type === "argument") {
    const list = parent.parent;
    const invocation = list?.parent;
    if (list?.type === "argument_list" && invocation?.type === "invocation_expression") {
      const position = list.namedChildren.filter((c) => c.type === "argument").findIndex((a) => same(a, parent));
      return { kind: "argument", invocation, position, argumentName: argumentName(parent) };
    }
    return { kind: "other" };
  }
  if (parent.type === "return_statement" || parent.type === "arrow_expression_clause") return { kind: "return" };
  return { kind: "other" };
}

/** The function-like node around `node` (the compilation unit for top-level statements). */
export function enclosingFunction(node: SyntaxNode): SyntaxNode {
  let depth = 0;
  for (let current = node.parent; current && depth < MAX_CLIMB; current = current.parent, depth++)
    if (FUNCTION_TYPES.has(current.type)) return current;
  return node.tree.rootNode;
}

/** The block (or compilation unit) a local declared at `node` belongs to: the range its name is visible in. */
export function declaringBlock(node: SyntaxNode): SyntaxNode {
  let depth = 0;
  for (let current = node.parent; current && depth < MAX_CLIMB; current = current.parent, depth++) {
    if (current.type === "block" || current.type === "switch_section" || FUNCTION_TYPES.has(current.type))
      return current;
  }
  return node.tree.rootNode;
}

export interface ParameterInfo {
  name: string;
  /** Simple type name; undefined for untyped lambda parameters. */
  type: string | undefined;
  position: number;
  isThis: boolean;
}

/** The parameters of a method, local function, constructor or lambda. */
export function parametersOf(fn: SyntaxNode): ParameterInfo[] {
  const list = field(fn, "parameters") ?? fn.namedChildren.find((c) => c.type === "parameter_list") ?? null;
  if (!list) return [];
  if (list.type === "implicit_parameter" || list.type === "identifier")
    return [{ name: list.text, type: undefined, position: 0, isThis: false }];
  const out: ParameterInfo[] = [];
  for (const parameter of list.namedChildren) {
    if (parameter.type !== "parameter") continue;
    const name = field(parameter, "name")?.text;
    if (!name) continue;
    const type = field(parameter, "type");
    out.push({
      name,
      type: type ? simpleName(type) : undefined,
      position: out.length,
      isThis: parameter.namedChildren.some((c) => c.type === "modifier" && c.text === "this"),
    });
  }
  return out;
}
