/**
 * ASP.NET Core Minimal APIs: `MapGet`/`MapPost`/`MapPut`/`MapDelete`/`MapPatch`/`MapMethods`
 * on an app, an `IEndpointRouteBuilder` or a route group, with the handler a lambda, a
 * method group or a local function, and the authorization the file shows for each:
 *  - conventions on the endpoint (`.RequireAuthorization()`, `.AllowAnonymous()`,
 *    `.WithMetadata(new AuthorizeAttribute())`, see conventions.ts) and attributes on the
 *    handler (`[Authorize]` on the lambda or the method);
 *  - conventions on every route group around it (`MapGroup("/orders").RequireAuthorization()`,
 *    groups held in variables and nested, conventions written in later statements: a group's
 *    conventions apply to all its endpoints whenever they are added);
 *  - for endpoints a function registers on a builder it receives as a parameter
 *    (`static RouteGroupBuilder MapOrders(this RouteGroupBuilder group)`): the caller's
 *    prefix and protections, for every call of the function in this file
 *    (`app.MapGroup("/orders").RequireAuthorization().MapOrders()`, `MapOrders(group)`),
 *    including what the caller chains on a returned builder
 *    (`app.MapOrders().RequireAuthorization()`). Without a call in this file the endpoint
 *    keeps the path the function gives it and records the parameter (`registeredOn`) for a
 *    cross-file step; a builder this file hands to a function it does not declare becomes
 *    a RouteGroupCall;
 *  - functions of this file that put authorization on a builder they receive and map no
 *    routes (`RequireStaff(this RouteGroupBuilder g) => g.RequireAuthorization("Staff")`),
 *    wherever they are called on a group or an endpoint.
 * An endpoint's `AllowAnonymous()` is listed next to the group's protections, as MVC lists
 * `[AllowAnonymous]` next to the controller's `[Authorize]`: it wins at run time.
 *
 * Names are found in the text and confirmed in the tree; every builder expression is
 * evaluated once, and every chain is walked once from its start.
 */
import { routePath } from "../../../lib/core/model.js";
import type {
  AnonymousMarker,
  AuditEvent,
  AuthFix,
  DataOperation,
  ExternalCall,
  Endpoint,
  FrameworkVocabulary,
  HttpMethod,
  Loc,
  Protection,
  ProtectionSource,
  RouteBuilderParameter,
  RouteGroupCall,
} from "../../../lib/core/model.js";
import type { SyntaxNode } from "../../parser.js";
import { readAttributes, type CSharpAttribute } from "../attributes.js";
import { checkAnalysisClock } from "../clock.js";
import { conventionEffect, conventionText, type ConventionContext } from "../conventions.js";
import { indexDataLayer, operationsIn, type DataLayerIndex } from "../data-layer.js";
import { requestChecks } from "../request-checks.js";
import { auditEventsOfFunction, auditEventsOfMethod, recordAudits } from "../audit-events.js";
import { withChecks, type HandlerChecks } from "../../../lib/core/adapter-utils.js";
import type { ClassDecl, MethodDecl } from "../declarations.js";
import {
  argumentName,
  argumentsOf,
  argumentValue,
  calledName,
  calledNameNode,
  callNamedBy,
  callOnResult,
  declaringBlock,
  destinationOf,
  enclosingFunction,
  field,
  FUNCTION_TYPES,
  identifiersMatching,
  keyOf,
  parametersOf,
  receiverOf,
  same,
  unwrapParentheses,
  type ParameterInfo,
} from "../invocations.js";
import { attributeRequirements, mergeRequirements } from "../protections.js";
import { normalisePath, templateText } from "../routes.js";
import { MAX_NAME_LENGTH, nodeLoc, simpleName, stringLiteralValue } from "../syntax.js";
import { requireAuthorizationFix } from "../auth-fixes.js";
import type { CSharpFile, CSharpLibrary } from "./library.js";

export const MINIMAL_APIS: FrameworkVocabulary = {
  displayName: "ASP.NET Core Minimal APIs",
  missingAuth: "no RequireAuthorization() or [Authorize] on the endpoint or its route group, and no FallbackPolicy",
  addAuth:
    "call .RequireAuthorization() (with a policy where it fits) on the endpoint or its MapGroup(), or put [Authorize] on the handler.",
};

