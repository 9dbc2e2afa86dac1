/**
 * OpenAPI 3.x and Swagger 2.0 documents, and the route paths of every framework the
 * plugin reads, in one template form: a route in code can then be looked up among the
 * operations a document declares (AP105 no-shadow-route), and a documented operation
 * among the routes of the code (the CLI's operations nothing implements).
 *
 * The template form of a path:
 *  - segments split at `/`; empty segments (a trailing `/`, `//`) dropped;
 *  - literal text lower-cased: routes match without regard to case, as ASP.NET Core,
 *    Express and Koa match them (Fastify, Hono and Next.js would tell `/Orders` from
 *    `/orders`, but a document and code that differ only in case describe one route);
 *  - every parameter `{}`, whatever its name, constraint or syntax: `:id`, `:id(\\d+)`,
 *    `:id{[0-9]+}`, `{id}`, `{id:int}`, `[id]` (so `/orders/{orderId}` is `/orders/:id`);
 *    a segment that mixes text and parameters keeps its text (`{}.{}` for `:name.:ext`);
 *  - a trailing catch-all: `{+}` for one or more segments (`[...slug]`, `:path+`,
 *    `*name`, `{proxy+}`), `{*}` for none or more (`[[...slug]]`, `:path*`, `*`,
 *    `{*slug}`, `{**slug}`); a catch-all before the end counts as one parameter;
 *  - optional parts (`:id?`, `{id?}`, `{id=5}`, `{/:id}`) give one template with the part
 *    and one without.
 * A literal segment never matches a parameter: `/orders/latest` is not `/orders/{id}`.
 * A catch-all matches the same prefix followed by one or more lone parameters, or by a
 * catch-all (and, when it also matches none, the prefix alone).
 *
 * Documents are read with `yaml` (JSON is YAML too; a `.json`-looking text goes through
 * JSON.parse first), once per file, modification time and size, per process. A path item
 * given as a `$ref` is followed, within the document or into another file beside it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import { projectRootOf, type ProjectKind } from "./project/root.js";

// ---------------------------------------------------------------------------------
// Templates.
// ---------------------------------------------------------------------------------

/** A route path in the template form. */
export interface RouteTemplate {
  /** Literal text lower-cased, parameters `{}`: `["api", "orders", "{}"]`. */
  segments: string[];
  /** Set when the path ends in a catch-all after `segments`; `optional` when it also matches no segment. */
  rest?: { optional: boolean };
}

/** Which syntax a path is written in: a framework's route (any of them), or an OpenAPI path template. */
export type PathSyntax = "route" | "openapi";

type Token = { kind: "text"; text: string } | { kind: "slash" } | { kind: "param"; name: string; rest?: "one" | "any" };

/** Optional parts double the templates of a path; past this many, the rest are taken as present. */
const MAX_VARIANTS = 16;
/** Longer paths are cut: no real route is anywhere near. */
const MAX_PATH_LENGTH = 4096;

const NAME_START = /[A-Za-z_$]/;
const NAME_CHAR = /[\w$]/;

/**
 * The token lists of a path, one per combination of its optional parts; the first has
 * every optional part present.
 */
function tokenize(text: string, syntax: PathSyntax): Token[][] {
  const source = text.length > MAX_PATH_LENGTH ? text.slice(0, MAX_PATH_LENGTH) : text;
  return syntax === "openapi" ? [openApiTokens(source)] : new RouteScanner(source).variants();
}

/** `{name}` parameters, `{name+}` / `{name*}` greedy ones; everything else is literal. */
function openApiTokens(source: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "?" || ch === "#") break;
    if (ch === "/") tokens.push({ kind: "slash" });
    else if (ch === "{") {
      const close = source.indexOf("}", i + 1);
      if (close < 0) {
        pushText(tokens, ch);
        continue;
      }
      const inner = source.slice(i + 1, close).trim();
      const greedy = /^(.*?)([+*])$/.exec(inner);
      tokens.push(
        greedy
          ? { kind: "param", name: greedy[1], rest: greedy[2] === "+" ? "one" : "any" }
          : { kind: "param", name: inner },
      );
      i = close;
    } else pushText(tokens, ch);
  }
  return tokens;
}

function pushText(tokens: Token[], text: string): void {
  const last = tokens.at(-1);
  if (last?.kind === "text") last.text += text;
  else tokens.push({ kind: "text", text });
}

