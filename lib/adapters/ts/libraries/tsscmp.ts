/** tsscmp: `safeCompare(a, b)` compares two strings in constant time, the check of a hand-written HMAC signature. */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const tsscmp: TsLibrary = {
  id: "tsscmp",
  packages: ["tsscmp"],
  signatures: {
    constantTimeCompares: [exportOf("tsscmp", "default")],
  },
};
