/** @fastify/cookie: `fastify.register(fastifyCookie, { secret })` signs cookies with `secret`. */
import type { TsLibrary } from "./library.js";

export const fastifyCookie: TsLibrary = {
  id: "@fastify/cookie",
  packages: ["@fastify/cookie"],
  secrets: { keyOptions: { names: ["secret"], sink: "@fastify/cookie secret" } },
};
