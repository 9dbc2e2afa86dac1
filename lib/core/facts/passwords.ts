/** AP202 facts: equality checks between two values. */
import type { Loc } from "../model.js";

export interface Operand {
  /** Source text, shortened. */
  text: string;
  /** The last identifier or member name (`user.passwordHash` → `passwordHash`). */
  name?: string;
  kind: "name" | "literal" | "null" | "empty" | "call" | "other";
  /** For calls: the callee as written (`bcrypt.hashSync`, `HashPassword`). */
  callee?: string;
}

export interface EqualityCheck {
  /** `===`, `!=`, `.equals`, `Equals`, `string.Compare`, `SequenceEqual`, … */
  operator: string;
  left: Operand;
  right: Operand;
  loc: Loc;
}
