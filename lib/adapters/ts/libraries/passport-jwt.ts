/**
 * passport-jwt: `new JwtStrategy({ secretOrKey, ignoreExpiration, … }, verify)`, and in
 * NestJS `class JwtStrategy extends PassportStrategy(Strategy) { constructor() { super({ … }) } }`.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const passportJwt: TsLibrary = {
  id: "passport-jwt",
  packages: ["passport-jwt"],
  jwt: {
    library: "passport-jwt",
    strategies: {
      classes: [exportOf("passport-jwt", "Strategy")],
      keyOption: "secretOrKey",
      keyProviderOption: "secretOrKeyProvider",
    },
  },
  secrets: { keyOptions: { names: ["secretOrKey"], sink: "passport-jwt secretOrKey" } },
};
