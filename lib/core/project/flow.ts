/**
 * Data flow across files (AP103): a handler that passes the client's `id` to
 * `this.invoices.remove(id)` in another file, which deletes by it, deletes by the client's id.
 *
 * Adapters record a handler's calls to functions of other files (`Endpoint.calls`) with the
 * origins of their arguments, and summarise what each exported function or method does with
 * records in its own terms (`FunctionFlow`: its operations with `parameter` origins, its own
 * calls onwards, what it returns, and its checks that count when a caller passes the
 * principal). Following a call puts the caller's argument origins in place of the callee's
 * parameters, level after level, so the operations the handler leads to join its own with
 * the client, principal or other origin of every condition, and with `through` naming the
 * calls that lead there.
 *
 * Nothing here knows a language: TS names a callee by module and export, C# by type (an
 * interface reaches the classes implementing it) or by the MediatR request a handler handles.
 */
import { auditsThrough } from "../facts/audit.js";
import type {
  AuditEvent,
  CallArgument,
  CallStep,
  DataOperation,
  Endpoint,
  ExternalCall,
  OwnershipCheck,
  RecordCondition,
  RequestArgument,
  ValueOrigin,
} from "../model.js";
import type { ProjectIndex } from "./index.js";
import type { FunctionFlow } from "./summary.js";

/** Call levels followed across files from a handler. */
const MAX_LEVELS = 6;
/** Operations one endpoint collects from other files. */
const MAX_OPERATIONS = 400;
/** Re-export hops followed to find a function. */
const MAX_REEXPORTS = 8;
/** Functions one target may name (an interface with several implementations). */
const MAX_CANDIDATES = 8;

const OTHER: ValueOrigin = { kind: "other" };

/** What following one call gives: every operation it leads to, and those whose record it returns. */
interface Followed {
  operations: DataOperation[];
  returned: DataOperation[];
  /** What the functions it runs record of who changed what (AP107), with the caller's identity put in place. */
  audits: AuditEvent[];
}

/** Resolves the functions calls name, once per file and target for one lint. */
export class FlowLinker {
  private readonly functions = new Map<string, Array<{ flow: FunctionFlow; file: string }>>();

  constructor(
    private readonly index: ProjectIndex,
    private readonly settings: unknown,
  ) {}

  /** Adds to the endpoint's operations those its calls lead to in other files (in place). */
  link(endpoint: Endpoint, filename: string): void {
    const calls = endpoint.calls;
    if (!calls || calls.length === 0) return;
    const budget = { left: MAX_OPERATIONS };
    const results: CallResult[] = [];
    for (const call of calls) {
      const followed = this.follow(call, call.args.map(finalArgument), filename, undefined, 1, new Set(), budget);
      applyVerified(
        followed.operations,
        (call.verified ?? []).map((v) => ({ ...v, origin: finalOrigin(v.origin) })),
      );
      results.push({ loc: call.loc, checks: call.resultChecks ?? [], followed });
      endpoint.dataOperations.push(...followed.operations);
      if (followed.audits.length > 0) endpoint.auditEvents = [...(endpoint.auditEvents ?? []), ...followed.audits];
    }
    applyResultChecks(results, endpoint.dataOperations, (op) => ownLoc(op, undefined));
  }

