/**
 * The `[Authorize]` suggestions of a C# file add `using Microsoft.AspNetCore.Authorization;`
 * when the file does not import it (csharp-bridge/adapter/auth-fixes.ts, which sees one file).
 * A project that imports it everywhere, with `global using` in some file (GlobalUsings.cs) or
 * `<Using Include="Microsoft.AspNetCore.Authorization" />` in its project file, needs no such
 * line: it is dropped here, where the project index is at hand.
 */
import path from "node:path";
import type { FileModel } from "../lib/core/model.js";
import type { ProjectIndex } from "../lib/core/project/index.js";
import { GLOBAL_USING_KEY } from "./project.js";
import { projectWarnings } from "./roslyn/msbuild.js";

const NAMESPACE = "Microsoft.AspNetCore.Authorization";
const USING_EDIT = /^\s*using Microsoft\.AspNetCore\.Authorization;\s*$/u;

export function dropProjectWideUsings(model: FileModel, index: ProjectIndex | undefined, filename: string): void {
  if (!path.isAbsolute(filename)) return;
  const edits = model.endpoints.flatMap((e) => e.authFixes ?? []).flatMap((f) => f.edits);
  if (!edits.some((edit) => USING_EDIT.test(edit.text))) return;
  const imported =
    (index?.declaring(`${GLOBAL_USING_KEY}${NAMESPACE}`).length ?? 0) > 0 ||
    projectWarnings(filename).usings.has(NAMESPACE);
  if (!imported) return;
  for (const endpoint of model.endpoints)
    for (const fix of endpoint.authFixes ?? []) fix.edits = fix.edits.filter((edit) => !USING_EDIT.test(edit.text));
}
