/**
 * The guard's copy of results.tsv (src/core/run/guard/appendOnly.ts) on real files: between trials it
 * follows the log by appending the rows the loop added, and whatever happens to the log or to the
 * copy, a mark's copy is the log as the mark saw it, byte for byte.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { AppendOnlyFile } from '../../src/core/run/guard/appendOnly';
import { tempDir } from './helpers';

const HEADER = 'timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription\n';
const row = (n: number, status = 'kept') => `2026-12-01T00:00:0${n}+00:00\t${n}\t${status}\t0.5000\t0.6000\tp${n}.py\tstep ${n}\n`;

function setUp() {
  const dir = tempDir();
  const log = path.join(dir, 'results.tsv');
  const copy = path.join(dir, 'copy.tsv');
  writeFileSync(log, HEADER);
  return { log, copy, file: new AppendOnlyFile(log, copy), read: (f: string) => readFileSync(f, 'utf8') };
}

describe('the guard\'s copy of results.tsv', () => {
  test('follows the log row by row; a proposal that rewrites a row gets the whole log back as the mark saw it', () => {
    const { log, copy, file, read } = setUp();
    file.mark();
    for (let n = 1; n <= 3; n++) {
      appendFileSync(log, row(n)); // the loop's row, between trials
      const mark = file.mark();
      assert.equal(mark?.size, Buffer.byteLength(HEADER + [1, 2, 3].slice(0, n).map((i) => row(i)).join('')));
      assert.equal(read(copy), read(log), `after row ${n}`);
    }
    const before = read(log);
    const mark = file.mark();
    writeFileSync(log, before.replace('\tkept\t', '\treverted\t'));
    assert.equal(file.check(mark), 'rewritten');
    assert.equal(read(log), before);
  });

  test('a log rewritten between trials, not only grown, is copied whole; a forged row after the mark is cut off', () => {
    const { log, copy, file, read } = setUp();
    appendFileSync(log, row(1));
    file.mark();
    writeFileSync(log, HEADER + row(1, 'reverted') + row(2)); // loop.py rewrote its own log
    const mark = file.mark();
    assert.equal(read(copy), HEADER + row(1, 'reverted') + row(2));
    appendFileSync(log, row(3)); // the proposal forges a row
    assert.equal(file.check(mark), 'appended');
    assert.equal(read(log), HEADER + row(1, 'reverted') + row(2));
  });

  test('a copy that is not what the last mark left is taken again whole', () => {
    const { log, copy, file, read } = setUp();
    appendFileSync(log, row(1));
    file.mark();
    appendFileSync(copy, 'tampered\n');
    appendFileSync(log, row(2));
    const mark = file.mark();
    assert.equal(read(copy), HEADER + row(1) + row(2));
    writeFileSync(log, 'gone\n');
    assert.equal(file.check(mark), 'rewritten');
    assert.equal(read(log), HEADER + row(1) + row(2));
  });
});
