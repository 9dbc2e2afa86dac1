/**
 * Recognised public flows: routes that must be reachable without a session by design
 * (sign-in and sign-out, sign-up, password reset, e-mail confirmation, token refresh,
 * provider webhooks). Decided from
 * the route path and the handler name only, so it is the same for every language.
 */

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
  ].map((w) => [w, "sign-in"] as const),
  ...["logout", "signout", "logoff"].map((w) => [w, "sign-out"] as const),
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
]);

/** Words that name a public flow only under an auth-like prefix (`/auth/token`, `/account/verify`). */
const GENERIC: ReadonlyMap<string, string> = new Map([
  ...["authenticate", "callback", "otp", "magiclink", "sso"].map((w) => [w, "sign-in"] as const),
  ...["reset", "recover"].map((w) => [w, "password reset"] as const),
  ...["verify", "confirm"].map((w) => [w, "e-mail confirmation"] as const),
  ...["token", "refresh"].map((w) => [w, "token refresh"] as const),
]);

const AUTH_PREFIXES = new Set(["auth", "account", "accounts", "identity", "session", "sessions", "oauth", "password"]);

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
 * someone's record and is not self-service; a generic word (`reset`, `verify`, `token`)
 * counts under an auth-like prefix (`/auth/reset`) or before a token parameter
 * (`/reset/:token`).
 */
export function publicFlowOf(path: string, handler: string | undefined): string | undefined {
  const segments = path.split("/").filter((s) => s.length > 0);
  // Creating a session is signing in (`POST /sessions`, `/sessions/password`, `/sessions/github`).
  if (SESSION.test(segments[0] ?? "") && segments.length <= 2 && !segments.some(isParameter)) return "sign-in";
  let underAuth = false;
  for (const [index, segment] of segments.entries()) {
    if (isParameter(segment)) return undefined;
    const word = squash(segment);
    const next = segments[index + 1];
    const flow =
      specificFlow(word) ??
      (underAuth || (next !== undefined && TOKEN_PARAMETER.test(next)) ? GENERIC.get(word) : undefined);
    if (flow) return flow;
    underAuth ||= AUTH_PREFIXES.has(word);
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
