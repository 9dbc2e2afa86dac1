/**
 * express-openid-connect (Auth0): `requiresAuth()` and the claim checks guard a route;
 * `auth({ … })` does too unless `authRequired: false`, which only attaches the session.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const expressOpenidConnect: TsLibrary = {
  id: "express-openid-connect",
  packages: ["express-openid-connect"],
  auth: {
    guards: [
      exportOf("express-openid-connect", ["requiresAuth", "auth", "claimCheck", "claimEquals", "claimIncludes"]),
    ],
    optionalWhenFalse: "authRequired",
  },
};
