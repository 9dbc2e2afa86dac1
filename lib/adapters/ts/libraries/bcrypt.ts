/** bcrypt, bcryptjs and @node-rs/bcrypt: `bcrypt.hash(password, rounds)` and `hashSync` hash a password to store it. */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

const PACKAGES = ["bcrypt", "bcryptjs", "@node-rs/bcrypt"];

export const bcrypt: TsLibrary = {
  id: "bcrypt",
  packages: PACKAGES,
  passwords: {
    hashers: PACKAGES.map((p) => exportOf(p, ["hash", "hashSync"])),
  },
};
