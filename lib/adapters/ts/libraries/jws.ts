/**
 * jws: `jws.verify(signature, algorithm, key)` checks a token with the algorithm it is given;
 * before 3.0 it took `verify(signature, key)` and followed the token's header, which a
 * caller who builds the token controls. `jws.decode(signature)` returns `{ header, payload }`
 * without checking anything.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const jws: TsLibrary = {
  id: "jws",
  packages: ["jws"],
  jwt: {
    library: "jws",
    decoders: [exportOf("jws", "decode")],
    verifiers: [exportOf("jws", "verify")],
    verifyKey: { in: "argument", algorithm: 1 },
  },
};
