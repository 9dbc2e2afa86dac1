/**
 * App-wide registrations applied to the endpoints of the file that makes them: a
 * FallbackPolicy, a global MVC filter, `MapControllers().RequireAuthorization()`, Razor
 * Pages conventions. The project index applies the same registrations (the file model's
 * `startup`) to the endpoints of the project's other files.
 *
 * Registrations scoped to frameworks or pages go first; a fallback policy then covers the
 * endpoints that still have no protection and no anonymous marker, as ASP.NET Core applies
 * it only to endpoints without authorization metadata of their own.
 */
import type { Endpoint, StartupRegistration, StartupScope } from "../../lib/core/model.js";
import { checkAnalysisClock } from "./clock.js";

export function applyStartup(endpoints: readonly Endpoint[], registrations: readonly StartupRegistration[]): void {
  if (registrations.length === 0) return;
  const byFramework = new Map<string, StartupRegistration[]>();
  const pagesByFramework = new Map<string, StartupRegistration[]>();
  const fallbacks: StartupRegistration[] = [];
  const add = (map: Map<string, StartupRegistration[]>, framework: string, registration: StartupRegistration) => {
    const list = map.get(framework) ?? [];
    list.push(registration);
    map.set(framework, list);
  };
  for (const registration of registrations) {
    const { scope } = registration;
    if (scope.kind === "fallback") fallbacks.push(registration);
    else if (scope.kind === "pages") add(pagesByFramework, scope.framework, registration);
    else for (const framework of scope.frameworks) add(byFramework, framework, registration);
  }
  for (const endpoint of endpoints) {
    checkAnalysisClock();
    for (const registration of byFramework.get(endpoint.framework) ?? []) apply(endpoint, registration);
    for (const registration of pagesByFramework.get(endpoint.framework) ?? [])
      if (coversPage(registration.scope, endpoint)) apply(endpoint, registration);
  }
  const fallback = fallbacks.at(-1);
  if (!fallback) return;
  for (const endpoint of endpoints) {
    if (endpoint.protections.length === 0 && endpoint.anonymous.length === 0) apply(endpoint, fallback);
  }
}

function apply(endpoint: Endpoint, registration: StartupRegistration): void {
  const { name, loc } = registration;
  if (registration.effect === "allow-anonymous") endpoint.anonymous.push({ name, source: "global", loc });
  else
    endpoint.protections.push({
      name,
      source: "global",
      loc,
      requirement: registration.requirement ?? "authenticated",
    });
}

/** A page convention covers the page whose path (without its query) is the route, or lies under the folder. */
export function coversPage(scope: StartupScope, endpoint: Pick<Endpoint, "framework" | "path">): boolean {
  if (scope.kind !== "pages" || scope.framework !== endpoint.framework) return false;
  const page = endpoint.path
    .replace(/\?.*$/, "")
    .split("/")
    .filter((s) => s !== "");
  const route = scope.route.segments;
  if (scope.folder ? page.length < route.length : page.length !== route.length) return false;
  return route.every((segment, i) => segment.toLowerCase() === page[i].toLowerCase());
}
