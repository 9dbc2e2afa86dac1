/**
 * Equality checks in TS/JS for AP202: `===`, `==`, `!==`, `!=`, `a.equals(b)`,
 * `validator.equals(a, b)`, `Object.is(a, b)`, `crypto.timingSafeEqual(a, b)` and the
 * constant-time compare helpers (`safeCompare`, `tsscmp`, …), `_.isEqual`, `localeCompare`.
 * Each operand is described by its names and kind; which checks concern a password is
 * the rule's decision. `bcrypt.compare` and `argon2.verify` are verifications, not
 * equality checks, and are not recorded.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import {
  mayNamePassword,
  type Computation,
  type EnclosingFunction,
  type EqualityCheck,
  type Operand,
} from "../../../core/facts/passwords.js";
import {
  isFunction,
  locOf,
  memberNames,
  paramName,
  propertyName,
  shortSource,
  staticString,
  unwrap,
  type FunctionNode,
  type Node,
} from "../ast.js";
import type { FileFacts } from "../facts.js";
import { RequestInput } from "./request-input.js";

/** Node types the walk collects for this pass. */
export const COMPARISON_NODE_TYPES: readonly string[] = [
  T.BinaryExpression,
  T.CallExpression,
  T.FunctionDeclaration,
  T.FunctionExpression,
  T.ArrowFunctionExpression,
];

const EQUALITY_OPERATORS = new Set(["===", "==", "!==", "!="]);
/** Functions that compare their two arguments. */
const TWO_ARGUMENT_COMPARES = new Set([
  "timingSafeEqual",
  "safeCompare",
  "secureCompare",
  "tsscmp",
  "constantTimeCompare",
  "constantTimeEqual",
  "constantTimeEquals",
  "timingSafeCompare",
  "isEqual",
]);
/** Methods that compare their receiver with their one argument. */
const RECEIVER_COMPARES = new Set(["equals", "localeCompare"]);
/** Methods that return the same text in another form. */
const SAME_VALUE_METHODS = new Set([
  "trim",
  "trimStart",
  "trimEnd",
  "toLowerCase",
  "toUpperCase",
  "toLocaleLowerCase",
  "toLocaleUpperCase",
  "normalize",
  "toString",
  "valueOf",
]);
/** Bounds the description of one operand: operands are expressions, not programs. */
const MAX_COMPUTATION_NODES = 200;
/** How many functions out from a check its named function is looked for (callbacks inside it). */
const MAX_FUNCTION_DEPTH = 6;
/** Calls recorded for one enclosing function. */
const MAX_CALLS = 64;

export function collectEqualityChecks(facts: FileFacts): EqualityCheck[] {
  const checks: EqualityCheck[] = [];
  const functions = new PasswordFunctions(facts);
  const requests = new RequestInput(facts);
  for (const { node, scope } of facts.collected.get(T.BinaryExpression) ?? []) {
    if (node.type !== T.BinaryExpression || !EQUALITY_OPERATORS.has(node.operator)) continue;
    checks.push(check(facts, functions, requests, scope, node, node.operator, node.left, node.right));
  }
  for (const { node, scope } of facts.collected.get(T.CallExpression) ?? []) {
    if (node.type !== T.CallExpression) continue;
    const compared = comparedArguments(node);
    if (compared)
      checks.push(check(facts, functions, requests, scope, node, compared.operator, compared.left, compared.right));
  }
  checks.sort((a, b) => a.loc.start.line - b.loc.start.line || a.loc.start.column - b.loc.start.column);
  return checks;
}

function check(
  facts: FileFacts,
  functions: PasswordFunctions,
  requests: RequestInput,
  scope: Node,
  node: Node,
  operator: string,
  left: Node,
  right: Node,
): EqualityCheck {
  const within = functions.around(scope);
  return {
    operator,
    left: marked(requests, describeOperand(facts, scope, left), left, scope),
    right: marked(requests, describeOperand(facts, scope, right), right, scope),
    loc: locOf(node),
    ...(within ? { within } : {}),
  };
}

