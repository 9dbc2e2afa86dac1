/**
 * JWT validation settings and unverified reads in C# for AP203 (Microsoft.IdentityModel):
 *  - `TokenValidationParameters` settings written with a literal value, in an object
 *    initializer (`new TokenValidationParameters { ValidateLifetime = false }`, target-typed
 *    `o.TokenValidationParameters = new() { … }` inside `AddJwtBearer`) or assigned on a
 *    variable, field or property of that type (`parameters.ValidateAudience = false`,
 *    `options.TokenValidationParameters.ValidateIssuer = false`);
 *  - validator callbacks that accept every token: a `SignatureValidator` that returns
 *    `new JwtSecurityToken(token)` / `new JsonWebToken(token)` unchecked, a
 *    `LifetimeValidator`, `AudienceValidator` or `IssuerSigningKeyValidator` that returns
 *    `true`, an `IssuerValidator` that returns the issuer it was given;
 *  - `ReadJwtToken`, `ReadJsonWebToken` and a token handler's `ReadToken` whose result
 *    serves as identity (`.Subject`, `.Claims`, `new ClaimsIdentity(…)`, a local later used so).
 * Candidates are found in the text and confirmed in the tree.
 */
import type { JwtFact, TokenVerification, ValidationSetting } from "../../lib/core/facts/jwt.js";
import type { SyntaxNode } from "../parser.js";
import { nodeLoc } from "./syntax.js";
import { shortText, simpleName } from "./syntax.js";
import { checkAnalysisClock } from "./clock.js";

const SETTING =
  /\b(?:ValidateIssuerSigningKey|ValidateLifetime|RequireSignedTokens|RequireExpirationTime|ValidateIssuer|ValidateAudience|SignatureValidator|LifetimeValidator|AudienceValidator|IssuerValidator|IssuerSigningKeyValidator)\b/g;
const READ = /\b(?:ReadJwtToken|ReadJsonWebToken|ReadToken)\b/g;
const HAS_READ = /\b(?:ReadJwtToken|ReadJsonWebToken|ReadToken)\b/;
const TOKEN_HANDLER = /\b(?:JwtSecurityTokenHandler|JsonWebTokenHandler)\b/;
const PARAMETERS_TYPE = "TokenValidationParameters";
/** Validators that accept everything when they return `true`. */
const BOOLEAN_VALIDATORS = new Set(["LifetimeValidator", "AudienceValidator", "IssuerSigningKeyValidator"]);
const TOKEN_TYPES = new Set(["JwtSecurityToken", "JsonWebToken"]);
/** Members of a read token that carry who the caller is. */
const IDENTITY_MEMBERS = new Set([
  "Subject",
  "Claims",
  "Payload",
  "Actor",
  "GetClaim",
  "TryGetClaim",
  "GetPayloadValue",
  "TryGetPayloadValue",
]);
const PRINCIPAL_TYPES = new Set(["ClaimsIdentity", "ClaimsPrincipal", "GenericIdentity", "GenericPrincipal"]);
const IDENTITY_WORDS = /User|Principal|Identity|Claims|Account|Caller|Current|Roles?\b|Subject/;
/** A statement that reads only the token's timing claims is a refresh decision, not identity. */
const TIMING_CLAIMS = /\b(?:exp|nbf|iat|Exp|Nbf|Iat|Expiration|ValidTo|ValidFrom|IssuedAt)\b/;
const IDENTITY_CLAIMS =
  /\b(?:sub|Sub|NameIdentifier|Name|name|unique_name|UniqueName|Role|role|roles|Email|email|oid|tid|user\w*|User\w*|Upn|upn|preferred_username)\b/;
const SCOPES = new Set([
  "method_declaration",
  "constructor_declaration",
  "local_function_statement",
  "lambda_expression",
  "anonymous_method_expression",
  "accessor_declaration",
  "property_declaration",
]);
const LOG_CALL = /^Log\w*$|^Write(?:Line)?$|^(?:Debug|Trace|Information|Warning|Error|Verbose|Fatal)$/;
const MAX_DEPTH = 3;
const REFERENCE_WINDOW = 4000;
const MAX_CALLBACK_NODES = 500;

