/**
 * The holdout check: a pack may carry `measure_holdout.py`, the same contract as measure.py over data the
 * loop never optimises against. Every kept candidate is scored on it beside the state it replaced, so an
 * overfit keep shows. It informs; it never reverts: the user decides.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { isBetter } from '../results/columns';
import type { Direction } from '../results/model';
import type { RunContext } from './context';
import { measureOnce } from './sampling';
import { restoreFile } from './snapshots';

export const HOLDOUT_SCRIPT = 'measure_holdout.py';

export interface HoldoutScore {
  score: number;
  /** The holdout score of the state the candidate replaced, when it could be had. */
  previous?: number;
  /** The candidate scored worse on the holdout than what it replaced. */
  worse: boolean;
}

export function hasHoldout(pack: string): boolean {
  return existsSync(path.join(pack, HOLDOUT_SCRIPT));
}

/**
 * Scores the kept candidate (the target holds it) and, unless `known` has it, the before state, which it
 * writes back just long enough to measure. The target ends holding the candidate.
 */
export async function scoreHoldout(ctx: RunContext, known: Map<string, number>, before: string, candidate: string, direction: Direction): Promise<{ ok: true; holdout: HoldoutScore } | { ok: false; reason: string }> {
  restoreFile(ctx.store, candidate, ctx.target);
  const now = await measureOnce(ctx, HOLDOUT_SCRIPT);
  if (!now.ok) return now;
  known.set(candidate, now.sample.score);
  let previous = known.get(before);
  if (previous === undefined) {
    restoreFile(ctx.store, before, ctx.target);
    const then = await measureOnce(ctx, HOLDOUT_SCRIPT);
    restoreFile(ctx.store, candidate, ctx.target);
    if (then.ok) {
      previous = then.sample.score;
      known.set(before, previous);
    }
  }
  const worse = previous !== undefined && isBetter(previous, now.sample.score, direction);
  return { ok: true, holdout: { score: now.sample.score, previous, worse } };
}

const short = (n: number) => String(Number(n.toFixed(4)));

/** `holdout: 0.81 < 0.84 before; kept anyway: you decide`. */
export function describeWorseHoldout(holdout: HoldoutScore): string {
  const sign = holdout.score < (holdout.previous ?? 0) ? '<' : '>';
  return `holdout: ${short(holdout.score)} ${sign} ${short(holdout.previous ?? 0)} before; kept anyway: you decide`;
}
