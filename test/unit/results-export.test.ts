/** The parsed log as JSON, CSV and Markdown, and the running best the chart draws. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { csvCell, markdownCell, runningBest, toCsv, toJson, toMarkdown } from '../../src/core/results/export';
import { parseResults } from '../../src/core/results/parse';

const LOGS = new URL('../fixtures/real-logs/', import.meta.url);
const real = (name: string) => parseResults(readFileSync(new URL(name, LOGS), 'utf8'), name);
const HEADER = 'timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription\n';
const small = () =>
  parseResults(`${HEADER}2026\t1\treverted\t0.2\t0.1\tbad.py\tsays "hi", then | pipes\n2026\t2\tkept\t0.2\t0.9\tfix.py\tok\n2026\t3\tcrash\t0.9\tN/A\tboom.py\tback\\slash\n`, 'r.tsv');

describe('runningBest', () => {
  test('karpathy: starts at the baseline, ends at 0.969686, changes 22 times; the crash never moves it', () => {
    const log = real('karpathy-autoresearch-h100-mar8.tsv');
    const best = runningBest(log);
    assert.equal(best.length, 126);
    assert.equal(best[0], 0.9979);
    assert.equal(best[best.length - 1], 0.969686);
    let changes = 0;
    for (let i = 1; i < best.length; i++) if (best[i] !== best[i - 1]) changes++;
    assert.equal(changes, 22, 'every keep after the baseline row improved val_bpb');
    assert.equal(new Set(best).size, 23);
    for (let i = 1; i < best.length; i++) assert.ok(best[i]! <= best[i - 1]!, 'lower is better: never goes up');
    assert.equal(best[15], best[14], 'the crash row');
    assert.equal(best.indexOf(0.969686), 118);
  });

  test('higher is better, seeded with the baseline; reverted and error rows never move it', () => {
    assert.deepEqual(runningBest(small()), [0.2, 0.9, 0.9]);
    assert.deepEqual(runningBest(real('atris-smoke-keep-revert.tsv')), [0.2, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    assert.deepEqual(runningBest(real('atris-taste-loop.tsv')), [0, 0, 1, 1, 1, 1, 1, 1, 1]);
    assert.deepEqual(runningBest(real('atris-daily.tsv')), [undefined, undefined, undefined]);
  });
});

describe('toJson', () => {
  test('a plain, JSON-safe object with best so far per trial', () => {
    const json = toJson(small());
    assert.deepEqual(JSON.parse(JSON.stringify(json)), json, 'survives a JSON round trip unchanged');
    assert.equal(json.file, 'r.tsv');
    assert.equal(json.metric, 'new_score');
    assert.equal(json.direction, 'higher');
    assert.equal(json.baseline, 0.2);
    assert.deepEqual(json.best, { score: 0.9, trial: 1 });
    assert.deepEqual(json.counts, { kept: 1, reverted: 1, error: 1, baseline: 0, unknown: 0 });
    assert.deepEqual(json.columns.score, 'new_score');
    assert.deepEqual(
      json.runs[0].trials.map((t) => [t.number, t.status, t.score, t.bestSoFar]),
      [
        [1, 'reverted', 0.1, 0.2],
        [2, 'kept', 0.9, 0.9],
        [3, 'error', undefined, 0.9],
      ],
    );
    assert.ok(!('score' in json.runs[0].trials[2]), 'no undefined values');
    assert.deepEqual(json.problems, []);
  });

  test('modalities: a missing score is null; problems are carried', () => {
    const log = parseResults('trial\tmodality\tstatus\tnew_score\n1\ta\tkept\t1\n1\tb\tkept\tx\n', 'm.tsv');
    const json = toJson(log);
    assert.deepEqual(json.runs[0].trials[0].modalities, { a: 1, b: null });
    assert.deepEqual(
      json.problems.map((p) => [p.rule, p.line, p.column]),
      [['results-bad-score', 3, 10]],
    );
  });

  test('karpathy: the last trial best so far is 0.969686', () => {
    const json = toJson(real('karpathy-autoresearch-h100-mar8.tsv'));
    assert.equal(json.runs[0].trials.at(-1)!.bestSoFar, 0.969686);
    assert.equal(json.directionSource, 'metric-name');
  });
});

describe('toCsv', () => {
  test('RFC 4180: a header record, CRLF, quotes doubled inside quoted cells', () => {
    assert.equal(
      toCsv(small()),
      'run,trial,status,status word,old score,score,best so far,proposal,description\r\n' +
        'run 1,1,reverted,reverted,0.2,0.1,0.2,bad.py,"says ""hi"", then | pipes"\r\n' +
        'run 1,2,kept,kept,0.2,0.9,0.9,fix.py,ok\r\n' +
        'run 1,3,error,crash,0.9,,0.9,boom.py,back\\slash\r\n',
    );
  });

  test('cells with line breaks are quoted; plain cells are not', () => {
    assert.equal(csvCell('a\nb'), '"a\nb"');
    assert.equal(csvCell('a\rb'), '"a\rb"');
    assert.equal(csvCell('plain text'), 'plain text');
    assert.equal(csvCell(''), '');
  });

  test('karpathy: one record per trial, the commit stands in for the proposal', () => {
    const lines = toCsv(real('karpathy-autoresearch-h100-mar8.tsv')).split('\r\n');
    assert.equal(lines.length, 128);
    assert.equal(lines[1], 'run 1,1,kept,keep,,0.9979,0.9979,baseline,baseline');
    assert.equal(lines[16], 'run 1,16,error,crash,,,0.973104,e05a87d,batch 131K (assert fail: not divisible by device batch)');
  });
});

describe('toMarkdown', () => {
  test('a GFM table; pipes and backslashes escaped', () => {
    assert.equal(
      toMarkdown(small()),
      '| run | trial | status | status word | old score | score | best so far | proposal | description |\n' +
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n' +
        '| run 1 | 1 | reverted | reverted | 0.2 | 0.1 | 0.2 | bad.py | says "hi", then \\| pipes |\n' +
        '| run 1 | 2 | kept | kept | 0.2 | 0.9 | 0.9 | fix.py | ok |\n' +
        '| run 1 | 3 | error | crash | 0.9 |  | 0.9 | boom.py | back\\\\slash |\n',
    );
  });

  test('line breaks become <br>', () => {
    assert.equal(markdownCell('one\r\ntwo\nthree\rfour'), 'one<br>two<br>three<br>four');
    assert.equal(markdownCell('a|b'), 'a\\|b');
  });

  test('taste-loop: one table row per trial with the run id', () => {
    const lines = toMarkdown(real('atris-taste-loop.tsv')).trimEnd().split('\n');
    assert.equal(lines.length, 2 + 9);
    assert.equal(lines[2], '| 20260717T023206Z | 0 | baseline | baseline |  | 0 | 0 |  | frozen baseline |');
  });
});
