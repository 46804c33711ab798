/** "Reset Pack": the pack's own reset.py puts the target back to its baseline. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UserError } from './errors';
import { runProcess, type RunResult } from './process';

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
  } catch {
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
