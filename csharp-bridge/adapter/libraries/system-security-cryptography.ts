/**
 * System.Security.Cryptography: a hand-written signature check is an HMAC of the request
 * (`new HMACSHA256(key).ComputeHash(body)`, `HMACSHA256.HashData(key, body)`,
 * `IncrementalHash.CreateHMAC(…)`) compared in constant time with
 * `CryptographicOperations.FixedTimeEquals(…)`.
 */
import type { CSharpLibrary } from "./library.js";

export const systemSecurityCryptography: CSharpLibrary = {
  id: "system-security-cryptography",
  applies: (file) => file.text.includes("FixedTimeEquals"),
  signatures: {
    hmacTypes: [
      "HMACSHA1",
      "HMACSHA256",
      "HMACSHA384",
      "HMACSHA512",
      "HMACSHA3_256",
      "HMACSHA3_384",
      "HMACSHA3_512",
      "HMACMD5",
      "CreateHMAC",
    ],
    constantTimeCompares: [{ type: "CryptographicOperations", methods: ["FixedTimeEquals"] }],
  },
};
