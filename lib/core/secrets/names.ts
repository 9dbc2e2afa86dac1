/**
 * Which names hold secrets. A name is read the way English compounds are: its last
 * word says what it is (`passwordError` is an error, `apiKey` a key, `tokenExpiry` an
 * expiry), earlier words qualify it (`primaryKey` and `publicKey` are not secrets,
 * `signingKey` is). Words that only say how the value is stored (`…Value`, `…Base64`,
 * `…Dev`) are looked through.
 */
import { wordsOf } from "./values.js";

/**
 * What the name says the value is:
 * - `password`: chosen by a person, any non-trivial value counts;
 * - `secret`: a key or shared secret, chosen or generated;
 * - `token`: an issued credential, so only a random-looking value counts
 *   (the same names hold token *types*, header names and lexer tokens);
 * - `connection`: a connection string, judged by whether it carries a password.
 */
export type SecretNameKind = "password" | "secret" | "token" | "connection";

const PASSWORD_WORDS = new Set(["password", "passwd", "pwd", "passphrase", "passcode", "pword", "passwort"]);
/** `pass` is also a pass of an algorithm (`firstPass`): a password only after a word that logs in somewhere. */
const PASS_QUALIFIERS = new Set([
  "db", "database", "smtp", "mail", "email", "user", "admin", "root", "auth", "login", "ftp", "sftp", "redis", "mongo",
  "mysql", "postgres", "pg", "sql", "ldap", "proxy", "basic", "api", "app", "account", "wifi", "key", "keystore", "bind",
]);
const SECRET_WORDS = new Set(["secret", "apikey", "secretkey", "privatekey", "clientsecret", "secretorkey"]);
const TOKEN_WORDS = new Set(["token", "bearer", "authorization", "credentials", "credential", "creds", "pat", "apitoken", "authtoken", "accesstoken"]);

/** A `…Key` is a secret only with one of these in front: `apiKey`, `signingKey`, `accountKey`. */
const KEY_QUALIFIERS = new Set([
  "api", "secret", "private", "signing", "sign", "signature", "encryption", "encrypt", "decryption", "access", "auth",
  "client", "master", "hmac", "jwt", "app", "application", "subscription", "service", "account", "shared", "crypto",
  "cipher", "aes", "des", "session", "webhook", "license", "licence", "admin", "server", "write", "root", "rsa", "ssh",
  "gpg", "pgp", "deploy", "integration", "partner", "merchant", "consumer", "developer", "or", "bot",
]);

/** Qualifiers that make a key, token or secret something else: `publicKey`, `primaryKey`, `pageToken`. */
const NOT_SECRET_QUALIFIERS = new Set([
  "public", "publishable", "pub", "primary", "foreign", "partition", "sort", "cache", "i18n", "translation", "query",
  "idempotency", "route", "lookup", "storage", "page", "next", "continuation", "cancellation", "sync", "pagination",
  "cursor", "csrf", "xsrf", "injection", "design", "color", "colour", "theme", "style", "lexer", "parser", "syntax",
  "resume", "is", "has", "show", "hide", "toggle", "use", "enable", "enabled", "require", "requires", "forgot", "test",
  "mock", "fake", "dummy", "example", "sample", "env", "environment", "header", "param", "field", "column", "attribute",
  "prop", "property",
]);

/** Trailing words that say how the value is kept, not what it is. */
const TRANSPARENT_TAIL = new Set([
  "value", "val", "str", "string", "plain", "plaintext", "raw", "b64", "base64", "hex", "bytes", "dev", "development",
  "prod", "production", "stage", "staging", "local", "default", "fallback", "override", "encoded", "literal", "const",
]);

