/**
 * Recognised public flows: routes that must be reachable without a session by design
 * (sign-in, sign-up, password reset, e-mail confirmation, token refresh). Decided from
 * the route path and the handler name only, so it is the same for every language.
 */

/** Words that name a public flow wherever they stand. */
const SPECIFIC: ReadonlyMap<string, string> = new Map([
  ...["login", "signin", "logon", "externallogin", "externallogincallback", "loginwith2fa", "loginwithrecoverycode"].map(
    (w) => [w, "sign-in"] as const,
  ),
  ...["register", "signup", "createaccount"].map((w) => [w, "sign-up"] as const),
  ...["forgotpassword", "resetpassword", "passwordreset", "recoverpassword"].map((w) => [w, "password reset"] as const),
  ...["confirmemail", "verifyemail", "resendemailconfirmation", "resendconfirmation"].map(
    (w) => [w, "e-mail confirmation"] as const,
  ),
  ["refreshtoken", "token refresh"],
]);

/** Words that name a public flow only under an auth-like prefix (`/auth/token`, `/account/verify`). */
const GENERIC: ReadonlyMap<string, string> = new Map([
  ...["authenticate", "callback", "otp", "magiclink", "sso"].map((w) => [w, "sign-in"] as const),
  ...["forgot", "reset"].map((w) => [w, "password reset"] as const),
  ...["verify", "confirm"].map((w) => [w, "e-mail confirmation"] as const),
  ...["token", "refresh"].map((w) => [w, "token refresh"] as const),
]);

const AUTH_PREFIXES = new Set(["auth", "account", "accounts", "identity", "session", "sessions", "oauth", "password"]);

function squash(word: string): string {
  return word.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** The flow's label (`sign-in`, …) when the route is a recognised public flow, else undefined. */
export function publicFlowOf(path: string, handler: string | undefined): string | undefined {
  const segments = path
    .split("/")
    .filter((s) => s.length > 0 && !s.startsWith(":") && !s.startsWith("{"))
    .map(squash);
  const last = segments.at(-1);
  const underAuth = segments.slice(0, -1).some((s) => AUTH_PREFIXES.has(s));
  const handlerWord = handler ? squash((handler.split(".").at(-1) ?? handler).replace(/Async$/, "")) : undefined;
  if (last !== undefined) {
    const flow = SPECIFIC.get(last) ?? (underAuth ? GENERIC.get(last) : undefined);
    if (flow) return flow;
  }
  return handlerWord ? SPECIFIC.get(handlerWord) : undefined;
}
