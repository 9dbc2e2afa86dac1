/**
 * fast-jwt: `createVerifier({ key, algorithms, ignoreExpiration, … })` returns the verify
 * function; without `algorithms` it allows only those the key's type can verify (also for a
 * key fetched by a `key` callback), so an unpinned list is no algorithm confusion. A missing
 * or empty `key`, `none` among `algorithms` and `ignoreExpiration: true` weaken it.
 * `createDecoder()` returns a decoder that reads a token without checking it.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const fastJwt: TsLibrary = {
  id: "fast-jwt",
  packages: ["fast-jwt"],
  jwt: {
    library: "fast-jwt",
    decoders: [exportOf("fast-jwt", "createDecoder.()")],
    verifierFactories: { factories: [exportOf("fast-jwt", "createVerifier")], keyOption: "key" },
  },
};
