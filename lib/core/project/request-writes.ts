/**
 * Values that middleware of other project files puts into the request before a handler runs
 * (AP103): `app.use("/api/cards", auth(), appendUserId())`, where `appendUserId` sets
 * `req.body.UserId` from the caller's token in its own file. The endpoint names the
 * middleware in front of its handler (`requestWriters`); the middleware's file says what it
 * assigns (`requestWrites` of its summary).
 *
 * A handler of another file reads the request through its call's request argument, which
 * gets the assignments (flow.ts reads them there). A handler of the endpoint's own file was
 * resolved by its adapter: its reads of an assigned path are client origins named from the
 * request (`req.body.UserId`), and take the assigned value's origin here.
 */
import type { CallArgument, Endpoint, RequestAssignment, ValueOrigin } from "../model.js";
import type { ProjectIndex } from "./index.js";

/** Applies what the middleware in front of the endpoint's handler assigns (in place). */
export function applyRequestWriters(
  endpoint: Endpoint,
  filename: string,
  index: ProjectIndex,
  settings: unknown,
): void {
  const writers = endpoint.requestWriters;
  if (!writers) return;
  const assigned: RequestAssignment[] = [];
  for (const middleware of writers.middleware) {
    const file = index.resolve(middleware.module, filename);
    const effect = file
      ? index.summary(file, settings)?.requestWrites?.find((w) => w.export === middleware.export)
      : undefined;
    if (effect) assigned.push(...effect.assigned);
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
