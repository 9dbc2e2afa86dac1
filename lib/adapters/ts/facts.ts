/**
 * The single walk over a file. It visits every node once, iteratively (an explicit stack
 * driven by the parser's visitor keys, so deep nesting cannot overflow the call stack),
 * and keeps only what the libraries and concerns ask about: calls by callee name, name
 * bindings per function scope, class members, module sources, the places where a
 * function answers 401/403, nodes of the types they name, and (for files that may need
 * them) every node's parent. Deciding happens afterwards; no pass walks the file again.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import { visitorKeys as tsVisitorKeys } from "@typescript-eslint/visitor-keys";
import {
  isClass,
  isFunction,
  paramName,
  propertyName,
  staticString,
  unwrap,
  unwrapAwait,
  type ClassNode,
  type Node,
} from "./ast.js";
import { lowerBound } from "../../core/adapter-utils.js";
import { requiredModule } from "./imports.js";

/** A name bound in a scope. Scopes are functions and the program: block scoping is not modelled. */
export interface Binding {
  kind: "var" | "param" | "function" | "class" | "import";
  name: string;
  /** VariableDeclarator, parameter, FunctionDeclaration, ClassDeclaration or import specifier. */
  node: Node;
  /** The initialiser of a variable. */
  init?: Node;
  /** The scope the binding lives in (a function or the Program). */
  scope: Node;
  /** Imports only: the module (`express`) and the imported name (`default`, `*`, `Router`). */
  source?: string;
  imported?: string;
}

/**
 * A name bound by destructuring: `const { id } = req.params`, `({ params }, res) => …`,
 * `const [invoice] = await db.select()…`. Kept apart from `Binding`s so that passes which
 * resolve plain names see what they always saw.
 */
export interface PatternBinding {
  name: string;
  /** The value destructured: a declarator's initialiser (absent for a parameter or a declarator without one). */
  init?: Node;
  /** The declarator, for a destructured variable (`for (const { id } of items)` has no initialiser). */
  declarator?: Node;
  /** For a destructured parameter: its function and position. */
  param?: { fn: Node; index: number };
  /** The keys read on the way in, outermost first: `{ params: { id } }` → params, id; `[a]` → 0. */
  path: string[];
  scope: Node;
}

export interface CallSite {
  call: TSESTree.CallExpression;
  /** The innermost function (or the Program) around the call. */
  scope: Node;
  /** The innermost class around the call, for `this.x`. */
  cls: ClassNode | undefined;
}

/** What a class declares under a name: methods, fields, `this.x = …` assignments. */
export type ClassMember = TSESTree.MethodDefinition | TSESTree.PropertyDefinition | TSESTree.AssignmentExpression;

export interface WalkInterests {
  /** Member calls collected by name, for the libraries (`app.post`, `router.use`, `fastify.register`). */
  memberCallNames: ReadonlySet<string>;
  /** Member calls collected as data-layer candidates (`create`, `save`, `query`, …). */
  dataCallNames: ReadonlySet<string>;
  /** Does this node answer 401/403 (or send the client to log in)? */
  isDenySignal(node: TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.AssignmentExpression): boolean;
  /** Node types collected with their parent for the other passes (literals, comparisons, …). */
  nodeTypes: ReadonlySet<string>;
  /**
   * Whether to keep every node's parent, and the identifiers by name, for a file with this
   * text: passes that follow a value up to where it is used ask for them when the file may need them.
   */
  keepParents?(text: string): boolean;
  /**
   * Keys whose reads the walk collects into `facts.keyed`: member reads (`req.body.password`),
   * object properties (`{ password: z.string() }`) and variable declarations that destructure
   * one (`const { password } = req.body`).
   */
  keyNames?: ReadonlySet<string>;
}

/** A node collected by type, with its parent and the function (or Program) around it. */
export interface Collected {
  node: Node;
  parent: Node | undefined;
  scope: Node;
}

type VisitorKeys = Readonly<Record<string, readonly string[] | undefined>>;

export interface SourceCodeLike {
  ast: TSESTree.Program;
  text: string;
  visitorKeys?: { readonly [type: string]: readonly string[] | undefined };
}

