/**
 * GitHub webhooks through Octokit: `webhooks.verify(payload, signature)` and
 * `webhooks.verifyAndReceive({ id, name, signature, payload })` on a `new Webhooks({ secret })`,
 * an Octokit `App`'s `app.webhooks.verifyAndReceive(…)`, and `verify(secret, payload, signature)`
 * from @octokit/webhooks-methods check the `x-hub-signature-256` header. `webhooks.receive(…)`
 * does not: it dispatches an event it trusts.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const octokitWebhooks: TsLibrary = {
  id: "octokit-webhooks",
  packages: ["@octokit/webhooks", "@octokit/webhooks-methods"],
  signatures: {
    verifiers: [exportOf("@octokit/webhooks-methods", "verify")],
    clientMethods: ["webhooks.verifyAndReceive"],
    instances: { classes: [exportOf("@octokit/webhooks", "Webhooks")], methods: ["verify", "verifyAndReceive"] },
  },
};
