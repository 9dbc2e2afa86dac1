/**
 * Every library the TS/JS adapter knows. Adding a framework is adding its file and one
 * line here.
 */
import { express } from "./express.js";
import { fastify } from "./fastify.js";
import { hono } from "./hono.js";
import { koa } from "./koa.js";
import type { TsLibrary } from "./library.js";
import { nestjs } from "./nestjs.js";
import { nextjs } from "./nextjs.js";

export const LIBRARIES: readonly TsLibrary[] = [express, nestjs, nextjs, fastify, koa, hono];
