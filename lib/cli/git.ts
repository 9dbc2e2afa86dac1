/** The git commit a scan ran on, and whether the work tree had changes: the report's provenance. */
import { execFileSync } from "node:child_process";
import { remoteUri } from "./formats/sarif.js";

export function gitState(
  cwd: string,
): { commit: string; dirty: boolean; branch?: string; remote?: string } | undefined {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).trim();
  try {
    const commit = git("rev-parse", "HEAD");
    const dirty = git("status", "--porcelain").length > 0;
    const branch = git("rev-parse", "--abbrev-ref", "HEAD");
    let remote: string | undefined;
    try {
      // Never with credentials: a URL like https://user:token@host/… keeps only host and path.
      remote = remoteUri(git("config", "--get", "remote.origin.url"));
    } catch {
      remote = undefined;
    }
    return {
      commit,
      dirty,
      ...(branch && branch !== "HEAD" ? { branch } : {}),
      ...(remote !== undefined ? { remote } : {}),
    };
  } catch {
    return undefined;
  }
}
