/**
 * The record accesses of a handler (AP103): for each data operation, the conditions that
 * pick its records with where each value comes from, the ownership checks that cover it,
 * and the same-file calls that lead to it.
 *
 * Each function is summarised once, in its own terms: values that come from its
 * parameters stay `parameter` origins (`{ kind: "parameter", index, path }`), so a
 * summary holds wherever the function is called from. A handler's summary takes in the
 * summaries of the same-file functions it calls (a local helper, `this.method()`, a
 * service class of the same file through `this.invoicesService`) with the caller's
 * arguments put in place of their parameters, and the framework's `RequestBinding` then
 * says which of the handler's parameters are the client and which the caller. Which
 * checks cover which operations is decided last, once every value's origin is known.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type {
  CallArgument,
  CallStep,
  CallTarget,
  DataOperation,
  ExternalCall,
  OwnershipCheck,
  RecordCondition,
  RecordSelection,
  ValueOrigin,
} from "../../../core/model.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import { locOf, paramName, unwrap, unwrapAwait, type FunctionNode, type Node } from "../ast.js";
import type { Collected, FileFacts } from "../facts.js";
import type { DataLayer } from "./data-layer.js";
import type { RawAccess } from "./record-selection.js";
import { OwnershipChecks, type CheckFact } from "./ownership-checks.js";
import type { FunctionFlow } from "../../../core/project/summary.js";
import {
  extend,
  OTHER,
  renderPath,
  ValueOrigins,
  type OriginContext,
  type RecordLoad,
  type RequestBinding,
  type Source,
} from "./value-origins.js";

/** One data operation as a function makes it, directly or through the functions it calls. */
export interface AccessFact extends RecordLoad {
  /** The operation as the data layer classified it. */
  op: DataOperation;
  /** Where it is made: an offset per call level, outermost first. */
  at: number[];
  raw: RawAccess;
  /** The selection's conditions with their sources; undefined when the call picks nothing. */
  conditions?: { field: string; source: Source }[];
  complete: boolean;
  /** The loaded record the call acts on (`invoice.destroy()`, `repo.remove(invoice)`). */
  record?: Source;
  through: CallStep[];
}

/** A call to a function of another file that the function makes, directly or through same-file functions. */
export interface ExternalFact extends RecordLoad {
  target: CallTarget;
  /** For `through`: `InvoicesService.remove`. */
  name: string;
  args: Source[];
  /** Where it is made: an offset per call level, outermost first. */
  at: number[];
}

/** What a function does with records, in its own terms. */
export interface FlowSummary {
  accesses: AccessFact[];
  checks: CheckFact[];
  /** Its calls to functions of other files: the project index follows them. */
  externals: ExternalFact[];
  /** What it returns, when that is a loaded record (or what a call to another file returns). */
  returns?: Source;
}

/** A function of the same file that a call runs, with its name for `through`. */
export interface SameFileCallee {
  fn: FunctionNode;
  name: string;
}

/** How the adapter finds the same-file function a call runs (handlers.ts). */
export type CalleeResolver = (call: TSESTree.CallExpression, scope: Node) => SameFileCallee | undefined;

/** How the adapter names the function of another file a call runs (handlers.ts). */
export type ExternalResolver = (
  call: TSESTree.CallExpression,
  scope: Node,
) => { target: CallTarget; name: string } | undefined;

/** Node types the walk collects for this pass: calls to follow and check, `if`s, `return`s, classes for `this`. */
export const RECORD_ACCESS_NODE_TYPES: readonly string[] = [
  T.CallExpression,
  T.IfStatement,
  T.ReturnStatement,
  T.ClassDeclaration,
  T.ClassExpression,
];

/** Calls followed into same-file functions, counted from the handler. */
const MAX_FOLLOW_DEPTH = 3;
/** Same-file calls followed from one function. */
const MAX_FOLLOWED_CALLS = 200;
/** Operations one summary holds, the called functions' included: calls are not followed past it. */
const MAX_ACCESSES = 2000;
/** Ownership checks one handler's operations are matched against. */
const MAX_CHECKS = 200;
/** Calls to other files one summary holds. */
const MAX_EXTERNALS = 64;
/** Fields that hold a record's own key: reading one from a loaded record picks that record again. */
const RECORD_KEY = /^(?:_?id|uuid|guid|pk)$/i;
const ID_FIELD = /^(?:_?id|uuid|guid)$/i;

