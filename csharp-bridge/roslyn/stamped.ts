/**
 * What the Roslyn configuration derives from a file or a folder (its parsed settings, its
 * listing), kept while the path's modification time and size stay the same, so an editor that
 * lints all day sees an edited `.editorconfig` or project file on the next lint. A missing
 * path has a stamp too, and is looked at again once it appears. Bounded: the oldest entry
 * goes first.
 */
import { statSync, type Stats } from "node:fs";

interface Entry<T> {
  mtimeMs: number;
  size: number;
  value: T;
}

function stampOf(stat: Stats | undefined): { mtimeMs: number; size: number } {
  return stat ? { mtimeMs: stat.mtimeMs, size: stat.size } : { mtimeMs: -1, size: -1 };
}

export class StampedCache<T> {
  readonly #entries = new Map<string, Entry<T>>();

  constructor(private readonly limit: number) {}

  /** The value for `path` while its stamp is unchanged. */
  peek(path: string): T | undefined {
    const entry = this.#entries.get(path);
    if (!entry) return undefined;
    const now = stampOf(statSync(path, { throwIfNoEntry: false }));
    if (entry.mtimeMs === now.mtimeMs && entry.size === now.size) return entry.value;
    this.#entries.delete(path);
    return undefined;
  }

  /** Keeps `value` for `path` under its current stamp. */
  put(path: string, value: T, stat: Stats | undefined = statSync(path, { throwIfNoEntry: false })): void {
    this.#entries.set(path, { ...stampOf(stat), value });
    if (this.#entries.size > this.limit) this.#entries.delete(this.#entries.keys().next().value!);
  }

  /** The value for `path`, derived again (from its stats, undefined when it is missing) when its stamp changed. */
  get(path: string, derive: (stat: Stats | undefined) => T): T {
    const stat = statSync(path, { throwIfNoEntry: false });
    const now = stampOf(stat);
    const entry = this.#entries.get(path);
    if (entry && entry.mtimeMs === now.mtimeMs && entry.size === now.size) return entry.value;
    const value = derive(stat);
    this.put(path, value, stat);
    return value;
  }
}
