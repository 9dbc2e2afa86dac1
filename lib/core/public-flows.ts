/**
 * Recognised public flows: routes that must be reachable without a session by design
 * (sign-in and sign-out, sign-up, password reset, e-mail confirmation, token refresh,
 * OAuth callbacks, provider webhooks). Decided from the route path and the handler name,
 * and for a sign-up written as `POST /users` from what the adapters saw the handler do
 * with a password (`Endpoint.credentials`) and from the file's sign-in route beside it,
 * so it is the same for every language.
 */
import type { Endpoint } from "./model.js";

/** Words that name a public flow wherever they stand. */
const SPECIFIC: ReadonlyMap<string, string> = new Map([
  ...[
    "login",
    "signin",
    "logon",
    "prelogin",
    "externallogin",
    "externallogincallback",
    "externalcallback",
    "loginwith2fa",
    "loginwithrecoverycode",
    // OAuth and OpenID Connect redirects back from the provider (`/oauth-callback`, ASP.NET's `/signin-oidc`).
    "oauthcallback",
    "oauth2callback",
    "oidccallback",
    "ssocallback",
    "samlcallback",
    "signinoidc",
  ].map((w) => [w, "sign-in"] as const),
  ...["logout", "signout", "logoff", "signoutoidc", "signoutcallbackoidc"].map((w) => [w, "sign-out"] as const),
  ...["register", "signup", "createaccount"].map((w) => [w, "sign-up"] as const),
  ...["forgotpassword", "resetpassword", "passwordreset", "recoverpassword", "forgot", "passwordhint"].map(
    (w) => [w, "password reset"] as const,
  ),
  ...[
    "confirmemail",
    "verifyemail",
    "resendemailconfirmation",
    "resendconfirmation",
    "sendverificationemail",
    "resendemailvalidationcode",
    "resendverificationcode",
    "resendverificationemail",
    "verifyemailtoken",
  ].map((w) => [w, "e-mail confirmation"] as const),
  ...["refreshtoken", "refreshtokens"].map((w) => [w, "token refresh"] as const),
  // Deleting an account one cannot sign in to any more, by a link sent to its e-mail.
  ...["deleterecover", "deleterecovertoken"].map((w) => [w, "account recovery"] as const),
  // Provider callbacks: they authenticate by signature or shared secret, not by a session.
  ...["webhook", "webhooks", "ipn"].map((w) => [w, "webhook"] as const),
  // One-click unsubscribe links in e-mail (RFC 8058): the link's token is the credential.
  ...["unsubscribe", "oneclickunsubscribe"].map((w) => [w, "unsubscribe link"] as const),
  // A path that says it is public (`/api/public/bookings`): the team made it so on purpose.
  ["public", "public by path"],
]);

/** Words that name a public flow only under an auth-like prefix (`/auth/token`, `/account/verify`). */
const GENERIC: ReadonlyMap<string, string> = new Map([
  ...["authenticate", "callback", "otp", "magiclink", "sso", "start", "exchange", "exchangecode"].map(
    (w) => [w, "sign-in"] as const,
  ),
  ...["reset", "recover"].map((w) => [w, "password reset"] as const),
  ...["verify", "confirm"].map((w) => [w, "e-mail confirmation"] as const),
  ...["token", "refresh"].map((w) => [w, "token refresh"] as const),
]);

const AUTH_PREFIXES = new Set([
  "auth",
  "account",
  "accounts",
  "identity",
  "session",
  "sessions",
  "oauth",
  "oauth2",
  "oidc",
  "saml",
  "password",
]);

/**
 * A path parameter that picks the identity provider (`/auth/:provider/callback`,
 * `/oauth/{scheme}/callback`, Next.js `[provider]`): under an auth prefix it names no record.
 */
/** Words that make a compound segment an auth prefix (`mobile-auth`). */
const AUTH_WORDS = new Set(["auth", "oauth", "oauth2", "oidc", "sso", "saml"]);

/** Services that call back with their events, each signing or authenticating its calls its own way. */
const PROVIDERS = new Set([
  "stripe",
  "slack",
  "github",
  "gitlab",
  "bitbucket",
  "teams",
  "telegram",
  "discord",
  "twilio",
  "sendgrid",
  "mailgun",
  "postmark",
  "resend",
  "shopify",
  "paypal",
  "paddle",
  "lemonsqueezy",
  "clerk",
  "svix",
  "linear",
  "zoom",
  "whatsapp",
  "intercom",
  "hubspot",
]);

