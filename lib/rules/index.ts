import type { ApiPostureRule } from "../core/create-rule.js";
import requireRouteAuth from "./require-route-auth.js";

/** Every rule, in catalogue order. */
export const allRules: readonly ApiPostureRule[] = [requireRouteAuth];

export const rules: Record<string, ApiPostureRule> = Object.fromEntries(allRules.map((rule) => [rule.descriptor.name, rule]));
