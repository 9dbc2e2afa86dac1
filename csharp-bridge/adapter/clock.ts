/**
 * The time the analysis of one file may take. Every pass of the adapter is meant to be
 * linear in the file, but syntax-error recovery can leave trees of shapes no real code
 * has; the passes that loop over the file check the clock, so that such a file ends in
 * one clear message instead of holding up the run.
 */

/** The analysis of a file took longer than its budget. */
export class AnalysisBudgetExceeded extends Error {}

let deadline = Number.POSITIVE_INFINITY;
let budget = 0;

/** Starts the clock for one file. */
export function startAnalysisClock(budgetMs: number): void {
  budget = budgetMs;
  deadline = performance.now() + budgetMs;
}

export function stopAnalysisClock(): void {
  deadline = Number.POSITIVE_INFINITY;
}

/** Throws AnalysisBudgetExceeded once the file's time is up. Cheap enough for every loop step. */
export function checkAnalysisClock(): void {
  if (performance.now() > deadline) {
    deadline = Number.POSITIVE_INFINITY;
    throw new AnalysisBudgetExceeded(`the analysis took longer than ${Math.round(budget)} ms and was stopped`);
  }
}

/** Milliseconds left (at least 1), or undefined when no clock runs. */
export function analysisTimeLeft(): number | undefined {
  if (deadline === Number.POSITIVE_INFINITY) return undefined;
  return Math.max(1, deadline - performance.now());
}
