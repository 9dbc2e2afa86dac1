/**
 * Which attributes require authentication or authorization, and which opt out of it.
 *
 * An attribute is a protection when
 *  1. it is `[Authorize]` (any namespace, with or without the `Attribute` suffix), or a
 *     name the user configured in `settings["api-posture"].auth`;
 *  2. its class is declared in this file and derives from `AuthorizeAttribute` or
 *     implements `IAuthorizationFilter`/`IAsyncAuthorizationFilter` (directly or through
 *     a same-file base), or is a `TypeFilterAttribute`/`ServiceFilterAttribute` subclass
 *     whose constructor passes such a filter (`: base(typeof(PermissionFilter))`);
 *  3. it is `[TypeFilter(typeof(X))]`/`[ServiceFilter(typeof(X))]`/`[ServiceFilter<X>]`
 *     and X qualifies by these same rules;
 *  4. its name says so (the naming rule below), which is how custom authorization
 *     attributes defined in another file are recognised.
 *
 * The naming rule splits the name (without `Attribute`) into words at case changes and
 *  - rejects it when a word negates or relaxes: Anonymous, Public, Skip, Bypass, No,
 *    Disable, Ignore, Optional, Without, Unauthenticated, Unauthorized;
 *  - accepts it when a word is Auth, Authorize(d), Authorization, Authenticate(d) or
 *    Authentication (`CustomAuthorize`, `AuthorizeRoles`, `ApiKeyAuth`,
 *    `JwtAuthentication`), except `AuthorizeForScopes`, which only handles consent
 *    errors for Microsoft.Identity.Web and requires nothing;
 *  - accepts it when a requiring word (Require(s|d), Requirement(s), Has, Must, Ensure,
 *    Check) comes with a permission word (Permission(s), Role(s), Claim(s), Scope(s),
 *    Policy, Privilege(s)): `RequiresPermission`, `HasPermission`, `RequireRole`,
 *    `ClaimRequirement`, `RequiredScope`, `RequiredScopeOrAppPermission` — but not
 *    `RequireHttps`, `RequireFeature` or `[Required]`;
 *  - accepts it when it starts with Permission(s)/Privilege(s) (`[Permission("orders:write")]`)
 *    or contains ApiKey (`[ApiKey]`, `[RequireApiKey]`): filters that reject callers.
 *
 * An attribute is an anonymous marker when it is `[AllowAnonymous]`, a configured public
 * marker, or its class is declared in this file and derives from `AllowAnonymousAttribute`
 * or implements `IAllowAnonymous`.
 *
 * The same rules judge types used as filters and endpoint metadata by name
 * (`new AuthorizeFilter(policy)`, `WithMetadata(new AllowAnonymousAttribute())`,
 * `AddEndpointFilter<ApiKeyFilter>()`).
 *
 * What a protection requires (its `requirement`): a role for `Roles = …` and role-named
 * attributes (`[AuthorizeRoles("Admin")]`); a policy for `Policy = …`, a policy name
 * (`[Authorize("Orders.Write")]`) and attributes named for policies, permissions, claims,
 * scopes or privileges (`[HasPermission("orders:write")]`, `[RequiredScope]`); else any
 * authenticated caller.
 */
import type { AnonymousMarker, Protection, ProtectionSource, Requirement } from "../../lib/core/model.js";
import type { ResolvedSettings } from "../../lib/core/settings.js";
import type { SyntaxNode } from "../parser.js";
import { positional, property, typeofArguments, withoutSuffix, type CSharpAttribute } from "./attributes.js";
import type { ClassDecl, FileDeclarations } from "./declarations.js";
import { simpleName } from "./syntax.js";

export interface AttributeClassifier {
  isProtection(attribute: CSharpAttribute): boolean;
  isAnonymous(attribute: CSharpAttribute): boolean;
  /** A filter or metadata type, by name: `AuthorizeFilter`, `AuthorizeAttribute`, `ApiKeyEndpointFilter`. */
  isProtectionType(typeName: string): boolean;
  /** `AllowAnonymousAttribute`, `AllowAnonymousFilter`, a same-file `IAllowAnonymous`, a configured public marker. */
  isAnonymousType(typeName: string): boolean;
  /** What a protection attribute requires (see the module comment). */
  requirement(attribute: CSharpAttribute): Requirement;
  /** What a protection type used by name requires. */
  typeRequirement(typeName: string): Requirement;
}

const NEGATING_WORDS = new Set([
  "anonymous",
  "public",
  "skip",
  "bypass",
  "no",
  "disable",
  "ignore",
  "optional",
  "without",
  "unauthenticated",
  "unauthorized",
]);
const AUTH_WORDS = new Set([
  "auth",
  "authorize",
  "authorized",
  "authorization",
  "authenticate",
  "authenticated",
  "authentication",
]);
const REQUIRING_WORDS = new Set([
  "require",
  "requires",
  "required",
  "requirement",
  "requirements",
  "has",
  "must",
  "ensure",
  "check",
]);
const PERMISSION_WORDS = new Set([
  "permission",
  "permissions",
  "role",
  "roles",
  "claim",
  "claims",
  "scope",
  "scopes",
  "policy",
  "privilege",
  "privileges",
]);
const LEADING_PERMISSION_WORDS = new Set(["permission", "permissions", "privilege", "privileges"]);
const NOT_PROTECTIONS = new Set(["AuthorizeForScopes"]);

