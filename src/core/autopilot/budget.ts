/**
 * Autopilot budgets, checked before each trial: the session stops once what it spent reaches a limit.
 * With --max-cost 0.15 and trials of 0.10, the second trial starts (0.10 spent) and the third does not.
 */

export interface Budgets {
  maxTrials: number;
  maxMinutes: number;
  /** No cost cap unless given. */
  maxCostUsd?: number;
  /** Errors in a row that end the session. */
  maxErrors: number;
  /** Trials without a keep before the prompt asks for a new direction; three times this ends the session. */
  patience: number;
}

export const DEFAULT_BUDGETS: Budgets = { maxTrials: 20, maxMinutes: 120, maxErrors: 5, patience: 5 };

export interface Spent {
  trials: number;
  minutes: number;
  costUsd: number;
  tokens: number;
  errorsInARow: number;
  /** Trials since the last keep (or since the start). */
  sinceKept: number;
}

export const NOTHING_SPENT: Spent = { trials: 0, minutes: 0, costUsd: 0, tokens: 0, errorsInARow: 0, sinceKept: 0 };

export type BudgetCheck = { stop: false; changeDirection: boolean } | { stop: true; reason: string; kind: 'budget' | 'patience' | 'errors' };

export function checkBudget(b: Budgets, s: Spent): BudgetCheck {
  if (s.trials >= b.maxTrials) return { stop: true, kind: 'budget', reason: `ran ${s.trials} trial(s) of --max-trials ${b.maxTrials}` };
  if (s.minutes >= b.maxMinutes) return { stop: true, kind: 'budget', reason: `ran ${Math.floor(s.minutes)} of --max-minutes ${b.maxMinutes}` };
  if (b.maxCostUsd !== undefined && s.costUsd >= b.maxCostUsd) return { stop: true, kind: 'budget', reason: `spent $${s.costUsd.toFixed(2)} of --max-cost $${b.maxCostUsd.toFixed(2)}` };
  if (s.errorsInARow >= b.maxErrors) return { stop: true, kind: 'errors', reason: `${s.errorsInARow} errors in a row (--max-errors ${b.maxErrors})` };
  if (s.sinceKept >= 3 * b.patience) return { stop: true, kind: 'patience', reason: `nothing kept in ${s.sinceKept} trials (3 × --patience ${b.patience})` };
  return { stop: false, changeDirection: s.sinceKept >= b.patience };
}

/** `17 trials, 93 min, $0.84 left` for the prompt and the status bar. */
export function describeBudgetLeft(b: Budgets, s: Spent): string {
  const parts = [`${Math.max(0, b.maxTrials - s.trials)} trial(s)`, `${Math.max(0, Math.ceil(b.maxMinutes - s.minutes))} min`];
  if (b.maxCostUsd !== undefined) parts.push(`$${Math.max(0, b.maxCostUsd - s.costUsd).toFixed(2)}`);
  return `${parts.join(', ')} left`;
}