/**
 * Reads a route path of any framework: Express, Koa, Fastify and Hono (`:id`, `:id?`,
 * `:id(\\d+)`, `:id{[0-9]+}`, `:path*`, `:path+`, `*`, `*name`, `{/:id}`), NestJS and
 * ASP.NET Core (`{id}`, `{id:int}`, `{id?}`, `{id=5}`, `{*slug}`, `{**path}`) and
 * Next.js (`[id]`, `[...slug]`, `[[...slug]]`). A `?` that follows no parameter starts
 * the query, which is not part of the route.
 */
class RouteScanner {
  private i = 0;
  constructor(private readonly source: string) {}

  variants(): Token[][] {
    return this.sequence(undefined);
  }

  /** Tokens up to `end` (a group's closing brace) or the end of the path, as variants. */
  private sequence(end: string | undefined): Token[][] {
    let variants: Token[][] = [[]];
    const append = (tokens: readonly Token[]): void => {
      for (const variant of variants) for (const token of tokens) appendToken(variant, token);
    };
    const { source } = this;
    while (this.i < source.length) {
      const ch = source[this.i];
      if (end !== undefined && ch === end) {
        this.i++;
        return variants;
      }
      if (ch === "#" || (ch === "?" && end === undefined)) {
        this.i = source.length;
        break;
      }
      if (ch === "\\") {
        append([{ kind: "text", text: source[this.i + 1] ?? "" }]);
        this.i += 2;
      } else if (ch === "/") {
        append([{ kind: "slash" }]);
        this.i++;
      } else if (ch === ":" && NAME_START.test(source[this.i + 1] ?? "")) {
        const { param, optional } = this.colonParam();
        if (optional) variants = withOptional(variants, [param]);
        else append([param]);
      } else if (ch === "*") {
        this.i++;
        const named = this.name();
        append([{ kind: "param", name: named || "wildcard", rest: named ? "one" : "any" }]);
      } else if (ch === "(") {
        const group = this.balanced("(", ")");
        const param: Token = { kind: "param", name: "", ...(/^\.\*$/.test(group) ? { rest: "any" } : {}) };
        if (source[this.i] === "?") {
          this.i++;
          variants = withOptional(variants, [param]);
        } else append([param]);
      } else if (ch === "{") {
        variants = this.brace(variants);
      } else if (ch === "[") {
        const param = this.bracket();
        if (param) append([param]);
        else {
          append([{ kind: "text", text: ch }]);
          this.i++;
        }
      } else {
        append([{ kind: "text", text: ch }]);
        this.i++;
      }
    }
    return variants;
  }

  private name(): string {
    const start = this.i;
    while (this.i < this.source.length && NAME_CHAR.test(this.source[this.i])) this.i++;
    return this.source.slice(start, this.i);
  }

  /** `:id`, then a `(regex)` or Hono's `{regex}`, then `?`, `*` or `+`. */
  private colonParam(): { param: Token; optional: boolean } {
    this.i++;
    const name = this.name();
    const next = this.source[this.i];
    if (next === "(") this.balanced("(", ")");
    else if (next === "{") this.balanced("{", "}");
    const modifier = this.source[this.i];
    if (modifier === "?" || modifier === "*" || modifier === "+") this.i++;
    if (modifier === "*") return { param: { kind: "param", name, rest: "any" }, optional: false };
    if (modifier === "+") return { param: { kind: "param", name, rest: "one" }, optional: false };
    return { param: { kind: "param", name }, optional: modifier === "?" };
  }

  /** The text inside a balanced pair starting at `this.i`, which is left after the closing one. */
  private balanced(open: string, close: string): string {
    const { source } = this;
    const start = this.i;
    let depth = 0;
    for (; this.i < source.length; this.i++) {
      const ch = source[this.i];
      if (ch === "\\") this.i++;
      else if (ch === open) depth++;
      else if (ch === close && --depth === 0) {
        this.i++;
        return source.slice(start + 1, this.i - 1);
      }
    }
    return source.slice(start + 1);
  }

