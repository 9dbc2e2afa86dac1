/**
 * What each framework calls authorization, in the user's terms: used by rules to word
 * messages. Knowledge of the framework's syntax stays in the adapters.
 */
import type { Framework } from "./model.js";

export interface FrameworkVocabulary {
  displayName: string;
  /** Completes "nothing requires authorization: …". */
  missingAuth: string;
  /** One-line remediation. */
  addAuth: string;
}

export const FRAMEWORK_VOCABULARY: Record<Framework, FrameworkVocabulary> = {
  express: {
    displayName: "Express",
    missingAuth: "no auth middleware on the route, and none registered before it with app.use()/router.use()",
    addAuth: "pass an auth middleware before the handler (e.g. requireAuth) or call router.use(requireAuth) before the route.",
  },
  "aspnetcore-mvc": {
    displayName: "ASP.NET Core MVC",
    missingAuth: "no [Authorize] on the action or controller",
    addAuth: "add [Authorize] (with a role or policy where it fits) to the action or its controller.",
  },
};