const EMPTY: FlowSummary = { accesses: [], checks: [], externals: [] };

export class RecordAccess {
  private readonly origins: ValueOrigins;
  private readonly checks: OwnershipChecks;
  private readonly summaries = new Map<FunctionNode, FlowSummary | "pending">();
  private readonly returnsByFunction = new Map<FunctionNode, Collected[]>();

  constructor(
    private readonly facts: FileFacts,
    private readonly data: DataLayer,
    private readonly settings: ResolvedSettings,
    private readonly callee: CalleeResolver,
    private readonly principalCall?: (call: TSESTree.CallExpression, scope: Node) => string | undefined,
    private readonly external?: ExternalResolver,
  ) {
    this.origins = new ValueOrigins(facts);
    this.checks = new OwnershipChecks(facts, this.origins, settings);
  }

  /**
   * The operations of `ops` (the endpoint's, as the data layer found them) with what AP103
   * needs, from handlers `roots` whose parameters `binding` classifies. An operation
   * reached along two paths with different selections appears once per path.
   */
  enrich(roots: readonly FunctionNode[], ops: readonly DataOperation[], binding: RequestBinding): DataOperation[] {
    const byOp = new Map<DataOperation, DataOperation[]>();
    for (const root of roots) {
      if (ops.length === 0) break;
      const resolved = new Resolved(this.summary(root, 0), root, binding, this.settings);
      for (const fact of resolved.summary.accesses) {
        const list = byOp.get(fact.op);
        const enriched = resolved.operation(fact);
        if (!list) byOp.set(fact.op, [enriched]);
        else if (!list.some((e) => sameOperation(e, enriched))) list.push(enriched);
      }
    }
    const out: DataOperation[] = [];
    for (const op of ops) out.push(...(byOp.get(op) ?? [op]));
    return out;
  }

  /**
   * What a function does with records in its own terms, as plain data: each operation's
   * selection with the origins of its values, `parameter` origins for what its callers pass
   * (`{ kind: "parameter", index: 0, path: ["invoiceId"] }` for `dto.invoiceId`), and the
   * checks that cover it whoever calls it. The shape another file's call can be linked to.
   */
  describe(fn: FunctionNode): DataOperation[] {
    const resolved = new Resolved(this.summary(fn, 0), fn, undefined, this.settings);
    return resolved.summary.accesses.map((fact) => resolved.operation(fact));
  }

  /**
   * The calls of handlers `roots` to functions of other files, with their arguments' origins
   * once `binding` classifies the handlers' parameters, and the handlers' checks on what
   * each returns.
   */
  externalCalls(roots: readonly FunctionNode[], binding: RequestBinding): ExternalCall[] {
    const out: ExternalCall[] = [];
    for (const root of roots) {
      const summary = this.summary(root, 0);
      if (summary.externals.length === 0) continue;
      const resolved = new Resolved(summary, root, binding, this.settings);
      for (const fact of summary.externals) out.push(resolved.external(fact));
    }
    return out;
  }

  /**
   * What a function does with records in its own terms, for the project index: its
   * operations and calls onwards with `parameter` origins for what its callers pass, the
   * record it returns, and its checks that count when a caller passes the principal for a
   * parameter. Undefined when it touches no data and calls no other file.
   */
  flow(fn: FunctionNode): Omit<FunctionFlow, "name" | "export" | "member"> | undefined {
    const summary = this.summary(fn, 0);
    if (summary.accesses.length === 0 && summary.externals.length === 0) return undefined;
    const resolved = new Resolved(summary, fn, undefined, this.settings);
    const operations = summary.accesses.map((fact) => resolved.operation(fact));
    const calls = summary.externals.map((fact) => resolved.external(fact));
    const flow: Omit<FunctionFlow, "name" | "export" | "member"> = { operations, calls };
    const returned =
      summary.returns?.kind === "record" && summary.returns.path.length === 0 ? summary.returns.load : undefined;
    if (returned) {
      const access = summary.accesses.indexOf(returned as AccessFact);
      const call = summary.externals.indexOf(returned as ExternalFact);
      if (access >= 0) flow.returns = access;
      else if (call >= 0) flow.returnsCall = call;
    }
    const conditional = this.conditionalChecks(summary, fn, operations, calls);
    if (conditional.length > 0) flow.conditionalChecks = conditional;
    return flow;
  }