/** Subtrees that hold only types: nothing in them runs. */
const TYPE_ONLY = new Set<string>([
  T.TSTypeAnnotation,
  T.TSTypeParameterDeclaration,
  T.TSTypeParameterInstantiation,
  T.TSInterfaceDeclaration,
  T.TSTypeAliasDeclaration,
  T.TSDeclareFunction,
]);

/** Collected nodes in source order. */
export function sortByStart(list: readonly Collected[]): Collected[] {
  return [...list].sort((a, b) => a.node.range[0] - b.node.range[0]);
}

/** The entries of a start-sorted list that lie inside `node`. */
export function entriesWithin(list: readonly Collected[], node: Node): Collected[] {
  const [start, end] = node.range;
  const out: Collected[] = [];
  for (let i = lowerBound(list, start, (c) => c.node.range[0]); i < list.length && list[i].node.range[0] < end; i++)
    out.push(list[i]);
  return out;
}

export class FileFacts {
  readonly memberCalls: CallSite[] = [];
  /** Data-layer candidates, in source order. */
  readonly dataCalls: CallSite[] = [];
  /** Calls of a plain name (`saveOrder(x)`), in source order, for following a handler one step. */
  readonly localCalls: CallSite[] = [];
  /** Calls of what `require()` returns (`require("./routes")(app)`), in walk order. */
  readonly moduleCalls: CallSite[] = [];
  /** Start offsets of 401/403 answers, in source order. */
  readonly denySignals: number[] = [];
  /** Nodes of the types in `WalkInterests.nodeTypes`, by type, in walk order. */
  readonly collected = new Map<string, Collected[]>();
  /** Every module the file imports or requires. */
  readonly moduleSources = new Set<string>();
  /**
   * Reads of the keys in `WalkInterests.keyNames`, in source order: MemberExpressions,
   * Properties of object literals and patterns, and VariableDeclarators whose pattern
   * destructures one.
   */
  readonly keyed: Collected[] = [];
  /** `name = value` assignments to plain names by name, for `let app; app = express()`. */
  readonly assignments = new Map<string, { scope: Node; value: Node }[]>();
  /** The call made on a call's result (`knex("t").where(…)` → the `.where(…)` call), for reading a chain both ways. */
  private readonly outerCalls = new Map<Node, TSESTree.CallExpression>();
  /** What a `for (const x of items)` declarator iterates over. */
  private readonly iterated = new Map<Node, Node>();
  private readonly patterns = new Map<Node, Map<string, PatternBinding>>();
  private readonly bindings = new Map<Node, Map<string, Binding>>();
  private readonly parentScope = new Map<Node, Node>();
  private readonly members = new Map<ClassNode, Map<string, ClassMember[]>>();
  private readonly classScopes = new Map<ClassNode, Node>();
  private readonly chainRoots = new Map<Node, Node>();
  private readonly objectProperties = new Map<TSESTree.ObjectExpression, Map<string, TSESTree.Property>>();
  /** Kept when the walk is asked to (`WalkInterests.keepParents`). */
  private readonly parents: Map<Node, Node> | undefined;
  private readonly identifiers: Map<string, TSESTree.Identifier[]> | undefined;

  constructor(
    readonly ast: TSESTree.Program,
    readonly text: string,
    /** The parser's visitor keys, for passes that look through a subtree (a function's body, a test). */
    readonly visitorKeys: VisitorKeys = tsVisitorKeys,
    keepParents = false,
  ) {
    if (keepParents) {
      this.parents = new Map();
      this.identifiers = new Map();
    }
  }

  /** Whether the walk keeps parents for this file. */
  get keepsParents(): boolean {
    return this.parents !== undefined;
  }

  /** The node's parent (undefined for the Program). Only for a file whose walk kept parents. */
  parentOf(node: Node): Node | undefined {
    if (!this.parents) throw new Error("The walk kept no parents for this file (WalkInterests.keepParents).");
    return this.parents.get(node);
  }

  /** The identifiers named `name`, in source order. Only for a file whose walk kept parents. */
  identifiersNamed(name: string): readonly TSESTree.Identifier[] {
    if (!this.identifiers) throw new Error("The walk kept no identifiers for this file (WalkInterests.keepParents).");
    return this.identifiers.get(name) ?? [];
  }

