/**
 * The C# summarizer of the project index: which types a file declares and whether it
 * may register app-wide authorization, found without parsing; its summary (attribute
 * classes, base controllers, startup registrations) built by the parser worker.
 */
import type { Summarizer } from "../lib/core/project/index.js";
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

/** What sets up an audit of every save (AP107): an EF Core interceptor, Audit.NET, a SaveChanges override. */
const AUDIT_MECHANISM =
  /\b(?:SaveChangesInterceptor|AddInterceptors|AuditDbContext|AuditIdentityDbContext)\b|\bAudit\.(?:Core|EntityFramework)\b|\boverride\b[^;{]*\bSaveChanges(?:Async)?\s*\(/;

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
    return {
      imports: [...calls],
      declares: [...declares],
      appWide: APP_WIDE.test(text) || AUDIT_MECHANISM.test(text),
    };
  },
  summarize: (file, text, settings) => summaryInWorker(text, file, settings, DEFAULT_MAX_PARSE_TIME),
};
