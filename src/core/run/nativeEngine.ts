/**
 * The native engine: the keep/revert contract in core. Measure a baseline; for each proposal back the
 * target up, run the proposal with EXPERIMENT_TARGET, re-measure, keep what the keep rule keeps
 * (./keepDecision.ts: by default a strict improvement beyond the margin, on medians of `repeat`
 * measurements), otherwise restore; one row per trial in the pack's own dialect, every step and every
 * sample in the journal. A harness that moves mid-run stops the run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { oneLine } from '../errors';
import type { MeasurePayload } from '../measure';
import { runProcess, type RunResult } from '../process';
import type { Direction } from '../results/model';
import { median } from '../stats/describe';
import { formatDecision, needsConfirmation } from '../stats/keepRule';
import type { Point } from '../stats/multiMetric';
import { describeProcessEnd, MAX_CONSECUTIVE_ERRORS, type NativeOptions, type RunContext, type RunSummary, type TrialOutcome } from './context';
import { describeTouched, describeUndone, type GuardReport } from './guard/repoGuard';
import { fingerprintHarness, harnessFiles, movedHarnessFile, type HarnessFingerprint } from './harness';
import { describeWorseHoldout, hasHoldout, HOLDOUT_SCRIPT, scoreHoldout, type HoldoutScore } from './holdout';
import { nowIso, type TrialEndStatus } from './journal';
import { decideKeep, metricMedians, pointOf, type KeepConfig, type KeepVerdict, type Sample } from './keepDecision';
import { GREEDY_KEEP, secondMetricName } from './keepOptions';
import { appendRow, formatScore, readDialect, type LogDialect } from './resultsWriter';
import { measureInterleaved, measureSamples } from './sampling';
import { restoreFile } from './snapshots';
import { unlessMissing } from '../fsErrors';

/** What a trial's decision weighs beside the proposal: the incumbent's measurements and the run's checks. */
export interface KeepState {
  /** The current target's measurements, from the baseline or the last kept candidate. */
  samples: Sample[];
  /** Pareto: every kept point, the baseline's first. */
  front: Point[];
  /** The harness as the run started; a change stops the run. */
  harness?: HarnessFingerprint;
  /**
   * This run's holdout scores by the target's content hash, when the pack has measure_holdout.py. Not
   * an earlier run's: its holdout data may have changed since, and the harness check covers one run.
   */
  holdouts?: Map<string, number>;
}

export type Baseline = { ok: true; score: number; state: KeepState } | { ok: false; cancelled: boolean; message: string };

/**
 * What every native trial of a run decides against: the harness fingerprinted (before the first
 * measurement, so an edit during the baseline counts too), the baseline measured and journalled, and
 * the incumbent's samples and Pareto point. The native engine and the autopilot both start here.
 */
export async function startKeepState(ctx: RunContext, options: NativeOptions & { direction: Direction }): Promise<Baseline> {
  const harness = fingerprintHarness(harnessFiles(ctx.pack, ctx.target));
  const measured = await measureSamples(ctx, options.repeat);
  if (!measured.ok) {
    const message = measured.cancelled ? 'cancelled during the baseline' : `baseline failed: ${measured.reason === 'timeout' ? `measure.py did not finish within ${ctx.timeoutMs / 1000} s` : measured.reason}`;
    return { ok: false, cancelled: measured.cancelled, message };
  }
  const score = median(measured.samples.map((s) => s.score));
  ctx.journal.append({ type: 'baseline', run: ctx.run, score, payload: measured.samples[measured.samples.length - 1].payload, at: nowIso() });
  ctx.reporter.line(`BASELINE ${formatScore(score)}`);
  const keep = options.keep ?? GREEDY_KEEP;
  const start = keep.metrics ? pointOf(metricMedians(measured.samples), keep.metrics) : undefined;
  const state: KeepState = { samples: measured.samples, front: start ? [start] : [], harness, holdouts: hasHoldout(ctx.pack) ? new Map() : undefined };
  return { ok: true, score, state };
}