export function collectJwtFacts(root: SyntaxNode, text: string): JwtFact[] {
  const facts: JwtFact[] = [];
  if (text.includes(PARAMETERS_TYPE)) facts.push(...validationSettings(root, text));
  if (HAS_READ.test(text)) facts.push(...unverifiedReads(root, text));
  return facts.sort((a, b) => a.loc.start.line - b.loc.start.line || a.loc.start.column - b.loc.start.column);
}

// ---------------------------------------------------------------------------------
// TokenValidationParameters
// ---------------------------------------------------------------------------------

function validationSettings(root: SyntaxNode, text: string): TokenVerification[] {
  const byObject = new Map<number, TokenVerification>();
  const out: TokenVerification[] = [];
  for (const match of text.matchAll(SETTING)) {
    checkAnalysisClock();
    const name = root.descendantForIndex(match.index, match.index + match[0].length);
    if (name?.type !== "identifier") continue;
    const parent = name.parent;
    // `new TokenValidationParameters { ValidateLifetime = false }`
    if (
      parent?.type === "assignment_expression" &&
      parent.childForFieldName("left")?.id === name.id &&
      parent.parent?.type === "initializer_expression"
    ) {
      const creation = parent.parent.parent;
      if (!creation || !isParametersCreation(creation, text)) continue;
      const setting = settingOf(name.text, parent);
      if (!setting) continue;
      let fact = byObject.get(creation.id);
      if (!fact) {
        fact = verification(`new ${PARAMETERS_TYPE} { … }`, creation);
        byObject.set(creation.id, fact);
        out.push(fact);
      }
      fact.settings.push(setting);
      continue;
    }
    // `parameters.ValidateLifetime = false;`, `options.TokenValidationParameters.ValidateIssuer = false;`
    if (parent?.type === "member_access_expression" && parent.childForFieldName("name")?.id === name.id) {
      const assignment = parent.parent;
      if (assignment?.type !== "assignment_expression" || assignment.childForFieldName("left")?.id !== parent.id)
        continue;
      const receiver = parent.childForFieldName("expression");
      if (!receiver || !isParametersReceiver(receiver, text)) continue;
      const setting = settingOf(name.text, assignment);
      if (!setting) continue;
      const fact = verification(shortText(receiver.text), assignment);
      fact.settings.push(setting);
      out.push(fact);
    }
  }
  return out;
}

function verification(via: string, node: SyntaxNode): TokenVerification {
  return { kind: "verification", library: "identitymodel", via, loc: nodeLoc(node), settings: [], complete: true };
}

/** `new TokenValidationParameters { … }`, or `new() { … }` where the target is one. */
function isParametersCreation(creation: SyntaxNode, text: string): boolean {
  if (creation.type === "object_creation_expression")
    return simpleName(creation.childForFieldName("type")) === PARAMETERS_TYPE;
  if (creation.type !== "implicit_object_creation_expression") return false;
  const target = creation.parent;
  if (target?.type === "assignment_expression") {
    const left = target.childForFieldName("left");
    return !!left && (simpleName(left) === PARAMETERS_TYPE || isParametersReceiver(left, text));
  }
  if (target?.type === "variable_declarator")
    return simpleName(target.parent?.childForFieldName("type")) === PARAMETERS_TYPE;
  // `public TokenValidationParameters Parameters { get; init; } = new() { … };`
  if (target?.type === "property_declaration") return simpleName(target.childForFieldName("type")) === PARAMETERS_TYPE;
  if (target?.type === "return_statement" || target?.type === "arrow_expression_clause") {
    let scope = target.parent;
    while (scope && !SCOPES.has(scope.type)) scope = scope.parent;
    return simpleName(scope?.childForFieldName("returns") ?? scope?.childForFieldName("type")) === PARAMETERS_TYPE;
  }
  return false;
}

