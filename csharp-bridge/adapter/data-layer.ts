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
 * Reads by key (`_db.Orders.Find(id)`, `FindAsync`) on a DbContext are recorded as `read`.
 *
 * A root is judged by the declared type of the field, property or primary-constructor
 * parameter it names when the class declares one (and, for Minimal API handlers, of the
 * handler's parameters), else by its name. Calls of the
 * class's own methods (`Save(order)`, `this.Persist()`) are followed, so a write in a
 * private helper counts for the action that calls it.
 */
import type { DataOperation, DataOperationKind } from "../../lib/core/model.js";
import type { SyntaxNode } from "../parser.js";
import { nodeLoc } from "./syntax.js";
import type { ClassDecl, FileDeclarations, MethodDecl } from "./declarations.js";
import { callSites, dotBefore, receiverBefore, receiverChain, type ReceiverChain } from "./call-sites.js";
import { checkAnalysisClock } from "./clock.js";
import { parametersOf } from "./invocations.js";

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
/** Reads by primary key. Other reads (`FirstOrDefaultAsync`, `ToListAsync`, …) are too common to confirm one by one within the time budget, and no rule needs them yet. */
const KEY_READS = new Set(["Find", "FindAsync"]);
const REPOSITORY_WRITE = /^(?:Add|Insert|Create|Update|Upsert|Replace|Save|Set)(?=[A-Z0-9_]|$)/;
const REPOSITORY_DELETE = /^(?:Delete|Remove)(?=[A-Z0-9_]|$)/;

const CONTEXT_NAME = /^_?(?:db|ctx|context|dbContext|dbCtx)$|(?:^|[a-z0-9_])(?:Db|DbContext|Context)$/;
const CONTEXT_TYPE = /(?:Db|DbContext|Context)$/;
/** `…Context` types and names that are not data contexts. */
const NOT_DATA_CONTEXT =
  /(?:Http|Controller|Action|View|Page|Validation|Synchronization|Execution|Hub|Filter|Exception|Result|Resource|Authorization|Authentication|Security|Serializer|Json|Activity|Razor|Binding|Request|Response|Logging|Culture|Template|Formatter|Circuit|Component|Operation|Schema|Document)Context$/i;
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
  /** The data operations of `method`, with those of the same-class methods it calls. */
  operationsOf(method: MethodDecl, controller: ClassDecl): DataOperation[];
}

/**
 * Scans the methods of `classes` (controllers and their same-file bases) once. Candidate
 * calls are found in the text: `Name(` with a data-layer name on a receiver whose text
 * looks like the data layer, or the name of one of the classes' methods. Each candidate
 * is then confirmed in the tree, so comments, strings and declarations drop out, and the
 * receiver is judged again from the tree. Visiting the nodes of every body from
 * JavaScript would cost more than parsing the file (about a microsecond per node).
 * Every call is attributed to the innermost method that contains it, which keeps members
 * that error recovery nested in another method apart.
 */
export function indexDataLayer(
  classes: readonly ClassDecl[],
  declarations: FileDeclarations,
  text: string,
  options: { parameterTypes?: boolean } = {},
): DataLayerIndex {
  const own = new Map<MethodDecl, DataOperation[]>();
  const callees = new Map<MethodDecl, Set<string>>();
  const members = classes
    .flatMap((c) => c.methods.filter((m) => m.hasBody))
    .map((method) => ({ method, start: method.node.startIndex, end: method.node.endIndex }))
    .sort((a, b) => a.start - b.start);
  const ownNames = new Set(members.map((m) => m.method.name));
  const declaredAt = new Set(members.map((m) => m.method.nameStart));
  const locate = innermostLocator(members);

  for (const [start, end] of disjointRanges(members)) {
    for (const { name, index, paren } of callSites(text, start, end)) {
      const dot = dotBefore(text, index);
      if (dot < 0) {
        if (!ownNames.has(name) || declaredAt.has(index)) continue;
      } else if (!ownNames.has(name) && !isDataLayerName(name)) {
        continue;
      }
      const method = locate(index);
      if (!method) continue;
      const types = options.parameterTypes
        ? withParameterTypes(method, declarations.memberTypes(method.owner))
        : declarations.memberTypes(method.owner);
      const receiverText = dot < 0 ? "" : receiverBefore(text, dot);
      const thisCall = dot < 0 || /^(?:this|base)$/.test(receiverText);
      if (thisCall) {
        if (ownNames.has(name) && confirmCall(method.node, text, index, name, paren, dot >= 0))
          addCallee(callees, method, name);
        continue;
      }
      if (!ANYWHERE.has(name) && !classify(name, receiverText, types)) continue;
      const call = confirmCall(method.node, text, index, name, paren, true);
      const kind = call?.receiver !== undefined ? classify(name, call.receiver, types) : undefined;
      if (!call || !kind) continue;
      let list = own.get(method);
      if (!list) own.set(method, (list = []));
      list.push({ kind, call: callText(text, paren, call.receiver!, name), loc: nodeLoc(call.node) });
    }
  }

  const byController = new Map<ClassDecl, Map<string, MethodDecl[]>>();
  return {
    operationsOf(method, controller) {
      let byName = byController.get(controller);
      if (!byName) byController.set(controller, (byName = methodsByName(controller, declarations)));
      const operations: DataOperation[] = [];
      const seen = new Set<MethodDecl>([method]);
      const queue = [method];
      while (queue.length > 0) {
        checkAnalysisClock();
        const current = queue.shift()!;
        for (const operation of own.get(current) ?? []) operations.push(operation);
        for (const name of callees.get(current) ?? []) {
          for (const callee of byName.get(name) ?? []) {
            if (seen.has(callee)) continue;
            seen.add(callee);
            queue.push(callee);
          }
        }
      }
      return operations;
    },
  };
}

/**
 * The data operations inside one function that is not a class member: a lambda handler
 * (`app.MapPost("/x", async (Order o, ShopDb db) => …)`) or a local function. A root is
 * judged by the type `types` gives it (the handler's parameters), else by its name.
 */
export function operationsIn(fn: SyntaxNode, text: string, types: ReadonlyMap<string, string>): DataOperation[] {
  const operations: DataOperation[] = [];
  for (const { name, index, paren } of callSites(text, fn.startIndex, fn.endIndex)) {
    checkAnalysisClock();
    const dot = dotBefore(text, index);
    if (dot < 0 || !isDataLayerName(name)) continue;
    const receiverText = receiverBefore(text, dot);
    if (/^(?:this|base)$/.test(receiverText)) continue;
    if (!ANYWHERE.has(name) && !classify(name, receiverText, types)) continue;
    const call = confirmCall(fn, text, index, name, paren, true);
    const kind = call?.receiver !== undefined ? classify(name, call.receiver, types) : undefined;
    if (!call || !kind) continue;
    operations.push({ kind, call: callText(text, paren, call.receiver!, name), loc: nodeLoc(call.node) });
  }
  return operations;
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

function addCallee(callees: Map<MethodDecl, Set<string>>, method: MethodDecl, name: string): void {
  let set = callees.get(method);
  if (!set) callees.set(method, (set = new Set()));
  set.add(name);
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
  const anywhere = ANYWHERE.get(name);
  if (anywhere) return anywhere;
  const roles = rolesOf(receiverChain(receiver), types);
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
