/** cookie-session: `cookieSession({ keys: [...] })` or `{ secret }` signs the session cookie. */
import type { TsLibrary } from "./library.js";

export const cookieSession: TsLibrary = {
  id: "cookie-session",
  packages: ["cookie-session"],
  secrets: { keyOptions: { names: ["secret", "keys"], sink: "cookie-session key" } },
};