/** `options.TokenValidationParameters`, or a local, field or property declared or created as one in this file. */
function isParametersReceiver(receiver: SyntaxNode, text: string): boolean {
  const name = simpleName(receiver);
  if (name === PARAMETERS_TYPE) return true;
  if (!/^@?[A-Za-z_]\w*$/.test(name)) return false;
  return parameterVariables(text).has(name.replace(/^@/, ""));
}

const DECLARED_PARAMETERS = new RegExp(
  `\\b${PARAMETERS_TYPE}\\??\\s+@?(\\w+)|\\b(\\w+)\\s*=\\s*new\\s+${PARAMETERS_TYPE}\\b`,
  "g",
);
let declaredIn: { text: string; names: Set<string> } | undefined;

/** Names the file declares as `TokenValidationParameters` or assigns `new TokenValidationParameters` to; one scan per file. */
function parameterVariables(text: string): Set<string> {
  if (declaredIn?.text !== text) {
    const names = new Set<string>();
    for (const match of text.matchAll(DECLARED_PARAMETERS)) names.add(match[1] ?? match[2]);
    declaredIn = { text, names };
  }
  return declaredIn.names;
}

function settingOf(name: string, assignment: SyntaxNode): ValidationSetting | undefined {
  const value = assignment.childForFieldName("right");
  if (!value) return undefined;
  if (value.type === "boolean_literal") return { name, value: value.text === "true", loc: nodeLoc(assignment) };
  if (name.endsWith("Validator") && acceptsEverything(name, value))
    return { name, value: "unvalidated", loc: nodeLoc(assignment) };
  return undefined;
}

/**
 * A validator callback that checks nothing: it calls nothing, throws nothing, and returns
 * the token built from its input (`SignatureValidator`), `true` (`LifetimeValidator`, …)
 * or the issuer it was given (`IssuerValidator`).
 */
function acceptsEverything(name: string, fn: SyntaxNode): boolean {
  if (fn.type !== "lambda_expression" && fn.type !== "anonymous_method_expression") return false;
  const parameters = parameterNames(fn);
  const body = fn.childForFieldName("body") ?? fn.namedChildren.find((c) => c.type === "block");
  if (!body) return false;
  const returned: SyntaxNode[] = [];
  if (body.type !== "block") returned.push(body);
  const stack: SyntaxNode[] = body.type === "block" ? [body] : [];
  for (let visited = 0; stack.length > 0; visited++) {
    if (visited > MAX_CALLBACK_NODES) return false;
    const node = stack.pop()!;
    if (node.type === "throw_statement" || node.type === "throw_expression") return false;
    if (node.type === "return_statement") {
      const value = node.firstNamedChild;
      if (value) returned.push(value);
    }
    for (const child of node.namedChildren) stack.push(child);
  }
  // A body that calls anything may be checking something, even if it ignores the result.
  if (returned.length === 0 || containsCall(body)) return false;
  return returned.every((value) => {
    if (name === "SignatureValidator") return isTokenFromInput(value, parameters[0]);
    if (name === "IssuerValidator") return value.type === "identifier" && value.text === parameters[0];
    return BOOLEAN_VALIDATORS.has(name) && value.type === "boolean_literal" && value.text === "true";
  });
}

function parameterNames(fn: SyntaxNode): string[] {
  const list =
    fn.childForFieldName("parameters") ??
    fn.namedChildren.find((c) => c.type === "parameter_list" || c.type === "implicit_parameter");
  if (!list) return [];
  if (list.type === "implicit_parameter" || list.type === "identifier") return [list.text];
  return list.namedChildren.filter((p) => p.type === "parameter").map((p) => p.childForFieldName("name")?.text ?? "");
}

