/**
 * jwt-decode: `jwtDecode(token)` (v4's named export; v3's default export, `jwt_decode`) reads a
 * token's claims without checking its signature. It is made for browsers, where an app reads
 * the token it was given to show the user's name: only a decode on the server, in code that
 * serves a request, trusts a token the caller wrote.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const jwtDecode: TsLibrary = {
  id: "jwt-decode",
  packages: ["jwt-decode"],
  jwt: {
    library: "jwt-decode",
    decoders: [exportOf("jwt-decode", ["jwtDecode", "default"])],
    decodesOnlyOnRequests: true,
  },
};
