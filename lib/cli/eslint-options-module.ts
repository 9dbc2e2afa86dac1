/**
 * The options module of a scan with `--concurrency` (`ESLint.fromOptionsModule`): ESLint's
 * thread and each worker thread import it and build the scan's options from the plan
 * main.ts put in the environment before the first import.
 */
import type { ESLint } from "eslint";
import { eslintOptions, PLAN_VARIABLE, type ScanPlan } from "./eslint-options.js";

const raw = process.env[PLAN_VARIABLE];
if (!raw) throw new Error(`${PLAN_VARIABLE} is not set: this module is loaded by api-posture scan --concurrency`);
const options: ESLint.Options = eslintOptions(JSON.parse(raw) as ScanPlan);
export default options;