export const AUTH_BASES = new Set([
  "AuthorizeAttribute",
  "Authorize",
  "IAuthorizationFilter",
  "IAsyncAuthorizationFilter",
]);
const FILTER_WRAPPERS = new Set(["TypeFilterAttribute", "TypeFilter", "ServiceFilterAttribute", "ServiceFilter"]);
export const ANONYMOUS_BASES = new Set(["AllowAnonymousAttribute", "AllowAnonymous", "IAllowAnonymous"]);

/** Words of an identifier: `RequiredScopeOrAppPermission` → required, scope, or, app, permission. */
function words(name: string): string[] {
  return (name.match(/[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+/g) ?? []).map((w) => w.toLowerCase());
}

/** The naming rule for custom authorization attributes and filters (see the module comment). */
function nameSaysAuthorization(rawName: string): boolean {
  const name = withoutSuffix(rawName);
  if (NOT_PROTECTIONS.has(name)) return false;
  const parts = words(name);
  if (parts.some((w) => NEGATING_WORDS.has(w))) return false;
  if (parts.some((w) => AUTH_WORDS.has(w))) return true;
  if (parts.some((w) => REQUIRING_WORDS.has(w)) && parts.some((w) => PERMISSION_WORDS.has(w))) return true;
  if (LEADING_PERMISSION_WORDS.has(parts[0] ?? "")) return true;
  return parts.some((w, i) => w === "api" && parts[i + 1] === "key");
}

export function attributeClassifier(declarations: FileDeclarations, settings: ResolvedSettings): AttributeClassifier {
  const authTypes = new Set<string>();
  const anonymousTypes = new Set<string>();
  /** Same-file AuthorizeAttribute subclasses that set `Roles` or `Policy` themselves. */
  const typeRequirements = new Map<string, Requirement>();
  // Filter classes first, so a TypeFilterAttribute subclass can refer to any of them.
  for (const decl of declarations.classes) {
    const chain = [decl, ...declarations.baseChain(decl)];
    const bases = new Set(chain.flatMap((d) => d.baseTypes));
    if ([...bases].some((b) => AUTH_BASES.has(b))) {
      addType(authTypes, decl.name);
      const own = declaredRequirement(chain);
      if (own) {
        typeRequirements.set(decl.name, own);
        typeRequirements.set(withoutSuffix(decl.name), own);
      }
    }
    if ([...bases].some((b) => ANONYMOUS_BASES.has(b))) addType(anonymousTypes, decl.name);
  }
  const isAuthType = (name: string): boolean =>
    authTypes.has(name) || nameSaysAuthorization(name) || configured(settings.auth, name, name);
  for (const decl of declarations.classes) {
    const chain = [decl, ...declarations.baseChain(decl)];
    if (chain.some((d) => d.baseTypes.some((b) => FILTER_WRAPPERS.has(b))) && wrappedFilters(chain).some(isAuthType)) {
      addType(authTypes, decl.name);
    }
  }

  const isAnonymous = (attribute: CSharpAttribute): boolean =>
    attribute.name === "AllowAnonymous" ||
    anonymousTypes.has(attribute.name) ||
    configured(settings.publicMarkers, attribute.name, attribute.qualifiedName);

  const isAnonymousType = (typeName: string): boolean => {
    const name = simpleTypeName(typeName);
    return (
      withoutSuffix(name) === "AllowAnonymous" ||
      name === "AllowAnonymousFilter" ||
      anonymousTypes.has(name) ||
      configured(settings.publicMarkers, name, name)
    );
  };

  const typeRequirement = (typeName: string): Requirement =>
    typeRequirements.get(simpleTypeName(typeName)) ?? nameRequirement(typeName);

  return {
    isAnonymous,
    isAnonymousType,
    typeRequirement,
    requirement(attribute) {
      const own = attributeRequirement(attribute);
      if (own !== "authenticated" || attribute.name === "Authorize") return own;
      if (attribute.name === "TypeFilter" || attribute.name === "ServiceFilter")
        return strongest(typeofArguments(attribute).map(typeRequirement));
      return typeRequirement(attribute.name);
    },
    isProtectionType(typeName) {
      const name = simpleTypeName(typeName);
      return !isAnonymousType(name) && (isAuthType(name) || isAuthType(withoutSuffix(name)));
    },
    isProtection(attribute) {
      if (isAnonymous(attribute)) return false;
      if (attribute.name === "Authorize" || authTypes.has(attribute.name)) return true;
      if (configured(settings.auth, attribute.name, attribute.qualifiedName)) return true;
      if (attribute.name === "TypeFilter" || attribute.name === "ServiceFilter")
        return typeofArguments(attribute).some(isAuthType);
      return nameSaysAuthorization(attribute.name);
    },
  };
}

/** The protections and anonymous markers a declaration's attributes give it. */
export interface Requirements {
  protections: Protection[];
  anonymous: AnonymousMarker[];
}

export function attributeRequirements(
  attributes: readonly CSharpAttribute[],
  source: ProtectionSource,
  classifier: AttributeClassifier,
): Requirements {
  const result: Requirements = { protections: [], anonymous: [] };
  for (const attribute of attributes) {
    if (classifier.isAnonymous(attribute)) result.anonymous.push({ name: attribute.text, source, loc: attribute.loc });
    else if (classifier.isProtection(attribute))
      result.protections.push({
        name: attribute.text,
        source,
        loc: attribute.loc,
        requirement: classifier.requirement(attribute),
      });
  }
  return result;
}

export function mergeRequirements(into: Requirements, from: Requirements): void {
  into.protections.push(...from.protections);
  into.anonymous.push(...from.anonymous);
}

/** `Microsoft.AspNetCore.Mvc.Authorization.AuthorizeFilter` → `AuthorizeFilter`; `Filter<T>` → `Filter`. */
function simpleTypeName(typeName: string): string {
  const plain = typeName.replace(/<[\s\S]*$/, "").replace(/\s+/g, "");
  return plain.slice(plain.lastIndexOf(".") + 1).replace(/^global::/, "");
}

/** What an attribute's own arguments say it requires: `Roles = …`, `Policy = …`, `[Authorize("Policy")]`; else by its name. */
function attributeRequirement(attribute: CSharpAttribute): Requirement {
  const policy = property(attribute, "Policy") !== undefined;
  const roles = property(attribute, "Roles") !== undefined;
  if (policy) return "policy";
  if (attribute.name === "Authorize")
    return positional(attribute).length > 0 ? "policy" : roles ? "role" : "authenticated";
  if (roles) return "role";
  return nameRequirement(attribute.name);
}

const POLICY_WORDS = new Set([...PERMISSION_WORDS].filter((w) => w !== "role" && w !== "roles"));

const REQUIREMENT_STRENGTH: Record<Requirement, number> = { authenticated: 0, role: 1, policy: 2 };

/** The strongest of several requirements; `authenticated` for none. */
export function strongest(requirements: readonly Requirement[]): Requirement {
  let best: Requirement = "authenticated";
  for (const r of requirements) if (REQUIREMENT_STRENGTH[r] > REQUIREMENT_STRENGTH[best]) best = r;
  return best;
}

/**
 * What an AuthorizeAttribute subclass declared in this file sets in its constructors or
 * property initialisers: `Roles = "Admin"`, `Policy = "Orders"`, `: base("Orders")`.
 */
function declaredRequirement(chain: readonly ClassDecl[]): Requirement | undefined {
  const found: Requirement[] = [];
  const authorizeSubclass = chain.some(
    (d) => d.baseTypes.includes("AuthorizeAttribute") || d.baseTypes.includes("Authorize"),
  );
  for (const decl of chain) {
    for (const node of decl.nodes) {
      const body = node.childForFieldName("body")?.text ?? "";
      if (/\bPolicy\s*=[^=>]/.test(body) || (authorizeSubclass && /:\s*base\s*\(\s*[^\s)]/.test(body)))
        found.push("policy");
      if (/\bRoles\s*=[^=>]/.test(body)) found.push("role");
    }
  }
  return found.length > 0 ? strongest(found) : undefined;
}

/** What a protection named so requires: `HasPermission` → policy, `AuthorizeRoles` → role, `ApiKeyAuth` → authenticated. */
export function nameRequirement(name: string): Requirement {
  const parts = words(withoutSuffix(simpleTypeName(name)));
  if (parts.some((w) => POLICY_WORDS.has(w))) return "policy";
  if (parts.some((w) => w === "role" || w === "roles")) return "role";
  return "authenticated";
}

/** A configured name matches with or without the `Attribute` suffix and with or without its namespace. */
function configured(matcher: (name: string) => boolean, name: string, qualifiedName: string): boolean {
  const short = withoutSuffix(name);
  return (
    matcher(short) ||
    matcher(`${short}Attribute`) ||
    (qualifiedName !== short && (matcher(qualifiedName) || matcher(`${qualifiedName}Attribute`)))
  );
}

/** Both spellings a type can be used by: `AdminOnlyAttribute` is applied as `[AdminOnly]`. */
function addType(set: Set<string>, className: string): void {
  set.add(className);
  set.add(withoutSuffix(className));
}

/** Types passed to `base(typeof(X))` in the constructors of a filter-wrapping attribute class. */
function wrappedFilters(chain: readonly ClassDecl[]): string[] {
  const names: string[] = [];
  for (const decl of chain) {
    for (const node of decl.nodes) {
      for (const typeOf of node.descendantsOfType("typeof_expression")) {
        if (insideConstructorInitializer(typeOf)) names.push(simpleName(typeOf.childForFieldName("type")));
      }
    }
  }
  return names;
}

function insideConstructorInitializer(node: SyntaxNode): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === "constructor_initializer") return true;
    if (current.type === "constructor_declaration" || current.type === "class_declaration") return false;
  }
  return false;
}
