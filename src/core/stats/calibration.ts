/**
 * The keep rules' error rates, measured rather than assumed: simulated trials with a known true effect
 * under Gaussian and heavy-tailed noise. The false-keep rate is the keep rate at effect 0; power is the
 * keep rate at a real effect. The same function feeds the tests and `npm run bench`.
 */
import type { Direction } from '../results/model';
import { decideSignificant, needsConfirmation, type SignificantOptions } from './keepRule';
import { normal, seededRandom, studentT, type Random } from './random';

export type NoiseKind = 'gaussian' | 't3';

export interface RuleUnderTest {
  label: string;
  rule: 'greedy' | 'significant';
  repeat: number;
  options?: SignificantOptions;
}

export interface CalibrationCase {
  noise: NoiseKind;
  /** The true gain, in units of the noise's scale σ. */
  effect: number;
}

export interface CalibrationRow extends CalibrationCase {
  label: string;
  trials: number;
  kept: number;
  rate: number;
}

function draw(random: Random, noise: NoiseKind, count: number, centre: number): number[] {
  return Array.from({ length: count }, () => centre + (noise === 'gaussian' ? normal(random) : studentT(random, 3)));
}

/** One simulated trial: does the rule keep a candidate whose true gain is `effect` σ? */
function simulateTrial(random: Random, rule: RuleUnderTest, { noise, effect }: CalibrationCase): boolean {
  const direction: Direction = 'higher';
  if (rule.rule === 'greedy') {
    const sample = (centre: number) => {
      const values = draw(random, noise, rule.repeat, centre).sort((a, b) => a - b);
      return values[values.length >> 1];
    };
    return sample(effect) > sample(0);
  }
  const options = rule.options!;
  let baseline = draw(random, noise, rule.repeat, 0);
  let candidate = draw(random, noise, rule.repeat, effect);
  const first = decideSignificant(baseline, candidate, direction, options);
  if (!needsConfirmation(first, baseline)) return first.keep;
  baseline = [...baseline, ...draw(random, noise, rule.repeat, 0)];
  candidate = [...candidate, ...draw(random, noise, rule.repeat, effect)];
  return decideSignificant(baseline, candidate, direction, options).keep;
}

export function calibrate(rules: readonly RuleUnderTest[], cases: readonly CalibrationCase[], trials: number, seed = 20261130): CalibrationRow[] {
  const rows: CalibrationRow[] = [];
  for (const rule of rules) {
    for (const c of cases) {
      const random = seededRandom(seed);
      let kept = 0;
      for (let i = 0; i < trials; i++) if (simulateTrial(random, rule, c)) kept++;
      rows.push({ ...c, label: rule.label, trials, kept, rate: kept / trials });
    }
  }
  return rows;
}

const WELCH: SignificantOptions = { test: 'welch', alpha: 0.05, minEffect: 0 };

/** The rules and cases the README's table shows. */
export const STANDARD_RULES: readonly RuleUnderTest[] = [
  { label: 'greedy n=1', rule: 'greedy', repeat: 1 },
  { label: 'significant n=3', rule: 'significant', repeat: 3, options: WELCH },
  { label: 'significant n=5', rule: 'significant', repeat: 5, options: WELCH },
  { label: 'significant mann-whitney n=5', rule: 'significant', repeat: 5, options: { ...WELCH, test: 'mann-whitney' } },
];

export const STANDARD_CASES: readonly CalibrationCase[] = (['gaussian', 't3'] as const).flatMap((noise) => [0, 1, 2, 3].map((effect) => ({ noise, effect })));
