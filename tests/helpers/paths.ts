import { fileURLToPath } from "node:url";
import path from "node:path";

/** The repository root (tests run from dist/tests/**). */
export const ROOT = path.resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
export const FIXTURES = path.join(ROOT, "tests", "fixtures");
