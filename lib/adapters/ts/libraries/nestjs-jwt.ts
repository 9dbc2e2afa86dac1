/**
 * @nestjs/jwt: the injected `JwtService` (`this.jwtService.decode(token)`,
 * `this.jwtService.verify(token, { secret })`), and `JwtModule.register({ secret })`.
 */
import type { TsLibrary } from "./library.js";

export const nestjsJwt: TsLibrary = {
  id: "@nestjs/jwt",
  packages: ["@nestjs/jwt"],
  jwt: {
    library: "@nestjs/jwt",
    service: { name: /jwtService$/i, decoders: ["decode"], verifiers: ["verify", "verifyAsync"] },
    verifyKey: { in: "options", names: ["publicKey", "secret"] },
  },
  secrets: { keyOptions: { names: ["secret", "privateKey"], sink: "JWT signing secret" } },
};
