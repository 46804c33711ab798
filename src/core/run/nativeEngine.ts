/**
 * The native engine: the keep/revert contract in core. Measure a baseline; for each proposal back the
 * target up, run the proposal with EXPERIMENT_TARGET, re-measure, keep only a strict improvement (by
 * the margin, on medians of `repeat` measurements), otherwise restore; one row per trial in the
 * pack's own dialect, every step in the journal.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { oneLine } from '../errors';
import { runMeasure, type MeasurePayload } from '../measure';
import { runProcess } from '../process';
import { isBetter } from '../results/columns';
import type { Direction } from '../results/model';
import { describeProcessEnd, MAX_CONSECUTIVE_ERRORS, type NativeOptions, type RunContext, type RunSummary, type TrialOutcome } from './context';
import { describeTouched } from './guard/repoGuard';
import { nowIso, type TrialEndStatus } from './journal';
import { appendRow, formatScore, readDialect, type LogDialect } from './resultsWriter';
import { restoreFile } from './snapshots';

type Measured = { ok: true; score: number; payload: MeasurePayload } | { ok: false; reason: string; cancelled: boolean };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function measureTarget(ctx: RunContext, repeat: number): Promise<Measured> {
  const scores: number[] = [];
  let payload: MeasurePayload | undefined;
  for (let i = 0; i < repeat; i++) {
    const { outcome, process: proc } = await runMeasure(ctx.pack, {
      python: ctx.python,
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
      env: ctx.processes.env,
      onSpawn: ctx.processes.track,
    });
    ctx.reporter.processDone?.(proc.durationMs);
    ctx.reporter.log(`measure.py: ${Math.round(proc.durationMs)} ms, exit ${proc.exitCode ?? (proc.timedOut ? 'timeout' : 'killed')}`);
    if (!outcome.ok) return { ok: false, reason: outcome.error.kind === 'timeout' ? 'timeout' : outcome.error.message, cancelled: outcome.error.kind === 'cancelled' };
    scores.push(outcome.score);
    payload = outcome.payload;
  }
  return { ok: true, score: median(scores), payload: payload! };
}

/** A strict improvement of at least `margin`. */
export function improves(candidate: number, best: number, direction: Direction, margin: number): boolean {
  if (!isBetter(candidate, best, direction)) return false;
  return Math.abs(candidate - best) >= margin;
}

export async function runNativeEngine(ctx: RunContext, options: NativeOptions & { direction: Direction }): Promise<RunSummary> {
  const dialect = readDialect(ctx.resultsFile);
  const summary: RunSummary = { run: ctx.run, engine: 'native', status: 'finished', trials: [] };
  const baseline = await measureTarget(ctx, options.repeat);
  if (!baseline.ok) {
    const message = baseline.cancelled ? 'cancelled during the baseline' : `baseline failed: ${baseline.reason === 'timeout' ? `measure.py did not finish within ${ctx.timeoutMs / 1000} s` : baseline.reason}`;
    return { ...summary, status: baseline.cancelled ? 'cancelled' : 'error', message };
  }
  ctx.journal.append({ type: 'baseline', run: ctx.run, score: baseline.score, payload: baseline.payload, at: nowIso() });
  ctx.reporter.line(`BASELINE ${formatScore(baseline.score)}`);
  summary.baseline = baseline.score;
  let best = baseline.score;
  let errorsInARow = 0;
  for (const [i, proposal] of ctx.proposals.entries()) {
    const outcome = await runNativeTrial(ctx, options, dialect, i + 1, proposal, best);
    summary.trials.push(outcome);
    ctx.reporter.trialDone?.(outcome.trial, ctx.proposals.length, outcome.status);
    if (outcome.status === 'cancelled') return { ...summary, best, status: 'cancelled', message: `cancelled during trial ${outcome.trial}` };
    if (outcome.status === 'kept') best = outcome.newScore!;
    errorsInARow = outcome.status === 'error' ? errorsInARow + 1 : 0;
    if (errorsInARow >= MAX_CONSECUTIVE_ERRORS && i + 1 < ctx.proposals.length) {
      ctx.reporter.line(`FINAL ${formatScore(best)}`);
      return { ...summary, best, status: 'stopped', message: `stopped after ${MAX_CONSECUTIVE_ERRORS} errors in a row; the last: ${outcome.reason}` };
    }
  }
  ctx.reporter.line(`FINAL ${formatScore(best)}`);
  return { ...summary, best };
}

