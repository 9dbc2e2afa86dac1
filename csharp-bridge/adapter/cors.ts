/**
 * CORS configurations in C#:
 *  - ASP.NET Core policy builders, wherever the builder comes from (`AddPolicy("x", p => …)`,
 *    `AddDefaultPolicy`, `app.UseCors(p => …)`, `new CorsPolicyBuilder(…)`), with the calls
 *    on one builder gathered across chains and statements: `AllowAnyOrigin()`, `WithOrigins(…)`,
 *    `SetIsOriginAllowed(…)`, `SetIsOriginAllowedToAllowWildcardSubdomains()`,
 *    `AllowCredentials()` / `DisallowCredentials()`;
 *  - `CorsPolicy` objects (`Origins.Add("*")`, `SupportsCredentials = true`, `IsOriginAllowed = …`),
 *    both ASP.NET Core's and classic ASP.NET's (System.Web.Cors);
 *  - ASP.NET Web API's `[EnableCors(origins, headers, methods, SupportsCredentials = true)]`
 *    and `new EnableCorsAttribute(…)`;
 *  - `Access-Control-Allow-Origin` response headers written by hand, with
 *    `Access-Control-Allow-Credentials` in the same method.
 * Candidates are found in the text by name and confirmed in the tree, so a file without
 * CORS code costs one pattern test.
 */
import type { CorsCredentials, CorsOrigin, CorsPolicy } from "../../lib/core/facts/cors.js";
import type { Loc } from "../../lib/core/model.js";
import type { SyntaxNode } from "../parser.js";
import { query } from "../parser.js";
import { nodeLoc } from "./syntax.js";
import { CSharpAttribute } from "./attributes.js";
import { shortText, simpleName, stringLiteralValue } from "./syntax.js";
import { onExclusiveArms } from "../../lib/core/adapter-utils.js";
import { checkAnalysisClock } from "./clock.js";

const HINT =
  /AllowAnyOrigin|IsOriginAllowed|WithOrigins|AllowCredentials|SupportsCredentials|Origins|EnableCors|CorsPolicyBuilder|Access-?Control-?Allow-?Origin/i;
/** Every HINT spells one of these: a cheaper test that most files fail. */
const HINT_WORDS = /origin|credential|cors/i;

const BUILDER_METHODS = [
  "AllowAnyOrigin",
  "WithOrigins",
  "SetIsOriginAllowed",
  "SetIsOriginAllowedToAllowWildcardSubdomains",
  "AllowCredentials",
  "DisallowCredentials",
];
const POLICY_PROPERTIES = ["SupportsCredentials", "IsOriginAllowed", "AllowAnyOrigin", "Origins"];
const POLICY_TYPES = ["CorsPolicyBuilder", "CorsPolicy", "EnableCorsAttribute"];