  /**
   * The operations a call leads to, with `args` the origins of its arguments from the
   * handler's point of view. `file` is the caller's file; `callerFile` is set below the first
   * level, where the step is in a file other than the endpoint's.
   */
  private follow(
    call: ExternalCall,
    args: readonly CallArgument[],
    file: string,
    callerFile: string | undefined,
    level: number,
    active: Set<FunctionFlow>,
    budget: { left: number },
  ): Followed {
    const out: Followed = { operations: [], returned: [], audits: [] };
    if (level > MAX_LEVELS || budget.left <= 0) return out;
    const step: CallStep = { function: call.function, loc: call.loc, ...(callerFile ? { file: callerFile } : {}) };
    for (const { flow, file: calleeFile } of this.resolve(call, file)) {
      if (active.has(flow)) continue;
      active.add(flow);
      const substitute = (origin: ValueOrigin): ValueOrigin =>
        substituteOrigin(origin, args, this.positional(args, file));
      const operations = flow.operations.map((op) => instantiate(op, substitute, step, calleeFile));
      const onCalls = flow.calls.map((inner) => ({
        call: inner,
        checks: inner.resultChecks?.map((check) => withFile(check, calleeFile)) ?? [],
      }));
      for (const conditional of flow.conditionalChecks ?? []) {
        const origin = substitute({ kind: "parameter", index: conditional.when.index, path: conditional.when.path });
        if (origin.kind !== "principal") continue;
        const check = withFile(conditional.check, calleeFile);
        for (const i of conditional.covers) {
          const op = operations[i];
          if (op) op.ownership = [...(op.ownership ?? []), check];
        }
        for (const i of conditional.coversCalls ?? []) onCalls[i]?.checks.push(check);
      }
      if (flow.audits) out.audits.push(...auditsThrough(flow.audits, substitute, step, calleeFile));
      const results = onCalls.map(({ call: inner, checks }): CallResult => {
        const innerArgs = inner.args.map((arg) => substituteArgument(arg, substitute));
        const followed = this.follow(inner, innerArgs, calleeFile, calleeFile, level + 1, active, budget);
        for (const op of followed.operations) op.through = [step, ...(op.through ?? [])];
        for (const event of followed.audits) out.audits.push({ ...event, through: [step, ...(event.through ?? [])] });
        applyVerified(
          followed.operations,
          (inner.verified ?? []).map((v) => ({ origin: substitute(v.origin), check: withFile(v.check, calleeFile) })),
        );
        return { loc: inner.loc, checks, followed };
      });
      const own = operations.slice(0, Math.max(0, budget.left));
      budget.left -= own.length;
      const all = [...own, ...results.flatMap((r) => r.followed.operations)];
      applyResultChecks(results, all, (op) => ownLoc(op, calleeFile));
      out.operations.push(...all);
      if (flow.returns !== undefined && operations[flow.returns]) out.returned.push(operations[flow.returns]);
      if (flow.returnsCall !== undefined) out.returned.push(...(results[flow.returnsCall]?.followed.returned ?? []));
      active.delete(flow);
    }
    return out;
  }

  /**
   * The positional names of the record types the arguments construct, from their declarations.
   * C#: a nested record is named with its enclosing type (`Edit.Command`); of several records
   * of one name, the one declared nearest the call.
   */
  private positional(args: readonly CallArgument[], from: string): (type: string) => string[] | undefined {
    return (type) => {
      if (!args.some((arg) => arg.kind === "object" && arg.type === type)) return undefined;
      const last = type.slice(type.lastIndexOf(".") + 1);
      const files = nearestFirst(this.filesDeclaring([type, type.split(".")[0], last]), from);
      // As written (`Edit.Command`), else by its last name when written with its namespace.
      for (const name of type === last ? [type] : [type, last]) {
        for (const file of files) {
          const found = this.index.summary(file, this.settings)?.types?.find((t) => t.name === name && t.positional);
          if (found?.positional) return found.positional;
        }
      }
      return undefined;
    };
  }

  /** The functions a call may run, with their files. */
  private resolve(call: ExternalCall, from: string): Array<{ flow: FunctionFlow; file: string }> {
    const key = `${from}\0${JSON.stringify(call.target)}`;
    let found = this.functions.get(key);
    if (!found) {
      found = this.lookUp(call, from).slice(0, MAX_CANDIDATES);
      this.functions.set(key, found);
    }
    return found;
  }

