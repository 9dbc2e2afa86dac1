/**
 * Shopify's API library: `shopify.webhooks.validate({ rawBody, rawRequest })` checks the
 * `X-Shopify-Hmac-Sha256` header, and `shopify.webhooks.process(…)` validates before it
 * dispatches. The app object is made once (`shopifyApi({ … })`) and imported.
 */
import type { TsLibrary } from "./library.js";

export const shopify: TsLibrary = {
  id: "shopify",
  packages: ["@shopify/shopify-api"],
  signatures: {
    clientMethods: ["webhooks.validate", "webhooks.process"],
  },
};
