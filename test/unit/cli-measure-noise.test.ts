/** `autoexp measure PACK --repeat N`: the metric's noise, from real measure.py runs. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT, packFiles, tempDir, writeTree } from './helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');
const autoexp = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** measure.py prints the next of a fixed list of scores each time it runs (a counter file remembers). */
const SEQUENCE_MEASURE = (scores: number[]) => `import json, pathlib
counter = pathlib.Path(__file__).with_name("count.txt")
i = int(counter.read_text()) if counter.exists() else 0
counter.write_text(str(i + 1))
print(json.dumps({"score": ${JSON.stringify(scores)}[i % ${scores.length}]}))
`;

describe('autoexp measure --repeat', () => {
  test('prints each measurement, then the median, sd, MAD and a suggested --min-effect', () => {
    const root = writeTree(tempDir(), packFiles('p', { 'measure.py': SEQUENCE_MEASURE([0.61, 0.6, 0.62, 0.59, 0.6, 0.9]) }));
    const r = autoexp(['measure', path.join(root, 'p'), '--repeat', '6']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      'measurement 1/6: 0.6100',
      'measurement 2/6: 0.6000',
      'measurement 3/6: 0.6200',
      'measurement 4/6: 0.5900',
      'measurement 5/6: 0.6000',
      'measurement 6/6: 0.9000',
      'median: 0.6050',
      'sd: 0.1213',
      'mad: 0.0100',
      'n: 6',
      'suggested --min-effect: 0.0148 (1.4826 × MAD, one robust σ of noise)',
    ]);
  });

  test('--json gives every score and the summary', () => {
    const root = writeTree(tempDir(), packFiles('p', { 'measure.py': SEQUENCE_MEASURE([1, 2, 3]) }));
    const json = JSON.parse(autoexp(['measure', path.join(root, 'p'), '--repeat', '3', '--json']).stdout);
    assert.deepEqual(json.scores, [1, 2, 3]);
    assert.equal(json.median, 2);
    assert.equal(json.sd, 1);
    assert.equal(json.mad, 1);
  });

  test('a failing measurement names which one failed; a bad --repeat is a usage error', () => {
    const root = writeTree(tempDir(), packFiles('p', { 'measure.py': 'import pathlib, sys\nc = pathlib.Path(__file__).with_name("c")\nn = int(c.read_text()) if c.exists() else 0\nc.write_text(str(n + 1))\nif n == 2: sys.exit("flaky GPU")\nprint(\'{"score": 1}\')\n' }));
    const r = autoexp(['measure', path.join(root, 'p'), '--repeat', '5']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'autoexp: measurement 3 of 5: p/measure.py exited with code 1: flaky GPU\n');
    const bad = autoexp(['measure', path.join(root, 'p'), '--repeat', '1']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'autoexp measure: --repeat must be a whole number of at least 2, got "1"\n');
  });
});
