/**
 * Endpoint conventions: the calls chained on an endpoint, a route group or a
 * `MapControllers()`/`MapRazorPages()` result that require authorization or opt out of
 * it, and what an authorization policy written in code requires.
 *
 *  - `RequireAuthorization()` requires an authenticated caller; with policy names
 *    (`RequireAuthorization("Orders.Write")`, `RequireAuthorization(Policies.Admin)`) a
 *    policy; with a policy builder (`RequireAuthorization(p => p.RequireRole("Admin"))`)
 *    what the builder requires; with `new AuthorizeAttribute { Roles = "Admin" }` what
 *    the attribute says;
 *  - `AllowAnonymous()` opts out;
 *  - `WithMetadata(new AuthorizeAttribute(…))` and `WithMetadata(new AllowAnonymousAttribute())`
 *    act as the attributes do;
 *  - `AddEndpointFilter<ApiKeyFilter>()` / `AddEndpointFilter(new ApiKeyFilter())` protect
 *    when the filter qualifies by the attribute rules (protections.ts);
 *  - any other chained call whose name says authorization (`RequirePermission("orders:write")`,
 *    `RequireScope("orders.write")`) or that settings name.
 *
 * A policy's requirement: `RequireRole` → role; `RequireClaim`, `RequireAssertion`,
 * `RequireUserName`, `RequireScope`, `AddRequirements` → policy; `RequireAuthenticatedUser`
 * (or nothing known) → authenticated. A policy held in a variable is read from the
 * variable's initialiser in the same file.
 */
import type {
  AnonymousMarker,
  Framework,
  Loc,
  Protection,
  ProtectionSource,
  Requirement,
  StartupRegistration,
} from "../../lib/core/model.js";
import type { SyntaxNode } from "../parser.js";
import {
  argumentsOf,
  argumentValue,
  calledName,
  calledNameNode,
  callNamedBy,
  callOnResult,
  field,
  identifiersMatching,
  typeArgumentsOf,
  unwrapParentheses,
} from "./invocations.js";
import { strongest, type AttributeClassifier } from "./protections.js";
import { nodeLoc, shortText, simpleName, stringLiteralValue } from "./syntax.js";

export interface ConventionContext {
  root: SyntaxNode;
  text: string;
  classifier: AttributeClassifier;
}

export type ConventionEffect = { protection: Protection } | { anonymous: AnonymousMarker } | undefined;

/** Known convention methods that neither protect nor open an endpoint, so the name rule never judges them. */
const NEUTRAL = new Set(["RequireHost", "RequireCors", "RequireRateLimiting", "DisableRateLimiting"]);

/** What one chained call (`.RequireAuthorization("Admin")`) does for authorization. */
export function conventionEffect(
  ctx: ConventionContext,
  invocation: SyntaxNode,
  source: ProtectionSource,
): ConventionEffect {
  const name = calledName(invocation);
  const text = conventionText(invocation);
  const loc = conventionLoc(invocation);
  switch (name) {
    case "RequireAuthorization":
      return { protection: { name: text, source, loc, requirement: requireAuthorizationRequirement(ctx, invocation) } };
    case "AllowAnonymous":
      return { anonymous: { name: text, source, loc } };
    case "WithMetadata":
      return metadataEffect(ctx, invocation, text, source, loc);
    case "AddEndpointFilter":
    case "AddEndpointFilterFactory": {
      const types = [...typeArgumentsOf(invocation), ...createdTypes(invocation)];
      const filter = types.find((t) => ctx.classifier.isProtectionType(t));
      return filter
        ? { protection: { name: text, source, loc, requirement: ctx.classifier.typeRequirement(filter) } }
        : undefined;
    }
  }
  if (NEUTRAL.has(name)) return undefined;
  if (ctx.classifier.isAnonymousType(name)) return { anonymous: { name: text, source, loc } };
  if (ctx.classifier.isProtectionType(name))
    return { protection: { name: text, source, loc, requirement: ctx.classifier.typeRequirement(name) } };
  return undefined;
}

/** `.RequireAuthorization("Admin")` for a member call, `AllowPartners(group)` for a plain one: the call from its name on, on one line. */
export function conventionText(invocation: SyntaxNode): string {
  const member = invocation.firstNamedChild?.type === "member_access_expression";
  return `${member ? "." : ""}${callText(invocation)}`;
}

/** `SetFallbackPolicy(…)`: the call from its name on, on one line, without a leading dot. */
export function callText(invocation: SyntaxNode): string {
  const name = calledNameNode(invocation);
  const from = name ? invocation.text.slice(name.startIndex - invocation.startIndex) : invocation.text;
  return shortText(from, 100);
}