  /**
   * Checks that compare a loaded record with a parameter: with the principal passed for that
   * parameter they cover operations they do not cover on their own.
   */
  private conditionalChecks(
    summary: FlowSummary,
    fn: FunctionNode,
    operations: readonly DataOperation[],
    calls: readonly ExternalCall[],
  ): NonNullable<FunctionFlow["conditionalChecks"]> {
    const candidates = new Map<string, { index: number; path: string[] }>();
    for (const check of summary.checks.slice(0, MAX_CHECKS)) {
      for (const side of [...(check.pair ?? []), ...(check.lookup ?? [])])
        if (side.kind === "parameter") candidates.set(`${side.index}:${side.path.join(".")}`, side);
      if (check.scopedLoad)
        for (const c of (check.scopedLoad as AccessFact).conditions ?? [])
          if (c.source.kind === "parameter") candidates.set(`${c.source.index}:${c.source.path.join(".")}`, c.source);
    }
    const out: NonNullable<FunctionFlow["conditionalChecks"]> = [];
    for (const when of [...candidates.values()].slice(0, 8)) {
      const binding: RequestBinding = {
        classify: (_fn, index, path) =>
          index === when.index && path.length >= when.path.length && when.path.every((p, i) => path[i] === p)
            ? "principal"
            : undefined,
      };
      const resolved = new Resolved(summary, fn, binding, this.settings, true);
      summary.externals.forEach((fact, i) => {
        const before = calls[i].resultChecks ?? [];
        for (const check of resolved.external(fact).resultChecks ?? []) {
          if (before.some((b) => b.name === check.name && b.loc.start.line === check.loc.start.line)) continue;
          const known = out.find(
            (o) => o.check.name === check.name && o.check.loc.start.line === check.loc.start.line && o.when === when,
          );
          if (known) (known.coversCalls ??= []).push(i);
          else out.push({ check, when, covers: [], coversCalls: [i] });
        }
      });
      summary.accesses.forEach((fact, i) => {
        const before = operations[i].ownership ?? [];
        for (const check of resolved.operation(fact).ownership ?? []) {
          if (before.some((b) => b.name === check.name && b.loc.start.line === check.loc.start.line)) continue;
          const known = out.find(
            (o) => o.check.name === check.name && o.check.loc.start.line === check.loc.start.line && o.when === when,
          );
          if (known) known.covers.push(i);
          else out.push({ check, when, covers: [i] });
        }
      });
    }
    return out;
  }

  /** The summary of a function in its own terms (for the project index: what a service method does with its parameters). */
  summary(fn: FunctionNode, depth = 0): FlowSummary {
    const known = this.summaries.get(fn);
    if (known === "pending") return EMPTY;
    if (known) return known;
    this.summaries.set(fn, "pending");
    const summary = this.summarize(fn, depth);
    this.summaries.set(fn, summary);
    return summary;
  }

