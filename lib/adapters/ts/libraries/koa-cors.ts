/**
 * @koa/cors (formerly kcors): `cors(options)`. An `origin` function gets the Koa context
 * and returns the origin to allow. With credentials on, `origin: "*"` is answered by
 * echoing the request's origin, so every site is let in with the user's cookies.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const koaCors: TsLibrary = {
  id: "@koa/cors",
  packages: ["@koa/cors", "kcors"],
  cors: {
    middleware: [exportOf("@koa/cors", "default"), exportOf("kcors", "default")],
    wildcardWithCredentials: "reflected",
    originFunction: { originFirst: false, answers: "return" },
  },
};
