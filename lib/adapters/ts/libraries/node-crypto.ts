/**
 * Node's crypto module: the key of `createHmac(algorithm, key)` and of
 * `createCipheriv`/`createDecipheriv(algorithm, key, iv)`; a hand-written signature check,
 * an HMAC of the request (`createHmac("sha256", secret).update(rawBody).digest("hex")`)
 * compared in constant time (`timingSafeEqual`); and Web Crypto's `crypto.subtle.verify(…)`,
 * which verifies a signature itself.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

const MODULES = ["crypto", "node:crypto"];

export const nodeCrypto: TsLibrary = {
  id: "crypto",
  packages: MODULES,
  signatures: {
    hmacs: MODULES.map((m) => exportOf(m, "createHmac")),
    constantTimeCompares: MODULES.map((m) => exportOf(m, "timingSafeEqual")),
    clientMethods: ["subtle.verify"],
  },
  secrets: {
    keyArguments: [
      {
        calls: MODULES.map((m) => exportOf(m, "createHmac")),
        index: 1,
        sink: (name) => `crypto.${name}() key`,
        target: "hmacKey",
      },
      {
        calls: MODULES.map((m) => exportOf(m, ["createCipheriv", "createDecipheriv"])),
        index: 1,
        sink: (name) => `crypto.${name}() key`,
        target: "encryptionKey",
      },
    ],
  },
};
