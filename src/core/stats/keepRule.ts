/**
 * The keep rules: whether a candidate's measurements beat the baseline's. `greedy` keeps any strict
 * improvement of the median beyond the margin (a coin flip on noise when nothing changed);
 * `significant` keeps only a gain that a one-sided test finds unlikely under no change.
 */
import type { Direction } from '../results/model';
import { median, standardDeviation } from './describe';
import { runTest, type TestName } from './significance';

export type KeepRuleName = 'greedy' | 'significant';
export const KEEP_RULE_NAMES: readonly KeepRuleName[] = ['greedy', 'significant'];

export interface SignificantOptions {
  test: TestName;
  /** Keep only when p < alpha. */
  alpha: number;
  /** Keep only when the median gain, in the metric's direction, is at least this. */
  minEffect: number;
}

export const SIGNIFICANT_DEFAULTS: SignificantOptions & { repeat: number } = { test: 'welch', alpha: 0.05, minEffect: 0, repeat: 5 };

export interface SampleDecision {
  keep: boolean;
  /** Candidate median minus baseline median, in the metric's own units and sign. */
  delta: number;
  /** The gain in the metric's direction: positive is better. */
  gain: number;
  /** The standard error of the difference. */
  standardError: number;
  p: number;
  nBaseline: number;
  nCandidate: number;
}

/** Keep when p < alpha and the median gain reaches the minimum effect. */
export function decideSignificant(baseline: readonly number[], candidate: readonly number[], direction: Direction, options: SignificantOptions): SampleDecision {
  const delta = median(candidate) - median(baseline);
  const gain = direction === 'higher' ? delta : -delta;
  const result = runTest(options.test, baseline, candidate, direction);
  return {
    keep: result.p < options.alpha && gain > 0 && gain >= options.minEffect,
    delta,
    gain,
    standardError: result.standardError,
    p: result.p,
    nBaseline: baseline.length,
    nCandidate: candidate.length,
  };
}

/**
 * A keep whose gain is under twice the baseline's noise floor gets one more batch before it stands.
 * Only keeps are confirmed, and the second look must agree, so confirmation can only lower the
 * false-keep rate.
 */
export function needsConfirmation(decision: SampleDecision, baseline: readonly number[]): boolean {
  return decision.keep && decision.gain < 2 * standardDeviation(baseline);
}

const deltaText = (d: SampleDecision) => `Δ=${d.delta >= 0 ? '+' : '-'}${significant(Math.abs(d.delta))}`;
const pText = (d: SampleDecision) => `p=${d.p < 0.001 ? d.p.toExponential(1) : d.p.toFixed(3)}`;

/** `Δ=+0.031 ±0.009 p=0.004 n=5+5`, for the terminal's trial line. */
export function formatDecision(decision: SampleDecision): string {
  return `${deltaText(decision)} ±${significant(decision.standardError)} ${pText(decision)} n=${decision.nBaseline}+${decision.nCandidate}`;
}

/** `[Δ=+0.031 p=0.004]`, the end of the row's description. */
export function decisionNote(decision: SampleDecision): string {
  return `[${deltaText(decision)} ${pText(decision)}]`;
}

/** Three decimals, or two significant digits for values too small to show that way. */
function significant(value: number): string {
  if (value === 0 || value >= 0.01) return value.toFixed(3);
  return value.toPrecision(2);
}