  /** Records a node's parent during the walk, and the node by name when it is an identifier. */
  link(node: Node, parent: Node | undefined): void {
    if (parent) this.parents!.set(node, parent);
    if (node.type !== T.Identifier) return;
    const list = this.identifiers!.get(node.name);
    if (list) list.push(node);
    else this.identifiers!.set(node.name, [node]);
  }

  /** Puts the identifiers of each name in source order, once the walk is done. */
  sortIdentifiers(): void {
    if (this.identifiers) for (const list of this.identifiers.values()) list.sort((a, b) => a.range[0] - b.range[0]);
  }

  /** The binding `name` refers to from `scope`, looking outwards through enclosing functions. */
  resolve(name: string, scope: Node): Binding | undefined {
    for (let s: Node | undefined = scope; s; s = this.parentScope.get(s)) {
      const binding = this.bindings.get(s)?.get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  /**
   * The destructuring that binds `name` seen from `scope`, when no plain binding of an
   * inner scope shadows it (a plain binding wins in the same scope).
   */
  resolvePattern(name: string, scope: Node): PatternBinding | undefined {
    for (let s: Node | undefined = scope; s; s = this.parentScope.get(s)) {
      if (this.bindings.get(s)?.has(name)) return undefined;
      const pattern = this.patterns.get(s)?.get(name);
      if (pattern) return pattern;
    }
    return undefined;
  }

  bindPattern(scope: Node, binding: PatternBinding): void {
    let scoped = this.patterns.get(scope);
    if (!scoped) this.patterns.set(scope, (scoped = new Map<string, PatternBinding>()));
    if (!scoped.has(binding.name)) scoped.set(binding.name, binding);
  }

  /** The call made on the result of `call` (`a().b()` → the `.b()` call for `a()`), if any. */
  outerCall(call: Node): TSESTree.CallExpression | undefined {
    return this.outerCalls.get(call);
  }

  linkOuterCall(inner: Node, outer: TSESTree.CallExpression): void {
    this.outerCalls.set(inner, outer);
  }

  /** The iterable of a `for (const x of items)` declarator. */
  iterableOf(declarator: Node): Node | undefined {
    return this.iterated.get(declarator);
  }

  noteIteration(declarator: Node, iterable: Node): void {
    this.iterated.set(declarator, iterable);
  }

  /** The function (or Program) that encloses a scope. */
  outerScope(scope: Node): Node | undefined {
    return this.parentScope.get(scope);
  }

  /** The scope a class is declared in, for resolving the names its fields use. */
  scopeOfClass(cls: ClassNode): Node {
    return this.classScopes.get(cls) ?? this.ast;
  }

  enterClass(cls: ClassNode, scope: Node): void {
    this.classScopes.set(cls, scope);
  }

  classMembers(cls: ClassNode, name: string): readonly ClassMember[] {
    return this.members.get(cls)?.get(name) ?? [];
  }

  /** Is there a 401/403 answer inside `node`? */
  hasDenySignalWithin(node: Node): boolean {
    const [start, end] = node.range;
    const i = lowerBound(this.denySignals, start, (x) => x);
    return i < this.denySignals.length && this.denySignals[i] < end;
  }

  private readonly sortedCollected = new Map<string, Collected[]>();

  /** The collected nodes of `type` that lie inside `node`, in source order (sorted once per file). */
  collectedWithin(type: string, node: Node): Collected[] {
    let list = this.sortedCollected.get(type);
    if (!list) this.sortedCollected.set(type, (list = sortByStart(this.collected.get(type) ?? [])));
    return entriesWithin(list, node);
  }

  /** Call sites of `list` (sorted by start) that lie inside `node`. */
  sitesWithin(list: readonly CallSite[], node: Node): CallSite[] {
    const [start, end] = node.range;
    const out: CallSite[] = [];
    for (let i = lowerBound(list, start, (s) => s.call.range[0]); i < list.length && list[i].call.range[0] < end; i++)
      out.push(list[i]);
    return out;
  }

  /**
   * The root of a member/call chain: `knex("t").where(x).update(y)` → the `knex("t")` call's
   * callee `knex`. Remembered for every link, so the calls of one long chain
   * (`builder.a().b().c()…`), which each ask for the root, walk the chain once between them.
   */
  chainRoot(node: Node): Node {
    const links: Node[] = [];
    let current = unwrapAwait(node);
    let root: Node | undefined;
    while (current.type === T.MemberExpression || current.type === T.CallExpression) {
      root = this.chainRoots.get(current);
      if (root) break;
      links.push(current);
      current = unwrap(current.type === T.MemberExpression ? current.object : current.callee);
    }
    root ??= current;
    for (const link of links) this.chainRoots.set(link, root);
    return root;
  }

  /**
   * The first property of an object literal with a plain key (`name:`, `"name":`, `name() {}`),
   * from a map built once per object: routes that name the methods of one large controller
   * object look each one up directly.
   */
  objectProperty(object: TSESTree.ObjectExpression, name: string): TSESTree.Property | undefined {
    let byName = this.objectProperties.get(object);
    if (!byName) {
      byName = new Map();
      for (const p of object.properties) {
        if (p.type !== T.Property || p.computed) continue;
        const key = p.key.type === T.Identifier ? p.key.name : staticString(p.key);
        if (key !== undefined && !byName.has(key)) byName.set(key, p);
      }
      this.objectProperties.set(object, byName);
    }
    return byName.get(name);
  }

  /** Does the file import or require `module`? */
  imports(module: string): boolean {
    return this.moduleSources.has(module);
  }

  bind(scope: Node, binding: Binding): void {
    let scoped = this.bindings.get(scope);
    if (!scoped) this.bindings.set(scope, (scoped = new Map<string, Binding>()));
    if (!scoped.has(binding.name)) scoped.set(binding.name, binding);
  }

  enterScope(fn: Node, outer: Node): void {
    this.parentScope.set(fn, outer);
  }

  addMember(cls: ClassNode, name: string, member: ClassMember): void {
    let byName = this.members.get(cls);
    if (!byName) this.members.set(cls, (byName = new Map<string, ClassMember[]>()));
    const list = byName.get(name);
    if (list) list.push(member);
    else byName.set(name, [member]);
  }
}

export function collectFacts(sourceCode: SourceCodeLike, interests: WalkInterests): FileFacts {
  const keys = (sourceCode.visitorKeys ?? tsVisitorKeys) as VisitorKeys;
  const facts = new FileFacts(sourceCode.ast, sourceCode.text, keys, interests.keepParents?.(sourceCode.text));
  const link = facts.keepsParents;
  const nodes: Node[] = [sourceCode.ast];
  const parents: (Node | undefined)[] = [undefined];
  const scopes: Node[] = [sourceCode.ast];
  const classes: (ClassNode | undefined)[] = [undefined];

  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const parent = parents.pop();
    const scope = scopes.pop()!;
    const cls = classes.pop();
    visit(facts, interests, node, scope, cls);
    if (interests.keyNames && isKeyed(node, interests.keyNames)) facts.keyed.push({ node, parent, scope });
    if (link) facts.link(node, parent);
    if (interests.nodeTypes.has(node.type)) {
      let list = facts.collected.get(node.type);
      if (!list) facts.collected.set(node.type, (list = []));
      list.push({ node, parent, scope });
    }

    const childScope = isFunction(node) ? node : scope;
    const childClass = isClass(node) ? node : cls;
    const nodeKeys = keys[node.type];
    if (!nodeKeys) continue;
    const record = node as unknown as Record<string, unknown>;
    for (let k = nodeKeys.length - 1; k >= 0; k--) {
      const child = record[nodeKeys[k]];
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const c = child[i] as Node | null;
          if (c && typeof c.type === "string" && !TYPE_ONLY.has(c.type)) {
            nodes.push(c);
            parents.push(node);
            scopes.push(childScope);
            classes.push(childClass);
          }
        }
      } else if (child && typeof (child as Node).type === "string" && !TYPE_ONLY.has((child as Node).type)) {
        nodes.push(child as Node);
        parents.push(node);
        scopes.push(childScope);
        classes.push(childClass);
      }
    }
  }
  facts.dataCalls.sort((a, b) => a.call.range[0] - b.call.range[0]);
  facts.localCalls.sort((a, b) => a.call.range[0] - b.call.range[0]);
  facts.denySignals.sort((a, b) => a - b);
  facts.sortIdentifiers();
  return facts;
}