  private summarize(fn: FunctionNode, depth: number): FlowSummary {
    const accesses: AccessFact[] = [];
    const checks: CheckFact[] = [];
    const externals: ExternalFact[] = [];
    const externalByCall = new Map<Node, ExternalFact | null>();
    const byCall = new Map<Node, AccessFact>();
    for (const site of this.facts.sitesWithin(this.facts.dataCalls, fn)) {
      const op = this.data.classify(site);
      const raw = op ? this.data.access(site) : undefined;
      if (!op || !raw) continue;
      const fact: AccessFact = { call: site.call, op, at: [site.call.range[0]], raw, complete: true, through: [] };
      accesses.push(fact);
      byCall.set(site.call, fact);
    }
    const followed = new Map<Node, FlowSummary | null>();
    let budget = depth < MAX_FOLLOW_DEPTH ? MAX_FOLLOWED_CALLS : 0;
    const context: OriginContext = {
      fn,
      result: (call, scope) => {
        const load = this.loadOf(call, byCall);
        if (load) return { kind: "record", load, path: [] };
        return follow(call, scope)?.returns;
      },
      external: (call, scope) => {
        if (follow(call, scope)) return undefined;
        const external = externalOf(call, scope);
        return external ? { kind: "record", load: external, path: [] } : undefined;
      },
      ...(this.principalCall ? { principalCall: this.principalCall } : {}),
    };
    /** A same-file function the call runs, summarised with this call's arguments. */
    const follow = (call: TSESTree.CallExpression, scope: Node): FlowSummary | undefined => {
      const known = followed.get(call);
      if (known !== undefined) return known ?? undefined;
      followed.set(call, null);
      if (budget <= 0 || accesses.length >= MAX_ACCESSES) return undefined;
      const target = this.callee(call, scope);
      // A function declared inside this one runs as part of it: its operations are already here.
      if (!target || (fn.range[0] <= target.fn.range[0] && target.fn.range[1] <= fn.range[1])) return undefined;
      budget--;
      const args = call.arguments.map((arg) =>
        arg.type === T.SpreadElement ? OTHER : this.origins.sourceOf(arg, scope, context),
      );
      const instance = instantiate(this.summary(target.fn, depth + 1), args, call, target.name);
      followed.set(call, instance);
      accesses.push(...instance.accesses);
      checks.push(...instance.checks);
      externals.push(...instance.externals.slice(0, Math.max(0, MAX_EXTERNALS - externals.length)));
      return instance;
    };
    /** A call to a function of another file, with its arguments' sources. */
    const externalOf = (call: TSESTree.CallExpression, scope: Node): ExternalFact | undefined => {
      const known = externalByCall.get(call);
      if (known !== undefined) return known ?? undefined;
      externalByCall.set(call, null);
      if (!this.external || byCall.has(call) || externals.length >= MAX_EXTERNALS) return undefined;
      const target = this.external(call, scope);
      if (!target) return undefined;
      const fact: ExternalFact = { call, target: target.target, name: target.name, args: [], at: [call.range[0]] };
      externalByCall.set(call, fact);
      fact.args = call.arguments.map((arg) =>
        arg.type === T.SpreadElement ? OTHER : this.origins.sourceOf(arg, scope, context),
      );
      externals.push(fact);
      return fact;
    };
    for (const fact of [...accesses]) {
      const selection = fact.raw.selection;
      if (selection) {
        fact.conditions = selection.conditions.map((c) => ({
          field: c.field,
          source: this.origins.sourceOf(c.value, c.scope, context),
        }));
        fact.complete = selection.complete;
      }
      if (fact.raw.record) fact.record = this.origins.sourceOf(fact.raw.record.value, fact.raw.record.scope, context);
    }
    for (const c of this.callsWithin(fn)) {
      const call = c.node as TSESTree.CallExpression;
      if (!(depth < MAX_FOLLOW_DEPTH && follow(call, c.scope))) externalOf(call, c.scope);
    }
    checks.push(...this.checks.find(fn, context));
    const returns = this.returns(fn, context);
    accesses.sort((a, b) => comparePositions(a.at, b.at));
    externals.sort((a, b) => comparePositions(a.at, b.at));
    return { accesses, checks, externals, ...(returns ? { returns } : {}) };
  }

  /** The data call a call's value comes from: itself, or one down its chain (`Invoice.findById(id).populate("owner")`, `db.select().from(t).where(…)`). */
  private loadOf(call: TSESTree.CallExpression, byCall: ReadonlyMap<Node, AccessFact>): AccessFact | undefined {
    let current: Node = call;
    for (let i = 0; i < 40; i++) {
      const found = byCall.get(current);
      if (found) return found;
      const c = unwrapAwait(current);
      if (c.type !== T.CallExpression) return undefined;
      const callee = unwrap(c.callee);
      if (callee.type !== T.MemberExpression) return undefined;
      current = unwrapAwait(callee.object);
      if (current.type !== T.CallExpression) return undefined;
    }
    return undefined;
  }

