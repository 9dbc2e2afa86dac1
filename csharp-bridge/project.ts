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

export const csharpSummarizer: Summarizer = {
  kind: "dotnet",
  extensions: [".cs"],
  scan(_file, text) {
    const declares = new Set<string>();
    for (let match = DECLARATION.exec(text); match; match = DECLARATION.exec(text)) declares.add(match[1]);
    DECLARATION.lastIndex = 0;
    return { imports: [], declares: [...declares], appWide: APP_WIDE.test(text) };
  },
  summarize: (_file, text, settings) => summaryInWorker(text, settings, DEFAULT_MAX_PARSE_TIME),
};
