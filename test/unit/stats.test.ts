/**
 * The keep rules' statistics. Reference p-values were computed with scipy 1.10.1 (Debian's
 * python3-scipy): scipy.stats.ttest_ind(c, b, equal_var=False, alternative="greater"),
 * scipy.stats.mannwhitneyu(c, b, alternative="greater"), scipy.stats.t.sf and scipy.stats.norm.sf.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { calibrate, STANDARD_CASES, STANDARD_RULES } from '../../src/core/stats/calibration';
import { medianAbsoluteDeviation, quantile, standardDeviation, summarizeNoise } from '../../src/core/stats/describe';
import { normalSurvival, studentTSurvival } from '../../src/core/stats/distributions';
import { decideSignificant, formatDecision, needsConfirmation } from '../../src/core/stats/keepRule';
import { mannWhitneyTest, welchTest } from '../../src/core/stats/significance';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${actual} ≈ ${expected}`);

describe('distributions against scipy', () => {
  test('Student t survival, integer and fractional degrees of freedom', () => {
    close(studentTSurvival(2.0, 4), 0.05805826175840775);
    close(studentTSurvival(1.5, 7.3), 0.08778154640154301);
    close(studentTSurvival(-0.8, 3), 0.758900524124459);
    close(studentTSurvival(4.2, 8.1), 0.00145738159210705);
  });
  test('normal survival', () => {
    close(normalSurvival(0), 0.5);
    close(normalSurvival(1), 0.15865525393145707);
    close(normalSurvival(1.96), 0.024997895148220435);
    close(normalSurvival(3.5), 0.00023262907903552502);
    close(normalSurvival(-1.2), 0.8849303297782918);
  });
});

describe("Welch's t-test, one-sided, against scipy", () => {
  test('a clear gain', () => {
    const r = welchTest([0.5, 0.52, 0.49, 0.51, 0.5], [0.53, 0.55, 0.52, 0.54, 0.56], 'higher');
    close(r.statistic, 4.129483209670111);
    close(r.p, 0.0020272493122885315);
  });
  test('noise', () => {
    close(welchTest([10.1, 9.8, 10.3, 10.0, 9.9], [10.2, 10.0, 10.4, 9.9, 10.1], 'higher').p, 0.21744614883736707);
  });
  test('unequal sizes and variances', () => {
    close(welchTest([1, 2, 3, 4, 5], [2, 4, 6, 8, 10, 12], 'higher').p, 0.024642169103365245);
  });
  test('a lower-is-better metric turns the test around', () => {
    close(welchTest([1, 2, 3, 4, 5], [2, 4, 6, 8, 10, 12], 'lower').p, 0.9753578308966347);
  });
  test('noise-free measurements decide on the sign alone', () => {
    assert.equal(welchTest([3, 3, 3], [4, 4, 4], 'higher').p, 0);
    assert.equal(welchTest([3, 3, 3], [3, 3, 3], 'higher').p, 1);
    assert.equal(welchTest([3, 3, 3], [2, 2, 2], 'higher').p, 1);
  });
});

describe('Mann-Whitney U, one-sided, against scipy', () => {
  test('exact distribution for small untied samples', () => {
    const r = mannWhitneyTest([0.5, 0.52, 0.49, 0.51, 0.505], [0.53, 0.55, 0.515, 0.54, 0.56], 'higher');
    assert.equal(r.statistic, 24);
    close(r.p, 0.007936507936507936);
    close(mannWhitneyTest([3.1, 2.9, 3.3, 3.0, 2.8], [3.2, 3.4, 2.95, 3.5, 3.6], 'higher').p, 0.047619047619047616);
  });
  test('ties: the normal approximation with tie correction', () => {
    const r = mannWhitneyTest([1, 2, 2, 3, 3], [2, 3, 3, 4, 5], 'higher');
    assert.equal(r.statistic, 20);
    close(r.p, 0.06318969380425775);
  });
  test('two samples over 8: the normal approximation', () => {
    const b = Array.from({ length: 10 }, (_, i) => i);
    close(mannWhitneyTest(b, b.map((x) => x + 3.5), 'higher').p, 0.015604506385870109);
  });
});

describe('noise summaries', () => {
  test('median, sd, MAD and a suggested minimum effect', () => {
    const s = summarizeNoise([0.61, 0.6, 0.62, 0.59, 0.6, 0.9]);
    close(s.median, 0.605);
    close(s.sd, standardDeviation([0.61, 0.6, 0.62, 0.59, 0.6, 0.9]));
    close(s.mad, 0.01);
    close(s.suggestedMinEffect, 0.014826);
    close(quantile([1, 2, 3, 4], 0.25), 1.75);
    close(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9]), 1);
  });
});

describe('the significant keep rule', () => {
  const options = { test: 'welch' as const, alpha: 0.05, minEffect: 0 };
  test('keeps a gain the test finds unlikely under no change, and prints it', () => {
    const d = decideSignificant([0.5, 0.52, 0.49, 0.51, 0.5], [0.53, 0.55, 0.52, 0.54, 0.56], 'higher', options);
    assert.equal(d.keep, true);
    close(d.delta, 0.04);
    assert.equal(formatDecision(d), 'Δ=+0.040 ±0.0087 p=0.002 n=5+5');
  });
  test('reverts noise, and a gain under the minimum effect', () => {
    assert.equal(decideSignificant([10.1, 9.8, 10.3, 10.0, 9.9], [10.2, 10.0, 10.4, 9.9, 10.1], 'higher', options).keep, false);
    assert.equal(decideSignificant([0.5, 0.52, 0.49, 0.51, 0.5], [0.53, 0.55, 0.52, 0.54, 0.56], 'higher', { ...options, minEffect: 0.05 }).keep, false);
  });
  test('a small keep gets a confirmation batch; a clear one does not', () => {
    const baseline = [0.5, 0.52, 0.49, 0.51, 0.5];
    const small = decideSignificant(baseline, [0.515, 0.53, 0.51, 0.52, 0.525], 'higher', options);
    assert.equal(small.keep, true);
    assert.equal(needsConfirmation(small, baseline), true);
    const clear = decideSignificant(baseline, [0.6, 0.61, 0.62, 0.6, 0.61], 'higher', options);
    assert.equal(needsConfirmation(clear, baseline), false);
  });
});

describe('calibration: 2,000 simulated trials a case', () => {
  const rows = calibrate(STANDARD_RULES.filter((r) => r.label !== 'significant n=3'), STANDARD_CASES.filter((c) => c.effect === 0 || c.effect === 2), 2000);
  const rate = (label: string, noise: string, effect: number) => rows.find((r) => r.label === label && r.noise === noise && r.effect === effect)!.rate;
  test('greedy n=1 keeps about half of the changes that do nothing', () => {
    for (const noise of ['gaussian', 't3']) assert.ok(Math.abs(rate('greedy n=1', noise, 0) - 0.5) < 0.04, `${noise}: ${rate('greedy n=1', noise, 0)}`);
  });
  test('significant n=5 (Welch): at most 5% false keeps, power of at least 0.85 at 2σ under Gaussian noise', () => {
    assert.ok(rate('significant n=5', 'gaussian', 0) <= 0.05, String(rate('significant n=5', 'gaussian', 0)));
    assert.ok(rate('significant n=5', 't3', 0) <= 0.05, String(rate('significant n=5', 't3', 0)));
    assert.ok(rate('significant n=5', 'gaussian', 2) >= 0.85, String(rate('significant n=5', 'gaussian', 2)));
  });
  test('Mann-Whitney n=5 holds the false-keep rate under heavy tails', () => {
    assert.ok(rate('significant mann-whitney n=5', 't3', 0) <= 0.05);
    assert.ok(rate('significant mann-whitney n=5', 'gaussian', 2) >= 0.8);
  });
});

describe('identical measurements', () => {
  test('have a standard deviation of exactly 0, however the decimals round', () => {
    assert.equal(standardDeviation([0.2, 0.2, 0.2]), 0);
    assert.equal(standardDeviation([0.1 + 0.2, 0.1 + 0.2]), 0);
  });
});
