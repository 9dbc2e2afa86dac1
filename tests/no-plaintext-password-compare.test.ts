/**
 * AP202 no-plaintext-password-compare: the equality checks both adapters record, how the
 * rule judges names, and the rule's messages, positions and options through RuleTester
 * with ESLint 9 and 10 and typescript-eslint's RuleTester.
 */
import { after, describe, it, test } from "node:test";
import assert from "node:assert/strict";
import { RuleTester as TsRuleTester } from "@typescript-eslint/rule-tester";
import plugin from "../lib/index.js";
import { parser } from "../lib/parser.js";
import { mayNamePassword, PASSWORD_WORDS, type EqualityCheck, type Operand } from "../lib/core/facts/passwords.js";
import {
  isPasswordCheckName,
  judge,
  judgePin,
  judgeWithin,
  roleOf,
  words,
} from "../lib/rules/no-plaintext-password-compare.js";
import { ESLINT_VERSIONS } from "./helpers/eslint.js";
import { csharpModel, tsModel } from "./helpers/model.js";

const rule = plugin.rules["no-plaintext-password-compare"];

/** `operator | left kind:path | right kind:path`, with `+calls` when an operand was computed. */
function summary(checks: readonly EqualityCheck[]): string[] {
  const operand = (o: Operand) =>
    `${o.kind}:${o.path?.join(".") ?? o.value ?? ""}${o.computed ? `+${o.computed.calls.join(",")}` : ""}`;
  return checks.map((c) => `${c.operator} | ${operand(c.left)} | ${operand(c.right)}`);
}

describe("TS adapter: equality checks", () => {
  test("operators and comparing calls, with operands by kind", () => {
    const code = [
      "if (user.password === password) {}",
      "if (req.body.pwd != null) {}",
      'if (x !== "") {}',
      'if (pass == "letmein") {}',
      "if (a.length === 0) {}",
      "crypto.timingSafeEqual(Buffer.from(pass), Buffer.from(process.env.ADMIN_PASSWORD));",
      "Object.is(a, b); validator.equals(c, d); e.equals(f); isEqual(g, h); safeCompare(i, j);",
      "bcrypt.compare(password, user.passwordHash);",
      "if (a < b || a + b) {}",
    ].join("\n");
    assert.deepEqual(summary(tsModel(code).equalityChecks), [
      "=== | name:user.password | name:password",
      "!= | name:req.body.pwd | null:",
      "!== | name:x | empty:",
      "== | name:pass | string:letmein",
      "=== | name:a.length | literal:",
      "crypto.timingSafeEqual() | name:pass | name:process.env.ADMIN_PASSWORD",
      "Object.is() | name:a | name:b",
      "validator.equals() | name:c | name:d",
      ".equals() | name:e | name:f",
      "isEqual() | name:g | name:h",
      "safeCompare() | name:i | name:j",
    ]);
  });

  test("conversions are looked through; computed values keep their callees and inputs", () => {
    const code = [
      "const digest = crypto.createHash('sha256').update(password + salt).digest('hex');",
      "if (digest === user.passwordHash) {}",
      "if (password.trim().toLowerCase() === `${stored.pwd}`) {}",
      "if (sha256(password) === user.passwordHash) {}",
      "if ((await load()).password === input) {}",
    ].join("\n");
    const checks = tsModel(code).equalityChecks;
    assert.deepEqual(summary(checks), [
      "=== | name:digest+digest,update,crypto.createHash | name:user.passwordHash",
      "=== | name:password | name:stored.pwd",
      "=== | call:+sha256 | name:user.passwordHash",
      "=== | name:password | name:input",
    ]);
    assert.deepEqual(checks[0].left.computed!.inputs, [["password"], ["salt"]]);
    assert.equal(checks[0].loc.start.line, 2);
  });
});