function visit(facts: FileFacts, interests: WalkInterests, node: Node, scope: Node, cls: ClassNode | undefined): void {
  switch (node.type) {
    case T.CallExpression: {
      const callee = node.callee;
      if (callee.type === T.MemberExpression) {
        const object = unwrap(callee.object);
        if (object.type === T.CallExpression) facts.linkOuterCall(object, node);
        const name = propertyName(callee);
        if (name !== undefined) {
          if (interests.memberCallNames.has(name)) facts.memberCalls.push({ call: node, scope, cls });
          if (interests.dataCallNames.has(name)) facts.dataCalls.push({ call: node, scope, cls });
        }
      } else if (callee.type === T.CallExpression && requiredModule(callee) !== undefined) {
        facts.moduleCalls.push({ call: node, scope, cls });
      } else if (callee.type === T.Identifier) {
        facts.localCalls.push({ call: node, scope, cls });
        if (callee.name === "require") {
          const module = staticString(node.arguments[0]);
          if (module !== undefined) facts.moduleSources.add(module);
        }
      }
      if (interests.isDenySignal(node)) facts.denySignals.push(node.range[0]);
      return;
    }
    case T.NewExpression:
      if (interests.isDenySignal(node)) facts.denySignals.push(node.range[0]);
      return;
    case T.AssignmentExpression:
      if (node.left.type === T.Identifier) {
        const list = facts.assignments.get(node.left.name);
        if (list) list.push({ scope, value: node.right });
        else facts.assignments.set(node.left.name, [{ scope, value: node.right }]);
      } else if (cls && node.left.type === T.MemberExpression && node.left.object.type === T.ThisExpression) {
        const name = propertyName(node.left);
        if (name !== undefined) facts.addMember(cls, name, node);
      }
      if (interests.isDenySignal(node)) facts.denySignals.push(node.range[0]);
      return;
    case T.VariableDeclarator:
      bindDeclarator(facts, node, scope);
      return;
    case T.ForOfStatement:
      if (node.left.type === T.VariableDeclaration && node.left.declarations.length === 1)
        facts.noteIteration(node.left.declarations[0], node.right);
      return;
    case T.FunctionDeclaration:
      if (node.id) facts.bind(scope, { kind: "function", name: node.id.name, node, scope });
      bindParams(facts, node, scope);
      return;
    case T.FunctionExpression:
    case T.ArrowFunctionExpression:
      bindParams(facts, node, scope);
      return;
    case T.ClassDeclaration:
      if (node.id) facts.bind(scope, { kind: "class", name: node.id.name, node, scope });
      facts.enterClass(node, scope);
      return;
    case T.ClassExpression:
      facts.enterClass(node, scope);
      return;
    case T.MethodDefinition:
    case T.PropertyDefinition:
      if (cls && !node.computed && node.key.type === T.Identifier) facts.addMember(cls, node.key.name, node);
      return;
    case T.ImportDeclaration: {
      const source = node.source.value;
      facts.moduleSources.add(source);
      for (const spec of node.specifiers) {
        const imported =
          spec.type === T.ImportDefaultSpecifier
            ? "default"
            : spec.type === T.ImportNamespaceSpecifier
              ? "*"
              : spec.imported.type === T.Identifier
                ? spec.imported.name
                : spec.imported.value;
        facts.bind(scope, { kind: "import", name: spec.local.name, node: spec, scope, source, imported });
      }
      return;
    }
    case T.TSImportEqualsDeclaration:
      if (node.moduleReference.type === T.TSExternalModuleReference) {
        const source = staticString(node.moduleReference.expression);
        if (source !== undefined) {
          facts.moduleSources.add(source);
          facts.bind(scope, { kind: "import", name: node.id.name, node, scope, source, imported: "*" });
        }
      }
      return;
    default:
      return;
  }
}