const ROUTE_METHODS: ReadonlyMap<string, HttpMethod[] | undefined> = new Map([
  ["MapGet", ["GET"]],
  ["MapPost", ["POST"]],
  ["MapPut", ["PUT"]],
  ["MapDelete", ["DELETE"]],
  ["MapPatch", ["PATCH"]],
  ["MapMethods", undefined],
]);
const KNOWN_METHODS = new Set<string>(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
const AUTHORIZING_CONVENTIONS = /\b(?:RequireAuthorization|AllowAnonymous|WithMetadata|AddEndpointFilter)\b/g;
const RESULT_CONVENTIONS = /\b(?:RequireAuthorization|AllowAnonymous)\b/g;
/** A file maps endpoints, or chains authorization on a builder another file's function returns (`MapOrdersApi().RequireAuthorization()`). */
const HINT =
  /\bMap(?:Get|Post|Put|Delete|Patch|Methods|Group)\b|\)\s*\.\s*(?:RequireAuthorization|AllowAnonymous)\s*\(/;
const ROUTE_CALLS = /\bMap(?:Get|Post|Put|Delete|Patch|Methods)\b/g;
const GROUP_CALLS = /\bMapGroup\b/g;
/**
 * Calls on a builder that configure it and return it: they never hand the builder to
 * route-mapping code, so they are no RouteGroupCall.
 */
const CONFIGURING =
  /^(?:With|Produces|Accepts|Has|Is|Map(?:To)?ApiVersion|Disable|Exclude|Cache|Require|Allow|Add\w*Filter|ShortCircuit|ReportApiVersions|Finally|Add$)/;
/** ASP.NET Core's own endpoint makers and middleware: never a project's route function. */
const FRAMEWORK_CALLS =
  /^(?:Use[A-Z]\w*|Run|MapControllers|MapDefaultControllerRoute|MapControllerRoute|MapAreaControllerRoute|MapDynamicControllerRoute|MapRazorPages|MapDynamicPageRoute|MapFallback\w*|MapHub|MapHealthChecks|MapGrpcService|MapBlazorHub|MapRazorComponents|MapStaticAssets|MapOpenApi|MapSwagger|MapScalarApiReference|MapIdentityApi|Map|MapWhen)$/;
const TYPE_DECLARATIONS = new Set(["class_declaration", "struct_declaration", "record_declaration"]);
/** How often one function's endpoints are repeated for its callers, at most, and how deep calls nest. */
const MAX_DRAFTS = 20_000;
const MAX_CALL_DEPTH = 8;

export const minimalApis: CSharpLibrary = {
  id: "minimal-apis",
  vocabulary: MINIMAL_APIS,
  applies: (file) => HINT.test(file.text),
  endpoints: (file) => analyse(file).endpoints,
  routeGroupCalls: (file) => analyse(file).groupCalls,
};

interface Analysis {
  endpoints: Endpoint[];
  groupCalls: RouteGroupCall[];
}

const analyses = new WeakMap<CSharpFile, Analysis>();

function analyse(file: CSharpFile): Analysis {
  let analysis = analyses.get(file);
  if (!analysis) {
    analysis = new MinimalApis(file).run();
    analyses.set(file, analysis);
  }
  return analysis;
}

// ---------------------------------------------------------------- builders

/** The conventions applied to one builder: a group, an endpoint, or a parameter inside its function. */
interface Layer {
  protections: Protection[];
  anonymous: AnonymousMarker[];
}

/** One step from the origin to an endpoint: a route group, the parameter builder, the endpoint itself. */
type StepKey = number | string;

interface Step {
  key: StepKey;
  kind: "group" | "endpoint" | "parameter" | "result";
  prefix: string;
  layer: Layer;
}

/** A function that receives a route builder as a parameter. */
interface RouteFunction {
  node: SyntaxNode;
  key: number;
  name: string;
  /** `OrdersEndpoints.MapOrders`, or the name of a local function. */
  display: string;
  isExtension: boolean;
  /** The owner class name, for telling `OrdersEndpoints.MapOrders(group)` from `group.MapOrders()`. */
  owner: string | undefined;
}

type Origin = { kind: "root" } | { kind: "parameter"; fn: RouteFunction; parameter: ParameterInfo };

/** A route builder as the code builds it: where it starts, then each group (and endpoint) with its conventions. */
interface Builder {
  origin: Origin;
  steps: Step[];
}

const ROOT: Builder = { origin: { kind: "root" }, steps: [] };

/** A local that holds a builder: `var api = app.MapGroup("/api")`. */
interface Definition {
  blockKey: number;
  /** Where the name becomes visible: the end of the declaration or assignment. */
  visibleFrom: number;
  value: SyntaxNode;
}

interface HandlerInfo {
  name: string | undefined;
  attributes: CSharpAttribute[];
  /** Its data operations and its calls towards other files (data-layer.ts). */
  reached: () => { operations: DataOperation[]; calls: ExternalCall[] };
  /** What the handler checks of the request (a signature, a password): request-checks.ts. */
  checks?: () => HandlerChecks;
  /** What the handler records of who changed what (AP107): audit-events.ts. */
  audits?: () => AuditEvent[];
}

interface EndpointSeed {
  methods: HttpMethod[];
  template: string;
  loc: Loc;
  handler: HandlerInfo;
  /** The `MapX(…)` call, for the fix that chains `.RequireAuthorization()` on it. */
  call: SyntaxNode;
  /** That fix, worked out once for every caller the endpoint is repeated for. */
  authFix?: AuthFix;
}

interface GroupCallSeed {
  name: string;
  position: number;
  loc: Loc;
  result: Layer;
}

/** An endpoint or a group call on its way from the function that registers it to the callers that show its prefix. */
interface Draft {
  builder: Builder;
  endpoint?: EndpointSeed;
  groupCall?: GroupCallSeed;
  depth: number;
}

/** A call of a same-file route function: the builders it passes, and what it chains on the result. */
interface CallSite {
  /** Builders by parameter position. */
  argument: (position: number) => Builder;
  result: Layer;
}

function emptyLayer(): Layer {
  return { protections: [], anonymous: [] };
}

class MinimalApis {
  readonly #file: CSharpFile;
  readonly #ctx: ConventionContext;
  readonly #layers = new Map<StepKey, Layer>();
  /** Locals that hold a builder, by `block id:name`, in document order once resolution starts. */
  readonly #definitions = new Map<string, Definition[]>();
  readonly #definedNames = new Set<string>();
  #definitionsSorted = false;
  #methodIndex: { byClass: Map<string, Map<string, MethodDecl>>; byName: Map<string, MethodDecl[]> } | undefined;
  readonly #evaluated = new Map<number, Builder>();
  readonly #evaluating = new Set<number>();
  readonly #functions = new Map<number, RouteFunction>();
  readonly #visitedConventions = new Set<number>();
  readonly #groupCallKeys = new Set<number>();
  readonly #returnedParameters = new Map<number, number | null>();
  /** Names of the functions this file declares, so that only calls of others become RouteGroupCalls. */
  #declaredFunctions: Set<string> | undefined;
  #topLevelFunctions: Map<string, SyntaxNode> | undefined;
  #dataLayer: DataLayerIndex | undefined;
  readonly #handlerOwners = new Set<ClassDecl>();
  readonly #drafts: Draft[] = [];

  constructor(file: CSharpFile) {
    this.#file = file;
    this.#ctx = { root: file.root, text: file.text, classifier: file.classifier };
  }

  run(): Analysis {
    const { root, text } = this.#file;
    const groups = [...callsNamed(root, text, GROUP_CALLS)];
    const routes = [...callsNamed(root, text, ROUTE_CALLS)].filter((c) => ROUTE_METHODS.has(calledName(c)));
    // Locals that hold a group or an endpoint, before anything is evaluated.
    for (const call of [...groups, ...routes]) this.#define(call);
    for (const call of routes) {
      const seed = this.#endpointSeed(call);
      if (!seed) continue;
      const receiver = receiverOf(call);
      const builder = this.#withStep(receiver ? this.#evaluate(receiver) : ROOT, call, "endpoint", "");
      this.#collectConventions(call, this.#layerOf(keyOf(call)), "route");
      this.#drafts.push({ builder, endpoint: seed, depth: 0 });
    }
    for (const call of groups) this.#walkBuilderChain(call, this.#evaluate(call));
    this.#walkBuilderUses();
    this.#walkResultConventions();
    this.#conventionFunctions();
    const sites = this.#callSites();
    return this.#finish(sites);
  }

  // ------------------------------------------------------------ locals and evaluation

  /** Records the local a group or endpoint chain is assigned to, when every call after it configures the builder. */
  #define(call: SyntaxNode): void {
    let top = call;
    for (let next = callOnResult(top); next; next = callOnResult(top)) {
      const name = calledName(next);
      if (ROUTE_METHODS.has(name) || name === "MapGroup" || !this.#configures(name)) return;
      top = next;
    }
    const destination = destinationOf(top);
    if (destination.kind !== "variable") return;
    const statement = destination.name.parent;
    const blockKey = keyOf(declaringBlock(destination.name));
    const key = `${blockKey}:${destination.name.text}`;
    const definitions = this.#definitions.get(key) ?? [];
    definitions.push({ blockKey, visibleFrom: (statement ?? destination.name).endIndex, value: top });
    this.#definitions.set(key, definitions);
    this.#definedNames.add(destination.name.text);
  }

  /** The nearest definition of `name` in `block` visible at `position`. */
  #definitionAt(block: SyntaxNode, name: string, position: number): Definition | undefined {
    if (!this.#definitionsSorted) {
      for (const list of this.#definitions.values()) list.sort((a, b) => a.visibleFrom - b.visibleFrom);
      this.#definitionsSorted = true;
    }
    const list = this.#definitions.get(`${keyOf(block)}:${name}`);
    if (!list) return undefined;
    let low = 0;
    let high = list.length - 1;
    let found: Definition | undefined;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (list[mid].visibleFrom <= position) {
        found = list[mid];
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  /** Whether a call on a builder returns the same builder: a convention, not a function that maps routes. */
  #configures(name: string): boolean {
    return CONFIGURING.test(name);
  }

  /** The builder an expression evaluates to; the root app for anything not built in this file. */
  #evaluate(expression: SyntaxNode, depth = 0): Builder {
    const node = unwrapParentheses(expression) ?? expression;
    const key = keyOf(node);
    const known = this.#evaluated.get(key);
    if (known) return known;
    if (this.#evaluating.has(key) || depth > 64) return ROOT;
    this.#evaluating.add(key);
    let builder = ROOT;
    try {
      if (node.type === "identifier") {
        builder = this.#resolve(node, depth);
      } else if (node.type === "invocation_expression") {
        const name = calledName(node);
        const receiver = receiverOf(node);
        if (name === "MapGroup" && receiver) {
          builder = this.#withStep(this.#evaluate(receiver, depth + 1), node, "group", this.#template(node, "prefix"));
        } else if (ROUTE_METHODS.has(name) && receiver) {
          builder = this.#withStep(this.#evaluate(receiver, depth + 1), node, "endpoint", "");
        } else if (receiver && (this.#configures(name) || !this.#declared().has(name))) {
          // Conventions (and route functions declared elsewhere) return the builder they are called on.
          builder = this.#evaluate(receiver, depth + 1);
        } else if (this.#declared().has(name)) {
          builder = this.#returnedArgument(node, depth);
        }
      }
    } finally {
      this.#evaluating.delete(key);
    }
    this.#evaluated.set(key, builder);
    return builder;
  }

  #withStep(builder: Builder, node: SyntaxNode, kind: Step["kind"], prefix: string): Builder {
    const key = keyOf(node);
    return { origin: builder.origin, steps: [...builder.steps, { key, kind, prefix, layer: this.#layerOf(key) }] };
  }

  #layerOf(key: StepKey): Layer {
    let layer = this.#layers.get(key);
    if (!layer) this.#layers.set(key, (layer = emptyLayer()));
    return layer;
  }

  /**
   * What a name stands for where it is used: the nearest earlier local that holds a
   * builder in an enclosing block, a parameter of the enclosing method or local function,
   * else the app itself (`app`, the `endpoints` of `UseEndpoints(endpoints => …)`).
   */
  #resolve(identifier: SyntaxNode, depth: number): Builder {
    const name = identifier.text;
    const defined = this.#definedNames.has(name);
    let current: SyntaxNode | null = identifier.parent;
    for (let climb = 0; current && climb < 400; current = current.parent, climb++) {
      const best = defined ? this.#definitionAt(current, name, identifier.startIndex) : undefined;
      if (best) return this.#evaluate(best.value, depth + 1);
      if (!FUNCTION_TYPES.has(current.type) || current.type === "compilation_unit") continue;
      const parameter = parametersOf(current).find((p) => p.name === name);
      if (parameter) {
        if (current.type !== "method_declaration" && current.type !== "local_function_statement") return ROOT;
        const fn = this.#routeFunction(current);
        return {
          origin: { kind: "parameter", fn, parameter },
          steps: [
            {
              key: parameterKey(fn, parameter),
              kind: "parameter",
              prefix: "",
              layer: this.#layerOf(parameterKey(fn, parameter)),
            },
          ],
        };
      }
      if (current.type === "method_declaration" || current.type === "constructor_declaration") break;
    }
    return ROOT;
  }

  #routeFunction(node: SyntaxNode): RouteFunction {
    const key = keyOf(node);
    let fn = this.#functions.get(key);
    if (!fn) {
      const name = field(node, "name")?.text ?? "";
      const container = node.type === "method_declaration" ? node.parent?.parent : null;
      const owner =
        container && ["class_declaration", "struct_declaration", "record_declaration"].includes(container.type)
          ? field(container, "name")?.text
          : undefined;
      fn = {
        node,
        key,
        name,
        display: owner ? `${owner}.${name}` : name,
        isExtension: parametersOf(node)[0]?.isThis ?? false,
        owner,
      };
      this.#functions.set(key, fn);
    }
    return fn;
  }

  // ------------------------------------------------------------ conventions

  /** Conventions chained on `node`, into `layer`: endpoint conventions, or a group's in its own chain. */
  #collectConventions(node: SyntaxNode, layer: Layer, source: ProtectionSource): void {
    for (let call = callOnResult(node); call; call = callOnResult(call)) {
      checkAnalysisClock();
      const name = calledName(call);
      if (ROUTE_METHODS.has(name) || name === "MapGroup") return;
      this.#applyConvention(call, layer, source);
    }
  }

  #applyConvention(call: SyntaxNode, layer: Layer, source: ProtectionSource): void {
    const key = keyOf(call);
    if (this.#visitedConventions.has(key)) return;
    this.#visitedConventions.add(key);
    const effect = conventionEffect(this.#ctx, call, source);
    if (effect && "protection" in effect) layer.protections.push(effect.protection);
    else if (effect) layer.anonymous.push(effect.anonymous);
  }

  /**
   * Walks the calls chained on a group (or on a local or parameter that holds one):
   * conventions go to the group; a function the file does not declare that gets the group
   * becomes a RouteGroupCall, with what is chained on its result.
   */
  #walkBuilderChain(start: SyntaxNode, builder: Builder): void {
    const step = builder.steps.at(-1);
    if (!step) return;
    const { layer } = step;
    const source: ProtectionSource = step.kind === "endpoint" ? "route" : "router";
    let last = start;
    for (let call = callOnResult(start); call; call = callOnResult(call)) {
      checkAnalysisClock();
      const name = calledName(call);
      if (ROUTE_METHODS.has(name) || name === "MapGroup" || this.#declared().has(name)) return;
      if (this.#configures(name)) {
        this.#applyConvention(call, layer, source);
        last = call;
        continue;
      }
      this.#groupCall(call, 0, builder, true);
      return;
    }
    const destination = destinationOf(last);
    if (destination.kind === "argument" && !this.#declared().has(calledName(destination.invocation)))
      this.#groupCall(destination.invocation, destination.position, builder);
  }

  /**
   * A builder handed to a function the file does not declare. Framework calls that make
   * endpoints of their own (`MapControllers()`, `MapHealthChecks()`) and middleware
   * (`UseX()`) are not route functions of the project, nor are calls on an endpoint.
   */
  #groupCall(call: SyntaxNode, position: number, builder: Builder, onReceiver = false): void {
    const name = calledName(call);
    if (name === "" || ROUTE_METHODS.has(name) || name === "MapGroup") return;
    if (onReceiver && FRAMEWORK_CALLS.test(name)) return;
    if (builder.steps.at(-1)?.kind === "endpoint") return;
    const key = keyOf(call);
    if (this.#groupCallKeys.has(key)) return;
    this.#groupCallKeys.add(key);
    const result = emptyLayer();
    for (let next = callOnResult(call); next; next = callOnResult(next)) this.#applyConvention(next, result, "router");
    const nameNode = calledNameNode(call);
    this.#drafts.push({
      builder,
      groupCall: { name, position, loc: nodeLoc(nameNode ?? call), result },
      depth: 0,
    });
  }

  /** Every use of a local that holds a builder, and of a parameter that receives one, as the start of a chain. */
  #walkBuilderUses(): void {
    const names = new Set(this.#definedNames);
    for (const draft of this.#drafts) {
      if (draft.builder.origin.kind === "parameter") names.add(draft.builder.origin.parameter.name);
    }
    // A name past any real identifier's length would make the pattern too large to compile.
    for (const name of names) if (name.length > MAX_NAME_LENGTH) names.delete(name);
    if (names.size === 0) return;
    const routeFunctions = new Set<RouteFunction>();
    for (const draft of this.#drafts)
      if (draft.builder.origin.kind === "parameter") routeFunctions.add(draft.builder.origin.fn);
    const pattern = new RegExp(`\\b(?:${[...names].join("|")})\\b`, "g");
    const { root, text } = this.#file;
    for (const identifier of identifiersMatching(root, text, pattern)) {
      const parent = identifier.parent;
      if (!parent || parent.type === "variable_declarator" || parent.type === "parameter") continue;
      if (parent.type === "assignment_expression" && same(field(parent, "left"), identifier)) continue;
      const call = callOnResult(identifier);
      const destination = call ? undefined : destinationOf(identifier);
      if (!call && destination?.kind !== "argument") continue;
      const builder = this.#evaluate(identifier);
      if (builder.steps.length === 0) continue;
      // A parameter of a function that maps no routes on it is no route builder.
      if (builder.origin.kind === "parameter" && builder.steps.length === 1 && !routeFunctions.has(builder.origin.fn))
        continue;
      if (call) this.#walkBuilderChain(identifier, builder);
      else if (destination?.kind === "argument" && !this.#declared().has(calledName(destination.invocation)))
        this.#groupCall(destination.invocation, destination.position, builder);
    }
  }

  /**
   * Authorization chained on the result of a function the file does not declare, called on
   * a builder this file does not build either: eShop's
   * `app.NewVersionedApi("Orders").MapOrdersApiV1().RequireAuthorization()`.
   */
  #walkResultConventions(): void {
    const { root, text } = this.#file;
    for (const identifier of identifiersMatching(root, text, RESULT_CONVENTIONS)) {
      const found = callNamedBy(identifier);
      let inner = found?.receiver ? unwrapParentheses(found.receiver) : null;
      for (let guard = 0; inner?.type === "invocation_expression" && guard < 256; guard++) {
        if (!this.#configures(calledName(inner))) break;
        inner = unwrapParentheses(receiverOf(inner));
      }
      if (inner?.type !== "invocation_expression") continue;
      const name = calledName(inner);
      const receiver = receiverOf(inner);
      if (!receiver || this.#configures(name) || this.#declared().has(name)) continue;
      this.#groupCall(inner, 0, this.#evaluate(receiver), true);
    }
  }

  // ------------------------------------------------------------ endpoints

  #endpointSeed(call: SyntaxNode): EndpointSeed | undefined {
    const name = calledName(call);
    const args = argumentsOf(call);
    const named = (n: string) => args.find((a) => argumentName(a) === n);
    const positional = args.filter((a) => argumentName(a) === undefined);
    const isMethods = name === "MapMethods";
    const patternArgument = named("pattern") ?? positional[0];
    const handlerArgument = named("handler") ?? named("requestDelegate") ?? positional[isMethods ? 2 : 1];
    if (!patternArgument || !handlerArgument) return undefined;
    const methodsArgument = isMethods ? (named("httpMethods") ?? positional[1]) : undefined;
    const nameNode = calledNameNode(call);
    return {
      methods: isMethods ? httpMethods(methodsArgument) : (ROUTE_METHODS.get(name) ?? ["ANY"]),
      template: this.#template(call, "pattern"),
      loc: nodeLoc(nameNode ?? call),
      handler: this.#handler(call, handlerArgument),
      call,
    };
  }

  /** The route template of a `MapX(pattern, …)` or `MapGroup(prefix)` call. */
  #template(call: SyntaxNode, parameter: string): string {
    const args = argumentsOf(call);
    const argument = args.find((a) => argumentName(a) === parameter) ?? args.find((a) => argumentName(a) === undefined);
    const value = argument ? argumentValue(argument) : null;
    return value ? templateText(value, this.#file.declarations.constant) : "";
  }

  #handler(call: SyntaxNode, argument: SyntaxNode): HandlerInfo {
    const value = unwrapParentheses(argumentValue(argument));
    const none: HandlerInfo = { name: undefined, attributes: [], reached: () => ({ operations: [], calls: [] }) };
    if (!value) return none;
    if (value.type === "lambda_expression" || value.type === "anonymous_method_expression") {
      const lists = value.namedChildren.filter((c) => c.type === "attribute_list");
      return {
        name: undefined,
        attributes: readAttributes(lists),
        reached: once(() => operationsIn(value, this.#file, parameterTypes(value))),
        checks: once(() => requestChecks(this.#file).ofFunction(value)),
        audits: once(() => auditEventsOfFunction(value, this.#file)),
      };
    }
    if (value.type !== "identifier" && value.type !== "member_access_expression" && value.type !== "generic_name")
      return none;
    const methodName = simpleName(value);
    const qualifier = value.type === "member_access_expression" ? simpleName(field(value, "expression")) : undefined;
    const method = this.#handlerMethod(call, methodName, qualifier);
    if (method) {
      this.#handlerOwners.add(method.owner);
      return {
        name: `${method.owner.name}.${method.name}`,
        attributes: method.attributes,
        reached: once(() => {
          const index = this.#dataLayerIndex();
          return { operations: index.operationsOf(method, method.owner), calls: index.callsOf(method, method.owner) };
        }),
        checks: once(() => requestChecks(this.#file).of(method, method.owner)),
        audits: once(() => auditEventsOfMethod(method, this.#file)),
      };
    }
    const local = qualifier === undefined ? this.#topLevel().get(methodName) : undefined;
    if (local) {
      return {
        name: methodName,
        attributes: readAttributes(local.namedChildren.filter((c) => c.type === "attribute_list")),
        reached: once(() => operationsIn(local, this.#file, parameterTypes(local))),
        checks: once(() => requestChecks(this.#file).ofFunction(local)),
        audits: once(() => auditEventsOfFunction(local, this.#file)),
      };
    }
    return { ...none, name: qualifier ? `${qualifier}.${methodName}` : methodName };
  }

  /**
   * The same-file method a method group names: in the class it is qualified with, else in
   * the class the call is in, else the one class that declares a method of that name.
   */
  #handlerMethod(call: SyntaxNode, name: string, qualifier: string | undefined): MethodDecl | undefined {
    const index = this.#methods();
    if (qualifier !== undefined) {
      const byQualifier = index.byClass.get(qualifier)?.get(name);
      if (byQualifier) return byQualifier;
    }
    let enclosing: SyntaxNode | null = call.parent;
    for (let climb = 0; enclosing && climb < 400; enclosing = enclosing.parent, climb++) {
      if (TYPE_DECLARATIONS.has(enclosing.type)) break;
    }
    const className = enclosing && TYPE_DECLARATIONS.has(enclosing.type) ? field(enclosing, "name")?.text : undefined;
    const own = className !== undefined ? index.byClass.get(className)?.get(name) : undefined;
    if (own) return own;
    const candidates = index.byName.get(name) ?? [];
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /** The file's methods by class and name, and by name alone. */
  #methods(): { byClass: Map<string, Map<string, MethodDecl>>; byName: Map<string, MethodDecl[]> } {
    if (!this.#methodIndex) {
      const byClass = new Map<string, Map<string, MethodDecl>>();
      const byName = new Map<string, MethodDecl[]>();
      for (const decl of this.#file.declarations.classes) {
        const own = byClass.get(decl.name) ?? new Map<string, MethodDecl>();
        byClass.set(decl.name, own);
        for (const method of decl.methods) {
          if (!own.has(method.name)) own.set(method.name, method);
          const list = byName.get(method.name) ?? [];
          list.push(method);
          byName.set(method.name, list);
        }
      }
      this.#methodIndex = { byClass, byName };
    }
    return this.#methodIndex;
  }

  #dataLayerIndex(): DataLayerIndex {
    this.#dataLayer ??= indexDataLayer([...this.#handlerOwners], this.#file, {
      parameterTypes: true,
    });
    return this.#dataLayer;
  }

  /** Local functions of the top-level statements, by name. */
  #topLevel(): Map<string, SyntaxNode> {
    if (!this.#topLevelFunctions) {
      this.#topLevelFunctions = new Map();
      for (const statement of this.#file.root.namedChildren) {
        const inner = statement.type === "global_statement" ? statement.firstNamedChild : null;
        const name = inner?.type === "local_function_statement" ? field(inner, "name")?.text : undefined;
        if (name && inner && !this.#topLevelFunctions.has(name)) this.#topLevelFunctions.set(name, inner);
      }
    }
    return this.#topLevelFunctions;
  }

  /** Methods and top-level local functions the file declares. */
  #declared(): Set<string> {
    if (!this.#declaredFunctions) {
      this.#declaredFunctions = new Set(this.#topLevel().keys());
      for (const decl of this.#file.declarations.classes)
        for (const method of decl.methods) this.#declaredFunctions.add(method.name);
    }
    return this.#declaredFunctions;
  }

  // ------------------------------------------------------------ calls of route functions

  /** The calls in this file of each function that registers endpoints on a parameter. */
  #callSites(): Map<number, CallSite[]> {
    const sites = new Map<number, CallSite[]>();
    const functions = new Map<string, RouteFunction[]>();
    for (const draft of this.#drafts) {
      const origin = draft.builder.origin;
      if (origin.kind !== "parameter") continue;
      const list = functions.get(origin.fn.name) ?? [];
      if (!list.includes(origin.fn)) list.push(origin.fn);
      functions.set(origin.fn.name, list);
    }
    for (const { fn, invocation, passed } of this.#callsOf(functions)) {
      const result = emptyLayer();
      for (let next = callOnResult(invocation); next; next = callOnResult(next))
        this.#applyConvention(next, result, "router");
      const list = sites.get(fn.key) ?? [];
      list.push({
        argument: (position) => {
          const value = passed[position];
          return value ? this.#evaluate(value) : ROOT;
        },
        result,
      });
      sites.set(fn.key, list);
    }
    return sites;
  }

  /** The calls in this file of the given functions, with the expressions they pass by parameter position. */
  *#callsOf(
    functions: ReadonlyMap<string, RouteFunction[]>,
  ): Generator<{ fn: RouteFunction; invocation: SyntaxNode; passed: SyntaxNode[] }> {
    const names = [...functions.keys()].filter((name) => name.length <= MAX_NAME_LENGTH);
    if (names.length === 0) return;
    const pattern = new RegExp(`\\b(?:${names.join("|")})\\b`, "g");
    const { root, text } = this.#file;
    for (const identifier of identifiersMatching(root, text, pattern)) {
      const found = callNamedBy(identifier);
      const target = found
        ? callTarget(found.invocation, found.receiver, functions.get(identifier.text) ?? [])
        : undefined;
      if (found && target) yield { invocation: found.invocation, ...target };
    }
  }

  /**
   * Functions of this file that put authorization on a builder they receive and map no
   * routes themselves (`static RouteGroupBuilder RequireStaff(this RouteGroupBuilder g) =>
   * g.RequireAuthorization("Staff")`): at each call their conventions go to the builder
   * the caller passes.
   */
  #conventionFunctions(): void {
    const routeFunctions = new Set<RouteFunction>();
    for (const draft of this.#drafts)
      if (draft.builder.origin.kind === "parameter") routeFunctions.add(draft.builder.origin.fn);
    const effects = new Map<RouteFunction, Array<{ position: number; call: SyntaxNode }>>();
    const functions = new Map<string, RouteFunction[]>();
    const { root, text } = this.#file;
    for (const identifier of identifiersMatching(root, text, AUTHORIZING_CONVENTIONS)) {
      const found = callNamedBy(identifier);
      let inner = found?.receiver ? unwrapParentheses(found.receiver) : null;
      for (let guard = 0; inner?.type === "invocation_expression" && guard < 256; guard++) {
        if (!this.#configures(calledName(inner))) break;
        inner = unwrapParentheses(receiverOf(inner));
      }
      if (!found || inner?.type !== "identifier") continue;
      const builder = this.#evaluate(inner);
      if (builder.origin.kind !== "parameter" || builder.steps.length !== 1) continue;
      const { fn, parameter } = builder.origin;
      if (routeFunctions.has(fn)) continue;
      const list = effects.get(fn) ?? [];
      list.push({ position: parameter.position, call: found.invocation });
      effects.set(fn, list);
      const named = functions.get(fn.name) ?? [];
      if (!named.includes(fn)) named.push(fn);
      functions.set(fn.name, named);
    }
    // The call names the protection: `.RequireStaff()` where the caller writes it.
    for (const { fn, invocation, passed } of this.#callsOf(functions)) {
      for (const { position, call } of effects.get(fn) ?? []) {
        const value = passed[position];
        const step = value ? this.#evaluate(value).steps.at(-1) : undefined;
        if (!step) continue;
        const source = step.kind === "endpoint" ? "route" : "router";
        const effect = conventionEffect(this.#ctx, call, source);
        const name = conventionText(invocation);
        const nameNode = calledNameNode(invocation);
        const loc = { start: nodeLoc(nameNode ?? invocation).start, end: nodeLoc(invocation).end };
        if (effect && "protection" in effect) step.layer.protections.push({ ...effect.protection, name, loc });
        else if (effect) step.layer.anonymous.push({ ...effect.anonymous, name, loc });
      }
    }
  }

  /**
   * A call of a function of this file that returns the builder it is given
   * (`AllowPartners(group)` ending in `return group;`): the builder passed to it.
   */
  #returnedArgument(call: SyntaxNode, depth: number): Builder {
    const name = calledName(call);
    const declared = [
      ...(this.#methods().byName.get(name) ?? []).map((m) => m.node),
      ...(this.#topLevel().has(name) ? [this.#topLevel().get(name)!] : []),
    ];
    if (declared.length === 0 || declared.length > 8) return ROOT;
    const target = callTarget(
      call,
      receiverOf(call),
      declared.map((node) => this.#routeFunction(node)),
    );
    const position = target ? this.#returnedParameter(target.fn) : undefined;
    const value = position === undefined ? undefined : target?.passed[position];
    return value ? this.#evaluate(value, depth + 1) : ROOT;
  }

  /** The position of the parameter a function returns as it is, if it does. */
  #returnedParameter(fn: RouteFunction): number | undefined {
    if (this.#returnedParameters.has(fn.key)) return this.#returnedParameters.get(fn.key) ?? undefined;
    let position: number | undefined;
    for (const value of this.#returnValues(fn)) {
      if (value.type !== "identifier") continue;
      const parameter = parametersOf(fn.node).find((p) => p.name === value.text);
      if (parameter) position = parameter.position;
    }
    this.#returnedParameters.set(fn.key, position ?? null);
    return position;
  }

  /** The key of the builder a route function returns, if it returns one. */
  #returnedKey(fn: RouteFunction): StepKey | undefined {
    for (const value of this.#returnValues(fn)) {
      const key = this.#evaluate(value).steps.at(-1)?.key;
      if (key) return key;
    }
    return undefined;
  }

  /** The expressions a function returns: its expression body, or its own `return` statements. */
  #returnValues(fn: RouteFunction): SyntaxNode[] {
    const body = field(fn.node, "body");
    const values: SyntaxNode[] = [];
    if (body?.type === "arrow_expression_clause") {
      if (body.firstNamedChild) values.push(body.firstNamedChild);
    } else if (body) {
      const { text } = this.#file;
      const pattern = /\breturn\b/g;
      pattern.lastIndex = body.startIndex;
      for (let match = pattern.exec(text); match && match.index < body.endIndex; match = pattern.exec(text)) {
        const statement = body.descendantForIndex(match.index, match.index + 6)?.parent;
        if (statement?.type !== "return_statement" || !statement.firstNamedChild) continue;
        if (!same(enclosingFunction(statement), fn.node)) continue;
        values.push(statement.firstNamedChild);
      }
    }
    return values;
  }

  // ------------------------------------------------------------ results

  #finish(sites: Map<number, CallSite[]>): Analysis {
    const endpoints: Endpoint[] = [];
    const groupCalls: RouteGroupCall[] = [];
    const returned = new Map<number, StepKey | undefined>();
    const returnedKey = (fn: RouteFunction) => {
      if (!returned.has(fn.key)) returned.set(fn.key, this.#returnedKey(fn));
      return returned.get(fn.key);
    };
    const queue = [...this.#drafts];
    let produced = queue.length;
    for (let next = 0; next < queue.length; next++) {
      checkAnalysisClock();
      const draft = queue[next];
      const origin = draft.builder.origin;
      const callers = origin.kind === "parameter" ? sites.get(origin.fn.key) : undefined;
      if (origin.kind === "parameter" && callers && draft.depth < MAX_CALL_DEPTH && produced < MAX_DRAFTS) {
        const returnedStep = returnedKey(origin.fn);
        const isReturned = returnedStep !== undefined && draft.builder.steps.some((s) => s.key === returnedStep);
        for (const site of callers) {
          const caller = site.argument(origin.parameter.position);
          const steps = [...caller.steps, ...draft.builder.steps];
          if (isReturned) steps.push({ key: "", kind: "result", prefix: "", layer: site.result });
          queue.push({ ...draft, builder: { origin: caller.origin, steps }, depth: draft.depth + 1 });
          produced++;
        }
        continue;
      }
      const registeredOn =
        origin.kind === "parameter"
          ? this.#registeredOn(origin.fn, origin.parameter, draft, returnedKey(origin.fn))
          : undefined;
      if (draft.endpoint) endpoints.push(this.#endpoint(draft.builder, draft.endpoint, registeredOn));
      else if (draft.groupCall) groupCalls.push(groupCallOf(draft.builder, draft.groupCall, registeredOn));
    }
    endpoints.sort((a, b) => a.loc.start.line - b.loc.start.line || a.loc.start.column - b.loc.start.column);
    return { endpoints, groupCalls };
  }

  #registeredOn(
    fn: RouteFunction,
    parameter: ParameterInfo,
    draft: Draft,
    returnedStep: StepKey | undefined,
  ): RouteBuilderParameter {
    return {
      function: fn.display,
      name: fn.name,
      parameter: parameter.name,
      position: parameter.position,
      returned: returnedStep !== undefined && draft.builder.steps.some((s) => s.key === returnedStep),
    };
  }

  #endpoint(builder: Builder, seed: EndpointSeed, registeredOn: RouteBuilderParameter | undefined): Endpoint {
    const own = attributeRequirements(seed.handler.attributes, "route", this.#file.classifier);
    const requirements = { protections: [] as Protection[], anonymous: [] as AnonymousMarker[] };
    mergeRequirements(requirements, own);
    for (let i = builder.steps.length - 1; i >= 0; i--) mergeRequirements(requirements, builder.steps[i].layer);
    const path = normalisePath([...builder.steps.map((s) => s.prefix), seed.template].join("/"));
    const endpoint: Endpoint = {
      framework: minimalApis.id,
      vocabulary: MINIMAL_APIS,
      methods: seed.methods,
      route: routePath(path),
      path,
      handler: seed.handler.name,
      loc: seed.loc,
      protections: [...requirements.protections],
      anonymous: [...requirements.anonymous],
      dataOperations: [...seed.handler.reached().operations],
    };
    const calls = seed.handler.reached().calls;
    if (calls.length > 0) endpoint.calls = [...calls];
    if (registeredOn) endpoint.registeredOn = registeredOn;
    if (seed.handler.checks) withChecks(endpoint, seed.handler.checks());
    if (seed.handler.audits) recordAudits(endpoint, seed.handler.audits);
    if (endpoint.protections.length === 0 && endpoint.anonymous.length === 0)
      endpoint.authFixes = [(seed.authFix ??= requireAuthorizationFix(this.#file, seed.call))];
    return endpoint;
  }
}

/**
 * Which of `candidates` a call calls, and the expressions it passes by parameter position:
 * `group.MapOrders()` passes the group as the `this` parameter, `OrdersEndpoints.MapOrders(group)`
 * and `MapOrders(group)` as the first argument.
 */
function callTarget(
  invocation: SyntaxNode,
  receiver: SyntaxNode | null,
  candidates: readonly RouteFunction[],
): { fn: RouteFunction; passed: SyntaxNode[] } | undefined {
  const receiverName = receiver ? simpleName(receiver) : undefined;
  const fn =
    candidates.find((f) => receiverName !== undefined && f.owner === receiverName) ??
    candidates.find((f) => f.isExtension === (receiver !== null)) ??
    candidates[0];
  if (!fn) return undefined;
  const staticForm = receiver === null || receiverName === fn.owner;
  const args = argumentsOf(invocation)
    .map((a) => argumentValue(a))
    .filter((v): v is SyntaxNode => v !== null);
  return { fn, passed: fn.isExtension && !staticForm && receiver ? [receiver, ...args] : args };
}

function groupCallOf(
  builder: Builder,
  seed: GroupCallSeed,
  registeredOn: RouteBuilderParameter | undefined,
): RouteGroupCall {
  const protections: Protection[] = [];
  const anonymous: AnonymousMarker[] = [];
  for (const step of builder.steps) {
    protections.push(...step.layer.protections);
    anonymous.push(...step.layer.anonymous);
  }
  const prefix = normalisePath(builder.steps.map((s) => s.prefix).join("/"));
  const call: RouteGroupCall = {
    name: seed.name,
    position: seed.position,
    prefix: routePath(prefix),
    protections,
    anonymous,
    resultProtections: [...seed.result.protections],
    resultAnonymous: [...seed.result.anonymous],
    loc: seed.loc,
  };
  if (registeredOn) call.registeredOn = registeredOn;
  return call;
}

function parameterKey(fn: RouteFunction, parameter: ParameterInfo): StepKey {
  return `${fn.key}#${parameter.position}`;
}

/** Invocations whose method name matches `names` (a global pattern of whole words). */
function* callsNamed(root: SyntaxNode, text: string, names: RegExp): Generator<SyntaxNode> {
  for (const identifier of identifiersMatching(root, text, names)) {
    const found = callNamedBy(identifier);
    if (found?.receiver) yield found.invocation;
  }
}

/** `new[] { "POST", HttpMethods.Put }`, `["GET", "HEAD"]`, `new List<string> { … }`: the methods, or ANY when unknown. */
function httpMethods(argument: SyntaxNode | undefined): HttpMethod[] {
  const value = argument ? unwrapParentheses(argumentValue(argument)) : null;
  const methods: HttpMethod[] = [];
  const elements: SyntaxNode[] = [];
  const stack = value ? [value] : [];
  for (let guard = 0; stack.length > 0 && guard < 256; guard++) {
    const node = stack.pop()!;
    if (node.type === "string_literal" || node.type === "member_access_expression") elements.push(node);
    else if (node.type !== "lambda_expression") for (const child of node.namedChildren) stack.push(child);
  }
  for (const element of elements.reverse()) {
    const text = (stringLiteralValue(element) ?? simpleName(element)).toUpperCase();
    if (KNOWN_METHODS.has(text) && !methods.includes(text as HttpMethod)) methods.push(text as HttpMethod);
  }
  return methods.length > 0 ? methods : ["ANY"];
}

function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/** Typed parameters of a handler, for judging data-layer receivers by their type. */
function parameterTypes(fn: SyntaxNode): Map<string, string> {
  const types = new Map<string, string>();
  for (const parameter of parametersOf(fn)) if (parameter.type) types.set(parameter.name, parameter.type);
  return types;
}
