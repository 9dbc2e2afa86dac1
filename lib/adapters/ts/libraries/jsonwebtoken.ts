/**
 * jsonwebtoken: `jwt.sign(payload, secret)`, `jwt.verify(token, key, options?, callback?)`
 * with its `algorithms` and `ignoreExpiration` options, and `jwt.decode(token)`, which
 * reads a token without checking its signature.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const jsonwebtoken: TsLibrary = {
  id: "jsonwebtoken",
  packages: ["jsonwebtoken"],
  jwt: {
    library: "jsonwebtoken",
    decoders: [exportOf("jsonwebtoken", "decode")],
    verifiers: [exportOf("jsonwebtoken", "verify")],
    verifyKey: { in: "argument" },
  },
  secrets: {
    keyArguments: [
      {
        calls: [exportOf("jsonwebtoken", ["sign", "verify"])],
        receiverName: "jwt",
        index: 1,
        sink: (name) => `jwt.${name}() key`,
        target: "jwtSecret",
      },
    ],
  },
};
