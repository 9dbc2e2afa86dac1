/**
 * How a handler's data accesses pick their records and what ties them to the caller
 * (AP103), read from one function's code:
 *
 *  - where a value comes from (`ValueOrigin`): an action, page-handler or Minimal API
 *    parameter the client binds (route, query, body, the properties of a bound DTO), the
 *    authenticated caller (`User`, `HttpContext.User`, claims, `_userManager.GetUserId(User)`,
 *    an injected current-user or tenant service), or, in a method the handler calls, one of
 *    that method's parameters, which the call site maps — through locals, `var`, casts,
 *    `await`, `Guid.Parse(…)`;
 *  - the equality conditions of a query: `Find(id)`, EF Core predicates and `Where` chains,
 *    Dapper SQL with an anonymous parameter object; `Remove(invoice)` after a load carries the
 *    load's conditions;
 *  - the ownership checks that cover an access: the loaded record compared with the caller
 *    with a denying branch, `IAuthorizationService.AuthorizeAsync(User, invoice, …)` with a
 *    denying branch on `.Succeeded`, helpers the settings name, a current-user service asked
 *    about the client's id, and an EF Core `HasQueryFilter` on the entity (query-filters.ts);
 *  - reads that only tell whether records exist (`existenceOnly`): `Any` / `All` / `Count` /
 *    `LongCount` / `Exists`, a Dapper `SELECT COUNT(*)` / `SELECT 1` / `SELECT EXISTS`, and a
 *    read whose result is only tested for null or compared, never returned, passed on, read
 *    into, changed or removed (one pass over the mentions of its local).
 *
 * Each function is read once, on demand: its locals, parameters and checks come from one
 * query of its subtree for a handful of node types.
 */
import type {
  CallArgument,
  DataOperation,
  OwnershipCheck,
  RecordCondition,
  RecordSelection,
  ValueOrigin,
} from "../../lib/core/model.js";
import type { SyntaxNode } from "../parser.js";
import type { ClassDecl, MethodDecl } from "./declarations.js";
import type { CSharpFile } from "./libraries/library.js";
import { readAttributes, typeofArguments, withoutSuffix, type CSharpAttribute } from "./attributes.js";
import { checkAnalysisClock } from "./clock.js";
import { argumentName, argumentsOf, argumentValue, field, parametersOf, unwrapParentheses } from "./invocations.js";
import { queryFilterScopes, type QueryFilterScopes } from "./query-filters.js";
import { nodeLoc, shortText, simpleName, stringLiteralValue } from "./syntax.js";

/** A handler's parameters are bound from the request; a helper's are filled by its callers. */
export type FlowMode = "handler" | "helper";

/** A data-layer call found in a function, with the call's node. */
export interface AccessSite {
  op: DataOperation;
  /** The `invocation_expression`. */
  node: SyntaxNode;
  /** The method called: `FindAsync`, `Remove`, `QueryFirstOrDefaultAsync`. */
  name: string;
  /** What the receiver is: an EF Core context (or a set on it), or a Dapper connection. */
  role: "context" | "connection" | "other";
}

const MAX_DEPTH = 12;
/** How many values one function's flow reads at most. */
const MAX_WORK = 20_000;
const MAX_CHAIN = 64;
/** Arguments of one call read for a function of another file. */
export const MAX_ARGUMENTS = 16;

// ---------------------------------------------------------------- vocabulary

/** Reads that pick records through a LINQ predicate on an EF Core set (and their `…Async`). */
export const QUERY_READS: ReadonlySet<string> = new Set(
  [
    "First",
    "FirstOrDefault",
    "Single",
    "SingleOrDefault",
    "Last",
    "LastOrDefault",
    "Any",
    "All",
    "Count",
    "LongCount",
    "ToList",
    "ToArray",
    "ToDictionary",
    "ToHashSet",
    "Exists",
  ].flatMap((n) => [n, `${n}Async`]),
);
/** Reads that only say whether records match, or how many: `AnyAsync(x => x.Id == id)`, `CountAsync(…)`. */
const EXISTENCE_READS: ReadonlySet<string> = new Set(
  ["Any", "All", "Count", "LongCount", "Exists"].flatMap((n) => [n, `${n}Async`]),
);
/** Whether a data-layer call can pick records by a condition: the others (`Add`, `SaveChanges`) need no reading. */
export function maySelect(site: AccessSite): boolean {
  if (site.role === "connection") return true;
  if (site.role !== "context") return false;
  const name = site.name;
  return KEY_LOOKUPS.has(name) || QUERY_READS.has(name) || BULK.has(name) || LOADED_WRITES.has(name);
}

/** Dapper's reads (`Query<T>`, `QueryFirstOrDefaultAsync<T>`, `ExecuteScalarAsync<int>` of a `SELECT`, …). */
export const DAPPER_READS: ReadonlySet<string> = new Set(
  [
    "Query",
    "QueryFirst",
    "QueryFirstOrDefault",
    "QuerySingle",
    "QuerySingleOrDefault",
    "QueryMultiple",
    "ExecuteScalar",
  ].flatMap((n) => [n, `${n}Async`]),
);
/** Dapper's scalar calls: a read only for a `SELECT` (an `INSERT …; SELECT SCOPE_IDENTITY()` is not). */
const DAPPER_SCALARS = new Set(["ExecuteScalar", "ExecuteScalarAsync"]);
const KEY_LOOKUPS = new Set(["Find", "FindAsync"]);
const BULK = new Set(["ExecuteDelete", "ExecuteDeleteAsync", "ExecuteUpdate", "ExecuteUpdateAsync"]);
const LOADED_WRITES = new Set(["Remove", "Update", "Attach", "RemoveRange", "UpdateRange", "AttachRange"]);
/** Query operators that shape the result and leave the selection as it is. */
const SHAPING = new Set([
  "Include",
  "ThenInclude",
  "AsNoTracking",
  "AsNoTrackingWithIdentityResolution",
  "AsTracking",
  "AsSplitQuery",
  "AsSingleQuery",
  "AsQueryable",
  "AsAsyncEnumerable",
  "OrderBy",
  "OrderByDescending",
  "ThenBy",
  "ThenByDescending",
  "Select",
  "Skip",
  "Take",
  "Distinct",
  "TagWith",
  "TagWithCallSite",
  "ProjectTo",
  "IgnoreAutoIncludes",
]);

const SIMPLE_TYPE =
  /^(?:int|uint|long|ulong|short|ushort|byte|sbyte|string|bool|decimal|double|float|char|object|Guid|DateTime|DateTimeOffset|DateOnly|TimeOnly|TimeSpan|Int16|Int32|Int64|UInt32|UInt64|String|Boolean|Decimal|Ulid)$/;
const PRINCIPAL_TYPE = /^(?:ClaimsPrincipal|IPrincipal|ClaimsIdentity|IIdentity)$/;
/** Types the framework hands a handler that are not the client's input. */
const FRAMEWORK_TYPE =
  /^(?:HttpContext|HttpRequest|HttpResponse|CancellationToken|Stream|PipeReader|PipeWriter|ModelStateDictionary|ILogger|LinkGenerator)$/;
/** Collections and uploads: interface-shaped, but bound from the request. */
const BOUND_INTERFACE =
  /^(?:IEnumerable|IList|ICollection|IReadOnlyList|IReadOnlyCollection|ISet|IDictionary|IReadOnlyDictionary|IAsyncEnumerable|IFormFile|IFormFileCollection|IFormCollection)$/;
/** Services a handler gets injected (Minimal API parameters, `[AsParameters]` service bundles). */
const SERVICE_TYPE =
  /^I[A-Z]|(?:Context|Db|Service|Services|Repository|Repo|Manager|Provider|Logger|Factory|Mediator|Sender|Publisher|Bus|Accessor|Client|Cache|Store|Dispatcher|Mapper|Configuration|Environment|UnitOfWork|Connection|Queue|Emitter)$/;
/** Services that tell who the caller is: `ICurrentUserService`, `ICurrentUser`, `IUser`, `ITenantContext`, `IUserAccessor`. */
const CURRENT_USER_TYPE =
  /^I?(?:Current[A-Z]\w*|(?:User|Tenant|Caller|Principal|Identity|Session|Request)(?:Context|Accessor|Provider|Info|Session)|User|Tenant|Caller)$/;
const CURRENT_USER_NAME = /^_?(?:current[A-Z]\w*|(?:user|tenant|caller)(?:Context|Accessor|Provider|Info|Session))$/;
/** Whether a variable of this type or name tells who the caller is (`ICurrentContext`, `_currentUser`): not a data context, whatever its name. */
export function isCallerService(name: string, type: string | undefined): boolean {
  return type !== undefined ? CURRENT_USER_TYPE.test(type) : CURRENT_USER_NAME.test(name);
}
/** A member or method of the class that gives the caller's id: `CurrentUserId`, `GetUserId()`, `GetCurrentTenantIdAsync()`. */
const CALLER_MEMBER =
  /^(?:Get)?(?:Current|Caller|Signed(?:In)?|LoggedIn|Authenticated|Auth|My)?(?:User|Tenant|Caller|Account|Owner)Id(?:Async)?$/;
/** Calls that read the caller from a principal they are given: `GetUserId(User)`, `GetProperUserId(User)`, `GetUserAsync(User)`. */
const CALLER_CALL = /User|Tenant|Claim|Principal|Owner|Account|Caller|Identity|Id(?:Async)?$/;
/** Conversions that keep a value's origin: `Guid.Parse(id)`, `id.ToString()`, `Convert.ToInt32(id)`. */
const CONVERSIONS =
  /^(?:Parse|ToString|ToGuid|ToInt16|ToInt32|ToInt64|ToLower|ToUpper|ToLowerInvariant|ToUpperInvariant|Trim|GetValueOrDefault|AsGuid)$/;
