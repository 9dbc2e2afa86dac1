/**
 * Stripe's Node library: `stripe.webhooks.constructEvent(payload, signatureHeader, secret)`
 * (and `constructEventAsync`, `webhooks.signature.verifyHeader`) throws unless the payload
 * carries a valid `Stripe-Signature`. The client is usually made once (`new Stripe(key)`)
 * in another file and imported, so the methods are known by their path on it.
 */
import type { TsLibrary } from "./library.js";

export const stripe: TsLibrary = {
  id: "stripe",
  packages: ["stripe"],
  signatures: {
    clientMethods: ["webhooks.constructEvent", "webhooks.constructEventAsync", "webhooks.signature.verifyHeader"],
  },
};
