/**
 * What a file exports, read from its top-level statements, for the project index: which
 * bindings, functions and call chains other files can import, under which export name.
 */
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import { isFunction, memberPath, staticString, unwrap, type Node } from "./ast.js";
import type { Binding, FileFacts } from "./facts.js";

/** Registration chains longer than this are not followed to their first call. */
const MAX_CHAIN = 16;

export interface ExportTable {
  /** Bindings (routers, apps) by the export that holds them. */
  byBinding: Map<Binding, string>;
  /** Functions (route registrars, router factories) by the export that holds them. */
  byFunction: Map<Node, string>;
  /** The first call of an exported chain of calls (`export default Router().use("/api", api)`). */
  byChainRoot: Map<Node, string>;
}

/** The innermost call of a chain of member calls: `Router().use(a).use(b)` → `Router()`. */
export function innermostCall(node: Node): Node | undefined {
  let current = unwrap(node);
  if (current.type !== T.CallExpression) return undefined;
  for (let i = 0; i < MAX_CHAIN; i++) {
    if (current.type !== T.CallExpression || current.callee.type !== T.MemberExpression) break;
    const inner = unwrap(current.callee.object);
    if (inner.type !== T.CallExpression) break;
    current = inner;
  }
  return current;
}

/** The export path of a call of an export: `default` → `()`, `ordersRouter` → `ordersRouter.()` (as `exportPath` writes it). */
export function callExport(name: string): string {
  return name === "default" ? "()" : `${name}.()`;
}

/**
 * What the file exports, read from its top-level statements: ESM `export default x`,
 * `export const x = …`, `export { x as y }`, `export function f`, TypeScript `export =`,
 * and CommonJS `module.exports = x`, `module.exports = { x, y: z }`, `exports.y = x`.
 */
export function exportTable(facts: FileFacts): ExportTable {
  const table: ExportTable = { byBinding: new Map(), byFunction: new Map(), byChainRoot: new Map() };
  const program = facts.ast;
  const note = (value: Node | null | undefined, name: string): void => {
    if (!value) return;
    const node = unwrap(value);
    if (isFunction(node)) {
      if (!table.byFunction.has(node)) table.byFunction.set(node, name);
      return;
    }
    if (node.type === T.CallExpression) {
      const root = innermostCall(node);
      if (root && !table.byChainRoot.has(root)) table.byChainRoot.set(root, name);
      return;
    }
    if (node.type !== T.Identifier) return;
    const binding = facts.resolve(node.name, program);
    if (!binding) return;
    if (binding.kind === "var" && binding.init) {
      const root = innermostCall(binding.init);
      if (root && root !== unwrap(binding.init) && !table.byChainRoot.has(root)) table.byChainRoot.set(root, name);
    }
    if (!table.byBinding.has(binding)) table.byBinding.set(binding, name);
    if (binding.kind === "function" && isFunction(binding.node)) note(binding.node, name);
    if (binding.kind === "var" && binding.init && isFunction(unwrap(binding.init))) note(binding.init, name);
  };
  forEachExport(facts, (entry) => {
    if ("value" in entry) note(entry.value, entry.name);
  });
  return table;
}

/**
 * One export of a file's top-level statements: a value of the file under an export name
 * (`form` says how it is written), or an export taken from another module
 * (`export { a as b } from "./x"`, `export * from "./x"`: `from` is `*`).
 */
export type ExportEntry =
  | {
      name: string;
      value: Node;
      form: "declaration" | "specifier" | "default" | "assignment" | "commonjs";
      /** `module.exports = x`: the value is the whole module. */
      whole?: boolean;
    }
  | { name: string; module: string; from: string };

/**
 * Every export of the file's top-level statements, in order: ESM `export default x`,
 * `export const x = …`, `export { x as y }`, `export function f`, re-exports from other
 * modules, TypeScript `export =`, and CommonJS `module.exports = x`,
 * `module.exports = { x, y: z }`, `exports.y = x`.
 */
export function forEachExport(facts: FileFacts, visit: (entry: ExportEntry) => void): void {
  for (const statement of facts.ast.body) {
    switch (statement.type) {
      case T.ExportDefaultDeclaration: {
        const declaration = statement.declaration;
        const value = declaration.type === T.ClassDeclaration && declaration.id ? declaration.id : declaration;
        visit({ name: "default", value, form: "default" });
        break;
      }
      case T.ExportAllDeclaration:
        visit({
          name: statement.exported ? exportedName(statement.exported) : "*",
          module: statement.source.value,
          from: "*",
        });
        break;
      case T.ExportNamedDeclaration: {
        const declaration = statement.declaration;
        if (declaration?.type === T.VariableDeclaration) {
          for (const d of declaration.declarations)
            if (d.id.type === T.Identifier) visit({ name: d.id.name, value: d.id, form: "declaration" });
        } else if (declaration?.type === T.FunctionDeclaration && declaration.id) {
          visit({ name: declaration.id.name, value: declaration, form: "declaration" });
        } else if (declaration?.type === T.ClassDeclaration && declaration.id) {
          visit({ name: declaration.id.name, value: declaration.id, form: "declaration" });
        }
        for (const spec of statement.specifiers) {
          const name = exportedName(spec.exported);
          if (statement.source) visit({ name, module: statement.source.value, from: exportedName(spec.local) });
          else if (spec.local.type === T.Identifier) visit({ name, value: spec.local, form: "specifier" });
        }
        break;
      }
      case T.TSExportAssignment:
        visit({ name: "default", value: statement.expression, form: "assignment" });
        break;
      case T.ExpressionStatement: {
        const expression = statement.expression;
        if (expression.type !== T.AssignmentExpression || expression.operator !== "=") break;
        const target = memberPath(expression.left);
        if (target === "module.exports") {
          const right = unwrap(expression.right);
          if (right.type === T.ObjectExpression) {
            for (const property of right.properties) {
              if (property.type !== T.Property || property.computed) continue;
              const key = property.key.type === T.Identifier ? property.key.name : staticString(property.key);
              if (key !== undefined) visit({ name: key, value: property.value, form: "commonjs" });
            }
          } else visit({ name: "default", value: right, form: "commonjs", whole: true });
        } else if (target?.startsWith("exports.") || target?.startsWith("module.exports.")) {
          visit({ name: target.slice(target.lastIndexOf(".") + 1), value: expression.right, form: "commonjs" });
        }
        break;
      }
      default:
        break;
    }
  }
}

function exportedName(node: TSESTree.Identifier | TSESTree.StringLiteral): string {
  return node.type === T.Identifier ? node.name : node.value;
}