  /**
   * `{id}`, `{id:int}`, `{id?}`, `{id=5}`, `{*slug}`, `{**path}`, `{proxy+}`: a parameter;
   * `{/:id}`, `{.:ext}`: an optional group of path-to-regexp 8 (Express 5).
   */
  private brace(variants: Token[][]): Token[][] {
    const { source } = this;
    const first = source[this.i + 1] ?? "";
    if (first !== "" && !NAME_START.test(first) && first !== "*" && !/\s/.test(first)) {
      this.i++;
      const group = this.sequence("}");
      return combine(variants, [...group, []]);
    }
    const inner = this.balanced("{", "}").trim();
    if (inner.startsWith("*")) return extend(variants, { kind: "param", name: inner.replace(/^\*+/, ""), rest: "any" });
    const name = /^[^:=?+*}]*/.exec(inner)![0].trim();
    if (/[+*]$/.test(inner) && !inner.includes(":"))
      return extend(variants, { kind: "param", name, rest: inner.endsWith("+") ? "one" : "any" });
    const param: Token = { kind: "param", name };
    return /\?$/.test(inner) || inner.includes("=") ? withOptional(variants, [param]) : extend(variants, param);
  }

  /** `[id]`, `[...slug]`, `[[...slug]]`; undefined when the bracket is not closed. */
  private bracket(): Token | undefined {
    const match = /^\[(\[)?(\.\.\.)?([^\]/]+)\](\])?/.exec(this.source.slice(this.i));
    if (!match || Boolean(match[1]) !== Boolean(match[4])) return undefined;
    this.i += match[0].length;
    const name = match[3];
    if (match[1]) return { kind: "param", name, rest: "any" };
    return match[2] ? { kind: "param", name, rest: "one" } : { kind: "param", name };
  }
}

function appendToken(tokens: Token[], token: Token): void {
  if (token.kind === "text") pushText(tokens, token.text);
  else tokens.push(token);
}

function extend(variants: Token[][], token: Token): Token[][] {
  for (const variant of variants) appendToken(variant, token);
  return variants;
}

/** Each variant with the optional tokens, then each without. */
function withOptional(variants: Token[][], optional: readonly Token[]): Token[][] {
  return combine(variants, [[...optional], []]);
}

/** Every variant followed by every alternative, as far as MAX_VARIANTS allows (the first alternative wins past it). */
function combine(variants: Token[][], alternatives: readonly Token[][]): Token[][] {
  const out: Token[][] = [];
  for (const alternative of alternatives) {
    for (const variant of variants) {
      if (out.length >= MAX_VARIANTS && alternative !== alternatives[0]) continue;
      const copy = variant.map((t) => ({ ...t }));
      for (const token of alternative) appendToken(copy, { ...token });
      out.push(copy);
    }
  }
  return out;
}

/** The template of one token list. */
function templateOf(tokens: readonly Token[]): RouteTemplate {
  const segments: string[] = [];
  const rests: Array<"one" | "any" | undefined> = [];
  let current = "";
  let restOfCurrent: "one" | "any" | undefined;
  let parts = 0;
  const flush = (): void => {
    if (current !== "") {
      segments.push(current);
      rests.push(parts === 1 ? restOfCurrent : undefined);
    }
    current = "";
    restOfCurrent = undefined;
    parts = 0;
  };
  for (const token of tokens) {
    if (token.kind === "slash") flush();
    else if (token.kind === "text") {
      current += token.text.toLowerCase();
      parts++;
    } else {
      current += "{}";
      restOfCurrent = token.rest;
      parts++;
    }
  }
  flush();
  const rest = rests.at(-1);
  if (rest) {
    segments.pop();
    return { segments, rest: { optional: rest === "any" } };
  }
  return { segments };
}

/** The templates of a path: one per combination of its optional parts. */
export function routeTemplates(text: string, syntax: PathSyntax = "route"): RouteTemplate[] {
  const seen = new Set<string>();
  const templates: RouteTemplate[] = [];
  for (const tokens of tokenize(text, syntax)) {
    const template = templateOf(tokens);
    const key = templateKey(template);
    if (seen.has(key)) continue;
    seen.add(key);
    templates.push(template);
  }
  return templates;
}

/** `/api/orders/{}`, `/files/{+}`, `/docs/{*}`: a template as one string. */
export function templateKey(template: RouteTemplate): string {
  const rest = template.rest ? [template.rest.optional ? "{*}" : "{+}"] : [];
  return `/${[...template.segments, ...rest].join("/")}`;
}

/** The template keys of a path (see the module comment): what tests and messages compare. */
export function normaliseRoute(text: string, syntax: PathSyntax = "route"): string[] {
  return routeTemplates(text, syntax).map(templateKey);
}

