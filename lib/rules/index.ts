import type { ApiPostureRule } from "../core/create-rule.js";
import requireRouteAuth from "./require-route-auth.js";
import noAnonymousWrite from "./no-anonymous-write.js";
import requireOwnershipCheck from "./require-ownership-check.js";
import noUnprotectedSensitiveRoute from "./no-unprotected-sensitive-route.js";
import noShadowRoute from "./no-shadow-route.js";
import requireAuditLog from "./require-audit-log.js";
import noHardcodedSecrets from "./no-hardcoded-secrets.js";
import noPlaintextPasswordCompare from "./no-plaintext-password-compare.js";
import requireJwtVerification from "./require-jwt-verification.js";
import noPermissiveCors from "./no-permissive-cors.js";

/** Every rule, in catalogue order. */
export const allRules: readonly ApiPostureRule[] = [
  requireRouteAuth,
  noAnonymousWrite,
  requireOwnershipCheck,
  noUnprotectedSensitiveRoute,
  noShadowRoute,
  requireAuditLog,
  noHardcodedSecrets,
  noPlaintextPasswordCompare,
  requireJwtVerification,
  noPermissiveCors,
];

export const rules: Record<string, ApiPostureRule> = Object.fromEntries(
  allRules.map((rule) => [rule.descriptor.name, rule]),
);