describe("C# adapter: equality checks", () => {
  const method = (body: string) => `class A { bool M() {\n${body}\n} }`;

  test("operators, Equals, Compare, SequenceEqual and FixedTimeEquals", () => {
    const code = method(
      [
        "if (user.Password == model.Password) {}",
        "if (model.Password != null && model.Password != string.Empty) {}",
        'if (Request.Form["password"] == "letmein") {}',
        "if (a.Equals(b) || string.Equals(c, d, StringComparison.Ordinal) || String.Compare(e, f) == 0) {}",
        "if (x.SequenceEqual(y) || CryptographicOperations.FixedTimeEquals(p, q) || StringComparer.Ordinal.Equals(r, s)) {}",
        "if (_hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed) {}",
        '// a == b in a comment, "c == d" in a string',
      ].join("\n"),
    );
    assert.deepEqual(summary(csharpModel(code).equalityChecks), [
      "== | name:user.Password | name:model.Password",
      "!= | name:model.Password | null:",
      "!= | name:model.Password | empty:",
      "== | name:Request.Form.password | string:letmein",
      ".Equals() | name:a | name:b",
      "string.Equals() | name:c | name:d",
      "String.Compare() | name:e | name:f",
      "== | call:+String.Compare | literal:",
      ".SequenceEqual() | name:x | name:y",
      "CryptographicOperations.FixedTimeEquals() | name:p | name:q",
      "StringComparer.Ordinal.Equals() | name:r | name:s",
      "== | call:+_hasher.VerifyHashedPassword | name:PasswordVerificationResult.Failed",
    ]);
  });

  test("`a == b?.C` and `ok && a?.B != c`: the grammar's conditional-access reading is repaired", () => {
    const code = method(
      ["var same = request.Password == user?.Password;", "if (ok && user?.Password != input.Password.Trim()) {}"].join(
        "\n",
      ),
    );
    const checks = csharpModel(code).equalityChecks;
    assert.deepEqual(summary(checks), [
      "== | name:request.Password | name:user.Password",
      "!= | name:user.Password | name:input.Password",
    ]);
    assert.equal(checks[1].left.text, "user?.Password");
  });

  test("locals computed earlier in the method keep their callees; encodings and casts are looked through", () => {
    const code = method(
      [
        "var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(password)));",
        "using var md5 = MD5.Create();",
        "var bytes = md5.ComputeHash(Encoding.UTF8.GetBytes(password));",
        "return hash == user.PasswordHash || bytes.SequenceEqual((byte[])stored) || (string)x == y!;",
      ].join("\n"),
    );
    assert.deepEqual(summary(csharpModel(code).equalityChecks), [
      "== | name:hash+SHA256.HashData,Encoding.UTF8.GetBytes | name:user.PasswordHash",
      ".SequenceEqual() | name:bytes+md5.ComputeHash,Encoding.UTF8.GetBytes | name:stored",
      "== | name:x | name:y",
    ]);
  });
});