/**
 * A route of the code as an OpenAPI path template, for messages that say what to declare:
 * `/orders/:id(\\d+)` → `/orders/{id}`, `/docs/[...slug]` → `/docs/{slug}`,
 * `/items/{id:int?}` → `/items/{id}`; a parameter without a name is `{param}`.
 */
export function openApiPathOf(text: string): string {
  const tokens = tokenize(text, "route")[0] ?? [];
  let out = "";
  for (const token of tokens) {
    if (token.kind === "slash") out += out.endsWith("/") ? "" : "/";
    else if (token.kind === "text") out += token.text;
    else out += `{${token.name || "param"}}`;
  }
  if (!out.startsWith("/")) out = `/${out}`;
  return out.length > 1 ? out.replace(/\/$/, "") : out;
}

/**
 * Is a route path known? An adapter keeps the source text of a path it cannot evaluate from
 * the file (`` `${BASE}/orders` ``, `BASE + "/items"`) and of a regular expression
 * (`/^\/files\/(\d+)$/`): no document path can be compared with those.
 */
export function isKnownRoutePath(text: string): boolean {
  if (/[`"']|\$\{/.test(text)) return false;
  const regex = /^\/(.*)\/[dgimsuvy]*$/s.exec(text);
  return !(regex && /\\\/|^\^|\$$|\(\?/.test(regex[1]));
}

/** Does the route end in a catch-all (`*`, `{*path}`, `[...slug]`), so that it answers for a whole subtree? */
export function isCatchAllRoute(text: string): boolean {
  return routeTemplates(text, "route")[0]?.rest !== undefined;
}

/** A template with `prefix` in front: a server's path, a base path. */
function prefixed(prefix: RouteTemplate, template: RouteTemplate): RouteTemplate {
  return { segments: [...prefix.segments, ...template.segments], ...(template.rest ? { rest: template.rest } : {}) };
}

/**
 * Items filed by template, found by a template that matches theirs (see the module
 * comment); each lookup costs a few map reads, whatever the number of items.
 */
class TemplateIndex<T> {
  private readonly exact = new Map<string, T[]>();
  /** Prefix → items whose template is the prefix followed by one or more lone parameters. */
  private readonly trailingParams = new Map<string, T[]>();
  /** Prefix → items whose template is the prefix followed by a catch-all. */
  private readonly rests = new Map<string, Array<{ item: T; optional: boolean }>>();

  add(template: RouteTemplate, item: T): void {
    const { segments } = template;
    if (template.rest) {
      push(this.rests, keyOf(segments), { item, optional: template.rest.optional });
      return;
    }
    push(this.exact, keyOf(segments), item);
    for (let k = segments.length - 1; k >= 0 && segments[k] === "{}"; k--)
      push(this.trailingParams, keyOf(segments.slice(0, k)), item);
  }

  /** The items whose template matches `template`, possibly more than once. */
  matching(template: RouteTemplate): T[] {
    const { segments } = template;
    const key = keyOf(segments);
    const found: T[] = [];
    if (template.rest) {
      found.push(...(this.trailingParams.get(key) ?? []));
      for (const rest of this.rests.get(key) ?? []) found.push(rest.item);
      if (template.rest.optional) found.push(...(this.exact.get(key) ?? []));
      return found;
    }
    found.push(...(this.exact.get(key) ?? []));
    for (const rest of this.rests.get(key) ?? []) if (rest.optional) found.push(rest.item);
    for (let k = segments.length - 1; k >= 0 && segments[k] === "{}"; k--)
      for (const rest of this.rests.get(keyOf(segments.slice(0, k))) ?? []) found.push(rest.item);
    return found;
  }
}

function keyOf(segments: readonly string[]): string {
  return `/${segments.join("/")}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

// ---------------------------------------------------------------------------------
// Methods.
// ---------------------------------------------------------------------------------

/** The methods an OpenAPI path item can declare operations for. */
export type OperationMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";

const OPERATION_METHODS: readonly OperationMethod[] = [
  "GET",
  "PUT",
  "POST",
  "DELETE",
  "OPTIONS",
  "HEAD",
  "PATCH",
  "TRACE",
];

/**
 * Whether a route of the code answering `method` is declared by a path that declares
 * `declared`: `ANY` (a handler of every method) by any operation on the path, `HEAD` by
 * `GET` too (frameworks answer HEAD with the GET handler), `OPTIONS` by the path itself
 * (a CORS preflight answers for every path).
 */
export function covers(declared: ReadonlySet<string>, method: string): boolean {
  const m = method.toUpperCase();
  if (m === "ANY" || m === "OPTIONS") return declared.size > 0;
  if (m === "HEAD") return declared.has("HEAD") || declared.has("GET");
  return declared.has(m);
}

// ---------------------------------------------------------------------------------
// Documents.
// ---------------------------------------------------------------------------------

/** One operation a document declares. */
export interface DocumentedOperation {
  method: OperationMethod;
  /** The path as the document writes it under `paths`: `/orders/{orderId}`. */
  path: string;
  operationId?: string;
  /**
   * The path prefixes its servers give (OpenAPI 3 `servers` of the operation, its path or
   * the document; Swagger 2 `basePath`), as OpenAPI templates: `/api/v1`; `/` for none.
   * A route that matches with any of them implements the operation.
   */
  prefixes: string[];
}

/** A document read: what it declares. */
export interface OpenApiDocument {
  /** The absolute path of the document. */
  file: string;
  /** The `openapi` (`3.1.0`) or `swagger` (`2.0`) version. */
  version: string;
  operations: readonly DocumentedOperation[];
}

/** A document that cannot be used: missing, unreadable, not YAML or JSON, or no OpenAPI/Swagger document. */
export class OpenApiDocumentError extends Error {
  /** The file that could not be used (the document, or a file one of its `$ref`s names). */
  readonly file: string;
  /** What is wrong with it, to follow its name: `does not exist`, `is not valid YAML or JSON: …`. */
  readonly reason: string;

  constructor(file: string, reason: string) {
    super(`${file} ${reason}`);
    this.name = "OpenApiDocumentError";
    this.file = file;
    this.reason = reason;
  }
}

/** Documents over this size are not read (the largest public API descriptions are about 15 MB). */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;
/** `$ref`s followed one after the other for one path item. */
const MAX_REF_DEPTH = 8;

interface Stamp {
  file: string;
  mtimeMs: number;
  size: number;
}

interface CacheEntry {
  stamps: Stamp[];
  result: OpenApiDocument | OpenApiDocumentError;
}

const documents = new Map<string, CacheEntry>();
const indexes = new WeakMap<OpenApiDocument, TemplateIndex<DocumentedOperation>>();
const bareIndexes = new WeakMap<OpenApiDocument, TemplateIndex<DocumentedOperation>>();

function stampOf(file: string): Stamp | undefined {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? { file, mtimeMs: stat.mtimeMs, size: stat.size } : undefined;
  } catch {
    return undefined;
  }
}

function unchanged(stamps: readonly Stamp[]): boolean {
  return stamps.every((stamp) => {
    const now = stampOf(stamp.file);
    return now !== undefined && now.mtimeMs === stamp.mtimeMs && now.size === stamp.size;
  });
}

/**
 * The document at `file` (an absolute path), read once per modification time and size of
 * it and of the files its `$ref`s name. Throws OpenApiDocumentError when it cannot be used.
 */
export function loadOpenApiDocument(file: string): OpenApiDocument {
  const absolute = path.resolve(file);
  const cached = documents.get(absolute);
  if (cached && unchanged(cached.stamps)) {
    if (cached.result instanceof OpenApiDocumentError) throw cached.result;
    return cached.result;
  }
  const reader = new DocumentReader();
  let result: OpenApiDocument | OpenApiDocumentError;
  try {
    result = reader.document(absolute);
  } catch (error) {
    if (!(error instanceof OpenApiDocumentError)) throw error;
    result = error;
  }
  // A file that is missing now may appear: only what was read is cached.
  if (reader.stamps.length > 0 && reader.stamps.every((s) => s.size >= 0))
    documents.set(absolute, { stamps: reader.stamps, result });
  else documents.delete(absolute);
  if (result instanceof OpenApiDocumentError) throw result;
  return result;
}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads one document and the files its path items refer to, recording what it read. */
class DocumentReader {
  readonly stamps: Stamp[] = [];
  private readonly parsed = new Map<string, Json>();

  document(file: string): OpenApiDocument {
    const root = this.parse(file);
    if (!isObject(root)) throw new OpenApiDocumentError(file, "is not an OpenAPI document (not a YAML or JSON object)");
    const version = documentVersion(root);
    if (!version)
      throw new OpenApiDocumentError(
        file,
        'is not an OpenAPI 3.x or Swagger 2.0 document (it has no `openapi: 3.x` or `swagger: "2.0"` field)',
      );
    const paths = root.paths ?? {};
    if (!isObject(paths)) throw new OpenApiDocumentError(file, "has a `paths` that is not an object");
    const rootPrefixes = version === "2.0" ? [basePathOf(root)] : (serverPrefixes(root.servers) ?? ["/"]);
    const operations: DocumentedOperation[] = [];
    for (const [key, value] of Object.entries(paths)) {
      if (!key.startsWith("/")) continue; // `x-…` extensions
      const item = this.pathItem(value, file, root, `paths["${key}"]`);
      if (!item) continue;
      const itemPrefixes = version === "2.0" ? rootPrefixes : (serverPrefixes(item.servers) ?? rootPrefixes);
      for (const [field, operation] of Object.entries(item)) {
        const method = field.toUpperCase() as OperationMethod;
        if (!OPERATION_METHODS.includes(method)) continue;
        const own = isObject(operation) && version !== "2.0" ? serverPrefixes(operation.servers) : undefined;
        const operationId =
          isObject(operation) && typeof operation.operationId === "string" ? operation.operationId : undefined;
        operations.push({ method, path: key, ...(operationId ? { operationId } : {}), prefixes: own ?? itemPrefixes });
      }
    }
    return { file, version, operations };
  }

  /** The path item, with a `$ref` followed (its own fields win over the referenced ones, as OpenAPI 3.1 has it). */
  private pathItem(value: Json, file: string, root: Json, where: string): Record<string, Json> | undefined {
    let item = value;
    let base = file;
    let baseRoot = root;
    const merged: Record<string, Json> = {};
    for (let depth = 0; isObject(item) && typeof item.$ref === "string"; depth++) {
      if (depth >= MAX_REF_DEPTH)
        throw new OpenApiDocumentError(file, `follows more than ${MAX_REF_DEPTH} $refs in a row at ${where}`);
      for (const [k, v] of Object.entries(item)) if (k !== "$ref" && !(k in merged)) merged[k] = v;
      const target = this.ref(item.$ref, base, baseRoot, where, file);
      item = target.value;
      base = target.file;
      baseRoot = target.root;
    }
    if (!isObject(item)) return Object.keys(merged).length > 0 ? merged : undefined;
    return { ...item, ...merged };
  }

  private ref(ref: string, base: string, baseRoot: Json, where: string, document: string) {
    const hash = ref.indexOf("#");
    const target = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? "" : ref.slice(hash + 1);
    if (/^[a-z][a-z0-9+.-]*:/i.test(target))
      throw new OpenApiDocumentError(
        document,
        `has a $ref at ${where} that names a URL (${JSON.stringify(ref)}); only local files are read`,
      );
    const file = target === "" ? base : path.resolve(path.dirname(base), decodeURIComponent(target));
    const root = target === "" ? baseRoot : this.parse(file);
    const value = resolvePointer(root, pointer);
    if (value === undefined)
      throw new OpenApiDocumentError(
        document,
        `has a $ref at ${where} that points at nothing (${JSON.stringify(ref)})`,
      );
    return { value, file, root };
  }

  private parse(file: string): Json {
    if (this.parsed.has(file)) return this.parsed.get(file);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (error) {
      this.stamps.push({ file, mtimeMs: -1, size: -1 });
      const code = (error as NodeJS.ErrnoException).code;
      throw new OpenApiDocumentError(
        file,
        code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? String(error)})`,
      );
    }
    if (!stat.isFile()) throw new OpenApiDocumentError(file, "is not a file");
    if (stat.size > MAX_DOCUMENT_BYTES)
      throw new OpenApiDocumentError(file, `is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`);
    this.stamps.push({ file, mtimeMs: stat.mtimeMs, size: stat.size });
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      throw new OpenApiDocumentError(
        file,
        `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
    const value = parseText(text.replace(/^\uFEFF/, ""), file);
    this.parsed.set(file, value);
    return value;
  }
}

const require = createRequire(import.meta.url);
let yaml: typeof Yaml | undefined;

/** `yaml`, loaded when the first document is read: a run without a document never pays for it. */
function parseYaml(text: string, options: Yaml.ParseOptions & Yaml.DocumentOptions & Yaml.SchemaOptions): unknown {
  yaml ??= require("yaml") as typeof Yaml;
  return yaml.parse(text, options);
}

function parseText(text: string, file: string): Json {
  if (/^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text) as Json;
    } catch {
      // YAML reads JSON too, and says where it goes wrong.
    }
  }
  try {
    return parseYaml(text, { logLevel: "error" });
  } catch (error) {
    const message = String((error as Error)?.message ?? error).split("\n")[0];
    throw new OpenApiDocumentError(file, `is not valid YAML or JSON: ${message}`);
  }
}

