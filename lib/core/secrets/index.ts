/**
 * Is a string literal a secret? The value is judged by what it is (a provider's
 * credential, a connection string with a password) and by where it goes (a
 * secret-named target, a secret sink), and never by its name alone: a
 * `passwordError` message or a `passwordField = "password"` is not a password. A literal
 * compared with a value is judged by its name only when that value is request input.
 */
import type { StringLiteral } from "../facts/secrets.js";
import { findConnectionCredential, type ConnectionCredential } from "./connection-strings.js";
import { NAMING_WORDS, secretNameKind, type SecretNameKind } from "./names.js";
import { findProviderCredential, type ProviderMatch } from "./providers.js";
import {
  identifierWords,
  isLabelWord,
  isPlaceholder,
  isPublicKeyMaterial,
  isStandIn,
  looksRandom,
  notASecret,
  wordsOf,
} from "./values.js";

export { mask } from "./values.js";

export type SecretFinding =
  /** A credential in a provider's format, wherever it stands. */
  | { kind: "provider"; title: string; id: string; secret: string; whole: boolean }
  /** A password inside a connection string or URL. */
  | { kind: "connection"; form: ConnectionCredential["form"]; secret: string; whole: boolean }
  /** A literal passed where a key or password is expected. */
  | { kind: "sink"; sink: string; secret: string; whole: true }
  /** A literal assigned to a secret-named target. */
  | { kind: "named"; target: string; nameKind: SecretNameKind; secret: string; whole: boolean };

/** No value shorter than this is reported, in any position; adapters may drop shorter literals. */
export const MIN_SECRET_LENGTH = 4;

/** Shortest values that count: anything shorter is a stand-in, not a credential. */
const MIN_LENGTH: Record<Exclude<SecretNameKind, "connection"> | "sink", number> = {
  sink: MIN_SECRET_LENGTH,
  password: 6,
  secret: 8,
  token: 16,
};

/** Firebase's web configuration (`apiKey` beside `authDomain`) is public by design. */
function isFirebaseWebConfig(literal: StringLiteral): boolean {
  if (!literal.siblings) return false;
  const keys = keySet(literal.siblings);
  const beside = (key: string) => key !== literal.target && keys.has(key);
  return beside("authDomain") || (beside("projectId") && beside("appId"));
}

/** One set per shared key list: every literal of a large object asks about the same keys. */
const keySets = new WeakMap<readonly string[], ReadonlySet<string>>();

function keySet(keys: readonly string[]): ReadonlySet<string> {
  let set = keySets.get(keys);
  if (!set) keySets.set(keys, (set = new Set(keys)));
  return set;
}

function nameWords(literal: StringLiteral): Set<string> {
  return new Set([literal.target ?? "", ...(literal.owners ?? [])].flatMap(wordsOf));
}

export function judgeLiteral(literal: StringLiteral): SecretFinding | undefined {
  const { value } = literal;
  const provider = findProviderCredential(value, nameWords(literal));
  if (provider)
    return provider.id === "gcp-api-key" && isFirebaseWebConfig(literal) ? undefined : fromProvider(provider, value);
  // The rest of an interpolated string is known only at run time: a connection string or a
  // name's judgement would be about part of a value (template literals with holes are not judged at all).
  if (literal.interpolated) return undefined;
  const connection = findConnectionCredential(value);
  if (connection) return { kind: "connection", form: connection.form, secret: connection.password, whole: true };
  if (literal.sink !== undefined) {
    const v = value.trim();
    if (v.length >= MIN_LENGTH.sink && !isPlaceholder(v) && !isPublicKeyMaterial(v))
      return { kind: "sink", sink: literal.sink, secret: v, whole: true };
    return undefined;
  }
  if (literal.target === undefined) return undefined;
  // A literal only compared with a configuration value or a local detects a placeholder or a
  // marker (`apiKey !== "changeme"`, `token === "expired-token"`): by its name alone it is no
  // secret. Compared with what a request presents, it is the credential itself.
  if (literal.compared === "value") return undefined;
  const nameKind = secretNameKind(literal.target);
  if (nameKind === undefined || nameKind === "connection") return undefined;
  // A request's password checked against a literal is no-plaintext-password-compare's
  // hard-coded password (AP202): one finding for one comparison.
  if (literal.compared === "request" && nameKind === "password") return undefined;
  if (literal.list && isListOfNames(literal.list)) return undefined;
  const secret = namedSecret(value.trim(), literal.target, nameKind);
  return secret === undefined
    ? undefined
    : { kind: "named", target: literal.target, nameKind, secret, whole: secret === value.trim() };
}

