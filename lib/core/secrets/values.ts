/**
 * What a string value looks like, judged by its shape alone: placeholders that stand
 * for a secret someone still has to fill in, and the many kinds of text that sit in
 * secret-named places without being secrets (labels, messages, keys, paths, URLs,
 * identifiers, digests, public keys). Every check is linear in the value's length.
 */

/** Show at most four characters of a secret, and never more than a quarter of it. */
export function mask(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown)}…`;
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Words that mark a value as something to replace, not a value in use. */
const PLACEHOLDER_WORDS =
  /change[\s_-]?(?:me|it|this)|replace[\s_-]?(?:me|this|with)|your[\s_-]?[\w-]*?(?:key|token|secret|password|pass|pwd|here|id)|^preview[\s_-]|(?:secret|key|token|password)[\s_-]?here|insert[\s_-]?\w*|enter[\s_-]?your|put[\s_-]?your|placeholder|redacted|example|sample|dummy|^(?:todo|tbd|fixme|none|null|nil|undefined|n\/a|empty)$/i;

/** Bare words that stand in for a credential in examples and local setups: `password`, `test`, `admin`. */
const STAND_IN_WORD =
  /^(?:default|secret|password|passwd|token|test|testing|demo|foo|bar|baz|qux|pass|admin|user|username|root|guest|fake|mock|local|dev|changeme|replace|replaceme|tbd|todo|unknown|unset|notset|none|null)[\d!@#.*_-]{0,6}$/i;

/** `<your-key>`, `${VAR}`, `{{var}}`, `{0}`, `%VAR%`, `$VAR`, `$(VAR)`, `#{var}`, `@param`, `:param`, `?`. */
const TEMPLATE_HOLE =
  /^(?:<[^<>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|\{[\w:.-]*\}|%[\w.-]+%|\$\(?[A-Za-z_][\w.]*\)?|#\{[^}]*\}|[@:][A-Za-z_]\w*|\?)$/;

/** Masks and fillers: `xxxx`, `****`, `....`, `____`, `----`, `0000`. */
const FILLER = /^(?:x+|X+|\*+|•+|\.+|_+|-+|#+|0+)$/;

/** Does the value mark a secret still to be filled in (`changeme`, `<your-key>`, `${VAR}`, `xxxx`) rather than hold one? */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (FILLER.test(v) || TEMPLATE_HOLE.test(v)) return true;
  if (PLACEHOLDER_WORDS.test(v)) return true;
  if (/\$\{[^}]*\}|\{\{[^}]*\}\}|%\([\w]+\)s/.test(v)) return true;
  if (/x{5,}|X{5,}|\*{4,}/.test(v)) return true;
  // A short unit typed over and over: `asdfasdfasdf`, `abcabc`, `123123`.
  if (/^(.{1,4})\1+$/.test(v)) return true;
  return distinctCharacters(v) <= 2;
}

/** A placeholder, or a bare stand-in word (`password`, `test`, `admin`) as examples and local setups use. */
export function isStandIn(value: string): boolean {
  return isPlaceholder(value) || STAND_IN_WORD.test(value.trim());
}

function distinctCharacters(value: string): number {
  const seen = new Set<string>();
  for (const ch of value) {
    seen.add(ch.toLowerCase());
    if (seen.size > 2) break;
  }
  return seen.size;
}

const UUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;
const HEX_DIGEST = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/i;
const INTEGRITY = /^(?:sha(?:1|256|384|512)|md5)[-:][A-Za-z0-9+/=]+$/i;
const DATA_URI = /^data:[\w.+-]+\/[\w.+-]+[;,]/i;
const PUBLIC_KEY_PEM = /-----BEGIN (?:RSA |EC |DSA |SSH2 |PGP )?PUBLIC KEY(?: BLOCK)?-----|-----BEGIN CERTIFICATE-----/;
const SSH_PUBLIC_KEY = /^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+) AAAA/;
/** Publishable keys are meant for the browser: Stripe `pk_`, Mailgun `pubkey-`, Flutterwave `FLWPUBK`, Lob `*_pub_`. */
const PUBLISHABLE_KEY = /^(?:pk_(?:live|test)_|pubkey-|FLWPUBK|(?:live|test)_pub_)/;
const URL_WITHOUT_CREDENTIALS = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^\s@/]*(?:[/?#][^\s]*)?$/i;
const PATH = /^(?:~?\/|\.{1,2}\/|[A-Za-z]:\\|\\\\)[^\s]*$|^[a-z0-9._-]+(?:\/[a-z0-9._:{}-]+)+\/?$/;
/** Base64 of random bytes, which can start with or contain `/` without being a path. */
const BASE64_BLOB = /^[A-Za-z0-9+/]{20,}={0,2}$/;
/** `secrets.json`, `id_rsa.pem`, `.env.local`. */
const FILE_NAME =
  /^\.?[\w-]+(?:\.[\w-]+)*\.(?:json|ya?ml|pem|key|crt|cer|pfx|p12|txt|env|local|config|conf|ini|xml|js|ts|cs|pub|jks|keystore)$/i;
/** Dotted or colon-separated keys: `auth.password.required`, `Jwt:Key`, `errors.token-expired`. */
const KEY_PATH = /^[A-Za-z_][\w-]*(?:[.:][A-Za-z_][\w-]*)+$/;
/** camelCase / PascalCase identifiers with at least two words: `passwordInput`, `AuthService`. */
const CAMEL_IDENTIFIER = /^[a-z]+(?:[A-Z][a-z0-9]*)+$|^(?:[A-Z][a-z0-9]+){2,}$/;
/** `SCREAMING_SNAKE` constant and environment-variable names. */
const CONSTANT_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
/** Lower-case word sequences: `auth_token`, `x-api-key`, `current-password`. */
const WORD_SEQUENCE = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+$/;
/** A capitalised word of letters only, as labels and translations are: `Password`, `Passwort`. */
const LABEL_WORD = /^\p{Lu}\p{Ll}+$/u;
/** Regular-expression source: anchors, classes, groups, escapes. */
const REGEX_SOURCE = /^\^|\$$|\(\?[:=!<]|\\[dDwWsSbB]|\[[^\]]*-[^\]]*\]|[^\\][+*]\)|\{\d+,?\d*\}/;
/** `%s`, `%d`, `{0}`, `{name}` holes of a format string. */
const FORMAT_HOLE = /%[-+ #0]*\d*(?:\.\d+)?[sdifoxXeEgGjc]|\{\d+(?:[,:][^}]*)?\}|\{[A-Za-z_]\w*\}/;
/** A word or two in brackets, as a status shown instead of a value: `(configured)`, `[not set]`, `<hidden>`. */
const BRACKETED_LABEL = /^(?:\([\p{L}\s-]+\)|\[[\p{L}\s-]+\]|<[\p{L}\s-]+>)$/u;
/** Only letters outside ASCII make sense as text: translations, labels. */
const NON_ASCII_LETTER = /[^\x00-\x7f]/;

/** Why a value cannot be a secret whatever its name says, or undefined when it could be one. */
export function notASecret(value: string): string | undefined {
  const v = value.trim();
  if (/\s/.test(v)) return "text";
  if (BRACKETED_LABEL.test(v)) return "label";
  if (UUID.test(v)) return "uuid";
  if (HEX_DIGEST.test(v)) return undefined; // decided by the name: a digest under `sha`, a key under `apiKey`
  if (INTEGRITY.test(v)) return "digest";
  if (DATA_URI.test(v)) return "data URI";
  if (PUBLISHABLE_KEY.test(v)) return "publishable key";
  if (URL_WITHOUT_CREDENTIALS.test(v) && !/[?&](?:key|token|sig|secret|password|access_token|api_key)=/i.test(v))
    return "URL";
  if ((PATH.test(v) && !(BASE64_BLOB.test(v) && looksRandom(v))) || FILE_NAME.test(v)) return "path";
  if (KEY_PATH.test(v)) return "key";
  if (CONSTANT_NAME.test(v)) return "identifier"; // environment-variable and constant names
  if (FORMAT_HOLE.test(v)) return "format string";
  if (REGEX_SOURCE.test(v)) return "pattern";
  if (NON_ASCII_LETTER.test(v)) return "text";
  return undefined;
}

/** Public keys and certificates: meant to be shared. */
export function isPublicKeyMaterial(value: string): boolean {
  return PUBLIC_KEY_PEM.test(value) || SSH_PUBLIC_KEY.test(value.trim());
}

export function isLabelWord(value: string): boolean {
  return LABEL_WORD.test(value);
}

/** The words of a value shaped like an identifier (`passwordInput`, `AUTH_TOKEN`, `x-api-key`, `bearer`), else undefined. */
export function identifierWords(value: string): string[] | undefined {
  if (CAMEL_IDENTIFIER.test(value) || WORD_SEQUENCE.test(value) || /^[a-z]+$/.test(value)) return wordsOf(value);
  return undefined;
}

/** Lower-case words of a value or a name: `x-api-key` → x, api, key; `JWTSecret` → jwt, secret. */
export function wordsOf(text: string): string[] {
  return (text.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []).map((w) => w.toLowerCase());
}

/** Does the value look random rather than chosen: long enough, several character classes, high entropy? */
export function looksRandom(value: string): boolean {
  if (value.length < 16) return false;
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/\d/.test(value)) classes++;
  if (/[^A-Za-z0-9]/.test(value)) classes++;
  return classes >= 2 && entropy(value) >= 3.2;
}