  private lookUp(call: ExternalCall, from: string): Array<{ flow: FunctionFlow; file: string }> {
    const target = call.target;
    if ("module" in target) {
      const file = this.index.resolve(target.module, from);
      return file ? this.exported(file, target.export, target.member, 0) : [];
    }
    if ("request" in target) {
      // The handler of a request, by the files that declare `IRequestHandler<Request>` (the C#
      // summarizer's `handles:` keys), the handler named for it or the request's own file. A
      // request written qualified (`Delete.Command`, a namespace) matches a handler of its last part.
      const request = target.request;
      const last = request.slice(request.lastIndexOf(".") + 1);
      const outer = request.split(".")[0];
      const out: Array<{ flow: FunctionFlow; file: string }> = [];
      for (const file of this.filesDeclaring([`handles:${last}`, `${request}Handler`, request, outer]))
        for (const flow of this.index.summary(file, this.settings)?.functions ?? [])
          if (flow.handles !== undefined && (flow.handles === request || request.endsWith(`.${flow.handles}`)))
            out.push({ flow, file });
      // Several features of one app each with a `Details.Query`: the handler nearest the caller is its own.
      return nearest(out, from);
    }
    return this.typeMethods(target, from);
  }

  /**
   * C#: the methods a call on a type may run: the type's own, or its implementations' — the
   * classes whose base list names it (the C# summarizer's `impl:` keys), and by .NET's naming
   * convention the class an interface names (`IOrderQueries` → `OrderQueries`). A call through
   * a property of a bundle of services (`services.Queries`) first takes the property's type.
   */
  private typeMethods(
    target: { type: string; member: string; property?: string },
    from: string,
  ): Array<{
    flow: FunctionFlow;
    file: string;
  }> {
    let type = target.type;
    if (target.property !== undefined) {
      const property = target.property;
      const bundle = this.filesDeclaring([type])
        .map((file) => this.index.summary(file, this.settings)?.types?.find((t) => t.name === type && t.members))
        .find((t) => t?.members?.[property] !== undefined);
      const member = bundle?.members?.[property];
      if (member === undefined) return [];
      type = member;
    }
    const names = [type];
    if (/^I[A-Z]/.test(type)) names.push(type.slice(1));
    const out: Array<{ flow: FunctionFlow; file: string }> = [];
    for (const file of this.filesDeclaring([...names, `impl:${type}`])) {
      const summary = this.index.summary(file, this.settings);
      for (const flow of summary?.functions ?? []) {
        if (flow.member !== target.member || flow.type === undefined) continue;
        const named = flow.type;
        if (names.includes(named) || summary?.types?.some((t) => t.name === named && t.bases.includes(type)))
          out.push({ flow, file });
      }
    }
    // A concrete class found stands for the interface: its implementation is what runs.
    const found = out.some((f) => f.flow.type !== type) ? out.filter((f) => f.flow.type !== type) : out;
    // Implementations of one name in several files (one per feature folder): the nearest one.
    const byType = new Map<string, Array<{ flow: FunctionFlow; file: string }>>();
    for (const f of found) byType.set(f.flow.type!, [...(byType.get(f.flow.type!) ?? []), f]);
    return [...byType.values()].flatMap((group) => nearest(group, from));
  }

  private filesDeclaring(names: readonly string[]): string[] {
    const files = new Set<string>();
    for (const name of names) for (const file of this.index.declaring(name)) files.add(file);
    return [...files];
  }

  /** The functions of `file` exported as `name` (`member` of it), following re-exports. */
  private exported(
    file: string,
    name: string,
    member: string | undefined,
    depth: number,
  ): Array<{ flow: FunctionFlow; file: string }> {
    const summary = this.index.summary(file, this.settings);
    if (!summary) return [];
    const out: Array<{ flow: FunctionFlow; file: string }> = [];
    for (const flow of summary.functions ?? []) {
      const same = flow.export === name && flow.member === member;
      // `module.exports = { getUser }` read as `userService.getUser`: the object's property is the export.
      const property = member !== undefined && name === "default" && flow.export === member && !flow.member;
      if (same || property) out.push({ flow, file });
    }
    if (out.length > 0 || depth >= MAX_REEXPORTS) return out;
    for (const reexport of summary.reexports ?? []) {
      if (reexport.export !== name && reexport.export !== "*") continue;
      const next = this.index.resolve(reexport.module, file);
      if (!next || next === file) continue;
      // `export * as invoices from "./invoices"` read as `invoices.remove`: the member is the export there.
      if (reexport.export !== "*" && reexport.from === "*") {
        if (member !== undefined) out.push(...this.exported(next, member, undefined, depth + 1));
      } else {
        const there = reexport.export === "*" ? name : reexport.from;
        out.push(...this.exported(next, there, member, depth + 1));
      }
      if (out.length > 0) break;
    }
    return out;
  }
}

