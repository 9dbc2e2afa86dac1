/** connect-ensure-login: `ensureLoggedIn("/login")` sends a visitor without a session to log in. */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const connectEnsureLogin: TsLibrary = {
  id: "connect-ensure-login",
  packages: ["connect-ensure-login"],
  auth: { guards: [exportOf("connect-ensure-login", ["ensureLoggedIn", "ensureAuthenticated"])] },
};
