/** AP201 facts: string literals with where they go. */
import type { Loc } from "../model.js";

export interface StringLiteral {
  /** The literal's value, escapes resolved. */
  value: string;
  loc: Loc;
  /** The name it is assigned or passed to: variable, property, field, parameter default, named argument. */
  target?: string;
  /** A known secret sink it is passed to, in words (`jwt.sign() key`, `new SymmetricSecurityKey()`). */
  sink?: string;
  /** Source text that reads the value from configuration instead, with the range it replaces. */
  suggestion?: { range: [number, number]; text: string };
}