/** The candidates in the files nearest `from` (the longest folder prefix they share with it). */
function nearest<T extends { file: string }>(candidates: readonly T[], from: string): T[] {
  if (new Set(candidates.map((c) => c.file)).size <= 1) return [...candidates];
  const best = Math.max(...candidates.map((c) => sharedFolders(c.file, from)));
  return candidates.filter((c) => sharedFolders(c.file, from) === best);
}

function nearestFirst(files: readonly string[], from: string): string[] {
  return [...files].sort((a, b) => sharedFolders(b, from) - sharedFolders(a, from));
}

/** How many leading folders two files' paths share. */
function sharedFolders(a: string, b: string): number {
  const x = a.split(/[\\/]/).slice(0, -1);
  const y = b.split(/[\\/]/).slice(0, -1);
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/** An argument at the handler: its origin as final (a `parameter` of the handler that the adapter could not bind is unknown). */
function finalArgument(arg: CallArgument): CallArgument {
  if (arg.kind === "request") return arg;
  if (arg.kind === "object")
    return {
      ...arg,
      properties: Object.fromEntries(Object.entries(arg.properties).map(([k, v]) => [k, finalOrigin(v)])),
      ...(arg.positional ? { positional: arg.positional.map(finalOrigin) } : {}),
    };
  return finalOrigin(arg);
}

function finalOrigin(origin: ValueOrigin): ValueOrigin {
  return origin.kind === "parameter" ? OTHER : origin;
}

function substituteArgument(arg: CallArgument, substitute: (origin: ValueOrigin) => ValueOrigin): CallArgument {
  if (arg.kind === "request") return arg;
  if (arg.kind !== "object") return substitute(arg);
  return {
    ...arg,
    properties: Object.fromEntries(Object.entries(arg.properties).map(([k, v]) => [k, substitute(v)])),
    ...(arg.positional ? { positional: arg.positional.map(substitute) } : {}),
  };
}

/** A callee's origin with the caller's arguments in place of its parameters. */
export function substituteOrigin(
  origin: ValueOrigin,
  args: readonly CallArgument[],
  positional: (type: string) => string[] | undefined = () => undefined,
): ValueOrigin {
  if (origin.kind !== "parameter") return origin;
  const arg = args[origin.index];
  if (!arg) return OTHER;
  if (arg.kind === "request") return requestRead(arg, origin.path);
  if (arg.kind !== "object") return extendOrigin(arg, origin.path);
  const [head, ...rest] = origin.path;
  if (head === undefined) return OTHER;
  const property = arg.properties[head] ?? arg.properties[lowerFirst(head)] ?? arg.properties[upperFirst(head)];
  if (property) return extendOrigin(property, rest);
  if (arg.positional && arg.type !== undefined) {
    const names = positional(arg.type);
    const at = names?.findIndex((name) => name.toLowerCase() === head.toLowerCase()) ?? -1;
    if (at >= 0 && arg.positional[at]) return extendOrigin(arg.positional[at], rest);
  }
  return OTHER;
}

/** A read of a framework's request: `req.params.id` is the client's, `req.user.id` the caller. */
function requestRead(request: RequestArgument, path: readonly string[]): ValueOrigin {
  const via = [request.via, ...path].join(".");
  const starts = (prefix: readonly string[]): boolean =>
    prefix.length > 0 && prefix.length <= path.length && prefix.every((p, i) => path[i] === p);
  // What middleware put into the request before the handler ran: `req.body.UserId` set from the session.
  const assigned = request.assigned?.find((a) => starts(a.path));
  if (assigned) return assigned.kind === "principal" ? { kind: "principal", via } : OTHER;
  if (request.client.some(starts)) return { kind: "client", via };
  if (request.principal.some(starts)) return { kind: "principal", via };
  return OTHER;
}

/** An origin read further: `req.body` + `invoiceId` → `req.body.invoiceId`. */
export function extendOrigin(origin: ValueOrigin, path: readonly string[]): ValueOrigin {
  if (path.length === 0) return origin;
  switch (origin.kind) {
    case "client":
    case "principal":
      return { kind: origin.kind, via: `${origin.via}.${path.join(".")}` };
    case "parameter":
      return { kind: "parameter", index: origin.index, path: [...origin.path, ...path] };
    default:
      return OTHER;
  }
}

function instantiate(
  op: DataOperation,
  substitute: (origin: ValueOrigin) => ValueOrigin,
  step: CallStep,
  calleeFile: string,
): DataOperation {
  const copy: DataOperation = { ...op, file: op.file ?? calleeFile };
  if (op.selection)
    copy.selection = {
      complete: op.selection.complete,
      conditions: op.selection.conditions.map((c): RecordCondition => ({
        field: c.field,
        origin: substitute(c.origin),
      })),
    };
  if (op.ownership) copy.ownership = op.ownership.map((check) => withFile(check, calleeFile));
  copy.through = [step, ...(op.through ?? []).map((s) => (s.file ? s : { ...s, file: calleeFile }))];
  return copy;
}

function withFile(check: OwnershipCheck, file: string): OwnershipCheck {
  return check.file ? check : { ...check, file };
}

/** Operations that pick records by a client value the caller tied to the principal before the call are covered by that check. */
function applyVerified(
  operations: readonly DataOperation[],
  verified: ReadonlyArray<{ origin: ValueOrigin; check: OwnershipCheck }>,
): void {
  const byVia = new Map<string, OwnershipCheck[]>();
  for (const { origin, check } of verified) {
    if (origin.kind !== "client") continue;
    byVia.set(origin.via, [...(byVia.get(origin.via) ?? []), check]);
  }
  if (byVia.size === 0) return;
  for (const op of operations)
    for (const key of clientKeys(op)) {
      const checks = byVia.get(key);
      if (checks) op.ownership = [...(op.ownership ?? []), ...checks];
    }
}

/** A call followed from a function, with the function's checks on what it returns. */
interface CallResult {
  loc: DataOperation["loc"];
  checks: OwnershipCheck[];
  followed: Followed;
}

/**
 * The caller's checks on what a call returns cover the record returned, and every later
 * operation of the caller that picks its records by the same client-supplied value: a record
 * loaded by `id`, compared with the caller, then deleted by `id`. `where` places an
 * operation in the caller's file.
 */
function applyResultChecks(
  results: readonly CallResult[],
  operations: readonly DataOperation[],
  where: (op: DataOperation) => DataOperation["loc"],
): void {
  for (const { loc, checks, followed } of results) {
    if (checks.length === 0 || followed.returned.length === 0) continue;
    const keys = new Set<string>();
    for (const op of followed.returned) {
      op.ownership = [...(op.ownership ?? []), ...checks];
      for (const key of clientKeys(op)) keys.add(key);
    }
    if (keys.size === 0) continue;
    for (const op of operations) {
      if (followed.returned.includes(op) || !after(where(op), loc)) continue;
      if (clientKeys(op).some((key) => keys.has(key))) op.ownership = [...(op.ownership ?? []), ...checks];
    }
  }
}

/**
 * Where an operation is in the file of the caller it is followed from (`file`; undefined for
 * the endpoint's own file): the first call made there on the way to it, or its own place.
 */
function ownLoc(op: DataOperation, file: string | undefined): DataOperation["loc"] {
  return (op.through ?? []).find((s) => s.file === file)?.loc ?? op.loc;
}

function after(a: DataOperation["loc"], b: DataOperation["loc"]): boolean {
  return a.start.line > b.start.line || (a.start.line === b.start.line && a.start.column > b.start.column);
}

function clientKeys(op: DataOperation): string[] {
  return (op.selection?.conditions ?? []).flatMap((c) => (c.origin.kind === "client" ? [c.origin.via] : []));
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
