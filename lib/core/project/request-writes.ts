/**
 * Values that middleware of other project files puts into the request before a handler runs
 * (AP103): `app.use("/api/cards", auth(), appendUserId())`, where `appendUserId` sets
 * `req.body.UserId` from the caller's token in its own file. The endpoint names the
 * middleware in front of its handler (`requestWriters`); the middleware's file says what it
 * assigns (`requestWrites` of its summary).
 *
 * Where another file mounts the endpoint's router, what that file puts in front of it counts
 * too (`Attachment.requestWriters`, followed up the mounts like the protections): for a router
 * mounted in several places, only what every mount puts into the request.
 *
 * A handler of another file reads the request through its call's request argument, which
 * gets the assignments (flow.ts reads them there). A handler of the endpoint's own file was
 * resolved by its adapter: its reads of an assigned path are client origins named from the
 * request (`req.body.UserId`), and take the assigned value's origin here.
 */
import type { CallArgument, Endpoint, RequestAssignment, ValueOrigin } from "../model.js";
import type { ProjectIndex } from "./index.js";

/** What the mounts on one way from a router up to the app put into the request: assignments, and middleware by its file. */
export interface MountedWrites {
  assigned: RequestAssignment[];
  middleware: { file: string; export: string }[];
}

/**
 * Applies what the middleware in front of the endpoint's handler assigns (in place); `mounts`
 * holds what each way the endpoint's router is mounted by other files puts in front of it.
 */
export function applyRequestWriters(
  endpoint: Endpoint,
  filename: string,
  index: ProjectIndex,
  settings: unknown,
  mounts: readonly MountedWrites[] = [],
): void {
  const writers = endpoint.requestWriters;
  if (!writers) return;
  const effect = (file: string | undefined, name: string): RequestAssignment[] =>
    (file ? index.summary(file, settings)?.requestWrites?.find((w) => w.export === name)?.assigned : undefined) ?? [];
  const assigned = writers.middleware.flatMap((m) => effect(index.resolve(m.module, filename), m.export));
  if (mounts.length > 0) {
    const ways = mounts.map((way) => [...way.assigned, ...way.middleware.flatMap((m) => effect(m.file, m.export))]);
    assigned.push(...ways.reduce((common, way) => common.filter((a) => way.some((b) => sameAssignment(a, b)))));
  }
  if (assigned.length === 0) return;
  const origin = (value: ValueOrigin): ValueOrigin => assignedOrigin(value, assigned, writers.via);
  for (const op of endpoint.dataOperations) {
    if (!op.selection) continue;
    op.selection = {
      ...op.selection,
      conditions: op.selection.conditions.map((c) => ({ ...c, origin: origin(c.origin) })),
    };
  }
  for (const call of endpoint.calls ?? []) {
    call.args = call.args.map((arg) => argument(arg, assigned, origin));
    if (call.verified) call.verified = call.verified.map((v) => ({ ...v, origin: origin(v.origin) }));
  }
}

function argument(
  arg: CallArgument,
  assigned: readonly RequestAssignment[],
  origin: (value: ValueOrigin) => ValueOrigin,
): CallArgument {
  if (arg.kind === "request") return { ...arg, assigned: [...(arg.assigned ?? []), ...assigned] };
  if (arg.kind !== "object") return origin(arg);
  return {
    ...arg,
    properties: Object.fromEntries(Object.entries(arg.properties).map(([k, v]) => [k, origin(v)])),
    ...(arg.positional ? { positional: arg.positional.map(origin) } : {}),
  };
}

/** A client read of the request under an assigned path (`req.body.UserId`, `req.body.UserId.toString()`) is the assigned value. */
function assignedOrigin(
  value: ValueOrigin,
  assigned: readonly RequestAssignment[],
  heads: readonly string[],
): ValueOrigin {
  if (value.kind !== "client") return value;
  for (const assignment of assigned)
    for (const head of heads) {
      const path = rendered(head, assignment.path);
      if (value.via === path || (value.via.startsWith(path) && /^[.[(]/.test(value.via.slice(path.length))))
        return assignment.kind === "principal" ? { kind: "principal", via: value.via } : { kind: "other" };
    }
  return value;
}

/** `req` + `body`, `UserId` → `req.body.UserId`, as adapters name a read of the request. */
function rendered(head: string, path: readonly string[]): string {
  let text = head;
  for (const segment of path) {
    if (/^\d+$/.test(segment)) text += `[${segment}]`;
    else text += text === "" ? segment : `.${segment}`;
  }
  return text;
}

function sameAssignment(a: RequestAssignment, b: RequestAssignment): boolean {
  return a.kind === b.kind && a.path.length === b.path.length && a.path.every((p, i) => b.path[i] === p);
}
