/**
 * Edits that add the authorization a route lacks, the way the project already writes it,
 * for the endpoints nothing protects once the project's facts are applied
 * (`Endpoint.authFixes`, offered by AP101 as suggestions):
 *
 * - Express, Koa, Hono: the auth middleware the file uses on another route, or registers
 *   with `use()`, or imports from the project, as the first middleware of the route
 *   (`router.post("/x", requireAuth, handler)`);
 * - Fastify: the auth hook another route of the file has in its options
 *   (`{ onRequest: [app.authenticate] }`), in the route's options;
 * - NestJS: `@UseGuards(…)` above the handler with the guard the file puts on another
 *   handler or controller, else the one the project's other controllers use most (from
 *   the project index), with the imports they need.
 *
 * Nothing is suggested when the file and the project show no guard of their own: which
 * one to add is then a decision, not a mechanical fix. Only what the file shows in scope
 * is reused; a guard from another file is imported by a path relative to this one.
 */
import * as path from "node:path";
import { AST_NODE_TYPES as T, type TSESTree } from "@typescript-eslint/types";
import { orderedEdits } from "../../../core/adapter-utils.js";
import type { AuthFix, Endpoint, FileModel, Loc, Position, TextEdit } from "../../../core/model.js";
import type { ProjectIndex } from "../../../core/project/index.js";
import type { GuardUse } from "../../../core/project/summary.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import { locOf, sourceText, unwrap, type Node } from "../ast.js";
import type { Binding, CallSite, FileFacts } from "../facts.js";
import { exportPath, isPackage, originOf } from "../imports.js";
import { authNameVerdict } from "./auth-middleware.js";

const MIDDLEWARE_FRAMEWORKS = new Set(["express", "koa", "hono"]);
const NEST = "@nestjs/common";
const PASSPORT = "@nestjs/passport";
/** Fastify's request hooks an auth check runs in, in the order they run. */
const FASTIFY_HOOKS = ["onRequest", "preParsing", "preValidation", "preHandler"];
/** Longer guard expressions are not copied: a suggestion shows what it inserts. */
const MAX_TEXT = 80;

/** Adds `authFixes` to the endpoints of `model` that nothing protects. */
export function addTsAuthFixes(
  facts: FileFacts,
  model: FileModel,
  settings: ResolvedSettings,
  index: ProjectIndex | undefined,
  rawSettings: unknown,
): void {
  const open = model.endpoints.filter((e) => e.protections.length === 0 && e.anonymous.length === 0);
  if (open.length === 0) return;
  const fixes = new AuthFixes(facts, model, settings, index, rawSettings);
  for (const endpoint of open) {
    const fix = fixes.fixFor(endpoint);
    if (fix) endpoint.authFixes = [fix];
  }
}

/** A middleware or guard the file already uses, as written, with the scope its names resolve in. */
interface Candidate {
  text: string;
  /** The leftmost names of the expression, each with what it is bound to where the candidate is used. */
  roots: Array<{ name: string; binding: Binding | undefined }>;
}

/** An auth hook in a Fastify route's options: `onRequest: [app.authenticate]`. */
interface FastifyHook {
  hook: string;
  value: Node;
  candidate: Candidate;
}

/** A guard for a Nest handler: used in this file, or imported by the project's other controllers. */
interface NestGuard {
  text: string;
  /** Set when the guard must be imported: what, and from where. */
  import?: { name: string; export: string; module: string };
}

class AuthFixes {
  readonly #facts: FileFacts;
  readonly #model: FileModel;
  readonly #settings: ResolvedSettings;
  readonly #index: ProjectIndex | undefined;
  readonly #rawSettings: unknown;
  readonly #eol: string;
  #calls: Map<string, CallSite> | undefined;
  #decorators: Map<string, { decorator: TSESTree.Decorator; parent: Node | undefined }> | undefined;
  readonly #middleware = new Map<string, Candidate[]>();
  #fastifyHooks: FastifyHook[] | undefined;
  #nestGuards: NestGuard[] | undefined;
  #projectGuardFound: NestGuard | null | undefined;

