/**
 * jose: `decodeJwt(token)` and `UnsecuredJWT.decode(token)` read a token without checking
 * it; `jwtVerify(token, key)` verifies, with the algorithm tied to the key's type (jose has
 * no `none` for signed tokens), so a verify call has nothing more to read.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const jose: TsLibrary = {
  id: "jose",
  packages: ["jose"],
  jwt: {
    library: "jose",
    decoders: [exportOf("jose", ["decodeJwt", "UnsecuredJWT.decode"])],
    verifiers: [exportOf("jose", "jwtVerify")],
    verifyKey: { in: "bound" },
  },
};
