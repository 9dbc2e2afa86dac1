/**
 * AP202 no-plaintext-password-compare: a password checked by equality instead of a
 * password-hash verify function.
 *
 * The adapters record every equality check with its operands' names; this rule decides
 * from the names which checks are password checks:
 *  - a password compared with a password (`user.password === password`), or a raw
 *    password with a stored hash field (`user.passwordHash === password`): plain text;
 *  - a password compared with a string written in the code (`password === "hunter2"`);
 *  - a password or password-hash field compared with the output of a fast hash
 *    (`sha256(password) === user.passwordHash`, `SHA256.HashData(…)`, `createHash`,
 *    HMAC): a digest is not a password hash, it is brute-forced at billions of guesses
 *    per second;
 *  - inside a password-check function (`comparePassword(a, b)`, Mongoose
 *    `schema.methods.comparePassword`, C# `VerifyHashedPassword`, from the enclosing
 *    function the adapters record), a comparison of its parameters whose names do not
 *    say otherwise (`candidate === this.password`), unless the function verifies with a
 *    password-hash library itself or delegates to another password check;
 *  - a stored password or password-hash field compared with the client's request input,
 *    whatever the local is called (`account.pwd !== input` after `const { pwd: input } = req.body`;
 *    the adapters mark request input with the path read from the request);
 *  - a stored PIN compared with a supplied one (`card.pin !== req.body.pin`).
 * Not reported: null, empty and length checks, confirmations (`password === confirmPassword`,
 * `NewPassword == ConfirmPassword`, `password2`), two supplied passwords
 * (`newPassword === currentPassword`), values produced by password-hash functions or by
 * functions the rule cannot see into (`hashPassword(password) === user.passwordHash`),
 * field names and policies (`field === "password"`, `passwordPolicy === "strict"`).
 */
import { createRule, type NoOptions } from "../core/create-rule.js";
import type { RuleDescriptor } from "../core/descriptor.js";
import { PASSWORD_WORDS, type EnclosingFunction, type EqualityCheck, type Operand } from "../core/facts/passwords.js";
import type { Language } from "../core/model.js";

export const descriptor: RuleDescriptor = {
  id: "AP202",
  name: "no-plaintext-password-compare",
  title: "Passwords are verified with a password hash, not compared as text",
  description:
    "A password compared as plain text (`===`, `==`, `.Equals`, `string.Compare`) or through a fast hash, instead of a password-hash verify function.",
  severity: "high",
  soc2: ["CC6.1"],
  owasp: ["API2:2023 Broken Authentication"],
  cwe: "CWE-256",
  remediation:
    "Store passwords only as salted hashes (bcrypt, argon2, scrypt, ASP.NET Core Identity's PasswordHasher) and check them with the library's verify function, which compares in constant time.",
};

/** No options of its own: `includeTestFiles` comes with `skipsTestFiles`. */
export type Options = NoOptions;

export type MessageIds = "plaintext" | "hardcoded" | "fastHash";

type Role = "password" | "hash" | "confirm" | "none";

interface NameRole {
  role: Role;
  /** `newPassword`, `OldPassword`, `currentPassword`: one of two passwords the caller supplies. */
  supplied: boolean;
}