/** What a provider's callback route is called after the provider's name. */
const PROVIDER_CALLS = new Set(["events", "event", "hooks", "hook", "notifications", "interactions", "commands"]);

const PROVIDER_PARAMETER =
  /^[:{]\w*(?:provider|strategy|idp|connection|connector|integration|issuer|scheme)\w*[}?]?$/iu;

/** ASP.NET Core's external sign-in callback paths: `/signin-google`, `/signin-microsoft`. */
const SIGNIN_CALLBACK = /^signin-[a-z0-9]+$/iu;

const SESSION = /^sessions?$/iu;

const TOKEN_PARAMETER = /^[:{]\w*(?:token|code)\w*\}?$/iu;

function squash(word: string): string {
  return word.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function isParameter(segment: string): boolean {
  return segment.startsWith(":") || segment.startsWith("{");
}

/**
 * The flow's label (`sign-in`, …) when the route is a recognised public flow, else
 * undefined. A flow word after a path parameter (`/users/:id/reset-password`) acts on
 * someone's record and is not self-service, except after a parameter that picks the
 * identity provider under an auth prefix (`/auth/:provider/callback`); a generic word
 * (`reset`, `verify`, `token`, `callback`) counts under an auth-like prefix (`/auth/reset`,
 * `/oauth/callback`) or before a token parameter (`/reset/:token`).
 */
export function publicFlowOf(path: string, handler: string | undefined): string | undefined {
  const segments = path.split("/").filter((s) => s.length > 0);
  // Creating a session is signing in (`POST /sessions`, `/sessions/password`, `/sessions/github`).
  if (SESSION.test(segments[0] ?? "") && segments.length <= 2 && !segments.some(isParameter)) return "sign-in";
  let underAuth = false;
  for (const [index, segment] of segments.entries()) {
    if (isParameter(segment)) {
      if (underAuth && PROVIDER_PARAMETER.test(segment)) continue;
      return undefined;
    }
    if (SIGNIN_CALLBACK.test(segment)) return "sign-in";
    const word = squash(segment);
    const next = segments[index + 1];
    // `browser-start` under `mobile-auth`: a step named by its last word.
    const lastWord = squash(segment.split(/[-_.]/).at(-1) ?? segment);
    const flow =
      specificFlow(word) ??
      (underAuth || (next !== undefined && (TOKEN_PARAMETER.test(next) || PROVIDER_PARAMETER.test(next)))
        ? (GENERIC.get(word) ?? (underAuth ? GENERIC.get(lastWord) : undefined))
        : undefined);
    if (flow) return flow;
    // `mobile-auth`, `partner_oauth`: a segment with an auth word in it is an auth prefix too.
    underAuth ||= AUTH_PREFIXES.has(word) || segment.split(/[-_.]/).some((part) => AUTH_WORDS.has(part.toLowerCase()));
    // `/slack/events`, `/api/stripe/events`: a provider's events are its webhook.
    if (PROVIDERS.has(word) && next !== undefined && PROVIDER_CALLS.has(squash(next))) return "webhook";
  }
  const handlerWord = handler ? squash((handler.split(".").at(-1) ?? handler).replace(/Async$/, "")) : undefined;
  return handlerWord ? specificFlow(handlerWord) : undefined;
}

/**
 * A specific flow word, one of the `authenticate…` family (`AuthenticateByName`,
 * `AuthenticateUser`), or a step of signing in that ends in its word: `send-email-login`,
 * `resend-new-device-otp`.
 */
function specificFlow(word: string): string | undefined {
  if (SPECIFIC.has(word)) return SPECIFIC.get(word);
  if (word.startsWith("authenticate") || SIGN_IN_STEP.test(word)) return "sign-in";
  return undefined;
}

const SIGN_IN_STEP = /^(?:send|resend|request|verify)\w*(?:login|otp)$/u;

// ---------------------------------------------------------------------------------
// Sign-up as a collection write: `POST /users`, `POST /api/accounts`.
// ---------------------------------------------------------------------------------

/** Collections that a sign-up adds its new account to. */
const ACCOUNT_COLLECTIONS = new Set(["users", "user", "accounts", "account", "members", "member"]);

/** Words that put a route in an administration area: creating a user there is an administrator's act, never a sign-up. */
const ADMINISTRATION = new Set([
  "admin",
  "admins",
  "administration",
  "administrator",
  "manage",
  "management",
  "internal",
  "staff",
  "backoffice",
]);

/** The last word of a sign-in route beside a collection: `/users/login`, `/accounts/sign-in`. */
const SIGN_IN_WORDS = new Set(["login", "signin", "logon"]);

/**
 * The public flow of an endpoint of a file: `publicFlowOf` its path and handler, a route
 * that verifies its caller's signature (a signed webhook, whatever its path), or a
 * sign-up written as a plain collection write. `endpoints` are all the endpoints of the
 * endpoint's file (the same array for every endpoint of a file, so that what is derived
 * from it is built once).
 */
export function endpointPublicFlow(
  endpoint: Pick<Endpoint, "path" | "handler" | "methods" | "credentials" | "protections">,
  endpoints: readonly Pick<Endpoint, "path" | "protections">[],
): string | undefined {
  return (
    (endpoint.protections.some((p) => p.kind === "signature") ? "signed webhook" : undefined) ??
    publicFlowOf(endpoint.path, endpoint.handler) ??
    (isSignUp(endpoint, endpoints) ? "sign-up" : undefined) ??
    (isRedirectCallback(endpoint) ? "OAuth callback" : undefined)
  );
}

/**
 * `GET /api/google/linking/callback`: the provider sends the browser back here with a
 * `code` and `state` after the user agreed, so it has no session of the app to show. A GET
 * whose last segment is `callback`, with no record id before it (a parameter that names the
 * provider or integration, `/api/mcp/:integration/callback`, is none).
 */
function isRedirectCallback(endpoint: Pick<Endpoint, "path" | "methods">): boolean {
  if (!endpoint.methods.some((m) => m === "GET" || m === "ANY")) return false;
  const segments = endpoint.path.split("/").filter((s) => s.length > 0);
  const recordId = (segment: string): boolean => isParameter(segment) && !PROVIDER_PARAMETER.test(segment);
  if (segments.length < 2 || segments.slice(0, -1).some(recordId)) return false;
  return /^(?:oauth|auth|sso)?callback$/.test(squash(segments.at(-1)!));
}

/**
 * A `POST` on an account collection (`/users`, `/api/accounts`, `/members`, no record id
 * in the path, no administration area) that shows it is a sign-up: its handler takes a
 * password from the request body or hashes one (`Endpoint.credentials`), or the same file
 * has a public sign-in route beside it (`POST /users` next to an unprotected
 * `POST /users/login`). A user created by an administrator behind auth is protected and
 * never asks; one created without a password (an invitation) shows none of this.
 */
function isSignUp(
  endpoint: Pick<Endpoint, "path" | "methods" | "credentials">,
  endpoints: readonly Pick<Endpoint, "path" | "protections">[],
): boolean {
  if (!endpoint.methods.includes("POST")) return false;
  const segments = endpoint.path.split("/").filter((s) => s.length > 0);
  const last = segments.at(-1);
  if (last === undefined || !ACCOUNT_COLLECTIONS.has(squash(last))) return false;
  if (segments.some((s) => isParameter(s) || ADMINISTRATION.has(squash(s)))) return false;
  const { credentials } = endpoint;
  if (credentials?.passwordFromBody || credentials?.hashesPassword !== undefined) return true;
  return publicSignInCollections(endpoints).has(collectionKey(segments));
}

const signInCollections = new WeakMap<object, ReadonlySet<string>>();

/** The collections of a file that have an unprotected sign-in route below them (`/users` for `/users/login`), once per file. */
function publicSignInCollections(endpoints: readonly Pick<Endpoint, "path" | "protections">[]): ReadonlySet<string> {
  let found = signInCollections.get(endpoints);
  if (!found) {
    const collections = new Set<string>();
    for (const other of endpoints) {
      if (other.protections.length > 0) continue;
      const segments = other.path.split("/").filter((s) => s.length > 0);
      const last = segments.at(-1);
      if (segments.length >= 2 && last !== undefined && SIGN_IN_WORDS.has(squash(last)))
        collections.add(collectionKey(segments.slice(0, -1)));
    }
    signInCollections.set(endpoints, (found = collections));
  }
  return found;
}

function collectionKey(segments: readonly string[]): string {
  return segments.map((s) => s.toLowerCase()).join("/");
}
