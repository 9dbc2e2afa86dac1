/**
 * Stripe.net: `EventUtility.ConstructEvent(json, Request.Headers["Stripe-Signature"], secret)`
 * throws unless the header signs the payload; `EventUtility.ValidateSignature` checks it
 * alone. (`EventUtility.ParseEvent` verifies nothing.)
 */
import type { CSharpLibrary } from "./library.js";

export const stripeNet: CSharpLibrary = {
  id: "stripe-net",
  applies: (file) => file.text.includes("EventUtility"),
  signatures: {
    staticMethods: [{ type: "EventUtility", methods: ["ConstructEvent", "ValidateSignature"] }],
  },
};