/** Words after the password word that still name the password itself: `passwordInput`, `password_plain`. */
const VALUE_WORDS = new Set([
  "plain",
  "plaintext",
  "text",
  "input",
  "value",
  "raw",
  "clear",
  "cleartext",
  "candidate",
  "attempt",
  "given",
  "provided",
  "supplied",
  "entered",
  "typed",
  "str",
  "string",
  "param",
]);
const HASH_WORDS = new Set([
  "hash",
  "hashed",
  "digest",
  "encrypted",
  "enc",
  "crypted",
  "salted",
  "bcrypt",
  "argon",
  "scrypt",
  "pbkdf",
]);
const CONFIRM_WORDS = new Set([
  // `cpassword`, `cPassword`, `conf_password`: the confirmation field of a sign-up form.
  "c",
  "conf",
  "confirm",
  "confirmation",
  "confirmed",
  "repeat",
  "repeated",
  "retype",
  "retyped",
  "again",
  "re",
  "verify",
  "verification",
  "check",
  "second",
]);
const SUPPLIED_WORDS = new Set(["new", "old", "current", "previous", "prev"]);
/** Words before the password word that make the name a flag or a setting, not the password. */
const NOT_A_VALUE_WORDS = new Set([
  "is",
  "has",
  "should",
  "can",
  "must",
  "needs",
  "show",
  "hide",
  "toggle",
  "min",
  "max",
  "use",
  "allow",
  "require",
  "requires",
]);
/** Trailing accessors that return the value of a control holding the password: `passwordInput.value`, `txtPassword.Text`. */
const ACCESSORS = new Set(["value", "current", "text", "val", "nativeelement"]);
/** Objects compared to detect a change (`details.password !== props.password`, `old.password !== doc.password`), not to verify anything. */
const CHANGE_STATE = new Set([
  "props",
  "prevProps",
  "nextProps",
  "state",
  "prevState",
  "nextState",
  "previous",
  "prev",
  "original",
  "initial",
  "old",
  "before",
  "next",
  "updated",
  "changed",
  "changes",
]);
/**
 * Credentials the application presents to other systems rather than checks: a mail
 * server's, a database's, a certificate store's. They must stay readable, and comparing
 * them (`config.smtp.password !== previous.smtp.password`) verifies no one.
 */
const SERVICE_WORDS = new Set([
  // Not "db": `dbPassword` is as often the stored user password read back for a login check.
  "smtp",
  "mail",
  "imap",
  "pop",
  "database",
  "postgres",
  "mysql",
  "sql",
  "redis",
  "mongo",
  "mongodb",
  "ldap",
  "ftp",
  "sftp",
  "proxy",
  "keystore",
  "truststore",
  "pfx",
  "p12",
  "pkcs12",
  "cert",
  "certificate",
  "wifi",
  "zip",
  "archive",
  "pdf",
  "sudo",
]);
/** Strings that stand for no password: type names, field names, placeholders. */
const NOT_A_PASSWORD =
  /^(?:undefined|null|none|nil|true|false|string|object|password|passwd|pwd|pass|secret|hidden|text|changeme|placeholder|redacted|masked|empty|default)$/i;

/** Fast digests and MACs: Node's `createHash`/`createHmac`/`subtle.digest`, CryptoJS, js-sha256, .NET `SHA256.HashData`/`ComputeHash`, `ComputeMd5Hash()` helpers. */
const FAST_HASH =
  /^(?:createhash|createhmac|computehash|hashdata|digest|hasha|hmac\w*|ripemd\d*|blake\w*|sha)$|md[45]|sha(?:1|224|256|384|512|3)/;
/** Password-hash functions: a comparison of their output is how some of them verify. */
const PASSWORD_HASH =
  /^(?:bcrypt\w*|argon2?\w*|scrypt\w*|pbkdf2?\w*|rfc2898derivebytes|keyderivation|hashpassword|verifyhashedpassword|crypt|sodium\w*|pwhash\w*)$/;
/** Calls that transform a value into something other than the password. */
const TRANSFORMS = /hash|crypt|digest|deriv|pbkdf|scrypt|argon|cipher|hmac|sign|encode/i;

const REMEDY: Record<Language, string> = {
  ts: "store a bcrypt, argon2 or scrypt hash and check it with `await bcrypt.compare(password, user.passwordHash)` or `await argon2.verify(user.passwordHash, password)`.",
  csharp:
    "store `PasswordHasher<TUser>.HashPassword(user, password)` and check it with `hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed`.",
};

export function words(name: string): string[] {
  const raw = (name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g) ?? []).map((w) => w.toLowerCase());
  // `confirmpassword`, `passwordhash`: split the long password words out of run-together names.
  return raw.flatMap((w) => {
    const match = /^(.*?)(password|passwd|passphrase)(.*)$/.exec(w);
    return match && w !== match[2] ? [match[1], match[2], match[3]].filter((part) => part !== "") : [w];
  });
}

