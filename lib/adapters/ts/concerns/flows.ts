/**
 * What a file's exported functions and methods do with records, for handlers in other
 * files that call them (AP103's flow across files), and the exports it takes from other
 * modules, so that a call through an index module (`import { usersService } from "../services"`)
 * reaches the file that declares the function.
 *
 * Functions summarised: exported functions (ESM and CommonJS, `module.exports = { getUser }`
 * included), the methods of exported classes (a NestJS service, a repository class), of
 * exported object literals and of exported instances of a same-file class
 * (`export const invoiceService = new InvoiceService()`). Each is summarised in its own terms
 * by the same record-access pass as a handler (record-access.ts): `parameter` origins stand for
 * what its callers pass.
 */
import { AST_NODE_TYPES as T } from "@typescript-eslint/types";
import type { FunctionFlow, Reexport } from "../../../core/project/summary.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import {
  isClass,
  isFunction,
  memberPath,
  returnedFunction,
  staticString,
  unwrap,
  unwrapAwait,
  type ClassNode,
  type FunctionNode,
  type Node,
} from "../ast.js";
import { exportTable, forEachExport } from "../exports.js";
import type { FileFacts } from "../facts.js";
import { FACTORY_RESULT, Handlers } from "../handlers.js";
import { requiredModule } from "../imports.js";
import { auditEventsWithin } from "./audit-events.js";
import { DataLayer } from "./data-layer.js";

/** Functions one file summarises at most. */
const MAX_FUNCTIONS = 400;

/** The record flows of the file's exported functions and methods. */
export function functionFlows(facts: FileFacts, settings: ResolvedSettings): FunctionFlow[] {
  if (facts.dataCalls.length === 0 && !mayCallOtherFiles(facts)) return [];
  const handlers = new Handlers(facts, new DataLayer(facts), settings);
  const out: FunctionFlow[] = [];
  const add = (fn: FunctionNode, exported: string, member: string | undefined, owner: string | undefined): void => {
    if (out.length >= MAX_FUNCTIONS) return;
    const flow = handlers.flowOf(fn);
    if (!flow) return;
    // What it records of who changed what, for the handlers that call it (AP107).
    const audits = flow.operations.some((op) => op.kind !== "read") ? auditEventsWithin(facts, fn, settings) : [];
    if (audits.length > 0) flow.audits = audits;
    const name = member === undefined ? exported : `${owner ?? exported}.${member}`;
    out.push({ export: exported, ...(member !== undefined ? { member } : {}), name, ...flow });
  };
  const table = exportTable(facts);
  for (const [fn, name] of table.byFunction) {
    if (!isFunction(fn)) continue;
    add(fn, name, undefined, undefined);
    // `export function retrieveBasket() { return async (req, res) => … }`: the handler a route makes by calling it.
    const produced = returnedFunction(fn);
    if (produced) add(produced, name, FACTORY_RESULT, undefined);
  }
  for (const [binding, name] of table.byBinding) {
    if (binding.kind === "class" && isClass(binding.node)) {
      for (const [member, fn] of methodsOf(binding.node)) add(fn, name, member, binding.node.id?.name);
      continue;
    }
    if (binding.kind !== "var" || !binding.init) continue;
    const init = unwrapAwait(binding.init);
    if (isClass(init)) {
      for (const [member, fn] of methodsOf(init)) add(fn, name, member, init.id?.name ?? name);
    } else if (init.type === T.ObjectExpression) {
      for (const property of init.properties) {
        if (property.type !== T.Property || property.computed) continue;
        const key = property.key.type === T.Identifier ? property.key.name : staticString(property.key);
        const value = unwrap(property.value);
        const fn = isFunction(value) ? value : functionOf(facts, value, binding.scope);
        if (key !== undefined && fn) add(fn, name, key, name);
      }
    } else if (init.type === T.CallExpression) {
      // `const getNote = catchAsync(async (req, res) => …)`: the wrapped function is what runs.
      const wrapped = init.arguments.map((a) => unwrap(a)).find((a) => isFunction(a));
      if (wrapped && isFunction(wrapped)) add(wrapped, name, undefined, undefined);
    } else if (init.type === T.NewExpression) {
      const ctor = unwrap(init.callee);
      const c = ctor.type === T.Identifier ? facts.resolve(ctor.name, binding.scope) : undefined;
      const cls = c?.kind === "class" && isClass(c.node) ? c.node : undefined;
      if (cls) for (const [member, fn] of methodsOf(cls)) add(fn, name, member, cls.id?.name ?? name);
    }
  }
  return out;
}

/** Whether the file imports anything a call could reach in another file. */
function mayCallOtherFiles(facts: FileFacts): boolean {
  return facts.moduleSources.size > 0;
}

/** A function a property value names: `{ getUser }` with `function getUser` or `const getUser = async () => …`. */
function functionOf(facts: FileFacts, value: Node, scope: Node): FunctionNode | undefined {
  if (value.type !== T.Identifier) return undefined;
  const b = facts.resolve(value.name, scope);
  if (b?.kind === "function" && isFunction(b.node)) return b.node;
  if (b?.kind === "var" && b.init && isFunction(unwrap(b.init))) return unwrap(b.init) as FunctionNode;
  return undefined;
}

/** A class's methods and function-valued fields by name (static ones included). */
function methodsOf(cls: ClassNode): Array<[string, FunctionNode]> {
  const out: Array<[string, FunctionNode]> = [];
  for (const member of cls.body.body) {
    if (member.type !== T.MethodDefinition && member.type !== T.PropertyDefinition) continue;
    if (member.computed || member.key.type !== T.Identifier) continue;
    if (member.type === T.MethodDefinition && member.kind !== "method") continue;
    const value = member.value ? unwrap(member.value) : undefined;
    if (isFunction(value)) out.push([member.key.name, value]);
  }
  return out;
}

/**
 * The exports the file takes from other modules: `export * from "./x"`, `export * as ns from`,
 * `export { a as b } from`, an imported binding exported again, and CommonJS
 * `exports.userService = require("./user.service")`, `module.exports = { userService: require(…) }`.
 */
export function reexports(facts: FileFacts): Reexport[] {
  const out: Reexport[] = [];
  const program = facts.ast;
  const fromValue = (value: Node, exported: string): void => {
    const node = unwrap(value);
    const required = requiredModule(node);
    if (required !== undefined) {
      out.push({ export: exported, module: required, from: "default" });
      return;
    }
    if (node.type === T.MemberExpression) {
      const module = requiredModule(unwrap(node.object));
      const property = module !== undefined ? memberPath(node)?.split(".").pop() : undefined;
      if (module !== undefined && property !== undefined) out.push({ export: exported, module, from: property });
      return;
    }
    if (node.type !== T.Identifier) return;
    const b = facts.resolve(node.name, program);
    if (b?.kind === "import" && b.source !== undefined)
      out.push({ export: exported, module: b.source, from: b.imported ?? "default" });
  };
  forEachExport(facts, (entry) => {
    if (!("value" in entry)) out.push({ export: entry.name, module: entry.module, from: entry.from });
    else if (entry.form === "specifier" || entry.form === "default") {
      if (unwrap(entry.value).type === T.Identifier) fromValue(entry.value, entry.name);
    } else if (entry.form === "commonjs" && entry.whole) {
      // `module.exports = require("./x")`: the module is the other one, all of it.
      const required = requiredModule(unwrap(entry.value));
      if (required !== undefined) {
        out.push({ export: "*", module: required, from: "*" });
        out.push({ export: "default", module: required, from: "default" });
      }
    } else if (entry.form === "commonjs") fromValue(entry.value, entry.name);
  });
  return out;
}
