/**
 * Hono's CORS middleware, `import { cors } from "hono/cors"`: `cors(options)`, where an
 * `origin` function gets the request's origin and the context and returns what to allow.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const honoCors: TsLibrary = {
  id: "hono/cors",
  packages: ["hono/cors"],
  cors: {
    middleware: [exportOf("hono/cors", "cors")],
    wildcardWithCredentials: "sent",
    originFunction: { originFirst: true, answers: "return" },
  },
};