export async function runNativeEngine(ctx: RunContext, options: NativeOptions & { direction: Direction }): Promise<RunSummary> {
  const dialect = readDialect(ctx.resultsFile);
  const summary: RunSummary = { run: ctx.run, engine: 'native', status: 'finished', trials: [] };
  const baseline = await startKeepState(ctx, options);
  if (!baseline.ok) return { ...summary, status: baseline.cancelled ? 'cancelled' : 'error', message: baseline.message };
  const { score, state } = baseline;
  summary.baseline = score;
  let best = score;
  let errorsInARow = 0;
  for (const [i, proposal] of ctx.proposals.entries()) {
    const outcome = await runNativeTrial(ctx, options, dialect, i + 1, proposal, best, state);
    summary.trials.push(outcome);
    ctx.reporter.trialDone?.(outcome.trial, ctx.proposals.length, outcome.status);
    if (outcome.status === 'cancelled') return { ...summary, best, status: 'cancelled', message: `cancelled during trial ${outcome.trial}` };
    if (outcome.status === 'kept') best = outcome.newScore!;
    if (outcome.stop) {
      ctx.reporter.line(`FINAL ${formatScore(best)}`);
      return { ...summary, best, status: 'stopped', message: outcome.stop };
    }
    errorsInARow = outcome.status === 'error' ? errorsInARow + 1 : 0;
    if (errorsInARow >= MAX_CONSECUTIVE_ERRORS && i + 1 < ctx.proposals.length) {
      ctx.reporter.line(`FINAL ${formatScore(best)}`);
      return { ...summary, best, status: 'stopped', message: `stopped after ${MAX_CONSECUTIVE_ERRORS} errors in a row; the last: ${outcome.reason}` };
    }
  }
  ctx.reporter.line(`FINAL ${formatScore(best)}`);
  return { ...summary, best };
}

interface TrialEnd {
  reason?: string;
  newScore?: number;
  payload?: MeasurePayload;
  verdict?: KeepVerdict;
  samples?: { baseline: Sample[]; candidate: Sample[] };
  holdout?: HoldoutScore;
  stop?: string;
}

const scoresOf = (samples: readonly Sample[]) => samples.map((s) => s.score);

/**
 * A candidate whose bytes Autoexp already holds (the autopilot's, also saved as the replay script the
 * trial is named after): written into the target in place, as the script would, with no process.
 */
export interface DirectCandidate {
  bytes: Uint8Array;
  /** What the script would print: the row's description. */
  description: string;
}

const NOTHING_TOUCHED: GuardReport = { changed: [], unrestorable: [], kept: {} };

async function runProposal(ctx: RunContext, proposal: string): Promise<RunResult> {
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
  return proc;
}

function writeDirect(ctx: RunContext, direct: DirectCandidate): RunResult {
  const started = performance.now();
  const cancelled = ctx.signal?.aborted ?? false;
  if (!cancelled) writeFileSync(ctx.target, direct.bytes);
  return { command: 'autoexp', args: [], exitCode: 0, stdout: `${direct.description}\n`, stderr: '', timedOut: false, cancelled, durationMs: performance.now() - started };
}

/**
 * One trial: the proposal applied (run under the guard, or `direct` written by Autoexp), measured as the
 * keep rule asks, kept or put back, and logged.
 */