/** Where a body of code starts: the scope a local variable or parameter belongs to. */
const FUNCTION_TYPES = new Set([
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

const WORD = /[A-Za-z0-9_]/;
/** How far up the tree the adapter looks for a declaring scope or an enclosing `if`. */
const MAX_CLIMB = 400;

interface Context {
  root: SyntaxNode;
  text: string;
  /** Classic ASP.NET (System.Web.Cors, Web API): `*` with credentials echoes the request's origin. */
  legacy: boolean;
  /** Method groups passed as origin predicates, by name: does the method always return true? */
  methodGroups: Map<string, boolean>;
  /** Whether the file tests the environment at all (`IsDevelopment()`, `#if DEBUG`): else no branch is development-only. */
  selectsEnvironment: boolean;
}

export function collectCorsPolicies(root: SyntaxNode, text: string): CorsPolicy[] {
  if (!HINT_WORDS.test(text) || !HINT.test(text)) return [];
  const ctx: Context = {
    root,
    text,
    legacy: /\bSystem\.Web(?:\.Http)?\.Cors\b/.test(text),
    methodGroups: new Map(),
    selectsEnvironment: DEVELOPMENT.test(text) || /#\s*if\s+DEBUG\b/.test(text),
  };
  return [...policyObjects(ctx), ...webApiAttributes(ctx), ...headerPolicies(ctx)];
}

// ---------------------------------------------------------------- finding names

/** Identifiers named `name` in the tree (word-bounded text matches that are identifier nodes). */
function* identifiers(ctx: Context, name: string, from = 0, to = ctx.text.length): Generator<SyntaxNode> {
  const { text } = ctx;
  for (let i = text.indexOf(name, from); i >= 0 && i < to; i = text.indexOf(name, i + name.length)) {
    checkAnalysisClock();
    if (WORD.test(text[i - 1] ?? "") || WORD.test(text[i + name.length] ?? "")) continue;
    const node = ctx.root.descendantForIndex(i, i + name.length);
    if (node?.type === "identifier" && node.startIndex === i && node.endIndex === i + name.length) yield node;
  }
}

function field(node: SyntaxNode | null | undefined, name: string): SyntaxNode | null {
  return node ? node.childForFieldName(name) : null;
}

function same(a: SyntaxNode | null | undefined, b: SyntaxNode | null | undefined): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

function keyOf(node: SyntaxNode): string {
  return `${node.type}@${node.startIndex}-${node.endIndex}`;
}

/** The expression of an `argument` node (after `name:` and `out`/`ref`). */
function argumentValue(argument: SyntaxNode): SyntaxNode | null {
  return argument.namedChildren.filter((c) => !same(c, field(argument, "name"))).at(-1) ?? null;
}

function argumentsOf(invocationOrCreation: SyntaxNode): SyntaxNode[] {
  const list = field(invocationOrCreation, "arguments");
  return list ? list.namedChildren.filter((c) => c.type === "argument") : [];
}

function unwrapParentheses(node: SyntaxNode | null): SyntaxNode | null {
  let current = node;
  while (current?.type === "parenthesized_expression") current = current.namedChildren[0] ?? null;
  return current;
}

// ---------------------------------------------------------------- policies and builders

/** One setting on a policy holder, in source order. */
interface Setting {
  at: number;
  /** The call or assignment, for telling settings in exclusive branches apart. */
  node: SyntaxNode;
  role: "origin" | "credentials" | "wildcards";
  apply(policy: PolicyDraft): void;
}

interface PolicyDraft {
  via: string;
  anchor: SyntaxNode;
  origins: CorsOrigin[];
  /** `https://*.example.com` origins: patterns only where wildcard subdomains are switched on. */
  wildcards: { origin: string; setting: string; loc: Loc }[];
  credentials: CorsCredentials;
  legacy: boolean;
}

interface Holder {
  /** The node that shows what the policy is: the builder lambda, the creation, the variable. */
  anchor: SyntaxNode;
  settings: Setting[];
  via?: string;
  legacy: boolean;
}

/**
 * Everything that configures a policy, grouped by the builder or policy object it is called
 * on: the parameter of a builder lambda, a local variable, or an object creation.
 */
function policyObjects(ctx: Context): CorsPolicy[] {
  const holders = new Map<string, Holder>();
  const holderFor = (target: SyntaxNode): Holder => {
    const { key, anchor } = holderIdentity(target);
    let holder = holders.get(key);
    if (!holder) holders.set(key, (holder = { anchor, settings: [], legacy: ctx.legacy }));
    else if (anchor.startIndex < holder.anchor.startIndex) holder.anchor = anchor;
    return holder;
  };

  for (const name of BUILDER_METHODS) {
    for (const identifier of identifiers(ctx, name)) {
      const member = identifier.parent;
      const invocation = member?.parent;
      if (member?.type !== "member_access_expression" || !same(field(member, "name"), identifier)) continue;
      if (invocation?.type !== "invocation_expression" || !same(field(invocation, "function"), member)) continue;
      const receiver = field(member, "expression");
      if (!receiver) continue;
      holderFor(chainRoot(receiver)).settings.push(builderSetting(ctx, name, identifier, invocation));
    }
  }

  for (const name of POLICY_PROPERTIES) {
    for (const identifier of identifiers(ctx, name)) {
      const write = propertyWrite(identifier);
      if (!write) continue;
      const setting = propertySetting(ctx, name, identifier, write.value, write.statement);
      if (setting) holderFor(write.holder).settings.push(setting);
    }
  }

  for (const name of POLICY_TYPES) {
    for (const identifier of identifiers(ctx, name)) {
      const creation = creationOf(identifier);
      if (!creation) continue;
      const holder = holderFor(creation);
      holder.via ??= `new ${name}(${argumentsOf(creation).length > 0 ? "…" : ""})`;
      if (name === "EnableCorsAttribute") holder.legacy = true;
      const setting = constructorSetting(name, creation);
      if (setting) holder.settings.push(setting);
    }
  }

  const policies: CorsPolicy[] = [];
  for (const holder of holders.values()) policies.push(...holderPolicies(ctx, holder));
  return policies;
}

/**
 * The policies one holder configures. Each origin setting takes the credentials setting
 * that runs with it: the last one in source order that is not on another arm of the same
 * `if`/`switch` (`if (any) b.AllowAnyOrigin(); else b.WithOrigins(list).AllowCredentials();`
 * never combines the two). Origins that take the same credentials form one policy.
 */
function holderPolicies(ctx: Context, holder: Holder): CorsPolicy[] {
  const settings = holder.settings.sort((a, b) => a.at - b.at);
  const originSettings = settings.filter((s) => s.role === "origin");
  if (originSettings.length === 0) return [];
  const allowsWildcardSubdomains = settings.some((s) => s.role === "wildcards");
  const credentialSettings = settings.filter((s) => s.role === "credentials");
  const branches = new Map<Setting, Map<string, string>>();
  const branchesOf = (setting: Setting) => {
    let found = branches.get(setting);
    if (!found) branches.set(setting, (found = branchArms(setting.node)));
    return found;
  };
  const groups = new Map<Setting | undefined, CorsOrigin[]>();
  for (const setting of originSettings) {
    const credentials =
      credentialSettings.length === 0
        ? undefined
        : credentialSettings.findLast((c) => !onExclusiveArms(branchesOf(setting), branchesOf(c)));
    const draft = emptyDraft(holder);
    setting.apply(draft);
    // Without SetIsOriginAllowedToAllowWildcardSubdomains() a `*.` origin only matches itself.
    if (allowsWildcardSubdomains) {
      for (const wildcard of draft.wildcards) {
        draft.origins.push({
          kind: "pattern",
          setting: wildcard.setting,
          loc: wildcard.loc,
          patterns: [{ syntax: "wildcard-subdomain", source: wildcard.origin, flags: "" }],
        });
      }
    }
    const group = groups.get(credentials);
    if (group) group.push(...draft.origins);
    else groups.set(credentials, [...draft.origins]);
  }
  const policies: CorsPolicy[] = [];
  for (const [credentialSetting, origins] of groups) {
    const draft = emptyDraft(holder);
    credentialSetting?.apply(draft);
    policies.push({
      via: draft.via,
      mechanism: "middleware",
      wildcardWithCredentials: holder.legacy ? "reflected" : "rejected",
      origins,
      credentials: draft.credentials,
      guarded: false,
      developmentOnly: inDevelopmentBranch(ctx, holder.anchor),
      loc: nodeLoc(holder.anchor),
    });
  }
  return policies;
}

function emptyDraft(holder: Holder): PolicyDraft {
  return {
    via: holder.via ?? viaOf(holder.anchor),
    anchor: holder.anchor,
    origins: [],
    wildcards: [],
    credentials: { allowed: false, setting: "no AllowCredentials()" },
    legacy: holder.legacy,
  };
}

/**
 * The branch arms around a node, up to the function it is in: `if` → then/else, `?:`,
 * `switch` sections, keyed by the branching node.
 */
function branchArms(node: SyntaxNode): Map<string, string> {
  const arms = new Map<string, string>();
  let child = node;
  let depth = 0;
  for (
    let current = node.parent;
    current && depth < MAX_CLIMB && !FUNCTION_TYPES.has(child.type);
    child = current, current = current.parent, depth++
  ) {
    if (current.type === "if_statement" || current.type === "conditional_expression") {
      const arm = same(field(current, "consequence"), child)
        ? "then"
        : same(field(current, "alternative"), child)
          ? "else"
          : undefined;
      if (arm) arms.set(keyOf(current), arm);
    } else if (current.type === "switch_section" && current.parent) {
      arms.set(keyOf(current.parent), keyOf(current));
    }
  }
  return arms;
}

/** `p.WithOrigins(…).AllowCredentials()` → `p`; `new CorsPolicyBuilder().AllowAnyOrigin()` → the creation. */
function chainRoot(receiver: SyntaxNode): SyntaxNode {
  let current = receiver;
  for (let guard = 0; guard < 256; guard++) {
    const inner = unwrapParentheses(current) ?? current;
    if (inner.type !== "invocation_expression") return inner;
    const fn = field(inner, "function");
    const next = fn?.type === "member_access_expression" ? field(fn, "expression") : null;
    if (!next) return inner;
    current = next;
  }
  return current;
}

/** The outermost call of the chain that starts at `node`: `new CorsPolicyBuilder().AllowAnyOrigin()` for the creation. */
function chainTop(node: SyntaxNode): SyntaxNode {
  let current = node;
  for (let guard = 0; guard < 256; guard++) {
    const member = current.parent;
    const invocation = member?.parent;
    if (member?.type !== "member_access_expression" || !same(field(member, "expression"), current)) break;
    if (invocation?.type !== "invocation_expression" || !same(field(invocation, "function"), member)) break;
    current = invocation;
  }
  return current;
}

/**
 * What a holder is: a name (keyed by the lambda or method that declares it), a variable a
 * creation is assigned to, or the creation itself.
 */
function holderIdentity(target: SyntaxNode): { key: string; anchor: SyntaxNode } {
  if (target.type === "identifier") {
    const scope = declaringScope(target, target.text);
    return { key: `${keyOf(scope)}:${target.text}`, anchor: scope.type === "lambda_expression" ? scope : target };
  }
  if (target.type === "object_creation_expression" || target.type === "implicit_object_creation_expression") {
    const top = chainTop(target);
    const parent = top.parent;
    const variable =
      parent?.type === "variable_declarator"
        ? field(parent, "name")
        : parent?.type === "assignment_expression" && same(field(parent, "right"), top)
          ? field(parent, "left")
          : null;
    if (variable?.type === "identifier")
      return { key: `${keyOf(declaringScope(variable, variable.text))}:${variable.text}`, anchor: target };
    return { key: keyOf(target), anchor: target };
  }
  const scope = enclosingFunction(target);
  return { key: `${keyOf(scope)}:${target.text.replace(/\s+/g, "")}`, anchor: target };
}

/** The lambda whose parameter is `name`, else the enclosing method (or the file, for top-level statements). */
function declaringScope(node: SyntaxNode, name: string): SyntaxNode {
  let depth = 0;
  for (let current = node.parent; current && depth < MAX_CLIMB; current = current.parent, depth++) {
    if (current.type === "lambda_expression" || current.type === "anonymous_method_expression") {
      if (declaresParameter(current, name)) return current;
      continue;
    }
    if (FUNCTION_TYPES.has(current.type)) return current;
  }
  return node.tree.rootNode;
}

function declaresParameter(fn: SyntaxNode, name: string): boolean {
  const parameters = field(fn, "parameters") ?? fn.namedChildren.find((c) => c.type === "parameter_list") ?? null;
  if (!parameters) return false;
  if (parameters.type === "implicit_parameter" || parameters.type === "identifier") return parameters.text === name;
  return parameters.namedChildren.some((p) => p.type === "parameter" && field(p, "name")?.text === name);
}

function enclosingFunction(node: SyntaxNode): SyntaxNode {
  let depth = 0;
  for (let current = node.parent; current && depth < MAX_CLIMB; current = current.parent, depth++)
    if (FUNCTION_TYPES.has(current.type)) return current;
  return node.tree.rootNode;
}

/** `AddPolicy("AllowAll")`, `AddDefaultPolicy()`, `UseCors()`: the call a builder lambda is passed to. */
function viaOf(anchor: SyntaxNode): string {
  const invocation = anchor.type === "lambda_expression" ? anchor.parent?.parent?.parent : null;
  if (invocation?.type === "invocation_expression") {
    const name = simpleName(field(invocation, "function"));
    const first = argumentsOf(invocation)[0];
    const value = first ? argumentValue(first) : null;
    const policyName = value && value.type !== "lambda_expression" ? shortText(value.text, 40) : "";
    return `${name}(${policyName})`;
  }
  return "CorsPolicyBuilder";
}

/** The span from a method's name to the end of its call: `AllowAnyOrigin()` in `p.WithX().AllowAnyOrigin()`. */
function callLoc(name: SyntaxNode, invocation: SyntaxNode): Loc {
  return { start: nodeLoc(name).start, end: nodeLoc(invocation).end };
}

function callSetting(ctx: Context, name: SyntaxNode, invocation: SyntaxNode): string {
  return shortText(ctx.text.slice(name.startIndex, invocation.endIndex), 80);
}

function builderSetting(ctx: Context, name: string, identifier: SyntaxNode, invocation: SyntaxNode): Setting {
  const at = identifier.startIndex;
  const loc = callLoc(identifier, invocation);
  const setting = callSetting(ctx, identifier, invocation);
  switch (name) {
    case "AllowAnyOrigin":
      return { at, node: invocation, role: "origin", apply: (p) => p.origins.push({ kind: "any", setting, loc }) };
    case "WithOrigins":
      return {
        at,
        node: invocation,
        role: "origin",
        apply: (p) => addOrigins(p, originStrings(argumentsOf(invocation)), setting, loc),
      };
    case "SetIsOriginAllowed": {
      const argument = argumentsOf(invocation)[0];
      const kind = argument && alwaysTrue(ctx, argumentValue(argument)) ? "reflect" : "restricted";
      return { at, node: invocation, role: "origin", apply: (p) => p.origins.push({ kind, setting, loc }) };
    }
    case "SetIsOriginAllowedToAllowWildcardSubdomains":
      return { at, node: invocation, role: "wildcards", apply: () => undefined };
    case "AllowCredentials":
      return {
        at,
        node: invocation,
        role: "credentials",
        apply: (p) => void (p.credentials = { allowed: true, setting }),
      };
    default:
      return {
        at,
        node: invocation,
        role: "credentials",
        apply: (p) => void (p.credentials = { allowed: false, setting }),
      };
  }
}

/** Origins given as strings: literals directly, or in an array or collection expression. */
function originStrings(args: readonly SyntaxNode[]): (string | undefined)[] {
  const values: (string | undefined)[] = [];
  for (const argument of args) {
    const value = argumentValue(argument);
    if (!value) continue;
    const literal = stringLiteralValue(value);
    if (literal !== undefined) values.push(literal);
    else if (/array_creation_expression|collection_expression|initializer_expression/.test(value.type)) {
      for (const element of initializerElements(value)) values.push(stringLiteralValue(element));
    } else values.push(undefined);
  }
  return values;
}

function initializerElements(node: SyntaxNode): SyntaxNode[] {
  const initializer =
    node.type === "initializer_expression" || node.type === "collection_expression"
      ? node
      : node.namedChildren.find((c) => c.type === "initializer_expression");
  // `[ "a", .. more ]`: each element is a `collection_element` around an `expression_element` or a spread.
  const unwrap = (c: SyntaxNode): SyntaxNode =>
    c.type === "collection_element" || c.type === "expression_element" ? unwrap(c.namedChildren[0] ?? c) : c;
  return initializer ? initializer.namedChildren.map(unwrap) : [];
}

/** `*` is any origin, `null` the null origin, `https://*.example.com` a wildcard (if wildcards are on), the rest explicit. */
function addOrigins(policy: PolicyDraft, origins: readonly (string | undefined)[], setting: string, loc: Loc): void {
  let explicit = false;
  for (const origin of origins) {
    const value = origin?.trim();
    if (value === "*") policy.origins.push({ kind: "any", setting, loc });
    else if (value?.toLowerCase() === "null") policy.origins.push({ kind: "null", setting, loc });
    else if (value?.includes("*")) policy.wildcards.push({ origin: value, setting, loc });
    else explicit = true;
  }
  if (explicit) policy.origins.push({ kind: "restricted", setting, loc });
}

/**
 * Does a predicate return `true` for every origin? `_ => true`, `origin => { return true; }`,
 * `delegate { return true; }`, or a method group whose body in this file does the same.
 */
function alwaysTrue(ctx: Context, node: SyntaxNode | null): boolean {
  const value = unwrapParentheses(node);
  if (!value) return false;
  if (value.type === "lambda_expression" || value.type === "anonymous_method_expression") {
    return bodyAlwaysTrue(field(value, "body") ?? value.namedChildren.find((c) => c.type === "block") ?? null);
  }
  if (value.type === "identifier" || value.type === "member_access_expression") {
    const name = simpleName(value);
    let verdict = ctx.methodGroups.get(name);
    if (verdict === undefined) ctx.methodGroups.set(name, (verdict = methodAlwaysTrue(ctx, name)));
    return verdict;
  }
  return false;
}

/** A method or local function of this file named `name` whose body returns `true` on every path. */
function methodAlwaysTrue(ctx: Context, name: string): boolean {
  for (const identifier of identifiers(ctx, name)) {
    const declaration = identifier.parent;
    if (declaration?.type !== "method_declaration" && declaration?.type !== "local_function_statement") continue;
    if (same(field(declaration, "name"), identifier)) return bodyAlwaysTrue(field(declaration, "body"));
  }
  return false;
}

function bodyAlwaysTrue(body: SyntaxNode | null): boolean {
  if (!body) return false;
  if (body.type === "arrow_expression_clause") return isTrue(body.namedChildren[0] ?? null);
  if (body.type !== "block") return isTrue(body);
  let returns = 0;
  const stack = [...body.namedChildren];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === "throw_statement" || node.type === "throw_expression") return false;
    if (node.type === "return_statement") {
      if (!isTrue(node.namedChildren[0] ?? null)) return false;
      returns++;
      continue;
    }
    if (FUNCTION_TYPES.has(node.type)) continue;
    stack.push(...node.namedChildren);
  }
  return returns > 0;
}

