/**
 * express-oauth2-jwt-bearer (Auth0): `auth({ audience, issuerBaseURL })` validates the
 * access token unless `authRequired: false`; the scope and claim checks guard as well.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const expressOauth2JwtBearer: TsLibrary = {
  id: "express-oauth2-jwt-bearer",
  packages: ["express-oauth2-jwt-bearer"],
  auth: {
    guards: [
      exportOf("express-oauth2-jwt-bearer", [
        "auth",
        "requiredScopes",
        "scopeIncludesAny",
        "claimCheck",
        "claimEquals",
        "claimIncludes",
      ]),
    ],
    optionalWhenFalse: "authRequired",
  },
};