/** `new JwtSecurityToken(token)` / `new JsonWebToken(token)` from the callback's token parameter. */
function isTokenFromInput(value: SyntaxNode, token: string | undefined): boolean {
  if (value.type !== "object_creation_expression" || !TOKEN_TYPES.has(simpleName(value.childForFieldName("type"))))
    return false;
  const args = value.childForFieldName("arguments")?.namedChildren.filter((c) => c.type === "argument") ?? [];
  return args.length === 1 && args[0].text === token;
}

function containsCall(node: SyntaxNode): boolean {
  const stack = [node];
  for (let visited = 0; stack.length > 0 && visited < MAX_CALLBACK_NODES; visited++) {
    const current = stack.pop()!;
    if (current.type === "invocation_expression") return true;
    for (const child of current.namedChildren) stack.push(child);
  }
  return false;
}

// ---------------------------------------------------------------------------------
// ReadJwtToken / ReadToken
// ---------------------------------------------------------------------------------

function unverifiedReads(root: SyntaxNode, text: string): JwtFact[] {
  const out: JwtFact[] = [];
  const handlerInFile = TOKEN_HANDLER.test(text);
  const validates = new Map<number, boolean>();
  for (const match of text.matchAll(READ)) {
    checkAnalysisClock();
    if (match[0] === "ReadToken" && !handlerInFile) continue;
    const name = root.descendantForIndex(match.index, match.index + match[0].length);
    if (name?.type !== "identifier") continue;
    const access = name.parent;
    if (access?.type !== "member_access_expression" || access.childForFieldName("name")?.id !== name.id) continue;
    const call = access.parent;
    if (call?.type !== "invocation_expression" || call.childForFieldName("function")?.id !== access.id) continue;
    const use = identityUse(call, text, 0, "");
    if (!use) continue;
    out.push({
      kind: "unverified-read",
      library: "identitymodel",
      call: `${shortText(access.text)}(…)`,
      use,
      verifiedNearby: validatesInScope(enclosingScope(call), validates),
      loc: nodeLoc(call),
    });
  }
  return out;
}

