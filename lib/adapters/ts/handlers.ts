/**
 * Following a route handler to the functions that implement it in the same file, for
 * its display name and for the data-layer calls it makes, with what AP103 needs of each
 * (concerns/record-access.ts) when the framework says what its handlers receive.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import type { CallTarget, DataOperation, ExternalCall } from "../../core/model.js";
import { resolveSettings, type ResolvedSettings } from "../../core/settings.js";
import {
  isClass,
  isFunction,
  memberPath,
  propertyName,
  sourceText,
  typeAnnotationName,
  unwrap,
  unwrapAwait,
  type ClassNode,
  type FunctionNode,
  type Node,
} from "./ast.js";
import type { DataLayer } from "./concerns/data-layer.js";
import { RecordAccess, type SameFileCallee } from "./concerns/record-access.js";
import type { RequestBinding } from "./concerns/value-origins.js";
import type { FileFacts } from "./facts.js";

const MAX_DEPTH = 6;
/** How many calls deep a handler is followed into helpers of the same file (`saveOrder(req.body)`). */
const MAX_HELPER_DEPTH = 2;

/** The member name under which a file's summary lists the function an exported factory returns (`retrieveBasket()`). */
export const FACTORY_RESULT = "()";

export class Handlers {
  private records: RecordAccess | undefined;

  constructor(
    private readonly facts: FileFacts,
    private readonly data: DataLayer,
    private readonly settings: ResolvedSettings = resolveSettings(undefined),
    /** A framework's own reads of the caller (Next.js `await auth()`), for AP103. */
    private readonly principalCall?: (call: TSESTree.CallExpression, scope: Node) => string | undefined,
  ) {}

