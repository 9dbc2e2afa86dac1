/**
 * What a handler records of who changed what (AP107), and the mechanisms a file sets up that
 * record every write of the data layer.
 *
 * A handler's audit events are the calls in it, and in the same-file functions it calls
 * (three calls deep), that record something: a logger call at a level production keeps
 * (`logger.info(…)`, `req.log.info(…)`, `this.logger.log(…)`, `Logger.log(…)`; `console` is
 * not an audit log), a call of an audit service (lib/core/facts/audit.ts: `auditService.record(…)`,
 * `recordAudit(…)`, a name in `settings["api-posture"].auditLoggers`), a domain event
 * published on an event emitter or bus (`eventEmitter.emit("invoice.deleted", …)`,
 * `this.eventBus.publish(new InvoiceDeleted(…))`), and route middleware or decorators named
 * for audit (`router.post(path, auditLog("invoice.create"), handler)`, `@Audit("…")`). Each
 * carries, as `actors`, the values among its arguments that are the caller's identity: the
 * origins come from value-origins.ts, with the framework's `RequestBinding` saying which of
 * the handler's parameters is the caller (`req.user.id`, `ctx.state.user`, `@CurrentUser() user`).
 * A function is summarised once in its own terms, its parameters kept as `parameter`
 * origins, so the same summary serves every caller and, as `FunctionFlow.audits`, handlers
 * in other files (`auditEventsWithin`).
 *
 * Mechanisms (`auditMechanisms`): a Prisma client extension over all models or a Prisma
 * middleware that records an audit entry or logs the caller, a TypeORM entity subscriber
 * whose `after…` hooks do, and a Mongoose audit or history plugin (`mongoose-audit-trail`,
 * `mongoose-history`, `schema.plugin(auditPlugin)`).
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { AuditEvent, CallStep, Endpoint, Loc, ValueOrigin } from "../../../core/model.js";
import type { AuditMechanism } from "../../../core/project/summary.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import { isAuditCall, mayChangeState } from "../../../core/facts/audit.js";
import { lowerBound } from "../../../core/adapter-utils.js";
import {
  isFunction,
  locOf,
  memberNames,
  propertyName,
  staticString,
  terminalName,
  unwrap,
  type ClassNode,
  type FunctionNode,
  type Node,
} from "../ast.js";
import type { Collected, FileFacts } from "../facts.js";
import { Handlers } from "../handlers.js";
import { DataLayer } from "./data-layer.js";
import {
  extend,
  OTHER,
  renderPath,
  ValueOrigins,
  type OriginContext,
  type RequestBinding,
  type Source,
} from "./value-origins.js";

/** What the walk must collect for this pass: every call, by position. */
export const AUDIT_NODE_TYPES: readonly string[] = [T.CallExpression];

/** Levels a logger keeps in production: not `debug`, `trace` or `verbose`, and `error` / `fatal` record a failure. */
const LOG_METHODS = new Set(["info", "log", "notice", "warn", "warning", "audit", "http"]);
/** What holds a logger: `logger`, `this.logger`, `req.log`, `fastify.log`, `Logger`, `auditLogger`, `appLog`. */
const LOGGER = /^(?:_?log|_?logger|Logger|[a-z]\w*Logger|[a-z]\w*Log|[A-Z]\w*Logger)$/;
/** Calls that make a logger with bound fields: pino's and winston's `logger.child({ userId })`. */
const CHILD_LOGGER = new Set(["child"]);
/** Methods that publish an event. */
const EMIT_METHODS = new Set(["emit", "emitAsync"]);
const PUBLISH_METHODS = new Set(["publish", "publishAll", "publishAsync", "dispatch"]);
/** What events are published on: `eventEmitter`, `this.events`, `eventBus`, `publisher`, `pubsub`, `domainEvents`. */
const EVENT_RECEIVER = /event|emitter|bus$|^bus|publisher|pubsub|mediator|broker/i;
/** Emitters that carry messages to clients, not domain events: `socket.emit`, `io.to(room).emit`, `res.emit`. */
const NOT_EVENT_RECEIVER = /socket|^io$|^res$|^response$|stream|^process$|^server$|^ws$/i;
/** Values followed through one call's arguments for the caller's identity. */
const MAX_ARGUMENT_VALUES = 48;
/** Calls followed into same-file functions, counted from the handler. */
const MAX_FOLLOW_DEPTH = 3;
/** Same-file calls followed from one function. */
const MAX_FOLLOWED_CALLS = 200;
/** Events one summary holds, the called functions' included. */
const MAX_EVENTS = 200;

