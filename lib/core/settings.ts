/**
 * `settings["api-posture"]`: what the code base calls its auth middleware, guards and
 * attributes, its public markers and public routes. One shape for both languages.
 */

export interface ApiPostureSettings {
  /** Names of auth middleware, guards, decorators, attributes or filters (`requireUser`, `ApiKeyAuth`). A `/regex/` string matches by pattern. */
  auth?: string[];
  /** Names of explicit anonymous markers beyond the built-in ones (`@Public()`, `[AllowAnonymous]`). */
  publicMarkers?: string[];
  /** Route paths that are public by design, as glob-like patterns (`/health`, `/webhooks/**`). */
  publicRoutes?: string[];
}

export interface ResolvedSettings {
  auth: NameMatcher;
  publicMarkers: NameMatcher;
  publicRoutes: (path: string) => boolean;
}

export type NameMatcher = (name: string) => boolean;

function toMatcher(entries: readonly unknown[] | undefined): NameMatcher {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const entry of entries ?? []) {
    if (typeof entry !== "string" || entry.length === 0) continue;
    const m = /^\/(.+)\/([a-z]*)$/.exec(entry);
    if (m) {
      try {
        patterns.push(new RegExp(m[1]!, m[2]));
      } catch {
        exact.add(entry);
      }
    } else {
      exact.add(entry.toLowerCase());
    }
  }
  return (name) => exact.has(name.toLowerCase()) || patterns.some((p) => p.test(name));
}

/** `/webhooks/**` style patterns: `*` one segment, `**` any number of segments. */
export function pathPatternMatcher(patterns: readonly unknown[] | undefined): (path: string) => boolean {
  const regexes = (patterns ?? [])
    .filter((p): p is string => typeof p === "string" && p.length > 0)
    .map((p) => {
      const body = normalisePath(p)
        .split(/(\*\*|\*)/)
        .map((part) => (part === "**" ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
        .join("");
      return new RegExp(`^${body}/?$`, "i");
    });
  return (path) => {
    const p = normalisePath(path);
    return regexes.some((r) => r.test(p));
  };
}

function normalisePath(path: string): string {
  const withSlash = path.startsWith("/") ? path : `/${path}`;
  return withSlash.length > 1 ? withSlash.replace(/\/+$/, "") : withSlash;
}

const cache = new WeakMap<object, ResolvedSettings>();
const EMPTY = {};

export function resolveSettings(settings: Record<string, unknown> | undefined): ResolvedSettings {
  const raw = (settings?.["api-posture"] ?? EMPTY) as ApiPostureSettings;
  const key = typeof raw === "object" && raw !== null ? raw : EMPTY;
  let resolved = cache.get(key);
  if (!resolved) {
    resolved = {
      auth: toMatcher(raw.auth),
      publicMarkers: toMatcher(raw.publicMarkers),
      publicRoutes: pathPatternMatcher(raw.publicRoutes),
    };
    cache.set(key, resolved);
  }
  return resolved;
}
