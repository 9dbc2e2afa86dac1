/** Svix's .NET library: `new Webhook(secret).Verify(payload, headers)` throws unless the `svix-signature` header signs the payload. */
import type { CSharpLibrary } from "./library.js";

export const svix: CSharpLibrary = {
  id: "svix",
  applies: (file) => file.text.includes("Webhook"),
  signatures: {
    instanceMethods: [{ types: ["Webhook"], methods: ["Verify"] }],
  },
};
