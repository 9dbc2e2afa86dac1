/** iron-session: `getIronSession(req, res, { password, cookieName })` seals the session with `password`. */
import type { TsLibrary } from "./library.js";

export const ironSession: TsLibrary = {
  id: "iron-session",
  packages: ["iron-session"],
  secrets: { keyOptions: { names: ["password"], sink: "iron-session password" } },
};
