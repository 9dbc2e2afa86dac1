/**
 * @nestjs/jwt: the injected `JwtService` (`this.jwtService.decode(token)`,
 * `this.jwtService.verify(token, { secret, algorithms })`), and `JwtModule.register({ secret,
 * verifyOptions })` / `registerAsync({ useFactory })`, whose `verifyOptions` (jsonwebtoken's:
 * `algorithms`, `ignoreExpiration`) apply to every `verify` of the service.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const nestjsJwt: TsLibrary = {
  id: "@nestjs/jwt",
  packages: ["@nestjs/jwt"],
  jwt: {
    library: "@nestjs/jwt",
    service: { name: /jwtService$/i, decoders: ["decode"], verifiers: ["verify", "verifyAsync"] },
    verifyKey: { in: "options", names: ["publicKey", "secret"] },
    modules: {
      calls: [exportOf("@nestjs/jwt", ["JwtModule.register", "JwtModule.registerAsync"])],
      verifyOption: "verifyOptions",
      keyOptions: ["publicKey", "secret"],
      factoryOption: "useFactory",
    },
  },
  secrets: { keyOptions: { names: ["secret", "privateKey"], sink: "JWT signing secret" } },
};
