/**
 * The one answer to "which package and export is this?": follows a callee or value
 * back through local aliases to the import or `require` it starts from.
 *
 * `import jwt from "jsonwebtoken"; jwt.verify(…)`         → jsonwebtoken, default.verify
 * `import { Router } from "express"; Router()`            → express, Router
 * `const { expressjwt } = require("express-jwt")`         → express-jwt, expressjwt
 * `const guard = require("express-jwt-permissions")()`   → guard.check is express-jwt-permissions, ().check
 * `import { requireAuth } from "./middleware/auth"`       → ./middleware/auth, requireAuth
 * `register(await import("@fastify/cors"))`               → @fastify/cors, the module itself
 *
 * Library knowledge names what it recognises with `ImportSpecifier`s (the shape of
 * typescript-eslint's `TypeOrValueSpecifier` for packages) and asks `matches`.
 */
import { AST_NODE_TYPES as T } from "@typescript-eslint/types";
import { propertyName, staticString, unwrap, type Node } from "./ast.js";
import type { FileFacts } from "./facts.js";

/** Where a value comes from: a module and the path of exports and calls taken from it. */
export interface Origin {
  /** The module as written: a package (`express`, `@nestjs/common`) or a relative path (`./auth`). */
  module: string;
  /**
   * From the module object: `default` for the default export, an export or property
   * name, `()` for a call. A namespace import or `require()` itself has an empty path.
   */
  path: readonly string[];
}

/** A package export as library knowledge names it. `name` is `default` or an export, dotted for members (`Router`, `default.verify`). */
export interface ImportSpecifier {
  from: "package";
  package: string;
  /** One export or several that mean the same. */
  name: string | readonly string[];
}

/** `exportOf("jsonwebtoken", "verify")`: the specifier library records write. */
export function exportOf(pkg: string, name: string | readonly string[]): ImportSpecifier {
  return { from: "package", package: pkg, name };
}

/** How far through aliases (`const a = b; const b = require(…)`) and member chains an origin is followed. */
const MAX_STEPS = 24;

/** `require("m")` → `m`. */
export function requiredModule(node: Node): string | undefined {
  const n = unwrap(node);
  if (n.type !== T.CallExpression || n.callee.type !== T.Identifier || n.callee.name !== "require") return undefined;
  return staticString(n.arguments[0]);
}

/** The origin of the value `node` evaluates to, seen from `scope`; undefined when it starts from anything but an import. */
export function originOf(facts: FileFacts, node: Node, scope: Node): Origin | undefined {
  const suffix: string[] = [];
  let current = unwrap(node);
  let currentScope = scope;
  for (let step = 0; step < MAX_STEPS; step++) {
    const module = requiredModule(current);
    if (module !== undefined) return { module, path: suffix.reverse() };
    switch (current.type) {
      case T.MemberExpression: {
        const name = propertyName(current);
        if (name === undefined) return undefined;
        suffix.push(name);
        current = unwrap(current.object);
        continue;
      }
      case T.CallExpression:
        suffix.push("()");
        current = unwrap(current.callee);
        continue;
      case T.AwaitExpression:
        current = unwrap(current.argument);
        continue;
      case T.ImportExpression: {
        const module = staticString(current.source);
        return module === undefined ? undefined : { module, path: suffix.reverse() };
      }
      case T.Identifier: {
        const binding = facts.resolve(current.name, currentScope);
        if (binding?.kind === "import" && binding.source !== undefined) {
          const head = binding.imported === "*" ? [] : binding.imported === undefined ? [] : [binding.imported];
          return { module: binding.source, path: [...head, ...suffix.reverse()] };
        }
        if (binding?.kind === "var" && binding.init) {
          current = unwrap(binding.init);
          currentScope = binding.scope;
          continue;
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }
  return undefined;
}

/**
 * The export path with CommonJS interop applied: a default import of a CommonJS module
 * is its `module.exports`, so `default.verify` and `verify` name the same function.
 */
export function exportPath(origin: Origin): string {
  const path = origin.path[0] === "default" && origin.path.length > 1 ? origin.path.slice(1) : origin.path;
  return path.length === 0 ? "default" : path.join(".");
}

/** Does the origin name one of the specifier's exports? */
export function matches(origin: Origin | undefined, specifier: ImportSpecifier): boolean {
  if (!origin || origin.module !== specifier.package) return false;
  const path = exportPath(origin);
  return typeof specifier.name === "string" ? specifier.name === path : specifier.name.includes(path);
}

/** Does the origin name an export of any of the specifiers? */
export function matchesAny(origin: Origin | undefined, specifiers: readonly ImportSpecifier[]): boolean {
  return origin !== undefined && specifiers.some((s) => matches(origin, s));
}

/** The first specifier the value's origin matches. */
export function matchingSpecifier<S extends ImportSpecifier>(
  facts: FileFacts,
  node: Node,
  scope: Node,
  specifiers: readonly S[],
): S | undefined {
  const origin = originOf(facts, node, scope);
  return origin ? specifiers.find((s) => matches(origin, s)) : undefined;
}

/** Is the module a package rather than a file of the project (`./x`, `/abs`, `@/x`, `~/x`)? */
export function isPackage(module: string | undefined): boolean {
  return (
    module !== undefined &&
    !module.startsWith(".") &&
    !module.startsWith("/") &&
    !module.startsWith("@/") &&
    !module.startsWith("~/")
  );
}
