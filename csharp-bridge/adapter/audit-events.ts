/**
 * What a C# handler records of who changed what (AP107), and the mechanisms a file sets up
 * that record every write of the data layer.
 *
 * A handler's audit events are the calls in it, and in the methods of its class (and of
 * same-file services it holds) that it calls, two calls deep:
 *  - an `ILogger` call at a level production keeps (`_logger.LogInformation(…)`,
 *    `_logger.LogWarning(…)`, `_logger.Log(LogLevel.Information, …)`, a `[LoggerMessage]`
 *    method such as `_logger.InvoiceDeleted(…)` or `Log.InvoiceDeleted(_logger, …)`), and
 *    Serilog's `Log.Information(…)`, `Log.ForContext("UserId", id).Information(…)`;
 *  - a call of an audit service (lib/core/facts/audit.ts: `_auditService.LogAsync(…)`,
 *    `_audit.Record(…)`, a name in `settings["api-posture"].auditLoggers`);
 *  - a published domain event: `_mediator.Publish(new InvoiceDeleted(…))`, `_bus.Publish(…)`,
 *    `invoice.AddDomainEvent(new InvoiceDeleted(…))`.
 * Each carries, as `actors`, the values among its arguments that are the caller's identity,
 * read by record-access.ts's `FunctionFlow` (`User.Identity.Name`, `User.FindFirstValue(…)`,
 * an injected current-user service; a called method's parameters are mapped from the call's
 * arguments).
 *
 * Mechanisms (`auditMechanisms`): an EF Core `SaveChangesInterceptor` that audits (named so,
 * or reading the current user) and is registered with `AddInterceptors(…)`, Audit.NET
 * (`AuditDbContext`, `Audit.Core.Configuration.Setup()`, its `AuditSaveChangesInterceptor`),
 * and a DbContext whose `SaveChanges` override writes audit entries.
 */
import type { AuditEvent, CallStep, Endpoint, ValueOrigin } from "../../lib/core/model.js";
import type { AuditMechanism, InterceptorRegistration } from "../../lib/core/project/summary.js";
import { isAuditCall, mayChangeState } from "../../lib/core/facts/audit.js";
import type { SyntaxNode } from "../parser.js";
import type { ClassDecl, MethodDecl } from "./declarations.js";
import type { CSharpFile } from "./libraries/library.js";
import { callSites, dotBefore, receiverBefore, receiverChain } from "./call-sites.js";
import { checkAnalysisClock } from "./clock.js";
import {
  argumentName,
  argumentsOf,
  argumentValue,
  calledName,
  field,
  parametersOf,
  receiverOf,
} from "./invocations.js";
import { classScope, extendOrigin, FunctionFlow, methodFlow, type FlowMode } from "./record-access.js";
import { nodeLoc } from "./syntax.js";

/** ILogger methods at levels production keeps; `LogDebug`, `LogTrace` are off there and `LogError`, `LogCritical` record failures. */
const LOGGER_METHODS = new Set(["LogInformation", "LogWarning", "Log"]);
/** Serilog's static `Log` and `ILogger` methods at such levels. */
const SERILOG_METHODS = new Set(["Information", "Warning", "Write"]);
/** Logger methods that are not log lines, or at levels that do not count. */
const NOT_LOG_LINE =
  /^(?:LogDebug|LogTrace|LogError|LogCritical|Debug|Verbose|Error|Fatal|BeginScope|IsEnabled|ForContext|ToString|GetType|Equals)$/;
/** `LogLevel.Debug`, `LogEventLevel.Verbose`: a level argument that does not count. */
const QUIET_LEVEL =
  /\b(?:LogLevel\.(?:Debug|Trace|Error|Critical|None)|LogEventLevel\.(?:Debug|Verbose|Error|Fatal))\b/;
/** What holds a logger: `_logger`, `logger`, `Logger`, `_log`, Serilog's `Log`, `_auditLogger`. */
const LOGGER = /^_?(?:logger|log)$|Logger$|^Log$/i;
/** Methods that publish an event: MediatR, MassTransit, a hand-written event bus. */
const PUBLISH_METHODS = new Set(["Publish", "PublishAsync", "Raise", "RaiseAsync", "Dispatch", "DispatchAsync"]);
const PUBLISHER = /mediator|publish|bus|event|dispatcher|broker/i;
/** Methods that record a domain event on an entity: `invoice.AddDomainEvent(new InvoiceDeleted(…))`. */
const DOMAIN_EVENT_METHODS = /^(?:Add|Raise|Register|Record)(?:Domain)?Event$/;
/** Names worth a look in a body: the prefilter before the tree confirms a call. */
const CANDIDATE_NAME =
  /^(?:Log\w*|Information|Warning|Write|Publish\w*|Raise\w*|Dispatch\w*|(?:Add|Register|Record)(?:Domain)?Event)$|[Aa]udit|[Aa]ctivit/;
