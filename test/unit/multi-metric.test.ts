/** Two metrics: parsing the flags, the secondary's regression limit, and Pareto dominance. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dominates, metricValue, paretoKeeps, parseMetricList, parseSecondary, secondaryHolds } from '../../src/core/stats/multiMetric';

const point = (score: number, latency: number) => new Map([['score', score], ['latency_ms', latency]]);
const SPECS = [{ name: 'score', direction: 'higher' as const }, { name: 'latency_ms', direction: 'lower' as const }];

describe('--secondary', () => {
  test('parses a relative and an absolute limit, and none', () => {
    assert.deepEqual(parseSecondary('latency_ms:lower:max-regress=5%'), { ok: true, value: { name: 'latency_ms', direction: 'lower', maxRegress: { relative: 0.05 } } });
    assert.deepEqual(parseSecondary('accuracy:higher:max-regress=0.01'), { ok: true, value: { name: 'accuracy', direction: 'higher', maxRegress: { absolute: 0.01 } } });
    assert.deepEqual(parseSecondary('latency_ms:lower'), { ok: true, value: { name: 'latency_ms', direction: 'lower', maxRegress: { relative: 0 } } });
  });
  test('says what is wrong with a bad spec', () => {
    assert.deepEqual(parseSecondary('latency_ms'), { ok: false, error: '--secondary: "latency_ms" needs a direction, higher or lower (e.g. latency_ms:lower)' });
    assert.deepEqual(parseSecondary('latency_ms:lower:regress=5'), { ok: false, error: '--secondary: "regress=5" must be max-regress=N% or max-regress=N' });
    assert.deepEqual(parseSecondary(':lower'), { ok: false, error: '--secondary: ":lower" needs a metric name, e.g. latency_ms:lower' });
  });
  test('holds within 5% and fails beyond it, in either direction', () => {
    const spec = { name: 'latency_ms', direction: 'lower' as const, maxRegress: { relative: 0.05 } };
    assert.equal(secondaryHolds(spec, 40, 42), true);
    assert.equal(secondaryHolds(spec, 40, 42.1), false);
    assert.equal(secondaryHolds(spec, 40, 30), true);
    const accuracy = { name: 'accuracy', direction: 'higher' as const, maxRegress: { absolute: 0.01 } };
    assert.equal(secondaryHolds(accuracy, 0.9, 0.89), true);
    assert.equal(secondaryHolds(accuracy, 0.9, 0.885), false);
  });
});

describe('--metrics and the Pareto rule', () => {
  test('parses two metrics and refuses one, or one twice', () => {
    assert.deepEqual(parseMetricList('score:higher, latency_ms:lower'), { ok: true, value: SPECS });
    assert.equal((parseMetricList('score:higher') as { error: string }).error, '--metrics needs at least two metrics, e.g. score:higher,latency_ms:lower');
    assert.equal((parseMetricList('score:higher,score:lower') as { error: string }).error, '--metrics: score is named twice');
  });
  test('dominance needs at least as good everywhere and better somewhere', () => {
    assert.equal(dominates(point(0.9, 40), point(0.8, 50), SPECS), true);
    assert.equal(dominates(point(0.9, 40), point(0.9, 40), SPECS), false);
    assert.equal(dominates(point(0.9, 60), point(0.8, 50), SPECS), false);
  });
  test('keeps a trade-off no kept point dominates, reverts a dominated one and one that improves nothing', () => {
    const kept = [point(0.8, 50), point(0.9, 60)];
    const current = point(0.9, 60);
    assert.equal(paretoKeeps(kept, current, point(0.85, 45), SPECS), true, 'faster, slightly worse: a trade-off');
    assert.equal(paretoKeeps(kept, current, point(0.75, 55), SPECS), false, 'dominated by 0.8 at 50 ms');
    assert.equal(paretoKeeps([current], current, point(0.9, 60), SPECS), false, 'the same point improves nothing');
  });
  test('reads finite numbers from the payload only', () => {
    assert.equal(metricValue({ score: 0.9, latency_ms: 41 }, 'latency_ms'), 41);
    assert.equal(metricValue({ latency_ms: '41' }, 'latency_ms'), undefined);
    assert.equal(metricValue({}, 'latency_ms'), undefined);
  });
});