  /** What the function returns, when it is a loaded record: `return this.repo.findOneBy({ id })`. */
  private returns(fn: FunctionNode, context: OriginContext): Source | undefined {
    if (fn.body.type !== T.BlockStatement) {
      const source = this.origins.sourceOf(fn.body, fn, context);
      return source.kind === "record" ? source : undefined;
    }
    let list = this.returnsByFunction.get(fn);
    if (!list) {
      list = this.facts.collectedWithin(T.ReturnStatement, fn).filter((c) => c.scope === fn);
      this.returnsByFunction.set(fn, list);
    }
    for (const c of list) {
      const argument = (c.node as TSESTree.ReturnStatement).argument;
      if (!argument) continue;
      const source = this.origins.sourceOf(argument, c.scope, context);
      if (source.kind === "record") return source;
    }
    return undefined;
  }

  private callsWithin(fn: FunctionNode): Collected[] {
    // Calls among the parameters are their decorators (`@Param("id")`) and defaults, not the function's work.
    const bodyStart = fn.body.range[0];
    return this.facts.collectedWithin(T.CallExpression, fn).filter((c) => {
      if (c.node.range[0] < bodyStart) return false;
      const callee = unwrap((c.node as TSESTree.CallExpression).callee);
      return callee.type === T.Identifier || callee.type === T.MemberExpression;
    });
  }
}

/** A summary with the caller's arguments put in place of the callee's parameters, at the call's position. */
function instantiate(
  summary: FlowSummary,
  args: readonly Source[],
  call: TSESTree.CallExpression,
  name: string,
): FlowSummary {
  const step: CallStep = { function: name, loc: locOf(call) };
  const at = call.range[0];
  const facts = new Map<RecordLoad, AccessFact>();
  for (const fact of summary.accesses)
    facts.set(fact, { ...fact, at: [at, ...fact.at], through: [step, ...fact.through] });
  const externals = new Map<RecordLoad, ExternalFact>();
  for (const fact of summary.externals) externals.set(fact, { ...fact, at: [at, ...fact.at] });
  const map = (source: Source): Source => {
    switch (source.kind) {
      case "parameter":
        return extend(args[source.index] ?? OTHER, source.path);
      case "record":
        return {
          kind: "record",
          load: facts.get(source.load) ?? externals.get(source.load) ?? source.load,
          path: source.path,
        };
      case "object":
        return { kind: "object", properties: new Map([...source.properties].map(([k, v]) => [k, map(v)])) };
      default:
        return source;
    }
  };
  for (const [original, copy] of externals) copy.args = (original as ExternalFact).args.map(map);
  const accesses = summary.accesses.map((fact) => {
    const copy = facts.get(fact)!;
    if (fact.conditions) copy.conditions = fact.conditions.map((c) => ({ field: c.field, source: map(c.source) }));
    if (fact.record) copy.record = map(fact.record);
    return copy;
  });
  const checks = summary.checks.map((check): CheckFact => ({
    ...check,
    at: [at, ...check.at],
    subjects: check.subjects.map(map),
    ...(check.pair ? { pair: [map(check.pair[0]), map(check.pair[1])] } : {}),
    ...(check.scopedLoad ? { scopedLoad: facts.get(check.scopedLoad) ?? check.scopedLoad } : {}),
    ...(check.lookup ? { lookup: check.lookup.map(map) } : {}),
    ...(check.region
      ? {
          region: [
            [at, ...check.region[0]],
            [at, ...check.region[1]],
          ],
        }
      : {}),
  }));
  return {
    accesses,
    checks,
    externals: [...externals.values()],
    ...(summary.returns ? { returns: map(summary.returns) } : {}),
  };
}

/** What a root summary says once the handler's parameters are known. */
class Resolved {
  private readonly selections = new Map<AccessFact, Expanded | null>();
  private readonly effective: { check: CheckFact; subjects: Source[] }[];

