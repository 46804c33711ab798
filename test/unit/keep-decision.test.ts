/** The native engine's keep decision over samples: greedy, significant, Pareto, and a secondary metric. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideKeep, metricMedians, type KeepConfig, type Sample } from '../../src/core/run/keepDecision';

const samples = (scores: number[], latency?: number[]): Sample[] =>
  scores.map((score, i) => ({ score, payload: latency ? { score, latency_ms: latency[i] } : { score } }));
const config = (overrides: Partial<KeepConfig> = {}): KeepConfig => ({ rule: 'greedy', direction: 'higher', margin: 0, test: 'welch', alpha: 0.05, minEffect: 0, ...overrides });
const incumbent = (s: Sample[]) => ({ samples: s, front: [] });

describe('decideKeep', () => {
  test('greedy keeps a strict gain of the median beyond the margin', () => {
    const base = incumbent(samples([0.5, 0.6, 0.55]));
    assert.equal(decideKeep(config(), base, samples([0.56, 0.7, 0.4])).keep, true);
    assert.equal(decideKeep(config(), base, samples([0.55, 0.55, 0.55])).keep, false, 'equal is not better');
    assert.equal(decideKeep(config({ margin: 0.05 }), base, samples([0.59])).keep, false);
    assert.equal(decideKeep(config({ direction: 'lower' }), base, samples([0.5])).keep, true);
    assert.equal(decideKeep(config(), base, samples([0.56])).score, 0.56);
  });

  test('significant keeps a clear gain and notes Δ and p for the row', () => {
    const v = decideKeep(config({ rule: 'significant' }), incumbent(samples([0.5, 0.52, 0.49, 0.51, 0.5])), samples([0.53, 0.55, 0.52, 0.54, 0.56]));
    assert.equal(v.keep, true);
    assert.equal(v.score, 0.54);
    assert.equal(v.note, '[Δ=+0.040 p=0.002]');
    assert.equal(v.statistics?.nCandidate, 5);
  });

  test('significant reverts a gain inside the noise', () => {
    const v = decideKeep(config({ rule: 'significant' }), incumbent(samples([10.1, 9.8, 10.3, 10.0, 9.9])), samples([10.2, 10.0, 10.4, 9.9, 10.1]));
    assert.equal(v.keep, false);
    assert.equal(v.note, '[Δ=+0.100 p=0.217]');
  });

  test('a secondary metric past its regression limit reverts a better score, and says why', () => {
    const secondary = { name: 'latency_ms', direction: 'lower' as const, maxRegress: { relative: 0.05 } };
    const base = incumbent(samples([0.8], [40]));
    assert.equal(decideKeep(config({ secondary }), base, samples([0.9], [42])).keep, true);
    const slow = decideKeep(config({ secondary }), base, samples([0.9], [50]));
    assert.equal(slow.keep, false);
    assert.equal(slow.reason, 'latency_ms regressed from 40 to 50');
    assert.equal(decideKeep(config({ secondary }), base, samples([0.9])).reason, 'measure.py did not print the secondary metric latency_ms');
  });

  test('pareto keeps a trade-off and reverts a dominated point', () => {
    const metrics = [{ name: 'score', direction: 'higher' as const }, { name: 'latency_ms', direction: 'lower' as const }];
    const front = [new Map([['score', 0.8], ['latency_ms', 50]]), new Map([['score', 0.9], ['latency_ms', 60]])];
    const current = { samples: samples([0.9], [60]), front };
    assert.equal(decideKeep(config({ rule: 'pareto', metrics }), current, samples([0.85], [45])).keep, true);
    assert.equal(decideKeep(config({ rule: 'pareto', metrics }), current, samples([0.75], [55])).keep, false);
  });

  test('metric medians cover the numbers every sample printed', () => {
    assert.deepEqual(metricMedians(samples([1, 3, 2], [10, 30, 20])), { score: 2, latency_ms: 20 });
    assert.deepEqual(metricMedians([{ score: 1, payload: { score: 1, a: 5 } }, { score: 2, payload: { score: 2 } }]), { score: 1.5 });
  });
});
