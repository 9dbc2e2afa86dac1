/**
 * The machinery behind `settings["api-posture"]`: a declarative description of each key
 * (what its entries are, what it means, an example), one validator that turns a user's
 * object into values or into problems that name the key, the entry and the shape
 * expected, and the error that carries those problems out of ESLint.
 *
 * The keys themselves are declared in settings.ts; this module knows none of them.
 */

/** Where an entry came from, for messages: `settings["api-posture"].auth[2]`. */
export const SETTINGS_PATH = 'settings["api-posture"]';

/** What the parse of one entry gives: its value, or why it is not one. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * The shape of one array entry. A key's entries may later take other shapes (a
 * `{ from: "package", package, name }` specifier, say) by giving the key an entry
 * shape that accepts both.
 */
export interface EntryShape<T> {
  /** One entry, for "must be …": `a string (a name, or a /regex/ pattern)`. */
  readonly one: string;
  /** The array, for "must be an array of …": `strings (names, or /regex/ patterns)`. */
  readonly many: string;
  /** The entry's value, or a problem phrased to follow the entry's path (`must be …, got …`, `is …`). */
  parse(entry: unknown): Parsed<T>;
}

/** One key of `settings["api-posture"]`: an array of entries of one shape. */
export interface SettingSpec<T, R> {
  /** What the key tells the rules, for the documentation. */
  readonly meaning: string;
  /** A typical value, for the documentation and for messages. */
  readonly example: readonly unknown[];
  readonly entry: EntryShape<T>;
  /** A lone entry may stand for an array of one (`openapi: "openapi.yaml"`). */
  readonly single?: boolean;
  /** What the rules get for the parsed entries (also called with none when the key is absent). */
  resolve(values: readonly T[]): R;
}

/** A record of key → spec; each spec's types are its own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each spec's input type differs; `unknown` would reject them all
export type SettingSpecs = Record<string, SettingSpec<any, unknown>>;

export type ResolvedOf<S extends SettingSpecs> = { [K in keyof S]: ReturnType<S[K]["resolve"]> };

/**
 * A mistake in the user's `settings["api-posture"]`. It is the user's configuration, not
 * the file being linted, that is wrong: the run stops, the way ESLint stops on an invalid
 * rule option. The stack is the message alone, because the frames inside the plugin
 * say nothing about the fix.
 */
export class ApiPostureSettingsError extends Error {
  /** Each problem, one sentence naming the key (and entry) and the shape expected. */
  readonly problems: readonly string[];
  /** The message as the plugin wrote it, one line; ESLint appends the file and rule to `message`. */
  readonly summary: string;

  constructor(problems: readonly string[]) {
    const summary = `api-posture: invalid ${SETTINGS_PATH}: ${problems.join(" ")}`;
    super(summary);
    this.name = "ApiPostureSettingsError";
    this.problems = problems;
    this.summary = summary;
    Object.defineProperty(this, "stack", {
      configurable: true,
      enumerable: false,
      get(this: Error) {
        return this.message;
      },
    });
  }
}

/**
 * The problems of `raw` against `specs`, or the parsed values of every key. `undefined`
 * (no settings, or a key left out) is fine; so is `{}`.
 */
export function validateSettings<S extends SettingSpecs>(
  specs: S,
  raw: unknown,
): { ok: true; values: { [K in keyof S]: unknown[] } } | { ok: false; problems: string[] } {
  const keys = Object.keys(specs);
  const values = Object.fromEntries(keys.map((key) => [key, [] as unknown[]])) as { [K in keyof S]: unknown[] };
  if (raw === undefined) return { ok: true, values };
  if (!isPlainObject(raw)) {
    return {
      ok: false,
      problems: [`${SETTINGS_PATH} must be an object with the keys ${keys.join(", ")}, got ${describeValue(raw)}.`],
    };
  }
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(specs, key)) problems.push(unknownKeyProblem(key, keys));
  }
  for (const key of keys) {
    const value = raw[key];
    if (value === undefined) continue;
    const spec = specs[key];
    if (!Array.isArray(value) && spec.single) {
      const parsed = spec.entry.parse(value);
      if (parsed.ok) values[key as keyof S].push(parsed.value);
      else if (typeof value === "string") problems.push(`${SETTINGS_PATH}.${key} ${parsed.problem}`);
      else
        problems.push(
          `${SETTINGS_PATH}.${key} must be ${spec.entry.one} or an array of ${spec.entry.many}, got ${describeValue(value)}. For example: ${key}: ${formatExample(spec.example)}.`,
        );
      continue;
    }
    if (!Array.isArray(value)) {
      problems.push(
        `${SETTINGS_PATH}.${key} must be an array of ${spec.entry.many}, got ${describeValue(value)}. ${wrapHint(key, spec, value)}`,
      );
      continue;
    }
    value.forEach((entry: unknown, index) => {
      const parsed = spec.entry.parse(entry);
      if (parsed.ok) values[key as keyof S].push(parsed.value);
      else problems.push(`${SETTINGS_PATH}.${key}[${index}] ${parsed.problem}`);
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}

/** `Write auth: ["gatekeeper"].` when the value is one good entry, otherwise the key's example. */
function wrapHint(key: string, spec: SettingSpec<unknown, unknown>, value: unknown): string {
  if (spec.entry.parse(value).ok) return `Write ${key}: [${JSON.stringify(value)}].`;
  return `For example: ${key}: ${formatExample(spec.example)}.`;
}

/** `["/health", "/webhooks/**"]`: the example as it is written in a config file. */
export function formatExample(example: readonly unknown[]): string {
  return `[${example.map((e) => JSON.stringify(e)).join(", ")}]`;
}

function unknownKeyProblem(key: string, known: readonly string[]): string {
  const near = nearestKeys(key, known);
  const hint =
    near.length > 0 ? `did you mean ${near.map((k) => `"${k}"`).join(" or ")}?` : `the keys are ${known.join(", ")}.`;
  return `Unknown key "${key}" in ${SETTINGS_PATH}; ${hint}`;
}

/**
 * The known keys `key` is most likely a misspelling of: a small edit distance (case,
 * `-` and `_` aside), or one name containing the other (`authMiddleware` → `auth`).
 * Closest first; empty when nothing is near.
 */
export function nearestKeys(key: string, known: readonly string[]): string[] {
  const wanted = normaliseKey(key);
  const candidates: Array<{ key: string; distance: number }> = [];
  for (const candidate of known) {
    const name = normaliseKey(candidate);
    const distance = editDistance(wanted, name);
    const contains = Math.min(wanted.length, name.length) >= 3 && (wanted.includes(name) || name.includes(wanted));
    if (contains || distance <= Math.max(2, Math.floor(name.length / 3))) candidates.push({ key: candidate, distance });
  }
  return candidates.sort((a, b) => a.distance - b.distance).map((c) => c.key);
}

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2][j - 2] + 1);
      rows[i][j] = best;
    }
  }
  return rows[a.length][b.length];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `a string ("gatekeeper")`, `a number (5)`, `an array`, `null`: what the user wrote, briefly. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof RegExp) return `a RegExp (${shorten(String(value))})`;
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return `a string (${JSON.stringify(shorten(value))})`;
    case "number":
    case "boolean":
    case "bigint":
      return `a ${typeof value} (${String(value)})`;
    case "object":
      return "an object";
    default:
      return `${typeof value === "undefined" ? "" : "a "}${typeof value}`;
  }
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