function documentVersion(root: Record<string, Json>): string | undefined {
  if (typeof root.openapi === "string" && /^3\./.test(root.openapi)) return root.openapi;
  if (root.swagger === "2.0" || root.swagger === 2) return "2.0";
  return undefined;
}

/** `#/components/pathItems/Orders` → that value; `""` → the whole document. */
function resolvePointer(root: Json, pointer: string): Json {
  if (pointer === "" || pointer === "/") return root;
  let value = root;
  for (const raw of pointer.replace(/^\//, "").split("/")) {
    const part = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(value)) value = value[Number(part)] as Json;
    else if (isObject(value) && Object.hasOwn(value, part)) value = value[part];
    else return undefined;
  }
  return value;
}

/** Swagger 2's `basePath` (default `/`). */
function basePathOf(root: Record<string, Json>): string {
  return typeof root.basePath === "string" ? prefixPath(root.basePath) : "/";
}

/** The path prefixes of a `servers` list; undefined when there is none (the enclosing level's apply). */
function serverPrefixes(servers: Json): string[] | undefined {
  if (!Array.isArray(servers) || servers.length === 0) return undefined;
  const prefixes = new Set<string>();
  for (const server of servers) {
    if (!isObject(server) || typeof server.url !== "string") continue;
    prefixes.add(prefixPath(substituteVariables(server.url, server.variables)));
  }
  return prefixes.size > 0 ? [...prefixes] : undefined;
}

