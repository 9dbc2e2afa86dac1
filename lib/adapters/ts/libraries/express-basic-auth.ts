/** express-basic-auth: `basicAuth({ users })` answers 401 without valid credentials. */
import type { TsLibrary } from "./library.js";

export const expressBasicAuth: TsLibrary = {
  id: "express-basic-auth",
  packages: ["express-basic-auth"],
  auth: { guards: "every export" },
};
