/**
 * Equality checks in C# for AP202: `==`, `!=`, `a.Equals(b)`, `string.Equals(a, b, …)`,
 * `string.Compare(a, b)`, `string.CompareOrdinal`, `a.CompareTo(b)`, `SequenceEqual`,
 * `CryptographicOperations.FixedTimeEquals` and comparer `Equals(a, b)`. Each operand is
 * described by its names and kind; which checks concern a password is the rule's
 * decision. `VerifyHashedPassword` and `BCrypt.Verify` are verifications, not equality
 * checks, and are not recorded.
 *
 * Candidates are found in the text and confirmed in the tree: visiting every node of
 * every body from JavaScript would cost more than parsing the file.
 */
import type { Computation, EnclosingFunction, EqualityCheck, Operand } from "../../lib/core/facts/passwords.js";
import type { Loc, Position } from "../../lib/core/model.js";
import type { SyntaxNode } from "../parser.js";
import { nodeLoc } from "./syntax.js";
import { shortText, simpleName, stringLiteralValue } from "./syntax.js";
import { checkAnalysisClock } from "./clock.js";

const CANDIDATE = /==|!=|\b(?:Equals|Compare|CompareOrdinal|CompareTo|SequenceEqual|FixedTimeEquals|is|switch)\b/g;
/** Bounds the string constants read from one pattern and the arms read from one `switch`. */
const MAX_PATTERN_NODES = 64;
const MAX_ARMS = 64;
/** Methods that compare their receiver with their first argument. */
const RECEIVER_COMPARES = new Set(["Equals", "CompareTo", "SequenceEqual"]);
/** Methods that compare their first two arguments whatever they are called on. */
const ARGUMENT_COMPARES = new Set(["Compare", "CompareOrdinal", "FixedTimeEquals"]);
/** Receivers of static compares: `string.Equals(a, b)`, `Enumerable.SequenceEqual(a, b)`. */
const STATIC_RECEIVERS = new Set(["String", "Object", "Enumerable", "CryptographicOperations", "MemoryExtensions"]);
/** Methods that return the same text in another form. */
const SAME_VALUE_METHODS = new Set([
  "Trim",
  "TrimStart",
  "TrimEnd",
  "ToLower",
  "ToLowerInvariant",
  "ToUpper",
  "ToUpperInvariant",
  "ToString",
  "Normalize",
  "AsSpan",
  "ToArray",
]);
/** Encodings that do not change the value: `Encoding.UTF8.GetBytes(x)`, `Convert.ToBase64String(x)`. */
const ENCODING_RECEIVER = /^(?:System\.Text\.)?Encoding\.\w+$/;
const ENCODING_METHODS = new Set(["GetBytes", "GetString"]);
const CONVERT_METHODS = new Set([
  "ToBase64String",
  "FromBase64String",
  "ToHexString",
  "ToHexStringLower",
  "FromHexString",
]);
/** Nodes that hold members rather than statements: a declaration and a use whose common node is one of these are in different members. */
const MEMBER_CONTAINERS = new Set([
  "compilation_unit",
  "namespace_declaration",
  "file_scoped_namespace_declaration",
  "declaration_list",
  "class_declaration",
  "struct_declaration",
  "record_declaration",
  "interface_declaration",
]);
/** How far before a use its declaration is looked for. */
const DECLARATION_LOOKBACK = 4000;
/** Bounds the description of one operand: operands are expressions, not programs. */
const MAX_COMPUTATION_NODES = 200;

export function collectEqualityChecks(root: SyntaxNode, text: string): EqualityCheck[] {
  const checks: EqualityCheck[] = [];
  const file = new FileText(root, text);
  const methods = passwordMethods(root, text);
  let m = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    checkAnalysisClock();
    const word = match[0];
    const found =
      word === "is"
        ? patternCheck(file, match.index)
        : word === "switch"
          ? switchChecks(file, match.index)
          : word.length === 2
            ? operatorCheck(file, match.index)
            : callCheck(file, match.index, word);
    if (!found || (Array.isArray(found) && found.length === 0)) continue;
    // Candidates come in text order, methods in start order: one forward pass pairs them.
    while (m < methods.length && methods[m].end <= match.index) m++;
    const method = methods.slice(m).find((candidate) => candidate.start <= match.index && match.index < candidate.end);
    for (const check of Array.isArray(found) ? found : [found]) {
      if (method) check.within = method.within;
      checks.push(check);
    }
  }
  return checks;
}

