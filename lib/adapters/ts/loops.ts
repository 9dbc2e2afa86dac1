/**
 * The values a loop variable takes when the file tells them: a call made in the body of
 * `list.forEach((item) => …)`, `list.map(…)` or `for (const item of list)` runs once per
 * element of `list`, and when `list` is an array the file writes out (a constant, arrays
 * spread into it, both branches of a conditional, `concat`, `push` onto it, `Object.entries`,
 * `Object.keys` or `Object.values` of an object literal), each run sees the loop variable
 * bound to one element. Route tables mounted in a loop
 * (`defaultRoutes.forEach((route) => router.use(route.path, route.route))`) are read this way.
 *
 * An element is kept whatever condition guards it: `isDev && { … }` or a loop under
 * `if (config.env === "development")` still mounts its routes in some deployment.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import { isFunction, propertyName, staticString, unwrap, type FunctionNode, type Node } from "./ast.js";
import type { CallSite, FileFacts } from "./facts.js";

/** What a loop variable (or a part of it) stands for in one run of the loop. */
export type LoopValue =
  | { node: Node; scope: Node }
  /** A key of `Object.entries(…)` / `Object.keys(…)`. */
  | { text: string }
  /** An entry of `Object.entries(…)`: `[key, value]`. */
  | { pair: readonly [LoopValue, LoopValue] };

/** One run of the loops around a call: what each loop variable's name stands for. */
export type Iteration = ReadonlyMap<string, LoopValue>;

/** Runs looked at per call: loops over loops multiply, and a route table longer than this is rare. */
const MAX_ITERATIONS = 64;
/** Loops around one call, and constants, spreads and members followed. */
const MAX_DEPTH = 8;
/** Array methods that call their callback once per element. */
const EACH = new Set(["forEach", "map", "flatMap"]);
/** Array methods whose result holds elements of the array they are called on. */
const SUBSET = new Set(["filter", "slice", "reverse", "sort", "toSorted", "toReversed"]);

interface Frame {
  /** What binds the loop variable: the callback's first parameter, or the `for … of` declaration's pattern. */
  pattern: Node;
  /** The iterated expression and the scope it is evaluated in. */
  list: Node;
  scope: Node;
}

export class LoopValues {
  private callbacks: Map<Node, { call: TSESTree.CallExpression; scope: Node }> | undefined;
  private forOfs: Map<Node, TSESTree.ForOfStatement[]> | undefined;
  private pushes: Map<unknown, { args: Node[]; scope: Node }[]> | undefined;

  constructor(private readonly facts: FileFacts) {}

  /**
   * The runs of the loops around a call whose lists the file tells, outer loops first;
   * undefined when the call is in no such loop.
   */
  iterations(site: CallSite): Iteration[] | undefined {
    const frames = this.framesAround(site);
    if (frames.length === 0) return undefined;
    let runs = [new Map<string, LoopValue>()];
    let known = false;
    for (const frame of frames) {
      const elements = this.elementsOf(frame.list, frame.scope, 0);
      if (!elements) continue;
      known = true;
      const next: Map<string, LoopValue>[] = [];
      for (const run of runs) {
        for (const element of elements) {
          if (next.length >= MAX_ITERATIONS) break;
          const bound = new Map(run);
          this.bind(frame.pattern, element, bound, 0);
          next.push(bound);
        }
      }
      runs = next;
    }
    return known ? runs : undefined;
  }