/** TypeORM subscriber hooks that run after (or just before) a write. */
const SUBSCRIBER_HOOKS = new Set([
  "afterInsert",
  "afterUpdate",
  "afterRemove",
  "afterSoftRemove",
  "beforeInsert",
  "beforeUpdate",
  "beforeRemove",
  "beforeSoftRemove",
]);
/** Plugins that keep a history of documents: `mongoose-audit-trail`, `mongoose-history`, `mongoose-diff-history`, `auditPlugin`. */
const HISTORY_PLUGIN = /audit|history|trail|changelog|diff/i;
/** Words without which a file sets up no audit mechanism (the project index scans for the same). */
const MAY_SET_UP_AUDIT = /\$(?:extends|use)\b|\.plugin\s*\(|\bEventSubscriber\b|\bEntitySubscriberInterface\b/;
/** An entity or table given to a write by name: `manager.save(AuditLog, …)`, `getRepository("audit_log")`. */
const AUDIT_NAMED = /audit/i;

/** An audit call as a function makes it, with its actors as sources in that function's terms. */
interface RawEvent {
  kind: AuditEvent["kind"];
  name: string;
  loc: Loc;
  actors: Source[];
  through: CallStep[];
}

interface Candidate {
  call: TSESTree.CallExpression;
  kind: AuditEvent["kind"];
  name: string;
  /** The argument values that may carry the caller, with the scope they are read in: the call's own, and a child logger's bound fields. */
  args: Array<{ node: Node; scope: Node }>;
}

const perFacts = new WeakMap<FileFacts, AuditEvents>();

/**
 * The audit pass of a file, shared by the libraries that build its endpoints. `principalCall`
 * is a framework's own reads of the caller (Next.js `await auth()`), as for AP103.
 */
export function auditEvents(
  facts: FileFacts,
  settings: ResolvedSettings,
  principalCall?: (call: TSESTree.CallExpression, scope: Node) => string | undefined,
): AuditEvents {
  let pass = perFacts.get(facts);
  if (!pass) perFacts.set(facts, (pass = new AuditEvents(facts, settings, principalCall)));
  return pass;
}

/**
 * The audit events of a function in its own terms, for `FunctionFlow.audits`: a log line
 * that carries a parameter carries what its caller passes (`actors` holds `parameter` origins).
 */
export function auditEventsWithin(facts: FileFacts, fn: FunctionNode, settings: ResolvedSettings): AuditEvent[] {
  return auditEvents(facts, settings).within(fn);
}

export class AuditEvents {
  private readonly origins: ValueOrigins;
  private readonly handlers: Handlers;
  private candidateList: Candidate[] | undefined;
  private readonly candidateByCall = new Map<Node, Candidate>();
  private sortedCalls: Collected[] | undefined;
  private readonly summaries = new Map<FunctionNode, RawEvent[] | "pending">();

  constructor(
    private readonly facts: FileFacts,
    private readonly settings: ResolvedSettings,
    private readonly principalCall?: (call: TSESTree.CallExpression, scope: Node) => string | undefined,
  ) {
    this.origins = new ValueOrigins(facts);
    this.handlers = new Handlers(facts, new DataLayer(facts), settings, principalCall);
  }

  /**
   * Adds the audit events of an endpoint that may change state: those of its handler
   * functions `roots`, whose parameters `binding` classifies, and of `markers` (route
   * middleware, decorators) named for audit.
   */
  record(
    endpoint: Endpoint,
    roots: readonly FunctionNode[],
    binding: RequestBinding | undefined,
    markers: readonly Node[] = [],
  ): Endpoint {
    if (!mayChangeState(endpoint)) return endpoint;
    const events: AuditEvent[] = [];
    for (const marker of markers) {
      const name = this.auditMarker(marker);
      if (name !== undefined) events.push({ kind: "audit-service", name, loc: locOf(marker) });
    }
    for (const root of roots) for (const raw of this.summary(root, 0)) events.push(this.finalEvent(raw, root, binding));
    const kept = dedupe(events);
    if (kept.length > 0) endpoint.auditEvents = [...(endpoint.auditEvents ?? []), ...kept];
    return endpoint;
  }

  /** A function's events in its own terms. */
  within(fn: FunctionNode): AuditEvent[] {
    return dedupe(this.summary(fn, 0).map((raw) => this.finalEvent(raw, fn, undefined)));
  }

  /** The event with its actors as model origins: through the binding for a handler, `parameter` origins otherwise. */
  private finalEvent(raw: RawEvent, root: FunctionNode, binding: RequestBinding | undefined): AuditEvent {
    const actors: ValueOrigin[] = [];
    for (const source of raw.actors) {
      const origin = actorOrigin(source, root, binding);
      if (origin && !actors.some((a) => JSON.stringify(a) === JSON.stringify(origin))) actors.push(origin);
    }
    return {
      kind: raw.kind,
      name: raw.name,
      loc: raw.loc,
      ...(actors.length > 0 ? { actors } : {}),
      ...(raw.through.length > 0 ? { through: raw.through } : {}),
    };
  }

  private summary(fn: FunctionNode, depth: number): RawEvent[] {
    const known = this.summaries.get(fn);
    if (known === "pending") return [];
    if (known) return known;
    this.summaries.set(fn, "pending");
    const events = this.summarize(fn, depth);
    this.summaries.set(fn, events);
    return events;
  }

  private summarize(fn: FunctionNode, depth: number): RawEvent[] {
    const events: RawEvent[] = [];
    const context: OriginContext = {
      fn,
      result: () => undefined,
      ...(this.principalCall ? { principalCall: this.principalCall } : {}),
    };
    for (const candidate of within(this.candidates(), fn, (c) => c.call)) {
      if (events.length >= MAX_EVENTS) break;
      const actors = candidate.args.flatMap((arg) => this.actorSources(arg.node, arg.scope, context));
      events.push({ kind: candidate.kind, name: candidate.name, loc: locOf(candidate.call), actors, through: [] });
    }
    if (depth >= MAX_FOLLOW_DEPTH) return events;
    let budget = MAX_FOLLOWED_CALLS;
    for (const c of within(this.calls(), fn, (c) => c.node)) {
      if (budget <= 0 || events.length >= MAX_EVENTS) break;
      const call = c.node as TSESTree.CallExpression;
      if (this.candidateByCall.has(call)) continue;
      const callee = unwrap(call.callee);
      if (callee.type !== T.Identifier && callee.type !== T.MemberExpression) continue;
      const target = this.handlers.sameFileCallee(call, c.scope);
      // A function declared inside this one runs as part of it: its calls are already here.
      if (!target || (fn.range[0] <= target.fn.range[0] && target.fn.range[1] <= fn.range[1])) continue;
      budget--;
      const inner = this.summary(target.fn, depth + 1);
      if (inner.length === 0) continue;
      const args = call.arguments.map((arg) =>
        arg.type === T.SpreadElement ? OTHER : this.origins.sourceOf(arg, c.scope, context),
      );
      const step: CallStep = { function: target.name, loc: locOf(call) };
      for (const event of inner)
        events.push({
          ...event,
          actors: event.actors.map((actor) => substitute(actor, args)),
          through: [step, ...event.through],
        });
    }
    return events;
  }

  /** The sources among a value that may be the caller: the value's own, and those of the parts it is built from. */
  private actorSources(value: Node, scope: Node, context: OriginContext): Source[] {
    const out: Source[] = [];
    for (const node of argumentValues(value)) {
      for (const source of flatten(this.origins.sourceOf(node, scope, context)))
        if (source.kind === "principal" || source.kind === "parameter") out.push(source);
    }
    return out;
  }

  /** The file's audit calls, in source order, found once. */
  private candidates(): Candidate[] {
    if (this.candidateList) return this.candidateList;
    const list: Candidate[] = [];
    for (const c of this.calls()) {
      const candidate = this.classify(c.node as TSESTree.CallExpression, c.scope);
      if (!candidate) continue;
      list.push(candidate);
      this.candidateByCall.set(candidate.call, candidate);
    }
    this.candidateList = list;
    return list;
  }

  private calls(): Collected[] {
    this.sortedCalls ??= [...(this.facts.collected.get(T.CallExpression) ?? [])].sort(
      (a, b) => a.node.range[0] - b.node.range[0],
    );
    return this.sortedCalls;
  }

  /** What a call records, if anything. */
  classify(call: TSESTree.CallExpression, scope: Node): Candidate | undefined {
    const callee = unwrap(call.callee);
    const args = call.arguments.map((node) => ({ node, scope }));
    if (callee.type === T.Identifier) {
      return isAuditCall([callee.name], this.settings.auditLoggers)
        ? { call, kind: "audit-service", name: callee.name, args }
        : undefined;
    }
    if (callee.type !== T.MemberExpression) return undefined;
    const method = propertyName(callee);
    if (method === undefined) return undefined;
    let receiver = unwrap(callee.object);
    let bound = "";
    // `logger.child({ userId }).info(…)`: the child's fields are part of every line it writes.
    if (receiver.type === T.CallExpression) {
      const inner = unwrap(receiver.callee);
      const innerMethod = inner.type === T.MemberExpression ? propertyName(inner) : undefined;
      if (inner.type !== T.MemberExpression || innerMethod === undefined || !CHILD_LOGGER.has(innerMethod))
        return undefined;
      args.push(...receiver.arguments.map((node) => ({ node, scope })));
      receiver = unwrap(inner.object);
      bound = `.${innerMethod}(…)`;
    }
    // `const log = logger.child({ userId }); log.info(…)`: the same, through a variable.
    if (receiver.type === T.Identifier) {
      const binding = this.facts.resolve(receiver.name, scope);
      const init = binding?.kind === "var" && binding.init ? unwrap(binding.init) : undefined;
      const made = init?.type === T.CallExpression ? unwrap(init.callee) : undefined;
      if (
        init?.type === T.CallExpression &&
        made?.type === T.MemberExpression &&
        CHILD_LOGGER.has(propertyName(made) ?? "")
      )
        args.push(...init.arguments.map((node) => ({ node, scope: binding!.scope })));
    }
    const path = [...memberNames(receiver), method];
    if (path.length < 2) return undefined;
    const name = `${path.slice(0, -1).join(".")}${bound}.${method}`;
    if (isAuditCall(path, this.settings.auditLoggers)) return { call, kind: "audit-service", name, args };
    const holder = path[path.length - 2];
    if (path[0] === "console") return undefined;
    if (LOG_METHODS.has(method) && LOGGER.test(holder)) return { call, kind: "logger", name, args };
    if (bound !== "") return undefined;
    const publishes = EMIT_METHODS.has(method) || PUBLISH_METHODS.has(method);
    if (publishes && EVENT_RECEIVER.test(holder) && !NOT_EVENT_RECEIVER.test(holder))
      return { call, kind: "domain-event", name, args };
    return undefined;
  }

  /** The name of route middleware or a decorator that records audit entries: `auditLog("invoice.create")`, `@Audit()`, `@UseInterceptors(AuditInterceptor)`. */
  private auditMarker(marker: Node): string | undefined {
    let node = unwrap(marker);
    if (node.type === T.Decorator) node = unwrap(node.expression);
    const names = this.settings.auditLoggers;
    if (node.type === T.CallExpression) {
      const path = memberNames(node.callee);
      if (path.length > 0 && isAuditCall(path, names)) return path.join(".");
      for (const arg of node.arguments) {
        const argPath = memberNames(arg);
        if (argPath.length > 0 && isAuditCall(argPath, names)) return `${path.join(".")}(${argPath.join(".")})`;
      }
      return undefined;
    }
    const path = memberNames(node);
    return path.length > 0 && isAuditCall(path, names) ? path.join(".") : undefined;
  }

  // ------------------------------------------------------------------ mechanisms

  /**
   * The audit mechanisms the file sets up: a Prisma extension over every model or a Prisma
   * middleware, a TypeORM subscriber, a Mongoose history plugin.
   */
  mechanisms(): AuditMechanism[] {
    const out: AuditMechanism[] = [];
    if (!MAY_SET_UP_AUDIT.test(this.facts.text)) return out;
    for (const c of this.calls()) {
      const call = c.node as TSESTree.CallExpression;
      const callee = unwrap(call.callee);
      if (callee.type !== T.MemberExpression) continue;
      const method = propertyName(callee);
      if (method === "$extends" || method === "$use") {
        const arg = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
        const body = method === "$use" ? arg : this.queryExtension(arg);
        if (body && this.records(body))
          out.push({ name: `${terminalName(callee.object) ?? "prisma"}.${method}(…)`, loc: locOf(call) });
      } else if (method === "plugin") {
        const plugin = this.historyPlugin(call, c.scope);
        if (plugin === undefined) continue;
        const entities = this.schemaModels(callee.object, c.scope);
        out.push({
          name: `${terminalName(callee.object) ?? "schema"}.plugin(${plugin})`,
          loc: locOf(call),
          ...(entities.length > 0 ? { entities } : {}),
        });
      }
    }
    for (const type of [T.ClassDeclaration, T.ClassExpression]) {
      for (const c of this.facts.collected.get(type) ?? []) {
        const cls = c.node as ClassNode;
        if (!isSubscriber(cls)) continue;
        const recording = [...SUBSCRIBER_HOOKS].some((hook) =>
          this.facts.classMembers(cls, hook).some((member) => {
            const value = member.type === T.AssignmentExpression ? member.right : member.value;
            return value !== null && value !== undefined && this.records(unwrap(value));
          }),
        );
        if (recording) out.push({ name: cls.id?.name ?? "EntitySubscriber", loc: locOf(cls.id ?? cls) });
      }
    }
    return out;
  }

  /** `{ query: { $allModels: { … } } }`, `{ query: { $allOperations(…) {…} } }`: the part that runs for every query. */
  private queryExtension(arg: Node | undefined): Node | undefined {
    if (arg?.type !== T.ObjectExpression) return undefined;
    const query = this.facts.objectProperty(arg, "query");
    const value = query ? unwrap(query.value) : undefined;
    if (value?.type !== T.ObjectExpression) return undefined;
    const all = this.facts.objectProperty(value, "$allModels") ?? this.facts.objectProperty(value, "$allOperations");
    return all?.value;
  }

  /**
   * Whether code records who changed what: an audit call or a write of an audit record
   * in it (a call that names audit, or is given an audit entity: `manager.save(AuditLog, …)`),
   * or a log line that carries the caller.
   */
  private records(node: Node, depth = 0): boolean {
    for (const c of within(this.calls(), node, (c) => c.node)) {
      const call = c.node as TSESTree.CallExpression;
      const candidate = this.classify(call, c.scope);
      if (candidate?.kind === "audit-service") return true;
      if (candidate?.kind === "logger" && isFunction(c.scope)) {
        const context: OriginContext = { fn: c.scope, result: () => undefined };
        const actors = candidate.args.flatMap((arg) => this.actorSources(arg.node, arg.scope, context));
        if (actors.some((a) => a.kind === "principal")) return true;
      }
      for (const arg of call.arguments) {
        const name = arg.type === T.SpreadElement ? undefined : (terminalName(arg) ?? staticString(arg));
        if (name !== undefined && AUDIT_NAMED.test(name)) return true;
      }
      // `await this.record(event, "insert")`: a helper of the same file that records.
      if (depth < MAX_FOLLOW_DEPTH && !candidate) {
        const target = this.handlers.sameFileCallee(call, c.scope);
        if (target && !(node.range[0] <= target.fn.range[0] && target.fn.range[1] <= node.range[1]))
          if (this.records(target.fn, depth + 1)) return true;
      }
    }
    return false;
  }

  /** The plugin's name when it keeps a history: imported from a package that says so, or named so. */
  private historyPlugin(call: TSESTree.CallExpression, scope: Node): string | undefined {
    const arg = call.arguments[0];
    if (!arg || arg.type === T.SpreadElement) return undefined;
    const value = unwrap(arg);
    const names = memberNames(value);
    const head = names[0];
    if (head !== undefined) {
      const binding = this.facts.resolve(head, scope);
      if (binding?.kind === "import" && binding.source !== undefined && HISTORY_PLUGIN.test(binding.source))
        return names.join(".");
    }
    if (names.some((n) => HISTORY_PLUGIN.test(n) || this.settings.auditLoggers(n))) return names.join(".");
    // `schema.plugin(require("mongoose-history"))`
    if (value.type === T.CallExpression) {
      const module = staticString(value.arguments[0]);
      if (terminalName(value.callee) === "require" && module !== undefined && HISTORY_PLUGIN.test(module))
        return `require(${JSON.stringify(module)})`;
    }
    return undefined;
  }

  /** The models made from a schema in this file (`model("Invoice", invoiceSchema)`); none for `mongoose.plugin(…)`, which covers every model. */
  private schemaModels(receiver: Node, scope: Node): string[] {
    const schema = unwrap(receiver);
    if (schema.type !== T.Identifier) return [];
    const binding = this.facts.resolve(schema.name, scope);
    if (binding?.kind === "import") return [];
    const models: string[] = [];
    for (const c of this.calls()) {
      const call = c.node as TSESTree.CallExpression;
      if (terminalName(call.callee) !== "model") continue;
      const [name, second] = call.arguments;
      const model = staticString(name);
      if (model !== undefined && second && second.type !== T.SpreadElement && terminalName(second) === schema.name)
        models.push(model);
    }
    return models;
  }
}

/** `@EventSubscriber()` on the class, or `implements EntitySubscriberInterface`. */
function isSubscriber(cls: ClassNode): boolean {
  for (const decorator of cls.decorators) {
    const expression = unwrap(decorator.expression);
    const callee = expression.type === T.CallExpression ? expression.callee : expression;
    if (terminalName(callee) === "EventSubscriber") return true;
  }
  return cls.implements.some((i) => terminalName(i.expression) === "EntitySubscriberInterface");
}

/** The final origin of an actor: the caller through the framework's binding, or a parameter kept for the callers. */
function actorOrigin(source: Source, root: FunctionNode, binding: RequestBinding | undefined): ValueOrigin | undefined {
  if (source.kind === "principal") return source;
  if (source.kind !== "parameter") return undefined;
  if (!binding) return source;
  if (binding.classify(root, source.index, source.path) !== "principal") return undefined;
  const head = binding.describe?.(root, source.index) ?? paramText(root, source.index);
  return { kind: "principal", via: renderPath(head, source.path) };
}

function paramText(fn: FunctionNode, index: number): string | undefined {
  const param = fn.params[index];
  return param?.type === T.Identifier ? param.name : undefined;
}

/** A callee's actor in the caller's terms. */
function substitute(actor: Source, args: readonly Source[]): Source {
  return actor.kind === "parameter" ? extend(args[actor.index] ?? OTHER, actor.path) : actor;
}

/** An object's properties' sources, and a plain source as it is. */
function flatten(source: Source, depth = 0): Source[] {
  if (source.kind !== "object") return [source];
  if (depth > 3) return [];
  return [...source.properties.values()].flatMap((s) => flatten(s, depth + 1));
}

/**
 * The values an argument is built from: itself, the properties of an object literal, the
 * parts of a template or a concatenation, the arguments of a constructor or a formatting call.
 */
function argumentValues(argument: Node): Node[] {
  const out: Node[] = [];
  const stack: Node[] = [argument];
  while (stack.length > 0 && out.length < MAX_ARGUMENT_VALUES) {
    const node = unwrap(stack.pop()!);
    switch (node.type) {
      case T.ObjectExpression:
        for (const p of node.properties) stack.push(p.type === T.Property ? p.value : p.argument);
        break;
      case T.ArrayExpression:
        for (const e of node.elements) if (e) stack.push(e);
        break;
      case T.SpreadElement:
        stack.push(node.argument);
        break;
      case T.TemplateLiteral:
        stack.push(...node.expressions);
        break;
      case T.BinaryExpression:
        if (node.operator === "+") stack.push(node.left, node.right);
        break;
      case T.ConditionalExpression:
        stack.push(node.consequent, node.alternate);
        break;
      case T.NewExpression:
        stack.push(...node.arguments);
        break;
      case T.CallExpression:
        out.push(node);
        stack.push(...node.arguments);
        break;
      case T.Literal:
        break;
      default:
        out.push(node);
    }
  }
  return out;
}

/** One event per place, the one that carries the caller when several paths reach it. */
function dedupe(events: readonly AuditEvent[]): AuditEvent[] {
  const byPlace = new Map<string, AuditEvent>();
  for (const event of events) {
    const key = `${event.file ?? ""}:${event.loc.start.line}:${event.loc.start.column}`;
    const known = byPlace.get(key);
    if (!known || (!carries(known) && carries(event))) byPlace.set(key, event);
  }
  return [...byPlace.values()];
}

function carries(event: AuditEvent): boolean {
  return event.actors?.some((a) => a.kind === "principal") ?? false;
}

/** The items of `list` (sorted by start) inside `node`. */
function within<X>(list: readonly X[], node: Node, nodeOf: (x: X) => Node): X[] {
  const [start, end] = node.range;
  const out: X[] = [];
  for (let i = lowerBound(list, start, (x) => nodeOf(x).range[0]); i < list.length; i++) {
    const n = nodeOf(list[i]);
    if (n.range[0] >= end) break;
    out.push(list[i]);
  }
  return out;
}
