/**
 * Clerk's Express SDKs: `requireAuth()` from @clerk/express, and `ClerkExpressRequireAuth()`
 * from the older @clerk/clerk-sdk-node, guard a route; `clerkMiddleware()` and
 * `ClerkExpressWithAuth()` only attach the session.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const clerk: TsLibrary = {
  id: "clerk",
  packages: ["@clerk/express", "@clerk/clerk-sdk-node"],
  auth: {
    guards: [
      exportOf("@clerk/express", "requireAuth"),
      exportOf("@clerk/clerk-sdk-node", ["ClerkExpressRequireAuth", "requireAuth"]),
    ],
  },
};
