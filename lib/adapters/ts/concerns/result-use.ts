/**
 * What the code does with the result of a read (AP103): whether it only tests it. A read
 * whose result is only tested for being there (`if (existing) throw …`, `!found`,
 * `found === null`, `Boolean(found)`) or compared (`existing.id !== organization.id`)
 * tells the caller whether such a record exists and nothing of it: an existence check,
 * not a read of someone else's record. A result that is returned, passed on, spread,
 * changed or read into anything but a test is used.
 *
 * Looking up from a call to its uses needs parents, which the walk keeps only for files
 * that ask for them; this pass indexes the outermost function around a read once (parents
 * and identifiers by name) and answers every read inside it from that index.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import { isFunction, propertyName, type Node } from "../ast.js";
import type { FileFacts } from "../facts.js";

/** Query-builder calls made on a read before its result is used: `findById(id).select("_id").lean()`. */
const QUERY_MODIFIERS = new Set([
  "select",
  "lean",
  "exec",
  "populate",
  "toArray",
  "project",
  "limit",
  "sort",
  "skip",
  "session",
  "orFail",
  "collation",
  "hint",
  "maxTimeMS",
  "setOptions",
]);
/** Operators that turn a value into a boolean. */
const COMPARISONS = new Set(["==", "!=", "===", "!==", "<", "<=", ">", ">=", "instanceof"]);
/** Keys of a node that hold types only, and declarations of types: nothing in them reads a value. */
const TYPE_KEYS = new Set(["typeAnnotation", "typeArguments", "typeParameters", "returnType", "superTypeArguments"]);
const TYPE_DECLARATIONS = new Set<string>([T.TSInterfaceDeclaration, T.TSTypeAliasDeclaration, T.TSDeclareFunction]);
/** Variables followed from one to the next (`const found = existing`). */
const MAX_ALIASES = 3;

interface FunctionIndex {
  parents: Map<Node, Node>;
  /** Identifiers by name, each with the function (or Program) it is read in. */
  identifiers: Map<string, { id: TSESTree.Identifier; scope: Node }[]>;
}

export class ResultUses {
  private readonly indexes = new Map<Node, FunctionIndex>();

  constructor(private readonly facts: FileFacts) {}

  /** Is the result of `call` (made in `scope`) only tested or compared, never used otherwise? */
  onlyTested(call: TSESTree.CallExpression, scope: Node): boolean {
    const top = this.outermostFunction(scope);
    if (!top) return false;
    const index = this.index(top);
    let value: Node = call;
    for (;;) {
      const parent = index.parents.get(value);
      if (!parent) return false;
      if (isWrapper(parent)) {
        value = parent;
        continue;
      }
      // `Note.findById(id).select("_id").lean()`: still the read's result.
      const outer = index.parents.get(parent);
      if (
        parent.type === T.MemberExpression &&
        parent.object === value &&
        outer?.type === T.CallExpression &&
        outer.callee === parent &&
        QUERY_MODIFIERS.has(propertyName(parent) ?? "")
      ) {
        value = outer;
        continue;
      }
      break;
    }
    return this.tested(value, index, 0);
  }

  /** Does the value of `node` reach nothing but tests? */
  private tested(node: Node, index: FunctionIndex, aliases: number): boolean {
    const parent = index.parents.get(node);
    if (!parent) return false;
    switch (parent.type) {
      case T.IfStatement:
      case T.WhileStatement:
      case T.DoWhileStatement:
      case T.ForStatement:
        return parent.test === node;
      case T.ConditionalExpression:
        return parent.test === node || this.tested(parent, index, aliases);
      case T.UnaryExpression:
        return parent.operator === "!" || parent.operator === "typeof" || parent.operator === "void";
      case T.BinaryExpression:
        return COMPARISONS.has(parent.operator);
      case T.LogicalExpression:
        // `existing && …`: its value is the record only when there is none.
        return (parent.operator === "&&" && parent.left === node) || this.tested(parent, index, aliases);
      case T.MemberExpression: {
        if (parent.object !== node) return false;
        // `existing.id !== organization.id`, `existing._id.equals(id)`: a field compared.
        const outer = index.parents.get(parent);
        if (outer?.type === T.CallExpression && outer.callee === parent)
          return propertyName(parent) === "equals" && this.tested(outer, index, aliases);
        return this.tested(parent, index, aliases);
      }
      case T.CallExpression:
        return parent.callee.type === T.Identifier && parent.callee.name === "Boolean" && parent.arguments[0] === node;
      case T.VariableDeclarator:
        return parent.init === node && aliases < MAX_ALIASES && this.variableTested(parent, index, aliases + 1);
      default:
        return isWrapper(parent) && this.tested(parent, index, aliases);
    }
  }

