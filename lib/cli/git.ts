/** The git commit a scan ran on, and whether the work tree had changes: the report's provenance. */
import { execFileSync } from "node:child_process";

export function gitState(cwd: string): { commit: string; dirty: boolean; branch?: string } | undefined {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).trim();
  try {
    const commit = git("rev-parse", "HEAD");
    const dirty = git("status", "--porcelain").length > 0;
    const branch = git("rev-parse", "--abbrev-ref", "HEAD");
    return { commit, dirty, ...(branch && branch !== "HEAD" ? { branch } : {}) };
  } catch {
    return undefined;
  }
}
