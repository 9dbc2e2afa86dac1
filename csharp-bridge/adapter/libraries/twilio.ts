/**
 * Twilio: `new RequestValidator(authToken).Validate(url, parameters, signature)` checks the
 * `X-Twilio-Signature` header, and Twilio.AspNet.Core's `[ValidateRequest]` rejects a request
 * without a valid one before the action runs.
 */
import type { CSharpLibrary } from "./library.js";

export const twilio: CSharpLibrary = {
  id: "twilio",
  applies: (file) => file.text.includes("Twilio"),
  signatures: {
    instanceMethods: [{ types: ["RequestValidator"], methods: ["Validate"] }],
    attributes: ["ValidateRequest", "ValidateTwilioRequest"],
  },
};
