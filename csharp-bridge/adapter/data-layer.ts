/**
 * Data-layer calls in controller methods: EF Core, repositories, units of work, Dapper
 * and the MongoDB driver. A call counts only when its name and its receiver both say
 * "data layer": `_db.Orders.Add(order)` is a write, `order.Lines.Add(line)`,
 * `dict.Remove(key)`, `_cache.Remove(key)` and `HttpContext.Items.Add(…)` are not.
 *
 *  - anywhere: `SaveChanges(Async)`, `ExecuteUpdate(Async)`, `ExecuteDelete(Async)`,
 *    `ExecuteSqlRaw`/`ExecuteSqlInterpolated`/`ExecuteSql(Async)`: the names are EF Core's own;
 *  - on a MongoDB collection (typed `IMongoCollection<T>`, named `…Collection`, or
 *    `GetCollection<T>(…)` on the chain) or a DbContext-shaped root: `InsertOne`,
 *    `UpdateMany`, `DeleteOne`, `FindOneAndUpdate`, `BulkWrite`, … (and `…Async`);
 *  - on a DbContext-shaped or unit-of-work root: `Add`, `AddRange`, `Update`,
 *    `Attach`, `Remove`, `RemoveRange` (and `…Async`), including `Set<T>().Add(…)`;
 *  - on a repository (`_orderRepository`, `_repo`, `_uow.Orders` typed or named so):
 *    methods starting with Add/Insert/Create/Update/Upsert/Replace/Save (write) or
 *    Delete/Remove (delete);
 *  - on a unit of work: `Commit`, `Complete`, `Save` (and `…Async`);
 *  - on a connection (`connection`, `conn`, `_db`, `…Connection`): Dapper `Execute(Async)`.
 * Reads by key (`_db.Orders.Find(id)`, `FindAsync`) on a DbContext are recorded as `read`;
 * other reads only when they pick their records by a condition AP103 can use: an EF Core
 * operator with a predicate on a set (`_db.Invoices.FirstOrDefaultAsync(i => i.Id == id)`,
 * `Where(…).ToListAsync()`), a Dapper query (or `ExecuteScalar` of a `SELECT`) with a `WHERE`
 * (record-access.ts reads both, and which of them only test that records exist).
 *
 * A root is judged by the declared type of the field, property or primary-constructor
 * parameter it names when the class declares one (and, for Minimal API handlers, of the
 * handler's parameters), else by its name. Calls of the
 * class's own methods (`Save(order)`, `this.Persist()`) are followed, so a write in a
 * private helper counts for the action that calls it.
 */
import { auditEventsOfMethod } from "./audit-events.js";
import type {
  CallArgument,
  DataOperation,
  DataOperationKind,
  ExternalCall,
  ValueOrigin,
} from "../../lib/core/model.js";
import type { FunctionFlow as FunctionSummary } from "../../lib/core/project/summary.js";
import type { SyntaxNode } from "../parser.js";
import { nodeLoc, simpleName } from "./syntax.js";
import type { ClassDecl, FileDeclarations, MethodDecl } from "./declarations.js";
import { callSites, dotBefore, receiverBefore, receiverChain, type ReceiverChain } from "./call-sites.js";
import { checkAnalysisClock } from "./clock.js";
import { argumentName, argumentsOf, argumentValue, field, parametersOf } from "./invocations.js";
import type { CSharpFile } from "./libraries/library.js";
import {
  classScope,
  clientValues,
  conditionalChecksOf,
  type ConditionalCheck,
  DAPPER_READS,
  describeAccesses,
  extendOrigin,
  FunctionFlow,
  guardChecks,
  isCallerService,
  isServiceType,
  MAX_ARGUMENTS,
  writtenTypeName,
  maySelect,
  type FlowMode,
  methodFlow,
  QUERY_READS,
  type AccessSite,
} from "./record-access.js";

type Role = "context" | "repository" | "unit-of-work" | "connection" | "document-collection";

const ANYWHERE: ReadonlyMap<string, DataOperationKind> = new Map([
  ...withAsync(["SaveChanges", "ExecuteUpdate", "ExecuteSqlRaw", "ExecuteSqlInterpolated", "ExecuteSql"], "write"),
  ...withAsync(["ExecuteDelete"], "delete"),
]);
const DOCUMENT_WRITES: ReadonlyMap<string, DataOperationKind> = new Map([
  ...withAsync(
    [
      "InsertOne",
      "InsertMany",
      "UpdateOne",
      "UpdateMany",
      "ReplaceOne",
      "FindOneAndUpdate",
      "FindOneAndReplace",
      "BulkWrite",
    ],
    "write",
  ),
  ...withAsync(["DeleteOne", "DeleteMany", "FindOneAndDelete"], "delete"),
]);
const SET_WRITES: ReadonlyMap<string, DataOperationKind> = new Map([
  ...withAsync(["Add", "AddRange"], "write"),
  ...(["Update", "UpdateRange", "Attach", "AttachRange"] as const).map((n) => [n, "write"] as const),
  ...(["Remove", "RemoveRange"] as const).map((n) => [n, "delete"] as const),
]);
const UNIT_OF_WORK_WRITES = new Set(withAsync(["Commit", "Complete", "Save"], "write").map(([n]) => n));
const DAPPER_WRITES = new Set(["Execute", "ExecuteAsync"]);
/** Reads by primary key, always recorded; predicate reads (record-access.ts `QUERY_READS`) only when they select. */
const KEY_READS = new Set(["Find", "FindAsync"]);
const REPOSITORY_WRITE = /^(?:Add|Insert|Create|Update|Upsert|Replace|Save|Set)(?=[A-Z0-9_]|$)/;
const REPOSITORY_DELETE = /^(?:Delete|Remove)(?=[A-Z0-9_]|$)/;

const CONTEXT_NAME = /^_?(?:db|ctx|context|dbContext|dbCtx)$|(?:^|[a-z0-9_])(?:Db|DbContext|Context)$/;
const CONTEXT_TYPE = /(?:Db|DbContext|Context)$/;
/** `…Context` types and names that are not data contexts. */
const NOT_DATA_CONTEXT =
  /(?:Http|Controller|Action|View|Page|Validation|Synchronization|Execution|Hub|Filter|Exception|Result|Resource|Authorization|Authentication|Security|Serializer|Json|Activity|Razor|Binding|Request|Response|Logging|Culture|Template|Formatter|Circuit|Component|Operation|Schema|Document)Context$/i;
/** The property of a service bundle that holds the data context. */
const BUNDLED_CONTEXT = /^(?:Context|DbContext|Db)$/;
const REPOSITORY = /(?:Repository|Repo)$/i;
const UNIT_OF_WORK = /(?:UnitOfWork|Uow)$/i;
const CONNECTION_NAME = /^_?(?:connection|conn|cn|db|dbConnection)$|(?:Connection|Conn)$/;
const CONNECTION_TYPE = /Connection$/;
const DOCUMENT_COLLECTION_TYPE = /MongoCollection$/;
const DOCUMENT_COLLECTION_NAME = /(?:^_?c|C)ollection$/;

function withAsync(names: readonly string[], kind: DataOperationKind): Array<[string, DataOperationKind]> {
  return names.flatMap(
    (n) =>
      [
        [n, kind],
        [`${n}Async`, kind],
      ] as Array<[string, DataOperationKind]>,
  );
}

