/** "Reset Pack": the pack's own reset.py puts the target back to its baseline. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UserError } from './errors';
import { runProcess, type RunResult } from './process';
import { journalRoot, newRunId } from './run/journal';
import { acquireLock } from './run/lock';
import { describeRecovery, recoverInterrupted } from './run/recovery';
import { isMissing } from './fsErrors';

export interface ResetOptions {
  python: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

export async function runReset(packDir: string, options: ResetOptions): Promise<RunResult> {
  const script = path.join(packDir, 'reset.py');
  try {
    await fs.access(script);
  } catch (err) {
    if (!isMissing(err)) throw err;
    throw new UserError(`${script}: not found; this pack has no reset.py to restore its target`);
  }
  const run = await runProcess(options.python, [script], {
    cwd: packDir,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    onStdout: options.onStdout,
    onStderr: options.onStderr,
  });
  if (run.spawnError) throw new UserError(`${options.python}: cannot start (${run.spawnError})`);
  if (run.timedOut) throw new UserError(`${script}: did not finish in time and was stopped`);
  if (run.exitCode !== 0) {
    const why = run.stderr.trim().split(/\r?\n/).pop() || 'no error output';
    throw new UserError(`${script}: exited with code ${run.exitCode}: ${why}`);
  }
  return run;
}

export interface ResetHold {
  /** What a killed run left and was cleaned up first, one line each. */
  recovered: string[];
  release(): void;
}

/**
 * Before a reset: a killed run's leftovers are cleaned up (its processes ended, its trial restored),
 * then the pack's run lock is taken, so a reset never runs under a live run (that is refused with
 * the run named) and no run starts during one. Release it when the reset is done.
 */
export function holdPackForReset(packDir: string): ResetHold {
  const root = journalRoot(packDir);
  const recovered = recoverInterrupted(root, packDir).map((r) => describeRecovery(r, root));
  const lock = acquireLock(root, packDir, `reset-${newRunId()}`);
  return { recovered, release: lock.release };
}
