/**
 * AP202 facts: equality checks between two values, each value described by its names
 * and its kind. The adapters record every equality check they recognise; the rule
 * decides from the names which ones check a password.
 */
import type { Loc } from "../model.js";

/** The words that make a name a password's (`password`, `pwd`, …); AP202 judges names by them. */
export const PASSWORD_WORDS: ReadonlySet<string> = new Set([
  "password",
  "passwd",
  "pwd",
  "pw",
  "pass",
  "passphrase",
  "passcode",
  "pword",
]);

/** Every password word holds one of these letters, in any case. */
const PASSWORD_HINT = /p(?:ass|w)/i;
/** A PIN, as a word of its own: `pin`, `card.Pin`, `PinCode`, `pin_code`, `PIN` (not `spinner`, `mapping`, `pinned`). */
const PIN_HINT = /(?:^|[^a-z])pin(?![a-z])|Pin(?![a-z])|PIN/;

/**
 * Whether the text can name a password (or a PIN) at all. A file that never spells one holds no
 * password check, so the adapters skip recording its equality checks (most files; on an
 * ASP.NET Core service four in five).
 */
export function mayNamePassword(text: string): boolean {
  return PASSWORD_HINT.test(text) || PIN_HINT.test(text);
}

export type OperandKind =
  /** A variable, field, property or element read: `password`, `user.Password`, `req.body["pwd"]`. */
  | "name"
  /** A string literal (its value in `value`). */
  | "string"
  /** Any other literal: numbers, booleans. */
  | "literal"
  /** `null`, `undefined`, `default`. */
  | "null"
  /** `""`, `string.Empty`. */
  | "empty"
  /** A call or construction whose result is compared. */
  | "call"
  | "other";

/** How a value was computed: the functions it went through and the names it was computed from. */
export interface Computation {
  /** Every callee in the expression, as written, outermost first: `crypto.createHash`, `update`, `digest`; `SHA256.HashData`. */
  calls: string[];
  /** Member paths of the names passed to those calls: `[["req", "body", "password"], ["user", "salt"]]`. */
  inputs: string[][];
}

export interface Operand {
  /** Source text, on one line and shortened. */
  text: string;
  kind: OperandKind;
  /**
   * For names: the names along the member path, outermost first (`req.body.password` →
   * req, body, password). Value-preserving conversions are looked through
   * (`Buffer.from(x)`, `x.trim()`, `Encoding.UTF8.GetBytes(x)`, casts, `await`).
   */
  path?: string[];
  /** For strings: the literal's value. */
  value?: string;
  /** For calls, and for local names whose value comes from a call in the same function: what computed it. */
  computed?: Computation;
  /**
   * For values that are the client's request input, followed through locals and
   * destructuring (`const { pwd: input } = req.body`): the path read from the request,
   * after the request itself (`body`, `pwd`). Absent when the adapter cannot tell.
   */
  request?: string[];
}

/**
 * The named function a check is made in, when its name may name a password
 * (`comparePassword`, `schema.methods.verifyPassword = function …`, C# `CheckPassword`):
 * its parameters make a check inside it a password check even when their names do not.
 */
export interface EnclosingFunction {
  /** As written: the declared name, or the variable, property or method key it is assigned to. */
  name: string;
  /** Parameter names of the function and of the callbacks between it and the check (plain names only). */
  parameters: string[];
  /** Callees of the calls made in the function, as written (`bcrypt.compare`, `_hasher.VerifyHashedPassword`), at most 64. */
  calls: string[];
}

export interface EqualityCheck {
  /** As written: `===`, `!=`, `.equals()`, `Object.is()`, `crypto.timingSafeEqual()`, `string.Equals()`, `SequenceEqual()`, `is`. */
  operator: string;
  left: Operand;
  right: Operand;
  /** The whole comparison. */
  loc: Loc;
  /** The password-named function around the check, if any. */
  within?: EnclosingFunction;
}
