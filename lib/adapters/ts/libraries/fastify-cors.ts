/**
 * @fastify/cors (formerly fastify-cors), a plugin: `fastify.register(cors, options)`. The
 * options may be a delegate `(req, callback) => callback(null, options)`, given directly or
 * as `{ delegator }`, or a function of the Fastify instance that returns one; an `origin`
 * function answers through its callback.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

const PLUGIN = ["default", "fastifyCors"];

export const fastifyCors: TsLibrary = {
  id: "@fastify/cors",
  packages: ["@fastify/cors", "fastify-cors"],
  cors: {
    plugins: [exportOf("@fastify/cors", PLUGIN), exportOf("fastify-cors", PLUGIN)],
    optionTypes: ["FastifyCorsOptions"],
    wildcardWithCredentials: "sent",
    delegates: true,
    delegatorOption: "delegator",
    originFunction: { originFirst: true, answers: "callback" },
  },
};