describe("password names", () => {
  test("words split camelCase, snake_case, SCREAMING_CASE and run-together password words", () => {
    assert.deepEqual(words("confirmpassword"), ["confirm", "password"]);
    assert.deepEqual(words("PASSWORD_HASH"), ["password", "hash"]);
    assert.deepEqual(words("userPwd2"), ["user", "pwd", "2"]);
  });

  test("roles", () => {
    const role = (...path: string[]) => roleOf(path).role;
    assert.equal(role("user", "password"), "password");
    assert.equal(role("process", "env", "ADMIN_PASSWORD"), "password");
    assert.equal(role("passwordInput", "value"), "password");
    assert.equal(role("txtPassword", "Text"), "password");
    assert.equal(role("user", "passwordHash"), "hash");
    assert.equal(role("hashedPassword"), "hash");
    assert.equal(role("confirmPassword"), "confirm");
    assert.equal(role("password2"), "confirm");
    assert.equal(role("RePassword"), "confirm");
    assert.equal(role("password", "length"), "none");
    assert.equal(role("passwordPolicy"), "none");
    assert.equal(role("passwordResetToken"), "none");
    assert.equal(role("showPassword"), "none");
    assert.equal(role("bypass"), "none");
    assert.equal(role("config", "smtp", "password"), "none");
    assert.equal(role("postgresPassword"), "none");
    assert.equal(role("dbPassword"), "password");
    assert.equal(role("keystorePassword"), "none");
    assert.equal(roleOf(["newPassword"]).supplied, true);
    assert.equal(roleOf(["user", "password"]).supplied, false);
  });

  test("judge", () => {
    const name = (...path: string[]): Operand => ({ text: path.join("."), kind: "name", path });
    const check = (left: Operand, right: Operand): EqualityCheck => ({
      operator: "===",
      left,
      right,
      loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 1 } },
    });
    const string = (value: string): Operand => ({ text: JSON.stringify(value), kind: "string", value });
    assert.equal(judge(check(name("user", "password"), name("password")))?.messageId, "plaintext");
    assert.equal(judge(check(name("user", "passwordHash"), name("password")))?.messageId, "plaintext");
    assert.equal(judge(check(name("hashedPassword"), name("user", "password"))), undefined);
    assert.equal(judge(check(name("password"), string("hunter22")))?.messageId, "hardcoded");
    assert.equal(judge(check(name("password"), string("********"))), undefined);
    assert.equal(judge(check(name("password"), string("changeme"))), undefined);
    assert.equal(judge(check(name("field"), string("password"))), undefined);
    assert.equal(judge(check(name("newPassword"), name("currentPassword"))), undefined);
    assert.equal(judge(check(name("newPassword"), name("user", "password")))?.messageId, "plaintext");
    assert.equal(judge(check(name("details", "password"), name("props", "password"))), undefined);
    assert.equal(judge(check(name("this", "password"), name("old", "password"))), undefined);
    const sha = (inputs: string[][]): Operand => ({
      text: "sha256(…)",
      kind: "call",
      computed: { calls: ["sha256"], inputs },
    });
    assert.deepEqual(judge(check(sha([["password"]]), name("user", "storedDigest"))), {
      messageId: "fastHash",
      hash: "sha256",
    });
    assert.equal(judge(check(sha([["file"]]), name("upload", "checksum"))), undefined);
    const bcryptThenSha: Operand = {
      text: "…",
      kind: "call",
      computed: { calls: ["bcrypt.hashSync", "sha256"], inputs: [["password"]] },
    };
    assert.equal(judge(check(bcryptThenSha, name("user", "passwordHash"))), undefined);
  });
});

