/** argon2 and @node-rs/argon2: `argon2.hash(password)` hashes a password to store it. */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

const PACKAGES = ["argon2", "@node-rs/argon2"];

export const argon2: TsLibrary = {
  id: "argon2",
  packages: PACKAGES,
  passwords: {
    hashers: PACKAGES.map((p) => exportOf(p, ["hash", "hashSync"])),
  },
};