/** Does the method (lambda, accessor) also validate a token? Cached per scope: one method may read many times. */
function validatesInScope(scope: SyntaxNode | null, cache: Map<number, boolean>): boolean {
  if (!scope) return false;
  let found = cache.get(scope.id);
  if (found === undefined) {
    found = /\bValidateToken(?:Async)?\s*\(/.test(scope.text);
    cache.set(scope.id, found);
  }
  return found;
}

/** How a read token serves as identity, in words; undefined when it does not (`ValidTo`, `Header`, logging). */
function identityUse(value: SyntaxNode, text: string, depth: number, subject: string): string | undefined {
  let node = value;
  let parent = node.parent;
  while (parent && isTransparent(parent)) {
    node = parent;
    parent = parent.parent;
  }
  if (!parent || depth > MAX_DEPTH) return undefined;
  switch (parent.type) {
    case "member_access_expression":
    case "conditional_access_expression": {
      const member =
        parent.type === "member_access_expression"
          ? parent.childForFieldName("expression")?.id === node.id
            ? simpleName(parent.childForFieldName("name"))
            : undefined
          : parent.childForFieldName("condition")?.id === node.id
            ? simpleName(parent.namedChildren.at(-1)?.childForFieldName("name"))
            : undefined;
      if (member === undefined || !IDENTITY_MEMBERS.has(member) || onlyTimingClaims(parent) || isLogged(parent))
        return undefined;
      return `${subject || "its "}.${member} is read`;
    }
    case "variable_declarator": {
      const local = parent.childForFieldName("name")?.text;
      return local ? referencesUse(local, parent, text, depth) : undefined;
    }
    case "is_pattern_expression": {
      // `handler.ReadJwtToken(token) is { Subject: var subject }`
      const pattern = parent.childForFieldName("pattern");
      if (parent.childForFieldName("expression")?.id !== node.id || pattern?.type !== "recursive_pattern")
        return undefined;
      const clause = pattern.namedChildren.find((c) => c.type === "property_pattern_clause");
      for (const subpattern of clause?.namedChildren ?? []) {
        const member = subpattern.type === "subpattern" ? subpattern.firstNamedChild : null;
        if (member?.type === "identifier" && IDENTITY_MEMBERS.has(member.text))
          return `${subject || "its "}.${member.text} is matched`;
      }
      return undefined;
    }
    case "assignment_expression": {
      const left = parent.childForFieldName("left");
      if (parent.childForFieldName("right")?.id !== node.id || !left) return undefined;
      if (IDENTITY_WORDS.test(simpleName(left))) return `assigned to ${shortText(left.text)}`;
      return left.type === "identifier" ? referencesUse(left.text, parent, text, depth) : undefined;
    }
    case "argument": {
      const call = parent.parent?.parent;
      if (
        call?.type === "object_creation_expression" &&
        PRINCIPAL_TYPES.has(simpleName(call.childForFieldName("type")))
      ) {
        return `passed to new ${simpleName(call.childForFieldName("type"))}()`;
      }
      return undefined;
    }
    case "return_statement":
    case "arrow_expression_clause": {
      const scope = enclosingScope(parent);
      const name = scope?.childForFieldName("name")?.text;
      return name && IDENTITY_WORDS.test(name) ? `returned from ${name}()` : undefined;
    }
    default:
      return undefined;
  }
}

/** The first identity use among the later references to a local holding the token. */
function referencesUse(local: string, declaration: SyntaxNode, text: string, depth: number): string | undefined {
  const scope = enclosingScope(declaration);
  if (!scope || !/^@?[A-Za-z_]\w*$/.test(local)) return undefined;
  const word = new RegExp(`\\b${local.replace(/^@/, "")}\\b`, "g");
  // Locals that carry identity are used within a few statements; the bound keeps many reads in one long method linear.
  const body = text.slice(declaration.endIndex, Math.min(scope.endIndex, declaration.endIndex + REFERENCE_WINDOW));
  for (const match of body.matchAll(word)) {
    checkAnalysisClock();
    const at = declaration.endIndex + match.index;
    const reference = scope.descendantForIndex(at, at + match[0].length);
    if (reference?.type !== "identifier") continue;
    const use = identityUse(reference, text, depth + 1, local);
    if (use) return use;
  }
  return undefined;
}

function isTransparent(node: SyntaxNode): boolean {
  switch (node.type) {
    case "parenthesized_expression":
    case "cast_expression":
    case "as_expression":
    case "await_expression":
      return true;
    case "postfix_unary_expression":
      return node.text.endsWith("!");
    default:
      return false;
  }
}

/** `jwt.Claims.First(c => c.Type == "exp")`: the statement reads only when the token expires. */
function onlyTimingClaims(node: SyntaxNode): boolean {
  const statement = enclosingStatement(node);
  const text = statement?.text ?? node.text;
  return TIMING_CLAIMS.test(text) && !IDENTITY_CLAIMS.test(text.replace(/\b\w+\.Claims\b/g, ""));
}

/** `_logger.LogInformation("…", jwt.Subject)`, `Console.WriteLine(jwt.Payload.Where(…))`: a call up to the statement writes a log. */
function isLogged(node: SyntaxNode): boolean {
  let current: SyntaxNode | null = node.parent;
  for (let i = 0; current && i < 8 && !current.type.endsWith("_statement"); i++, current = current.parent) {
    if (current.type === "invocation_expression" && LOG_CALL.test(simpleName(current.childForFieldName("function"))))
      return true;
  }
  return false;
}

function enclosingStatement(node: SyntaxNode): SyntaxNode | null {
  let current: SyntaxNode | null = node;
  while (
    current &&
    !current.type.endsWith("_statement") &&
    !current.type.endsWith("_declaration") &&
    current.type !== "arrow_expression_clause"
  )
    current = current.parent;
  return current;
}

function enclosingScope(node: SyntaxNode): SyntaxNode | null {
  let current = node.parent;
  while (current && !SCOPES.has(current.type)) current = current.parent;
  return current;
}