/** Methods and local functions whose names may name a password (`CheckPassword`, `VerifyHashedPassword`). */
const PASSWORD_METHOD_NAME = /\b[A-Za-z_]\w*(?:[Pp]ass|[Pp]w)\w*(?=\s*(?:<[^<>()]*>)?\s*\()/g;
/** Callees in a method's text: `_hasher.VerifyHashedPassword(`, `BCrypt.Net.BCrypt.Verify(`. */
const CALLEE = /(?<![\w.])@?([A-Za-z_]\w*(?:\s*\??\.\s*[A-Za-z_]\w*)*)\s*(?:<[^<>()]*>)?\s*\(/g;
const NOT_CALLEES = new Set([
  "if",
  "while",
  "for",
  "foreach",
  "switch",
  "return",
  "using",
  "catch",
  "nameof",
  "typeof",
  "sizeof",
  "lock",
  "when",
  "new",
  "await",
  "default",
  "checked",
  "unchecked",
  "fixed",
]);
/** Calls recorded for one method. */
const MAX_CALLS = 64;
/** Password-named methods recorded in one file, and password-like names looked at for them. */
const MAX_METHODS = 64;
const MAX_NAMES = 2000;

interface PasswordMethod {
  start: number;
  end: number;
  within: EnclosingFunction;
}

/** The declarations named at the password-like names of the text, in start order, none inside another. */
function passwordMethods(root: SyntaxNode, text: string): PasswordMethod[] {
  const methods: PasswordMethod[] = [];
  let names = 0;
  for (const match of text.matchAll(PASSWORD_METHOD_NAME)) {
    if (methods.length >= MAX_METHODS || ++names > MAX_NAMES) break;
    if (methods.length > 0 && match.index < methods[methods.length - 1].end) continue;
    const name = root.namedDescendantForIndex(match.index, match.index + match[0].length);
    const declaration = name?.parent;
    if (
      !name ||
      !declaration ||
      (declaration.type !== "method_declaration" && declaration.type !== "local_function_statement") ||
      declaration.childForFieldName("name")?.startIndex !== name.startIndex
    )
      continue;
    const parameters: string[] = [];
    for (const parameter of declaration.childForFieldName("parameters")?.namedChildren ?? []) {
      const parameterName = parameter.type === "parameter" ? parameter.childForFieldName("name")?.text : undefined;
      if (parameterName) parameters.push(parameterName);
    }
    const body = text.slice(name.endIndex, declaration.endIndex);
    const calls: string[] = [];
    for (const call of body.matchAll(CALLEE)) {
      if (calls.length >= MAX_CALLS) break;
      const callee = call[1].replace(/\s|\?/g, "");
      if (!NOT_CALLEES.has(callee) && !calls.includes(callee)) calls.push(callee);
    }
    methods.push({
      start: declaration.startIndex,
      end: declaration.endIndex,
      within: { name: match[0], parameters, calls },
    });
  }
  return methods;
}

// Every call into the tree crosses into native code, and a node's parent is found by
// descending from the root again. So nodes are reached from the root by position, never
// by climbing, and operands that are plain names or literals are read from the text the
// tree has delimited, which most operands are.

/** The file's text with its tree, line starts and local declarations, shared by the checks of one file. */
class FileText {
  private lineStarts: number[] | undefined;
  /** Offsets of every `name =` in the file, by name: one pass over the text, made on the first lookup. */
  private assigned: Map<string, number[]> | undefined;

  constructor(
    readonly root: SyntaxNode,
    readonly text: string,
  ) {}

  /** ESLint location of a range, the way tree-sitter counts it (lines end at `\n`, columns in UTF-16 units). */
  loc(start: number, end: number): Loc {
    return { start: this.position(start), end: this.position(end) };
  }

  private position(offset: number): Position {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.text.indexOf("\n"); i >= 0; i = this.text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
    }
    const line = lastAtOrBefore(this.lineStarts, offset);
    return { line: line + 1, column: offset - this.lineStarts[line] };
  }

  /** The initialiser of the nearest earlier `var name = …` in the same member, within a bounded distance. */
  declaredValue(name: string, use: number): SyntaxNode | undefined {
    const offsets = this.assignments().get(name);
    const index = offsets ? lastAtOrBefore(offsets, use - 1) : -1;
    const at = index >= 0 ? offsets![index] : -1;
    if (at < 0 || use - at > DECLARATION_LOOKBACK) return undefined;
    const equals = this.text.indexOf("=", at + name.length);
    // The smallest node holding the name and its `=` is the declarator.
    const declarator = this.root.namedDescendantForIndex(at, equals + 1);
    if (declarator?.type !== "variable_declarator" || declarator.childForFieldName("name")?.startIndex !== at)
      return undefined;
    // Declaration and use in the same member: their smallest common node is inside it.
    if (MEMBER_CONTAINERS.has(this.root.namedDescendantForIndex(at, use + name.length)?.type ?? "")) return undefined;
    const value = declarator.namedChildren.at(-1);
    return value && value.startIndex > equals ? value : undefined;
  }

  /** `name =` (not `==`, `=>`, `+=`, `<=`, …) by name, found from each `=`. */
  private assignments(): Map<string, number[]> {
    if (this.assigned) return this.assigned;
    const assigned = new Map<string, number[]>();
    const text = this.text;
    for (let i = text.indexOf("="); i >= 0; i = text.indexOf("=", i + 1)) {
      const next = text[i + 1];
      if (next === "=" || next === ">") {
        i++;
        continue;
      }
      let j = i - 1;
      while (j >= 0 && (text[j] === " " || text[j] === "\t")) j--;
      const end = j + 1;
      while (j >= 0 && /\w/.test(text[j])) j--;
      if (end - j < 2 || /\d/.test(text[j + 1])) continue;
      const name = text.slice(j + 1, end);
      const list = assigned.get(name);
      if (list) list.push(j + 1);
      else assigned.set(name, [j + 1]);
    }
    this.assigned = assigned;
    return assigned;
  }
}

/** Index of the last element `<= value` in an ascending list, or -1. */
function lastAtOrBefore(list: readonly number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Both operands; a local name also gets the computation that declared it, unless the other side is a constant. */
function operands(file: FileText, left: SyntaxNode, right: SyntaxNode): [Operand, Operand] {
  const a = describeOperand(left);
  const b = describeOperand(right);
  resolveBinding(file, a, left.startIndex);
  resolveBinding(file, b, right.startIndex);
  if (!isConstant(a) && !isConstant(b)) {
    addComputation(file, a, sameValue(left));
    addComputation(file, b, sameValue(right));
  }
  return [a, b];
}

function isConstant(operand: Operand): boolean {
  return operand.kind === "null" || operand.kind === "empty" || operand.kind === "literal";
}

function addComputation(file: FileText, operand: Operand, value: SyntaxNode | { name: string; start: number }): void {
  if (operand.kind !== "name" || operand.path?.length !== 1) return;
  const name = "type" in value ? (value.type === "identifier" ? value.text : undefined) : value.name;
  if (name === undefined) return;
  const declared = file.declaredValue(name, "type" in value ? value.startIndex : value.start);
  const init = declared && sameValue(declared);
  if (init && (init.type === "invocation_expression" || init.type === "object_creation_expression"))
    operand.computed = computation(init);
}

/** Earlier mentions of a name looked at for the pattern that declares it. */
const MAX_BINDING_MENTIONS = 8;

/**
 * A name declared by a pattern stands for what the pattern matched: `p` in
 * `request is { Password: var p }` is `request.Password`, `stored` in
 * `user.Password is { } stored` or `user.Password is string stored` is `user.Password`.
 * The declaration is looked for among the name's last mentions before the use, in the same member.
 */
function resolveBinding(file: FileText, operand: Operand, use: number): void {
  if (operand.kind !== "name" || operand.path?.length !== 1) return;
  const name = operand.path[0];
  const { text, root } = file;
  const from = Math.max(0, use - DECLARATION_LOOKBACK);
  let mentions = 0;
  for (
    let at = text.lastIndexOf(name, use - 1);
    at >= from && mentions < MAX_BINDING_MENTIONS;
    // lastIndexOf with a negative position searches from 0 again: stop at the start of the text.
    at = at > 0 ? text.lastIndexOf(name, at - 1) : -1
  ) {
    if (/\w/.test(text[at - 1] ?? "") || /\w/.test(text[at + name.length] ?? "")) continue;
    mentions++;
    const identifier = root.namedDescendantForIndex(at, at + name.length);
    const pattern = identifier?.parent;
    if (identifier?.type !== "identifier" || !pattern || pattern.childForFieldName("name")?.id !== identifier.id)
      continue;
    if (
      pattern.type !== "declaration_pattern" &&
      pattern.type !== "recursive_pattern" &&
      pattern.type !== "var_pattern"
    )
      return;
    if (MEMBER_CONTAINERS.has(root.namedDescendantForIndex(at, use + name.length)?.type ?? "")) return;
    const path = matchedPath(pattern);
    if (path) {
      operand.path = path;
      delete operand.computed;
    }
    return;
  }
}

/** The member path a pattern is matched against, through property patterns: `request.Password` for `Password: var p` in `request is { … }`. */
function matchedPath(pattern: SyntaxNode): string[] | undefined {
  const members: string[] = [];
  let node: SyntaxNode = pattern;
  for (let guard = 0; guard < 8; guard++) {
    const parent = node.parent;
    if (!parent) return undefined;
    if (parent.type === "is_pattern_expression") {
      if (parent.childForFieldName("pattern")?.id !== node.id) return undefined;
      const subject = parent.childForFieldName("expression");
      const path = subject ? namePath(sameValue(subject)) : [];
      return path.length > 0 ? [...path, ...members.reverse()] : undefined;
    }
    if (parent.type === "subpattern") {
      const member = parent.namedChildren.find((c) => c.id !== node.id);
      if (member?.type !== "identifier") return undefined;
      members.push(member.text);
      const clause = parent.parent;
      const recursive = clause?.type === "property_pattern_clause" ? clause.parent : null;
      if (recursive?.type !== "recursive_pattern") return undefined;
      node = recursive;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** `a == b`, `a != b`. */
function operatorCheck(file: FileText, at: number): EqualityCheck | undefined {
  const { root, text } = file;
  // The smallest named node around the operator is its binary expression.
  const binary = root.namedDescendantForIndex(at, at + 2);
  if (binary?.type !== "binary_expression") return undefined;
  const operator = text.slice(at, at + 2);
  const start = binary.startIndex;
  const end = binary.endIndex;
  // The grammar reads `a == b?.C` as `(a == b)?.C`: the member binding belongs to the right operand.
  const access = /^\s*\?[.[]/.test(text.slice(end, end + 64)) ? binary.parent : null;
  if (access?.type === "conditional_access_expression" && access.childForFieldName("condition")?.id === binary.id) {
    const left = binary.childForFieldName("left");
    const right = binary.childForFieldName("right");
    if (!left || !right) return undefined;
    const binding = access.namedChildren.at(-1);
    const [a, b] = operands(file, left, right);
    const name = binding && bindingName(binding);
    if (b.path && name !== undefined) b.path = [...b.path, name];
    b.text = shortText(`${right.text}?${binding?.text ?? ""}`);
    return { operator, left: a, right: b, loc: nodeLoc(access) };
  }
  const leftText = textOperand(text, start, at);
  const rightText = textOperand(text, at + 2, end);
  const a = leftText?.operand ?? describeOperand(binary.firstNamedChild!);
  const b = rightText?.operand ?? describeOperand(binary.lastNamedChild!);
  resolveBinding(file, a, leftText?.name?.start ?? binary.firstNamedChild!.startIndex);
  resolveBinding(file, b, rightText?.name?.start ?? binary.lastNamedChild!.startIndex);
  if (!isConstant(a) && !isConstant(b)) {
    addComputation(file, a, leftText?.name ?? sameValue(binary.firstNamedChild!));
    addComputation(file, b, rightText?.name ?? sameValue(binary.lastNamedChild!));
  }
  return { operator, left: a, right: b, loc: file.loc(start, end) };
}

/**
 * `password is "hunter2"`, `input.Password is not "x"`, `p is "a" or "b"`: the subject
 * checked against the first string constant of the pattern.
 */
function patternCheck(file: FileText, at: number): EqualityCheck | undefined {
  // The `is` keyword is unnamed: the smallest named node around it is the pattern expression.
  const expression = file.root.namedDescendantForIndex(at, at + 2);
  if (expression?.type !== "is_pattern_expression") return undefined;
  const subject = expression.childForFieldName("expression");
  const pattern = expression.childForFieldName("pattern");
  const constant = pattern && firstStringConstant(pattern);
  if (!subject || !constant) return undefined;
  const [a, b] = operands(file, subject, constant.value);
  return { operator: constant.negated ? "is not" : "is", left: a, right: b, loc: nodeLoc(expression) };
}

/**
 * The arms of a `switch` expression or statement over a value that match string
 * constants (`"Adm1n-Pa55!" => …`, `case "letmein":`): one check per arm, at its pattern.
 */
function switchChecks(file: FileText, at: number): EqualityCheck[] {
  const node = file.root.namedDescendantForIndex(at, at + 6);
  const out: EqualityCheck[] = [];
  let subject: SyntaxNode | null = null;
  let arms: SyntaxNode[] = [];
  if (node?.type === "switch_expression") {
    subject = node.firstNamedChild;
    arms = node.namedChildren.filter((c) => c.type === "switch_expression_arm");
  } else if (node?.type === "switch_statement") {
    subject = node.childForFieldName("value");
    arms = node.childForFieldName("body")?.namedChildren.filter((c) => c.type === "switch_section") ?? [];
  }
  if (!subject) return out;
  for (const arm of arms.slice(0, MAX_ARMS)) {
    for (const pattern of arm.namedChildren) {
      if (pattern.type === "when_clause" || !pattern.type.endsWith("pattern")) continue;
      const constant = firstStringConstant(pattern);
      if (!constant || constant.negated) continue;
      const [a, b] = operands(file, subject, constant.value);
      out.push({ operator: "switch", left: a, right: b, loc: nodeLoc(pattern) });
    }
  }
  return out;
}

/** The first string constant of a pattern (through `or`, `and`, `not` and parentheses), and whether it is negated. */
function firstStringConstant(pattern: SyntaxNode): { value: SyntaxNode; negated: boolean } | undefined {
  const stack: { node: SyntaxNode; negated: boolean }[] = [{ node: pattern, negated: false }];
  for (let visited = 0; stack.length > 0 && visited < MAX_PATTERN_NODES; visited++) {
    const { node, negated } = stack.pop()!;
    switch (node.type) {
      case "constant_pattern": {
        const value = node.firstNamedChild;
        const literal = value && stringLiteralValue(value);
        if (value && literal) return { value, negated };
        break;
      }
      case "or_pattern":
      case "and_pattern":
      case "parenthesized_pattern":
      case "negated_pattern": {
        const inner = node.namedChildren;
        for (let i = inner.length - 1; i >= 0; i--)
          stack.push({ node: inner[i], negated: negated !== (node.type === "negated_pattern") });
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

const PLAIN_PATH = /^@?[A-Za-z_]\w*(?:\s*[?!]?\.\s*@?[A-Za-z_]\w*)*!?$/;
const NUMBER_OR_CHAR = /^(?:-?\d[\w.]*|'(?:[^'\\]|\\.)+')$/;
const PLAIN_STRING = /^"[^"\\\n]*"$/;

/**
 * An operand that is a literal or a plain member path, read from its text; undefined for
 * anything else (calls, casts, element access, comments), which the tree describes.
 */
function textOperand(
  text: string,
  from: number,
  to: number,
): { operand: Operand; name?: { name: string; start: number } } | undefined {
  const raw = text.slice(from, to);
  const value = raw.trim();
  if (value === "null" || value === "default") return { operand: { text: value, kind: "null" } };
  if (value === "true" || value === "false" || NUMBER_OR_CHAR.test(value))
    return { operand: { text: value, kind: "literal" } };
  if (/^(?:System\.)?(?:string|String)\.Empty$/.test(value)) return { operand: { text: value, kind: "empty" } };
  if (PLAIN_STRING.test(value)) {
    return {
      operand:
        value.length === 2
          ? { text: value, kind: "empty" }
          : { text: shortText(value), kind: "string", value: value.slice(1, -1) },
    };
  }
  if (!PLAIN_PATH.test(value)) return undefined;
  const path = value
    .replace(/!$/, "")
    .split(/\s*[?!]?\.\s*/)
    .map((part) => part.replace(/^@/, ""));
  const operand: Operand = { text: shortText(value), kind: "name", path };
  if (path.length !== 1) return { operand };
  return { operand, name: { name: path[0], start: from + raw.indexOf(value) + (value.startsWith("@") ? 1 : 0) } };
}

/** `a.Equals(b)`, `string.Equals(a, b)`, `string.Compare(a, b)`, `a.SequenceEqual(b)`, `a?.Equals(b)`, `Equals(a, b)`. */
function callCheck(file: FileText, at: number, name: string): EqualityCheck | undefined {
  const { root, text } = file;
  const paren = argumentListStart(text, at + name.length);
  if (paren < 0) return undefined;
  // The smallest node that holds both the name and the `(` is the invocation.
  const invocation = root.namedDescendantForIndex(at, paren + 1);
  if (invocation?.type !== "invocation_expression") return undefined;
  const fn = invocation.childForFieldName("function");
  let receiver: SyntaxNode | null = null;
  if (fn?.type === "member_access_expression" && fn.childForFieldName("name")?.startIndex === at)
    receiver = fn.childForFieldName("expression");
  else if (
    fn?.type === "conditional_access_expression" &&
    fn.namedChildren.at(-1)?.childForFieldName("name")?.startIndex === at
  )
    receiver = fn.childForFieldName("condition");
  else if (!(fn && (fn.type === "identifier" || fn.type === "generic_name") && fn.startIndex === at)) return undefined;
  const args = argumentsOf(invocation);
  const staticCall = !receiver || isStaticReceiver(receiver);
  if (args.length >= 2 && (staticCall || ARGUMENT_COMPARES.has(name))) {
    const shown = receiver ? `${receiver.text.replace(/\s+/g, "")}.${name}()` : `${name}()`;
    const [a, b] = operands(file, args[0], args[1]);
    return { operator: shown, left: a, right: b, loc: nodeLoc(invocation) };
  }
  if (receiver && !staticCall && RECEIVER_COMPARES.has(name) && args.length >= 1) {
    const [a, b] = operands(file, receiver, args[0]);
    return { operator: `.${name}()`, left: a, right: b, loc: nodeLoc(invocation) };
  }
  return undefined;
}

/** The `(` after a method name, past whitespace and type arguments (`SequenceEqual<byte>(`); -1 when there is none. */
function argumentListStart(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i])) i++;
  if (text[i] === "<") {
    const close = text.indexOf(">", i);
    if (close < 0 || close - i > 100) return -1;
    i = close + 1;
    while (i < text.length && /\s/.test(text[i])) i++;
  }
  return text[i] === "(" ? i : -1;
}

function isStaticReceiver(receiver: SyntaxNode): boolean {
  if (receiver.type === "predefined_type") return true;
  const name = simpleName(receiver);
  return STATIC_RECEIVERS.has(name) || /Comparer$/.test(name) || /Comparer\b/.test(receiver.text) || name === "Default";
}

/** The expressions of an invocation's arguments, named arguments included. */
function argumentsOf(invocation: SyntaxNode): SyntaxNode[] {
  const list = invocation.childForFieldName("arguments");
  if (!list) return [];
  const out: SyntaxNode[] = [];
  for (const argument of list.namedChildren) {
    if (argument.type !== "argument") continue;
    const value = argument.namedChildren.at(-1);
    if (value) out.push(value);
  }
  return out;
}

function describeOperand(node: SyntaxNode): Operand {
  const text = shortText(misparsedAccessText(node) ?? node.text);
  const value = sameValue(node);
  switch (value.type) {
    case "null_literal":
    case "default_expression":
      return { text, kind: "null" };
    case "string_literal":
    case "verbatim_string_literal":
    case "raw_string_literal": {
      const literal = stringLiteralValue(value) ?? "";
      return literal === "" ? { text, kind: "empty" } : { text, kind: "string", value: literal };
    }
    case "boolean_literal":
    case "integer_literal":
    case "real_literal":
    case "character_literal":
      return { text, kind: "literal" };
    case "identifier":
      return { text, kind: "name", path: [value.text] };
    case "member_access_expression":
      if (/^(?:System\.)?(?:string|String)\.Empty$/.test(value.text)) return { text, kind: "empty" };
      return nameOperand(text, value);
    case "element_access_expression":
    case "conditional_access_expression":
      return nameOperand(text, value);
    case "invocation_expression":
    case "object_creation_expression":
      return { text, kind: "call", computed: computation(value) };
    default:
      return { text, kind: "other" };
  }
}

/** `ok && user?.Password` read as `(ok && user)?.Password`: the text of the real operand, `user?.Password`. */
function misparsedAccessText(node: SyntaxNode): string | undefined {
  if (node.type !== "conditional_access_expression") return undefined;
  let receiver = node.childForFieldName("condition");
  if (receiver?.type !== "binary_expression") return undefined;
  while (receiver?.type === "binary_expression") receiver = receiver.childForFieldName("right");
  const binding = node.namedChildren.at(-1);
  return receiver && binding ? `${receiver.text}?${binding.text}` : undefined;
}

function nameOperand(text: string, node: SyntaxNode): Operand {
  const path = namePath(node);
  return path.length > 0 ? { text, kind: "name", path } : { text, kind: "other" };
}

/** Looks through parentheses, casts, `await`, `!`, `as`, trimming and case conversions, and text/byte encodings. */
function sameValue(node: SyntaxNode): SyntaxNode {
  // Each step moves to a child, so the loop ends.
  let current = node;
  for (let next = innerValue(current); next; next = innerValue(current)) current = next;
  return current;
}

function innerValue(node: SyntaxNode): SyntaxNode | null {
  switch (node.type) {
    case "parenthesized_expression":
    case "await_expression":
      return node.firstNamedChild;
    case "cast_expression":
      return node.childForFieldName("value");
    case "as_expression":
      return node.childForFieldName("left");
    case "postfix_unary_expression":
      return node.text.endsWith("!") ? node.firstNamedChild : null;
    case "invocation_expression": {
      const fn = node.childForFieldName("function");
      const args = argumentsOf(node);
      if (fn?.type === "member_access_expression") {
        const name = simpleName(fn.childForFieldName("name"));
        const receiver = fn.childForFieldName("expression");
        if (!receiver) return null;
        if (SAME_VALUE_METHODS.has(name)) return receiver;
        const receiverText = receiver.text.replace(/\s+/g, "");
        if (
          (ENCODING_METHODS.has(name) && ENCODING_RECEIVER.test(receiverText)) ||
          (CONVERT_METHODS.has(name) && receiverText === "Convert")
        ) {
          return args[0] ?? null;
        }
      } else if (fn?.type === "conditional_access_expression") {
        const binding = fn.namedChildren.at(-1);
        if (binding?.type === "member_binding_expression" && SAME_VALUE_METHODS.has(bindingName(binding) ?? ""))
          return fn.childForFieldName("condition");
      }
      return null;
    }
    default:
      return null;
  }
}

function bindingName(binding: SyntaxNode): string | undefined {
  if (binding.type === "member_binding_expression") return simpleName(binding.childForFieldName("name"));
  if (binding.type === "element_binding_expression") return subscriptString(binding);
  return undefined;
}

/** The string of a single-string subscript: `Form["password"]` → `password`. */
function subscriptString(node: SyntaxNode): string | undefined {
  const list =
    node.type === "bracketed_argument_list"
      ? node
      : node.namedChildren.find((c) => c.type === "bracketed_argument_list");
  const args = list?.namedChildren.filter((c) => c.type === "argument") ?? [];
  const value = args.length === 1 ? args[0].namedChildren.at(-1) : undefined;
  return value ? stringLiteralValue(value) : undefined;
}

/** `request.Input.Password` → request, Input, Password; `Form["password"]` → Form, password; `this.Password` → this, Password. */
function namePath(node: SyntaxNode): string[] {
  const parts: string[] = [];
  let current: SyntaxNode | null = node;
  while (current) {
    if (current.type === "member_access_expression") {
      parts.push(simpleName(current.childForFieldName("name")));
      const receiver = current.childForFieldName("expression");
      if (!receiver || receiver.type === "this") {
        parts.push("this");
        break;
      }
      current = sameValue(receiver);
    } else if (current.type === "element_access_expression") {
      const key = subscriptString(current.childForFieldName("subscript") ?? current);
      if (key === undefined) break;
      parts.push(key);
      const receiver = current.childForFieldName("expression");
      current = receiver && sameValue(receiver);
    } else if (current.type === "conditional_access_expression") {
      const binding = current.namedChildren.at(-1);
      const name = binding && bindingName(binding);
      if (name === undefined) break;
      parts.push(name);
      // The grammar reads `ok && user?.Password` as `(ok && user)?.Password`: the receiver is the rightmost operand.
      let receiver = current.childForFieldName("condition");
      while (receiver?.type === "binary_expression") receiver = receiver.childForFieldName("right");
      current = receiver && sameValue(receiver);
    } else {
      if (current.type === "identifier") parts.push(current.text);
      else if (current.type === "this_expression" || current.type === "this") parts.push("this");
      break;
    }
  }
  return parts.reverse();
}

/** The callees and named inputs of an expression, in a bounded iterative walk. */
function computation(root: SyntaxNode): Computation {
  const calls: string[] = [];
  const inputs: string[][] = [];
  const stack: SyntaxNode[] = [root];
  for (let visited = 0; stack.length > 0 && visited < MAX_COMPUTATION_NODES; visited++) {
    const node = stack.pop()!;
    switch (node.type) {
      case "invocation_expression": {
        const fn = node.childForFieldName("function");
        if (fn) calls.push(calleeText(fn));
        const receiver = fn?.type === "member_access_expression" ? fn.childForFieldName("expression") : null;
        if (receiver && (!isPlainName(receiver) || SAME_VALUE_METHODS.has(simpleName(fn!.childForFieldName("name")))))
          stack.push(receiver);
        pushArguments(stack, node);
        break;
      }
      case "object_creation_expression":
        calls.push(`new ${simpleName(node.childForFieldName("type"))}`);
        pushArguments(stack, node);
        break;
      case "identifier":
      case "member_access_expression":
      case "element_access_expression":
      case "conditional_access_expression": {
        const path = namePath(node);
        if (path.length > 0) inputs.push(path);
        break;
      }
      case "binary_expression":
      case "parenthesized_expression":
      case "cast_expression":
      case "await_expression":
      case "interpolated_string_expression":
      case "interpolation":
        for (let i = node.namedChildCount - 1; i >= 0; i--) stack.push(node.namedChild(i)!);
        break;
      default:
        break;
    }
  }
  return { calls, inputs };
}

function pushArguments(stack: SyntaxNode[], call: SyntaxNode): void {
  const args = argumentsOf(call);
  for (let i = args.length - 1; i >= 0; i--) stack.push(args[i]);
}

function isPlainName(node: SyntaxNode): boolean {
  return (
    node.type === "identifier" ||
    node.type === "member_access_expression" ||
    node.type === "predefined_type" ||
    node.type === "generic_name" ||
    node.type === "this"
  );
}

/** `SHA256.HashData`, `Encoding.UTF8.GetBytes`, `sha.ComputeHash`; the method name alone after a call (`SHA256.Create().ComputeHash`). */
function calleeText(fn: SyntaxNode): string {
  if (fn.type === "member_access_expression") {
    const receiver = fn.childForFieldName("expression");
    const name = simpleName(fn.childForFieldName("name"));
    return receiver && isPlainName(receiver) ? `${receiver.text.replace(/\s+/g, "")}.${name}` : name;
  }
  return simpleName(fn);
}
