/**
 * jws: `jws.verify(signature, algorithm, key)` checks a token with the algorithm it is given;
 * before 3.0 it took `verify(signature, key)` and followed the token's header, which a
 * caller who builds the token controls. `jws.decode(signature)` returns `{ header, payload }`
 * without checking anything. `jws.createVerify({ signature, algorithm, key })` is the stream
 * form, with the same algorithm: without `algorithm` (before 3.0) the header picks it.
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
    verifierFactories: {
      factories: [exportOf("jws", "createVerify")],
      keyOption: "key",
      otherKeyOptions: ["publicKey", "secret"],
      algorithmOption: "algorithm",
    },
  },
};