  constructor(
    readonly summary: FlowSummary,
    private readonly root: FunctionNode,
    /** The framework's; undefined keeps the function's parameters as `parameter` origins. */
    private readonly binding: RequestBinding | undefined,
    private readonly settings: ResolvedSettings,
    /** Parameters the binding does not classify stay `parameter` origins (for conditional checks). */
    private readonly keepParameters = false,
  ) {
    const checks = summary.checks.slice(0, MAX_CHECKS);
    this.effective = checks.flatMap((check) => {
      const subjects = this.effectiveSubjects(check);
      return subjects ? [{ check, subjects }] : [];
    });
    const counted = new Set(this.effective.map((e) => e.check));
    // A comparison with a value another check ties to the caller ties the other side too:
    // `if (member.organizationId !== organizationId) throw …` where the caller's membership
    // of `organizationId` is checked.
    const verified = new Set<string>();
    for (const { subjects } of this.effective) for (const key of this.clientKeys(subjects)) verified.add(key);
    for (const check of checks) {
      if (!check.pair || counted.has(check)) continue;
      const [a, b] = check.pair.map((side) => this.origin(side));
      if (keyLike(a) && verified.has(originKey(a))) this.effective.push({ check, subjects: [check.pair[1]] });
      else if (keyLike(b) && verified.has(originKey(b))) this.effective.push({ check, subjects: [check.pair[0]] });
    }
  }

  /** The client-supplied values subjects stand for: their own, or the client conditions of a checked load. */
  private clientKeys(subjects: readonly Source[]): string[] {
    const keys: string[] = [];
    for (const subject of subjects) {
      if (subject.kind === "record") {
        for (const c of this.expand(subject.load as AccessFact)?.conditions ?? [])
          if (keyLike(c.origin)) keys.push(originKey(c.origin));
        continue;
      }
      const origin = this.origin(subject);
      if (keyLike(origin)) keys.push(originKey(origin));
    }
    return keys;
  }

  /** The operation with its entity, selection, covering checks and call path. */
  operation(fact: AccessFact): DataOperation {
    const expanded = this.expand(fact);
    const op: DataOperation = { ...fact.op };
    const entity = fact.op.entity ?? expanded?.entity;
    if (entity !== undefined) op.entity = entity;
    if (expanded)
      op.selection = { conditions: expanded.conditions, complete: expanded.complete } satisfies RecordSelection;
    const ownership = this.ownership(fact, expanded);
    if (ownership.length > 0) op.ownership = ownership;
    if (fact.through.length > 0) op.through = fact.through;
    return op;
  }

  /** A call to another file with its arguments' origins and the checks on what it returns. */
  external(fact: ExternalFact): ExternalCall {
    const call: ExternalCall = {
      target: fact.target,
      args: fact.args.map((arg) => this.argument(arg)),
      function: fact.name,
      loc: locOf(fact.call),
    };
    const checks: OwnershipCheck[] = [];
    for (const { check, subjects } of this.effective) {
      if (check.region || comparePositions(check.at, fact.at) <= 0) continue;
      if (!subjects.some((s) => s.kind === "record" && s.load === fact)) continue;
      if (checks.some((o) => o.name === check.name && o.loc.start.line === check.loc.start.line)) continue;
      checks.push({ kind: check.kind, name: check.name, loc: check.loc });
    }
    if (checks.length > 0) call.resultChecks = checks;
    const verified: NonNullable<ExternalCall["verified"]> = [];
    for (const { check, subjects } of this.effective) {
      if (check.region || comparePositions(check.at, fact.at) >= 0) continue;
      for (const origin of this.keyOrigins(subjects)) {
        if (verified.length >= MAX_CHECKS) break;
        if (verified.some((v) => originKey(v.origin) === originKey(origin) && v.check.name === check.name)) continue;
        verified.push({ origin, check: { kind: check.kind, name: check.name, loc: check.loc } });
      }
    }
    if (verified.length > 0) call.verified = verified;
    return call;
  }

  /** The key-like origins a check's subjects stand for: their own, or the key conditions of a checked load. */
  private keyOrigins(subjects: readonly Source[]): ValueOrigin[] {
    const out: ValueOrigin[] = [];
    for (const subject of subjects) {
      if (subject.kind === "record") {
        for (const c of this.expand(subject.load as AccessFact)?.conditions ?? [])
          if (keyLike(c.origin)) out.push(c.origin);
        continue;
      }
      const origin = this.origin(subject);
      if (keyLike(origin)) out.push(origin);
    }
    return out;
  }

