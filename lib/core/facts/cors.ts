/** AP301 facts: CORS configurations. */
import type { Loc } from "../model.js";

export interface CorsPolicy {
  loc: Loc;
}
