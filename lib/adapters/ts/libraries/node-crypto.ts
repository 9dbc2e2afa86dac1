/** Node's crypto module: the key of `createHmac(algorithm, key)` and of `createCipheriv`/`createDecipheriv(algorithm, key, iv)`. */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

const MODULES = ["crypto", "node:crypto"];

export const nodeCrypto: TsLibrary = {
  id: "crypto",
  packages: MODULES,
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