export interface DataLayerIndex {
  /**
   * The data operations of `method`, with those of the methods it calls in this file: its
   * class's own (and its same-file bases'), those of another class of the file it holds a
   * field or parameter of (`_invoices.DeleteAsync(id)`), and the handler of a request it
   * sends (`_mediator.Send(new DeleteInvoice(id))` with `IRequestHandler<DeleteInvoice>` in
   * the file). Operations reached through a call name it in `through`, with the origins of
   * their values mapped from the call's arguments.
   */
  operationsOf(method: MethodDecl, controller: ClassDecl): DataOperation[];
  /**
   * The calls `method` makes, itself or through the methods of the file it calls, to methods
   * of services other files declare and to request handlers of other files, with the
   * origins of their arguments in the handler's terms (the project index follows them).
   */
  callsOf(method: MethodDecl, controller: ClassDecl): ExternalCall[];
}

/** A data-layer call with what the receiver is; reads that select nothing are dropped once described. */
interface Site extends AccessSite {
  /** A read recorded only when it selects its records by a condition (`FirstOrDefaultAsync(x => …)`, a Dapper `WHERE`). */
  selectiveOnly: boolean;
}

/**
 * A call towards another file: a method of an injected service (`_orders.GetAsync(id)`,
 * `services.Queries.GetOrderAsync(id)` through a bundle's property), or a request sent to a
 * mediator (`_mediator.Send(new DeleteOrderCommand(id))`) whose handler the file does not have.
 */
type ExternalSite =
  | { kind: "service"; node: SyntaxNode; type: string; property?: string; member: string }
  | { kind: "request"; node: SyntaxNode };

/** What one handler or helper leads to: its operations and its calls towards other files. */
interface Reached {
  operations: DataOperation[];
  calls: ExternalCall[];
}

/** A call from one function of the file towards another. */
type Edge =
  | { kind: "own"; name: string; node: SyntaxNode }
  | { kind: "method"; callee: MethodDecl; node: SyntaxNode }
  | { kind: "request"; node: SyntaxNode };

/** One step of the way from a handler to an operation: the call, the function it is made in, the method it reaches. */
interface Hop {
  edge: Edge;
  caller: LazyFlow;
  callee: MethodDecl;
}

/** A function's flow, read only when an access needs it (most functions' accesses select nothing). */
type LazyFlow = () => FunctionFlow;

const REQUEST_SENDS = new Set(["Send", "SendAsync"]);
const REQUEST_HANDLER = /\bI(?:Request|Command|Query)Handler\s*<\s*([\w.]+)/g;
const HANDLE_METHODS = ["Handle", "HandleAsync"];

/**
 * Scans the methods of `classes` (controllers and their same-file bases, page models,
 * Minimal API handler classes) once, and those of the file's other classes when a call
 * leads there. Candidate calls are found in the text: `Name(` with a data-layer name on a
 * receiver whose text looks like the data layer, or the name of a method of the file.
 * Each candidate is then confirmed in the tree, so comments, strings and declarations
 * drop out, and the receiver is judged again from the tree. Visiting the nodes of every
 * body from JavaScript would cost more than parsing the file (about a microsecond per
 * node). Every call is attributed to the innermost method that contains it, which keeps
 * members that error recovery nested in another method apart.
 */
export function indexDataLayer(
  classes: readonly ClassDecl[],
  file: CSharpFile,
  options: { parameterTypes?: boolean } = {},
): DataLayerIndex {
  const scanner = new Scanner(file, options);
  scanner.scan(classes);
  return {
    operationsOf: (method, controller) => scanner.reachedFrom(method, controller).operations,
    callsOf: (method, controller) => scanner.reachedFrom(method, controller).calls,
  };
}

/**
 * The data operations inside one function that is not a class member: a lambda handler
 * (`app.MapPost("/x", async (Order o, ShopDb db) => …)`) or a local function. A root is
 * judged by the type `types` gives it (the handler's parameters), else by its name. A
 * request it sends to a handler of the file, or a call of another class's method, is
 * followed as from an action.
 */
export function operationsIn(fn: SyntaxNode, file: CSharpFile, types: ReadonlyMap<string, string>): Reached {
  const scanner = new Scanner(file, { parameterTypes: true });
  return scanner.operationsOfFunction(fn, types);
}

class Scanner {
  readonly #file: CSharpFile;
  readonly #text: string;
  readonly #declarations: FileDeclarations;
  readonly #options: { parameterTypes?: boolean };
  readonly #sites = new Map<MethodDecl, Site[]>();
  readonly #edges = new Map<MethodDecl, Edge[]>();
  readonly #externals = new Map<MethodDecl, ExternalSite[]>();
  readonly #services = new Map<MethodDecl, Map<string, string>>();
  readonly #handlerResults = new Map<string, Reached>();
  readonly #callNodes = new WeakMap<ExternalCall, SyntaxNode>();
  readonly #conditionalOnCalls = new WeakMap<ExternalCall, ConditionalCheck[]>();
  /** The node of each described operation, for what a helper returns. */
  readonly #nodes = new WeakMap<DataOperation, SyntaxNode>();
  readonly #scanned = new Set<ClassDecl>();
  readonly #described = new Map<string, DataOperation[]>();
  readonly #methodNames: Set<string>;
  #handlers: Map<string, MethodDecl> | undefined;
  #positional: Map<string, string[]> | undefined;
  readonly #byDispatch = new Map<ClassDecl, Map<string, MethodDecl[]>>();

  constructor(file: CSharpFile, options: { parameterTypes?: boolean }) {
    this.#file = file;
    this.#text = file.text;
    this.#declarations = file.declarations;
    this.#options = options;
    this.#methodNames = new Set(this.#declarations.classes.flatMap((c) => c.methods.map((m) => m.name)));
  }

