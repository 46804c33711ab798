/** The chart's data from the real logs, the messages the chart page exchanges, and a target's history. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseResults } from '../../src/core/results/parse';
import { buildSeries, CLIP_FROM_TRIALS, filterRun, paretoFront } from '../../src/core/results/series';
import { FromWebview, ToWebview } from '../../src/shared/chartMessages';
import type { RunRecord, TrialRecord } from '../../src/core/run/journal';
import { historySummary, targetHistory } from '../../src/core/run/trialDiff';
import { RESULTS_LOGS } from './helpers';

const series = (file: string) => buildSeries(parseResults(readFileSync(path.join(RESULTS_LOGS, file), 'utf8'), file));

describe('chart series from the real logs', () => {
  test('karpathy: 126 points, the running min ends at 0.969686 after 23 steps; crash rows have no y and do not stretch the range', () => {
    const s = series('karpathy-autoresearch-h100-mar8.tsv');
    assert.equal(s.points.length, 126);
    assert.equal(s.direction, 'lower');
    assert.equal(s.best.length, 23);
    assert.deepEqual(s.points[0].x, 1, 'trial 1 at x = 1');
    assert.deepEqual(s.best[0], { x: 1, y: 0.9979 });
    assert.deepEqual(s.best.at(-1), { x: 119, y: 0.969686 });
    const crashes = s.points.filter((p) => p.status === 'error');
    assert.ok(crashes.length > 0);
    assert.ok(crashes.every((p) => p.y === undefined));
    assert.ok(Math.abs(s.yRange!.min - 0.9668646) < 1e-9 && Math.abs(s.yRange!.max - 1.0007214) < 1e-9, JSON.stringify(s.yRange));
    assert.equal(s.numeric, true);
  });

  test('smoke: five runs of two trials drawn at 1 to 10 in file order, boundaries at 3, 5, 7, 9; best 0.2 then 1.0', () => {
    const s = series('atris-smoke-keep-revert.tsv');
    assert.deepEqual(s.points.map((p) => p.x), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(s.runBoundaries, [3, 5, 7, 9]);
    assert.deepEqual(s.best, [{ x: 1, y: 0.2 }, { x: 2, y: 1 }]);
    assert.deepEqual(s.runs.map((r) => [r.kept, r.reverted, r.error]), Array(5).fill([1, 1, 0]));
    const third = filterRun(s, 2);
    assert.deepEqual(third.points.map((p) => p.x), [5, 6]);
    assert.deepEqual(third.best, [{ x: 5, y: 1 }]);
    assert.equal(filterRun(s, 'all'), s);
  });

  test('a log of fewer than 50 trials shows every score: a revert below the baseline is in the range', () => {
    const log = parseResults('trial\tstatus\told_score\tnew_score\tproposal\n1\treverted\t0.2\t0.0\tworse.py\n2\tkept\t0.2\t1.0\tfix.py\n', 'two.tsv');
    const s = buildSeries(log);
    assert.equal(s.baseline, 0.2);
    assert.ok(Math.abs(s.yRange!.min - -0.1) < 1e-9 && Math.abs(s.yRange!.max - 1.1) < 1e-9, JSON.stringify(s.yRange));
    const rows = Array.from({ length: CLIP_FROM_TRIALS }, (_, i) => `${i + 1}\t${i === 0 ? 'reverted' : 'kept'}\t0.2\t${i === 0 ? '0.0' : (0.2 + i / 100).toFixed(2)}\tp.py`);
    const long = buildSeries(parseResults(`trial\tstatus\told_score\tnew_score\tproposal\n${rows.join('\n')}\n`, 'long.tsv'));
    assert.ok(long.yRange!.min > 0.1, `at ${CLIP_FROM_TRIALS} trials the view starts near the baseline: ${JSON.stringify(long.yRange)}`);
  });

  test('taste loop: one series per modality, the aggregate among them', () => {
    const s = series('atris-taste-loop.tsv');
    assert.deepEqual(Object.keys(s.modalities ?? {}).sort(), ['aggregate', 'video_prompt', 'website', 'writing']);
    assert.equal(s.modalities!.aggregate.length, s.points.length);
  });

  test('daily: no numeric score, so counts per run instead of an empty chart', () => {
    const s = series('atris-daily.tsv');
    assert.equal(s.numeric, false);
    assert.equal(s.points.length, 3);
    assert.equal(s.yRange, undefined);
  });

  test('the Pareto front of two metrics keeps only the trials nothing beats on both', () => {
    const log = parseResults('commit\tmetric_1\tmetric_2\tstatus\tdescription\na\t0.5\t0.5\tkeep\t\nb\t0.6\t0.4\tkeep\t\nc\t0.4\t0.4\tdiscard\t\nd\t0.7\t0.1\tkeep\t\ne\t0.55\t0.5\tkeep\t\n', 'two.tsv');
    assert.deepEqual(paretoFront(log.trials, 'higher'), [
      { x: 0.55, y: 0.5, trial: 5 },
      { x: 0.6, y: 0.4, trial: 2 },
      { x: 0.7, y: 0.1, trial: 4 },
    ]);
    assert.deepEqual(buildSeries(log).pareto, paretoFront(log.trials, 'higher'));
    // The Pareto view draws every trial, the dominated ones too, with its status.
    assert.deepEqual(
      buildSeries(log).paretoTrials?.map((t) => `${t.trial}:${t.status}:${t.x},${t.y}`),
      ['1:kept:0.5,0.5', '2:kept:0.6,0.4', '3:reverted:0.4,0.4', '4:kept:0.7,0.1', '5:kept:0.55,0.5'],
    );
  });
});

describe('chart messages', () => {
  test('a built series passes the page\'s own check, so what the extension sends is what the page draws', () => {
    const message = { type: 'series', pack: 'k', series: series('karpathy-autoresearch-h100-mar8.tsv'), diffLines: [2] };
    assert.equal(ToWebview.safeParse(JSON.parse(JSON.stringify(message))).success, true);
  });

  test('the extension drops what the page should never send', () => {
    assert.equal(FromWebview.safeParse({ type: 'openTrial', line: 3 }).success, true);
    assert.equal(FromWebview.safeParse({ type: 'openTrial', line: -1 }).success, false);
    assert.equal(FromWebview.safeParse({ type: 'exportPng', dataUrl: 'javascript:alert(1)' }).success, false);
    assert.equal(FromWebview.safeParse({ type: 'exportTable', format: 'exe' }).success, false);
    assert.equal(FromWebview.safeParse({ type: 'runCommand', command: 'rm' }).success, false);
  });
});

describe('a target\'s history', () => {
  const run = (trials: Array<Partial<TrialRecord> & { trial: number }>): RunRecord => ({
    id: 'r1',
    pack: '/p',
    slug: 'smoke',
    engine: 'pack',
    proposals: [],
    target: '/p/candidate.py',
    pid: 1,
    processes: [],
    startedAt: '2026-11-23T00:00:00Z',
    trials: trials.map((t) => ({ run: 'r1', proposal: 'x.py', target: '/p/candidate.py', before: 'a', candidate: 'b', startedAt: '2026-11-23T00:00:00Z', ...t })),
  });

  test('the CodeLens names the last kept trial, its gain, and the reverts since', () => {
    const history = targetHistory([run([{ trial: 1, status: 'reverted' }, { trial: 2, status: 'kept', oldScore: 0.2, newScore: 1 }, { trial: 3, status: 'reverted' }, { trial: 4, status: 'error' }])], '/p/candidate.py');
    assert.deepEqual(history.map((h) => h.trial.trial), [4, 3, 2, 1]);
    assert.equal(historySummary(history), 'Last kept: trial 2 (+0.80) · 1 reverted since');
    assert.equal(historySummary(targetHistory([run([{ trial: 1, status: 'reverted' }])], '/p/candidate.py')), 'No kept trial yet · 1 reverted so far');
    assert.equal(historySummary(targetHistory([run([{ trial: 1, status: 'kept' }])], '/p/other.py')), undefined);
  });
});
