/**
 * express-jwt-permissions: `const guard = require("express-jwt-permissions")()` makes a
 * checker whose `guard.check("admin")` answers 403 without the permission.
 */
import type { TsLibrary } from "./library.js";

export const expressJwtPermissions: TsLibrary = {
  id: "express-jwt-permissions",
  packages: ["express-jwt-permissions"],
  auth: { guards: "every export" },
};
