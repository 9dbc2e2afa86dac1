/** @fastify/session: `fastify.register(fastifySession, { secret })` signs the session cookie with `secret`. */
import type { TsLibrary } from "./library.js";

export const fastifySession: TsLibrary = {
  id: "@fastify/session",
  packages: ["@fastify/session"],
  secrets: { keyOptions: { names: ["secret"], sink: "@fastify/session secret" } },
};