/** What a member path names, judged by its last meaningful name. */
export function roleOf(path: readonly string[]): NameRole {
  let i = path.length - 1;
  while (i > 0 && ACCESSORS.has(path[i].toLowerCase())) i--;
  const w = words(path[i] ?? "");
  let p = -1;
  for (let j = w.length - 1; j >= 0 && p < 0; j--) if (PASSWORD_WORDS.has(w[j])) p = j;
  if (p < 0) return { role: "none", supplied: false };
  const before = w.slice(0, p);
  const after = w.slice(p + 1);
  if (
    before.some((x) => SERVICE_WORDS.has(x)) ||
    path.slice(0, i).some((name) => words(name).some((x) => SERVICE_WORDS.has(x)))
  )
    return { role: "none", supplied: false };
  if (after.some((x) => CONFIRM_WORDS.has(x) || /^\d+$/.test(x)) || before.some((x) => CONFIRM_WORDS.has(x)))
    return { role: "confirm", supplied: false };
  if (after.some((x) => HASH_WORDS.has(x)) || before.some((x) => HASH_WORDS.has(x)))
    return { role: "hash", supplied: false };
  if (after.some((x) => !VALUE_WORDS.has(x)) || before.some((x) => NOT_A_VALUE_WORDS.has(x)))
    return { role: "none", supplied: false };
  return { role: "password", supplied: before.some((x) => SUPPLIED_WORDS.has(x)) };
}

/** The fast hash a value went through, as written (`crypto.createHash`, `SHA256.HashData`), unless a password hash is involved too. */
function fastHashOf(operand: Operand): string | undefined {
  if (!operand.computed) return undefined;
  const segments = operand.computed.calls.map((call) =>
    call.split(/[.\s]+/).map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, "")),
  );
  if (segments.some((parts) => parts.some((s) => PASSWORD_HASH.test(s)))) return undefined;
  // `digest()` ends most chains: name the call that chose the algorithm when there is one.
  const index = segments.findIndex((parts) => parts.some((s) => FAST_HASH.test(s) && s !== "digest"));
  const found = index >= 0 ? index : segments.findIndex((parts) => parts.includes("digest"));
  return found >= 0 ? operand.computed.calls[found] : undefined;
}

/** Verbs that make a function named for a password one that checks it: `comparePassword`, `isValidPassword`, `passwordMatches`. */
const CHECK_VERBS = new Set([
  "compare",
  "compares",
  "check",
  "checks",
  "verify",
  "verifies",
  "validate",
  "validates",
  "valid",
  "match",
  "matches",
  "matching",
  "correct",
  "equals",
  "authenticate",
]);
/** Words that make such a function check something else about a password: its strength, age, history or form. */
const NOT_A_CHECK_WORDS = new Set([
  "strength",
  "strong",
  "weak",
  "policy",
  "policies",
  "complexity",
  "rule",
  "rules",
  "requirement",
  "requirements",
  "format",
  "pattern",
  "regex",
  "length",
  "expired",
  "expiry",
  "expires",
  "expiration",
  "age",
  "reset",
  "change",
  "changed",
  "history",
  "reuse",
  "reused",
  "breached",
  "pwned",
  "leaked",
  "compromised",
  "confirm",
  "confirmation",
  "field",
  "visibility",
  "form",
  "input",
]);
/**
 * Names of values that are not the secret even inside a password check: the account it
 * belongs to, its metadata, sizes, types, the hash's parameters, and tokens (a reset or
 * one-time token compared as text is a timing weakness, not a readable password). Not
 * "user": `fromUser`, `byUser` name where a value came from.
 */