function conventionLoc(invocation: SyntaxNode): Loc {
  const name = calledNameNode(invocation);
  return name ? { start: nodeLoc(name).start, end: nodeLoc(invocation).end } : nodeLoc(invocation);
}

function requireAuthorizationRequirement(ctx: ConventionContext, invocation: SyntaxNode): Requirement {
  const values = argumentsOf(invocation)
    .map((a) => unwrapParentheses(argumentValue(a)))
    .filter((v): v is SyntaxNode => v !== null);
  return strongest(values.map((v) => policyRequirement(ctx, v)));
}

function metadataEffect(
  ctx: ConventionContext,
  invocation: SyntaxNode,
  text: string,
  source: ProtectionSource,
  loc: Loc,
): ConventionEffect {
  for (const argument of argumentsOf(invocation)) {
    const value = unwrapParentheses(argumentValue(argument));
    if (value?.type !== "object_creation_expression") continue;
    const type = simpleName(field(value, "type"));
    if (ctx.classifier.isAnonymousType(type)) return { anonymous: { name: text, source, loc } };
    if (ctx.classifier.isProtectionType(type))
      return { protection: { name: text, source, loc, requirement: creationRequirement(ctx, value) } };
  }
  return undefined;
}

/** Types created in the arguments: `AddEndpointFilter(new ApiKeyFilter(config))` → [`ApiKeyFilter`]. */
function createdTypes(invocation: SyntaxNode): string[] {
  const types: string[] = [];
  for (const argument of argumentsOf(invocation)) {
    const value = unwrapParentheses(argumentValue(argument));
    if (value?.type === "object_creation_expression") types.push(simpleName(field(value, "type")));
  }
  return types;
}

/**
 * What `new AuthorizeAttribute("Policy")`, `new AuthorizeAttribute { Roles = "Admin" }` or
 * `new AuthorizeFilter(policy)` requires.
 */
export function creationRequirement(ctx: ConventionContext, creation: SyntaxNode, type?: string): Requirement {
  const found: Requirement[] = [ctx.classifier.typeRequirement(type ?? simpleName(field(creation, "type")))];
  for (const argument of argumentsOf(creation)) {
    const value = unwrapParentheses(argumentValue(argument));
    if (value) found.push(policyRequirement(ctx, value));
  }
  const initializer = field(creation, "initializer");
  for (const assignment of initializer?.namedChildren ?? []) {
    if (assignment.type !== "assignment_expression") continue;
    const target = field(assignment, "left")?.text;
    if (target === "Policy") found.push("policy");
    else if (target === "Roles") found.push("role");
  }
  return strongest(found);
}