function isTrue(node: SyntaxNode | null): boolean {
  const value = unwrapParentheses(node);
  return value?.type === "boolean_literal" && value.text === "true";
}

/**
 * `policy.SupportsCredentials = true`, `policy.Origins.Add("*")`, and the same names in an
 * object initializer (`new CorsPolicy { SupportsCredentials = true, Origins = { "*" } }`).
 */
function propertyWrite(
  identifier: SyntaxNode,
): { holder: SyntaxNode; value: SyntaxNode; statement: SyntaxNode } | undefined {
  const parent = identifier.parent;
  if (parent?.type === "assignment_expression" && same(field(parent, "left"), identifier)) {
    // Inside an object initializer.
    const creation = parent.parent?.type === "initializer_expression" ? parent.parent.parent : null;
    const right = field(parent, "right");
    if (
      (creation?.type === "object_creation_expression" || creation?.type === "implicit_object_creation_expression") &&
      right
    )
      return { holder: creation, value: right, statement: parent };
    return undefined;
  }
  if (parent?.type !== "member_access_expression" || !same(field(parent, "name"), identifier)) return undefined;
  const receiver = field(parent, "expression");
  const outer = parent.parent;
  if (!receiver || !outer) return undefined;
  if (outer.type === "assignment_expression" && same(field(outer, "left"), parent)) {
    const right = field(outer, "right");
    return right ? { holder: receiver, value: right, statement: outer } : undefined;
  }
  // `policy.Origins.Add("*")`
  if (
    identifier.text === "Origins" &&
    outer.type === "member_access_expression" &&
    field(outer, "name")?.text === "Add"
  ) {
    const invocation = outer.parent;
    if (invocation?.type === "invocation_expression" && same(field(invocation, "function"), outer))
      return { holder: receiver, value: invocation, statement: invocation };
  }
  return undefined;
}