export async function runNativeTrial(
  ctx: RunContext,
  options: NativeOptions & { direction: Direction },
  dialect: LogDialect,
  trial: number,
  proposal: string,
  best: number,
  state: KeepState,
  direct?: DirectCandidate,
): Promise<TrialOutcome> {
  const name = path.basename(proposal);
  const started = performance.now();
  const before = ctx.store.put(readFileSync(ctx.target));
  // Only a proposal that runs is guarded: a candidate Autoexp writes itself runs no code of anyone else's.
  const mark = direct ? undefined : await ctx.guard.mark();
  ctx.journal.append({ type: 'trial-start', run: ctx.run, trial, proposal: name, target: ctx.target, before, at: nowIso() });

  const proc = direct ? writeDirect(ctx, direct) : await runProposal(ctx, proposal);
  ctx.reporter.log(direct ? `${name}: written into the target by Autoexp` : `${name}: ${Math.round(proc.durationMs)} ms, exit ${proc.exitCode ?? (proc.timedOut ? 'timeout' : 'killed')}`);
  const description = proc.stdout.trim().split(/\r?\n/).pop()?.trim() ?? '';
  // A proposal that deletes the target fails its trial; the run goes on with the target put back.
  const written = unlessMissing(() => readFileSync(ctx.target));
  const candidate = ctx.store.put(written ?? Buffer.alloc(0));
  // A repository git can no longer read (its .git removed, say) fails the trial, never the run's restore.
  const guarded = mark === undefined ? NOTHING_TOUCHED : await ctx.guard.check(mark).catch((err: unknown) => ({ changed: [], unrestorable: [], failure: oneLine(err) }));
  const touched = guarded.changed;
  if ('kept' in guarded) for (const line of describeUndone(guarded, ctx.guard.root, ctx.store)) ctx.reporter.line(`autoexp: trial ${trial}: ${line}`);
  ctx.journal.append({ type: 'trial-applied', run: ctx.run, trial, candidate, exitCode: proc.exitCode ?? null, durationMs: proc.durationMs, touched: touched.length ? touched : undefined, undone: 'kept' in guarded && Object.keys(guarded.kept).length ? guarded.kept : undefined });
  const keep = options.keep ?? GREEDY_KEEP;
  const config: KeepConfig = { ...keep, direction: options.direction, margin: options.margin };

  /** Ends the trial: puts the right bytes in the target, appends the row (unless cancelled) and the journal entry. */
  const finish = (status: TrialEndStatus, fields: TrialEnd): TrialOutcome => {
    let restored: string | undefined;
    let resultsLine: number | undefined;
    // Measurements may have left either side in the target: a keep ends on the candidate, all else on before.
    if (status === 'kept') restoreFile(ctx.store, candidate, ctx.target);
    else if (restoreFile(ctx.store, before, ctx.target)) restored = ctx.target;
    const note = fields.verdict?.note;
    const second = secondMetricName(keep);
    const score2 = second === undefined ? fields.verdict?.metrics.metric_2 : fields.verdict?.metrics[second];
    if (status !== 'cancelled') {
      const base = fields.reason && status === 'error' ? [description, `(${fields.reason})`].filter(Boolean).join(' ') : description;
      const rowDescription = [base, note].filter(Boolean).join(' ');
      resultsLine = appendRow(ctx.resultsFile, dialect, { trial, status: status as 'kept' | 'reverted' | 'error', oldScore: best, newScore: fields.newScore, score2, proposal: name, description: rowDescription, run: ctx.run });
    }
    ctx.journal.append({
      type: 'trial-end',
      run: ctx.run,
      trial,
      status,
      reason: fields.reason,
      oldScore: best,
      newScore: fields.newScore,
      payload: fields.payload,
      restored,
      resultsLine,
      durationMs: performance.now() - started,
      samples: fields.samples && { baseline: scoresOf(fields.samples.baseline), candidate: scoresOf(fields.samples.candidate) },
      metrics: fields.verdict?.metrics,
      holdout: fields.holdout,
      at: nowIso(),
    });
    const score = fields.newScore === undefined ? '-' : formatScore(fields.newScore);
    const statistics = fields.verdict?.statistics ? ` ${formatDecision(fields.verdict.statistics)}` : '';
    if (status !== 'cancelled') ctx.reporter.line(`TRIAL ${trial} ${status.toUpperCase()} score=${score} proposal=${name}${statistics}${fields.reason ? ` reason=${fields.reason}` : ''}`);
    if (fields.holdout?.worse) ctx.reporter.line(describeWorseHoldout(fields.holdout));
    return { trial, proposal: name, status, reason: fields.reason, oldScore: best, newScore: fields.newScore, stop: fields.stop };
  };

  if (proc.cancelled) return finish('cancelled', { reason: 'cancelled' });
  if (proc.timedOut) return finish('error', { reason: 'timeout' });
  if (proc.spawnError) return finish('error', { reason: `${ctx.python}: cannot start (${proc.spawnError})` });
  if (written === undefined) return finish('error', { reason: 'the proposal deleted the target' });
  if ('failure' in guarded) return finish('error', { reason: `the guard could not check the repository: ${guarded.failure}` });
  if (touched.length) return finish('error', { reason: describeTouched(guarded, ctx.guard.root) });
  if (proc.exitCode !== 0) return finish('error', { reason: describeProcessEnd('proposal', proc.exitCode, proc.stderr) });

  const sampled = await sampleTrial(ctx, config, options.repeat, state, before, candidate);
  if (!sampled.ok) return finish(sampled.cancelled ? 'cancelled' : 'error', { reason: sampled.cancelled ? 'cancelled' : sampled.reason });
  const { incumbent, candidates, verdict } = sampled;
  const samples = { baseline: incumbent, candidate: candidates };
  const payload = candidates[candidates.length - 1].payload;

  const moved = state.harness && movedHarnessFile(state.harness);
  if (moved) {
    const stop = `${path.basename(moved)} changed during the run (${path.relative(ctx.guard.root, moved)}); the run stops and the target is put back`;
    return finish('error', { reason: `${path.basename(moved)} changed during the run`, newScore: verdict.score, payload, samples, stop });
  }
  if (!verdict.keep) return finish('reverted', { newScore: verdict.score, payload, verdict, samples, reason: verdict.reason });

  state.samples = candidates;
  const point = config.metrics && pointOf(verdict.metrics, config.metrics);
  if (point) state.front.push(point);
  let holdout: HoldoutScore | undefined;
  if (state.holdouts) {
    const scored = await scoreHoldout(ctx, state.holdouts, before, candidate, options.direction);
    if (scored.ok) holdout = scored.holdout;
    else ctx.reporter.line(`holdout: ${HOLDOUT_SCRIPT} failed (${scored.reason}); the keep stands`);
  }
  return finish('kept', { newScore: verdict.score, payload, verdict, samples, holdout });
}