/** A read of one of `keys`: `x.password`, `x["password"]`, `{ password: … }`, `const { password } = …`. */
function isKeyed(node: Node, keys: ReadonlySet<string>): boolean {
  switch (node.type) {
    case T.MemberExpression:
      return keyName(node.property, node.computed, keys);
    case T.Property:
      return keyName(node.key, node.computed, keys);
    case T.VariableDeclarator:
      return node.id.type === T.ObjectPattern && patternHasKey(node.id, keys, 0);
    default:
      return false;
  }
}

function keyName(key: Node, computed: boolean, keys: ReadonlySet<string>): boolean {
  if (!computed) return key.type === T.Identifier && keys.has(key.name);
  return key.type === T.Literal && typeof key.value === "string" && keys.has(key.value);
}

/** Nested patterns are followed a few levels: `const { user: { password } } = req.body`. */
function patternHasKey(pattern: TSESTree.ObjectPattern, keys: ReadonlySet<string>, depth: number): boolean {
  for (const property of pattern.properties) {
    if (property.type !== T.Property) continue;
    if (keyName(property.key, property.computed, keys)) return true;
    const value = property.value.type === T.AssignmentPattern ? property.value.left : property.value;
    if (value.type === T.ObjectPattern && depth < 4 && patternHasKey(value, keys, depth + 1)) return true;
  }
  return false;
}

