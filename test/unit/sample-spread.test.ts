import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RunRecord, TrialRecord } from '../../src/core/run/journal';
import { sampleSpreads } from '../../src/core/run/sampleSpread';

const run = (trials: Array<Partial<TrialRecord> & { trial: number }>): RunRecord =>
  ({
    id: 'r1',
    pack: '/p',
    slug: 'noisy',
    engine: 'native',
    proposals: [],
    target: '/p/candidate.py',
    pid: 1,
    processes: [],
    startedAt: '2026-11-30T00:00:00Z',
    trials: trials.map((t) => ({ run: 'r1', proposal: 'x.py', target: '/p/candidate.py', before: 'a', candidate: 'b', startedAt: '2026-11-30T00:00:00Z', ...t })),
  }) as RunRecord;

describe('whiskers and the noise band from the journal', () => {
  test('each trial measured more than once gets its interquartile range at its row; the first baseline sets the band', () => {
    const { spreads, noise } = sampleSpreads([
      run([
        { trial: 1, resultsLine: 2, samples: { baseline: [1, 2, 3, 4, 5], candidate: [2, 4, 6, 8, 10] } },
        { trial: 2, resultsLine: 3, samples: { baseline: [9, 9, 9], candidate: [1] } },
        { trial: 3, resultsLine: 4 },
        { trial: 4, resultsLine: 5, samples: { baseline: [3], candidate: [0.5, 1.5] } },
      ]),
    ]);
    assert.deepEqual(spreads, [
      { line: 2, low: 4, high: 8, n: 5 },
      { line: 5, low: 0.75, high: 1.25, n: 2 },
    ]);
    // Median 3, sample standard deviation √2.5 of 1..5.
    assert.equal(noise!.low.toFixed(6), (3 - Math.sqrt(2.5)).toFixed(6));
    assert.equal(noise!.high.toFixed(6), (3 + Math.sqrt(2.5)).toFixed(6));
  });

  test('a run measured once per trial has no whisker and no band', () => {
    assert.deepEqual(sampleSpreads([run([{ trial: 1, resultsLine: 2, samples: { baseline: [0.2], candidate: [0.4] } }, { trial: 2, resultsLine: 3 }])]), { spreads: [] });
  });
});