describe("the password-check function around a check", () => {
  const within = (checks: readonly EqualityCheck[]) =>
    checks.map((c) =>
      c.within ? `${c.within.name}(${c.within.parameters.join(",")}) [${c.within.calls.join(",")}]` : "-",
    );

  test("TS: each way a function gets its name, with the callbacks' parameters and the calls made inside", () => {
    const code = [
      "function comparePassword(a, b) { return a === b; }",
      "const checkPassword = async (input, stored) => input === stored;",
      "class Auth { verifyPassword(x) { return x === this.password; } isValidPassword = (y) => y === this.password; }",
      "const helpers = { passwordMatches(z) { return z === stored; } };",
      "UserSchema.methods.comparePassword = function (candidate, cb) { bcrypt.compare(candidate, this.password, cb); return candidate === this.password; };",
      'UserSchema.method("checkPassword", function (attempt) { return users.some((u) => u.pwd === attempt); });',
      "function login(a, b) { return a === b; }",
      "const validate = function (a) { return a === b; };",
    ].join("\n");
    assert.deepEqual(within(tsModel(code).equalityChecks), [
      "comparePassword(a,b) []",
      "checkPassword(input,stored) []",
      "verifyPassword(x) []",
      "isValidPassword(y) []",
      "passwordMatches(z) []",
      "comparePassword(candidate,cb) [bcrypt.compare]",
      "checkPassword(attempt,u) [users.some]",
      "-",
      "-",
    ]);
  });

  test("C#: methods and local functions named for a password, with their parameters and calls", () => {
    const code = [
      "class H : IPasswordHasher<User> {",
      "  public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)",
      "  {",
      "    if (hashedPassword == null) return PasswordVerificationResult.Failed;",
      "    return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword) == PasswordVerificationResult.Failed ? Fail() : Ok();",
      "  }",
      "  bool Login(string a, string b) { return a == b; }",
      "  bool Outer(string a) { bool CheckPassword(string c) => c == a; return CheckPassword(a); }",
      "}",
    ].join("\n");
    assert.deepEqual(within(csharpModel(code).equalityChecks), [
      "VerifyHashedPassword(user,hashedPassword,providedPassword) [_inner.VerifyHashedPassword,Fail,Ok]",
      "VerifyHashedPassword(user,hashedPassword,providedPassword) [_inner.VerifyHashedPassword,Fail,Ok]",
      "-",
      "CheckPassword(c) []",
    ]);
  });

  test("check function names", () => {
    for (const name of [
      "comparePassword",
      "checkPassword",
      "verifyPassword",
      "isValidPassword",
      "validatePassword",
      "passwordMatches",
      "VerifyHashedPassword",
      "CheckPasswordAsync",
      "validPassword",
      "isPasswordCorrect",
    ])
      assert.equal(isPasswordCheckName(name), true, name);
    for (const name of [
      "hashPassword",
      "resetPassword",
      "validatePasswordStrength",
      "checkPasswordPolicy",
      "checkPasswordExpired",
      "changedPasswordAfter",
      "checkPasswordResetToken",
      "validateSmtpPassword",
      "checkPasswordHistory",
      "compareUsers",
      "togglePasswordVisibility",
    ])
      assert.equal(isPasswordCheckName(name), false, name);
  });

  test("judgeWithin", () => {
    const name = (...path: string[]): Operand => ({ text: path.join("."), kind: "name", path });
    const literal = (kind: "null" | "empty" | "literal"): Operand => ({ text: "x", kind });
    const check = (left: Operand, right: Operand): EqualityCheck => ({
      operator: "===",
      left,
      right,
      loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 1 } },
    });
    const fn = (name: string, parameters: string[], calls: string[] = []) => ({ name, parameters, calls });
    const compare = fn("comparePassword", ["a", "b"]);
    assert.equal(judgeWithin(check(name("a"), name("b")), compare)?.messageId, "plaintext");
    assert.equal(judgeWithin(check(name("a"), name("this", "password")), compare)?.messageId, "plaintext");
    assert.equal(judgeWithin(check(name("a"), name("user", "secret")), compare)?.messageId, "plaintext");
    assert.equal(
      judgeWithin(check(name("fromDb"), name("fromUser")), fn("comparePassword", ["fromDb", "fromUser"]))?.messageId,
      "plaintext",
    );
    assert.equal(judgeWithin(check(name("a"), name("b", "username")), compare), undefined);
    // Not the secret: lengths, ids, emails, tokens; constants.
    assert.equal(judgeWithin(check(name("a", "length"), name("b", "length")), compare), undefined);
    assert.equal(judgeWithin(check(name("u", "id"), name("a")), compare), undefined);
    assert.equal(judgeWithin(check(name("a"), name("user", "email")), compare), undefined);
    assert.equal(judgeWithin(check(name("a"), name("this", "resetToken")), compare), undefined);
    assert.equal(judgeWithin(check(name("a"), literal("null")), compare), undefined);
    assert.equal(judgeWithin(check(name("a"), literal("empty")), compare), undefined);
    assert.equal(judgeWithin(check(name("a"), literal("literal")), compare), undefined);
    // Neither side from a parameter.
    assert.equal(judgeWithin(check(name("x"), name("this", "password")), compare), undefined);
    // Not a check function; a function that verifies with the hash library.
    assert.equal(judgeWithin(check(name("a"), name("b")), fn("resetPassword", ["a", "b"])), undefined);
    assert.equal(
      judgeWithin(check(name("a"), name("b")), fn("comparePassword", ["a", "b"], ["bcrypt.compare"])),
      undefined,
    );
    assert.equal(
      judgeWithin(check(name("a"), name("b")), fn("VerifyHashedPassword", ["a", "b"], ["_inner.VerifyHashedPassword"])),
      undefined,
    );
    // Delegating to another check: Identity's `base.VerifyPasswordAsync`, whose result is compared with an enum.
    const result: Operand = {
      text: "result",
      kind: "name",
      path: ["result"],
      computed: { calls: ["base.VerifyPasswordAsync"], inputs: [["user"], ["password"]] },
    };
    const checkAsync = fn("CheckPasswordAsync", ["user", "password"]);
    assert.equal(
      judgeWithin(check(result, name("PasswordVerificationResult", "Failed")), {
        ...checkAsync,
        calls: ["base.VerifyPasswordAsync"],
      }),
      undefined,
    );
    assert.equal(judgeWithin(check(result, name("PasswordVerificationResult", "Failed")), checkAsync), undefined);
    assert.equal(
      judgeWithin(check(name("password"), name("user", "Secret")), { ...checkAsync, calls: ["CheckPasswordAsync"] })
        ?.messageId,
      "plaintext",
    );
    // A fast hash of a parameter; a password hash made anew (never equal: not a readable password); a literal.
    const call = (calls: string[]): Operand => ({ text: "…", kind: "call", computed: { calls, inputs: [["a"]] } });
    assert.deepEqual(judgeWithin(check(call(["md5"]), name("b")), compare), { messageId: "fastHash", hash: "md5" });
    assert.equal(judgeWithin(check(call(["bcrypt.hashSync"]), name("b")), compare), undefined);
    assert.equal(judgeWithin(check(call(["hashPassword"]), name("b")), compare), undefined);
    const string = (value: string): Operand => ({ text: JSON.stringify(value), kind: "string", value });
    assert.equal(judgeWithin(check(name("a"), string("Kiosk#2291")), compare)?.messageId, "hardcoded");
    assert.equal(judgeWithin(check(name("a"), string("********")), compare), undefined);
  });

  test("judgePin", () => {
    const name = (...path: string[]): Operand => ({ text: path.join("."), kind: "name", path });
    const check = (left: Operand, right: Operand): EqualityCheck => ({
      operator: "!==",
      left,
      right,
      loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 1 } },
    });
    assert.equal(judgePin(check(name("card", "pin"), name("req", "body", "pin")))?.messageId, "plaintext");
    assert.equal(judgePin(check(name("card", "PinCode"), name("request", "CurrentPin")))?.messageId, "plaintext");
    assert.equal(judgePin(check(name("kiosk", "pin_code"), name("pinCode")))?.messageId, "plaintext");
    assert.equal(judgePin(check(name("pin"), name("expected"))), undefined);
    assert.equal(judgePin(check(name("pin"), name("storedPin"))), undefined);
    assert.equal(judgePin(check(name("request", "NewPin"), name("request", "CurrentPin"))), undefined);
    assert.equal(judgePin(check(name("body", "newPin"), name("body", "confirmPin"))), undefined);
    assert.equal(judgePin(check(name("device", "gpioPin"), name("body", "gpioPin"))), undefined);
    assert.equal(judgePin(check(name("device", "CertificatePin"), name("request", "CertificatePin"))), undefined);
    assert.equal(judgePin(check(name("note", "pinned"), name("body", "pinned"))), undefined);
    assert.equal(judgePin(check(name("card", "pinHash"), name("body", "pin"))), undefined);
    assert.equal(judgePin(check(name("props", "pin"), name("state", "pin"))), undefined);
  });
});