/** What a target name says its value is, or undefined when the name is not a secret's. */
export function secretNameKind(name: string): SecretNameKind | undefined {
  const words = wordsOf(name.replace(/^[@$#]+/, ""));
  if (isConnectionStringName(words)) return "connection";
  while (words.length > 1 && (TRANSPARENT_TAIL.has(words.at(-1)!) || /^\d+$/.test(words.at(-1)!))) words.pop();
  if (words.length === 0) return undefined;
  const head = words.at(-1)!;
  const qualifiers = words.slice(0, -1);
  if (qualifiers.some((w) => NOT_SECRET_QUALIFIERS.has(w))) return undefined;
  if (PASSWORD_WORDS.has(head)) return "password";
  if (head === "pass" && (qualifiers.length === 0 || PASS_QUALIFIERS.has(qualifiers.at(-1)!))) return "password";
  if (SECRET_WORDS.has(head)) return "secret";
  if (head === "key" || head === "keys") return qualifiers.some((w) => KEY_QUALIFIERS.has(w)) ? "secret" : undefined;
  if (TOKEN_WORDS.has(head) || (head === "tokens" && qualifiers.length > 0)) return "token";
  if (head === "secrets" && qualifiers.length > 0) return "secret";
  return undefined;
}

/** `connectionString`, `DB_CONNECTION_STRING`, `connStr`, `dsn`, `databaseUrl`. */
function isConnectionStringName(words: readonly string[]): boolean {
  const [before, last] = [words.at(-2), words.at(-1)];
  if (last === "connectionstring" || last === "connstr" || last === "dsn") return true;
  if ((last === "string" || last === "str") && (before === "connection" || before === "conn")) return true;
  return last === "url" && (before === "database" || before === "db" || before === "mongo" || before === "redis" || before === "postgres" || before === "mysql");
}

/**
 * Words identifiers in authentication code are made of. A value made only of these
 * (and of the target's own words) names something (`refresh_token`, `x-api-key`,
 * `passwordInput`); a value with other words was chosen (`my-jwt-secret`).
 */
export const NAMING_WORDS: ReadonlySet<string> = new Set([
  "secret", "secrets", "token", "tokens", "key", "keys", "api", "apikey", "auth", "authorization", "authentication",
  "authenticate", "access", "refresh", "id", "ids", "client", "jwt", "session", "sessions", "x", "header", "headers",
  "bearer", "basic", "password", "passwd", "pwd", "pass", "passphrase", "user", "users", "username", "name", "cookie",
  "csrf", "xsrf", "app", "private", "public", "signing", "sign", "input", "field", "form", "label", "text", "confirm",
  "confirmation", "current", "new", "old", "reset", "forgot", "change", "update", "hash", "hashed", "salt", "type",
  "types", "data", "credential", "credentials", "login", "logout", "signin", "signup", "register", "account", "oauth",
  "oauth2", "openid", "code", "grant", "response", "request", "storage", "local", "store", "env", "config", "setting",
  "settings", "option", "options", "param", "params", "query", "body", "state", "error", "errors", "message",
  "required", "invalid", "expired", "missing", "mismatch", "strength", "policy", "visible", "visibility", "show",
  "hide", "toggle", "icon", "placeholder", "hint", "help", "length", "min", "max", "rule", "rules", "email", "mail",
  "phone", "otp", "mfa", "totp", "verify", "verification", "validation", "valid", "expiry", "expires", "expiration",
  "issuer", "audience", "scope", "scopes", "role", "roles", "claim", "claims", "identity", "provider", "providers",
  "service", "services", "strategy", "guard", "middleware", "handler", "callback", "redirect", "url", "uri", "path",
  "route", "link", "endpoint", "page", "modal", "dialog", "button", "btn", "submit", "container", "wrapper", "section",
  "step", "screen", "view", "component", "module", "controller", "model", "schema", "dto", "entity", "table", "column",
  "encrypted", "encryption", "decrypted", "master", "admin", "root", "db", "database", "connection", "string",
  "manager", "vault", "kms", "pem", "file", "variable", "var", "prefix", "suffix", "format", "kind",
  "sub", "iss", "aud", "exp", "iat", "nbf", "jti", "alg", "kid", "typ", "hs256", "rs256", "none", "of", "for", "to",
  "the", "a", "an", "and", "or", "by", "with", "on", "in", "is", "has", "get", "set", "create", "delete", "remove",
  "add", "edit", "save", "send", "sent", "generate", "generated", "revoke", "revoked", "rotate", "changed", "updated",
  "success", "failed", "failure", "status", "result", "info", "details", "list", "item", "items", "count", "total",
  "bad", "wrong", "incorrect", "too", "short", "long", "weak", "strong", "must", "be", "at", "least", "characters",
]);
