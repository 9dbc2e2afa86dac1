/**
 * jwks-rsa: a client for a JSON Web Key Set. The keys it serves are public keys, so a
 * token verified with one (or with a key callback in a file that uses it) is checked
 * against its issuer's key, not a shared secret.
 */
import type { TsLibrary } from "./library.js";

export const jwksRsa: TsLibrary = {
  id: "jwks-rsa",
  packages: ["jwks-rsa"],
  jwt: { publicKeys: true },
};
