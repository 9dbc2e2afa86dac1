/**
 * The C# summarizer of the project index: which types a file declares and whether it
 * may register app-wide authorization, found without parsing; its summary (attribute
 * classes, base controllers, startup registrations) built by the parser worker.
 */
import type { Summarizer } from "../lib/core/project/index.js";
import { SCOPED_DATA } from "../lib/core/project/scopes.js";
import { summaryInWorker } from "./host.js";
import { DEFAULT_MAX_PARSE_TIME } from "./language.js";

/** `class Name`, `record Name`, `interface IName` (generic or not). */
const DECLARATION = /\b(?:class|record|interface)\s+([A-Za-z_]\w*)/g;
/** What startup code writes to require authorization for a whole app. */
const APP_WIDE =
  /\b(?:FallbackPolicy|SetFallbackPolicy|AuthorizeFilter|RequireAuthorization|AuthorizeFolder|AuthorizePage|AuthorizeAreaFolder|AuthorizeAreaPage)\b/;

/** A call of a function that maps routes on a builder, by the ASP.NET Core naming convention (`MapOrdersApi`). */
const ROUTE_FUNCTION_CALL = /\b(Map[A-Z]\w*)\s*\(/g;
/** A static function that maps routes: `static RouteGroupBuilder MapOrdersApi(this …)`. */
const ROUTE_FUNCTION_DECLARATION = /\bstatic\s+[\w<>.,?\s]+?\s(Map[A-Z]\w*)\s*\(/g;

/**
 * A class's base list: `class OrderQueries(OrderingContext context) : IOrderQueries, IDisposable {`.
 * The list ends at the body, a `where` constraint or the end of the declaration; the primary
 * constructor's parameters are skipped by the non-greedy run to the first `:` after them.
 */
const BASE_LIST =
  /\b(?:class|record)\s+[A-Za-z_]\w*\s*(?:<[^<>{};]{0,200}>)?\s*(?:\([^(){};]{0,2000}\))?\s*:\s*([^{};]{1,2000})/g;
/** `IRequestHandler<DeleteOrderCommand, bool>`, `ICommandHandler<Command>`. */
const REQUEST_HANDLER = /\bI(?:Request|Command|Query)Handler\s*<\s*([\w.]+)/g;

/** `IOrderQueries, IDisposable where T : class` → `IOrderQueries`, `IDisposable`: each entry's simple name, type arguments dropped. */
function baseNames(list: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let entry = "";
  const flush = () => {
    const name = /^\s*(?:global::)?([\w.]+)/.exec(entry)?.[1];
    if (name !== undefined) names.push(name.slice(name.lastIndexOf(".") + 1));
    entry = "";
  };
  for (const c of list.split(/\bwhere\b/)[0]) {
    if (c === "<" || c === "(") depth++;
    else if (c === ">" || c === ")") depth--;
    else if (c === "," && depth === 0) {
      flush();
      continue;
    }
    if (depth === 0 && c !== ">" && c !== ")") entry += c;
  }
  flush();
  return names.slice(0, 16);
}

/** What sets up an audit of every save (AP107): an EF Core interceptor, Audit.NET, a SaveChanges override. */
const AUDIT_MECHANISM =
  /\b(?:SaveChangesInterceptor|AddInterceptors|AuditDbContext|AuditIdentityDbContext)\b|\bAudit\.(?:Core|EntityFramework)\b|\boverride\b[^;{]*\bSaveChanges(?:Async)?\s*\(/;

/** `[assembly: SuppressMessage(` (or `[module: …]`), found without parsing; the summary reads them from the tree. */
const GLOBAL_SUPPRESSION = /\[\s*(?:assembly|module)\s*:[^\]]*?\bSuppressMessage/u;
/** `global using Microsoft.AspNetCore.Authorization;` (not `global using static`, not an alias). */
const GLOBAL_USING = /^[ \t]*global[ \t]+using[ \t]+(?!static\b)([A-Za-z_][\w.]*)[ \t]*;/gmu;
/** The index key of the files with `global using <namespace>;`: this, then the namespace. */
export const GLOBAL_USING_KEY = "using:";
/** The index key of the files that hold global suppressions. */
export const GLOBAL_SUPPRESSIONS = "global:SuppressMessage";

export const csharpSummarizer: Summarizer = {
  kind: "dotnet",
  extensions: [".cs"],
  scan(_file, text) {
    const declares = new Set<string>();
    for (let match = DECLARATION.exec(text); match; match = DECLARATION.exec(text)) declares.add(match[1]);
    DECLARATION.lastIndex = 0;
    // Route builders handed to functions (`MapOrdersApi()`), by the name that other files declare.
    const calls = new Set<string>();
    for (let match = ROUTE_FUNCTION_CALL.exec(text); match; match = ROUTE_FUNCTION_CALL.exec(text)) calls.add(match[1]);
    ROUTE_FUNCTION_CALL.lastIndex = 0;
    for (let match = ROUTE_FUNCTION_DECLARATION.exec(text); match; match = ROUTE_FUNCTION_DECLARATION.exec(text))
      declares.add(match[1]);
    ROUTE_FUNCTION_DECLARATION.lastIndex = 0;
    // What the project index's data flow looks files up by (lib/core/project/flow.ts): the classes
    // implementing an interface or deriving from a class, the MediatR requests handled, the query filters.
    for (let match = BASE_LIST.exec(text); match; match = BASE_LIST.exec(text))
      for (const base of baseNames(match[1])) declares.add(`impl:${base}`);
    BASE_LIST.lastIndex = 0;
    for (let match = REQUEST_HANDLER.exec(text); match; match = REQUEST_HANDLER.exec(text))
      declares.add(`handles:${match[1].slice(match[1].lastIndexOf(".") + 1)}`);
    REQUEST_HANDLER.lastIndex = 0;
    if (text.includes("HasQueryFilter")) declares.add(SCOPED_DATA);
    if (GLOBAL_SUPPRESSION.test(text)) declares.add(GLOBAL_SUPPRESSIONS);
    for (const match of text.matchAll(GLOBAL_USING)) declares.add(`${GLOBAL_USING_KEY}${match[1]}`);
    return {
      imports: [...calls],
      declares: [...declares],
      appWide: APP_WIDE.test(text) || AUDIT_MECHANISM.test(text),
    };
  },
  summarize: (file, text, settings) => summaryInWorker(text, file, settings, DEFAULT_MAX_PARSE_TIME),
};
