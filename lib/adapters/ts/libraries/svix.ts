/**
 * Svix and the Standard Webhooks library it implements: `new Webhook(secret).verify(payload,
 * headers)` throws unless the `svix-signature` / `webhook-signature` header signs the payload.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const svix: TsLibrary = {
  id: "svix",
  packages: ["svix", "standardwebhooks"],
  signatures: {
    instances: { classes: [exportOf("svix", "Webhook"), exportOf("standardwebhooks", "Webhook")], methods: ["verify"] },
  },
};
