/**
 * Every library the C# adapter knows. Adding a framework is adding its file and one line
 * here.
 */
import { aspnetcoreAuthorization } from "./aspnetcore-authorization.js";
import { aspnetcoreMvc } from "./aspnetcore-mvc.js";
import type { CSharpLibrary } from "./library.js";
import { minimalApis } from "./minimal-apis.js";
import { razorPages } from "./razor-pages.js";
import { aspnetcoreIdentity } from "./aspnetcore-identity.js";
import { shopifySharp } from "./shopify-sharp.js";
import { stripeNet } from "./stripe-net.js";
import { svix } from "./svix.js";
import { systemSecurityCryptography } from "./system-security-cryptography.js";
import { twilio } from "./twilio.js";

export const LIBRARIES: readonly CSharpLibrary[] = [
  aspnetcoreMvc,
  minimalApis,
  razorPages,
  aspnetcoreAuthorization,
  // Request signatures (webhooks) and password hashing, for what handlers check (request-checks.ts).
  stripeNet,
  svix,
  twilio,
  shopifySharp,
  systemSecurityCryptography,
  aspnetcoreIdentity,
];