/** A named operand with the path it reads from the request, when it is the client's input. */
function marked(requests: RequestInput, operand: Operand, node: Node, scope: Node): Operand {
  if (operand.kind !== "name") return operand;
  const request = requests.readOf(sameValue(node), scope);
  return request ? { ...operand, request } : operand;
}

/**
 * The functions of a file whose names may name a password (`comparePassword`,
 * `userSchema.methods.verifyPassword = function …`), with their parameters and the calls
 * made in them; built once per file from the collected functions and calls.
 */
class PasswordFunctions {
  private readonly named = new Map<Node, EnclosingFunction>();

  constructor(private readonly facts: FileFacts) {
    for (const type of [T.FunctionDeclaration, T.FunctionExpression, T.ArrowFunctionExpression]) {
      for (const { node, parent } of facts.collected.get(type) ?? []) {
        if (!isFunction(node)) continue;
        const name = functionName(node, parent);
        if (name !== undefined && mayNamePassword(name))
          this.named.set(node, { name, parameters: parameterNames(node), calls: [] });
      }
    }
    if (this.named.size === 0) return;
    for (const { node, scope } of facts.collected.get(T.CallExpression) ?? []) {
      if (node.type !== T.CallExpression) continue;
      const fn = this.nearest(scope);
      if (!fn || fn.found.calls.length >= MAX_CALLS) continue;
      const callee = calleeText(unwrap(node.callee));
      if (callee !== "" && !fn.found.calls.includes(callee)) fn.found.calls.push(callee);
    }
  }

  /** The password-named function around a scope, with the parameters of the callbacks in between. */
  around(scope: Node): EnclosingFunction | undefined {
    const fn = this.nearest(scope);
    if (!fn) return undefined;
    if (fn.between.length === 0) return fn.found;
    const parameters = [...fn.found.parameters];
    for (const inner of fn.between) for (const name of parameterNames(inner)) parameters.push(name);
    return { ...fn.found, parameters };
  }

  private nearest(scope: Node): { found: EnclosingFunction; between: FunctionNode[] } | undefined {
    if (this.named.size === 0) return undefined;
    const between: FunctionNode[] = [];
    let s: Node | undefined = scope;
    for (let depth = 0; s && depth < MAX_FUNCTION_DEPTH; depth++, s = this.facts.outerScope(s)) {
      const found = this.named.get(s);
      if (found) return { found, between };
      if (!isFunction(s)) return undefined;
      between.push(s);
    }
    return undefined;
  }
}

/**
 * The name a function goes by: its own, or the variable, property, class member or
 * assignment target it is the value of, or the name a Mongoose `schema.method("name", fn)`
 * registers it under.
 */
function functionName(fn: FunctionNode, parent: Node | undefined): string | undefined {
  if (fn.type !== T.ArrowFunctionExpression && fn.id) return fn.id.name;
  if (!parent) return undefined;
  switch (parent.type) {
    case T.VariableDeclarator:
      return parent.id.type === T.Identifier ? parent.id.name : undefined;
    case T.MethodDefinition:
    case T.PropertyDefinition:
    case T.Property:
      return parent.key.type === T.Identifier && !parent.computed ? parent.key.name : staticString(parent.key);
    case T.AssignmentExpression: {
      const target = unwrap(parent.left);
      if (target.type === T.Identifier) return target.name;
      return target.type === T.MemberExpression ? propertyName(target) : undefined;
    }
    case T.CallExpression: {
      const callee = unwrap(parent.callee);
      if (callee.type !== T.MemberExpression || propertyName(callee) !== "method") return undefined;
      return parent.arguments[1] === fn ? staticString(parent.arguments[0]) : undefined;
    }
    default:
      return undefined;
  }
}

