/**
 * A run's outcome as a process exit code, and back. The CLI exits with it and the extension reads the
 * terminal's exit code with it, so the two cannot drift apart.
 */
import type { RunEndStatus } from './journal';

/** 130 is what a shell reports for a process ended by Ctrl+C (128 + SIGINT). */
export const EXIT_CANCELLED = 130;

export const EXIT_BY_STATUS: Readonly<Record<RunEndStatus, number>> = { finished: 0, stopped: 1, error: 1, interrupted: 1, cancelled: EXIT_CANCELLED };

export type ExitOutcome = 'finished' | 'cancelled' | 'failed';

/** What a run's exit code says happened; an unknown code (the terminal was closed) is a failure. */
export function outcomeOfExit(code: number | undefined): ExitOutcome {
  if (code === EXIT_BY_STATUS.finished) return 'finished';
  if (code === EXIT_CANCELLED) return 'cancelled';
  return 'failed';
}
