/**
 * The native engine's measurements: N runs of measure.py on the target as it stands, or N on each side
 * of a trial, interleaved before / candidate so a slow drift (a warming cache, a busy machine) lands on
 * both sides alike instead of on whichever was measured second.
 */
import { runMeasure } from '../measure';
import type { RunContext } from './context';
import type { Sample } from './keepDecision';
import { restoreFile } from './snapshots';

export type Sampled<T> = ({ ok: true } & T) | { ok: false; reason: string; cancelled: boolean };

/** One run of measure.py (or another script of its contract) on the target as it is now. */
export async function measureOnce(ctx: RunContext, script = 'measure.py'): Promise<Sampled<{ sample: Sample }>> {
  const { outcome, process: proc } = await runMeasure(ctx.pack, {
    python: ctx.python,
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    env: ctx.processes.env,
    onSpawn: ctx.processes.track,
    script,
  });
  ctx.reporter.processDone?.(proc.durationMs);
  ctx.reporter.log(`${script}: ${Math.round(proc.durationMs)} ms, exit ${proc.exitCode ?? (proc.timedOut ? 'timeout' : 'killed')}`);
  if (!outcome.ok) return { ok: false, reason: outcome.error.kind === 'timeout' ? 'timeout' : outcome.error.message, cancelled: outcome.error.kind === 'cancelled' };
  return { ok: true, sample: { score: outcome.score, payload: outcome.payload } };
}

export async function measureSamples(ctx: RunContext, repeat: number): Promise<Sampled<{ samples: Sample[] }>> {
  const samples: Sample[] = [];
  for (let i = 0; i < repeat; i++) {
    const measured = await measureOnce(ctx);
    if (!measured.ok) return measured;
    samples.push(measured.sample);
  }
  return { ok: true, samples };
}

/**
 * `repeat` measurements of each side, B C B C …: the target is written with the before bytes, then the
 * candidate's, before each one. It ends holding the candidate; on a failure it may hold either, and the
 * caller's restore puts it right.
 */
export async function measureInterleaved(ctx: RunContext, before: string, candidate: string, repeat: number): Promise<Sampled<{ baseline: Sample[]; candidate: Sample[] }>> {
  const baseline: Sample[] = [];
  const candidates: Sample[] = [];
  for (let i = 0; i < repeat; i++) {
    restoreFile(ctx.store, before, ctx.target);
    const b = await measureOnce(ctx);
    if (!b.ok) return { ...b, reason: b.cancelled ? b.reason : `measuring the target before the proposal: ${b.reason}` };
    baseline.push(b.sample);
    restoreFile(ctx.store, candidate, ctx.target);
    const c = await measureOnce(ctx);
    if (!c.ok) return c;
    candidates.push(c.sample);
  }
  return { ok: true, baseline, candidate: candidates };
}