function parameterNames(fn: FunctionNode): string[] {
  const names: string[] = [];
  for (const param of fn.params) {
    const name = paramName(param);
    if (name !== undefined) names.push(name);
  }
  return names;
}

/** The two values a comparing call compares, or undefined when the call compares nothing. */
function comparedArguments(call: TSESTree.CallExpression): { operator: string; left: Node; right: Node } | undefined {
  const args = call.arguments.filter((a): a is TSESTree.Expression => a.type !== T.SpreadElement);
  if (args.length !== call.arguments.length) return undefined;
  const callee = unwrap(call.callee);
  if (callee.type === T.Identifier) {
    if (TWO_ARGUMENT_COMPARES.has(callee.name) && args.length >= 2)
      return { operator: `${callee.name}()`, left: args[0], right: args[1] };
    return undefined;
  }
  if (callee.type !== T.MemberExpression) return undefined;
  const name = propertyName(callee);
  if (name === undefined) return undefined;
  const object = unwrap(callee.object);
  const receiver = object.type === T.Identifier ? `${object.name}.` : ".";
  if (name === "is" && object.type === T.Identifier && object.name === "Object" && args.length === 2) {
    return { operator: "Object.is()", left: args[0], right: args[1] };
  }
  if ((TWO_ARGUMENT_COMPARES.has(name) || name === "equals") && args.length === 2) {
    return { operator: `${receiver}${name}()`, left: args[0], right: args[1] };
  }
  if (RECEIVER_COMPARES.has(name) && args.length === 1) return { operator: `.${name}()`, left: object, right: args[0] };
  return undefined;
}

function describeOperand(facts: FileFacts, scope: Node, node: Node): Operand {
  const text = shortSource(facts.text, node);
  const value = sameValue(node);
  switch (value.type) {
    case T.Literal:
      if (value.value === null && !("regex" in value && value.regex)) return { text, kind: "null" };
      if (typeof value.value === "string")
        return value.value === "" ? { text, kind: "empty" } : { text, kind: "string", value: value.value };
      return { text, kind: "literal" };
    case T.TemplateLiteral:
      if (value.expressions.length > 0) return { text, kind: "other" };
      return value.quasis[0]?.value.cooked
        ? { text, kind: "string", value: value.quasis[0].value.cooked }
        : { text, kind: "empty" };
    case T.UnaryExpression:
      return value.operator === "void" ? { text, kind: "null" } : { text, kind: "other" };
    case T.Identifier: {
      if (value.name === "undefined") return { text, kind: "null" };
      const computed = computedFrom(facts, scope, value.name);
      return computed
        ? { text, kind: "name", path: [value.name], computed }
        : { text, kind: "name", path: [value.name] };
    }
    case T.MemberExpression: {
      const path = namePath(value);
      return path.length > 0 ? { text, kind: "name", path } : { text, kind: "other" };
    }
    case T.CallExpression:
    case T.NewExpression:
      return { text, kind: "call", computed: computation(value) };
    default:
      return { text, kind: "other" };
  }
}

/**
 * Looks through what does not change the compared value: TS wrappers, `await`,
 * `Buffer.from(x)`, `String(x)`, `new TextEncoder().encode(x)`, `` `${x}` ``,
 * `x.trim()`, `x.toLowerCase()`, `x.toString()`.
 */
function sameValue(node: Node): Node {
  // Each step moves to a child, so the loop ends.
  let current = unwrap(node);
  for (;;) {
    if (current.type === T.AwaitExpression) current = unwrap(current.argument);
    else if (
      current.type === T.TemplateLiteral &&
      current.expressions.length === 1 &&
      current.quasis.every((q) => q.value.cooked === "")
    ) {
      current = unwrap(current.expressions[0]);
    } else if (current.type === T.CallExpression) {
      const inner = convertedArgument(current);
      if (!inner) return current;
      current = unwrap(inner);
    } else return current;
  }
}