  /**
   * `const existing = await …`, `const { rows } = await pool.query(…)`, `const [row] = …`:
   * is every read of the names it declares a test?
   */
  private variableTested(declarator: TSESTree.VariableDeclarator, index: FunctionIndex, aliases: number): boolean {
    const names = declaredNames(declarator.id);
    if (!names) return false;
    let reads = 0;
    for (const declared of names) {
      const name = declared.name;
      for (const { id, scope } of index.identifiers.get(name) ?? []) {
        if (id === declared || !isRead(id, index.parents.get(id))) continue;
        const bound =
          declared === declarator.id
            ? this.facts.resolve(name, scope)?.node === declarator
            : this.facts.resolvePattern(name, scope)?.declarator === declarator;
        if (!bound) continue;
        reads++;
        if (!this.tested(id, index, aliases)) return false;
      }
    }
    return reads > 0;
  }

  /** Is the variable `name` (as seen from `scope`) read once only, in all the function around it? */
  readOnce(name: string, scope: Node): boolean {
    const binding = this.facts.resolve(name, scope);
    const top = binding ? this.outermostFunction(binding.scope) : undefined;
    if (!binding || !top) return false;
    let reads = 0;
    for (const { id, scope: at } of this.index(top).identifiers.get(name) ?? []) {
      if (!isRead(id, this.index(top).parents.get(id)) || this.facts.resolve(name, at) !== binding) continue;
      if (binding.kind === "var" && (binding.node as TSESTree.VariableDeclarator).id === id) continue;
      if (++reads > 1) return false;
    }
    return reads === 1;
  }

  /** The function around `scope` whose own scope is the Program: one index serves every read inside it. */
  private outermostFunction(scope: Node): Node | undefined {
    let current: Node | undefined = scope;
    if (current === this.facts.ast) return undefined;
    for (;;) {
      const outer = this.facts.outerScope(current);
      if (!outer || outer === this.facts.ast) return current;
      current = outer;
    }
  }

  private index(fn: Node): FunctionIndex {
    let found = this.indexes.get(fn);
    if (found) return found;
    found = { parents: new Map(), identifiers: new Map() };
    const keys = this.facts.visitorKeys;
    const nodes: Node[] = [fn];
    const scopes: Node[] = [fn];
    while (nodes.length > 0) {
      const node = nodes.pop()!;
      const scope = scopes.pop()!;
      if (node.type === T.Identifier) {
        const list = found.identifiers.get(node.name);
        const entry = { id: node, scope };
        if (list) list.push(entry);
        else found.identifiers.set(node.name, [entry]);
      }
      const childScope = isFunction(node) ? node : scope;
      const record = node as unknown as Record<string, unknown>;
      for (const key of keys[node.type] ?? []) {
        if (TYPE_KEYS.has(key)) continue;
        const child = record[key];
        for (const c of Array.isArray(child) ? (child as unknown[]) : [child]) {
          if (!c || typeof (c as Node).type !== "string" || TYPE_DECLARATIONS.has((c as Node).type)) continue;
          found.parents.set(c as Node, node);
          nodes.push(c as Node);
          scopes.push(childScope);
        }
      }
    }
    this.indexes.set(fn, found);
    return found;
  }
}

/** The names a declarator binds: one name, or the plain names of a one-level pattern (`{ rows }`, `[row]`); undefined for a rest or a nested pattern. */
function declaredNames(id: TSESTree.BindingName): TSESTree.Identifier[] | undefined {
  if (id.type === T.Identifier) return [id];
  const out: TSESTree.Identifier[] = [];
  const elements =
    id.type === T.ObjectPattern
      ? id.properties.map((p) => (p.type === T.Property ? p.value : p))
      : id.type === T.ArrayPattern
        ? id.elements
        : [];
  for (const element of elements) {
    if (!element) continue;
    const target = element.type === T.AssignmentPattern ? element.left : element;
    if (target.type !== T.Identifier) return undefined;
    out.push(target);
  }
  return out;
}

/** Nodes that pass their operand's value on unchanged: `await`, `!`-free casts, parentheses' kin. */
function isWrapper(node: Node): boolean {
  return (
    node.type === T.AwaitExpression ||
    node.type === T.ChainExpression ||
    node.type === T.TSNonNullExpression ||
    node.type === T.TSAsExpression ||
    node.type === T.TSSatisfiesExpression ||
    node.type === T.TSTypeAssertion
  );
}

/** Is an identifier a read of a variable (not a property name, an object key or a label)? */
function isRead(id: TSESTree.Identifier, parent: Node | undefined): boolean {
  if (!parent) return false;
  switch (parent.type) {
    case T.MemberExpression:
      return parent.object === id || parent.computed;
    case T.Property:
    case T.PropertyDefinition:
      // `{ existing }` is a read: its key and value may be one node.
      return parent.value === id || parent.key !== id || parent.computed;
    case T.MethodDefinition:
      return parent.key !== id || parent.computed;
    case T.LabeledStatement:
    case T.BreakStatement:
    case T.ContinueStatement:
      return false;
    default:
      return true;
  }
}
