/** @fastify/jwt: `fastify.register(fastifyJwt, { secret })` signs and verifies tokens with `secret`. */
import type { TsLibrary } from "./library.js";

export const fastifyJwt: TsLibrary = {
  id: "@fastify/jwt",
  packages: ["@fastify/jwt"],
  secrets: { keyOptions: { names: ["secret"], sink: "@fastify/jwt secret" } },
};