  constructor(
    facts: FileFacts,
    model: FileModel,
    settings: ResolvedSettings,
    index: ProjectIndex | undefined,
    rawSettings: unknown,
  ) {
    this.#facts = facts;
    this.#model = model;
    this.#settings = settings;
    this.#index = index;
    this.#rawSettings = rawSettings;
    this.#eol = facts.text.includes("\r\n") ? "\r\n" : "\n";
  }

  fixFor(endpoint: Endpoint): AuthFix | undefined {
    if (MIDDLEWARE_FRAMEWORKS.has(endpoint.framework)) return this.#middlewareFix(endpoint);
    if (endpoint.framework === "fastify") return this.#fastifyFix(endpoint);
    if (endpoint.framework === "nestjs") return this.#nestFix(endpoint);
    return undefined;
  }

  // ------------------------------------------------------------ route calls

  /** The route call an endpoint of a method-call framework is reported on: its loc starts at the method's name. */
  #routeCall(endpoint: Endpoint): CallSite | undefined {
    if (!this.#calls) {
      this.#calls = new Map();
      for (const site of this.#facts.memberCalls) {
        const callee = site.call.callee as TSESTree.MemberExpression;
        this.#calls.set(key(callee.property.loc.start), site);
      }
    }
    return this.#calls.get(key(endpoint.loc.start));
  }

  /** Express, Koa, Hono: the middleware in front of the handler's arguments. */
  #middlewareFix(endpoint: Endpoint): AuthFix | undefined {
    const site = this.#routeCall(endpoint);
    if (!site) return undefined;
    // The arguments after the path (the report's span ends with it), or all of them on `route(path).post(…)`.
    const first = site.call.arguments.find((a) => !before(a.loc.start, endpoint.loc.end));
    if (!first) return undefined;
    const candidate = this.#middlewareFor(endpoint.framework).find((c) => inScope(this.#facts, c, site.scope));
    if (!candidate) return undefined;
    return {
      insert: candidate.text,
      place: "before-handler",
      edits: [this.#insertBefore(first, `${candidate.text},`)],
    };
  }

  /**
   * Auth middleware of this file, most specific first: on other routes of the framework,
   * then registered with `use()` (the route comes before it, or lies outside its path), then
   * imported from the project and judged auth by its file (or, without the project index,
   * by its name).
   */
  #middlewareFor(framework: string): Candidate[] {
    const known = this.#middleware.get(framework);
    if (known) return known;
    const candidates: Candidate[] = [];
    const seen = new Set<string>();
    const add = (text: string, roots: Candidate["roots"] | undefined) => {
      if (!roots || seen.has(text) || !usable(text)) return;
      seen.add(text);
      candidates.push({ text, roots });
    };
    const own = this.#model.endpoints.filter((e) => e.framework === framework);
    for (const endpoint of own) {
      const site = this.#routeCall(endpoint);
      for (const p of endpoint.protections)
        if (p.source === "route" && !p.file && site)
          add(this.#textAt(p.loc), this.#rootsOf(this.#textAt(p.loc), site.scope));
    }
    for (const endpoint of own)
      for (const p of endpoint.protections)
        if (p.source !== "route" && !p.file)
          add(this.#textAt(p.loc), this.#rootsOf(this.#textAt(p.loc), this.#facts.ast));
    for (const imported of this.#projectImports())
      if (this.#isAuthExport(imported)) add(imported.local, this.#rootsOf(imported.local, this.#facts.ast));
    this.#middleware.set(framework, candidates);
    return candidates;
  }

  /** Names imported or required from project modules at the top of the file. */
  #projectImports(): Array<{ local: string; export: string; module: string }> {
    const names: string[] = [];
    for (const statement of this.#facts.ast.body) {
      if (statement.type === T.ImportDeclaration && statement.importKind !== "type") {
        for (const spec of statement.specifiers)
          if (!(spec.type === T.ImportSpecifier && spec.importKind === "type")) names.push(spec.local.name);
      } else if (statement.type === T.VariableDeclaration) {
        // `const auth = require("./auth")`, `const { requireAuth } = require("./auth")`.
        for (const declarator of statement.declarations) {
          if (declarator.id.type === T.Identifier) names.push(declarator.id.name);
          else if (declarator.id.type === T.ObjectPattern)
            for (const property of declarator.id.properties)
              if (property.type === T.Property && property.value.type === T.Identifier) names.push(property.value.name);
        }
      }
    }
    const imports: Array<{ local: string; export: string; module: string }> = [];
    for (const local of names) {
      const binding = this.#facts.resolve(local, this.#facts.ast);
      if (binding?.kind !== "import" || binding.source === undefined || isPackage(binding.source)) continue;
      if (binding.imported === "*") continue;
      imports.push({ local, export: binding.imported ?? "default", module: binding.source });
    }
    return imports;
  }

  /**
   * Whether an import from the project is auth middleware used as it is: its file's summary
   * says so (a guard factory that must be called with arguments is not); without the
   * index, the configured names and the name rule decide.
   */
  #isAuthExport(imported: { local: string; export: string; module: string }): boolean {
    const file = this.#index?.resolve(imported.module, this.#model.filename);
    const markers = file ? this.#index!.summary(file, this.#rawSettings)?.markers : undefined;
    if (markers) return markers.some((m) => m.export === imported.export && m.effect === "protection");
    return this.#settings.auth(imported.local) || authNameVerdict(imported.local) === "auth";
  }

  // ------------------------------------------------------------ Fastify

  /** Fastify: the auth hook another route of the file has, in this route's options. */
  #fastifyFix(endpoint: Endpoint): AuthFix | undefined {
    const site = this.#routeCall(endpoint);
    if (!site) return undefined;
    const hook = this.#fastifyHooksOfFile().find((h) => inScope(this.#facts, h.candidate, site.scope));
    if (!hook) return undefined;
    const property = `${hook.hook}: ${hook.candidate.text}`;
    const insert = { insert: property, place: "registration" as const };
    const args = site.call.arguments;
    const options = this.#fastifyOptions(site);
    if (options === null) return undefined;
    if (options) {
      if (options.properties.some((p) => p.type === T.Property && propertyKey(p) === hook.hook)) return undefined;
      const [firstProperty] = options.properties;
      if (!firstProperty) return { ...insert, edits: [{ range: [...options.range], text: `{ ${property} }` }] };
      return { ...insert, edits: [this.#insertBefore(firstProperty, `${property},`)] };
    }
    // `fastify.post(path, handler)`: options go between the path and the handler.
    const handler = args[1];
    return handler ? { ...insert, edits: [this.#insertBefore(handler, `{ ${property} },`)] } : undefined;
  }

  /**
   * The options object of a Fastify route written in the call: `route({ … })`,
   * `post(path, { … }, handler)`, `post(path, { handler, … })`; undefined for
   * `post(path, handler)`; null when the options are not written there (a constant).
   */
  #fastifyOptions(site: CallSite): TSESTree.ObjectExpression | undefined | null {
    const callee = site.call.callee as TSESTree.MemberExpression;
    const args = site.call.arguments;
    const isTable = callee.property.type === T.Identifier && callee.property.name === "route";
    const written = isTable
      ? args[0]
      : args.length >= 3
        ? args[1]
        : args[1] && unwrap(args[1]).type === T.ObjectExpression
          ? args[1]
          : undefined;
    if (!written) return isTable ? null : undefined;
    const options = unwrap(written);
    return options.type === T.ObjectExpression ? options : null;
  }

  /** Auth hooks in the options of the file's protected Fastify routes: `onRequest: [app.authenticate]`. */
  #fastifyHooksOfFile(): FastifyHook[] {
    if (this.#fastifyHooks) return this.#fastifyHooks;
    const hooks: FastifyHook[] = [];
    for (const endpoint of this.#model.endpoints) {
      if (endpoint.framework !== "fastify") continue;
      const site = this.#routeCall(endpoint);
      const options = site ? this.#fastifyOptions(site) : undefined;
      if (!site || !options) continue;
      for (const protection of endpoint.protections) {
        if (protection.source !== "route" || protection.file) continue;
        const property = options.properties
          .filter((p) => p.type === T.Property)
          .find((p) => FASTIFY_HOOKS.includes(propertyKey(p) ?? "") && within(protection.loc, p.value.loc));
        if (!property || !usable(sourceText(this.#facts.text, property.value))) continue;
        if (hooks.some((h) => h.value === property.value)) continue;
        const candidate = this.#candidateOf(property.value, site.scope);
        hooks.push({ hook: propertyKey(property)!, value: property.value, candidate });
      }
    }
    this.#fastifyHooks = hooks;
    return hooks;
  }

  // ------------------------------------------------------------ NestJS

  /** NestJS: `@UseGuards(Guard)` above the handler, with the imports it needs. */
  #nestFix(endpoint: Endpoint): AuthFix | undefined {
    const route = this.#decoratorAt(endpoint.loc.start);
    const method = route?.parent?.type === T.MethodDefinition ? route.parent : undefined;
    const first = method?.decorators[0];
    if (!method || !first) return undefined;
    const guard = this.#nestGuardsOfFile()[0] ?? this.#projectGuard();
    if (!guard) return undefined;
    const edits: TextEdit[] = [];
    const useGuards = this.#importedName(NEST, "UseGuards");
    if (!useGuards) {
      const added = this.#addToImport(NEST, "UseGuards");
      if (!added) return undefined;
      edits.push(added);
    }
    if (guard.import) {
      const edit = this.#guardImport(guard.import);
      if (edit === null) return undefined;
      if (edit) edits.push(edit);
    }
    const decorator = `@${useGuards ?? "UseGuards"}(${guard.text})`;
    edits.push(this.#insertBefore(first, decorator));
    return {
      insert: decorator,
      place: "declaration",
      target: endpoint.handler ?? sourceText(this.#facts.text, method.key),
      edits: orderedEdits(edits),
    };
  }

  /** The decorator a Nest endpoint is reported on (its route decorator), with what it decorates. */
  #decoratorAt(position: Position): { decorator: TSESTree.Decorator; parent: Node | undefined } | undefined {
    if (!this.#decorators) {
      this.#decorators = new Map();
      for (const { node, parent } of this.#facts.collected.get(T.Decorator) ?? [])
        this.#decorators.set(key(node.loc.start), { decorator: node as TSESTree.Decorator, parent });
    }
    return this.#decorators.get(key(position));
  }

  /**
   * The guards this file puts on handlers or controllers with `@UseGuards(…)` that protect
   * them (as the endpoints' protections tell, the project's facts included), in file order.
   */
  #nestGuardsOfFile(): NestGuard[] {
    if (this.#nestGuards) return this.#nestGuards;
    const protecting = new Set<string>();
    for (const endpoint of this.#model.endpoints)
      for (const p of endpoint.protections) if (!p.file) protecting.add(`${key(p.loc.start)}-${key(p.loc.end)}`);
    const guards: NestGuard[] = [];
    for (const { node, scope } of this.#facts.collected.get(T.Decorator) ?? []) {
      const expression = (node as TSESTree.Decorator).expression;
      if (expression.type !== T.CallExpression) continue;
      const origin = originOf(this.#facts, expression.callee, scope);
      if (origin?.module !== NEST || exportPath(origin) !== "UseGuards") continue;
      for (const argument of expression.arguments) {
        if (argument.type === T.SpreadElement) continue;
        const guard = unwrap(argument);
        const loc = locOf(guard);
        if (!protecting.has(`${key(loc.start)}-${key(loc.end)}`)) continue;
        const text = sourceText(this.#facts.text, guard);
        // Declared or imported at the top of the file: in scope for every controller of it.
        const roots = this.#rootsOf(text, this.#facts.ast);
        if (!roots?.every((r) => r.binding?.scope === this.#facts.ast)) continue;
        if (usable(text) && !guards.some((g) => g.text === text)) guards.push({ text });
      }
    }
    this.#nestGuards = guards;
    return guards;
  }

  /**
   * The guard the project's other controllers put on their routes most often (the project
   * index's scan of `@UseGuards(…)`), when its file or package says it is an auth guard.
   */
  #projectGuard(): NestGuard | undefined {
    if (this.#projectGuardFound === undefined) this.#projectGuardFound = this.#findProjectGuard() ?? null;
    return this.#projectGuardFound ?? undefined;
  }

  #findProjectGuard(): NestGuard | undefined {
    const index = this.#index;
    if (!index) return undefined;
    const own = this.#model.filename;
    const tally = new Map<string, { count: number; guard: GuardUse; target: string | undefined }>();
    for (const { file, guard } of index.guardUses()) {
      if (file === own) continue;
      const target = isPackage(guard.module) ? undefined : index.resolve(guard.module, file);
      if (!isPackage(guard.module) && !target) continue;
      const id = `${target ?? guard.module}\0${guard.export}\0${guard.text.slice(guard.name.length)}`;
      const entry = tally.get(id);
      if (entry) entry.count++;
      else tally.set(id, { count: 1, guard, target });
    }
    const ranked = [...tally.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
    for (const [, { guard, target }] of ranked) {
      if (!this.#isAuthGuard(guard, target)) continue;
      const module = target ? this.#relativeSpecifier(target) : guard.module;
      if (module === undefined) continue;
      return { text: guard.text, import: { name: guard.name, export: guard.export, module } };
    }
    return undefined;
  }

  #isAuthGuard(guard: GuardUse, target: string | undefined): boolean {
    if (this.#settings.auth(guard.name)) return true;
    if (!target) return guard.module === PASSPORT && guard.export === "AuthGuard" && guard.text !== guard.name;
    const markers = this.#index!.summary(target, this.#rawSettings)?.markers;
    const marker = markers?.find((m) => m.export === guard.export);
    if (marker) return marker.effect === "protection";
    return !markers && authNameVerdict(guard.name) === "auth";
  }

  /** `./auth/jwt-auth.guard`, written with the extension style of this file's other relative imports. */
  #relativeSpecifier(target: string): string | undefined {
    const from = path.dirname(this.#model.filename);
    let relative = path.relative(from, target).split(path.sep).join("/");
    if (!relative.startsWith(".")) relative = `./${relative}`;
    const extension = path.extname(relative);
    const style = this.#extensionStyle();
    if (style === "as-is") return relative;
    if (style === "js") return relative.slice(0, -extension.length) + (JS_EXTENSION[extension] ?? extension);
    const bare = relative.slice(0, -extension.length);
    return bare.endsWith("/index") ? bare.slice(0, -"/index".length) || "." : bare;
  }

  /** How the file writes relative imports: without extension, with `.js` for TypeScript files, or with the file's own. */
  #extensionStyle(): "none" | "js" | "as-is" {
    for (const statement of this.#facts.ast.body) {
      if (statement.type !== T.ImportDeclaration || !statement.source.value.startsWith(".")) continue;
      const extension = path.extname(statement.source.value);
      if (/^\.[cm]?js$/.test(extension)) return "js";
      if (/^\.[cm]?tsx?$/.test(extension)) return "as-is";
    }
    return "none";
  }

  // ------------------------------------------------------------ imports

  /** The local name of a named import from `module`, if the file has one. */
  #importedName(module: string, name: string): string | undefined {
    for (const statement of this.#facts.ast.body) {
      if (statement.type !== T.ImportDeclaration || statement.source.value !== module) continue;
      if (statement.importKind === "type") continue;
      for (const spec of statement.specifiers) {
        if (spec.type !== T.ImportSpecifier || spec.importKind === "type") continue;
        const imported = spec.imported.type === T.Identifier ? spec.imported.name : spec.imported.value;
        if (imported === name) return spec.local.name;
      }
    }
    return undefined;
  }

  /** `name` added to the named imports of the file's import from `module`; undefined when it has none to add to. */
  #addToImport(module: string, name: string): TextEdit | undefined {
    const declaration = this.#facts.ast.body.find(
      (s): s is TSESTree.ImportDeclaration =>
        s.type === T.ImportDeclaration &&
        s.source.value === module &&
        s.importKind !== "type" &&
        s.specifiers.some((spec) => spec.type === T.ImportSpecifier),
    );
    const named = declaration?.specifiers.filter((s) => s.type === T.ImportSpecifier);
    const last = named?.at(-1);
    if (!declaration || !last) return undefined;
    const text = this.#facts.text;
    const close = text.indexOf("}", last.range[1]);
    const between = text.slice(last.range[1], close);
    if (!text.slice(declaration.range[0], last.range[0]).includes("\n"))
      return { range: [last.range[1], last.range[1]], text: `, ${name}` };
    // One name per line: the new one on a line of its own, with the trailing comma the list uses.
    const indent = indentationAt(text, last.range[0]);
    const comma = between.indexOf(",");
    return comma >= 0
      ? { range: [last.range[1] + comma + 1, last.range[1] + comma + 1], text: `${this.#eol}${indent}${name},` }
      : { range: [last.range[1], last.range[1]], text: `,${this.#eol}${indent}${name}` };
  }

  /**
   * The import of a guard from another module: none when the file already has that name from
   * there, null when the name means something else here.
   */
  #guardImport(wanted: { name: string; export: string; module: string }): TextEdit | undefined | null {
    const binding = this.#facts.resolve(wanted.name, this.#facts.ast);
    if (binding) {
      if (binding.kind !== "import" || binding.imported !== wanted.export) return null;
      const source = binding.source ?? "";
      const same = isPackage(wanted.module)
        ? source === wanted.module
        : this.#index?.resolve(source, this.#model.filename) ===
          this.#index?.resolve(wanted.module, this.#model.filename);
      return same ? undefined : null;
    }
    if (wanted.export !== "default" && isPackage(wanted.module)) {
      const added = this.#addToImport(
        wanted.module,
        wanted.export === wanted.name ? wanted.name : `${wanted.export} as ${wanted.name}`,
      );
      if (added) return added;
    }
    const imports = this.#facts.ast.body.filter((s): s is TSESTree.ImportDeclaration => s.type === T.ImportDeclaration);
    const last = imports.at(-1);
    if (!last) return null;
    const text = this.#facts.text;
    const quote = text[last.source.range[0]] === "'" ? "'" : '"';
    const semicolon = text[last.range[1] - 1] === ";" ? ";" : "";
    const clause =
      wanted.export === "default"
        ? wanted.name
        : `{ ${wanted.export === wanted.name ? wanted.name : `${wanted.export} as ${wanted.name}`} }`;
    return {
      range: [last.range[1], last.range[1]],
      text: `${this.#eol}import ${clause} from ${quote}${wanted.module}${quote}${semicolon}`,
    };
  }

  // ------------------------------------------------------------ text

  /** The source text of a location of this file. */
  #textAt(loc: Loc): string {
    const lines = this.#lines();
    const start = lines[loc.start.line - 1] + loc.start.column;
    const end = lines[loc.end.line - 1] + loc.end.column;
    return this.#facts.text.slice(start, end);
  }

  #lineStarts: number[] | undefined;

  /** Where each line starts, by the line breaks the parser counts. */
  #lines(): number[] {
    if (!this.#lineStarts) {
      const starts = [0];
      const text = this.#facts.text;
      const breaks = /\r\n|[\r\n\u2028\u2029]/g;
      for (let match = breaks.exec(text); match; match = breaks.exec(text)) starts.push(match.index + match[0].length);
      this.#lineStarts = starts;
    }
    return this.#lineStarts;
  }

  /** The leftmost names of a middleware expression as written, and their bindings where the file uses it. */
  #rootsOf(text: string, scope: Node): Candidate["roots"] | undefined {
    const name = /^[A-Za-z_$][\w$]*/.exec(text)?.[0];
    return name ? [{ name, binding: this.#facts.resolve(name, scope) }] : undefined;
  }

  #candidateOf(value: Node, scope: Node): Candidate {
    const elements = value.type === T.ArrayExpression ? value.elements : [value];
    const roots: Candidate["roots"] = [];
    for (const element of elements) {
      let node: Node | null = element;
      for (let depth = 0; node && depth < 16; depth++) {
        if (node.type === T.MemberExpression) node = node.object;
        else if (node.type === T.CallExpression) node = node.callee;
        else break;
      }
      if (node?.type === T.Identifier) roots.push({ name: node.name, binding: this.#facts.resolve(node.name, scope) });
      else if (node?.type !== T.ThisExpression) roots.push({ name: "", binding: undefined });
    }
    return { text: sourceText(this.#facts.text, value), roots };
  }

  /** `text` in front of `node`: on a line of its own when `node` opens its line, else before it on the same line. */
  #insertBefore(node: Node, text: string): TextEdit {
    const source = this.#facts.text;
    const start = node.range[0];
    const lineStart = source.lastIndexOf("\n", start - 1) + 1;
    const indent = source.slice(lineStart, start);
    return /^[ \t]*$/.test(indent)
      ? { range: [start, start], text: `${text}${this.#eol}${indent}` }
      : { range: [start, start], text: `${text} ` };
  }
}

const JS_EXTENSION: Record<string, string> = { ".ts": ".js", ".tsx": ".js", ".mts": ".mjs", ".cts": ".cjs" };

/** Whether every name the candidate starts from means the same thing at the route as where it is used. */
function inScope(facts: FileFacts, candidate: Candidate, scope: Node): boolean {
  return (
    candidate.roots.length > 0 &&
    candidate.roots.every(({ name, binding }) => binding !== undefined && facts.resolve(name, scope) === binding)
  );
}

/** An expression short enough, and on one line, to copy into a suggestion. */
function usable(text: string): boolean {
  return text.length > 0 && text.length <= MAX_TEXT && !/[\r\n]/.test(text);
}

function key(position: Position): string {
  return `${position.line}:${position.column}`;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

function within(inner: Loc, outer: Loc): boolean {
  return !before(inner.start, outer.start) && !before(outer.end, inner.end);
}

function propertyKey(property: TSESTree.Property): string | undefined {
  if (property.computed) return undefined;
  if (property.key.type === T.Identifier) return property.key.name;
  return property.key.type === T.Literal && typeof property.key.value === "string" ? property.key.value : undefined;
}

function indentationAt(text: string, index: number): string {
  const lineStart = text.lastIndexOf("\n", index - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, index))![0];
}

// ---------------------------------------------------------------- the project index's scan

const USE_GUARDS = /@UseGuards\s*\(((?:[^()]|\([^()]*\))*)\)/g;
const IMPORT = /\bimport\s+(?!type\b)(?:([A-Za-z_$][\w$]*)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*["']([^"'\n]+)["']/g;
/** `JwtAuthGuard`, `AuthGuard('jwt')`, `AuthGuard()`: a guard worth suggesting elsewhere. */
const SIMPLE_GUARD = /^([A-Za-z_$][\w$]*)(?:\(\s*(?:'[^'\n]*'|"[^"\n]*")?\s*\))?$/;

/**
 * The guards a file puts on routes with `@UseGuards(…)`, by imported name, found without
 * parsing (for the project index's scan of every file).
 */
export function scanGuardUses(text: string): GuardUse[] | undefined {
  if (!text.includes("@UseGuards")) return undefined;
  const imports = new Map<string, { module: string; export: string }>();
  for (let match = IMPORT.exec(text); match; match = IMPORT.exec(text)) {
    const [, defaultName, named, module] = match;
    if (defaultName) imports.set(defaultName, { module, export: "default" });
    for (const part of named?.split(",") ?? []) {
      const spec = /^\s*(?:type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?\s*$/.exec(part);
      if (spec && !/^\s*type\s/.test(part)) imports.set(spec[2] ?? spec[1], { module, export: spec[1] });
    }
  }
  IMPORT.lastIndex = 0;
  const uses: GuardUse[] = [];
  for (let match = USE_GUARDS.exec(text); match; match = USE_GUARDS.exec(text)) {
    for (const part of splitArguments(match[1])) {
      const guard = SIMPLE_GUARD.exec(part);
      const imported = guard ? imports.get(guard[1]) : undefined;
      if (guard && imported) uses.push({ text: part, name: guard[1], ...imported });
    }
  }
  USE_GUARDS.lastIndex = 0;
  return uses.length > 0 ? uses : undefined;
}

/** `A, B("x")` → `A`, `B("x")`: commas outside parentheses. */
function splitArguments(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(list.slice(start).trim());
  return parts.filter((p) => p !== "");
}