/** The request's own collections: `Request.Query`, `Request.Form`, `Request.RouteValues`, `Request.Headers`, `RouteData.Values`. */
const REQUEST_COLLECTION = /^(?:Request\.(?:Query|Form|RouteValues|Headers|Cookies)|RouteData\.Values)$/;
const BINDING_ATTRIBUTE = /^(?:FromRoute|FromQuery|FromBody|FromForm|FromHeader|AsParameters|Bind|ModelBinder)$/;
const SERVICES_ATTRIBUTE = /^(?:FromServices|FromKeyedServices)$/;
/** A branch that refuses the request: 401/403/404 results, a challenge, any throw. */
const DENIAL =
  /\b(?:Forbid|NotFound|Unauthorized|Challenge|ForbidResult|NotFoundResult|NotFoundObjectResult|UnauthorizedResult|UnauthorizedObjectResult|ForbiddenResult|Status40[134]\w*)\b|\bStatusCode\s*\(\s*40[134]\b|\bstatusCode\s*:\s*40[134]\b/;
/** `Name(` and `Name<T>(` in a text. */
const CALLED_NAME = /\b([A-Za-z_]\w*)(?:\s*<[^<>()]*>)?\s*\(/g;
/** Helpers that check the caller may use a record, whatever the settings say: `EnsureOwnerAsync`, `AssertCanEdit`, `CanAccess`, `AuthorizeInvoiceAccess`. */
const OWNERSHIP_HELPER =
  /^(?:(?:Assert|Ensure|Verify|Check|Require|Guard)\w*(?:Owner|Owns|Ownership|Access|Permission|CanEdit|CanView|CanDelete|Member)\w*|Can[A-Z]\w*|Authorize[A-Z]\w*|IsOwner\w*|Owns\w*)$/;

// ---------------------------------------------------------------- member chains

interface ChainStep {
  kind: "member" | "call" | "index";
  name: string;
  node: SyntaxNode;
}

/** `User.FindFirst(x)?.Value` → root `User`, steps [call FindFirst, member Value]. */
interface Chain {
  /** The expression the chain starts from: an identifier, `this`, a plain call, a literal. */
  root: SyntaxNode;
  steps: ChainStep[];
}

/** Strips what does not change a value: parentheses, `await`, casts, `!`, `checked(…)`. */
function unwrapValue(node: SyntaxNode | null): SyntaxNode | null {
  let current = node;
  for (let guard = 0; current && guard < MAX_CHAIN; guard++) {
    switch (current.type) {
      case "parenthesized_expression":
      case "await_expression":
      case "checked_expression":
        current = current.namedChildren.at(-1) ?? null;
        break;
      case "cast_expression":
        current = field(current, "value");
        break;
      case "postfix_unary_expression":
        if (!current.text.endsWith("!")) return current;
        current = current.namedChildren[0] ?? null;
        break;
      default:
        return current;
    }
  }
  return current;
}

function chainOf(expression: SyntaxNode): Chain {
  const steps: ChainStep[] = [];
  let node = unwrapValue(expression) ?? expression;
  for (let guard = 0; guard < MAX_CHAIN; guard++) {
    if (node.type === "invocation_expression") {
      const fn = field(node, "function");
      if (fn?.type === "member_access_expression") {
        steps.unshift({ kind: "call", name: simpleName(field(fn, "name")), node });
        node = unwrapValue(field(fn, "expression")) ?? fn;
        continue;
      }
      if (fn?.type === "conditional_access_expression") {
        const binding = fn.namedChildren.find((c) => c.type === "member_binding_expression");
        steps.unshift({ kind: "call", name: simpleName(field(binding, "name")), node });
        node = unwrapValue(field(fn, "condition")) ?? fn;
        continue;
      }
      break;
    }
    if (node.type === "member_access_expression") {
      steps.unshift({ kind: "member", name: simpleName(field(node, "name")), node });
      node = unwrapValue(field(node, "expression")) ?? node;
      continue;
    }
    if (node.type === "conditional_access_expression") {
      const binding = node.namedChildren.find((c) => c.type === "member_binding_expression");
      if (!binding) break;
      steps.unshift({ kind: "member", name: simpleName(field(binding, "name")), node });
      node = unwrapValue(field(node, "condition")) ?? node;
      continue;
    }
    if (node.type === "element_access_expression") {
      steps.unshift({ kind: "index", name: "", node });
      node = unwrapValue(field(node, "expression")) ?? node;
      continue;
    }
    break;
  }
  return { root: node, steps };
}

/** The name a plain call at the root of a chain calls: `GetUserId` in `GetUserId()`. */
function rootCallName(root: SyntaxNode): string | undefined {
  if (root.type !== "invocation_expression") return undefined;
  const fn = field(root, "function");
  return fn && (fn.type === "identifier" || fn.type === "generic_name") ? simpleName(fn) : undefined;
}

// ---------------------------------------------------------------- origins

function client(via: string): ValueOrigin {
  return { kind: "client", via: shortText(via.replace(/\s+/g, " "), 80) };
}
const OTHER: ValueOrigin = { kind: "other" };

/** The origin of `origin`'s value read further through `path` (`command` → `command.InvoiceId`). */
export function extendOrigin(origin: ValueOrigin, path: readonly string[]): ValueOrigin {
  if (path.length === 0) return origin;
  switch (origin.kind) {
    case "client":
      return client(`${origin.via}.${path.join(".")}`);
    case "principal":
      return { kind: "principal", via: shortText(`${origin.via}.${path.join(".")}`, 80) };
    case "parameter":
      return { kind: "parameter", index: origin.index, path: [...origin.path, ...path] };
    default:
      return OTHER;
  }
}

interface ParameterFacts {
  name: string;
  position: number;
  type: string | undefined;
  attributes: string[];
}

/** What a class tells the functions in it: its members' types and the properties the request binds. */
export interface ClassScope {
  owner: ClassDecl | undefined;
  memberTypes: ReadonlyMap<string, string>;
  /** `[BindProperty]` properties (all public settable ones under `[BindProperties]`): the client's. */
  boundMembers: ReadonlySet<string>;
}

/** What a denying condition is read for: comparisons, negations and calls. */
const CONDITION_PARTS = ["binary_expression", "prefix_unary_expression", "invocation_expression"];

/** An ownership check in a function, with what it covers. */
interface Check {
  check: OwnershipCheck;
  /** Where it starts: writes after it are covered. */
  start: number;
  /** Locals holding the record it checks. */
  subjects: Set<string>;
  /** Client values it checks (`id` compared with the caller's id): accesses selected by them are covered. */
  values: Set<string>;
  /**
   * In a helper, a comparison with one of its parameters (`order.BuyerId != userId`): it checks
   * only when the caller passes the authenticated principal for that parameter.
   */
  when?: { index: number; path: string[] };
}

/** A check of a helper that counts when its caller passes the principal for a parameter. */
export interface ConditionalCheck {
  check: OwnershipCheck;
  when: { index: number; path: string[] };
}

/**
 * One function (a method, a lambda handler, a local function) as AP103 reads it. `mode`
 * says what its parameters are: bound from the request (a handler) or given by a caller (a
 * helper, whose parameters become `{ kind: "parameter" }` origins).
 */
export class FunctionFlow {
  readonly fn: SyntaxNode;
  readonly mode: FlowMode;
  readonly scope: ClassScope;
  readonly #file: CSharpFile;
  readonly #parameters = new Map<string, ParameterFacts>();
  /** Local name → the values assigned to it (declaration and assignments). */
  readonly #locals = new Map<string, SyntaxNode[]>();
  /** Node id of a value (unwrapped) → the local it is assigned to. */
  readonly #assignedTo = new Map<number, string>();
  /** `if` statements, `?:` and switch expressions: read for checks only when an access needs them. */
  readonly #branchNodes: SyntaxNode[] = [];
  #checks: Check[] | undefined;
  #patternMembers = new Map<string, string>();
  readonly #loaded = new Map<string, readonly string[]>();
  /** Where each local's name is written in the body, read once when the uses of a read's result are asked. */
  #mentions: Map<string, number[]> | undefined;
  readonly #resolving = new Set<string>();
  /** Values read so far: nested calls that each take the caller can fan out; past the cap, values are "other". */
  #work = 0;

  constructor(fn: SyntaxNode, mode: FlowMode, scope: ClassScope, file: CSharpFile) {
    this.fn = fn;
    this.mode = mode;
    this.scope = scope;
    this.#file = file;
    const list = field(fn, "parameters") ?? fn.namedChildren.find((c) => c.type === "parameter_list") ?? null;
    const infos = parametersOf(fn);
    const nodes = list?.type === "parameter_list" ? list.namedChildren.filter((c) => c.type === "parameter") : [];
    for (const info of infos) {
      const node = nodes.find((n) => field(n, "name")?.text === info.name);
      const attributes = node
        ? readAttributes(node.namedChildren.filter((c) => c.type === "attribute_list")).map((a) => a.name)
        : [];
      this.#parameters.set(info.name, { name: info.name, position: info.position, type: info.type, attributes });
    }
    this.#readBody();
  }

  #readBody(): void {
    const body = field(this.fn, "body") ?? this.fn;
    for (const node of body.descendantsOfType([
      "variable_declarator",
      "assignment_expression",
      "declaration_expression",
      "is_pattern_expression",
      "if_statement",
      "conditional_expression",
      "switch_expression",
    ])) {
      checkAnalysisClock();
      switch (node.type) {
        case "variable_declarator": {
          const name = field(node, "name");
          const value = node.namedChildren.at(-1);
          if (name?.type === "identifier" && value && value.id !== name.id) this.#assign(name.text, value);
          break;
        }
        case "assignment_expression": {
          const left = field(node, "left");
          const right = field(node, "right");
          const operator = node.children.find((c) => !c.isNamed)?.text;
          if (left?.type === "identifier" && right && operator === "=") this.#assign(left.text, right);
          else if (left?.type === "identifier") this.#assign(left.text, undefined);
          break;
        }
        case "declaration_expression": {
          // `out var id`: assigned by a call the flow does not follow.
          const name = field(node, "name");
          if (name?.type === "identifier") this.#assign(name.text, undefined);
          break;
        }
        case "is_pattern_expression": {
          // `await _db.Todos.FindAsync(id) is Todo todo`, `… is not { } todo`: the designation holds the value.
          const value = field(node, "expression");
          const pattern = field(node, "pattern");
          const name = designation(pattern);
          if (value && name !== undefined) this.#assign(name, value);
          if (value) this.#memberDesignations(value, pattern);
          break;
        }
        case "if_statement":
        case "conditional_expression":
          this.#branchNodes.push(node);
          break;
        case "switch_expression": {
          // `… switch { Todo todo when … => …, _ => … }`: each arm's designation holds the subject.
          const [subject, ...arms] = node.namedChildren;
          for (const arm of arms) {
            const name = designation(arm.namedChildren[0] ?? null);
            if (subject && name !== undefined) this.#assign(name, subject);
            if (subject) this.#memberDesignations(subject, arm.namedChildren[0] ?? null);
          }
          this.#branchNodes.push(node);
          break;
        }
      }
    }
  }

  /**
   * Variables a property pattern declares for members of the tested record:
   * `order is not { OwnerId: var owner }`, `{ Owner: { Id: var ownerId } } when …` in a switch
   * arm. A comparison of `owner` with the caller is a check on `order`.
   */
  #memberDesignations(value: SyntaxNode, pattern: SyntaxNode | null): void {
    const subject = unwrapLoaded(value);
    if (subject?.type !== "identifier" || !pattern || !/\{/.test(pattern.text)) return;
    const pending: { node: SyntaxNode; depth: number }[] = [{ node: pattern, depth: 0 }];
    while (pending.length > 0) {
      const { node, depth } = pending.pop()!;
      if (depth > MAX_PATTERN_DEPTH) continue;
      if (node.type === "subpattern") {
        const inner = node.namedChildren.at(-1);
        const name = inner && inner !== node.namedChildren[0] ? designationNode(inner) : undefined;
        if (name && inner?.type === "declaration_pattern") {
          this.#assign(name.text, undefined);
          this.#patternMembers.set(name.text, subject.text);
        }
        if (inner) pending.push({ node: inner, depth: depth + 1 });
        continue;
      }
      if (!PATTERN_PARTS.has(node.type)) continue;
      for (const child of node.namedChildren) pending.push({ node: child, depth: depth + 1 });
    }
  }

  /** The record a pattern variable holds a member of (`owner` in `order is { OwnerId: var owner }` → `order`). */
  patternSubject(name: string): string | undefined {
    return this.#patternMembers.get(name);
  }

  #assign(name: string, value: SyntaxNode | undefined): void {
    let values = this.#locals.get(name);
    if (!values) this.#locals.set(name, (values = []));
    if (!value) {
      values.push(this.fn); // a value the flow cannot read: the local resolves to "other"
      return;
    }
    values.push(value);
    const inner = unwrapLoaded(value);
    if (inner) this.#assignedTo.set(inner.id, name);
  }

  /** The local a call's result is assigned to (`var invoice = await _db.Invoices.FindAsync(id)`). */
  resultLocal(invocation: SyntaxNode): string | undefined {
    return this.#assignedTo.get(invocation.id);
  }

  /**
   * Whether a read's result only tells whether the record exists: it is only tested for
   * null or compared (`if (existing is not null) return Conflict();`, `await …FindAsync(id) == null`),
   * itself or through the one local it is assigned to, and never returned, passed on,
   * assigned elsewhere, read into (`existing.Name`), changed or removed.
   */
  onlyTested(invocation: SyntaxNode): boolean {
    const body = this.#body();
    const path = pathTo(body, invocation);
    const use = path ? useOf(path) : USED;
    if (use.kind !== "local") return use.kind === "tested";
    // Given another value anywhere in the function, the local holds more than this read's result.
    if (this.localValue(use.name) === undefined) return false;
    const mentions = this.#mentionsOf(use.name);
    if (mentions.length > MAX_MENTIONS) return false;
    let reads = 0;
    for (const start of mentions) {
      if (start === use.declared) continue;
      checkAnalysisClock();
      const end = start + use.name.length + (this.#file.text[start] === "@" ? 1 : 0);
      const node = body.descendantForIndex(start, end);
      if (node?.type !== "identifier" || node.startIndex !== start || node.endIndex !== end) continue;
      const at = pathTo(body, node);
      if (!at) return false;
      if (!readsValue(at)) continue;
      reads++;
      if (useOf(at).kind !== "tested") return false;
    }
    return reads > 0;
  }

  #body(): SyntaxNode {
    return field(this.fn, "body") ?? this.fn;
  }

  /** The positions of the body's words that name a local (`@name` included), by name, from one pass over its text. */
  #mentionsOf(name: string): readonly number[] {
    if (!this.#mentions) {
      const mentions = new Map<string, number[]>();
      const body = this.#body();
      const text = this.#file.text;
      const words = /@?[A-Za-z_]\w*/g;
      words.lastIndex = body.startIndex;
      for (let match = words.exec(text); match && match.index < body.endIndex; match = words.exec(text)) {
        const word = match[0].startsWith("@") ? match[0].slice(1) : match[0];
        if (!this.#locals.has(word)) continue;
        const list = mentions.get(word);
        if (!list) mentions.set(word, [match.index]);
        else if (list.length <= MAX_MENTIONS) list.push(match.index);
      }
      this.#mentions = mentions;
    }
    return this.#mentions.get(name) ?? [];
  }

  /** The single value a local is given, when it is given one. */
  localValue(name: string): SyntaxNode | undefined {
    const values = this.#locals.get(name);
    return values?.length === 1 && values[0].id !== this.fn.id ? values[0] : undefined;
  }

  isLocal(name: string): boolean {
    return this.#locals.has(name);
  }

  parameter(name: string): ParameterFacts | undefined {
    return this.#locals.has(name) ? undefined : this.#parameters.get(name);
  }

  /** Where the value of `expression` comes from. */
  originOf(expression: SyntaxNode | null, depth = 0): ValueOrigin {
    const node = unwrapValue(expression);
    if (!node || depth > MAX_DEPTH || ++this.#work > MAX_WORK) return OTHER;
    checkAnalysisClock();
    if (node.type === "identifier") return this.#identifierOrigin(node.text, depth);
    if (node.type === "binary_expression" && field(node, "operator")?.text === "??")
      return this.originOf(field(node, "left"), depth + 1);
    if (
      node.type !== "member_access_expression" &&
      node.type !== "invocation_expression" &&
      node.type !== "conditional_access_expression" &&
      node.type !== "element_access_expression"
    )
      return OTHER;
    if (this.isPrincipal(node, depth)) return { kind: "principal", via: shortText(node.text, 80) };
    const { root, steps } = chainOf(node);
    // `Request.Query["id"]`, `HttpContext.Request.RouteValues["id"]`, `RouteData.Values["id"]`: read from the request by hand.
    const names = [root.type === "identifier" ? root.text : "", ...steps.map((s) => s.name)];
    if (names.some((n, i) => REQUEST_COLLECTION.test(`${names[i - 1] ?? ""}.${n}`))) return client(node.text);
    // A conversion of a value keeps its origin: `Guid.Parse(id)`, `id.ToString()`, `Convert.ToInt32(id)`.
    const last = steps.at(-1);
    if (last?.kind === "call" && CONVERSIONS.test(last.name)) {
      if (steps.length === 1 && isTypeName(root, this)) {
        const first = argumentsOf(last.node)[0];
        return first ? this.originOf(argumentValue(first), depth + 1) : OTHER;
      }
      return this.originOf(steps.length === 1 ? root : receiverNode(last.node), depth + 1);
    }
    if (steps.some((s) => s.kind !== "member")) return OTHER;
    // `command.InvoiceId`, `request.Order.Id`, `id.Value`: a member of a value is the value's.
    const base = this.originOf(root, depth + 1);
    const path = steps.map((s) => s.name).filter((n) => n !== "Value");
    return extendOrigin(base, path);
  }

  /** Where the value of a local or parameter comes from. */
  nameOrigin(name: string): ValueOrigin {
    return this.#identifierOrigin(name, 0);
  }

  #identifierOrigin(name: string, depth: number): ValueOrigin {
    const values = this.#locals.get(name);
    if (values) {
      if (values.length !== 1 || values[0].id === this.fn.id || this.#resolving.has(name)) return OTHER;
      this.#resolving.add(name);
      try {
        return this.originOf(values[0], depth + 1);
      } finally {
        this.#resolving.delete(name);
      }
    }
    const parameter = this.#parameters.get(name);
    if (parameter) return this.#parameterOrigin(parameter);
    if (this.scope.boundMembers.has(name)) return client(name);
    if (this.#isCallerService(name) || CALLER_MEMBER.test(name.replace(/^_/, "")))
      return { kind: "principal", via: name };
    return OTHER;
  }

  #parameterOrigin(parameter: ParameterFacts): ValueOrigin {
    if (this.mode === "helper") return { kind: "parameter", index: parameter.position, path: [] };
    const { type, attributes, name } = parameter;
    if (attributes.some((a) => SERVICES_ATTRIBUTE.test(a))) return OTHER;
    if (type !== undefined && PRINCIPAL_TYPE.test(type)) return { kind: "principal", via: name };
    if (type !== undefined && FRAMEWORK_TYPE.test(type)) return OTHER;
    if (type !== undefined && CURRENT_USER_TYPE.test(type)) return { kind: "principal", via: name };
    const binding = attributes.find((a) => BINDING_ATTRIBUTE.test(a));
    if (binding !== undefined) {
      if (binding === "AsParameters") return type !== undefined && isServiceType(type) ? OTHER : client(name);
      return client(`[${binding}] ${name}`);
    }
    if (type === undefined) return OTHER;
    if (SIMPLE_TYPE.test(type) || !isServiceType(type)) return client(name);
    return OTHER;
  }

  /** A member or parameter typed or named as a current-user / tenant service. */
  #isCallerService(name: string): boolean {
    if (this.#locals.has(name)) return false;
    const parameter = this.#parameters.get(name);
    const type = parameter ? parameter.type : this.scope.memberTypes.get(name);
    if (type !== undefined) return CURRENT_USER_TYPE.test(type) || PRINCIPAL_TYPE.test(type);
    return !parameter && CURRENT_USER_NAME.test(name);
  }

  /** Whether an expression reads the authenticated caller. */
  isPrincipal(expression: SyntaxNode, depth = 0): boolean {
    const node = unwrapValue(expression);
    if (!node || depth > MAX_DEPTH || ++this.#work > MAX_WORK) return false;
    if (node.type === "identifier") {
      const origin = this.#identifierOrigin(node.text, depth + 1);
      return origin.kind === "principal" || (node.text === "User" && !this.#parameters.has("User"));
    }
    const { root, steps } = chainOf(node);
    const rootName = root.type === "identifier" ? root.text : undefined;
    if (rootName !== undefined) {
      if (this.isPrincipal(root, depth + 1)) return true;
      // `HttpContext.User`, `httpContext.User`, `_accessor.HttpContext.User`, `Request.HttpContext.User`.
      const names = [rootName, ...steps.map((s) => s.name)];
      for (let i = 1; i < names.length; i++) {
        if (names[i] !== "User") continue;
        const before = names[i - 1];
        const type = i === 1 ? this.typeOf(before) : undefined;
        if (/HttpContext$/i.test(before) || type === "HttpContext") return true;
      }
    } else if (root.type === "this" || root.type === "base") {
      // `this.GetUserId()` (a controller extension), `this.CurrentUserId`, `this._currentUser.Id`.
      const first = steps[0]?.name.replace(/^_/, "");
      if (first !== undefined && (CALLER_MEMBER.test(first) || this.#isCallerService(steps[0].name))) return true;
    } else {
      const called = rootCallName(root);
      if (called !== undefined && CALLER_MEMBER.test(called)) return true;
    }
    // `_userManager.GetUserId(User)`, `_userService.GetProperUserId(User)`: a call given the principal.
    for (const step of steps) {
      if (step.kind !== "call" || !CALLER_CALL.test(step.name)) continue;
      if (argumentsOf(step.node).some((a) => this.isPrincipal(argumentValue(a) ?? a, depth + 1))) return true;
    }
    if (root.type === "invocation_expression" && rootCallName(root) !== undefined) {
      const called = rootCallName(root)!;
      if (CALLER_CALL.test(called) && argumentsOf(root).some((a) => this.isPrincipal(argumentValue(a) ?? a, depth + 1)))
        return true;
    }
    return false;
  }

  /**
   * What a call passes for one argument, for a function of another file: an object built
   * there (`new DeleteOrderCommand(id)`, `new DeleteOrderCommand { OrderId = id }`, directly
   * or through a local) with the origins of what it sets, else the value's origin.
   */
  argumentOf(expression: SyntaxNode | null): CallArgument {
    let node = unwrapValue(expression);
    if (node?.type === "identifier") {
      const local = this.localValue(node.text);
      const inner = local ? unwrapValue(local) : null;
      if (inner?.type === "object_creation_expression") node = inner;
    }
    if (node?.type !== "object_creation_expression" && node?.type !== "implicit_object_creation_expression")
      return this.originOf(node);
    const properties: Record<string, ValueOrigin> = {};
    for (const assignment of field(node, "initializer")?.namedChildren ?? []) {
      const left = assignment.type === "assignment_expression" ? field(assignment, "left") : null;
      if (left?.type === "identifier") properties[left.text] = this.originOf(field(assignment, "right"));
    }
    const positional: ValueOrigin[] = [];
    for (const argument of argumentsOf(node).slice(0, MAX_ARGUMENTS)) {
      const name = argumentName(argument);
      // `new DeleteOrderCommand(orderId: id)`: a named argument sets the property of that name.
      if (name !== undefined) properties[name] = this.originOf(argumentValue(argument));
      else positional.push(this.originOf(argumentValue(argument)));
    }
    const written = node.type === "object_creation_expression" ? field(node, "type") : null;
    const type = written ? writtenTypeName(written) : "";
    return {
      kind: "object",
      properties,
      ...(positional.length > 0 ? { positional } : {}),
      ...(type !== "" ? { type } : {}),
    };
  }

  /** The declared type of a parameter or member (not a local). */
  typeOf(name: string): string | undefined {
    if (this.#locals.has(name)) return undefined;
    return this.#parameters.get(name)?.type ?? this.scope.memberTypes.get(name);
  }

  // ------------------------------------------------------------ ownership checks

  /** The checks of this function, read once. */
  checks(): Check[] {
    if (this.#checks) return this.#checks;
    const checks: Check[] = [];
    for (const { condition, thenDenies, elseDenies, start } of this.#branches()) {
      checkAnalysisClock();
      if (!thenDenies && !elseDenies) continue;
      const check: Check = {
        check: { kind: "compared", name: "", loc: nodeLoc(condition) },
        start,
        subjects: new Set(),
        values: new Set(),
      };
      const conditional = new Map<string, Check>();
      // The condition itself, then what it holds, in one read of the tree.
      const parts = [condition, ...condition.descendantsOfType(CONDITION_PARTS)];
      this.#comparisons(parts, thenDenies, elseDenies, check, conditional);
      this.#callsInCondition(condition, parts, check);
      if (check.subjects.size > 0 || check.values.size > 0) checks.push(check);
      checks.push(...conditional.values());
    }
    this.#standaloneHelpers(checks);
    this.#checks = checks;
    return checks;
  }

  /** Conditions with a denying branch: `if`, `?:`, the `when` of a switch arm. */
  *#branches(): Generator<{ condition: SyntaxNode; thenDenies: boolean; elseDenies: boolean; start: number }> {
    for (const node of this.#branchNodes) {
      if (node.type === "switch_expression") {
        // `await db.Todos.FindAsync(id) switch { Todo t when t.OwnerId == owner.Id => Ok(t), _ => NotFound() }`
        const arms = node.namedChildren.slice(1);
        const results = arms.map((arm) => arm.namedChildren.at(-1) ?? null);
        for (let i = 0; i < arms.length; i++) {
          const when = arms[i].namedChildren.find((c) => c.type === "when_clause");
          const condition = when?.namedChildren[0];
          if (!condition) continue;
          yield {
            condition,
            thenDenies: deniesValue(results[i]),
            elseDenies: results.some((r, j) => j !== i && deniesValue(r)),
            start: node.startIndex,
          };
        }
        continue;
      }
      const condition = field(node, "condition");
      if (!condition) continue;
      // `if (…) return Forbid();`, `invoice.OwnerId == userId ? Ok(invoice) : Forbid()`
      const statement = node.type === "if_statement";
      const then = field(node, "consequence");
      const otherwise = field(node, "alternative");
      yield {
        condition,
        thenDenies: statement ? denies(then) : deniesValue(then),
        elseDenies: statement ? denies(otherwise) : deniesValue(otherwise),
        start: node.startIndex,
      };
    }
  }

  /** `invoice.OwnerId != userId`, `!(invoice.UserId == _currentUser.Id)`, `id != User.GetUserId()`. */
  #comparisons(
    parts: readonly SyntaxNode[],
    deniesThen: boolean,
    deniesElse: boolean,
    check: Check,
    conditional: Map<string, Check>,
  ): void {
    const negated = new Set<number>();
    for (const unary of parts) {
      if (unary.type !== "prefix_unary_expression" || !unary.text.startsWith("!")) continue;
      const inner = unwrapParentheses(unary.namedChildren[0] ?? null);
      if (inner) negated.add(inner.id);
    }
    for (const node of parts) {
      let left: SyntaxNode | null = null;
      let right: SyntaxNode | null = null;
      let mismatch: boolean;
      const type = node.type;
      if (type === "binary_expression") {
        const operator = field(node, "operator")?.text;
        if (operator !== "==" && operator !== "!=") continue;
        left = field(node, "left");
        right = field(node, "right");
        mismatch = (operator === "!=") !== negated.has(node.id);
      } else if (type === "invocation_expression") {
        // `a.Equals(b)`, `string.Equals(a, b)`, `Equals(a, b)`.
        const { root, steps } = chainOf(node);
        const last = steps.at(-1);
        const name = last?.kind === "call" ? last.name : rootCallName(root);
        if (name !== "Equals") continue;
        const args = argumentsOf(node).map((a) => argumentValue(a));
        if (args.length >= 2 && (steps.length <= 1 || isTypeName(root, this))) [left, right] = args;
        else if (last) [left, right] = [receiverNode(node), args[0] ?? null];
        mismatch = negated.has(node.id);
      } else {
        continue;
      }
      if (!left || !right) continue;
      if (!(mismatch ? deniesThen : deniesElse)) continue;
      for (const [record, caller] of [
        [left, right],
        [right, left],
      ] as const) {
        if (!this.isPrincipal(caller)) {
          this.#parameterComparison(record, caller, node, conditional);
          continue;
        }
        const subject = recordSubject(record, this);
        if (subject !== undefined) {
          check.subjects.add(subject);
        } else {
          const origin = this.originOf(record);
          if (origin.kind === "client") check.values.add(origin.via);
          else continue;
        }
        check.check.name ||= shortText(node.text.replace(/\s+/g, " "), 80);
        check.check.loc = nodeLoc(node);
      }
    }
  }

  /**
   * In a helper, the loaded record compared with a parameter (`order.BuyerId != buyerId`): a
   * check when the caller passes the principal for it.
   */
  #parameterComparison(record: SyntaxNode, other: SyntaxNode, node: SyntaxNode, into: Map<string, Check>): void {
    if (this.mode !== "helper") return;
    const origin = this.originOf(other);
    if (origin.kind !== "parameter") return;
    const subject = recordSubject(record, this);
    if (subject === undefined || this.originOf(record).kind === "parameter") return;
    const key = `${origin.index}.${origin.path.join(".")}`;
    let check = into.get(key);
    if (!check) {
      check = {
        check: { kind: "compared", name: shortText(node.text.replace(/\s+/g, " "), 80), loc: nodeLoc(node) },
        start: node.startIndex,
        subjects: new Set(),
        values: new Set(),
        when: { index: origin.index, path: origin.path },
      };
      into.set(key, check);
    }
    check.subjects.add(subject);
  }

  /**
   * Calls in a denying condition: `!(await _auth.AuthorizeAsync(User, invoice, …)).Succeeded`,
   * a result local checked there (`!result.Succeeded`), an ownership helper
   * (`!CanEdit(invoice)`), a current-user service asked about the client's id
   * (`!await _currentContext.ManageUsers(orgId)`). Either branch may be the denial: the
   * positive test with the refusal in `else` or after `:` reads the same.
   */
  #callsInCondition(condition: SyntaxNode, parts: readonly SyntaxNode[], check: Check): void {
    const mentionsSucceeded = /\bSucceeded\b/.test(condition.text);
    for (const call of parts) {
      if (call.type !== "invocation_expression") continue;
      const { root, steps } = chainOf(call);
      const last = steps.at(-1);
      const name = last?.kind === "call" ? last.name : rootCallName(root);
      if (name === undefined) continue;
      if (name === "AuthorizeAsync" && mentionsSucceeded) {
        this.#authorizationCall(call, check);
        continue;
      }
      if (this.#isOwnershipHelper(name)) {
        this.#helperCall(call, name, check);
        continue;
      }
      const receiver = last?.kind === "call" ? receiverNode(call) : null;
      const args = argumentsOf(call).map((a) => argumentValue(a));
      // `_projects.UserHasAccessAsync(projectId, userId)`: a call given the record and the caller.
      const relates = args.some((a) => a !== null && this.isPrincipal(a));
      if ((receiver && this.isPrincipal(receiver)) || relates) {
        for (const argument of argumentsOf(call)) {
          const value = argumentValue(argument);
          const subject = value ? recordSubject(value, this) : undefined;
          if (subject !== undefined) {
            check.subjects.add(subject);
          } else {
            const origin = this.originOf(value);
            if (origin.kind !== "client") continue;
            check.values.add(origin.via);
          }
          check.check = { kind: "authorization-call", name: shortText(call.text, 80), loc: nodeLoc(call) };
        }
      }
    }
    if (mentionsSucceeded) {
      // `var result = await _auth.AuthorizeAsync(User, invoice, Operations.Update); if (!result.Succeeded) …`
      for (const identifier of condition.descendantsOfType("identifier")) {
        const value = this.localValue(identifier.text);
        const call = value ? unwrapValue(value) : null;
        if (call?.type === "invocation_expression" && chainOf(call).steps.at(-1)?.name === "AuthorizeAsync")
          this.#authorizationCall(call, check);
      }
    }
  }

  #authorizationCall(call: SyntaxNode, check: Check): void {
    const args = argumentsOf(call).map((a) => argumentValue(a));
    const resource = args.length >= 3 ? args[1] : null;
    if (!resource) return;
    const subject = recordSubject(resource, this);
    if (subject !== undefined) check.subjects.add(subject);
    else {
      const origin = this.originOf(resource);
      if (origin.kind !== "client") return;
      check.values.add(origin.via);
    }
    check.check = { kind: "authorization-call", name: "AuthorizeAsync", loc: nodeLoc(call) };
  }

  #isOwnershipHelper(name: string): boolean {
    return name !== "AuthorizeAsync" && (this.#file.settings.ownershipChecks(name) || OWNERSHIP_HELPER.test(name));
  }

  #helperCall(call: SyntaxNode, name: string, check: Check): void {
    let found = false;
    for (const argument of argumentsOf(call)) {
      const value = argumentValue(argument);
      if (!value) continue;
      const subject = recordSubject(value, this);
      if (subject !== undefined) {
        check.subjects.add(subject);
        found = true;
      } else {
        const origin = this.originOf(value);
        if (origin.kind === "client") {
          check.values.add(origin.via);
          found = true;
        }
      }
    }
    if (found) check.check = { kind: "authorization-call", name, loc: nodeLoc(call) };
  }

  /** Helpers called as statements (they throw): `await EnsureOwnerAsync(invoice);`, `_guard.AssertCanEdit(User, invoice);`. */
  #standaloneHelpers(checks: Check[]): void {
    const body = field(this.fn, "body") ?? this.fn;
    // The names called in the body, from its text: the statements are read only when one may be a helper.
    const names = new Set(Array.from(body.text.matchAll(CALLED_NAME), (m) => m[1]));
    if (![...names].some((n) => this.#isOwnershipHelper(n))) return;
    for (const statement of body.descendantsOfType("expression_statement")) {
      checkAnalysisClock();
      const call = unwrapValue(statement.namedChildren[0] ?? null);
      if (call?.type !== "invocation_expression") continue;
      const { root, steps } = chainOf(call);
      const last = steps.at(-1);
      const name = last?.kind === "call" ? last.name : rootCallName(root);
      if (name === undefined || !this.#isOwnershipHelper(name)) continue;
      const check: Check = {
        check: { kind: "authorization-call", name, loc: nodeLoc(call) },
        start: call.startIndex,
        subjects: new Set(),
        values: new Set(),
      };
      this.#helperCall(call, name, check);
      if (check.subjects.size > 0 || check.values.size > 0) checks.push(check);
    }
  }

  /** Records what selected the record loaded into `local`: a check on the record covers later accesses selected by the same values. */
  noteLoad(local: string, values: readonly string[]): void {
    if (values.length > 0) this.#loaded.set(local, values);
  }

  /**
   * The checks of this function that cover an access at `position`: one on the record the
   * access loads or changes (`locals`), or one on a client value that selects it, directly
   * (`id != userId`) or as the selection of a record the check is on. A write must come
   * after the check; a read's result is only returned after it.
   */
  covering(position: number, isRead: boolean, locals: readonly string[], values: readonly string[]): OwnershipCheck[] {
    const found: OwnershipCheck[] = [];
    for (const check of this.checks()) {
      if (check.when || (!isRead && check.start > position)) continue;
      const onRecord = locals.some((l) => check.subjects.has(l));
      const onValue = values.some(
        (v) => check.values.has(v) || [...check.subjects].some((s) => this.#loaded.get(s)?.includes(v)),
      );
      if (onRecord || onValue) found.push(check.check);
    }
    return found;
  }

  /** The checks of a helper that cover an access when its caller passes the principal for a parameter. */
  conditionalCovering(
    position: number,
    isRead: boolean,
    locals: readonly string[],
    keys: readonly string[],
  ): ConditionalCheck[] {
    const found: ConditionalCheck[] = [];
    for (const check of this.checks()) {
      if (!check.when || (!isRead && check.start > position)) continue;
      const onRecord = locals.some((l) => check.subjects.has(l));
      const onValue = keys.some((v) => [...check.subjects].some((s) => this.#loaded.get(s)?.includes(v)));
      if (onRecord || onValue) found.push({ check: check.check, when: check.when });
    }
    return found;
  }
}

/** A value's node that is a loaded record: `invoice` (a local or a parameter) or `invoice.Owner` → the local's name. */
function recordSubject(expression: SyntaxNode, flow: FunctionFlow): string | undefined {
  const { root, steps } = chainOf(expression);
  if (root.type !== "identifier") return undefined;
  const patterned = steps.length === 0 ? flow.patternSubject(root.text) : undefined;
  if (patterned !== undefined) {
    if (!flow.isLocal(patterned) && !flow.parameter(patterned)) return undefined;
    const origin = flow.nameOrigin(patterned);
    return origin.kind === "client" || origin.kind === "principal" ? undefined : patterned;
  }
  if (steps.some((s) => s.kind === "call")) return undefined;
  if (!flow.isLocal(root.text) && !flow.parameter(root.text)) return undefined;
  const origin = flow.originOf(root);
  return origin.kind === "client" || origin.kind === "principal" ? undefined : root.text;
}

function receiverNode(invocation: SyntaxNode): SyntaxNode | null {
  const fn = field(invocation, "function");
  if (fn?.type === "member_access_expression") return field(fn, "expression");
  if (fn?.type === "conditional_access_expression") return field(fn, "condition");
  return null;
}

/** `Guid`, `int`, `Convert`, `string`: a type's name at the root of a static call. */
function isTypeName(root: SyntaxNode, flow: FunctionFlow): boolean {
  if (root.type === "predefined_type") return true;
  return (
    root.type === "identifier" && /^[A-Z]/.test(root.text) && !flow.isLocal(root.text) && !flow.parameter(root.text)
  );
}

/** Whether a parameter's type names an injected service rather than a value bound from the request. */
export function isServiceType(type: string): boolean {
  return !BOUND_INTERFACE.test(type) && SERVICE_TYPE.test(type);
}

/** A type as written, without type arguments or `global::`: `DeleteOrderCommand`, `Edit.Command` (a record nested in `Edit`). */
export function writtenTypeName(type: SyntaxNode): string {
  return type.text
    .replace(/<[\s\S]*$/, "")
    .replace(/\s+/g, "")
    .replace(/^global::/, "");
}

/** Whether a branch refuses the request: it throws or answers early. */
function denies(branch: SyntaxNode | null): boolean {
  if (!branch) return false;
  const statements = branch.type === "block" ? branch.namedChildren : [branch];
  for (const statement of statements) {
    if (statement.type === "throw_statement") return true;
    // Any early answer keeps the record from the caller: `return NotFound()`, `return BadRequest(…)`, `return View("Error")`.
    if (statement.type === "return_statement") return true;
    if (statement.type === "expression_statement" && statement.namedChildren[0]?.type === "throw_expression")
      return true;
  }
  return false;
}

/** Whether a value refuses the request: a `throw` expression, a 401/403/404 result. */
function deniesValue(value: SyntaxNode | null): boolean {
  return !!value && (value.type === "throw_expression" || DENIAL.test(value.text));
}

/** Nesting followed into a property pattern (`{ Owner: { Id: var ownerId } }`). */
const MAX_PATTERN_DEPTH = 8;
/** Patterns that hold subpatterns. */
const PATTERN_PARTS = new Set([
  "recursive_pattern",
  "property_pattern_clause",
  "negated_pattern",
  "and_pattern",
  "or_pattern",
  "parenthesized_pattern",
]);

/** The variable a pattern declares: `Todo todo`, `{ } todo`, `not { } todo`. */
function designation(pattern: SyntaxNode | null): string | undefined {
  return designationNode(pattern)?.text;
}

function designationNode(pattern: SyntaxNode | null): SyntaxNode | undefined {
  let node = pattern;
  if (node?.type === "negated_pattern") node = node.namedChildren[0] ?? null;
  if (node?.type !== "declaration_pattern" && node?.type !== "recursive_pattern") return undefined;
  const name =
    field(node, "name") ?? node.namedChildren.find((c) => c.type === "identifier" && c.id !== field(node, "type")?.id);
  return name?.type === "identifier" ? name : undefined;
}

// ---------------------------------------------------------------- uses of a read's result

/** Mentions of one local read at most to decide that its value is only tested. */
const MAX_MENTIONS = 64;

/** What the code does with a value: only tests it, keeps it in a local (whose uses decide), or uses it. */
type Use = { kind: "tested" } | { kind: "local"; name: string; declared: number } | { kind: "used" };
const USED: Use = { kind: "used" };
const TESTED: Use = { kind: "tested" };

/**
 * The nodes from `root` down to `node`, both included; undefined when `node` is not inside
 * `root`. Descending from a known ancestor costs the depth, where asking a node for its
 * parent makes tree-sitter descend from the root of the file.
 */
function pathTo(root: SyntaxNode, node: SyntaxNode): SyntaxNode[] | undefined {
  const path = [root];
  let current = root;
  for (let guard = 0; current.id !== node.id; guard++) {
    const next = guard < MAX_CLIMB ? current.childWithDescendant(node) : null;
    if (!next) return undefined;
    path.push(next);
    current = next;
  }
  return path;
}

/** Levels a path from a function's body down to one of its nodes may have. */
const MAX_CLIMB = 400;

/**
 * What is done with the value at the end of `path`: compared with `==` / `!=`, tested with a
 * pattern that reads no member (`is null`, `is not null`, `is { }`, `is Todo`), put into a
 * local (`var existing = …`, `… is Todo todo`), or anything else: returned, passed on,
 * `?? throw …` (which hands the value on), read into, changed.
 */
function useOf(path: readonly SyntaxNode[]): Use {
  for (let i = path.length - 1; i > 0; i--) {
    const value = path[i];
    const parent = path[i - 1];
    switch (parent.type) {
      case "parenthesized_expression":
      case "await_expression":
        continue;
      case "postfix_unary_expression":
        if (parent.text.endsWith("!")) continue;
        return USED;
      case "member_access_expression": {
        // `await _db.Invoices.FindAsync(id).ConfigureAwait(false)`: still the read's result.
        const call = path[i - 2];
        if (
          value.id === field(parent, "expression")?.id &&
          simpleName(field(parent, "name")) === "ConfigureAwait" &&
          call?.type === "invocation_expression"
        ) {
          i--;
          continue;
        }
        return USED;
      }
      case "binary_expression": {
        const operator = field(parent, "operator")?.text;
        return operator === "==" || operator === "!=" ? TESTED : USED;
      }
      case "is_pattern_expression": {
        const pattern = field(parent, "pattern");
        if (value.id !== field(parent, "expression")?.id || !testsOnly(pattern)) return USED;
        const declared = designationNode(pattern);
        return declared ? { kind: "local", name: declared.text, declared: declared.startIndex } : TESTED;
      }
      case "variable_declarator": {
        const name = field(parent, "name");
        return name?.type === "identifier" && name.id !== value.id
          ? { kind: "local", name: name.text, declared: name.startIndex }
          : USED;
      }
      case "assignment_expression": {
        const left = field(parent, "left");
        const operator = parent.children.find((c) => !c.isNamed)?.text;
        return left?.type === "identifier" && operator === "=" && value.id === field(parent, "right")?.id
          ? { kind: "local", name: left.text, declared: left.startIndex }
          : USED;
      }
      default:
        return USED;
    }
  }
  return USED;
}

/** A pattern that tests a value without reading its members: `null`, `not null`, `{ }`, `Todo t`, `null or { }`. */
function testsOnly(pattern: SyntaxNode | null): boolean {
  if (!pattern) return false;
  switch (pattern.type) {
    case "constant_pattern":
    case "declaration_pattern":
    case "type_pattern":
    case "discard":
      return true;
    case "negated_pattern":
    case "parenthesized_pattern":
    case "and_pattern":
    case "or_pattern":
      return pattern.namedChildren.every((c) => testsOnly(c));
    case "recursive_pattern":
      // `{ } existing`, `Todo { }`: a property clause with no subpattern reads nothing.
      return pattern.namedChildren.every(
        (c) =>
          c.type !== "positional_pattern_clause" &&
          (c.type !== "property_pattern_clause" || c.namedChildren.length === 0),
      );
    default:
      return false;
  }
}

/** Whether the identifier at the end of `path` reads a variable (not a member's name, not the name a declaration gives). */
function readsValue(path: readonly SyntaxNode[]): boolean {
  const id = path.at(-1)!;
  const parent = path.at(-2);
  if (!parent) return false;
  switch (parent.type) {
    case "member_access_expression":
      return field(parent, "name")?.id !== id.id;
    case "member_binding_expression":
      return false;
    case "variable_declarator":
    case "declaration_pattern":
    case "recursive_pattern":
      return designationOrName(parent)?.id !== id.id;
    default:
      return true;
  }
}

function designationOrName(node: SyntaxNode): SyntaxNode | null | undefined {
  return node.type === "variable_declarator" ? field(node, "name") : designationNode(node);
}

/** The call a value is the (awaited) result of: `await _db.X.FindAsync(id) ?? throw …` → the FindAsync call. */
function unwrapLoaded(value: SyntaxNode): SyntaxNode | null {
  let node = unwrapValue(value);
  for (let guard = 0; node?.type === "binary_expression" && guard < 8; guard++) {
    if (field(node, "operator")?.text !== "??") break;
    node = unwrapValue(field(node, "left"));
  }
  return node;
}

// ---------------------------------------------------------------- selections

/** Conditions read from a LINQ predicate `x => x.Id == id && x.TenantId == tenantId && !x.Deleted`. */
function predicateConditions(
  lambda: SyntaxNode,
  flow: FunctionFlow,
): { conditions: RecordCondition[]; complete: boolean } {
  const parameter = parametersOf(lambda)[0]?.name;
  const body = field(lambda, "body");
  if (parameter === undefined || !body || body.type === "block") return { conditions: [], complete: false };
  const conditions: RecordCondition[] = [];
  let complete = true;
  const stack: SyntaxNode[] = [body];
  for (let guard = 0; stack.length > 0 && guard < 256; guard++) {
    const node = unwrapParentheses(stack.pop()!)!;
    if (node.type === "binary_expression") {
      const operator = field(node, "operator")?.text;
      const left = field(node, "left");
      const right = field(node, "right");
      if (!left || !right) {
        complete = false;
        continue;
      }
      if (operator === "&&") {
        stack.push(right, left);
        continue;
      }
      if (operator === "==") {
        const condition = equality(left, right, parameter, flow) ?? equality(right, left, parameter, flow);
        if (condition) conditions.push(condition);
        else complete = false;
        continue;
      }
      if (operator === "!=") {
        // `x.Status != Status.Closed`: a constant the record must not have selects nothing by identity.
        const name = recordField(left, parameter) ?? recordField(right, parameter);
        const value = recordField(left, parameter) !== undefined ? right : left;
        if (name !== undefined && isConstant(value)) conditions.push({ field: name, origin: OTHER });
        else complete = false;
        continue;
      }
      complete = false;
      continue;
    }
    if (node.type === "invocation_expression") {
      // `x.Id.Equals(id)`
      const { root, steps } = chainOf(node);
      const last = steps.at(-1);
      const args = argumentsOf(node);
      const receiver = receiverNode(node);
      const argument = args.length === 1 ? argumentValue(args[0]) : null;
      if (last?.kind === "call" && last.name === "Equals" && receiver && argument && root.type === "identifier") {
        const condition =
          equality(receiver, argument, parameter, flow) ?? equality(argument, receiver, parameter, flow);
        if (condition) {
          conditions.push(condition);
          continue;
        }
      }
      complete = false;
      continue;
    }
    // `x.IsActive`, `!x.IsDeleted`: a flag of the record, not a value from anywhere.
    const flag = node.type === "prefix_unary_expression" && node.text.startsWith("!") ? node.namedChildren[0] : node;
    const name = flag ? recordField(flag, parameter) : undefined;
    if (name !== undefined) conditions.push({ field: name, origin: OTHER });
    else complete = false;
  }
  return { conditions, complete };
}

/** `null`, a literal, `Status.Active`, `OrderStatus.Cancelled`: a constant the client does not choose. */
function isConstant(node: SyntaxNode | null): boolean {
  const value = unwrapValue(node);
  if (!value) return false;
  if (/literal$/.test(value.type)) return true;
  return value.type === "member_access_expression" && /^[A-Z][\w.]*$/.test(value.text);
}

/** `x.TenantId == tenantId` with `x` the predicate's parameter → `{ field: "TenantId", origin }`. */
function equality(
  recordSide: SyntaxNode,
  valueSide: SyntaxNode,
  parameter: string,
  flow: FunctionFlow,
): RecordCondition | undefined {
  const name = recordField(recordSide, parameter);
  if (name === undefined) return undefined;
  if (mentions(valueSide, parameter)) return undefined;
  return { field: name, origin: flow.originOf(valueSide) };
}

/** `x.Id` → `Id`, `x.Owner.Id` → `Owner.Id`, `x.Id.Value` → `Id`, when `x` is the predicate's parameter. */
function recordField(node: SyntaxNode, parameter: string): string | undefined {
  const { root, steps } = chainOf(node);
  if (root.type !== "identifier" || root.text !== parameter || steps.length === 0) return undefined;
  if (steps.some((s) => s.kind !== "member")) return undefined;
  const names = steps.map((s) => s.name);
  if (names.length > 1 && names.at(-1) === "Value") names.pop();
  return names.join(".");
}

function mentions(node: SyntaxNode, name: string): boolean {
  if (node.type === "identifier") return node.text === name;
  return node.descendantsOfType("identifier").some((i) => i.text === name);
}

export interface ReadSelection {
  entity: string | undefined;
  selection: RecordSelection | undefined;
  /** `IgnoreQueryFilters()` on the chain: a query filter does not apply. */
  ignoresFilters: boolean;
  /** The SQL selects nothing but a count or a constant (`SELECT COUNT(*) …`, `SELECT 1 …`, `SELECT EXISTS (…)`). */
  counts?: boolean;
}

/**
 * The selection of an EF Core call: `Find(id)` keys, the predicates of `Where(…)` and of
 * the final operator, and the entity (the DbSet's name, or `T` of `Set<T>()`). Undefined
 * selection when the call selects nothing the rule can read as a selection (no predicate).
 */
export function efSelection(site: AccessSite, flow: FunctionFlow): ReadSelection {
  const { steps } = chainOf(site.node);
  const conditions: RecordCondition[] = [];
  let complete = true;
  let predicates = 0;
  let ignoresFilters = false;
  let entity: string | undefined;
  const last = steps.length - 1;
  for (let i = last; i >= 0; i--) {
    const step = steps[i];
    if (step.kind === "member") {
      entity ??= step.name;
      break;
    }
    if (step.kind === "index") {
      complete = false;
      break;
    }
    const name = step.name;
    if (name === "Set") {
      const type = typeArgument(step.node);
      if (type) entity = type;
      break;
    }
    const args = argumentsOf(step.node);
    if (i === last) {
      if (KEY_LOOKUPS.has(name)) {
        for (const value of keyValues(args)) {
          conditions.push({ field: "(key)", origin: flow.originOf(value) });
          predicates++;
        }
        continue;
      }
      if (LOADED_WRITES.has(name) || BULK.has(name)) continue;
      if (!QUERY_READS.has(name)) return { entity: undefined, selection: undefined, ignoresFilters };
      const predicate = args.map((a) => argumentValue(a)).find((v) => v?.type === "lambda_expression");
      if (predicate) {
        const read = predicateConditions(predicate, flow);
        conditions.push(...read.conditions);
        complete &&= read.complete;
        predicates++;
      } else if (args.some((a) => !isCancellation(argumentValue(a)))) {
        complete = false;
      }
      continue;
    }
    if (name === "Where") {
      const predicate = args.map((a) => argumentValue(a)).find((v) => v?.type === "lambda_expression");
      if (predicate) {
        // The chain is read from its end: an earlier `Where` goes first.
        const read = predicateConditions(predicate, flow);
        conditions.unshift(...read.conditions);
        complete &&= read.complete;
      } else {
        complete = false;
      }
      predicates++;
      continue;
    }
    if (name === "IgnoreQueryFilters") {
      ignoresFilters = true;
      continue;
    }
    if (SHAPING.has(name)) continue;
    // An operator of the project's own (`.ForTenant(tenantId)`, `.OwnedBy(userId)`) may scope the query.
    complete = false;
  }
  if (predicates === 0) return { entity, selection: undefined, ignoresFilters };
  return { entity, selection: { conditions, complete }, ignoresFilters };
}

/** The key values of `Find(id)`, `FindAsync(id, ct)`, `FindAsync(new object[] { id }, ct)`, `FindAsync([id], ct)`. */
function keyValues(args: readonly SyntaxNode[]): SyntaxNode[] {
  const values: SyntaxNode[] = [];
  for (const argument of args) {
    const value = argumentValue(argument);
    if (!value || isCancellation(value)) continue;
    if (
      value.type === "array_creation_expression" ||
      value.type === "implicit_array_creation_expression" ||
      value.type === "collection_expression"
    ) {
      const initializer =
        value.type === "collection_expression"
          ? value
          : value.namedChildren.find((c) => c.type === "initializer_expression");
      for (const element of initializer?.namedChildren ?? []) {
        // `[id]` wraps each element: collection_element → expression_element → the value.
        let inner: SyntaxNode | undefined = element;
        while (inner && (inner.type === "collection_element" || inner.type === "expression_element"))
          inner = inner.namedChildren[0];
        if (inner) values.push(inner);
      }
      continue;
    }
    values.push(value);
  }
  return values;
}

function isCancellation(value: SyntaxNode | null): boolean {
  return (
    !!value &&
    (/^(?:ct|token|cancellationToken|cancel\w*|\w*CancellationToken)$/i.test(value.text) ||
      /CancellationToken/.test(value.text))
  );
}

function typeArgument(invocation: SyntaxNode): string | undefined {
  const fn = field(invocation, "function");
  const name = fn?.type === "member_access_expression" ? field(fn, "name") : fn;
  if (name?.type !== "generic_name") return undefined;
  const list = name.namedChildren.find((c) => c.type === "type_argument_list");
  const first = list?.namedChildren[0];
  return first ? simpleName(first) : undefined;
}

// ---------------------------------------------------------------- Dapper

/**
 * The selection of a Dapper call: the SQL's `WHERE` equality conditions, each value taken
 * from the parameter object (`new { id, tenantId = _user.TenantId }`, or a bound DTO).
 */
export function dapperSelection(site: AccessSite, flow: FunctionFlow, file: CSharpFile): ReadSelection {
  const none: ReadSelection = { entity: undefined, selection: undefined, ignoresFilters: false };
  const args = argumentsOf(site.node);
  const sqlArgument = args.find((a) => argumentName(a) === "sql") ?? args.find((a) => argumentName(a) === undefined);
  const sqlNode = sqlArgument ? unwrapValue(argumentValue(sqlArgument)) : null;
  if (!sqlNode) return none;
  const sql = sqlText(sqlNode, flow, file);
  if (sql === undefined) {
    // SQL built at run time: what it selects cannot be read.
    return sqlNode.type === "interpolated_string_expression" || sqlNode.type === "binary_expression"
      ? { ...none, selection: { conditions: [], complete: false } }
      : none;
  }
  if (DAPPER_SCALARS.has(site.name) && !isSelect(sql)) return none;
  const parsed = parseWhere(sql);
  if (!parsed) return none;
  const positional = args.filter((a) => argumentName(a) === undefined);
  const paramArgument = args.find((a) => argumentName(a) === "param") ?? positional[1];
  const parameters = paramArgument ? parameterObject(argumentValue(paramArgument), flow) : undefined;
  const conditions: RecordCondition[] = [];
  let complete = parsed.complete;
  for (const { column, parameter } of parsed.conditions) {
    if (parameter === undefined) {
      conditions.push({ field: column, origin: OTHER });
      continue;
    }
    if (!parameters) {
      complete = false;
      continue;
    }
    const origin = parameters(parameter);
    if (!origin) complete = false;
    else conditions.push({ field: column, origin });
  }
  return {
    entity: parsed.table,
    selection: { conditions, complete },
    ignoresFilters: false,
    ...(countsOnly(sql) ? { counts: true } : {}),
  };
}

function sqlText(node: SyntaxNode, flow: FunctionFlow, file: CSharpFile, depth = 0): string | undefined {
  const literal = stringLiteralValue(node);
  if (literal !== undefined) return literal;
  if (node.type === "identifier" && depth < 4) {
    const value = flow.localValue(node.text) ?? file.declarations.constant(node.text);
    const inner = value ? unwrapValue(value) : null;
    return inner ? sqlText(inner, flow, file, depth + 1) : undefined;
  }
  return undefined;
}

/** What a parameter object gives each SQL parameter: `new { id, TenantId = t }`, or the members of a DTO. */
function parameterObject(
  value: SyntaxNode | null,
  flow: FunctionFlow,
): ((name: string) => ValueOrigin | undefined) | undefined {
  const node = unwrapValue(value);
  if (!node) return undefined;
  if (node.type === "anonymous_object_creation_expression") {
    const members = new Map<string, SyntaxNode>();
    let group: SyntaxNode[] = [];
    const flush = () => {
      if (group.length === 0) return;
      const equals = group.findIndex((c) => !c.isNamed && c.text === "=");
      if (equals > 0 && group[0].type === "identifier" && group[equals + 1])
        members.set(group[0].text.toLowerCase(), group[equals + 1]);
      else {
        const projected = group.find((c) => c.isNamed);
        if (projected) members.set(simpleName(projected).toLowerCase(), projected);
      }
      group = [];
    };
    for (const child of node.children) {
      if (!child.isNamed && child.text === ",") flush();
      else if (child.isNamed || child.text === "=") group.push(child);
    }
    flush();
    return (name) => {
      const member = members.get(name.toLowerCase());
      return member ? flow.originOf(member) : undefined;
    };
  }
  if (node.type === "identifier" || node.type === "member_access_expression") {
    const base = flow.originOf(node);
    if (base.kind === "other") return undefined;
    return (name) => extendOrigin(base, [name]);
  }
  return undefined;
}

interface WhereClause {
  table: string | undefined;
  conditions: Array<{ column: string; parameter: string | undefined }>;
  complete: boolean;
}

const SQL_TABLE = /\b(?:from|update|into)\s+([[\]"`\w.]+)/i;
/** SQL longer than this is not read: no statement a handler runs is that long. */
const MAX_SQL = 20_000;
const SQL_CONDITION = /^(?:[[\]"`\w]+\.)?[["`]?(\w+)[\]"`]?\s*=\s*(?:[@:](\w+)|'[^']*'|\d+|true|false|null)$/i;

/**
 * A `SELECT` of one count or constant, or of an `EXISTS`: `SELECT COUNT(*) FROM …`,
 * `SELECT COUNT(1) AS n FROM …`, `SELECT TOP 1 1 FROM …`, `SELECT EXISTS (SELECT 1 FROM …)`,
 * `SELECT CASE WHEN EXISTS (…) THEN 1 ELSE 0 END`.
 */
const SQL_COUNTS =
  /^select (?:top ?\(? ?\d+ ?\)? )?(?:(?:count(?:_big)? ?\( ?(?:distinct )?[\w.[\]"`*]+ ?\)|\d+)(?: (?:as )?[\w"[\]`]+)? from\b|(?:not )?exists ?\(|case when (?:not )?exists ?\()/i;

/** Whether the SQL only counts the rows it selects, or says whether there are any. */
function countsOnly(sql: string): boolean {
  return sql.length <= MAX_SQL && SQL_COUNTS.test(withoutSqlComments(sql).replace(/\s+/g, " ").trim());
}

/** Whether the SQL is a `SELECT`, after its comments. */
function isSelect(sql: string): boolean {
  return sql.length <= MAX_SQL && /^\s*select\b/i.test(withoutSqlComments(sql));
}

/** `… WHERE Id = @id AND TenantId = @tenantId` → the conditions; undefined when there is no WHERE. */
function parseWhere(sql: string): WhereClause | undefined {
  if (sql.length > MAX_SQL) return { table: undefined, conditions: [], complete: false };
  const text = withoutSqlComments(sql).replace(/\s+/g, " ").trim();
  const table = SQL_TABLE.exec(text)?.[1]
    ?.split(".")
    .at(-1)
    ?.replace(/[[\]"`]/g, "");
  const wheres = [...text.matchAll(/\bwhere\b/gi)];
  if (wheres.length === 0) return undefined;
  // A join whose ON condition takes a parameter may scope the rows: not read.
  const beforeWhere = text.slice(0, wheres[0].index);
  const join = beforeWhere.search(/\bjoin\b/i);
  if (wheres.length > 1 || /;\s*\S/.test(text) || (join >= 0 && /[@:]\w/.test(beforeWhere.slice(join))))
    return { table, conditions: [], complete: false };
  let clause = text.slice(wheres[0].index + 5);
  const end = /\b(?:order\s+by|group\s+by|having|limit|offset|returning|for\s+update|option)\b|;/i.exec(clause);
  if (end) clause = clause.slice(0, end.index);
  const conditions: WhereClause["conditions"] = [];
  let complete = true;
  for (const part of clause.split(/\band\b/i)) {
    const trimmed = withoutParentheses(part.trim());
    const match = SQL_CONDITION.exec(trimmed);
    if (match) conditions.push({ column: match[1], parameter: match[2] });
    else complete = false;
  }
  return { table, conditions, complete };
}

/** The SQL without its line and block comments, in one pass. */
function withoutSqlComments(sql: string): string {
  let out = "";
  let from = 0;
  for (;;) {
    const line = sql.indexOf("--", from);
    const block = sql.indexOf("/*", from);
    if (line < 0 && block < 0) return out + sql.slice(from);
    const isLine = line >= 0 && (block < 0 || line < block);
    const start = isLine ? line : block;
    out += `${sql.slice(from, start)} `;
    const end = isLine ? sql.indexOf("\n", start) : sql.indexOf("*/", start + 2);
    if (end < 0) return out;
    from = isLine ? end : end + 2;
  }
}

/** `((Id = @id))` → `Id = @id`: the parentheses around a condition, without a pattern that backtracks. */
function withoutParentheses(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === "(") start++;
  while (end > start && text[end - 1] === ")") end--;
  return text.slice(start, end);
}

// ---------------------------------------------------------------- one function's accesses

/** Accesses whose chain says `IgnoreQueryFilters()`. */
const ignoring = new WeakSet<DataOperation>();
/** A write of a record loaded into a local → the local. */
const loadedFrom = new WeakMap<DataOperation, string>();

/**
 * Fills `entity`, `selection` and `ownership` of the accesses of one function, in its own
 * terms (a helper's parameters as `parameter` origins).
 */
export function describeAccesses(sites: readonly AccessSite[], flow: FunctionFlow, file: CSharpFile): void {
  const filters = queryFilterScopes(file);
  const byLocal = new Map<string, AccessSite>();
  const reads = new Map<number, AccessSite>();
  for (const site of sites) {
    checkAnalysisClock();
    const { op } = site;
    let read: ReadSelection | undefined;
    if (site.role === "connection") read = dapperSelection(site, flow, file);
    else if (site.role === "context") read = efSelection(site, flow);
    if (read) {
      if (read.entity !== undefined) op.entity = read.entity;
      if (read.selection) op.selection = read.selection;
      if (read.ignoresFilters) ignoring.add(op);
    }
    // `AnyAsync(x => x.Id == id)`, `CountAsync(…)`, `SELECT COUNT(*) …`: whether records match, not what they hold.
    if (op.kind === "read" && ((site.role === "context" && EXISTENCE_READS.has(site.name)) || read?.counts))
      op.existenceOnly = true;
    const local = flow.resultLocal(site.node);
    if (local !== undefined && op.selection) byLocal.set(local, site);
    reads.set(site.node.id, site);
  }
  // `Remove(invoice)` / `Update(invoice)` after `var invoice = await …FindAsync(id)`: the load's selection.
  for (const site of sites) {
    if (site.role !== "context" || !LOADED_WRITES.has(site.name) || site.op.selection) continue;
    const target = loadedTarget(site, flow);
    const load = target?.kind === "local" ? byLocal.get(target.name) : target ? reads.get(target.node.id) : undefined;
    if (load?.op.selection) {
      site.op.selection = load.op.selection;
      site.op.entity ??= load.op.entity;
      if (target?.kind === "local") loadedFrom.set(site.op, target.name);
      continue;
    }
    // `Update(invoice)` with the invoice the client sent, `Remove(new Invoice { Id = id })`: the record's key is the client's.
    const sent = sentRecord(site, flow);
    if (sent) {
      site.op.selection = sent.selection;
      site.op.entity ??= sent.entity;
    }
  }
  for (const [local, load] of byLocal) flow.noteLoad(local, selectionKeys(load.op));
  for (const site of sites) {
    const { op } = site;
    if (ignoring.has(op)) op.ignoresScopes = true;
    // Only a selection by a client value (or, in a helper, by what its callers pass) can be reported: the others need no checks.
    const keys = selectionKeys(op);
    if (!op.selection || keys.length === 0) continue;
    // A record loaded only to test that it is there (`if (existing is not null) return Conflict();`).
    if (op.kind === "read" && !op.existenceOnly && flow.onlyTested(site.node)) op.existenceOnly = true;
    const locals = [flow.resultLocal(site.node), loadedFrom.get(op)].filter((l): l is string => l !== undefined);
    const ownership = flow.covering(site.node.startIndex, op.kind === "read", locals, keys);
    const scope = op.entity !== undefined && !ignoring.has(op) ? filters.covering(op.entity) : undefined;
    if (scope) ownership.push(scope);
    if (ownership.length > 0) op.ownership = dedupe(ownership);
    if (flow.mode === "helper") {
      const conditional = flow.conditionalCovering(site.node.startIndex, op.kind === "read", locals, keys);
      if (conditional.length > 0) conditionalChecks.set(op, conditional);
    }
  }
}

/** A helper's checks that count when its caller passes the principal, by the operation they cover. */
const conditionalChecks = new WeakMap<DataOperation, ConditionalCheck[]>();

/** The checks of the helper an operation is made in that cover it when the caller passes the principal. */
export function conditionalChecksOf(op: DataOperation): readonly ConditionalCheck[] {
  return conditionalChecks.get(op) ?? [];
}

/** What selects an operation's records, as keys: each client value's `via`, each parameter (`param:0.OrderId`) of a helper. */
function selectionKeys(op: DataOperation): string[] {
  return (op.selection?.conditions ?? []).flatMap((c) =>
    c.origin.kind === "client"
      ? [c.origin.via]
      : c.origin.kind === "parameter"
        ? [`param:${c.origin.index}.${c.origin.path.join(".")}`]
        : [],
  );
}

/** The record a `Remove(x)` / `Update(x)` changes: a local, or a load written inline. */
function loadedTarget(
  site: AccessSite,
  flow: FunctionFlow,
): { kind: "local"; name: string } | { kind: "node"; node: SyntaxNode } | undefined {
  const first = argumentsOf(site.node)[0];
  const value = first ? unwrapLoaded(argumentValue(first) ?? first) : null;
  const source = withSource(value, flow);
  if (!source) return undefined;
  if (source.type === "identifier") return flow.isLocal(source.text) ? { kind: "local", name: source.text } : undefined;
  if (source.type === "invocation_expression") return { kind: "node", node: source };
  return undefined;
}

/**
 * The record a non-destructive copy is made of: `order with { Status = status }`, directly
 * or through a local (`var updated = order with { … }; db.Update(updated)`). The copy keeps
 * the loaded record's key, so writing it back writes that record.
 */
function withSource(value: SyntaxNode | null, flow: FunctionFlow): SyntaxNode | null {
  let node = value;
  if (node?.type === "identifier") {
    const local = flow.localValue(node.text);
    const inner = local ? unwrapLoaded(local) : null;
    if (inner?.type === "with_expression") node = inner;
  }
  if (node?.type !== "with_expression") return node;
  const copied = node.namedChildren[0];
  return copied ? unwrapLoaded(copied) : null;
}

/**
 * The record a write changes without loading it: an entity bound from the request
 * (`Update(invoice)`, a `[BindProperty]` model), selected by its key, or a stub the handler
 * builds (`Remove(new Invoice { Id = id })`), selected by the values it sets.
 */
function sentRecord(site: AccessSite, flow: FunctionFlow): { selection: RecordSelection; entity?: string } | undefined {
  const first = argumentsOf(site.node)[0];
  const value = first ? unwrapValue(argumentValue(first)) : null;
  if (!value) return undefined;
  if (value.type === "object_creation_expression") {
    const conditions: RecordCondition[] = [];
    for (const assignment of field(value, "initializer")?.namedChildren ?? []) {
      const left = assignment.type === "assignment_expression" ? field(assignment, "left") : null;
      if (left?.type === "identifier")
        conditions.push({ field: left.text, origin: flow.originOf(field(assignment, "right")) });
    }
    if (!conditions.some((c) => c.origin.kind === "client")) return undefined;
    return { selection: { conditions, complete: true }, entity: simpleName(field(value, "type")) };
  }
  if (value.type !== "identifier" && value.type !== "member_access_expression") return undefined;
  const origin = flow.originOf(value);
  if (origin.kind !== "client") return undefined;
  const type = value.type === "identifier" ? flow.typeOf(value.text) : undefined;
  return {
    selection: { conditions: [{ field: "(key)", origin }], complete: true },
    ...(type !== undefined && !SIMPLE_TYPE.test(type) ? { entity: type } : {}),
  };
}

/** The `via` of each client condition of an access's selection. */
export function clientValues(op: DataOperation): string[] {
  return (op.selection?.conditions ?? []).flatMap((c) => (c.origin.kind === "client" ? [c.origin.via] : []));
}

function dedupe(checks: readonly OwnershipCheck[]): OwnershipCheck[] {
  const seen = new Set<string>();
  return checks.filter((c) => {
    const key = `${c.kind} ${c.name} ${c.loc.start.line}:${c.loc.start.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------- guards on the route

/** Filters and attributes named for a resource check: `[TenantOwnerGuard]`, `[TypeFilter(typeof(ProjectMemberFilter))]`, `[RequireTenantMember]`. */
const GUARD_NAME =
  /Owner|Ownership|Member(?:ship)?$|Member(?:Filter|Guard|Check|Requirement)$|Access(?:Filter|Guard|Check|Requirement)?$/;
/** `[Authorize(Policy = "InvoiceOwner")]`: a policy named for ownership. */
const OWNER_POLICY = /\bPolicy\s*=\s*"[^"]*(?:Owner|Member)/i;

/**
 * Attributes on an action, its controller (and same-file bases) or a page model that check
 * the caller against the route's record before the action runs: the filter or attribute is
 * named for it, or the settings name it in `ownershipChecks`.
 */
export function guardChecks(attributes: readonly CSharpAttribute[], file: CSharpFile): OwnershipCheck[] {
  const checks: OwnershipCheck[] = [];
  for (const attribute of attributes) {
    const names = [attribute.name, ...typeofArguments(attribute).map((n) => withoutSuffix(n))];
    const guard =
      names.some((n) => GUARD_NAME.test(n) || file.settings.ownershipChecks(n)) ||
      (attribute.name === "Authorize" && OWNER_POLICY.test(attribute.text));
    if (guard) checks.push({ kind: "authorization-call", name: attribute.text, loc: attribute.loc });
  }
  return checks;
}

// ---------------------------------------------------------------- class scopes

const scopes = new WeakMap<ClassDecl, ClassScope>();

/** What the class `owner` tells its functions; an empty scope for top-level code. */
export function classScope(owner: ClassDecl | undefined, file: CSharpFile): ClassScope {
  if (!owner) return { owner, memberTypes: new Map(), boundMembers: new Set() };
  let scope = scopes.get(owner);
  if (!scope) {
    scope = { owner, memberTypes: file.declarations.memberTypes(owner), boundMembers: boundMembers(owner, file) };
    scopes.set(owner, scope);
  }
  return scope;
}

/** `[BindProperty]` properties of a page model or controller (and its same-file bases); every public settable one under `[BindProperties]`. */
function boundMembers(owner: ClassDecl, file: CSharpFile): Set<string> {
  const bound = new Set<string>();
  for (const decl of [owner, ...file.declarations.baseChain(owner)]) {
    const all = decl.attributes.some((a) => a.name === "BindProperties");
    for (const node of decl.nodes) {
      const body = field(node, "body");
      for (const member of body?.namedChildren ?? []) {
        if (member.type !== "property_declaration") continue;
        const name = field(member, "name")?.text;
        if (name === undefined) continue;
        const attributes = readAttributes(member.namedChildren.filter((c) => c.type === "attribute_list"));
        if (attributes.some((a) => a.name === "BindNever")) continue;
        const isPublic = member.namedChildren.some((c) => c.type === "modifier" && c.text === "public");
        if (attributes.some((a) => a.name === "BindProperty") || (all && isPublic)) bound.add(name);
      }
    }
  }
  return bound;
}

/** The flow of a method, per mode, read once. */
export function methodFlow(method: MethodDecl, mode: FlowMode, file: CSharpFile): FunctionFlow {
  const key = mode === "handler" ? handlerFlows : helperFlows;
  let flow = key.get(method);
  if (!flow) {
    flow = new FunctionFlow(method.node, mode, classScope(method.owner, file), file);
    key.set(method, flow);
  }
  return flow;
}

const handlerFlows = new WeakMap<MethodDecl, FunctionFlow>();
const helperFlows = new WeakMap<MethodDecl, FunctionFlow>();

export type { QueryFilterScopes };