function propertySetting(
  ctx: Context,
  name: string,
  identifier: SyntaxNode,
  value: SyntaxNode,
  statement: SyntaxNode,
): Setting | undefined {
  const at = identifier.startIndex;
  const loc = nodeLoc(statement);
  const setting = shortText(ctx.text.slice(statement.startIndex, statement.endIndex), 80);
  switch (name) {
    case "SupportsCredentials":
      return {
        at,
        node: statement,
        role: "credentials",
        apply: (p) =>
          void (p.credentials = {
            allowed: isTrue(value) ? true : value.text === "false" ? false : "unknown",
            setting,
          }),
      };
    case "AllowAnyOrigin":
      return isTrue(value)
        ? { at, node: statement, role: "origin", apply: (p) => p.origins.push({ kind: "any", setting, loc }) }
        : undefined;
    case "IsOriginAllowed":
      return {
        at,
        node: statement,
        role: "origin",
        apply: (p) => p.origins.push({ kind: alwaysTrue(ctx, value) ? "reflect" : "restricted", setting, loc }),
      };
    default: {
      // Origins: `Origins.Add("*")` or `Origins = { "*" }`.
      const strings =
        value.type === "invocation_expression"
          ? originStrings(argumentsOf(value))
          : initializerElements(value).map((e) => stringLiteralValue(e));
      return { at, node: statement, role: "origin", apply: (p) => addOrigins(p, strings, setting, loc) };
    }
  }
}

