/**
 * Slack request signing with Bolt's helpers: `verifySlackRequest({ signingSecret, body,
 * headers })` throws and `isValidSlackRequest(…)` answers whether `x-slack-signature` signs
 * the body. (A Bolt `App` with a `signingSecret` checks its own receiver's requests; its
 * routes are not the code base's.)
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const slack: TsLibrary = {
  id: "slack",
  packages: ["@slack/bolt"],
  signatures: {
    verifiers: [exportOf("@slack/bolt", ["verifySlackRequest", "isValidSlackRequest"])],
  },
};
