/**
 * Passport: `passport.authenticate("jwt", { session: false })` and `passport.authorize(…)`
 * guard a route, except with the `anonymous` strategy, which lets everyone through. The
 * `passport` object usually comes configured from another file, so its name counts too.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import { staticString } from "../ast.js";
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const passport: TsLibrary = {
  id: "passport",
  packages: ["passport"],
  auth: {
    guards: [exportOf("passport", ["authenticate", "authorize"])],
    receiver: { name: /passport/i, methods: ["authenticate", "authorize"] },
    admitsEveryone: isAnonymousStrategy,
  },
};

/** `passport.authenticate("anonymous")` or `["jwt", "anonymous"]`. */
function isAnonymousStrategy(call: TSESTree.CallExpression): boolean {
  const first = call.arguments[0];
  if (!first) return false;
  if (staticString(first) === "anonymous") return true;
  return first.type === T.ArrayExpression && first.elements.some((e) => e != null && staticString(e) === "anonymous");
}
