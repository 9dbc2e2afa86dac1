/**
 * Request input for the passes that judge what a value is compared with (AP202's
 * password checks, AP201's compared literals), from AP103's value origins and the
 * frameworks' request bindings: no tracker of its own.
 */
import type { Node } from "../ast.js";
import { isFunction } from "../ast.js";
import type { FileFacts } from "../facts.js";
import { EXPRESS_REQUEST } from "../libraries/express.js";
import { FASTIFY_REQUEST } from "../libraries/fastify.js";
import { HONO_CONTEXT } from "../libraries/hono.js";
import { KOA_CONTEXT } from "../libraries/koa.js";
import { ValueOrigins, type OriginContext, type RequestBinding } from "./value-origins.js";

/**
 * The request shapes a handler's first parameter is read through (AP103's bindings):
 * Express, Nest and Next.js's `req.body`/`request.headers`, Fastify's `request.body`,
 * Koa's `ctx.request.body`, Hono's `c.req.header(…)`.
 */
const REQUEST_BINDINGS: readonly RequestBinding[] = [EXPRESS_REQUEST, FASTIFY_REQUEST, KOA_CONTEXT, HONO_CONTEXT];
/** How many functions out from a value the one whose parameter it reads is looked for (callbacks inside a handler). */
const MAX_FUNCTION_DEPTH = 6;

/**
 * Which compared values are the client's request input: the value is followed back with
 * AP103's value origins (locals, destructuring, renaming, `await`, schema parsing) to a
 * parameter of one of the functions around the check, and that parameter's read is the
 * client's under a framework's request binding (`req.body.pwd`, `request.body.password`,
 * `ctx.request.body.pass`).
 */
export class RequestInput {
  private readonly origins: ValueOrigins;
  private readonly contexts = new Map<Node, OriginContext>();

  constructor(private readonly facts: FileFacts) {
    this.origins = new ValueOrigins(facts);
  }

  /** The path read from the request (`body`, `pwd`) when `node`, read in `scope`, is the client's input. */
  readOf(node: Node, scope: Node): string[] | undefined {
    let s: Node | undefined = scope;
    for (let depth = 0; s && depth < MAX_FUNCTION_DEPTH; depth++, s = this.facts.outerScope(s)) {
      if (!isFunction(s)) continue;
      const fn = s;
      let context = this.contexts.get(fn);
      if (!context) this.contexts.set(fn, (context = { fn, result: () => undefined }));
      const source = this.origins.sourceOf(node, scope, context);
      if (source.kind !== "parameter") continue;
      if (REQUEST_BINDINGS.some((binding) => binding.classify(fn, source.index, source.path) === "client"))
        return source.path;
      return undefined;
    }
    return undefined;
  }
}