export async function runNativeTrial(ctx: RunContext, options: NativeOptions & { direction: Direction }, dialect: LogDialect, trial: number, proposal: string, best: number): Promise<TrialOutcome> {
  const name = path.basename(proposal);
  const started = performance.now();
  const before = ctx.store.put(readFileSync(ctx.target));
  const mark = await ctx.guard.mark();
  ctx.journal.append({ type: 'trial-start', run: ctx.run, trial, proposal: name, target: ctx.target, before, at: nowIso() });

  const proc = await runProcess(ctx.python, [proposal], {
    cwd: ctx.pack,
    env: { ...ctx.processes.env, EXPERIMENT_TARGET: ctx.target },
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    onSpawn: ctx.processes.track,
    onStdout: ctx.reporter.output,
    onStderr: ctx.reporter.output,
  });
  ctx.reporter.processDone?.(proc.durationMs);
  ctx.reporter.log(`${name}: ${Math.round(proc.durationMs)} ms, exit ${proc.exitCode ?? (proc.timedOut ? 'timeout' : 'killed')}`);
  const description = proc.stdout.trim().split(/\r?\n/).pop()?.trim() ?? '';
  const candidate = ctx.store.put(readFileSync(ctx.target));
  // A repository git can no longer read (its .git removed, say) fails the trial, never the run's restore.
  const guarded = await ctx.guard.check(mark).catch((err: unknown) => ({ changed: [], unrestorable: [], failure: oneLine(err) }));
  const touched = guarded.changed;
  ctx.journal.append({ type: 'trial-applied', run: ctx.run, trial, candidate, exitCode: proc.exitCode ?? null, durationMs: proc.durationMs, touched: touched.length ? touched : undefined });

  /** Ends the trial: restores what must be, appends the row (unless cancelled) and the journal entry. */
  const finish = (status: TrialEndStatus, fields: { reason?: string; newScore?: number; payload?: MeasurePayload }): TrialOutcome => {
    let restored: string | undefined;
    let resultsLine: number | undefined;
    if (status !== 'kept' && restoreFile(ctx.store, before, ctx.target)) restored = ctx.target;
    if (status !== 'cancelled') {
      const rowDescription = fields.reason && status === 'error' ? [description, `(${fields.reason})`].filter(Boolean).join(' ') : description;
      resultsLine = appendRow(ctx.resultsFile, dialect, { trial, status: status as 'kept' | 'reverted' | 'error', oldScore: best, newScore: fields.newScore, proposal: name, description: rowDescription, run: ctx.run });
    }
    ctx.journal.append({ type: 'trial-end', run: ctx.run, trial, status, reason: fields.reason, oldScore: best, newScore: fields.newScore, payload: fields.payload, restored, resultsLine, durationMs: performance.now() - started, at: nowIso() });
    const score = fields.newScore === undefined ? '-' : formatScore(fields.newScore);
    if (status !== 'cancelled') ctx.reporter.line(`TRIAL ${trial} ${status.toUpperCase()} score=${score} proposal=${name}${fields.reason ? ` reason=${fields.reason}` : ''}`);
    return { trial, proposal: name, status, reason: fields.reason, oldScore: best, newScore: fields.newScore };
  };

  if (proc.cancelled) return finish('cancelled', { reason: 'cancelled' });
  if (proc.timedOut) return finish('error', { reason: 'timeout' });
  if (proc.spawnError) return finish('error', { reason: `${ctx.python}: cannot start (${proc.spawnError})` });
  if ('failure' in guarded) return finish('error', { reason: `the guard could not check the repository: ${guarded.failure}` });
  if (touched.length) return finish('error', { reason: describeTouched(guarded, ctx.guard.root) });
  if (proc.exitCode !== 0) return finish('error', { reason: describeProcessEnd('proposal', proc.exitCode, proc.stderr) });

  const measured = await measureTarget(ctx, options.repeat);
  if (!measured.ok) return finish(measured.cancelled ? 'cancelled' : 'error', { reason: measured.cancelled ? 'cancelled' : measured.reason });
  const status = improves(measured.score, best, options.direction, options.margin) ? 'kept' : 'reverted';
  return finish(status, { newScore: measured.score, payload: measured.payload });
}