  /** `createOrder`, `ordersController.create`, `OrdersController.create`; undefined for an inline anonymous function. */
  nameOf(expr: Node, cls: ClassNode | undefined): string | undefined {
    let node = unwrap(expr);
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      switch (node.type) {
        case T.Identifier:
          return node.name;
        case T.FunctionExpression:
          return node.id?.name;
        case T.ArrowFunctionExpression:
          return undefined;
        case T.MemberExpression: {
          const object = unwrap(node.object);
          const prop = propertyName(node);
          if (object.type === T.ThisExpression && cls?.id && prop !== undefined) return `${cls.id.name}.${prop}`;
          return memberPath(node) ?? sourceText(this.facts.text, node);
        }
        case T.CallExpression: {
          const callee = unwrap(node.callee);
          // `controller.create.bind(controller)`
          if (callee.type === T.MemberExpression && propertyName(callee) === "bind") {
            node = unwrap(callee.object);
            continue;
          }
          // `asyncHandler(createOrder)`, `catchAsync(async (req, res) => …)`, `wrap(orderRoutes.create())`
          const wrapped = node.arguments
            .map((a) => unwrap(a))
            .find((a) => isFunction(a) || (isWrapper(callee) && a.type !== T.SpreadElement));
          if (wrapped) {
            node = wrapped;
            continue;
          }
          // `login()`, `passport.authenticate("local")`: the factory names the handler.
          return memberPath(callee);
        }
        default:
          return undefined;
      }
    }
    return undefined;
  }

  /** The same-file functions a handler expression stands for. */
  functionsOf(expr: Node, scope: Node, cls: ClassNode | undefined, depth = 0): FunctionNode[] {
    if (depth > MAX_DEPTH) return [];
    const node = unwrap(expr);
    if (isFunction(node)) return [node];
    switch (node.type) {
      case T.Identifier: {
        const b = this.facts.resolve(node.name, scope);
        if (b?.kind === "function" && isFunction(b.node)) return [b.node];
        if (b?.kind === "var" && b.init) return this.functionsOf(b.init, b.scope, cls, depth + 1);
        return [];
      }
      case T.MemberExpression:
        return this.memberFunctions(node, scope, cls, depth);
      case T.CallExpression: {
        const callee = unwrap(node.callee);
        if (callee.type === T.MemberExpression && propertyName(callee) === "bind")
          return this.functionsOf(callee.object, scope, cls, depth + 1);
        for (const arg of node.arguments) {
          const a = unwrap(arg);
          if (!isHandlerLike(a)) continue;
          const found = this.functionsOf(a, scope, cls, depth + 1);
          if (found.length > 0) return found;
        }
        return [];
      }
      default:
        return [];
    }
  }

  /** `controller.create` (object literal), `Controller.create` / `new Controller().create` (class), `this.create`. */
  private memberFunctions(
    node: TSESTree.MemberExpression,
    scope: Node,
    cls: ClassNode | undefined,
    depth: number,
  ): FunctionNode[] {
    const prop = propertyName(node);
    if (prop === undefined) return [];
    const object = unwrap(node.object);
    if (object.type === T.ThisExpression) return cls ? this.classMethod(cls, prop) : [];
    if (object.type !== T.Identifier) return [];
    const b = this.facts.resolve(object.name, scope);
    if (!b) return [];
    if (b.kind === "class" && isClass(b.node)) return this.classMethod(b.node, prop);
    if (b.kind !== "var" || !b.init) return [];
    const init = unwrapAwait(b.init);
    if (init.type === T.ObjectExpression) {
      const property = this.facts.objectProperty(init, prop);
      return property ? this.functionsOf(property.value, b.scope, cls, depth + 1) : [];
    }
    if (isClass(init)) return this.classMethod(init, prop);
    if (init.type === T.NewExpression) {
      const ctor = unwrap(init.callee);
      if (ctor.type !== T.Identifier) return [];
      const c = this.facts.resolve(ctor.name, b.scope);
      if (c?.kind === "class" && isClass(c.node)) return this.classMethod(c.node, prop);
      if (c?.kind === "var" && c.init && isClass(unwrap(c.init)))
        return this.classMethod(unwrap(c.init) as ClassNode, prop);
    }
    return [];
  }

  private classMethod(cls: ClassNode, name: string): FunctionNode[] {
    for (const member of this.facts.classMembers(cls, name)) {
      const value = member.type === T.AssignmentExpression ? member.right : member.value;
      if (value && isFunction(unwrap(value))) return [unwrap(value) as FunctionNode];
    }
    return [];
  }

  private readonly operationsByFunction = new Map<FunctionNode, DataOperation[]>();

  /**
   * Data-layer calls inside the functions, and inside same-file helpers they call (two calls
   * deep). With the framework's `binding`, each carries its entity, selection, ownership checks
   * and call path, followed from the handlers `roots` (default: the functions).
   */
  dataOperations(
    functions: readonly FunctionNode[],
    binding?: RequestBinding,
    roots: readonly FunctionNode[] = functions,
  ): DataOperation[] {
    const ops = this.baseOperations(functions);
    return binding ? this.enrich(roots, ops, binding) : ops;
  }

  /** `ops` of handlers `roots` with what AP103 needs of each (concerns/record-access.ts). */
  enrich(roots: readonly FunctionNode[], ops: readonly DataOperation[], binding: RequestBinding): DataOperation[] {
    if (ops.length === 0) return [...ops];
    return this.recordAccess().enrich(roots, ops, binding);
  }

  /** What a function does with records in its own terms, with `parameter` origins for what its callers pass. */
  recordAccessOf(fn: FunctionNode): DataOperation[] {
    return this.recordAccess().describe(fn);
  }

  /** The handlers' calls to functions of other files, for the project index to follow (AP103). */
  externalCalls(roots: readonly FunctionNode[], binding: RequestBinding): ExternalCall[] {
    return this.recordAccess().externalCalls(roots, binding);
  }

  /** `{ calls }` for an endpoint whose handlers `roots` call functions of other files; `{}` otherwise. */
  callsOf(roots: readonly FunctionNode[], binding: RequestBinding | undefined): { calls?: ExternalCall[] } {
    if (!binding || roots.length === 0) return {};
    const calls = this.externalCalls(roots, binding);
    return calls.length > 0 ? { calls } : {};
  }

  /**
   * `{ calls }` for a route whose handler is declared in another file
   * (`router.get("/:id", auth(), noteController.getNote)`): the project index runs it with
   * the framework's request, as data. `{}` when the handler is not an import or the
   * framework's request has no such shape.
   */
  importedHandlerCall(
    expr: Node,
    scope: Node,
    binding: RequestBinding,
    loc: ExternalCall["loc"],
  ): { calls?: ExternalCall[] } {
    if (!binding.request) return {};
    let node = unwrap(expr);
    let factory = false;
    // `catchAsync(noteController.getNote)`: a wrapper passes the handler through.
    for (let i = 0; i < MAX_DEPTH && node.type === T.CallExpression; i++) {
      const callee = unwrap(node.callee);
      const passed = node.arguments
        .map((a) => unwrap(a))
        .find((a) => a.type === T.Identifier || a.type === T.MemberExpression || a.type === T.CallExpression);
      if (isWrapper(callee) && passed) {
        node = passed;
        continue;
      }
      // `retrieveBasket()`: a factory of another file makes the handler.
      if (node.arguments.some((a) => isFunction(unwrap(a)))) return {};
      node = callee;
      factory = true;
      break;
    }
    const found = this.importedValue(node, scope);
    if (!found) return {};
    let target = found.target;
    if (factory) {
      if (!("module" in target) || target.member !== undefined) return {};
      target = { ...target, member: FACTORY_RESULT };
    }
    return {
      calls: [{ target, args: [{ kind: "request", ...binding.request }], function: found.name, loc }],
    };
  }

  /** The export of another module an expression names: `getNote`, `noteController.getNote`, `controllers.notes.get`. */
  private importedValue(node: Node, scope: Node): { target: CallTarget; name: string } | undefined {
    if (node.type === T.Identifier) {
      const b = this.facts.resolve(node.name, scope);
      if (b?.kind !== "import" || b.source === undefined || b.imported === "*") return undefined;
      return { target: { module: b.source, export: b.imported ?? "default" }, name: node.name };
    }
    if (node.type !== T.MemberExpression) return undefined;
    const member = propertyName(node);
    const object = unwrap(node.object);
    if (member === undefined || object.type !== T.Identifier) return undefined;
    const b = this.facts.resolve(object.name, scope);
    if (b?.kind !== "import" || b.source === undefined) return undefined;
    const name = `${object.name}.${member}`;
    if (b.imported === "*") return { target: { module: b.source, export: member }, name };
    return { target: { module: b.source, export: b.imported ?? "default", member }, name };
  }

  /** The record flow of a function other files call, for the file's summary. */
  flowOf(fn: FunctionNode): ReturnType<RecordAccess["flow"]> {
    return this.recordAccess().flow(fn);
  }

  private recordAccess(): RecordAccess {
    this.records ??= new RecordAccess(
      this.facts,
      this.data,
      this.settings,
      (call, scope) => this.sameFileCallee(call, scope),
      this.principalCall,
      (call, scope) => this.externalCallee(call, scope),
    );
    return this.records;
  }

  private baseOperations(functions: readonly FunctionNode[]): DataOperation[] {
    // One controller method often serves several routes.
    if (functions.length !== 1) return this.collectOperations(functions);
    const fn = functions[0];
    let ops = this.operationsByFunction.get(fn);
    if (!ops) this.operationsByFunction.set(fn, (ops = this.collectOperations(functions)));
    return [...ops];
  }

  /**
   * The same-file function a call runs, with its name: a local function (`deleteInvoice(id)`),
   * a method of the class around the call (`this.load(id)`), a method of a same-file service it
   * holds (`this.invoicesService.remove(id)`), or of a same-file object or class (`invoices.remove(id)`).
   */
  sameFileCallee(call: TSESTree.CallExpression, scope: Node): SameFileCallee | undefined {
    const callee = unwrap(call.callee);
    const cls = this.classAround(call);
    if (callee.type === T.Identifier) {
      const [fn] = this.functionsOf(callee, scope, cls, MAX_DEPTH - 1);
      return fn ? { fn, name: callee.name } : undefined;
    }
    if (callee.type !== T.MemberExpression) return undefined;
    const method = propertyName(callee);
    if (method === undefined) return undefined;
    const object = unwrap(callee.object);
    if (object.type === T.ThisExpression) {
      const [fn] = cls ? this.classMethod(cls, method) : [];
      return fn ? { fn, name: cls?.id ? `${cls.id.name}.${method}` : method } : undefined;
    }
    if (object.type === T.MemberExpression && unwrap(object.object).type === T.ThisExpression && cls) {
      const field = propertyName(object);
      const service = field === undefined ? undefined : this.injectedClass(cls, field);
      const [fn] = service ? this.classMethod(service, method) : [];
      return fn ? { fn, name: service?.id ? `${service.id.name}.${method}` : `${field}.${method}` } : undefined;
    }
    if (object.type !== T.Identifier) return undefined;
    const [fn] = this.memberFunctions(callee, scope, cls, MAX_DEPTH - 1);
    return fn ? { fn, name: memberPath(callee) ?? method } : undefined;
  }

  /**
   * The function of another project file a call runs, as its import names it: an imported
   * function (`deleteInvoice(id)`), a method of an imported object, namespace or class
   * instance (`invoiceService.remove(id)`, `new InvoiceRepository().remove(id)`), or of a
   * service the class holds, typed with an imported class (`this.invoicesService.remove(id)`).
   * Package imports are named too; the project index finds no file for them.
   */
  externalCallee(call: TSESTree.CallExpression, scope: Node): { target: CallTarget; name: string } | undefined {
    const callee = unwrap(call.callee);
    const imported = this.importedValue(callee, scope);
    if (imported || callee.type !== T.MemberExpression) return imported;
    const method = propertyName(callee);
    if (method === undefined) return undefined;
    const object = unwrap(callee.object);
    if (object.type === T.Identifier) {
      // `const invoices = new InvoiceRepository()`: a method of an instance of an imported class.
      const b = this.facts.resolve(object.name, scope);
      if (b?.kind !== "var" || !b.init) return undefined;
      const init = unwrapAwait(b.init);
      if (init.type !== T.NewExpression) return undefined;
      const ctor = unwrap(init.callee);
      const c = ctor.type === T.Identifier ? this.facts.resolve(ctor.name, b.scope) : undefined;
      if (c?.kind !== "import" || c.source === undefined || c.imported === "*") return undefined;
      return {
        target: { module: c.source, export: c.imported ?? "default", member: method },
        name: `${object.name}.${method}`,
      };
    }
    if (object.type === T.MemberExpression && unwrap(object.object).type === T.ThisExpression) {
      const cls = this.classAround(call);
      const field = propertyName(object);
      if (!cls || field === undefined) return undefined;
      const service = this.injectedImport(cls, field);
      if (!service) return undefined;
      return {
        target: { module: service.module, export: service.export, member: method },
        name: `${service.type}.${method}`,
      };
    }
    return undefined;
  }

  /** The imported class a constructor parameter property or field of `cls` is typed as. */
  private injectedImport(cls: ClassNode, field: string): { module: string; export: string; type: string } | undefined {
    const scope = this.facts.scopeOfClass(cls);
    for (const node of this.typedMembers(cls, field)) {
      const type = typeAnnotationName(node)?.path;
      if (type === undefined || type.includes(".")) continue;
      const binding = this.facts.resolve(type, scope);
      if (binding?.kind === "import" && binding.source !== undefined && binding.imported !== "*")
        return { module: binding.source, export: binding.imported ?? "default", type };
    }
    return undefined;
  }

  private typedMembers(cls: ClassNode, field: string): Node[] {
    const typed: Node[] = [];
    for (const member of this.facts.classMembers(cls, "constructor")) {
      if (member.type !== T.MethodDefinition) continue;
      for (const param of member.value.params)
        if (
          param.type === T.TSParameterProperty &&
          param.parameter.type === T.Identifier &&
          param.parameter.name === field
        )
          typed.push(param);
    }
    for (const member of this.facts.classMembers(cls, field))
      if (member.type === T.PropertyDefinition) typed.push(member);
    return typed;
  }

  private classRanges: ClassNode[] | undefined;

  /** The innermost class around a node. */
  classAround(node: Node): ClassNode | undefined {
    this.classRanges ??= [
      ...(this.facts.collected.get(T.ClassDeclaration) ?? []),
      ...(this.facts.collected.get(T.ClassExpression) ?? []),
    ]
      .map((c) => c.node as ClassNode)
      .sort((a, b) => a.range[0] - b.range[0]);
    let found: ClassNode | undefined;
    for (const cls of this.classRanges) {
      if (cls.range[0] > node.range[0]) break;
      if (node.range[1] <= cls.range[1]) found = cls;
    }
    return found;
  }

  private readonly injected = new Map<ClassNode, Map<string, ClassNode | null>>();

  /** The same-file class a constructor parameter property or field of `cls` is typed as (`constructor(private invoicesService: InvoicesService)`). */
  injectedClass(cls: ClassNode, field: string): ClassNode | undefined {
    let byField = this.injected.get(cls);
    if (!byField) this.injected.set(cls, (byField = new Map<string, ClassNode | null>()));
    let found = byField.get(field);
    if (found === undefined) {
      found = this.findInjectedClass(cls, field) ?? null;
      byField.set(field, found);
    }
    return found ?? undefined;
  }

  private findInjectedClass(cls: ClassNode, field: string): ClassNode | undefined {
    const scope = this.facts.scopeOfClass(cls);
    for (const node of this.typedMembers(cls, field)) {
      const type = typeAnnotationName(node)?.path;
      if (type === undefined || type.includes(".")) continue;
      const binding = this.facts.resolve(type, scope);
      if (binding?.kind === "class" && isClass(binding.node) && binding.node !== cls) return binding.node;
    }
    return undefined;
  }

  private collectOperations(functions: readonly FunctionNode[]): DataOperation[] {
    const ops: DataOperation[] = [];
    const seen = new Set<Node>();
    const queue = functions.map((fn) => ({ fn, depth: 0 }));
    while (queue.length > 0) {
      const { fn, depth } = queue.pop()!;
      if (seen.has(fn)) continue;
      seen.add(fn);
      for (const site of this.facts.sitesWithin(this.facts.dataCalls, fn)) {
        if (seen.has(site.call)) continue;
        seen.add(site.call);
        const op = this.data.classify(site);
        if (op) ops.push(op);
      }
      if (depth >= MAX_HELPER_DEPTH) continue;
      for (const site of this.facts.sitesWithin(this.facts.localCalls, fn)) {
        const callee = site.call.callee as TSESTree.Identifier;
        const b = this.facts.resolve(callee.name, site.scope);
        const helper =
          b?.kind === "function" && isFunction(b.node)
            ? b.node
            : b?.kind === "var" && b.init && isFunction(unwrap(b.init))
              ? (unwrap(b.init) as FunctionNode)
              : undefined;
        if (helper && !seen.has(helper)) queue.push({ fn: helper, depth: depth + 1 });
      }
    }
    return ops.sort((a, b) => a.loc.start.line - b.loc.start.line || a.loc.start.column - b.loc.start.column);
  }
}

/** `asyncHandler`, `catchAsync`, `wrapAsync`, `tryCatch`, `handleErrors`, `safe`: wrappers that pass a handler through. */
function isWrapper(callee: Node): boolean {
  const name =
    callee.type === T.Identifier ? callee.name : callee.type === T.MemberExpression ? propertyName(callee) : undefined;
  return name !== undefined && /async|catch|wrap|handler|errors?$|^safe|^try/i.test(name);
}

function isHandlerLike(node: Node): boolean {
  return isFunction(node) || node.type === T.Identifier || node.type === T.MemberExpression;
}
