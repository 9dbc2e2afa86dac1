/**
 * Twilio's Node library: `twilio.validateRequest(authToken, signature, url, params)` (and
 * `validateRequestWithBody`, `validateExpressRequest`) check the `X-Twilio-Signature`
 * header; `twilio.webhook()` is Express middleware that rejects a request without a valid
 * one, unless it is given `{ validate: false }`.
 */
import { exportOf } from "../imports.js";
import type { TsLibrary } from "./library.js";

export const twilio: TsLibrary = {
  id: "twilio",
  packages: ["twilio"],
  signatures: {
    verifiers: [exportOf("twilio", ["validateRequest", "validateRequestWithBody", "validateExpressRequest"])],
    middleware: { factories: [exportOf("twilio", "webhook")], offWhenFalse: "validate" },
  },
};