/** The creation whose type is named by `identifier` (`new CorsPolicy()`, `new Microsoft.…CorsPolicy()`). */
function creationOf(identifier: SyntaxNode): SyntaxNode | undefined {
  let type = identifier;
  while (type.parent?.type === "qualified_name" && same(field(type.parent, "name"), type)) type = type.parent;
  const creation = type.parent;
  return creation?.type === "object_creation_expression" && same(field(creation, "type"), type) ? creation : undefined;
}

/** `new CorsPolicyBuilder("*")` names origins; `new EnableCorsAttribute("*", "*", "*")` a comma-separated list. */
function constructorSetting(name: string, creation: SyntaxNode): Setting | undefined {
  const args = argumentsOf(creation);
  if (args.length === 0 || name === "CorsPolicy") return undefined;
  const setting = shortText(`new ${name}(${args[0].text}${args.length > 1 ? ", …" : ""})`, 80);
  const loc = nodeLoc(args[0]);
  const strings = originStrings(name === "EnableCorsAttribute" ? args.slice(0, 1) : args);
  const origins =
    name === "EnableCorsAttribute" ? strings.flatMap((s) => (s === undefined ? [undefined] : s.split(","))) : strings;
  return {
    at: creation.startIndex,
    node: creation,
    role: "origin",
    apply: (p) => addOrigins(p, origins, setting, loc),
  };
}

// ---------------------------------------------------------------- Web API attributes