function fromProvider(match: ProviderMatch, value: string): SecretFinding {
  return {
    kind: "provider",
    title: match.title,
    id: match.id,
    secret: match.token,
    whole: match.token === value.trim(),
  };
}

const AUTH_SCHEME = /^(Bearer|Basic|Token|Digest|ApiKey|Api-Key|SharedAccessSignature)\s+(\S+)$/i;

/**
 * Whether a value could be judged a secret by the name it is assigned to at all. Text
 * with spaces (messages, labels, templates) never is, unless it carries an auth
 * scheme (`Bearer …`). Adapters use it to skip finding the target of other literals.
 */
export function mayBeNamedSecret(value: string): boolean {
  const v = value.trim();
  return v.length >= MIN_SECRET_LENGTH && (!/\s/.test(v) || AUTH_SCHEME.test(v));
}

/** The secret in a value assigned to a secret-named target, or undefined when the value is not one. */
function namedSecret(value: string, target: string, kind: Exclude<SecretNameKind, "connection">): string | undefined {
  let body = value;
  let bodyKind = kind;
  const scheme = AUTH_SCHEME.exec(value);
  if (scheme) {
    body = scheme[2]!;
    if (scheme[1].toLowerCase() === "basic") return basicCredentials(body);
    bodyKind = "token";
  }
  if (body.length < MIN_LENGTH[bodyKind] || isStandIn(body) || isPublicKeyMaterial(body)) return undefined;
  if (notASecret(body) !== undefined) return undefined;
  if (isMarker(body)) return undefined;
  if (sameName(body, target)) return undefined;
  const targetWords = new Set(wordsOf(target));
  const words = identifierWords(body);
  if (words && words.every((w) => NAMING_WORDS.has(w) || targetWords.has(w))) return undefined;
  switch (bodyKind) {
    case "password":
      // A capitalised word is a label or its translation (`Password`, `Passwort`), not a password in use.
      return isLabelWord(body) ? undefined : body;
    case "secret":
      return body;
    case "token":
      return looksRandom(body) ? body : undefined;
  }
}

/**
 * A list whose every entry is a word or an identifier (`["account", "accountid",
 * "account_number"]`): field, header or parameter names to look for or to redact, not
 * credentials. A list of keys has entries that look random, or a provider's format, which
 * is judged before any name.
 */
function isListOfNames(list: readonly string[]): boolean {
  return (
    list.length >= 2 &&
    list.every((entry) => {
      const v = entry.trim();
      return identifierWords(v) !== undefined || notASecret(v) === "identifier" || notASecret(v) === "key";
    })
  );
}

/** `Basic dXNlcjpwYXNz` carries `user:password` in base64. */
function basicCredentials(encoded: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return undefined;
  const password = decoded.slice(colon + 1);
  return password.length >= MIN_LENGTH.password && !isStandIn(password) && !/[^\x20-\x7e]/.test(password)
    ? encoded
    : undefined;
}

/**
 * A marker that stands where a secret was taken out: `_PRODUCT_BLANK_<uuid>`, `[REDACTED]`,
 * `***REMOVED***`. The word stands on its own between non-letters, so a chosen password
 * that merely contains it (`blanket2024!`) is still judged.
 */
const MARKER = /(?:^|[^A-Za-z])(?:redacted|blank|masked|placeholder|sentinel|scrubbed|removed)(?:[^A-Za-z]|$)/i;

function isMarker(value: string): boolean {
  return MARKER.test(value);
}

/** `"api_key"` for `API_KEY`, `"password"` for `password`: the value names its target. */
function sameName(value: string, target: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  const v = norm(value);
  const t = norm(target);
  // `hostwebclient` for `HostWebClientKey`: the value is the name of what the target keys.
  return v.length > 0 && (v === t || t.endsWith(v) || v.endsWith(t) || (v.length >= 4 && t.startsWith(v)));
}
