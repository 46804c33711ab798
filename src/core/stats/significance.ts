/**
 * One-sided two-sample tests: is the candidate better than the baseline in the metric's direction?
 * Welch's t-test (unequal variances) by default; Mann-Whitney U for heavy-tailed metrics, where one wild
 * measurement would swamp a mean.
 */
import type { Direction } from '../results/model';
import { mean, variance } from './describe';
import { normalSurvival, studentTSurvival } from './distributions';

export type TestName = 'welch' | 'mann-whitney';
export const TEST_NAMES: readonly TestName[] = ['welch', 'mann-whitney'];

export interface TestResult {
  /** P(a gain at least this large | no real difference). */
  p: number;
  /** The test's statistic: t for Welch, U for Mann-Whitney. */
  statistic: number;
  /** The standard error of the difference of means. */
  standardError: number;
}

/** Values turned so that "better" is always "larger". */
const oriented = (values: readonly number[], direction: Direction) => (direction === 'higher' ? values : values.map((v) => -v));

function standardError(baseline: readonly number[], candidate: readonly number[]): number {
  return Math.sqrt(variance(baseline) / baseline.length + variance(candidate) / candidate.length);
}

export function welchTest(baseline: readonly number[], candidate: readonly number[], direction: Direction): TestResult {
  const b = oriented(baseline, direction);
  const c = oriented(candidate, direction);
  const diff = mean(c) - mean(b);
  const vb = variance(b) / b.length;
  const vc = variance(c) / c.length;
  const se = Math.sqrt(vb + vc);
  if (se === 0) return { p: diff > 0 ? 0 : 1, statistic: diff > 0 ? Infinity : diff < 0 ? -Infinity : 0, standardError: 0 };
  const t = diff / se;
  // Welch-Satterthwaite degrees of freedom.
  const df = (vb + vc) ** 2 / (vb ** 2 / (b.length - 1) + vc ** 2 / (c.length - 1));
  return { p: studentTSurvival(t, df), statistic: t, standardError: se };
}

/** U of the candidate: pairs where it wins, half of the ties. */
function uStatistic(b: readonly number[], c: readonly number[]): number {
  let u = 0;
  for (const x of c) for (const y of b) u += x > y ? 1 : x === y ? 0.5 : 0;
  return u;
}

/** How many orderings of m candidate and n baseline values give each U, for untied samples. */
function exactUCounts(m: number, n: number): number[] {
  // counts[i][j] holds the distribution for i candidates and j baselines; U grows by j when a candidate
  // is placed above all j baselines.
  let previous: number[][] = Array.from({ length: n + 1 }, () => [1]);
  for (let i = 1; i <= m; i++) {
    const current: number[][] = [[1]];
    for (let j = 1; j <= n; j++) {
      const size = i * j + 1;
      const row = new Array<number>(size).fill(0);
      previous[j].forEach((count, u) => (row[u + j] += count));
      current[j - 1].forEach((count, u) => (row[u] += count));
      current.push(row);
    }
    previous = current;
  }
  return previous[n];
}

function tieCorrection(all: readonly number[]): number {
  const groups = new Map<number, number>();
  for (const v of all) groups.set(v, (groups.get(v) ?? 0) + 1);
  let sum = 0;
  for (const t of groups.values()) sum += t ** 3 - t;
  return sum;
}

/**
 * The exact distribution when either sample has at most 8 values and nothing ties (as scipy's
 * `method="auto"` does); otherwise the normal approximation with tie and continuity corrections.
 */
export function mannWhitneyTest(baseline: readonly number[], candidate: readonly number[], direction: Direction): TestResult {
  const b = oriented(baseline, direction);
  const c = oriented(candidate, direction);
  const m = c.length;
  const n = b.length;
  const u = uStatistic(b, c);
  const se = standardError(b, c);
  const all = [...b, ...c];
  const ties = tieCorrection(all);
  if (Math.min(m, n) <= 8 && ties === 0) {
    const counts = exactUCounts(m, n);
    const total = counts.reduce((s, k) => s + k, 0);
    const atLeast = counts.slice(Math.ceil(u)).reduce((s, k) => s + k, 0);
    return { p: atLeast / total, statistic: u, standardError: se };
  }
  const N = m + n;
  const sigma = Math.sqrt(((m * n) / 12) * (N + 1 - ties / (N * (N - 1))));
  if (sigma === 0) return { p: 1, statistic: u, standardError: se };
  return { p: normalSurvival((u - (m * n) / 2 - 0.5) / sigma), statistic: u, standardError: se };
}

export function runTest(name: TestName, baseline: readonly number[], candidate: readonly number[], direction: Direction): TestResult {
  return name === 'welch' ? welchTest(baseline, candidate, direction) : mannWhitneyTest(baseline, candidate, direction);
}