type SampledTrial = { ok: true; incumbent: Sample[]; candidates: Sample[]; verdict: KeepVerdict } | { ok: false; reason: string; cancelled: boolean };

/**
 * The measurements a rule needs and its verdict on them. Significant measures both sides afresh,
 * interleaved, and gives a keep within twice the noise floor one more batch a side; the others measure
 * the candidate and weigh it against the incumbent's last measurements.
 */
async function sampleTrial(ctx: RunContext, config: KeepConfig, repeat: number, state: KeepState, before: string, candidate: string): Promise<SampledTrial> {
  if (config.rule !== 'significant') {
    const measured = await measureSamples(ctx, repeat);
    if (!measured.ok) return measured;
    const verdict = decideKeep(config, { samples: state.samples, front: state.front }, measured.samples);
    return { ok: true, incumbent: state.samples, candidates: measured.samples, verdict };
  }
  const first = await measureInterleaved(ctx, before, candidate, repeat);
  if (!first.ok) return first;
  let verdict = decideKeep(config, { samples: first.baseline, front: state.front }, first.candidate);
  if (!verdict.statistics || !needsConfirmation(verdict.statistics, scoresOf(first.baseline))) {
    return { ok: true, incumbent: first.baseline, candidates: first.candidate, verdict };
  }
  ctx.reporter.log(`confirming: the gain is within twice the noise floor; ${repeat} more measurements a side`);
  const second = await measureInterleaved(ctx, before, candidate, repeat);
  if (!second.ok) return second;
  const incumbent = [...first.baseline, ...second.baseline];
  const candidates = [...first.candidate, ...second.candidate];
  verdict = decideKeep(config, { samples: incumbent, front: state.front }, candidates);
  return { ok: true, incumbent, candidates, verdict };
}
