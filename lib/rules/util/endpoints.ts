/**
 * What the route rules decide about an endpoint from the model alone: whether it changes
 * state, whether it is public by design, where an anonymous marker sits, and the words of
 * its path and handler name.
 */
import type { AnonymousMarker, DataOperation, Endpoint, ProtectionSource } from "../../core/model.js";
import { STATE_CHANGING_METHODS } from "../../core/model.js";
import { endpointPublicFlow } from "../../core/public-flows.js";

/** Why an endpoint changes state, in words for a message. */
export interface StateChange {
  /** The method to show: the state-changing one, or the route's own when a write makes it change state. */
  verb: string;
  /** `changes state`, `writes through the data layer (Order.create(...))`. */
  reason: string;
}

/** Why the endpoint changes state: its HTTP method, or a write through the data layer; undefined when it does not. */
export function stateChange(endpoint: Endpoint): StateChange | undefined {
  const write = endpoint.dataOperations.find((op: DataOperation) => op.kind !== "read");
  const changingMethod = endpoint.methods.find((m) => STATE_CHANGING_METHODS.has(m));
  if (changingMethod) return { verb: changingMethod, reason: "changes state" };
  if (write) {
    const verb = endpoint.methods.includes("ANY") ? "ANY" : (endpoint.methods[0] ?? "ANY");
    return { verb, reason: `writes through the data layer (${write.call})` };
  }
  return undefined;
}

/** Path segments that name a health or liveness probe, squashed (`health-check` → `healthcheck`). */
const HEALTH_SEGMENTS = new Set([
  "health",
  "healthz",
  "healthcheck",
  "healthchecks",
  "livez",
  "readyz",
  "liveness",
  "readiness",
  "ping",
]);

function isParameter(segment: string): boolean {
  return segment.startsWith(":") || segment.startsWith("{") || segment.startsWith("*");
}

/** The segments of a route path, without the empty ones around slashes. */
export function segmentsOf(path: string): string[] {
  return path.split("/").filter((segment) => segment.length > 0);
}

/**
 * A health or liveness probe (`/health`, `/internal/healthz`, `/api/health-check/db`):
 * load balancers and orchestrators call it without credentials. A probe word after a path
 * parameter (`/devices/:id/health`) is a record's health, not the service's.
 */
export function isHealthCheck(path: string): boolean {
  for (const segment of segmentsOf(path)) {
    if (isParameter(segment)) return false;
    if (HEALTH_SEGMENTS.has(segment.toLowerCase().replace(/[^a-z0-9]/g, ""))) return true;
  }
  return false;
}

/**
 * The public flow an endpoint belongs to by design — sign-in and sign-out, sign-up,
 * password reset, e-mail confirmation, token refresh, OAuth callbacks, provider webhooks
 * (lib/core/public-flows.ts) and health checks — or undefined. `endpoints` are those of
 * the endpoint's file.
 */
export function publicFlowOfEndpoint(endpoint: Endpoint, endpoints: readonly Endpoint[]): string | undefined {
  return endpointPublicFlow(endpoint, endpoints) ?? (isHealthCheck(endpoint.path) ? "health check" : undefined);
}

const MARKER_PLACES: Record<ProtectionSource, string> = {
  route: "",
  router: " on its router",
  mount: " where its router is mounted",
  class: " on its controller",
  "base-class": " on a base controller",
  global: " app-wide",
};

/** `[AllowAnonymous]`, `[AllowAnonymous] on its controller`: the marker and where it applies from. */
export function describeMarker(marker: AnonymousMarker): string {
  return `${marker.name}${MARKER_PLACES[marker.source]}`;
}

/**
 * What to do about an anonymous marker: remove it so that the protection it overrides
 * applies again, or remove it and add protection in the framework's words.
 */
export function markerRemedy(endpoint: Pick<Endpoint, "protections" | "vocabulary">, marker: AnonymousMarker): string {
  const [overridden] = endpoint.protections;
  return overridden
    ? `remove ${marker.name} so that ${overridden.name} applies again.`
    : `remove ${marker.name} and ${endpoint.vocabulary.addAuth}`;
}

/**
 * The words of a name, lower case: split at `.`, `_`, `-`, other punctuation and case
 * changes (`AdminController.GetUsers` → admin, controller, get, users; `HTTPDebug` → http, debug).
 */
export function nameWords(name: string): string[] {
  return (name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []).map((word) => word.toLowerCase());
}
