/**
 * express-jwt: `expressjwt({ secret, algorithms })` (v7+) and the legacy default export
 * `jwt({ secret })` verify the bearer token and guard the route, unless
 * `credentialsRequired: false` lets requests without a token through.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const expressJwt: TsLibrary = {
  id: "express-jwt",
  packages: ["express-jwt"],
  auth: { guards: "every export", optionalWhenFalse: "credentialsRequired" },
  jwt: {
    library: "express-jwt",
    middleware: { factories: [exportOf("express-jwt", ["expressjwt", "default"])], keyOption: "secret" },
  },
  secrets: { keyOptions: { names: ["secret"], sink: "express-jwt secret" } },
};