  /** What an expression stands for in a run: a loop variable, or a member of one (`route.path`, `entry[1]`, `routes[key]`). */
  valueOf(expr: Node, scope: Node, run: Iteration, depth = 0): LoopValue | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const n = unwrap(expr);
    if (n.type === T.Identifier) return run.get(n.name);
    if (n.type !== T.MemberExpression) return undefined;
    let key: string | number | undefined = n.computed ? undefined : propertyName(n);
    if (n.computed) {
      const property = unwrap(n.property);
      if (property.type === T.Literal && typeof property.value === "number") key = property.value;
      else key = staticString(property) ?? textOf(this.valueOf(property, scope, run, depth + 1));
    }
    if (key === undefined) return undefined;
    const base = this.valueOf(n.object, scope, run, depth + 1) ?? (n.computed ? { node: n.object, scope } : undefined);
    return base ? this.member(base, key, 0) : undefined;
  }

  /** Does the expression read a loop variable of the run (`route.path`, `` `/api${route.path}` ``)? */
  mentions(expr: Node, run: Iteration, depth = 0): boolean {
    if (depth > MAX_DEPTH) return false;
    let n = unwrap(expr);
    if (n.type === T.SpreadElement) n = unwrap(n.argument);
    if (n.type === T.TemplateLiteral) return n.expressions.some((e) => this.mentions(e, run, depth + 1));
    if (n.type === T.BinaryExpression)
      return (
        n.left.type !== T.PrivateIdentifier &&
        (this.mentions(n.left, run, depth + 1) || this.mentions(n.right, run, depth + 1))
      );
    while (n.type === T.MemberExpression) {
      if (n.computed && this.mentions(n.property, run, depth + 1)) return true;
      n = unwrap(n.object);
    }
    return n.type === T.Identifier && run.has(n.name);
  }

  /**
   * The string an expression evaluates to in a run: loop values, and templates or `+` of
   * them and of what `stringValue` (the library's own reading of constants) tells.
   */
  stringOf(
    expr: Node,
    scope: Node,
    run: Iteration,
    stringValue: (node: Node, scope: Node) => string | undefined,
    depth = 0,
  ): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const n = unwrap(expr);
    const value = this.valueOf(n, scope, run);
    if (value) return "text" in value ? value.text : "node" in value ? stringValue(value.node, value.scope) : undefined;
    if (n.type === T.TemplateLiteral) {
      let out = n.quasis[0]?.value.cooked ?? "";
      for (let i = 0; i < n.expressions.length; i++) {
        const part = this.stringOf(n.expressions[i], scope, run, stringValue, depth + 1);
        if (part === undefined) return undefined;
        out += part + (n.quasis[i + 1]?.value.cooked ?? "");
      }
      return out;
    }
    if (n.type === T.BinaryExpression && n.operator === "+") {
      const left = this.stringOf(n.left, scope, run, stringValue, depth + 1);
      const right = left === undefined ? undefined : this.stringOf(n.right, scope, run, stringValue, depth + 1);
      return right === undefined ? undefined : left! + right;
    }
    return stringValue(n, scope);
  }

  // -------------------------------------------------------------------------------
  // Loops around a call
  // -------------------------------------------------------------------------------

  /** The loops around a call, outer first: `for … of` statements of each function, and the `forEach` a callback is passed to. */
  private framesAround(site: CallSite): Frame[] {
    const frames: Frame[] = [];
    let scope = site.scope;
    let position = site.call.range[0];
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const statements = this.forOfsIn(scope).filter((s) => s.body.range[0] <= position && position < s.body.range[1]);
      // Inner statements start later: reversed, the innermost comes first, as the frames so far.
      for (const statement of statements.reverse()) {
        const declaration = statement.left;
        const pattern =
          declaration.type === T.VariableDeclaration ? declaration.declarations[0]?.id : (declaration as Node);
        if (pattern) frames.push({ pattern, list: statement.right, scope });
      }
      const callback = isFunction(scope) ? this.callbackCalls().get(scope) : undefined;
      const param = callback && (scope as FunctionNode).params[0];
      if (!callback || !param) break;
      frames.push({
        pattern: param,
        list: (callback.call.callee as TSESTree.MemberExpression).object,
        scope: callback.scope,
      });
      position = callback.call.range[0];
      scope = callback.scope;
    }
    return frames.reverse();
  }

  /** Callbacks passed inline to `forEach`/`map`, with the call they are passed to. */
  private callbackCalls(): Map<Node, { call: TSESTree.CallExpression; scope: Node }> {
    if (this.callbacks) return this.callbacks;
    this.callbacks = new Map();
    for (const { node, scope } of this.facts.collected.get(T.CallExpression) ?? []) {
      const call = node as TSESTree.CallExpression;
      const callee = unwrap(call.callee);
      if (callee.type !== T.MemberExpression || !EACH.has(propertyName(callee) ?? "")) continue;
      const callback = call.arguments[0] && unwrap(call.arguments[0]);
      if (callback && isFunction(callback)) this.callbacks.set(callback, { call, scope });
    }
    return this.callbacks;
  }

  /** The `for … of` statements directly in a function (or the program), in source order. */
  private forOfsIn(scope: Node): TSESTree.ForOfStatement[] {
    if (!this.forOfs) {
      this.forOfs = new Map();
      for (const { node, scope: around } of this.facts.collected.get(T.ForOfStatement) ?? []) {
        const list = this.forOfs.get(around) ?? [];
        list.push(node as TSESTree.ForOfStatement);
        this.forOfs.set(around, list);
      }
      for (const list of this.forOfs.values()) list.sort((a, b) => a.range[0] - b.range[0]);
    }
    return this.forOfs.get(scope) ?? [];
  }

  // -------------------------------------------------------------------------------
  // Lists and their elements
  // -------------------------------------------------------------------------------

  /** The elements of an iterated expression, when the file writes them out. */
  private elementsOf(expr: Node, scope: Node, depth: number): LoopValue[] | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const n = unwrap(expr);
    switch (n.type) {
      case T.Identifier: {
        const binding = this.facts.resolve(n.name, scope);
        if (binding?.kind !== "var" || !binding.init) return undefined;
        const elements = this.elementsOf(binding.init, binding.scope, depth + 1);
        if (!elements) return undefined;
        for (const push of this.pushesOnto(binding))
          for (const arg of push.args) elements.push(...this.spreadOrElement(arg, push.scope, depth + 1));
        return elements;
      }
      case T.ArrayExpression:
        return n.elements.flatMap((element) => (element ? this.spreadOrElement(element, scope, depth + 1) : []));
      case T.ConditionalExpression:
        return this.either([n.consequent, n.alternate], scope, depth);
      case T.LogicalExpression:
        return this.either([n.left, n.right], scope, depth);
      case T.CallExpression:
        return this.callElements(n, scope, depth);
      default:
        return undefined;
    }
  }

  /** The elements of each branch that the file tells, together; undefined when it tells none. */
  private either(branches: readonly Node[], scope: Node, depth: number): LoopValue[] | undefined {
    const known = branches.map((b) => this.elementsOf(b, scope, depth + 1)).filter((e) => e !== undefined);
    return known.length > 0 ? known.flat() : undefined;
  }

  /** `list.concat(more)`, `list.filter(…)`, `Object.entries(routes)`, `Object.keys(routes)`, `Object.values(routes)`. */
  private callElements(call: TSESTree.CallExpression, scope: Node, depth: number): LoopValue[] | undefined {
    const callee = unwrap(call.callee);
    if (callee.type !== T.MemberExpression) return undefined;
    const method = propertyName(callee);
    if (method === undefined) return undefined;
    const target = unwrap(callee.object);
    if (target.type === T.Identifier && target.name === "Object" && !this.facts.resolve("Object", scope)) {
      const argument = call.arguments[0];
      const entries = argument && this.entriesOf(argument, scope, depth + 1);
      if (!entries) return undefined;
      if (method === "entries") return entries.map((e) => ({ pair: [e.key, e.value] as const }));
      if (method === "keys") return entries.map((e) => e.key);
      if (method === "values") return entries.map((e) => e.value);
      return undefined;
    }
    if (method === "concat") {
      const elements = this.elementsOf(target, scope, depth + 1);
      if (!elements) return undefined;
      for (const arg of call.arguments) {
        const value = arg.type === T.SpreadElement ? undefined : unwrap(arg);
        const more = value && this.elementsOf(value, scope, depth + 1);
        if (more) elements.push(...more);
        else if (value && value.type === T.ObjectExpression) elements.push({ node: value, scope });
      }
      return elements;
    }
    return SUBSET.has(method) ? this.elementsOf(target, scope, depth + 1) : undefined;
  }

  /** An element of an array literal: `...more` spreads a list the file tells; `isDev && x` and `a ? x : y` keep what they may hold. */
  private spreadOrElement(element: Node, scope: Node, depth: number): LoopValue[] {
    if (depth > MAX_DEPTH) return [];
    if (element.type === T.SpreadElement) return this.elementsOf(element.argument, scope, depth + 1) ?? [];
    const n = unwrap(element);
    if (n.type === T.LogicalExpression && n.operator === "&&") return this.spreadOrElement(n.right, scope, depth + 1);
    if (n.type === T.ConditionalExpression)
      return [n.consequent, n.alternate].flatMap((branch) => this.spreadOrElement(branch, scope, depth + 1));
    if (n.type === T.Literal && (n.value === null || n.value === false)) return [];
    if (n.type === T.Identifier && n.name === "undefined") return [];
    return [{ node: n, scope }];
  }

  /** The keys and values of an object literal (or a constant holding one), spreads of such objects included. */
  private entriesOf(expr: Node, scope: Node, depth: number): { key: LoopValue; value: LoopValue }[] | undefined {
    const object = this.objectOf(expr, scope, depth);
    if (!object) return undefined;
    const entries: { key: LoopValue; value: LoopValue }[] = [];
    for (const property of object.node.properties) {
      if (property.type === T.SpreadElement) {
        entries.push(...(this.entriesOf(property.argument, object.scope, depth + 1) ?? []));
        continue;
      }
      const key = property.computed
        ? staticString(property.key)
        : property.key.type === T.Identifier
          ? property.key.name
          : staticString(property.key);
      if (key === undefined) continue;
      entries.push({ key: { text: key }, value: { node: property.value, scope: object.scope } });
    }
    return entries;
  }

  /** `push(…)` calls on the array a binding holds, anywhere in the file. */
  private pushesOnto(binding: unknown): { args: Node[]; scope: Node }[] {
    if (!this.pushes) {
      this.pushes = new Map();
      for (const { node, scope } of this.facts.collected.get(T.CallExpression) ?? []) {
        const call = node as TSESTree.CallExpression;
        const callee = unwrap(call.callee);
        if (callee.type !== T.MemberExpression || propertyName(callee) !== "push") continue;
        const target = unwrap(callee.object);
        if (target.type !== T.Identifier) continue;
        const resolved = this.facts.resolve(target.name, scope);
        if (!resolved) continue;
        const list = this.pushes.get(resolved) ?? [];
        list.push({ args: call.arguments, scope });
        this.pushes.set(resolved, list);
      }
    }
    return this.pushes.get(binding) ?? [];
  }

  // -------------------------------------------------------------------------------
  // Binding patterns and members
  // -------------------------------------------------------------------------------

  /** Binds the names of a loop variable's pattern (`route`, `{ path, route }`, `[path, router]`) to the parts of an element. */
  private bind(pattern: Node, value: LoopValue, into: Map<string, LoopValue>, depth: number): void {
    if (depth > MAX_DEPTH) return;
    switch (pattern.type) {
      case T.Identifier:
        into.set(pattern.name, value);
        return;
      case T.AssignmentPattern:
        this.bind(pattern.left, value, into, depth + 1);
        return;
      case T.ObjectPattern:
        for (const property of pattern.properties) {
          if (property.type !== T.Property) continue;
          const key = property.computed
            ? staticString(property.key)
            : property.key.type === T.Identifier
              ? property.key.name
              : staticString(property.key);
          const part = key === undefined ? undefined : this.member(value, key, 0);
          if (part) this.bind(property.value, part, into, depth + 1);
        }
        return;
      case T.ArrayPattern:
        pattern.elements.forEach((element, i) => {
          const part = element ? this.member(value, i, 0) : undefined;
          if (element && part) this.bind(element, part, into, depth + 1);
        });
        return;
      default:
        return;
    }
  }

  /** A property of an object element, an item of an array element or of an entry. */
  private member(value: LoopValue, key: string | number, depth: number): LoopValue | undefined {
    if ("pair" in value)
      return key === 0 || key === "0" ? value.pair[0] : key === 1 || key === "1" ? value.pair[1] : undefined;
    if ("text" in value) return undefined;
    let n = unwrap(value.node);
    let scope = value.scope;
    for (let d = depth; n.type === T.Identifier && d < MAX_DEPTH; d++) {
      const binding = this.facts.resolve(n.name, scope);
      if (binding?.kind !== "var" || !binding.init) return undefined;
      n = unwrap(binding.init);
      scope = binding.scope;
    }
    if (n.type === T.ObjectExpression) {
      const property = this.facts.objectProperty(n, String(key));
      return property ? { node: property.value, scope } : undefined;
    }
    if (n.type === T.ArrayExpression) {
      const index = typeof key === "number" ? key : /^\d+$/.test(key) ? Number(key) : -1;
      const element = n.elements[index];
      return element && element.type !== T.SpreadElement ? { node: element, scope } : undefined;
    }
    return undefined;
  }

  private objectOf(
    expr: Node,
    scope: Node,
    depth: number,
  ): { node: TSESTree.ObjectExpression; scope: Node } | undefined {
    let n = unwrap(expr);
    let s = scope;
    for (let d = depth; n.type === T.Identifier && d < MAX_DEPTH; d++) {
      const binding = this.facts.resolve(n.name, s);
      if (binding?.kind !== "var" || !binding.init) return undefined;
      n = unwrap(binding.init);
      s = binding.scope;
    }
    return n.type === T.ObjectExpression ? { node: n, scope: s } : undefined;
  }
}

/** The text of a loop value that is a key. */
function textOf(value: LoopValue | undefined): string | undefined {
  return value && "text" in value ? value.text : undefined;
}
