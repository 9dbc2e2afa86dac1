/**
 * The `cors` package (Express, Connect): `cors(options)` or `cors(delegate)`, where the
 * delegate `(req, callback) => callback(null, options)` picks the options per request and
 * an `origin` function answers through its callback. Its default is `*` without
 * credentials; with credentials it still sends `*`, which browsers refuse. NestJS hands
 * its CORS options to this package: `app.enableCors(options)`, `NestFactory.create(M, { cors })`.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const cors: TsLibrary = {
  id: "cors",
  packages: ["cors"],
  cors: {
    middleware: [exportOf("cors", "default")],
    optionsMethods: ["enableCors"],
    optionsKeys: [{ receiver: "NestFactory", method: "create", argument: 1, key: "cors" }],
    optionTypes: ["CorsOptions"],
    wildcardWithCredentials: "sent",
    delegates: true,
    originFunction: { originFirst: true, answers: "callback" },
  },
};