/** Receivers worth a look whatever the method: a logger's `[LoggerMessage]` methods, an audit service's. */
const CANDIDATE_RECEIVER = /log|audit|activit/i;
/** Values followed through one call's arguments for the caller's identity. */
const MAX_ARGUMENT_VALUES = 48;
/** Methods followed from the handler. */
const MAX_DEPTH = 2;
const MAX_EVENTS = 200;

/** Interceptor bases of EF Core. */
const INTERCEPTOR_BASES = new Set(["SaveChangesInterceptor", "ISaveChangesInterceptor"]);
/** Audit.NET's contexts and interceptor. */
const AUDIT_NET_BASES = new Set(["AuditDbContext", "AuditIdentityDbContext"]);
/** Words without which a file declares no audit mechanism, or registers none. */
const MAY_DECLARE_MECHANISM =
  /SaveChangesInterceptor|AuditDbContext|AuditIdentityDbContext|\boverride\b[^;{]*\bSaveChanges/;
function mayRegister(text: string): boolean {
  return /\bAddInterceptors\b/.test(text) || (/\bSetup\s*\(/.test(text) && /\bAudit\b/.test(text));
}
/** Types whose members tell who the caller is, in an interceptor. */
const CALLER_TYPE =
  /^I?(?:Current[A-Z]\w*|(?:User|Tenant|Caller|Principal|Identity|Session|Request)(?:Context|Accessor|Provider|Info|Service)|User|HttpContextAccessor)$/;

interface RawEvent {
  kind: AuditEvent["kind"];
  name: string;
  node: SyntaxNode;
  actors: ValueOrigin[];
  through: CallStep[];
}

/** The audit events of a method of the file in its own terms (`helper`: its parameters stay `parameter` origins). */
export function auditEventsOfMethod(method: MethodDecl, file: CSharpFile, mode: FlowMode = "handler"): AuditEvent[] {
  return finalEvents(new Reader(file).method(method, mode, 0, new Set()));
}

/** The audit events of a lambda or local function handler. */
export function auditEventsOfFunction(fn: SyntaxNode, file: CSharpFile): AuditEvent[] {
  let flow: FunctionFlow | undefined;
  const reader = new Reader(file);
  return finalEvents(
    reader.events(
      fn,
      () => (flow ??= new FunctionFlow(fn, "handler", classScope(undefined, file), file)),
      undefined,
      0,
      new Set(),
    ),
  );
}

/** Adds `events` to an endpoint that may change state (computed only for one). */
export function recordAudits(endpoint: Endpoint, events: () => AuditEvent[]): void {
  if (!mayChangeState(endpoint)) return;
  const found = events();
  if (found.length > 0) endpoint.auditEvents = [...(endpoint.auditEvents ?? []), ...found];
}

function finalEvents(raw: readonly RawEvent[]): AuditEvent[] {
  const byPlace = new Map<number, AuditEvent>();
  for (const event of raw) {
    const actors = event.actors.filter((a) => a.kind === "principal" || a.kind === "parameter");
    const final: AuditEvent = {
      kind: event.kind,
      name: event.name,
      loc: nodeLoc(event.node),
      ...(actors.length > 0 ? { actors } : {}),
      ...(event.through.length > 0 ? { through: event.through } : {}),
    };
    const known = byPlace.get(event.node.startIndex);
    if (!known || (!carries(known) && carries(final))) byPlace.set(event.node.startIndex, final);
  }
  return [...byPlace.values()];
}

function carries(event: AuditEvent): boolean {
  return event.actors?.some((a) => a.kind === "principal") ?? false;
}

class Reader {
  constructor(private readonly file: CSharpFile) {}

  method(method: MethodDecl, mode: FlowMode, depth: number, seen: Set<MethodDecl>): RawEvent[] {
    if (seen.has(method) || !method.hasBody) return [];
    seen.add(method);
    return this.events(method.node, () => methodFlow(method, mode, this.file), method.owner, depth, seen);
  }

  /** The events of one function: its own audit calls, then those of the methods it calls. */
  events(
    fn: SyntaxNode,
    flow: () => FunctionFlow,
    owner: ClassDecl | undefined,
    depth: number,
    seen: Set<MethodDecl>,
  ): RawEvent[] {
    const text = this.file.text;
    const settings = this.file.settings.auditLoggers;
    const events: RawEvent[] = [];
    const followed: Array<{ call: SyntaxNode; callee: MethodDecl }> = [];
    const own = owner ? new Map(owner.methods.map((m) => [m.name, m])) : undefined;
    const types = owner ? this.file.declarations.memberTypes(owner) : undefined;
    for (const { name, index, paren } of callSites(text, fn.startIndex, fn.endIndex)) {
      checkAnalysisClock();
      if (events.length >= MAX_EVENTS) break;
      const dot = dotBefore(text, index);
      const candidate =
        CANDIDATE_NAME.test(name) ||
        settings.configured ||
        (dot >= 0 && CANDIDATE_RECEIVER.test(receiverBefore(text, dot)));
      const ownCall = own?.has(name) === true && depth < MAX_DEPTH;
      if (!candidate && !ownCall) continue;
      const call = invocationAt(fn, text, index, name, paren);
      if (!call) continue;
      const kind = this.classify(call, name);
      if (kind) {
        const actors = kind.args.flatMap((value) => actorOrigins(value, flow()));
        events.push({ kind: kind.kind, name: kind.name, node: call, actors, through: [] });
        continue;
      }
      if (depth >= MAX_DEPTH) continue;
      const callee = this.callee(call, name, own, types);
      if (callee) followed.push({ call, callee });
    }
    for (const { call, callee } of followed) {
      const inner = this.method(callee, "helper", depth + 1, seen);
      if (inner.length === 0) continue;
      const step: CallStep = { function: `${callee.owner.name}.${callee.name}`, loc: nodeLoc(call) };
      for (const event of inner)
        events.push({
          ...event,
          actors: event.actors.map((actor) =>
            actor.kind === "parameter" ? argumentOrigin(call, callee, actor, flow()) : actor,
          ),
          through: [step, ...event.through],
        });
    }
    return events;
  }

  /** The method of the class (`Save(x)`, `this.Save(x)`) or of a same-file service it holds (`_invoices.Delete(id)`) a call runs. */
  private callee(
    call: SyntaxNode,
    name: string,
    own: ReadonlyMap<string, MethodDecl> | undefined,
    types: ReadonlyMap<string, string> | undefined,
  ): MethodDecl | undefined {
    const receiver = receiverOf(call);
    if (!receiver || receiver.type === "this" || receiver.type === "base") return own?.get(name);
    if (receiver.type !== "identifier" || !types) return undefined;
    const type = types.get(receiver.text);
    if (type === undefined) return undefined;
    const classes = this.file.declarations.classes.filter(
      (c) => c.name === type || (/^I[A-Z]/.test(type) && c.baseTypes.includes(type)),
    );
    return classes.length === 1 ? classes[0].methods.find((m) => m.name === name && m.hasBody) : undefined;
  }

  /** What a call records, if anything, with the argument values that may carry the caller. */
  private classify(
    call: SyntaxNode,
    name: string,
  ): { kind: AuditEvent["kind"]; name: string; args: SyntaxNode[] } | undefined {
    const args = argumentsOf(call).flatMap((a) => {
      const value = argumentValue(a);
      return value ? [value] : [];
    });
    let receiver = receiverOf(call);
    // `Log.ForContext("UserId", userId).Information(…)`: the context's values are part of the line.
    if (receiver?.type === "invocation_expression" && calledName(receiver) === "ForContext") {
      for (const a of argumentsOf(receiver)) {
        const value = argumentValue(a);
        if (value) args.push(value);
      }
      receiver = receiverOf(receiver);
    }
    const chain = receiver ? receiverChain(receiver.text).names.reverse() : [];
    const path = [...chain, name];
    const display = path.join(".");
    if (isAuditCall(path, this.file.settings.auditLoggers)) return { kind: "audit-service", name: display, args };
    const holder = chain.at(-1);
    if (DOMAIN_EVENT_METHODS.test(name)) return { kind: "domain-event", name: display, args };
    if (PUBLISH_METHODS.has(name) && holder !== undefined && PUBLISHER.test(holder))
      return { kind: "domain-event", name: display, args };
    if (NOT_LOG_LINE.test(name)) return undefined;
    const levelled = name === "Log" || name === "Write";
    if (levelled && QUIET_LEVEL.test(args[0]?.text ?? "")) return undefined;
    if (holder !== undefined && LOGGER.test(holder)) {
      if (LOGGER_METHODS.has(name) || SERILOG_METHODS.has(name)) return { kind: "logger", name: display, args };
      // A `[LoggerMessage]` method: `_logger.InvoiceDeleted(id, userId)`, `Log.InvoiceDeleted(_logger, id, userId)`.
      if (
        /^[A-Z]/.test(name) &&
        !/^(?:Get|Is|Has|Create|Try)/.test(name) &&
        (holder !== "Log" || isLoggerArgument(args[0]))
      )
        return { kind: "logger", name: display, args };
    }
    return undefined;
  }
}

function isLoggerArgument(value: SyntaxNode | undefined): boolean {
  return value !== undefined && value.type === "identifier" && LOGGER.test(value.text);
}

/** The invocation whose method is named at `index`, when the callee ends with that name. */
function invocationAt(
  fn: SyntaxNode,
  text: string,
  index: number,
  name: string,
  paren: number,
): SyntaxNode | undefined {
  const invocation = fn.namedDescendantForIndex(index, paren + 1);
  if (invocation?.type !== "invocation_expression") return undefined;
  const callee = field(invocation, "function");
  const end = index + name.length;
  if (
    !callee ||
    callee.endIndex < end ||
    callee.endIndex > paren ||
    !/^\s*(?:<[^()]*>)?\s*$/.test(text.slice(end, callee.endIndex))
  )
    return undefined;
  return invocation;
}

/** The origins among a value that may be the caller: its own, and those of the parts it is built from. */
function actorOrigins(value: SyntaxNode, flow: FunctionFlow): ValueOrigin[] {
  const out: ValueOrigin[] = [];
  const stack: SyntaxNode[] = [value];
  let seen = 0;
  while (stack.length > 0 && seen++ < MAX_ARGUMENT_VALUES) {
    const node = stack.pop()!;
    switch (node.type) {
      case "interpolated_string_expression":
        for (const part of node.namedChildren)
          if (part.type === "interpolation") stack.push(...part.namedChildren.slice(0, 1));
        break;
      case "object_creation_expression":
      case "implicit_object_creation_expression": {
        for (const a of argumentsOf(node)) {
          const v = argumentValue(a);
          if (v) stack.push(v);
        }
        const initializer = field(node, "initializer");
        for (const entry of initializer?.namedChildren ?? [])
          stack.push(entry.type === "assignment_expression" ? (field(entry, "right") ?? entry) : entry);
        break;
      }
      case "anonymous_object_creation_expression":
        for (const entry of node.namedChildren) stack.push(entry.namedChildren.at(-1) ?? entry);
        break;
      case "array_creation_expression":
      case "implicit_array_creation_expression":
      case "initializer_expression":
      case "collection_expression":
        stack.push(...node.namedChildren.filter((c) => c.type !== "array_type"));
        break;
      case "binary_expression":
      case "conditional_expression":
        stack.push(...node.namedChildren);
        break;
      case "string_literal":
      case "verbatim_string_literal":
      case "raw_string_literal":
      case "integer_literal":
      case "boolean_literal":
      case "null_literal":
        break;
      case "invocation_expression": {
        const origin = flow.originOf(node);
        if (origin.kind === "principal" || origin.kind === "parameter") out.push(origin);
        for (const a of argumentsOf(node)) {
          const v = argumentValue(a);
          if (v) stack.push(v);
        }
        break;
      }
      default: {
        const origin = flow.originOf(node);
        if (origin.kind === "principal" || origin.kind === "parameter") out.push(origin);
      }
    }
  }
  return out;
}

/** What a call passes for a callee's parameter (and the path read into it), in the caller's terms. */
function argumentOrigin(
  call: SyntaxNode,
  callee: MethodDecl,
  origin: { kind: "parameter"; index: number; path: string[] },
  caller: FunctionFlow,
): ValueOrigin {
  const parameter = parametersOf(callee.node)[origin.index];
  if (!parameter) return { kind: "other" };
  const args = argumentsOf(call);
  const argument =
    args.find((a) => argumentName(a) === parameter.name) ??
    args.filter((a) => argumentName(a) === undefined)[origin.index];
  const value = argument ? argumentValue(argument) : null;
  return value ? extendOrigin(caller.originOf(value), origin.path) : { kind: "other" };
}

// ---------------------------------------------------------------- mechanisms

/** The audit mechanisms a file sets up, and the interceptors it registers. */
export function auditMechanisms(file: CSharpFile): {
  mechanisms: AuditMechanism[];
  interceptors: InterceptorRegistration[];
} {
  const mechanisms: AuditMechanism[] = [];
  const interceptors: InterceptorRegistration[] = [];
  const text = file.text;
  if (MAY_DECLARE_MECHANISM.test(text)) mechanisms.push(...declaredMechanisms(file));
  if (!mayRegister(text)) return { mechanisms, interceptors };
  for (const { name, index, paren } of callSites(text, 0, text.length)) {
    if (name !== "AddInterceptors" && name !== "Setup") continue;
    const call = file.root.namedDescendantForIndex(index, paren + 1);
    if (call?.type !== "invocation_expression") continue;
    checkAnalysisClock();
    if (name === "Setup") {
      // Audit.NET: `Audit.Core.Configuration.Setup()…`.
      const receiver = receiverOf(call);
      if (receiver && /(?:^|\.)Configuration$/.test(receiver.text) && /\bAudit\b/.test(text))
        mechanisms.push({ name: `${receiver.text}.Setup()`, loc: nodeLoc(call) });
      continue;
    }
    for (const a of argumentsOf(call)) {
      const value = argumentValue(a);
      if (!value) continue;
      for (const registered of registeredTypes(value)) {
        // Audit.NET's own interceptor records every save.
        if (registered === "AuditSaveChangesInterceptor")
          mechanisms.push({ name: "AuditSaveChangesInterceptor", loc: nodeLoc(value) });
        interceptors.push(registered);
      }
    }
  }
  return { mechanisms, interceptors };
}

/** Interceptors, Audit.NET contexts and SaveChanges overrides the file declares. */
function declaredMechanisms(file: CSharpFile): AuditMechanism[] {
  const mechanisms: AuditMechanism[] = [];
  for (const decl of file.declarations.classes) {
    const first = decl.nodes[0];
    if (!first) continue;
    const bases = new Set([decl, ...file.declarations.baseChain(decl)].flatMap((d) => d.baseTypes));
    const body = decl.nodes.map((n) => n.text).join("\n");
    if ([...bases].some((b) => AUDIT_NET_BASES.has(b))) {
      mechanisms.push({
        name: `${decl.name} : ${[...bases].find((b) => AUDIT_NET_BASES.has(b))}`,
        loc: nodeLoc(first),
      });
      continue;
    }
    if ([...bases].some((b) => INTERCEPTOR_BASES.has(b))) {
      if (/audit/i.test(decl.name) || /\baudit/i.test(body) || readsCaller(decl, file))
        mechanisms.push({ name: decl.name, loc: nodeLoc(first), registeredAs: decl.name });
      continue;
    }
    if ([...bases].some((b) => /DbContext$/.test(b))) {
      const save = decl.methods.find(
        (m) => /^SaveChanges(?:Async)?$/.test(m.name) && m.modifiers.has("override") && m.hasBody,
      );
      if (save && (/\baudit/i.test(body) || readsCaller(decl, file)))
        mechanisms.push({ name: `${decl.name}.${save.name}`, loc: save.nameLoc });
    }
  }
  return mechanisms;
}

/** The interceptor types an argument of `AddInterceptors` registers; `*` for every one the container holds. */
function registeredTypes(value: SyntaxNode): string[] {
  const text = value.text;
  if (/GetServices\s*<\s*(?:I\w*Interceptor)\s*>/.test(text)) return ["*"];
  const out: string[] = [];
  for (const match of text.matchAll(/\bnew\s+([A-Za-z_][\w.]*)\s*\(|<\s*([A-Za-z_][\w.]*)\s*>/g)) {
    const name = (match[1] ?? match[2]).split(".").at(-1)!;
    out.push(name);
  }
  // `AddInterceptors(auditInterceptor)`: a local or parameter named for its type.
  if (value.type === "identifier") out.push(value.text.replace(/^_/, "").replace(/^./, (c) => c.toUpperCase()));
  return out;
}

/** Whether the class holds a service that tells who the caller is (`ICurrentUserService`, `IHttpContextAccessor`). */
function readsCaller(decl: ClassDecl, file: CSharpFile): boolean {
  for (const type of file.declarations.memberTypes(decl).values()) if (CALLER_TYPE.test(type)) return true;
  return false;
}
