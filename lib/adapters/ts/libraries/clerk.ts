/**
 * Clerk's Express SDKs: `requireAuth()` from @clerk/express, and `ClerkExpressRequireAuth()`
 * from the older @clerk/clerk-sdk-node, guard a route; `clerkMiddleware()` and
 * `ClerkExpressWithAuth()` only attach the session. `verifyWebhook(req)` from the SDKs'
 * `/webhooks` entry points checks a Clerk webhook's svix signature.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const clerk: TsLibrary = {
  id: "clerk",
  packages: ["@clerk/express", "@clerk/clerk-sdk-node"],
  signatures: {
    verifiers: [
      "nextjs",
      "express",
      "backend",
      "fastify",
      "remix",
      "astro",
      "nuxt",
      "react-router",
      "tanstack-react-start",
    ].map((sdk) => exportOf(`@clerk/${sdk}/webhooks`, "verifyWebhook")),
  },
  auth: {
    guards: [
      exportOf("@clerk/express", "requireAuth"),
      exportOf("@clerk/clerk-sdk-node", ["ClerkExpressRequireAuth", "requireAuth"]),
    ],
  },
};