/** `{basePath}` → the variable's default (or first enum value); left as a template parameter without one. */
function substituteVariables(url: string, variables: Json): string {
  return url.replace(/\{([^}]*)\}/g, (whole, name: string) => {
    const variable = isObject(variables) ? variables[name] : undefined;
    if (isObject(variable)) {
      if (typeof variable.default === "string") return variable.default;
      if (Array.isArray(variable.enum) && typeof variable.enum[0] === "string") return variable.enum[0];
    }
    return whole;
  });
}

/** The path part of a server URL: `https://api.example.com/v1` → `/v1`, `//host/api` → `/api`, `api` → `/api`. */
function prefixPath(url: string): string {
  const absolute = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*(.*)$/i.exec(url);
  const rest = (absolute ? absolute[1] : url).replace(/[?#].*$/, "");
  const segments = rest.split("/").filter((s) => s !== "" && s !== ".");
  return `/${segments.join("/")}`;
}

/** The operations a document declares. */
export function documentedOperations(doc: OpenApiDocument): DocumentedOperation[] {
  return doc.operations.map((operation) => ({ ...operation, prefixes: [...operation.prefixes] }));
}

function indexOf(doc: OpenApiDocument): TemplateIndex<DocumentedOperation> {
  let index = indexes.get(doc);
  if (!index) {
    index = new TemplateIndex();
    const prefixTemplates = new Map<string, RouteTemplate>();
    for (const operation of doc.operations) {
      const templates = routeTemplates(operation.path, "openapi");
      for (const prefix of operation.prefixes) {
        let prefixTemplate = prefixTemplates.get(prefix);
        if (!prefixTemplate) {
          prefixTemplate = routeTemplates(prefix, "openapi")[0];
          prefixTemplates.set(prefix, prefixTemplate);
        }
        for (const template of templates) index.add(prefixed(prefixTemplate, template), operation);
      }
    }
    indexes.set(doc, index);
  }
  return index;
}

/** The operations of `doc` on the path of a route of the code, with the servers' prefixes applied, in the document's order. */
export function operationsOnRoute(doc: OpenApiDocument, route: string): DocumentedOperation[] {
  const index = indexOf(doc);
  const found = new Set<DocumentedOperation>();
  for (const template of routeTemplates(route, "route"))
    for (const operation of index.matching(template)) found.add(operation);
  return doc.operations.filter((operation) => found.has(operation));
}

/** The methods `doc` declares for a route of the code, with the servers' prefixes applied. */
export function declaredMethods(doc: OpenApiDocument, route: string): Set<OperationMethod> {
  return new Set(operationsOnRoute(doc, route).map((operation) => operation.method));
}

/**
 * The operations of `doc` whose path, without their servers' prefixes, matches a route of
 * the code: the code serves them at the document's path but not under the servers' path
 * (a gateway that adds `/api` in front, or a document whose servers are out of date).
 */
export function operationsWithoutPrefix(doc: OpenApiDocument, route: string): DocumentedOperation[] {
  let index = bareIndexes.get(doc);
  if (!index) {
    index = new TemplateIndex();
    for (const operation of doc.operations)
      for (const template of routeTemplates(operation.path, "openapi")) index.add(template, operation);
    bareIndexes.set(doc, index);
  }
  const found = new Set<DocumentedOperation>();
  for (const template of routeTemplates(route, "route"))
    for (const operation of index.matching(template)) found.add(operation);
  return [...found];
}

/** Does `doc` declare `method` (`ANY` for a handler of every method) on the route `route` of the code? */
export function declares(doc: OpenApiDocument, method: string, route: string): boolean {
  return covers(declaredMethods(doc, route), method);
}

/**
 * Where `doc` would declare a route of the code: its OpenAPI path template
 * (`openApiPathOf`) without the longest server prefix of the document it starts with
 * (`/api/v1/orders/:id` under the server `/api/v1` → `/orders/{id}`).
 */
export function documentPathFor(doc: OpenApiDocument, route: string): string {
  const full = openApiPathOf(route);
  const template = routeTemplates(route, "route")[0];
  if (!template) return full;
  let strip = 0;
  for (const prefix of new Set(doc.operations.flatMap((o) => o.prefixes))) {
    const segments = routeTemplates(prefix, "openapi")[0]?.segments ?? [];
    if (segments.length > strip && segments.every((segment, i) => template.segments[i] === segment))
      strip = segments.length;
  }
  if (strip === 0) return full;
  return `/${full
    .split("/")
    .filter((s) => s !== "")
    .slice(strip)
    .join("/")}`;
}

/** A route of the code for `unimplementedOperations`: its method (`ANY` for all) and its path, as text or segments. */
export interface ImplementedRoute {
  /** `GET`, `ANY` (a handler of every method), in any case. */
  method: string;
  route: string | { segments: readonly string[] };
}

/** The operations of `doc` that none of `endpoints` implements, in the document's order. */
export function unimplementedOperations(
  doc: OpenApiDocument,
  endpoints: readonly ImplementedRoute[],
): DocumentedOperation[] {
  const index = new TemplateIndex<string>();
  for (const endpoint of endpoints) {
    const text = typeof endpoint.route === "string" ? endpoint.route : `/${endpoint.route.segments.join("/")}`;
    for (const template of routeTemplates(text, "route")) index.add(template, endpoint.method.toUpperCase());
  }
  const missing: DocumentedOperation[] = [];
  for (const operation of doc.operations) {
    const served = new Set<string>();
    for (const prefix of operation.prefixes) {
      const prefixTemplate = routeTemplates(prefix, "openapi")[0];
      for (const template of routeTemplates(operation.path, "openapi"))
        for (const method of index.matching(prefixed(prefixTemplate, template))) served.add(method);
    }
    if (!implementedBy(served, operation.method)) missing.push({ ...operation, prefixes: [...operation.prefixes] });
  }
  return missing;
}

/** Is an operation of `method` implemented by routes of these methods on its path? */
function implementedBy(served: ReadonlySet<string>, method: OperationMethod): boolean {
  if (served.has("ANY") || served.has(method)) return true;
  if (method === "HEAD") return served.has("GET");
  if (method === "OPTIONS") return served.size > 0;
  return false;
}

// ---------------------------------------------------------------------------------
// Where a project's documents are.
// ---------------------------------------------------------------------------------

/**
 * The absolute paths of the configured documents for a file: an absolute entry as it is,
 * a relative one from the file's project folder (its nearest `package.json`, or `.csproj`
 * for C#), or from `cwd` for a file outside any project.
 */
export function documentFiles(entries: readonly string[], filename: string, kind: ProjectKind, cwd: string): string[] {
  if (entries.every((entry) => path.isAbsolute(entry))) return entries.map((entry) => path.normalize(entry));
  const base = documentBase(filename, kind, cwd);
  return entries.map((entry) => path.resolve(base, entry));
}

/** The folder relative document paths are read from for a file: its project folder, or `cwd` outside any project. */
export function documentBase(filename: string, kind: ProjectKind, cwd: string): string {
  return projectRootOf(filename, kind)?.dir ?? cwd;
}