function bindParams(facts: FileFacts, fn: Node & { params: TSESTree.Parameter[] }, outer: Node): void {
  facts.enterScope(fn, outer);
  fn.params.forEach((param, index) => {
    const name = paramName(param);
    if (name !== undefined) facts.bind(fn, { kind: "param", name, node: param, scope: fn });
    else bindPatternNames(facts, param, fn, { param: { fn, index } });
  });
}

/** Deepest destructuring followed: patterns nest a few levels in real code. */
const MAX_PATTERN_DEPTH = 8;

/** The names a destructuring pattern binds, each with the keys read on the way to it. */
function bindPatternNames(
  facts: FileFacts,
  pattern: Node,
  scope: Node,
  from: { init?: Node; declarator?: Node; param?: { fn: Node; index: number } },
): void {
  const stack: { node: Node; path: string[] }[] = [{ node: pattern, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (path.length > MAX_PATTERN_DEPTH) continue;
    switch (node.type) {
      case T.Identifier:
        if (path.length > 0 || node !== pattern) facts.bindPattern(scope, { name: node.name, ...from, path, scope });
        break;
      case T.AssignmentPattern:
        stack.push({ node: node.left, path });
        break;
      case T.TSParameterProperty:
        stack.push({ node: node.parameter, path });
        break;
      case T.RestElement:
        // `...rest` holds what the other keys leave: the same value, as far as origins go.
        stack.push({ node: node.argument, path });
        break;
      case T.ObjectPattern:
        for (const property of node.properties) {
          if (property.type === T.RestElement) stack.push({ node: property, path });
          else if (!property.computed) {
            const key = property.key.type === T.Identifier ? property.key.name : staticString(property.key);
            if (key !== undefined) stack.push({ node: property.value, path: [...path, key] });
          }
        }
        break;
      case T.ArrayPattern:
        node.elements.forEach((element, i) => {
          if (element) stack.push({ node: element, path: [...path, String(i)] });
        });
        break;
      default:
        break;
    }
  }
}

/** `const x = …`, and the CommonJS import forms `const x = require("m")`, `const { a, b: c } = require("m")`, `const x = require("m").y`. */
function bindDeclarator(facts: FileFacts, node: TSESTree.VariableDeclarator, scope: Node): void {
  const init = node.init ? unwrap(node.init) : undefined;
  let source = init ? requiredModule(init) : undefined;
  let imported = "default";
  if (source === undefined && init?.type === T.MemberExpression) {
    source = requiredModule(init.object);
    imported = propertyName(init) ?? "default";
  }
  if (node.id.type === T.Identifier) {
    if (source !== undefined) facts.bind(scope, { kind: "import", name: node.id.name, node, scope, source, imported });
    else facts.bind(scope, { kind: "var", name: node.id.name, node, init: node.init ?? undefined, scope });
    return;
  }
  if (source === undefined) {
    if (node.id.type === T.ObjectPattern || node.id.type === T.ArrayPattern)
      bindPatternNames(facts, node.id, scope, node.init ? { init: node.init, declarator: node } : { declarator: node });
    return;
  }
  if (node.id.type !== T.ObjectPattern || imported !== "default") return;
  for (const property of node.id.properties) {
    if (property.type !== T.Property || property.computed || property.key.type !== T.Identifier) continue;
    const value = property.value.type === T.AssignmentPattern ? property.value.left : property.value;
    if (value.type !== T.Identifier) continue;
    facts.bind(scope, { kind: "import", name: value.name, node: property, scope, source, imported: property.key.name });
  }
}
