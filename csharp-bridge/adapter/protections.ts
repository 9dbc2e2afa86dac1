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
 */
import type { ResolvedSettings } from "../../lib/core/settings.js";
import type { SyntaxNode } from "../parser.js";
import { typeofArguments, withoutSuffix, type CSharpAttribute } from "./attributes.js";
import type { ClassDecl, FileDeclarations } from "./declarations.js";
import { simpleName } from "./syntax.js";

export interface AttributeClassifier {
  isProtection(attribute: CSharpAttribute): boolean;
  isAnonymous(attribute: CSharpAttribute): boolean;
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
  // Filter classes first, so a TypeFilterAttribute subclass can refer to any of them.
  for (const decl of declarations.classes) {
    const bases = new Set([decl, ...declarations.baseChain(decl)].flatMap((d) => d.baseTypes));
    if ([...bases].some((b) => AUTH_BASES.has(b))) addType(authTypes, decl.name);
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

  return {
    isAnonymous,
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