const NOT_A_SECRET_WORDS = new Set([
  "id",
  "ids",
  "uid",
  "guid",
  "key",
  "email",
  "mail",
  "username",
  "name",
  "login",
  "role",
  "roles",
  "type",
  "kind",
  "status",
  "state",
  "length",
  "size",
  "count",
  "index",
  "date",
  "time",
  "at",
  "expires",
  "expiry",
  "attempts",
  "tries",
  "provider",
  "method",
  "algorithm",
  "algo",
  "version",
  "salt",
  "iterations",
  "rounds",
  "cost",
  "format",
  "mode",
  "enabled",
  "locked",
  "scheme",
  "prefix",
  "token",
  "result",
  "results",
  "outcome",
  "verification",
  "otp",
  "totp",
  "nonce",
  "code",
]);
/** Calls that verify a password with a password-hash library: `bcrypt.compare`, `argon2.verify`, `hasher.VerifyHashedPassword`, `BCrypt.Verify`. */
const VERIFY_CALL =
  /(?:^|\.)verifyhashedpassword$|(?:bcrypt|argon|scrypt|hasher|sodium|pbkdf)\w*\.(?:\w+\.)*(?:compare|comparesync|verify|verifysync|enhancedverify|checkpw|verifypassword)$/;

/** Whether a function's name says it checks a password: `comparePassword`, `isValidPassword`, `VerifyHashedPassword`. */
export function isPasswordCheckName(name: string): boolean {
  const w = words(name);
  return (
    w.some((x) => PASSWORD_WORDS.has(x)) &&
    w.some((x) => CHECK_VERBS.has(x)) &&
    !w.some((x) => NOT_A_CHECK_WORDS.has(x) || SERVICE_WORDS.has(x))
  );
}

/**
 * A check that is a password check because of the function it is made in: inside
 * `comparePassword(candidate)`, `candidate === this.password` compares the password even
 * though `candidate` is not named for one. At least one side must be one of the function's
 * parameters (or read from one), neither side may be named for something other than the
 * secret (an id, an email, a length, a token), and the function must not verify with a
 * password-hash library itself.
 */
export function judgeWithin(check: EqualityCheck, within: EnclosingFunction): Finding | undefined {
  if (!isPasswordCheckName(within.name)) return undefined;
  // A library's verify function, or another password check it delegates to (`base.VerifyPasswordAsync`, `this.verifyPassword`).
  if (
    within.calls.some((call) => {
      const last = call.split(".").at(-1) ?? "";
      return VERIFY_CALL.test(call.toLowerCase()) || (last !== within.name && isPasswordCheckName(last));
    })
  )
    return undefined;
  const { left, right } = check;
  const parameters = new Set(within.parameters);
  const fromParameter = (o: Operand): boolean =>
    (o.path !== undefined && parameters.has(o.path[0])) ||
    (o.computed?.inputs.some((input) => parameters.has(input[0])) ?? false);
  const secretLike = (o: Operand): boolean => {
    if (!o.path) return o.kind === "call" || o.kind === "string";
    if (o.path.slice(0, -1).some((name) => CHANGE_STATE.has(name))) return false;
    const role = roleOf(o.path).role;
    if (role === "confirm") return false;
    if (role !== "none") return true;
    let i = o.path.length - 1;
    while (i > 0 && ACCESSORS.has(o.path[i].toLowerCase())) i--;
    return !words(o.path[i]).some((x) => NOT_A_SECRET_WORDS.has(x) || SERVICE_WORDS.has(x));
  };
  if (![left, right].some(fromParameter) || ![left, right].every(secretLike)) return undefined;
  for (const mine of [left, right]) {
    const hash = fastHashOf(mine);
    if (hash) return { messageId: "fastHash", hash };
  }
  if ([left, right].some(isTransformed)) return undefined;
  const literal = [left, right].find((o) => o.kind === "string");
  if (literal) return isPasswordLiteral(literal.value ?? "") ? { messageId: "hardcoded" } : undefined;
  const [a, b] = [left, right].map((o) => (o.path ? roleOf(o.path) : { role: "none", supplied: false })) as [
    NameRole,
    NameRole,
  ];
  if (a.supplied && b.supplied) return undefined;
  return { messageId: "plaintext" };
}

