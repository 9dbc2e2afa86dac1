/** express-session: `session({ secret })` signs the session cookie with `secret`. */
import type { TsLibrary } from "./library.js";

export const expressSession: TsLibrary = {
  id: "express-session",
  packages: ["express-session"],
  secrets: { keyOptions: { names: ["secret"], sink: "express-session secret" } },
};