describe("bounded work", () => {
  test("a large file with many checks stays linear", { timeout: 120_000 }, () => {
    const line = "if (user.password === password || a == null || sha256(password) === user.passwordHash) {}\n";
    const code = line.repeat(5000);
    assert.equal(tsModel(code).equalityChecks.length, 15000);
    const cs = `class A { bool M() {\n${"if (user.Password == model.Password || a == null || string.Equals(b, c)) {}\n".repeat(5000)}} }`;
    assert.equal(csharpModel(cs).equalityChecks.length, 15000);
  });

  test("many password-check functions: each check knows its own, up to the C# cap", { timeout: 120_000 }, () => {
    const ts = tsModel(
      Array.from({ length: 3000 }, (_, i) => `function checkPassword${i}(a, b) { return a === b; }`).join("\n"),
    ).equalityChecks;
    assert.equal(ts.length, 3000);
    assert.ok(ts.every((c, i) => c.within?.name === `checkPassword${i}`));
    const cs = csharpModel(
      `class A {\n${Array.from({ length: 3000 }, (_, i) => `bool CheckPassword${i}(string a, string b) => a == b;`).join("\n")}\n}`,
    ).equalityChecks;
    assert.equal(cs.length, 3000);
    assert.equal(cs.filter((c) => c.within).length, 64);
    assert.ok(cs.slice(0, 64).every((c, i) => c.within?.name === `CheckPassword${i}`));
  });

  test("deep member chains and nested conversions are described without recursion", () => {
    // As deep as the TypeScript parser itself goes; the adapter walks them in loops.
    const chain = `a${".b".repeat(500)}.password`;
    const conversions = `${"String(".repeat(500)}password${")".repeat(500)}`;
    const checks = tsModel(`if (${chain} === ${conversions}) {}`).equalityChecks;
    assert.equal(checks.length, 1);
    assert.equal(checks[0].left.path?.length, 502);
    assert.deepEqual(checks[0].right.path, ["password"]);
    const cs = csharpModel(
      `class A { bool M() => a${".B".repeat(2000)}.Password == ${"(".repeat(2000)}password${")".repeat(2000)}; }`,
    ).equalityChecks;
    assert.equal(cs[0].left.path?.length, 2002);
    assert.deepEqual(cs[0].right.path, ["password"]);
  });
});

