/**
 * Where a file's SourceCode put the directives of global suppressions, for the processor that
 * runs on the same file's messages right after (roslyn/processor.ts). Linting a file is
 * synchronous from parse to postprocess, so one entry per file, replaced on each lint and
 * taken by the processor, is all the state there is.
 */
export interface GlobalSite {
  /** The directive's position: the declaration's start (1-based line, 0-based column). */
  line: number;
  column: number;
  /** `api-posture/require-route-auth`. */
  rule: string;
  shared: boolean;
  /** The attribute: file (absolute) and line. */
  source: { file: string; line: number };
}

const sites = new Map<string, GlobalSite[]>();

export function recordGlobalSites(filename: string, list: GlobalSite[]): void {
  if (list.length === 0) sites.delete(filename);
  else sites.set(filename, list);
  // Files whose processor never ran (a config without it): a bound, not a leak.
  if (sites.size > 1_000) sites.delete(sites.keys().next().value!);
}

export function takeGlobalSites(filename: string): GlobalSite[] {
  const list = sites.get(filename) ?? [];
  sites.delete(filename);
  return list;
}