const ROLE_CALLS = /\bRequireRole\s*\(/;
const POLICY_CALLS = /\b(?:RequireClaim|RequireAssertion|RequireUserName|RequireScope|AddRequirements)\s*[<(]/;

/**
 * What a policy written as an expression requires: a policy name (a string, a constant, an
 * enum member, `nameof`) is a policy; a builder lambda or a `new AuthorizationPolicyBuilder()`
 * chain requires what its calls require; a variable is read from its initialiser.
 */
export function policyRequirement(ctx: ConventionContext, value: SyntaxNode, depth = 0): Requirement {
  const node = unwrapParentheses(value) ?? value;
  if (stringLiteralValue(node) !== undefined || node.type === "interpolated_string_expression") return "policy";
  switch (node.type) {
    case "member_access_expression": {
      const name = simpleName(node);
      // `options.DefaultPolicy`: the default policy requires a signed-in user.
      if (name === "DefaultPolicy" || name === "FallbackPolicy") return "authenticated";
      return "policy";
    }
    case "invocation_expression":
      if (calledName(node) === "nameof") return "policy";
      return builderRequirement(node.text);
    case "lambda_expression":
    case "object_creation_expression":
      if (node.type === "object_creation_expression" && /^Authorize/.test(simpleName(field(node, "type"))))
        return creationRequirement(ctx, node);
      return builderRequirement(node.text);
    case "array_creation_expression":
    case "implicit_array_creation_expression":
    case "collection_expression":
      return node.namedChildren.length > 0 ? "policy" : "authenticated";
    case "identifier": {
      if (depth > 4) return "authenticated";
      const initializer = variableInitializer(ctx, node);
      return initializer ? policyRequirement(ctx, initializer, depth + 1) : "authenticated";
    }
  }
  return "authenticated";
}

function builderRequirement(text: string): Requirement {
  if (POLICY_CALLS.test(text)) return "policy";
  if (ROLE_CALLS.test(text)) return "role";
  return "authenticated";
}

/** Declarators by name, per file (keyed by its root): where each starts and its initialiser. */
/** A variable's declarators by name: where each starts, its initialiser, and the declared type of a target-typed `new(…)`. */
type Declarator = { at: number; value: SyntaxNode; declaredType?: string };
const declaratorCache = new WeakMap<SyntaxNode, Map<string, Declarator[]>>();
/** How many names one file may look up: each costs a pass over the text. */
const MAX_LOOKUPS = 64;

/** The initialiser of the nearest earlier local `var name = …` in the file. */
function variableInitializer(ctx: ConventionContext, identifier: SyntaxNode): SyntaxNode | undefined {
  let byName = declaratorCache.get(ctx.root);
  if (!byName) declaratorCache.set(ctx.root, (byName = new Map<string, Declarator[]>()));
  const name = identifier.text;
  let declarators = byName.get(name);
  if (!declarators) {
    if (byName.size >= MAX_LOOKUPS) return undefined;
    declarators = [];
    for (const candidate of identifiersMatching(ctx.root, ctx.text, new RegExp(`\\b${name}\\b`, "g"))) {
      const declarator = candidate.parent;
      if (declarator?.type !== "variable_declarator" || field(declarator, "name")?.id !== candidate.id) continue;
      const value = declarator.lastNamedChild;
      if (!value || value.id === candidate.id) continue;
      // `AuthorizeFilter filter = new(policy);`: the declaration says what the target-typed `new` creates.
      const declared =
        value.type === "implicit_object_creation_expression" ? declarator.parent?.namedChildren[0] : undefined;
      const declaredType =
        declared && declared.type !== "implicit_type" && declared.type !== "variable_declarator"
          ? simpleName(declared)
          : undefined;
      declarators.push({ at: candidate.startIndex, value, ...(declaredType ? { declaredType } : {}) });
    }
    byName.set(name, declarators);
  }
  return declaratorBefore(declarators, identifier.startIndex)?.value;
}

/** In document order: the last declarator that starts before `position`. */
function declaratorBefore(declarators: readonly Declarator[], position: number): Declarator | undefined {
  let low = 0;
  let high = declarators.length - 1;
  let found: Declarator | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (declarators[mid].at < position) {
      found = declarators[mid];
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/**
 * App-wide registrations from conventions chained on the calls `names` matches:
 * `app.MapControllers().RequireAuthorization()` protects every controller action,
 * `app.MapRazorPages().AllowAnonymous()` opens every page.
 */
export function mappedConventions(
  ctx: ConventionContext,
  names: RegExp,
  frameworks: Framework[],
): StartupRegistration[] {
  const registrations: StartupRegistration[] = [];
  for (const identifier of identifiersMatching(ctx.root, ctx.text, names)) {
    const found = callNamedBy(identifier);
    if (!found?.receiver) continue;
    const mapped = `${calledName(found.invocation)}()`;
    for (let call = callOnResult(found.invocation); call; call = callOnResult(call)) {
      const effect = conventionEffect(ctx, call, "global");
      if (!effect) continue;
      const marker = "protection" in effect ? effect.protection : effect.anonymous;
      registrations.push({
        effect: "protection" in effect ? "protect" : "allow-anonymous",
        scope: { kind: "frameworks", frameworks },
        name: `${mapped}${marker.name}`,
        loc: marker.loc,
        ...("protection" in effect ? { requirement: effect.protection.requirement ?? "authenticated" } : {}),
      });
    }
  }
  return registrations;
}

/**
 * The object a value creates, with its type: `new AuthorizeFilter(policy)`, or a local
 * holding one, written `var filter = new AuthorizeFilter(policy);` or target-typed
 * `AuthorizeFilter filter = new(policy);`.
 */
export function createdObject(
  ctx: ConventionContext,
  value: SyntaxNode | null,
): { type: string; creation: SyntaxNode } | undefined {
  const node = unwrapParentheses(value);
  if (node?.type === "object_creation_expression") return { type: simpleName(field(node, "type")), creation: node };
  if (node?.type !== "identifier") return undefined;
  const initializer = variableInitializer(ctx, node);
  const declarator = declaratorCache.get(ctx.root)?.get(node.text);
  const created = unwrapParentheses(initializer ?? null);
  if (created?.type === "object_creation_expression")
    return { type: simpleName(field(created, "type")), creation: created };
  const declaredType = declarator ? declaratorBefore(declarator, node.startIndex)?.declaredType : undefined;
  if (created?.type === "implicit_object_creation_expression" && declaredType !== undefined)
    return { type: declaredType, creation: created };
  return undefined;
}