  /** Scans the methods of classes not scanned yet. */
  scan(classes: readonly ClassDecl[]): void {
    const fresh = classes.filter((c) => !this.#scanned.has(c));
    if (fresh.length === 0) return;
    for (const c of fresh) this.#scanned.add(c);
    const members = fresh
      .flatMap((c) => c.methods.filter((m) => m.hasBody))
      .map((method) => ({ method, start: method.node.startIndex, end: method.node.endIndex }))
      .sort((a, b) => a.start - b.start);
    const ownNames = new Set(members.map((m) => m.method.name));
    const declaredAt = new Set(members.map((m) => m.method.nameStart));
    const locate = innermostLocator(members);
    for (const [start, end] of disjointRanges(members)) {
      for (const { name, index, paren } of callSites(this.#text, start, end)) {
        const dot = dotBefore(this.#text, index);
        const method = locate(index);
        if (!method) continue;
        if (dot < 0) {
          if (!ownNames.has(name) || declaredAt.has(index)) continue;
        } else if (
          !this.#methodNames.has(name) &&
          !isDataLayerName(name) &&
          !REQUEST_SENDS.has(name) &&
          !this.#servicesOf(method).has(receiverRoot(this.#text, dot))
        ) {
          continue;
        }
        const found = this.#call(method.node, name, index, paren, dot, {
          types: () =>
            this.#options.parameterTypes
              ? withParameterTypes(method, this.#declarations.memberTypes(method.owner))
              : this.#declarations.memberTypes(method.owner),
          callTypes: () => withParameterTypes(method, this.#declarations.memberTypes(method.owner)),
          services: () => this.#servicesOf(method),
          ownNames,
        });
        if (found?.kind === "site") push(this.#sites, method, found.site);
        else if (found?.kind === "edge") push(this.#edges, method, found.edge);
        if (found?.external) push(this.#externals, method, found.external);
      }
    }
  }

  /**
   * Judges one candidate call in `fn`: a data-layer call (a site), a call towards another
   * function of the file (an edge), or nothing.
   */
  #call(
    fn: SyntaxNode,
    name: string,
    index: number,
    paren: number,
    dot: number,
    context: {
      types: () => ReadonlyMap<string, string>;
      callTypes: () => ReadonlyMap<string, string>;
      /** Members and parameters holding injected services, with their types. */
      services: () => ReadonlyMap<string, string>;
      ownNames: ReadonlySet<string>;
    },
  ):
    | { kind: "site"; site: Site; external?: ExternalSite }
    | { kind: "edge"; edge: Edge; external?: undefined }
    | { kind: "external"; external: ExternalSite }
    | undefined {
    const text = this.#text;
    const receiverText = dot < 0 ? "" : receiverBefore(text, dot);
    const thisCall = dot < 0 || /^(?:this|base)$/.test(receiverText);
    if (thisCall) {
      if (!context.ownNames.has(name)) return undefined;
      const call = confirmCall(fn, text, index, name, paren, dot >= 0);
      return call ? { kind: "edge", edge: { kind: "own", name, node: call.node } } : undefined;
    }
    if (REQUEST_SENDS.has(name)) {
      if (this.#requestHandlers().size > 0) {
        const call = confirmCall(fn, text, index, name, paren, true);
        if (call) return { kind: "edge", edge: { kind: "request", node: call.node } };
      } else if (isMediator(receiverText, context.services())) {
        const call = confirmCall(fn, text, index, name, paren, true);
        if (call) return { kind: "external", external: { kind: "request", node: call.node } };
      }
    }
    if (this.#methodNames.has(name)) {
      const callee = this.#methodOfReceiver(name, receiverText, context.callTypes());
      if (callee) {
        const call = confirmCall(fn, text, index, name, paren, true);
        if (call) return { kind: "edge", edge: { kind: "method", callee, node: call.node } };
      }
    }
    const service = serviceTarget(receiverText, context.services());
    const types = context.types();
    if (!ANYWHERE.has(name) && !classify(name, receiverText, types)) {
      if (!service) return undefined;
      const call = confirmCall(fn, text, index, name, paren, true);
      return call
        ? { kind: "external", external: { kind: "service", node: call.node, ...service, member: name } }
        : undefined;
    }
    const call = confirmCall(fn, text, index, name, paren, true);
    const judged = call?.receiver !== undefined ? classifyCall(name, call.receiver, types) : undefined;
    if (!call || !judged) return undefined;
    const op: DataOperation = {
      kind: judged.kind,
      call: callText(text, paren, call.receiver!, name),
      loc: nodeLoc(call.node),
    };
    return {
      kind: "site",
      site: { op, node: call.node, name, role: judged.role, selectiveOnly: judged.selectiveOnly },
      // A repository of another file (`_orders.DeleteAsync(id)`): what it does there is followed too.
      ...(service ? { external: { kind: "service", node: call.node, ...service, member: name } } : {}),
    };
  }

  /** The injected services a method can call: its class's typed members and its service parameters. */
  #servicesOf(method: MethodDecl): ReadonlyMap<string, string> {
    let services = this.#services.get(method);
    if (!services) {
      services = injectedServices(method.node, this.#declarations.memberTypes(method.owner));
      this.#services.set(method, services);
    }
    return services;
  }

  /** The method of another class of the file a call on a typed field, parameter or class name reaches. */
  #methodOfReceiver(name: string, receiverText: string, types: ReadonlyMap<string, string>): MethodDecl | undefined {
    const { root, names } = receiverChain(receiverText);
    if (root === undefined || names.length !== 1) return undefined;
    const type = types.get(root) ?? root;
    const classes = this.#declarations.classes.filter(
      (c) => c.name === type || (c.baseTypes.includes(type) && /^I[A-Z]/.test(type)),
    );
    if (classes.length !== 1) return undefined;
    return classes[0].methods.find((m) => m.name === name && m.hasBody);
  }

  /** Request type → the `Handle` method of the file's handler for it. */
  #requestHandlers(): Map<string, MethodDecl> {
    if (!this.#handlers) {
      this.#handlers = new Map();
      if (/\bI(?:Request|Command|Query)Handler\b/.test(this.#text)) {
        for (const decl of this.#declarations.classes) {
          const handle = decl.methods.find((m) => HANDLE_METHODS.includes(m.name) && m.hasBody);
          if (!handle) continue;
          for (const node of decl.nodes) {
            const bases = node.namedChildren.find((c) => c.type === "base_list");
            for (const match of bases?.text.matchAll(REQUEST_HANDLER) ?? []) {
              const type = match[1].slice(match[1].lastIndexOf(".") + 1);
              if (!this.#handlers.has(type)) this.#handlers.set(type, handle);
            }
          }
        }
      }
    }
    return this.#handlers;
  }

  /** The operations and calls towards other files reached from a handler method. */
  reachedFrom(method: MethodDecl, controller: ClassDecl): Reached {
    const key = `${controller.name}:${method.nameStart}`;
    let reached = this.#handlerResults.get(key);
    if (!reached) this.#handlerResults.set(key, (reached = this.#reachFromHandler(method, controller)));
    return reached;
  }

  #reachFromHandler(method: MethodDecl, controller: ClassDecl): Reached {
    // Most actions call nothing of the data layer: their flow is never read.
    if (!this.#sites.has(method) && !this.#edges.has(method) && !this.#externals.has(method))
      return { operations: [], calls: [] };
    const flow = () => methodFlow(method, "handler", this.#file);
    const operations = [...this.#describe(method, "handler")];
    const calls: ExternalCall[] = [];
    const externals = this.#externals.get(method) ?? [];
    this.#follow(flow, this.#edges.get(method) ?? [], externals, controller, new Set([method]), operations, calls);
    const attributes = [method, controller, ...this.#declarations.baseChain(controller)].flatMap((d) => d.attributes);
    const guards =
      calls.length > 0 || operations.some((op) => clientValues(op).length > 0)
        ? guardChecks(attributes, this.#file)
        : [];
    if (guards.length === 0) return { operations, calls };
    // A filter that checks the route's record before the action runs covers whatever the calls lead to.
    return {
      operations: operations.map((op) =>
        clientValues(op).length > 0 ? { ...op, ownership: [...(op.ownership ?? []), ...guards] } : op,
      ),
      calls: [],
    };
  }

  /**
   * What a public method of a service, repository or request handler does, in its own terms
   * (its parameters as `parameter` origins), for callers in other files; undefined when it
   * reaches no data operation and calls nothing of another file.
   */
  helperSummary(method: MethodDecl): Omit<FunctionSummary, "type" | "member" | "name" | "handles"> | undefined {
    if (!this.#sites.has(method) && !this.#edges.has(method) && !this.#externals.has(method)) return undefined;
    const flow = () => methodFlow(method, "helper", this.#file);
    const own = this.#describe(method, "helper");
    const operations = [...own];
    const calls: ExternalCall[] = [];
    const externals = this.#externals.get(method) ?? [];
    this.#follow(flow, this.#edges.get(method) ?? [], externals, method.owner, new Set([method]), operations, calls);
    if (operations.length === 0 && calls.length === 0) return undefined;
    operations.splice(MAX_SUMMARY_OPERATIONS);
    const conditionalChecks: NonNullable<FunctionSummary["conditionalChecks"]> = [];
    const entry = ({ check, when }: ConditionalCheck) => {
      let found = conditionalChecks.find(
        (c) =>
          c.check.loc === check.loc && c.when.index === when.index && c.when.path.join(".") === when.path.join("."),
      );
      if (!found) conditionalChecks.push((found = { check, when, covers: [] }));
      return found;
    };
    own.forEach((op, index) => {
      if (index >= operations.length) return;
      for (const conditional of conditionalChecksOf(op)) entry(conditional).covers.push(index);
    });
    calls.forEach((call, index) => {
      for (const conditional of this.#conditionalOnCalls.get(call) ?? [])
        (entry(conditional).coversCalls ??= []).push(index);
    });
    const returned = this.#returned(method, own, calls);
    return {
      operations,
      calls,
      ...(returned.operation !== undefined ? { returns: returned.operation } : {}),
      ...(returned.call !== undefined ? { returnsCall: returned.call } : {}),
      ...(conditionalChecks.length > 0 ? { conditionalChecks } : {}),
    };
  }

  /**
   * The record a method returns: a read of its own that a `return` hands back, directly
   * (`return await _db.Orders.FindAsync(id)`) or through the local it loads into
   * (`var order = …; return order;`, `return new OrderDto(order.Id, …)`), or the result of a
   * call towards another file (`return await _orders.GetAsync(id)`).
   */
  #returned(
    method: MethodDecl,
    own: readonly DataOperation[],
    calls: readonly ExternalCall[],
  ): { operation?: number; call?: number } {
    const body =
      field(method.node, "body") ?? method.node.namedChildren.find((c) => c.type === "arrow_expression_clause");
    if (!body) return {};
    const values =
      body.type === "arrow_expression_clause"
        ? [body.namedChildren[0]]
        : body.descendantsOfType("return_statement").map((r) => r.namedChildren[0]);
    const flow = methodFlow(method, "helper", this.#file);
    const reads = own.flatMap((op, index) =>
      op.kind === "read" && this.#nodes.get(op) ? [{ index, node: this.#nodes.get(op)! }] : [],
    );
    const callNodes = calls.map((call, index) => ({ index, node: this.#callNodes.get(call) })).filter((c) => c.node);
    for (const value of values.slice(0, MAX_RETURNS)) {
      if (!value) continue;
      const inner = value.type === "await_expression" ? (value.namedChildren.at(-1) ?? value) : value;
      const read = reads.find((r) => r.node.id === inner.id);
      if (read) return { operation: read.index };
      const called = callNodes.find((c) => c.node!.id === inner.id);
      if (called) return { call: called.index };
      const names = new Set(
        (value.type === "identifier" ? [value] : value.descendantsOfType("identifier")).slice(0, 64).map((i) => i.text),
      );
      for (const r of reads) {
        const local = flow.resultLocal(r.node);
        if (local !== undefined && names.has(local)) return { operation: r.index };
      }
      for (const c of callNodes) {
        const local = flow.resultLocal(c.node!);
        if (local !== undefined && names.has(local)) return { call: c.index };
      }
    }
    return {};
  }

  /** The operations and calls of a lambda or local function handler. */
  operationsOfFunction(fn: SyntaxNode, types: ReadonlyMap<string, string>): Reached {
    const sites: Site[] = [];
    const edges: Edge[] = [];
    const externals: ExternalSite[] = [];
    const noOwn = new Set<string>();
    const services = injectedServices(fn, new Map());
    for (const { name, index, paren } of callSites(this.#text, fn.startIndex, fn.endIndex)) {
      checkAnalysisClock();
      const dot = dotBefore(this.#text, index);
      if (dot < 0) continue;
      if (
        !isDataLayerName(name) &&
        !REQUEST_SENDS.has(name) &&
        !this.#methodNames.has(name) &&
        !services.has(receiverRoot(this.#text, dot))
      )
        continue;
      const found = this.#call(fn, name, index, paren, dot, {
        types: () => types,
        callTypes: () => types,
        services: () => services,
        ownNames: noOwn,
      });
      if (found?.kind === "site") sites.push(found.site);
      else if (found?.kind === "edge") edges.push(found.edge);
      if (found?.external) externals.push(found.external);
    }
    let read: FunctionFlow | undefined;
    const flow = () => (read ??= new FunctionFlow(fn, "handler", classScope(undefined, this.#file), this.#file));
    if (sites.some(maySelect)) describeAccesses(sites, flow(), this.#file);
    const operations = kept(sites);
    const calls: ExternalCall[] = [];
    this.#follow(flow, edges, externals, undefined, new Set(), operations, calls);
    return { operations, calls };
  }

  /** The described operations of a method in one mode, once. */
  #describe(method: MethodDecl, mode: FlowMode): DataOperation[] {
    const key = `${mode}:${method.nameStart}`;
    let operations = this.#described.get(key);
    if (!operations) {
      const sites = (this.#sites.get(method) ?? []).map((s) => ({ ...s, op: { ...s.op } }));
      if (sites.some(maySelect)) describeAccesses(sites, methodFlow(method, mode, this.#file), this.#file);
      for (const site of sites) this.#nodes.set(site.op, site.node);
      operations = kept(sites);
      this.#described.set(key, operations);
    }
    return operations;
  }

  /**
   * Breadth-first from the calls of a handler, each method once: the operations of the
   * file's methods it reaches, and the calls towards other files made on the way, their
   * arguments in the handler's terms.
   */
  #follow(
    root: LazyFlow,
    rootEdges: readonly Edge[],
    rootExternals: readonly ExternalSite[],
    dispatch: ClassDecl | undefined,
    seen: Set<MethodDecl>,
    operations: DataOperation[],
    calls: ExternalCall[],
  ): void {
    const queue: Array<{
      edges: readonly Edge[];
      externals: readonly ExternalSite[];
      caller: LazyFlow;
      dispatch: ClassDecl | undefined;
      path: Hop[];
    }> = [{ edges: rootEdges, externals: rootExternals, caller: root, dispatch, path: [] }];
    while (queue.length > 0) {
      checkAnalysisClock();
      const { edges, externals, caller, dispatch: own, path } = queue.shift()!;
      for (const site of externals) this.#external(site, caller, path, calls);
      for (const edge of edges) {
        const callees = this.#callees(edge, caller, own);
        // A request whose handler the file does not have goes to the project index.
        if (edge.kind === "request" && callees.length === 0) this.#external(edge, caller, path, calls);
        for (const callee of callees) {
          if (seen.has(callee) || path.length >= MAX_CALL_DEPTH) continue;
          seen.add(callee);
          this.scan([callee.owner]);
          if (!this.#sites.has(callee) && !this.#edges.has(callee) && !this.#externals.has(callee)) continue;
          const flow = () => methodFlow(callee, "helper", this.#file);
          const hops = [...path, { edge, caller, callee }];
          for (const operation of this.#describe(callee, "helper")) operations.push(this.#mapThrough(operation, hops));
          const next = edge.kind === "own" ? own : callee.owner;
          queue.push({
            edges: this.#edges.get(callee) ?? [],
            externals: this.#externals.get(callee) ?? [],
            caller: flow,
            dispatch: next,
            path: hops,
          });
        }
      }
    }
  }

  /**
   * A call towards another file as the project index reads it: its target, its arguments'
   * origins (mapped back through the file's own calls that lead to it), and, made directly
   * by the function, the checks the function makes on the record it returns.
   */
  #external(site: ExternalSite | Edge, caller: LazyFlow, path: readonly Hop[], calls: ExternalCall[]): void {
    if (calls.length >= MAX_EXTERNAL_CALLS) return;
    const flow = caller();
    const node = site.node;
    let target: ExternalCall["target"];
    let name: string;
    let values: Array<SyntaxNode | null>;
    if (site.kind === "service") {
      target = {
        type: site.type,
        member: site.member,
        ...(site.property !== undefined ? { property: site.property } : {}),
      };
      name = `${site.type}.${site.property !== undefined ? `${site.property}.` : ""}${site.member}`;
      const args = argumentsOf(node);
      const named = args.findIndex((a) => argumentName(a) !== undefined);
      values = (named < 0 ? args : args.slice(0, named)).slice(0, MAX_ARGUMENTS).map((a) => argumentValue(a));
    } else {
      const request = this.#requestName(node, flow);
      if (request === undefined) return;
      target = { request };
      name = `Mediator.Send(${request})`;
      const first = argumentsOf(node)[0];
      values = first ? [argumentValue(first)] : [];
    }
    const args = values.map((value) => this.#mapArgument(flow.argumentOf(value), path));
    const call: ExternalCall = { target, args, function: name, loc: nodeLoc(node) };
    if (path.length === 0) {
      const local = flow.resultLocal(node);
      const checks = local !== undefined ? flow.covering(node.startIndex, true, [local], []) : [];
      if (checks.length > 0) call.resultChecks = checks;
      if (local !== undefined && flow.mode === "helper") {
        const conditional = flow.conditionalCovering(node.startIndex, true, [local], []);
        if (conditional.length > 0) this.#conditionalOnCalls.set(call, conditional);
      }
    }
    this.#callNodes.set(call, node);
    calls.push(call);
  }

  /** A call's argument in the terms of the function the walk started from. */
  #mapArgument(argument: CallArgument, path: readonly Hop[]): CallArgument {
    if (path.length === 0 || argument.kind === "request") return argument;
    if (argument.kind !== "object") return this.#mapOrigin(argument, path);
    return {
      ...argument,
      properties: Object.fromEntries(
        Object.entries(argument.properties).map(([k, v]) => [k, this.#mapOrigin(v, path)]),
      ),
      ...(argument.positional ? { positional: argument.positional.map((v) => this.#mapOrigin(v, path)) } : {}),
    };
  }

  #mapOrigin(origin: ValueOrigin, path: readonly Hop[]): ValueOrigin {
    let current = origin;
    for (let i = path.length - 1; i >= 0 && current.kind === "parameter"; i--)
      current = this.#argumentOrigin(path[i], current);
    return current;
  }

  /** The request a `Send(…)` sends, as the call site names it: `DeleteOrderCommand`, `Delete.Command`. */
  #requestName(node: SyntaxNode, caller: FunctionFlow): string | undefined {
    const first = argumentsOf(node)[0];
    let value = first ? argumentValue(first) : null;
    if (value?.type === "identifier" && caller.isLocal(value.text)) value = caller.localValue(value.text) ?? null;
    while (value?.type === "parenthesized_expression" || value?.type === "await_expression")
      value = value.namedChildren.at(-1) ?? null;
    if (value?.type === "object_creation_expression") {
      const type = field(value, "type");
      return type ? writtenTypeName(type) : undefined;
    }
    // A parameter declared with a nested request type (`[FromBody] Create.Command command`): as written.
    if (value?.type === "identifier" && caller.parameter(value.text)) {
      const declared = parameterTypeNode(caller.fn, value.text);
      if (declared) return writtenTypeName(declared);
    }
    return this.#requestType(node, caller);
  }

  #callees(edge: Edge, caller: LazyFlow, dispatch: ClassDecl | undefined): MethodDecl[] {
    switch (edge.kind) {
      case "own":
        return dispatch ? (this.#methodsByName(dispatch).get(edge.name) ?? []) : [];
      case "method":
        return [edge.callee];
      case "request": {
        const type = this.#requestType(edge.node, caller());
        const handler = type !== undefined ? this.#requestHandlers().get(type) : undefined;
        return handler ? [handler] : [];
      }
    }
  }

  /** The type of the request a `Send(…)` sends: `new DeleteInvoice(id)`, a parameter or local of that type. */
  #requestType(node: SyntaxNode, caller: FunctionFlow): string | undefined {
    const first = argumentsOf(node)[0];
    let value = first ? argumentValue(first) : null;
    if (value?.type === "identifier") {
      // A parameter or a bound property of that type (`[BindProperty] public Command Data`), or a local made here.
      const type = caller.isLocal(value.text) ? undefined : caller.typeOf(value.text);
      if (type !== undefined) return type;
      value = caller.localValue(value.text) ?? null;
    }
    while (value?.type === "parenthesized_expression") value = value.namedChildren[0] ?? null;
    return value?.type === "object_creation_expression" ? simpleName(field(value, "type")) : undefined;
  }

  #methodsByName(dispatch: ClassDecl): Map<string, MethodDecl[]> {
    let map = this.#byDispatch.get(dispatch);
    if (!map) this.#byDispatch.set(dispatch, (map = methodsByName(dispatch, this.#declarations)));
    return map;
  }

  /** An operation of a called method in the handler's terms: origins mapped call by call, the calls in `through`. */
  #mapThrough(operation: DataOperation, hops: readonly Hop[]): DataOperation {
    let current = operation;
    for (let i = hops.length - 1; i >= 0; i--) current = this.#mapHop(current, hops[i]);
    return current;
  }

  #mapHop(operation: DataOperation, hop: Hop): DataOperation {
    const { edge, callee } = hop;
    const mapped: DataOperation = {
      ...operation,
      through: [
        { function: `${callee.owner.name}.${callee.name}`, loc: nodeLoc(edge.node) },
        ...(operation.through ?? []),
      ],
    };
    if (operation.selection) {
      const caller = hop.caller();
      mapped.selection = {
        ...operation.selection,
        conditions: operation.selection.conditions.map((c) =>
          c.origin.kind === "parameter" ? { field: c.field, origin: this.#argumentOrigin(hop, c.origin) } : c,
        ),
      };
      const local = caller.resultLocal(edge.node);
      const covering = caller.covering(
        edge.node.startIndex,
        operation.kind === "read",
        local !== undefined ? [local] : [],
        clientValues(mapped),
      );
      if (covering.length > 0) mapped.ownership = [...(operation.ownership ?? []), ...covering];
    }
    return mapped;
  }

  /** What the caller passes for a callee's parameter (and the path read into it). */
  #argumentOrigin(hop: Hop, origin: { kind: "parameter"; index: number; path: string[] }): ValueOrigin {
    const { edge, callee } = hop;
    const caller = hop.caller();
    const args = argumentsOf(edge.node);
    if (edge.kind === "request") {
      if (origin.index !== 0 || !args[0]) return { kind: "other" };
      let value = argumentValue(args[0]);
      if (value?.type === "identifier" && !caller.parameter(value.text)) value = caller.localValue(value.text) ?? value;
      if (value?.type === "object_creation_expression" && origin.path.length > 0) {
        const member = this.#creationMember(value, origin.path[0]);
        return member ? extendOrigin(caller.originOf(member), origin.path.slice(1)) : { kind: "other" };
      }
      return extendOrigin(caller.originOf(value), origin.path);
    }
    const parameter = parametersOf(callee.node)[origin.index];
    if (!parameter) return { kind: "other" };
    const named = args.find((a) => argumentName(a) === parameter.name);
    const positional = args.filter((a) => argumentName(a) === undefined)[origin.index];
    const argument = named ?? positional;
    return argument ? extendOrigin(caller.originOf(argumentValue(argument)), origin.path) : { kind: "other" };
  }

  /** The value a `new T(…) { … }` gives its member `name`: from the initializer, or the positional parameter of a record of the file. */
  #creationMember(creation: SyntaxNode, name: string): SyntaxNode | undefined {
    const lower = name.toLowerCase();
    const initializer = field(creation, "initializer");
    for (const assignment of initializer?.namedChildren ?? []) {
      if (assignment.type !== "assignment_expression") continue;
      if (field(assignment, "left")?.text.toLowerCase() === lower) return field(assignment, "right") ?? undefined;
    }
    const parameters = this.#positionalParameters().get(simpleName(field(creation, "type")));
    const index = parameters?.findIndex((p) => p.toLowerCase() === lower) ?? -1;
    if (index < 0) return undefined;
    const args = argumentsOf(creation);
    const argument = args.find((a) => argumentName(a)?.toLowerCase() === lower) ?? args[index];
    return argument ? (argumentValue(argument) ?? undefined) : undefined;
  }

  /** The positional parameters of the file's records and primary-constructor classes, by type name. */
  #positionalParameters(): Map<string, string[]> {
    if (!this.#positional) {
      this.#positional = new Map();
      if (/\brecord\b/.test(this.#text)) {
        for (const node of this.#file.root.descendantsOfType("record_declaration")) {
          const name = field(node, "name")?.text;
          const list = node.namedChildren.find((c) => c.type === "parameter_list");
          if (name && list)
            this.#positional.set(
              name,
              parametersOf(node).map((p) => p.name),
            );
        }
      }
      for (const decl of this.#declarations.classes) {
        const list = decl.nodes[0]?.namedChildren.find((c) => c.type === "parameter_list");
        if (list && !this.#positional.has(decl.name))
          this.#positional.set(
            decl.name,
            parametersOf(decl.nodes[0]).map((p) => p.name),
          );
      }
    }
    return this.#positional;
  }
}

const MAX_CALL_DEPTH = 8;
/** Calls towards other files one handler or helper records. */
const MAX_EXTERNAL_CALLS = 32;
/** Operations one helper's summary carries. */
const MAX_SUMMARY_OPERATIONS = 48;
/** `return` statements of a helper read for the record it returns. */
const MAX_RETURNS = 16;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The operations of described sites, minus the reads that turned out to select nothing. */
function kept(sites: readonly Site[]): DataOperation[] {
  return sites.filter((s) => !s.selectiveOnly || s.op.selection).map((s) => s.op);
}

/**
 * The member types of a method's class with its typed parameters over them: a Minimal API
 * handler gets its services as parameters (`ShopDb db`, `IOrderRepository orders`).
 */
const parameterScopes = new WeakMap<MethodDecl, Map<string, string>>();

function withParameterTypes(method: MethodDecl, members: ReadonlyMap<string, string>): Map<string, string> {
  let types = parameterScopes.get(method);
  if (!types) {
    types = new Map(members);
    for (const parameter of parametersOf(method.node)) if (parameter.type) types.set(parameter.name, parameter.type);
    parameterScopes.set(method, types);
  }
  return types;
}

interface ConfirmedCall {
  /** The `invocation_expression`. */
  node: SyntaxNode;
  /** The receiver's text from the tree (`_db.Orders`); undefined for `X()`, `this.X()`, `base.X()`. */
  receiver: string | undefined;
}

function isDataLayerName(name: string): boolean {
  return (
    ANYWHERE.has(name) ||
    DOCUMENT_WRITES.has(name) ||
    SET_WRITES.has(name) ||
    UNIT_OF_WORK_WRITES.has(name) ||
    DAPPER_WRITES.has(name) ||
    KEY_READS.has(name) ||
    QUERY_READS.has(name) ||
    DAPPER_READS.has(name) ||
    REPOSITORY_WRITE.test(name) ||
    REPOSITORY_DELETE.test(name)
  );
}

/**
 * Confirms in the tree that `name` at `index`, followed by the `(` at `paren`, is the
 * method of an invocation, and finds its receiver. The smallest node spanning the name
 * and the parenthesis is the invocation itself when it is one (a declaration, a `new`,
 * a comment or a string is not). The search starts at the enclosing method and never
 * asks for a parent: tree-sitter finds a parent by descending from the root, and a
 * class can have thousands of members.
 */
function confirmCall(
  method: SyntaxNode,
  text: string,
  index: number,
  name: string,
  paren: number,
  member: boolean,
): ConfirmedCall | undefined {
  const invocation = method.namedDescendantForIndex(index, paren + 1);
  if (invocation?.type !== "invocation_expression") return undefined;
  const fn = invocation.childForFieldName("function");
  const nameEnd = index + name.length;
  // The callee must end with this name (and its type arguments), not merely contain it.
  if (!fn || fn.endIndex < nameEnd || fn.endIndex > paren || !AFTER_NAME.test(text.slice(nameEnd, fn.endIndex)))
    return undefined;
  if (!member)
    return fn.type === "identifier" || fn.type === "generic_name"
      ? { node: invocation, receiver: undefined }
      : undefined;
  let receiver: SyntaxNode | null;
  if (fn.type === "member_access_expression") receiver = fn.childForFieldName("expression");
  else if (fn.type === "conditional_access_expression") receiver = fn.childForFieldName("condition");
  else return undefined;
  const isThis = !receiver || receiver.type === "this" || receiver.type === "base";
  return { node: invocation, receiver: isThis ? undefined : receiver!.text };
}

/** What may follow a method's name inside its callee: type arguments. */
const AFTER_NAME = /^\s*(?:<[^()]*>)?\s*$/;

/** The text ranges of the methods, nested ones (recovered members) folded into the outer method. */
function disjointRanges(members: readonly MemberRange[]): Array<[number, number]> {
  const merged: Array<[number, number]> = [];
  for (const { start, end } of members) {
    const last = merged.at(-1);
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

interface MemberRange {
  method: MethodDecl;
  start: number;
  end: number;
}

/** Returns the innermost member containing a position; positions must be asked in increasing order. */
function innermostLocator(members: readonly MemberRange[]): (position: number) => MethodDecl | undefined {
  const open: MemberRange[] = [];
  let next = 0;
  return (position) => {
    while (next < members.length && members[next].start <= position) {
      const member = members[next++];
      while (open.length > 0 && open.at(-1)!.end <= member.start) open.pop();
      open.push(member);
    }
    while (open.length > 0 && open.at(-1)!.end <= position) open.pop();
    return open.at(-1)?.method;
  };
}

function classify(name: string, receiver: string, types: ReadonlyMap<string, string>): DataOperationKind | undefined {
  return classifyCall(name, receiver, types)?.kind;
}

/** What a call on `receiver` is: its kind, what the receiver is, and whether it counts only when it selects. */
function classifyCall(
  name: string,
  receiver: string,
  types: ReadonlyMap<string, string>,
): { kind: DataOperationKind; role: AccessSite["role"]; selectiveOnly: boolean } | undefined {
  const chain = receiverChain(receiver);
  const roles = rolesOf(chain, types);
  const dapper = DAPPER_WRITES.has(name) || DAPPER_READS.has(name);
  const role: AccessSite["role"] =
    dapper && roles.has("connection") ? "connection" : roles.has("context") ? "context" : "other";
  const kind = kindOf(name, roles);
  if (kind) return { kind, role, selectiveOnly: false };
  // Reads that pick records by a condition: an EF Core operator on a set, a Dapper query. A
  // current-user context (`_currentContext.Organizations.First(…)`) holds the caller's own lists.
  const root = chain.root;
  if (
    roles.has("context") &&
    QUERY_READS.has(name) &&
    chain.names.length >= 2 &&
    !(root !== undefined && isCallerService(root, types.get(root)))
  )
    return { kind: "read", role: "context", selectiveOnly: true };
  if (roles.has("connection") && DAPPER_READS.has(name))
    return { kind: "read", role: "connection", selectiveOnly: true };
  return undefined;
}

function kindOf(name: string, roles: ReadonlySet<Role>): DataOperationKind | undefined {
  const anywhere = ANYWHERE.get(name);
  if (anywhere) return anywhere;
  if (roles.size === 0) return undefined;
  if (roles.has("repository")) {
    if (REPOSITORY_DELETE.test(name)) return "delete";
    if (REPOSITORY_WRITE.test(name)) return "write";
  }
  if (roles.has("context") || roles.has("unit-of-work")) {
    const write = SET_WRITES.get(name);
    if (write) return write;
  }
  if (roles.has("document-collection") || roles.has("context")) {
    const write = DOCUMENT_WRITES.get(name);
    if (write) return write;
  }
  if (roles.has("unit-of-work") && UNIT_OF_WORK_WRITES.has(name)) return "write";
  if (roles.has("connection") && DAPPER_WRITES.has(name)) return "write";
  return roles.has("context") && KEY_READS.has(name) ? "read" : undefined;
}

/** What a receiver chain is: judged by its root variable, and by a repository as the immediate receiver. */
function rolesOf(chain: ReceiverChain, types: ReadonlyMap<string, string>): Set<Role> {
  const roles = new Set<Role>();
  const { root, names } = chain;
  if (names[0] !== undefined && REPOSITORY.test(names[0])) roles.add("repository");
  if (names.includes("GetCollection")) roles.add("document-collection");
  if (root === undefined) return roles;
  // A bundle of services with its context as a property: `services.Context.CatalogItems` (an `[AsParameters]` record).
  if (names.slice(0, -1).some((n) => BUNDLED_CONTEXT.test(n))) roles.add("context");
  const type = types.get(root);
  const direct = names.length === 1;
  if (type !== undefined) {
    if (CONTEXT_TYPE.test(type) && !NOT_DATA_CONTEXT.test(type)) roles.add("context");
    if (REPOSITORY.test(type) && direct) roles.add("repository");
    if (UNIT_OF_WORK.test(type)) roles.add("unit-of-work");
    if (CONNECTION_TYPE.test(type)) roles.add("connection");
    if (DOCUMENT_COLLECTION_TYPE.test(type)) roles.add("document-collection");
    return roles;
  }
  if (CONTEXT_NAME.test(root) && !NOT_DATA_CONTEXT.test(root)) roles.add("context");
  if (REPOSITORY.test(root) && direct) roles.add("repository");
  if (UNIT_OF_WORK.test(root)) roles.add("unit-of-work");
  if (CONNECTION_NAME.test(root)) roles.add("connection");
  if (DOCUMENT_COLLECTION_NAME.test(root) && direct) roles.add("document-collection");
  return roles;
}

/** `_db.SaveChanges()`, `_db.Orders.Add(…)`: the receiver as written, arguments elided; long receivers shortened to their root. */
function callText(text: string, paren: number, receiver: string, name: string): string {
  const args = /^\(\s*\)/.test(text.slice(paren, paren + 64)) ? "()" : "(…)";
  const flat = receiver.replace(/\s+/g, " ").trim();
  const shown = flat.length <= 40 || /^[\w@]+$/.test(flat) ? flat : `${receiverChain(receiver).root ?? "…"}.…`;
  return `${shown}.${name}${args}`;
}

function methodsByName(controller: ClassDecl, declarations: FileDeclarations): Map<string, MethodDecl[]> {
  const map = new Map<string, MethodDecl[]>();
  for (const decl of [controller, ...declarations.baseChain(controller)]) {
    for (const method of decl.methods) {
      const list = map.get(method.name);
      if (list) list.push(method);
      else map.set(method.name, [method]);
    }
  }
  return map;
}

// ---------------------------------------------------------------- calls towards other files

/** Framework services a handler calls that no project file implements: never followed. */
const FRAMEWORK_SERVICE =
  /^(?:ILogger|ILoggerFactory|IMapper|IConfiguration|IOptions|IOptionsSnapshot|IOptionsMonitor|IMemoryCache|IDistributedCache|IHttpClientFactory|HttpClient|IWebHostEnvironment|IHostEnvironment|IHostingEnvironment|IAuthorizationService|IHttpContextAccessor|IStringLocalizer|IHtmlLocalizer|IUrlHelper|LinkGenerator|IAntiforgery|IDataProtectionProvider|IDataProtector|UserManager|SignInManager|RoleManager|IPasswordHasher|IServiceProvider|IServiceScopeFactory|IConfigurationProvider|TimeProvider|ISystemClock|IActionContextAccessor|IModelMetadataProvider|IObjectModelValidator|ProblemDetailsFactory)$/;
/** Mediators a request is sent to. */
const MEDIATOR_TYPE = /^(?:I?Mediator|ISender|Sender)$/;
const MEDIATOR_NAME = /^_?(?:mediator|sender)$/i;
const MEDIATOR_PROPERTY = /^(?:Mediator|Sender)$/;
/** Properties of a bundle that hold framework services (`services.Logger.LogInformation(…)`). */
const BUNDLED_FRAMEWORK =
  /^(?:Logger|Log|Mapper|Configuration|Config|Options|Cache|Environment|Localizer|HttpContextAccessor)$/;
/** Concrete classes injected by their own type, named for what they do with records. */
const SERVICE_CLASS = /(?:Queries|Store|Gateway|Reader|Writer|Finder|Loader|Helper|Handler|Facade)$/;
const ROOT_IDENTIFIER = /^(?:this\s*\.\s*)?@?([A-Za-z_]\w*)/;

/** The first identifier of the receiver that ends at the dot: `_orders` in `_orders.GetAsync(`, `services` in `services.Queries.GetOrderAsync(`. */
function receiverRoot(text: string, dot: number): string {
  return ROOT_IDENTIFIER.exec(receiverBefore(text, dot))?.[1] ?? "";
}

/**
 * The injected services a function can call, by name: the typed fields, properties and
 * primary-constructor parameters of its class, and its own parameters that are services
 * (`IOrderQueries queries`, `[FromServices] OrderQueries queries`, `[AsParameters] OrderServices services`).
 * Data contexts and connections are the data layer itself; a current-user service tells who the caller is.
 */
function injectedServices(fn: SyntaxNode, members: ReadonlyMap<string, string>): Map<string, string> {
  const services = new Map<string, string>();
  for (const [name, type] of members) if (isInjectable(name, type, false)) services.set(name, type);
  const list = field(fn, "parameters") ?? fn.namedChildren.find((c) => c.type === "parameter_list") ?? null;
  for (const parameter of list?.namedChildren ?? []) {
    if (parameter.type !== "parameter") continue;
    const name = field(parameter, "name")?.text;
    const type = field(parameter, "type");
    if (name === undefined || !type) continue;
    const simple = simpleName(type);
    const fromServices = parameter.namedChildren.some(
      (c) => c.type === "attribute_list" && /\bFrom(?:Keyed)?Services\b/.test(c.text),
    );
    if (isInjectable(name, simple, fromServices)) services.set(name, simple);
    else services.delete(name);
  }
  return services;
}

function isInjectable(name: string, type: string, declared: boolean): boolean {
  if (FRAMEWORK_SERVICE.test(type) || isCallerService(name, type)) return false;
  if ((CONTEXT_TYPE.test(type) && !NOT_DATA_CONTEXT.test(type)) || CONNECTION_TYPE.test(type)) return false;
  if (DOCUMENT_COLLECTION_TYPE.test(type)) return false;
  return declared || isServiceType(type) || SERVICE_CLASS.test(type) || MEDIATOR_TYPE.test(type);
}

/** Whether a `Send(…)` is made on a mediator: `_mediator`, `sender`, `services.Mediator`. */
function isMediator(receiverText: string, services: ReadonlyMap<string, string>): boolean {
  const { root, names } = receiverChain(receiverText);
  if (root === undefined) return false;
  if (names.length === 1) {
    const type = services.get(root);
    return type !== undefined ? MEDIATOR_TYPE.test(type) : MEDIATOR_NAME.test(root);
  }
  return names.length === 2 && services.has(root) && MEDIATOR_PROPERTY.test(names[0]);
}

/** The service a call is made on: a typed service, or a property of a bundle of services (`services.Queries`). */
function serviceTarget(
  receiverText: string,
  services: ReadonlyMap<string, string>,
): { type: string; property?: string } | undefined {
  const { root, names } = receiverChain(receiverText);
  if (root === undefined) return undefined;
  const type = services.get(root);
  if (type === undefined || MEDIATOR_TYPE.test(type)) return undefined;
  if (names.length === 1) return { type };
  if (
    names.length === 2 &&
    !MEDIATOR_PROPERTY.test(names[0]) &&
    !BUNDLED_CONTEXT.test(names[0]) &&
    !BUNDLED_FRAMEWORK.test(names[0])
  )
    return { type, property: names[0] };
  return undefined;
}

/** The declared type of a function's parameter. */
function parameterTypeNode(fn: SyntaxNode, name: string): SyntaxNode | null {
  const list = field(fn, "parameters") ?? fn.namedChildren.find((c) => c.type === "parameter_list") ?? null;
  for (const parameter of list?.namedChildren ?? [])
    if (parameter.type === "parameter" && field(parameter, "name")?.text === name) return field(parameter, "type");
  return null;
}

// ---------------------------------------------------------------- summaries for other files

/** Functions one file's summary carries at most. */
const MAX_FUNCTIONS = 64;
const CONTROLLER_BASES = /^(?:Controller|ControllerBase|PageModel|ComponentBase|Hub)$/;

/**
 * What the public methods of the file's services, repositories and request handlers do
 * with records, in their own terms, for handlers of other files that call them. Only
 * methods that reach a data operation or call onwards are listed.
 */
export function functionSummaries(file: CSharpFile): FunctionSummary[] {
  const classes = file.declarations.classes.filter(
    (c) => !c.name.endsWith("Controller") && !c.baseTypes.some((b) => CONTROLLER_BASES.test(b)),
  );
  if (classes.length === 0) return [];
  const scanner = new Scanner(file, { parameterTypes: true });
  scanner.scan(classes);
  const out: FunctionSummary[] = [];
  for (const decl of classes) {
    const handles = handledRequest(decl);
    for (const method of decl.methods) {
      if (!method.hasBody || method.modifiers.has("static")) continue;
      const handler = handles !== undefined && HANDLE_METHODS.includes(method.name);
      const visible =
        method.modifiers.has("public") ||
        method.modifiers.has("internal") ||
        handler ||
        method.node.namedChildren.some((c) => c.type === "explicit_interface_specifier");
      if (!visible) continue;
      // A request's handler is listed even when it touches no record: of several requests of
      // one name in a project (`List.Query` per feature), the caller's must be found as its own.
      const summary = scanner.helperSummary(method) ?? (handler ? { operations: [], calls: [] } : undefined);
      if (!summary) continue;
      // What it records of who changed what, for the handlers that call it (AP107).
      const audits = summary.operations.some((op) => op.kind !== "read")
        ? auditEventsOfMethod(method, file, "helper")
        : [];
      out.push({
        type: decl.name,
        member: method.name,
        name: `${decl.name}.${method.name}`,
        ...(handler ? { handles } : {}),
        ...summary,
        ...(audits.length > 0 ? { audits } : {}),
      });
      if (out.length >= MAX_FUNCTIONS) return out;
    }
  }
  return out;
}

/** The request a MediatR handler class handles (`IRequestHandler<DeleteOrderCommand, bool>`), qualified by its enclosing class when nested (`Delete.Command`). */
function handledRequest(decl: ClassDecl): string | undefined {
  for (const node of decl.nodes) {
    const bases = node.namedChildren.find((c) => c.type === "base_list");
    const match = bases ? new RegExp(REQUEST_HANDLER.source).exec(bases.text) : null;
    if (!match) continue;
    const written = match[1];
    if (written.includes(".")) return written;
    const outer = node.parent?.type === "declaration_list" ? node.parent.parent : null;
    const outerName =
      outer && /^(?:class|record|struct)_declaration$/.test(outer.type) ? field(outer, "name")?.text : undefined;
    return outerName !== undefined ? `${outerName}.${written}` : written;
  }
  return undefined;
}