/** Words around `pin` that make it a pin of something else: a board's, a certificate's, a map's, a message's. */
const NOT_A_PIN_WORDS = new Set([
  "gpio",
  "led",
  "pwm",
  "analog",
  "digital",
  "output",
  "board",
  "cert",
  "certificate",
  "ssl",
  "tls",
  "spki",
  "public",
  "key",
  "sha",
  "map",
  "marker",
  "location",
  "chat",
  "message",
  "post",
  "tab",
  "note",
]);

/** Whether a member path names a PIN: `user.pin`, `card.Pin`, `account.PinCode`, `body.pin_code`, `req.body.pin`. */
function isPinPath(path: readonly string[]): boolean {
  let i = path.length - 1;
  while (i > 0 && ACCESSORS.has(path[i].toLowerCase())) i--;
  const w = words(path[i] ?? "").flatMap((x) => (x === "pincode" ? ["pin", "code"] : [x]));
  const p = w.indexOf("pin");
  if (p < 0) return false;
  const before = w.slice(0, p);
  const after = w.slice(p + 1);
  const outside = (x: string): boolean =>
    NOT_A_PIN_WORDS.has(x) ||
    SERVICE_WORDS.has(x) ||
    CONFIRM_WORDS.has(x) ||
    NOT_A_VALUE_WORDS.has(x) ||
    HASH_WORDS.has(x);
  return (
    after.every((x) => x === "code" || x === "number" || VALUE_WORDS.has(x)) &&
    !before.some(outside) &&
    !path.slice(0, i).some((name) => words(name).some(outside))
  );
}

/**
 * A PIN is a credential too, but the word is also a board's, a certificate's or a map's:
 * it counts only as a stored PIN compared with a supplied one, both named for a PIN, one of
 * them a property of a record (`user.pin === req.body.pin`, `card.Pin == request.Pin`).
 */
export function judgePin(check: EqualityCheck): Finding | undefined {
  const { left, right } = check;
  if (left.kind !== "name" || right.kind !== "name" || !left.path || !right.path) return undefined;
  if ([left, right].some(isTransformed)) return undefined;
  if (!isPinPath(left.path) || !isPinPath(right.path)) return undefined;
  if ([left.path, right.path].some((path) => path.slice(0, -1).some((name) => CHANGE_STATE.has(name))))
    return undefined;
  if (left.path.length < 2 && right.path.length < 2) return undefined;
  // `newPin !== currentPin`: two PINs the caller supplies.
  const supplied = (path: readonly string[]): boolean => words(path.at(-1) ?? "").some((x) => SUPPLIED_WORDS.has(x));
  if (supplied(left.path) && supplied(right.path)) return undefined;
  return { messageId: "plaintext" };
}

/** A value computed by a call that changes it (a hash, a cipher), as opposed to one that fetches it (`getPassword()`). */
function isTransformed(operand: Operand): boolean {
  if (operand.kind === "call") return true;
  return operand.computed !== undefined && operand.computed.calls.some((c) => TRANSFORMS.test(c));
}

function involvesPassword(operand: Operand): boolean {
  if (operand.path && roleOf(operand.path).role !== "none") return true;
  return (
    operand.computed?.inputs.some((input) => roleOf(input).role === "password" || roleOf(input).role === "hash") ??
    false
  );
}

/** A literal that is a password rather than a placeholder, a type name or a masked value. */
function isPasswordLiteral(value: string): boolean {
  return (
    value.length >= 4 && !NOT_A_PASSWORD.test(value) && !/^(.)\1*$/s.test(value) && !/^[<{$%[].*[>}\]%]$/s.test(value)
  );
}

/** The operand as shown in a message: string literals masked to their first four characters. */
function shown(operand: Operand): string {
  if (operand.kind !== "string" || operand.value === undefined) return operand.text;
  return operand.value.length > 4 ? `"${operand.value.slice(0, 4)}…"` : '"…"';
}

