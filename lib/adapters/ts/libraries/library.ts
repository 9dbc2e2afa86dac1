/**
 * The shape of one library's knowledge on the TS/JS side. Each file under libraries/
 * exports one record; the adapter merges what the records ask the walk to collect,
 * then asks each record that applies to the file for its endpoints.
 */
import type { TSESTree } from "@typescript-eslint/types";
import type { Endpoint, ExternalMount, GlobalGuard, RouteMiddleware } from "../../../core/model.js";
import type { ResolvedSettings } from "../../../core/settings.js";
import type { FileFacts } from "../facts.js";
import type { FileSummary } from "../../../core/project/summary.js";

/** What a library's hooks get: the walk's facts and the user's settings for one file. */
export interface TsFile {
  facts: FileFacts;
  settings: ResolvedSettings;
  filename: string;
}

export interface TsLibrary {
  /** The framework or library id; endpoints carry it as `framework`. */
  id: string;
  /** Member-call names (`post`, `use`, `register`) the walk must collect into `facts.memberCalls`. */
  memberCalls?: ReadonlySet<string>;
  /** Node types (`Decorator`, `ExportNamedDeclaration`) the walk must collect into `facts.collected`. */
  nodeTypes?: ReadonlySet<string>;
  /**
   * Whether to look for endpoints in this file at all (a cheap test: the file imports the
   * package, or its path is a route file). Without it `endpoints` always runs. `summary`
   * runs on every project file another file depends on: exported middleware, decorators
   * and wrappers matter wherever they are.
   */
  applies?(file: TsFile): boolean;
  /** The endpoints the file declares, with the protections it shows. */
  endpoints?(file: TsFile): Endpoint[];
  /** Guards the file registers for the whole application (`APP_GUARD`, `useGlobalGuards`). */
  globalGuards?(file: TsFile): GlobalGuard[];
  /** What other files of the project need to know of this file (lib/core/project/summary.ts). */
  summary?(file: TsFile): FileSummary;
  /** The file's route middleware, when it is one by the framework's file convention (Next.js `middleware.ts`). */
  routeMiddleware?(file: TsFile): RouteMiddleware | undefined;
  /** Routers, sub-apps and plugins the file mounts from other files, with what it puts in front of them. */
  mounts?(file: TsFile): ExternalMount[];
  /**
   * The library's own ways of answering 401/403 (`ctx.throw(401)`, `c.json(body, 401)`),
   * besides the common ones; the walk records them so that same-file middleware that
   * answers with them counts as auth.
   */
  denySignal?: (node: TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.AssignmentExpression) => boolean;
}