/** `[EnableCors(origins: "*", headers: "*", methods: "*", SupportsCredentials = true)]` (ASP.NET Web API). */
function webApiAttributes(ctx: Context): CorsPolicy[] {
  const policies: CorsPolicy[] = [];
  for (const name of ["EnableCors", "EnableCorsAttribute"]) {
    for (const identifier of identifiers(ctx, name)) {
      let nameNode = identifier;
      while (nameNode.parent?.type === "qualified_name") nameNode = nameNode.parent;
      const node = nameNode.parent;
      if (node?.type !== "attribute" || !same(field(node, "name"), nameNode)) continue;
      const attribute = new CSharpAttribute(node);
      const positional = attribute.arguments.filter((a) => !a.isProperty);
      // ASP.NET Core's [EnableCors("PolicyName")] only names a policy.
      if (positional.length < 3 && !positional.some((a) => a.name === "origins")) continue;
      const originsArgument = positional.find((a) => a.name === "origins") ?? positional[0];
      const credentialsArgument = attribute.arguments.find((a) => a.isProperty && a.name === "SupportsCredentials");
      const draft: PolicyDraft = {
        via: attribute.text,
        anchor: node,
        origins: [],
        wildcards: [],
        credentials: credentialsArgument
          ? {
              allowed: isTrue(credentialsArgument.value)
                ? true
                : credentialsArgument.value.text === "false"
                  ? false
                  : "unknown",
              setting: shortText(`SupportsCredentials = ${credentialsArgument.value.text}`),
            }
          : { allowed: false, setting: "no SupportsCredentials" },
        legacy: true,
      };
      const value = stringLiteralValue(originsArgument.value);
      addOrigins(
        draft,
        value === undefined ? [undefined] : value.split(","),
        shortText(`origins: ${originsArgument.value.text}`),
        nodeLoc(originsArgument.value),
      );
      policies.push({
        via: draft.via,
        mechanism: "middleware",
        wildcardWithCredentials: "reflected",
        origins: draft.origins,
        credentials: draft.credentials,
        guarded: false,
        developmentOnly: inDevelopmentBranch(ctx, node),
        loc: attribute.loc,
      });
    }
  }
  return policies;
}

// ---------------------------------------------------------------- handwritten headers

const HEADER_NAME = /Access-Control-Allow-(Origin|Credentials)|AccessControlAllow(Origin|Credentials)/gi;
const HEADER_WRITERS = new Set([
  "Add",
  "Append",
  "TryAdd",
  "AddHeader",
  "AppendHeader",
  "Set",
  "TryAddWithoutValidation",
]);
/** `Request.Headers["Origin"]`, `Request.Headers[HeaderNames.Origin]`, `Request.Headers.Origin`, `Request.Headers.GetValues("Origin")`. */
const ORIGIN_READ =
  /^(?:@?\w+\s*\.\s*)*Headers\s*(?:\[\s*(?:"origin"|HeaderNames\s*\.\s*Origin)\s*\]|\.\s*Origin|\.\s*GetValues\s*\(\s*(?:"origin"|HeaderNames\s*\.\s*Origin)\s*\))$/i;
const ORIGIN_IN_TEXT =
  /\bHeaders\s*(?:\[\s*(?:"origin"|HeaderNames\s*\.\s*Origin)\s*\]|\.\s*Origin\b|\.\s*GetValues\s*\(\s*(?:"origin"|HeaderNames\s*\.\s*Origin)\s*\))/gi;
