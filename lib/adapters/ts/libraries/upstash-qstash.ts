/**
 * Upstash QStash delivers queued messages and schedules as signed requests: its Next.js
 * wrappers (`verifySignatureAppRouter(handler)`, `verifySignatureEdge`, and the Pages
 * Router's `verifySignature`) answer 403 unless the `Upstash-Signature` header signs the
 * body, and only then call the handler. `new Receiver({ … }).verify({ signature, body })`
 * does the same in hand-written handlers.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

const NEXT_MODULES = ["@upstash/qstash/nextjs", "@upstash/qstash/dist/nextjs"];

export const upstashQstash: TsLibrary = {
  id: "upstash-qstash",
  packages: ["@upstash/qstash"],
  signatures: {
    wrappers: NEXT_MODULES.map((module) =>
      exportOf(module, ["verifySignatureAppRouter", "verifySignatureEdge", "verifySignature"]),
    ),
    instances: { classes: [exportOf("@upstash/qstash", "Receiver")], methods: ["verify"] },
  },
};
