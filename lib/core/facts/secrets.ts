/** AP201 facts: string literals with where they go. */
import type { Loc } from "../model.js";

export interface StringLiteral {
  /** The literal's value, escapes resolved. */
  value: string;
  loc: Loc;
  /** The name it is assigned or passed to: variable, property, field, parameter default, named argument, key of a key/value pair. */
  target?: string;
  /** The literal is the fallback of a lookup: `process.env.JWT_SECRET ?? "…"`, `config["Jwt:Key"] ?? "…"`. */
  fallback?: boolean;
  /** Names that own the target, innermost first: `stripe` in `config.stripe.secretKey`, `Mailgun` in `new Mailgun({ key: "…" })`. */
  owners?: string[];
  /**
   * The keys of the object literal or initializer the value sits in, its own key included:
   * `authDomain` beside `apiKey`. The literals of one object share one array.
   */
  siblings?: readonly string[];
  /**
   * The string values of the array the literal is an element of, its own included, when it
   * is one (`ACCOUNT_KEYS = ["account", "accountid"]`). The literals of one array share it.
   */
  list?: readonly string[];
  /** A known secret sink it is passed to, in words (`jwt.sign() key`, `new SymmetricSecurityKey()`). */
  sink?: string;
  /**
   * The literal is compared with a value (`===`, `!==`, `==`, `!=`, a `switch` case), whose
   * name is the target: `request` when that value is the client's request input
   * (`req.headers["x-api-key"] === "…"`: the literal is the credential a request must
   * present), `value` otherwise (a configuration value, a parameter or a local, checked
   * against a placeholder or a marker: `apiKey !== "changeme"`, `token === "expired-token"`).
   */
  compared?: "request" | "value";
  /**
   * The literal is a part of an interpolated string or template (`$"Bearer sk_live_…{x}"`):
   * the whole value is known only when the program runs, so only a provider's credential
   * written in the part is judged.
   */
  interpolated?: true;
  /** Source text that reads the value from configuration instead, with the range it replaces. */
  suggestion?: { range: [number, number]; text: string };
}
