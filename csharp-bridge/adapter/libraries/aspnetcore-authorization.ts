/**
 * ASP.NET Core authorization's app-wide setting: the FallbackPolicy, which applies to every
 * endpoint that carries no authorization metadata of its own (no `[Authorize]`, no
 * `RequireAuthorization()`, no `[AllowAnonymous]`), whatever framework maps it:
 *  - `AddAuthorization(options => options.FallbackPolicy = …)`, also through
 *    `Configure<AuthorizationOptions>(…)` or an object initializer;
 *  - `AddAuthorizationBuilder().SetFallbackPolicy(…)`.
 * A null policy (`FallbackPolicy = null`, the default) registers nothing.
 */
import type { Loc, StartupRegistration } from "../../../lib/core/model.js";
import { callText, policyRequirement } from "../conventions.js";
import {
  argumentsOf,
  argumentValue,
  callNamedBy,
  field,
  identifiersMatching,
  same,
  unwrapParentheses,
} from "../invocations.js";
import { nodeLoc, shortText } from "../syntax.js";
import type { SyntaxNode } from "../../parser.js";
import type { CSharpFile, CSharpLibrary } from "./library.js";

const NAMES = /\b(?:FallbackPolicy|SetFallbackPolicy)\b/g;

export const aspnetcoreAuthorization: CSharpLibrary = {
  id: "aspnetcore-authorization",
  applies: (file) => file.text.includes("FallbackPolicy"),
  registrations: fallbackPolicies,
};

function fallbackPolicies(file: CSharpFile): StartupRegistration[] {
  const registrations: StartupRegistration[] = [];
  const ctx = { root: file.root, text: file.text, classifier: file.classifier };
  for (const identifier of identifiersMatching(file.root, file.text, NAMES)) {
    const policy = identifier.text === "SetFallbackPolicy" ? setFallbackPolicy(identifier) : assignedPolicy(identifier);
    if (!policy || policy.value.type === "null_literal") continue;
    registrations.push({
      effect: "protect",
      scope: { kind: "fallback" },
      name: policy.name,
      loc: policy.loc,
      requirement: policyRequirement(ctx, policy.value),
    });
  }
  return registrations;
}

interface PolicySetting {
  /** `options.FallbackPolicy = …`, `SetFallbackPolicy(…)`, on one line. */
  name: string;
  loc: Loc;
  value: SyntaxNode;
}

/** `options.FallbackPolicy = X` and `{ FallbackPolicy = X }`. */
function assignedPolicy(identifier: SyntaxNode): PolicySetting | undefined {
  let target = identifier;
  const parent = identifier.parent;
  if (parent?.type === "member_access_expression" && same(field(parent, "name"), identifier)) target = parent;
  const assignment = target === identifier ? parent : target.parent;
  if (assignment?.type !== "assignment_expression" || !same(field(assignment, "left"), target)) return undefined;
  const value = unwrapParentheses(field(assignment, "right"));
  return value ? { name: shortText(assignment.text, 100), loc: nodeLoc(assignment), value } : undefined;
}

/** `AddAuthorizationBuilder().SetFallbackPolicy(X)`. */
function setFallbackPolicy(identifier: SyntaxNode): PolicySetting | undefined {
  const call = callNamedBy(identifier);
  const first = call ? argumentsOf(call.invocation)[0] : undefined;
  const value = first ? unwrapParentheses(argumentValue(first)) : null;
  if (!call || !value) return undefined;
  const name = callText(call.invocation);
  return { name, loc: { start: nodeLoc(identifier).start, end: nodeLoc(call.invocation).end }, value };
}
