/** ShopifySharp: `AuthorizationService.IsAuthenticWebhook(headers, body, secret)` checks the `X-Shopify-Hmac-Sha256` header. */
import type { CSharpLibrary } from "./library.js";

export const shopifySharp: CSharpLibrary = {
  id: "shopify-sharp",
  applies: (file) => file.text.includes("IsAuthenticWebhook"),
  signatures: {
    staticMethods: [{ type: "AuthorizationService", methods: ["IsAuthenticWebhook", "IsAuthenticWebhookAsync"] }],
  },
};