  private argument(source: Source): CallArgument {
    if (source.kind !== "object") return this.origin(source);
    const properties: Record<string, ValueOrigin> = {};
    for (const [key, value] of source.properties) properties[key] = this.origin(value);
    return { kind: "object", properties };
  }

  /** The final origin of a source: the handler's parameters through the framework's binding. */
  origin(source: Source): ValueOrigin {
    switch (source.kind) {
      case "client":
      case "principal":
        return source;
      case "parameter": {
        if (!this.binding) return source;
        const kind = this.binding.classify(this.root, source.index, source.path);
        if (!kind) return this.keepParameters ? source : { kind: "other" };
        const head = this.binding.describe?.(this.root, source.index) ?? defaultHead(this.root, source.index);
        return { kind, via: renderPath(head, source.path) };
      }
      case "record": {
        // A field of a record the caller's own query loaded is the caller's: `user.email` of
        // `prisma.user.findUnique({ where: { id: session.user.id } })`.
        // Its own key only names the record: `other.id !== project.id` ties nothing to the caller.
        const load = source.load as AccessFact;
        const fields = source.path.filter((segment) => !/^\d+$/.test(segment));
        if (fields.length === 0 || (fields.length === 1 && RECORD_KEY.test(fields[0]))) return { kind: "other" };
        if (!this.expand(load)?.conditions.some((c) => c.origin.kind === "principal")) return { kind: "other" };
        return { kind: "principal", via: renderPath(load.op.entity ?? "record", source.path) };
      }
      default:
        return { kind: "other" };
    }
  }

  /** The selection with reads of a loaded record's key replaced by the load's own conditions. */
  private expand(fact: AccessFact, depth = 0): Expanded | undefined {
    const known = this.selections.get(fact);
    if (known !== undefined) return known ?? undefined;
    this.selections.set(fact, null);
    const result = this.computeExpanded(fact, depth);
    this.selections.set(fact, result ?? null);
    return result;
  }

  private computeExpanded(fact: AccessFact, depth: number): Expanded | undefined {
    if (depth > 8) return undefined;
    if (fact.record) {
      const load = recordLoad(fact.record, false);
      const inner = load ? this.expand(load, depth + 1) : undefined;
      if (!load || !inner) return undefined;
      const entity = load.op.entity ?? inner.entity;
      return { ...inner, derived: new Set([...inner.derived, load]), ...(entity !== undefined ? { entity } : {}) };
    }
    if (!fact.conditions) return undefined;
    const conditions: RecordCondition[] = [];
    const derived = new Set<RecordLoad>();
    let complete = fact.complete;
    for (const c of fact.conditions) {
      const load = recordLoad(c.source, true);
      if (load) {
        const inner = this.expand(load, depth + 1);
        derived.add(load);
        if (inner) {
          conditions.push(...inner.conditions);
          complete &&= inner.complete;
          for (const d of inner.derived) derived.add(d);
        } else conditions.push({ field: c.field, origin: { kind: "other" } });
        continue;
      }
      conditions.push({ field: this.fieldName(c.field), origin: this.origin(c.source) });
    }
    return { conditions, complete, derived };
  }

  /** `owner.id` (a relation filter on an owner-named relation) → `owner`. */
  private fieldName(field: string): string {
    const parts = field.split(".");
    if (parts.length === 2 && ID_FIELD.test(parts[1]) && this.settings.ownerFields(parts[0])) return parts[0];
    return field;
  }

  /** The subjects a check is about, when it counts; undefined when it does not. */
  private effectiveSubjects(check: CheckFact): Source[] | undefined {
    if (check.pair) {
      const [a, b] = check.pair;
      if (this.origin(a).kind === "principal") return [b];
      if (this.origin(b).kind === "principal") return [a];
      return undefined;
    }
    if (check.scopedLoad) {
      const load = check.scopedLoad as AccessFact;
      const expanded = this.expand(load);
      const scoped = expanded?.conditions.some(
        // A parameter is whatever the caller passes: the check counts for the callers that pass the principal (`conditionalChecks`).
        (c) =>
          c.origin.kind === "principal" ||
          (this.settings.ownerFields(c.field) && c.origin.kind !== "client" && c.origin.kind !== "parameter"),
      );
      if (!scoped) return undefined;
      // The records its conditions read from are the caller's too: `findFirst({ where: { email: invitation.email, userId } })`.
      const read = (load.conditions ?? []).flatMap((c) => (c.source.kind === "record" ? [c.source] : []));
      return [...check.subjects, ...read];
    }
    if (check.lookup) {
      const caller = check.lookup.findIndex((source) => this.origin(source).kind === "principal");
      return caller < 0 ? undefined : check.lookup.filter((_, i) => i !== caller);
    }
    return check.subjects;
  }

