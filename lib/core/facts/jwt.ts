/** AP203 facts: how JSON Web Tokens are read and validated. */
import type { Loc } from "../model.js";

export interface JwtFact {
  kind: string;
  loc: Loc;
}