const TRY_GET_ORIGIN =
  /TryGetValue\s*\(\s*(?:"origin"|HeaderNames\s*\.\s*Origin)\s*,\s*out\s+(?:var\s+|string\??\s+|StringValues\s+)?@?(\w+)/gi;
/** Unwrapped on the way to a read: `.ToString()`, `.First()`, `[0]`. */
const READ_WRAPPERS = new Set(["ToString", "First", "FirstOrDefault", "Single", "SingleOrDefault", "ToArray"]);
/** Presence checks that do not vet the origin. */
const PRESENCE_CHECKS =
  /(?:string|String|StringValues)\s*\.\s*IsNullOrEmpty\s*\([^()]*\)|(?:string|String)\s*\.\s*IsNullOrWhiteSpace\s*\([^()]*\)|[!=]=\s*null\b|\bis\s+(?:not\s+)?null\b|[!=]=\s*""|[!=]=\s*string\s*\.\s*Empty|\.\s*Count\s*[><=!]+\s*\d+|\.\s*Any\s*\(\s*\)|ContainsKey\s*\([^()]*\)|TryGetValue\s*\([^()]*\)/g;

interface HeaderWrite {
  header: "origin" | "credentials";
  value: SyntaxNode;
  /** The statement-level expression: the call or the assignment. */
  node: SyntaxNode;
  fn: SyntaxNode;
}

/** What a method that writes CORS headers knows about the request's origin. */
interface Handler {
  /** Names holding the request's origin. */
  origins: Set<string>;
  /** Where the first `if` that checks the origin starts; Infinity when none does. */
  firstCheck: number;
}

function headerPolicies(ctx: Context): CorsPolicy[] {
  const writes: HeaderWrite[] = [];
  HEADER_NAME.lastIndex = 0;
  for (let match = HEADER_NAME.exec(ctx.text); match; match = HEADER_NAME.exec(ctx.text)) {
    const write = headerWrite(
      ctx,
      match.index,
      match[0].length,
      (match[1] ?? match[2]).toLowerCase() as HeaderWrite["header"],
    );
    if (write) writes.push(write);
  }
  const credentialsByFunction = new Map<string, HeaderWrite[]>();
  for (const write of writes) {
    if (write.header !== "credentials") continue;
    const list = credentialsByFunction.get(keyOf(write.fn));
    if (list) list.push(write);
    else credentialsByFunction.set(keyOf(write.fn), [write]);
  }
  const handlers = new Map<string, Handler>();
  const policies: CorsPolicy[] = [];
  for (const write of writes) {
    if (write.header !== "origin") continue;
    let handler = handlers.get(keyOf(write.fn));
    if (!handler) handlers.set(keyOf(write.fn), (handler = handlerOf(ctx, write.fn)));
    const literal = headerLiteral(write.value);
    const kind: CorsOrigin["kind"] = isOriginRead(write.value, handler.origins)
      ? "reflect"
      : literal === "*"
        ? "any"
        : literal?.toLowerCase() === "null"
          ? "null"
          : "restricted";
    const credentials = credentialsFor(write, credentialsByFunction);
    const credentialValue = credentials ? headerLiteral(credentials.value)?.toLowerCase() : undefined;
    policies.push({
      via: headerWriteText(write.node),
      mechanism: "headers",
      wildcardWithCredentials: "sent",
      origins: [
        { kind, setting: shortText(`Access-Control-Allow-Origin: ${write.value.text}`, 80), loc: nodeLoc(write.node) },
      ],
      credentials: credentials
        ? {
            allowed: credentialValue === "true" ? true : credentialValue === "false" ? false : "unknown",
            setting: shortText(`Access-Control-Allow-Credentials: ${credentials.value.text}`, 80),
          }
        : { allowed: false, setting: "no Access-Control-Allow-Credentials header" },
      guarded: kind === "reflect" && handler.firstCheck < write.node.startIndex,
      developmentOnly: inDevelopmentBranch(ctx, write.node),
      loc: nodeLoc(write.node),
    });
  }
  return policies;
}

/**
 * The credentials header that goes out with `write`: the last one in the same function that
 * is not on another arm of a branch, else the first in a function around it (a lambda
 * inside a method), never from top-level statements unless the origin is written there too.
 */
function credentialsFor(
  write: HeaderWrite,
  byFunction: ReadonlyMap<string, readonly HeaderWrite[]>,
): HeaderWrite | undefined {
  const same = byFunction.get(keyOf(write.fn));
  if (same) {
    const arms = branchArms(write.node);
    const found = same.findLast((c) => !onExclusiveArms(arms, branchArms(c.node)));
    if (found) return found;
  }
  let current = write.fn.parent;
  for (let depth = 0; current && depth < MAX_CLIMB; depth++, current = current.parent) {
    if (!FUNCTION_TYPES.has(current.type)) continue;
    if (current.type === "compilation_unit") return undefined;
    const found = byFunction.get(keyOf(current))?.[0];
    if (found) return found;
  }
  return undefined;
}

/** `context.Response.Headers.Append(…)`, `Response.Headers["Access-Control-Allow-Origin"] = …`. */
function headerWriteText(node: SyntaxNode): string {
  if (node.type === "invocation_expression") return `${shortText(field(node, "function")?.text ?? "", 60)}(…)`;
  return `${shortText(field(node, "left")?.text ?? "", 70)} = …`;
}

/**
 * The write a header name takes part in: `Headers.Add(name, value)` (and `Append`,
 * `TryAdd`, classic `AddHeader`/`AppendHeader`), `Headers[name] = value`, and the typed
 * `Headers.AccessControlAllowOrigin = value`.
 */
function headerWrite(
  ctx: Context,
  index: number,
  length: number,
  header: HeaderWrite["header"],
): HeaderWrite | undefined {
  let node: SyntaxNode | null = ctx.root.descendantForIndex(index, index + length);
  if (!node) return undefined;
  if (
    node.type === "string_literal_content" ||
    node.type === "verbatim_string_literal" ||
    node.type === "string_literal"
  ) {
    while (node && node.type !== "string_literal" && node.type !== "verbatim_string_literal") node = node.parent;
  } else if (node.type === "identifier") {
    const parent: SyntaxNode | null = node.parent;
    if (parent?.type !== "member_access_expression" || !same(field(parent, "name"), node)) return undefined;
    node = parent;
    // `Response.Headers.AccessControlAllowOrigin = value`
    const assignment = node.parent;
    if (assignment?.type === "assignment_expression" && same(field(assignment, "left"), node)) {
      const value = field(assignment, "right");
      return value ? { header, value, node: assignment, fn: enclosingFunction(assignment) } : undefined;
    }
  } else return undefined;
  const argument = node?.parent;
  if (!node || argument?.type !== "argument") return undefined;
  const list = argument.parent;
  if (list?.type === "bracketed_argument_list") {
    const access = list.parent;
    const assignment = access?.parent;
    if (
      access?.type !== "element_access_expression" ||
      assignment?.type !== "assignment_expression" ||
      !same(field(assignment, "left"), access)
    )
      return undefined;
    const value = field(assignment, "right");
    return value ? { header, value, node: assignment, fn: enclosingFunction(assignment) } : undefined;
  }
  const invocation = list?.parent;
  if (list?.type !== "argument_list" || invocation?.type !== "invocation_expression") return undefined;
  const args = argumentsOf(invocation);
  if (!same(args[0], argument) || !args[1] || !HEADER_WRITERS.has(simpleName(field(invocation, "function"))))
    return undefined;
  const value = argumentValue(args[1]);
  return value ? { header, value, node: invocation, fn: enclosingFunction(invocation) } : undefined;
}

/** A header value written as a literal: `"true"`, `"*"`, `new[] { "*" }`, `new StringValues("*")`, `true`. */
function headerLiteral(node: SyntaxNode): string | undefined {
  const value = unwrapParentheses(node);
  if (!value) return undefined;
  if (value.type === "boolean_literal") return value.text;
  const literal = stringLiteralValue(value);
  if (literal !== undefined) return literal;
  if (/array_creation_expression|collection_expression|object_creation_expression/.test(value.type)) {
    const elements =
      value.type === "object_creation_expression" ? argumentsOf(value).map(argumentValue) : initializerElements(value);
    return elements.length === 1 && elements[0] ? stringLiteralValue(elements[0]) : undefined;
  }
  return undefined;
}

/** The request's origin: a read of the header (through `.ToString()`, `[0]`, casts, `?? ""`) or a name holding one. */
function isOriginRead(node: SyntaxNode, names: ReadonlySet<string>): boolean {
  let value = unwrapParentheses(node);
  for (let guard = 0; value && guard < 16; guard++) {
    if (value.type === "identifier") return names.has(value.text);
    if (value.type === "cast_expression") value = unwrapParentheses(field(value, "value"));
    else if (value.type === "binary_expression" && value.child(1)?.type === "??")
      value = unwrapParentheses(field(value, "left"));
    else if (
      value.type === "element_access_expression" &&
      /^\[\s*\d+\s*\]$/.test(field(value, "subscript")?.text ?? "")
    )
      value = unwrapParentheses(field(value, "expression"));
    else if (
      value.type === "invocation_expression" &&
      argumentsOf(value).length === 0 &&
      READ_WRAPPERS.has(simpleName(field(value, "function")))
    ) {
      const fn = field(value, "function");
      value = fn?.type === "member_access_expression" ? unwrapParentheses(field(fn, "expression")) : null;
    } else break;
  }
  return !!value && value.text.length < 200 && ORIGIN_READ.test(value.text) && !/\bResponse\s*\./.test(value.text);
}

/** Names that hold the request's origin in a function: `var origin = Request.Headers["Origin"]`, `TryGetValue("Origin", out var origin)`. */
function originNames(ctx: Context, fn: SyntaxNode): Set<string> {
  const names = new Set<string>();
  const body = ctx.text.slice(fn.startIndex, fn.endIndex);
  TRY_GET_ORIGIN.lastIndex = 0;
  for (let match = TRY_GET_ORIGIN.exec(body); match; match = TRY_GET_ORIGIN.exec(body)) names.add(match[1]);
  ORIGIN_IN_TEXT.lastIndex = 0;
  for (let match = ORIGIN_IN_TEXT.exec(body); match; match = ORIGIN_IN_TEXT.exec(body)) {
    // Climb from the read to the declaration or assignment it initialises.
    let node: SyntaxNode | null = ctx.root.descendantForIndex(
      fn.startIndex + match.index,
      fn.startIndex + match.index + match[0].length,
    );
    for (let depth = 0; node && depth < 8; depth++, node = node.parent) {
      if (node.type === "variable_declarator") {
        const value = node.namedChildren.at(-1);
        const name = field(node, "name");
        if (name && value && !same(value, name) && isOriginRead(value, names)) names.add(name.text);
        break;
      }
      if (node.type === "assignment_expression") {
        const left = field(node, "left");
        const right = field(node, "right");
        if (left?.type === "identifier" && right && isOriginRead(right, names)) names.add(left.text);
        break;
      }
      if (node.type.endsWith("_statement")) break;
    }
  }
  return names;
}

/**
 * An `if` that still mentions the origin once presence checks (`IsNullOrEmpty`, `!= null`,
 * `TryGetValue`) are set aside checks it: `allowed.Contains(origin)`, `origin == AppOrigin`,
 * `IsAllowed(origin)`. A write after such a check is `guarded`.
 */
function handlerOf(ctx: Context, fn: SyntaxNode): Handler {
  const origins = originNames(ctx, fn);
  let firstCheck = Infinity;
  for (const capture of query("(if_statement condition: (_) @condition)").captures(fn)) {
    const condition = capture.node;
    if (condition.startIndex >= firstCheck) continue;
    const rest = condition.text.replace(PRESENCE_CHECKS, " ");
    ORIGIN_IN_TEXT.lastIndex = 0;
    const mentions =
      ORIGIN_IN_TEXT.test(rest) || [...origins].some((name) => new RegExp(`(?<![\\w.])@?${name}\\b`).test(rest));
    if (mentions && /[(=!<>]/.test(rest)) firstCheck = condition.startIndex;
  }
  return { origins, firstCheck };
}

// ---------------------------------------------------------------- development-only branches

const DEVELOPMENT = /\bIsDevelopment\s*\(\s*\)|\bIsEnvironment\s*\(\s*"Development"\s*\)/;
/** `env.IsDevelopment()`, `app.Environment.IsDevelopment()`, `IsEnvironment("Development")`, whitespace removed. */
const DEVELOPMENT_CALL = /^\(*(?:@?\w+\??\.)*(?:IsDevelopment\(\)|IsEnvironment\("Development"\))\)*$/;

/**
 * Inside `if (env.IsDevelopment())` (also as one side of `&&`), the `else` of
 * `if (!env.IsDevelopment())`, or `#if DEBUG`. `!IsProduction()` is not development only:
 * it includes Staging, which is deployed.
 */
function inDevelopmentBranch(ctx: Context, node: SyntaxNode): boolean {
  if (!ctx.selectsEnvironment) return false;
  let child = node;
  let depth = 0;
  for (let current = node.parent; current && depth < MAX_CLIMB; child = current, current = current.parent, depth++) {
    if (current.type === "preproc_if" && /^\s*DEBUG\s*$/.test(field(current, "condition")?.text ?? "")) return true;
    if (current.type !== "if_statement") continue;
    const arm = developmentArm(field(current, "condition")?.text ?? "");
    if (arm && same(field(current, arm), child)) return true;
  }
  return false;
}

function developmentArm(condition: string): "consequence" | "alternative" | undefined {
  const flat = condition.replace(/\s+/g, "");
  if (flat.includes("||")) return undefined;
  if (flat.split("&&").some((part) => DEVELOPMENT_CALL.test(part))) return "consequence";
  if (flat.startsWith("!") && DEVELOPMENT_CALL.test(flat.slice(1))) return "alternative";
  return undefined;
}