  /** The checks that cover the operation. */
  private ownership(fact: AccessFact, expanded: Expanded | undefined): OwnershipCheck[] {
    const out: OwnershipCheck[] = [];
    const keys = new Set(expanded?.conditions.flatMap((c) => (keyLike(c.origin) ? [originKey(c.origin)] : [])));
    for (const { check, subjects } of this.effective) {
      if (!this.covers(check, subjects, fact, expanded, keys)) continue;
      if (out.some((o) => o.name === check.name && o.loc.start.line === check.loc.start.line)) continue;
      out.push({ kind: check.kind, name: check.name, loc: check.loc });
    }
    return out;
  }

  private covers(
    check: CheckFact,
    subjects: readonly Source[],
    fact: AccessFact,
    expanded: Expanded | undefined,
    keys: ReadonlySet<string>,
  ): boolean {
    if (check.region)
      return comparePositions(check.region[0], fact.at) <= 0 && comparePositions(fact.at, check.region[1]) < 0;
    const after = comparePositions(check.at, fact.at) < 0;
    for (const subject of subjects) {
      if (subject.kind === "record") {
        const load = subject.load as AccessFact;
        // A record checked after it was read; a write or delete checked afterwards has already happened.
        if (load === fact) {
          if (fact.op.kind === "read") return true;
          continue;
        }
        if (!after) continue;
        if (expanded?.derived.has(load)) return true;
        // Later operations by the same client-supplied key as the checked record's load.
        const loaded = this.expand(load);
        if (loaded?.conditions.some((c) => keyLike(c.origin) && keys.has(originKey(c.origin)))) return true;
        continue;
      }
      if (!after) continue;
      const origin = this.origin(subject);
      if (keyLike(origin) && keys.has(originKey(origin))) return true;
    }
    return false;
  }
}

interface Expanded {
  conditions: RecordCondition[];
  complete: boolean;
  /** The loads whose selection this one repeats (`where: { id: invoice.id }`, `invoice.destroy()`). */
  derived: Set<RecordLoad>;
  entity?: string;
}

/** The load a record source reads from: the record itself (`invoice`), or with `key` its own key (`invoice.id`, `rows[0].id`). */
function recordLoad(source: Source, key: boolean): AccessFact | undefined {
  if (source.kind !== "record") return undefined;
  const path = source.path.filter((s) => !/^\d+$/.test(s));
  if (key ? path.length === 1 && RECORD_KEY.test(path[0]) : path.length === 0) return source.load as AccessFact;
  return undefined;
}

function originKey(origin: ValueOrigin): string {
  if (origin.kind === "parameter") return `parameter:${origin.index}:${origin.path.join(".")}`;
  return origin.kind === "client" || origin.kind === "principal" ? `${origin.kind}:${origin.via}` : origin.kind;
}

/** A value that names records for whoever supplies it: the client's, or a parameter a caller fills. */
function keyLike(origin: ValueOrigin): boolean {
  return origin.kind === "client" || origin.kind === "parameter";
}

/** How a handler's parameter is written at the head of `via`: its name; nothing for a destructured one. */
function defaultHead(fn: FunctionNode, index: number): string | undefined {
  const param = fn.params[index];
  return param ? paramName(param) : undefined;
}

function sameOperation(a: DataOperation, b: DataOperation): boolean {
  return (
    JSON.stringify([a.selection, a.ownership, a.through]) === JSON.stringify([b.selection, b.ownership, b.through])
  );
}

/** Positions compared level by level; a shorter prefix first. */
function comparePositions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
