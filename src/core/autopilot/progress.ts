/**
 * An autopilot session's progress as someone watching it reads it: trials done of the budget, minutes
 * left, money spent. Computed from the run's journal record, so the extension's status bar follows a
 * session started anywhere (its own task, a CLI in a terminal) the same way.
 */
import type { RunRecord } from '../run/journal';

export interface AutopilotProgress {
  /** The session's number of the newest trial that ended (a resumed session goes on counting). */
  done: number;
  maxTrials: number;
  /** Whole minutes left of --max-minutes, never below 0. */
  minutesLeft: number;
  /** What the agents reported spending so far in this run. */
  costUsd: number;
  maxCostUsd?: number;
}

const ENDED = new Set(['kept', 'reverted', 'error']);

/**
 * Undefined until the run has written its autopilot start (its budgets). `now` in milliseconds since
 * the epoch; minutes are counted from the run's start.
 */
export function autopilotProgress(run: RunRecord, now: number): AutopilotProgress | undefined {
  const autopilot = run.autopilot;
  if (!autopilot) return undefined;
  const budgets = autopilot.budgets;
  const ended = new Set(run.trials.filter((t) => t.status !== undefined && ENDED.has(t.status)).map((t) => t.trial));
  const done = Math.max(0, ...ended);
  const costUsd = autopilot.trials.filter((t) => ended.has(t.trial)).reduce((sum, t) => sum + (t.costUsd ?? 0), 0);
  const started = Date.parse(run.startedAt);
  const minutes = Number.isFinite(started) ? Math.max(0, now - started) / 60_000 : 0;
  const maxMinutes = budgets.maxMinutes ?? 0;
  return {
    done,
    maxTrials: budgets.maxTrials ?? 0,
    minutesLeft: Math.max(0, Math.ceil(maxMinutes - minutes)),
    costUsd,
    ...(budgets.maxCostUsd !== undefined ? { maxCostUsd: budgets.maxCostUsd } : {}),
  };
}

/** `reverse-words autopilot 7/20 · 43 min left · $0.84` (with a cost cap: `$0.84 of $2.00`). */
export function autopilotStatusText(slug: string, p: AutopilotProgress): string {
  const cost = p.maxCostUsd === undefined ? `$${p.costUsd.toFixed(2)}` : `$${p.costUsd.toFixed(2)} of $${p.maxCostUsd.toFixed(2)}`;
  return `${slug} autopilot ${p.done}/${p.maxTrials} · ${p.minutesLeft} min left · ${cost}`;
}

/** The same for a screen reader: words, no symbols. */
export function autopilotStatusLabel(slug: string, p: AutopilotProgress): string {
  const cost = p.maxCostUsd === undefined ? `${p.costUsd.toFixed(2)} dollars spent` : `${p.costUsd.toFixed(2)} of ${p.maxCostUsd.toFixed(2)} dollars spent`;
  return `Autoexp Autopilot on ${slug}: ${p.done} of ${p.maxTrials} trials done, ${p.minutesLeft} minutes left, ${cost}`;
}
