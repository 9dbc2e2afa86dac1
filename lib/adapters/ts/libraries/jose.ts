/**
 * jose: `decodeJwt(token)` and `UnsecuredJWT.decode(token)` read a token without checking
 * it; `jwtVerify(token, key)` verifies, with the algorithm tied to the key's type (jose has
 * no `none` for signed tokens), so a verify call has nothing more to read. Without
 * `algorithms` there is no algorithm confusion: HS* needs a secret key (a `Uint8Array` or a
 * secret KeyObject), an `importSPKI`/`importJWK` public key or a `createRemoteJWKSet` set
 * (which holds no symmetric keys) verifies only its own family. `new UnsecuredJWT(claims)`
 * makes an unsigned token and trusts nothing; reading one back is the decode.
 * `EmbeddedJWK` as the key (`jwtVerify(token, EmbeddedJWK)`, `compactVerify(jws, EmbeddedJWK)`)
 * verifies with the key the token carries in its own header: anyone can make one, so jose
 * asks for `algorithms` with it, and a key trusted by other means (a thumbprint check).
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const jose: TsLibrary = {
  id: "jose",
  packages: ["jose"],
  jwt: {
    library: "jose",
    decoders: [exportOf("jose", ["decodeJwt", "UnsecuredJWT.decode"])],
    verifiers: [exportOf("jose", ["jwtVerify", "compactVerify", "flattenedVerify"])],
    verifyKey: { in: "bound" },
    tokenKeys: [exportOf("jose", "EmbeddedJWK")],
  },
};