const SUFFIX = "SOC 2 CC6.1.";
const TS_FIX =
  "Fix: store a bcrypt, argon2 or scrypt hash and check it with `await bcrypt.compare(password, user.passwordHash)` or `await argon2.verify(user.passwordHash, password)`.";
const CS_FIX =
  "Fix: store `PasswordHasher<TUser>.HashPassword(user, password)` and check it with `hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed`.";
const PLAINTEXT =
  "compares a password as plain text: a password that can be compared directly can be read by anyone with access to the database, a backup or the configuration. Store only a salted password hash and check it with the hash library's verify function.";
const HARDCODED =
  "checks a password against a value written in the code: everyone who can read the source knows it, and it cannot be changed without a release. Keep a salted password hash in the user store or configuration and check it with the hash library's verify function.";
const fastHash = (hash: string) =>
  `checks a password through a fast hash (${hash}): SHA and MD5 digests of leaked passwords are brute-forced at billions of guesses per second, salted or not. Use a slow, salted password hash and its verify function.`;
const tsMessage = (check: string, text: string) => `AP202 ${check} ${text} ${SUFFIX} ${TS_FIX}`;
const csMessage = (check: string, text: string) => `AP202 ${check} ${text} ${SUFFIX} ${CS_FIX}`;

const service = (body: string) =>
  `import { db } from "./db";\nexport async function login(email: string, password: string) {\n  const user = await db.users.findOne({ email });\n${body}\n}\n`;

const tsCases = {
  valid: [
    { code: service("  return bcrypt.compare(password, user.passwordHash);") },
    { code: service("  if (password !== confirmPassword) return false;") },
    { code: service("  if (user.password == null || password.length === 0) return false;") },
    { code: service('  if (field.type === "password") return false;') },
    // Test code is left alone by default.
    { code: service("  return user.password === password;"), filename: "src/auth.spec.ts" },
  ],
  invalid: [
    {
      code: service("  return user.password === password;"),
      errors: [
        { message: tsMessage("user.password === password", PLAINTEXT), line: 4, column: 10, endLine: 4, endColumn: 36 },
      ],
    },
    {
      code: service('  if (password === "Winter2024!") return true;'),
      errors: [
        { message: tsMessage('password === "Wint…"', HARDCODED), line: 4, column: 7, endLine: 4, endColumn: 33 },
      ],
    },
    {
      code: service('  return crypto.createHash("md5").update(password).digest("hex") === user.passwordHash;'),
      errors: [
        {
          message: tsMessage(
            'crypto.createHash("md5").update(password).digest("hex") === user.passwordHash',
            fastHash("crypto.createHash"),
          ),
          line: 4,
          column: 10,
        },
      ],
    },
    {
      code: service("  return crypto.timingSafeEqual(Buffer.from(password), Buffer.from(user.password));"),
      errors: [
        {
          message: tsMessage("crypto.timingSafeEqual(Buffer.from(password), Buffer.from(user.password))", PLAINTEXT),
          line: 4,
          column: 10,
        },
      ],
    },
    {
      code: service("  return user.password === password;"),
      filename: "src/auth.spec.ts",
      options: [{ includeTestFiles: true }],
      errors: [{ messageId: "plaintext" }],
    },
  ],
};

const csService = (body: string) =>
  `public class UserService\n{\n    public bool Check(AppUser user, string password)\n    {\n${body}\n    }\n}\n`;