function shownCheck(check: EqualityCheck): string {
  const left = shown(check.left);
  const right = shown(check.right);
  if (/^[!=]=/.test(check.operator)) return `${left} ${check.operator} ${right}`;
  if (check.operator.startsWith(".")) return `${left}${check.operator.slice(0, -1)}${right})`;
  return `${check.operator.slice(0, -1)}${left}, ${right})`;
}

type Finding = { messageId: "plaintext" | "hardcoded"; hash?: undefined } | { messageId: "fastHash"; hash: string };

/** Whether a check is a password check, and which kind of finding it is. */
export function judge(check: EqualityCheck): Finding | undefined {
  const { left, right } = check;
  const operands = [left, right];
  if (operands.some((o) => o.kind === "null" || o.kind === "empty" || o.kind === "literal" || o.kind === "other"))
    return undefined;
  for (const [mine, other] of [
    [left, right],
    [right, left],
  ] as const) {
    const hash = fastHashOf(mine);
    if (hash && (involvesPassword(mine) || involvesPassword(other))) return { messageId: "fastHash", hash };
  }
  if (operands.some(isTransformed)) return undefined;
  const roles = operands.map((o) => (o.path ? roleOf(o.path) : { role: "none", supplied: false }));
  const [a, b] = roles as [NameRole, NameRole];
  if (a.role === "confirm" || b.role === "confirm") return undefined;
  if (a.supplied && b.supplied) return undefined;
  const literal = operands.find((o) => o.kind === "string");
  if (literal) {
    const named = roles[literal === left ? 1 : 0];
    return named.role === "password" && isPasswordLiteral(literal.value ?? "") ? { messageId: "hardcoded" } : undefined;
  }
  if (operands.some((o) => o.path?.slice(0, -1).some((name) => CHANGE_STATE.has(name)))) return undefined;
  if (a.role === "password" && b.role === "password") return { messageId: "plaintext" };
  // A supplied password against a stored hash field (`user.passwordHash === password`); a
  // local hash (`hashed === user.password`) comes from a function the rule cannot see into.
  const hashSide =
    a.role === "hash" && b.role === "password" ? left : b.role === "hash" && a.role === "password" ? right : undefined;
  if (hashSide && (hashSide.path?.length ?? 0) > 1) return { messageId: "plaintext" };
  // A stored password or password-hash field checked against what the client sent, whatever
  // the local holding it is called: `account.pwd !== input` after `const { pwd: input } = req.body`.
  const stored = (o: Operand, role: NameRole): boolean =>
    o.request === undefined && (o.path?.length ?? 0) > 1 && (role.role === "password" || role.role === "hash");
  if ((stored(left, a) && right.request) || (stored(right, b) && left.request)) return { messageId: "plaintext" };
  return undefined;
}

export default createRule<Options, MessageIds>({
  descriptor,
  meta: {
    type: "problem",
    messages: {
      plaintext:
        "{{check}} compares a password as plain text: a password that can be compared directly can be read by anyone with access to the database, a backup or the configuration. Store only a salted password hash and check it with the hash library's verify function.",
      hardcoded:
        "{{check}} checks a password against a value written in the code: everyone who can read the source knows it, and it cannot be changed without a release. Keep a salted password hash in the user store or configuration and check it with the hash library's verify function.",
      fastHash:
        "{{check}} checks a password through a fast hash ({{hash}}): SHA and MD5 digests of leaked passwords are brute-forced at billions of guesses per second, salted or not. Use a slow, salted password hash and its verify function.",
    },
    schema: [{ type: "object", properties: {}, additionalProperties: false }],
    defaultOptions: [{}],
  },
  skipsTestFiles: true,
  create(context) {
    const { model } = context;
    for (const check of model.equalityChecks) {
      const finding = judge(check) ?? (check.within ? judgeWithin(check, check.within) : undefined) ?? judgePin(check);
      if (!finding) continue;
      context.report({
        loc: check.loc,
        messageId: finding.messageId,
        data: { check: shownCheck(check), hash: finding.hash ?? "" },
        remedy: REMEDY[model.language],
      });
    }
  },
});
