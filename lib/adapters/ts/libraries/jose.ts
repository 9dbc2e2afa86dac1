/**
 * jose: `decodeJwt(token)` and `UnsecuredJWT.decode(token)` read a token without checking
 * it; `jwtVerify(token, key)` verifies, with the algorithm tied to the key's type (jose has
 * no `none` for signed tokens), so a verify call has nothing more to read. Without
 * `algorithms` there is no algorithm confusion: HS* needs a secret key (a `Uint8Array` or a
 * secret KeyObject), an `importSPKI`/`importJWK` public key or a `createRemoteJWKSet` set
 * (which holds no symmetric keys) verifies only its own family. `new UnsecuredJWT(claims)`
 * makes an unsigned token and trusts nothing; reading one back is the decode.
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