const csCases = {
  valid: [
    {
      code: csService(
        "        return _hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;",
      ),
    },
    { code: csService("        return model.NewPassword == model.ConfirmPassword;") },
    { code: csService("        return string.IsNullOrEmpty(password) || user.Password == null;") },
    { code: csService("        return user.Password == password;"), filename: "tests/Shop.Tests/UserServiceTests.cs" },
  ],
  invalid: [
    {
      code: csService("        return user.Password == password;"),
      errors: [
        { message: csMessage("user.Password == password", PLAINTEXT), line: 5, column: 16, endLine: 5, endColumn: 41 },
      ],
    },
    {
      code: csService("        return string.Equals(user.Password, password, StringComparison.Ordinal);"),
      errors: [{ message: csMessage("string.Equals(user.Password, password)", PLAINTEXT), line: 5, column: 16 }],
    },
    {
      code: csService(
        "        return user.PasswordHash == Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(password)));",
      ),
      errors: [
        {
          message: csMessage(
            "user.PasswordHash == Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(…",
            fastHash("SHA256.HashData"),
          ),
          line: 5,
          column: 16,
        },
      ],
    },
    {
      code: csService('        return password == "P@ssw0rd!";'),
      errors: [{ message: csMessage('password == "P@ss…"', HARDCODED), line: 5, column: 16 }],
    },
    {
      code: csService("        return user.Password == password;"),
      filename: "tests/Shop.Tests/UserServiceTests.cs",
      options: [{ includeTestFiles: true }],
      errors: [{ messageId: "plaintext" }],
    },
  ],
};

for (const version of ESLINT_VERSIONS) {
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).describe = describe;
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).it = it;
  (version.RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown }).itOnly = it.only;

  describe(`no-plaintext-password-compare, TypeScript (${version.label})`, () => {
    const tester = new version.RuleTester({ plugins: { "api-posture": plugin }, languageOptions: { parser } });
    tester.run("no-plaintext-password-compare", rule, {
      valid: tsCases.valid.map((c) => ({ filename: "src/auth.ts", ...c })),
      invalid: tsCases.invalid.map((c) => ({ filename: "src/auth.ts", ...c })),
    });
  });

  describe(`no-plaintext-password-compare, C# (${version.label})`, () => {
    const tester = new version.RuleTester({
      plugins: { "api-posture": plugin },
      language: "api-posture/csharp",
    });
    tester.run("no-plaintext-password-compare", rule, {
      valid: csCases.valid.map((c) => ({ filename: "Services/UserService.cs", ...c })),
      invalid: csCases.invalid.map((c) => ({ filename: "Services/UserService.cs", ...c })),
    });
  });
}

describe("no-plaintext-password-compare with typescript-eslint's RuleTester", () => {
  TsRuleTester.afterAll = after;
  TsRuleTester.describe = describe;
  TsRuleTester.it = it;
  TsRuleTester.itOnly = it.only;
  new TsRuleTester().run("no-plaintext-password-compare", rule as never, {
    valid: [{ ...tsCases.valid[0], filename: "auth.ts" }],
    invalid: [{ ...tsCases.invalid[0], filename: "auth.ts" }] as never,
  });
  new TsRuleTester({ plugins: { "api-posture": plugin }, language: "api-posture/csharp" }).run(
    "no-plaintext-password-compare (C#)",
    rule as never,
    {
      valid: [{ ...csCases.valid[0], filename: "UserService.cs" }],
      invalid: [{ ...csCases.invalid[0], filename: "UserService.cs" }] as never,
    },
  );
});

describe("files that never spell a password word", () => {
  it("are skipped only when no password word can occur in them", () => {
    for (const word of PASSWORD_WORDS) {
      for (const spelled of [
        word,
        word.toUpperCase(),
        `${word[0].toUpperCase()}${word.slice(1)}`,
        `user_${word}_hash`,
      ]) {
        assert.equal(mayNamePassword(`if (a.${spelled} === b) {}`), true, spelled);
      }
    }
    assert.equal(mayNamePassword("if (user.email === input.email) return true;"), false);
    for (const pin of ["card.pin", "card.Pin", "PinCode", "pin_code", "PIN"])
      assert.equal(mayNamePassword(`if (a.${pin} === b) {}`), true, pin);
    for (const other of ["spinner", "mapping", "pinned", "isPinned", "Ping"])
      assert.equal(mayNamePassword(`if (a.${other} === b) {}`), false, other);
  });
});