function convertedArgument(call: TSESTree.CallExpression): Node | undefined {
  const callee = unwrap(call.callee);
  const first = call.arguments[0];
  if (callee.type === T.Identifier)
    return callee.name === "String" && first && first.type !== T.SpreadElement ? first : undefined;
  if (callee.type !== T.MemberExpression) return undefined;
  const name = propertyName(callee);
  const object = unwrap(callee.object);
  if (name !== undefined && SAME_VALUE_METHODS.has(name)) return object;
  if (!first || first.type === T.SpreadElement) return undefined;
  if (name === "from" && object.type === T.Identifier && object.name === "Buffer") return first;
  if (
    name === "encode" &&
    object.type === T.NewExpression &&
    unwrap(object.callee).type === T.Identifier &&
    (unwrap(object.callee) as TSESTree.Identifier).name === "TextEncoder"
  ) {
    return first;
  }
  return undefined;
}

/** `req.body.password` → req, body, password, looking through value-preserving calls. */
function namePath(node: Node): string[] {
  return memberNames(node, sameValue);
}

/** A local name whose declaration computes it with a call: `const digest = sha256(password)`. */
function computedFrom(facts: FileFacts, scope: Node, name: string): Computation | undefined {
  const binding = facts.resolve(name, scope);
  if (binding?.kind !== "var" || !binding.init) return undefined;
  const init = sameValue(binding.init);
  return init.type === T.CallExpression || init.type === T.NewExpression ? computation(init) : undefined;
}

/** The callees and named inputs of an expression, in a bounded iterative walk. */
function computation(root: Node): Computation {
  const calls: string[] = [];
  const inputs: string[][] = [];
  const stack: Node[] = [root];
  for (let visited = 0; stack.length > 0 && visited < MAX_COMPUTATION_NODES; visited++) {
    const node = unwrap(stack.pop()!);
    switch (node.type) {
      case T.CallExpression:
      case T.NewExpression: {
        const callee = unwrap(node.callee);
        calls.push(calleeText(callee));
        if (callee.type === T.MemberExpression) {
          const object = unwrap(callee.object);
          // The receiver of a chained call (`createHash(…).update(…)`) or a converted value (`password.normalize()`).
          if (object.type !== T.Identifier && object.type !== T.MemberExpression && object.type !== T.ThisExpression)
            stack.push(object);
          else if (SAME_VALUE_METHODS.has(propertyName(callee) ?? "")) stack.push(object);
        }
        for (let i = node.arguments.length - 1; i >= 0; i--) stack.push(node.arguments[i]);
        break;
      }
      case T.Identifier:
      case T.MemberExpression: {
        const path = namePath(node);
        if (path.length > 0) inputs.push(path);
        break;
      }
      case T.AwaitExpression:
      case T.SpreadElement:
        stack.push(node.argument);
        break;
      case T.BinaryExpression:
      case T.LogicalExpression:
        stack.push(node.right, node.left);
        break;
      case T.TemplateLiteral:
        for (let i = node.expressions.length - 1; i >= 0; i--) stack.push(node.expressions[i]);
        break;
      case T.ConditionalExpression:
        stack.push(node.alternate, node.consequent);
        break;
      case T.ArrayExpression:
        for (let i = node.elements.length - 1; i >= 0; i--) if (node.elements[i]) stack.push(node.elements[i]!);
        break;
      default:
        break;
    }
  }
  return { calls, inputs };
}

/** `crypto.createHash`, `sha256`; the method name alone when the receiver is not a plain path (`createHash(…).update`). */
function calleeText(callee: Node): string {
  if (callee.type === T.Identifier) return callee.name;
  if (callee.type !== T.MemberExpression) return "";
  const path = namePath(callee);
  const name = propertyName(callee) ?? "";
  const object = unwrap(callee.object);
  return object.type === T.Identifier || object.type === T.ThisExpression || object.type === T.MemberExpression
    ? path.join(".")
    : name;
}
