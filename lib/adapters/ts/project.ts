/**
 * The TS/JS summarizer of the project index: parses a project file with the parser the
 * configs use for its extension (typescript-eslint for TypeScript, espree for
 * JavaScript), runs the same walk as for a linted file and asks the libraries what
 * other files need to know of it.
 */
import * as path from "node:path";
import type { TSESTree } from "@typescript-eslint/types";
import { javascriptParser, typescriptParser } from "../../parser.js";
import { resolveSettings } from "../../core/settings.js";
import type { Summarizer } from "../../core/project/index.js";
import { summarizeTsFile } from "./index.js";
import { scanImports } from "../../core/project/resolve.js";
import { scanGuardUses } from "./concerns/auth-fixes.js";

const TS_EXTENSIONS = new Set([".ts", ".tsx", ".mts", ".cts"]);
/** Words without which a file attaches nothing: a mount (`use(`), a registrar call or a plugin registration all call something imported. */
const MAY_ATTACH = /\b(?:import|require)\b/;
/**
 * What registers protection or a route layout for a whole app: Nest global guards, global
 * prefix and versioning, and Next.js route middleware (by its file name).
 */
const APP_WIDE = /\bAPP_GUARD\b|\b(?:useGlobalGuards|setGlobalPrefix|enableVersioning)\s*\(/;
/** What sets up an audit of every write (AP107): a Prisma extension or middleware, a TypeORM subscriber, a Mongoose plugin. */
const AUDIT_MECHANISM = /\$(?:extends|use)\s*\(|\bEventSubscriber\b|\bEntitySubscriberInterface\b|\.plugin\s*\(/;
/** Configuration namespaces a file registers (`registerAs("app", …)`), for a layout read from configuration. */
const CONFIG_NAMESPACE = /\bregisterAs\s*(?:<[^>()]*>)?\s*\(\s*["'`]([\w.-]+)["'`]/g;
const ROUTE_MIDDLEWARE_FILE = /^(?:middleware|proxy)\.[cm]?[jt]sx?$/;

export const tsSummarizer: Summarizer = {
  kind: "node",
  extensions: [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"],
  scan: (file, text) => {
    const guards = scanGuardUses(text);
    return {
      imports: scanImports(text),
      declares: [...text.matchAll(CONFIG_NAMESPACE)].map((match) => `config:${match[1]}`),
      appWide: APP_WIDE.test(text) || AUDIT_MECHANISM.test(text) || ROUTE_MIDDLEWARE_FILE.test(path.basename(file)),
      ...(guards ? { guards } : {}),
    };
  },
  summarize(file, text, settings) {
    if (!MAY_ATTACH.test(text)) return undefined;
    const parsed = parse(file, text);
    if (!parsed) return undefined;
    return summarizeTsFile(
      { ast: parsed.ast, text, visitorKeys: parsed.visitorKeys },
      resolveSettings({ "api-posture": settings }),
      file,
    );
  },
};

type Parsed = { ast: TSESTree.Program; visitorKeys?: Record<string, readonly string[] | undefined> };

function parse(file: string, text: string): Parsed | undefined {
  const extension = path.extname(file).toLowerCase();
  if (TS_EXTENSIONS.has(extension)) {
    const result = typescriptParser.parseForESLint(text, {
      filePath: file,
      range: true,
      loc: true,
      comment: false,
      tokens: false,
    });
    return { ast: result.ast, visitorKeys: result.visitorKeys };
  }
  const jsx = extension === ".jsx";
  for (const sourceType of extension === ".cjs" ? (["commonjs"] as const) : (["module", "commonjs"] as const)) {
    try {
      const ast = javascriptParser.parse(text, {
        ecmaVersion: "latest",
        sourceType,
        range: true,
        loc: true,
        ecmaFeatures: { jsx },
      });
      return { ast: ast as unknown as TSESTree.Program };
    } catch {
      // A CommonJS file with a top-level `return` parses as a script.
    }
  }
  return undefined;
}
