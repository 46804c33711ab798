/**
 * Rows appended in the log's own dialect: its line ending, timestamp form and digits after the point,
 * and the canonical form of the packs' loop.py when there is no row to copy from. Real files in a temp
 * folder; the times are fixed so every row can be compared whole.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { appendRow, formatRow, readDialect, type RowValues } from '../../src/core/run/resultsWriter';
import { RESULTS_LOGS, tempDir } from './helpers';

const HEADER = 'timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription';
/** 2026-11-30T08:30:00.123456 UTC, in microseconds. */
const AT = Date.UTC(2026, 10, 30, 8, 30, 0, 123) * 1000 + 456;
const KEPT: RowValues = { trial: 3, status: 'kept', oldScore: 0.2, newScore: 0.4, proposal: 'fix.py', description: 'applied fix' };

function logFile(text: string): string {
  const file = path.join(tempDir(), 'results.tsv');
  writeFileSync(file, text);
  return file;
}

const rowOf = (text: string, values = KEPT) => formatRow(readDialect(logFile(text)), values, AT);

describe('results rows in the canonical form when there is nothing to copy', () => {
  test('a header-only log: Python isoformat() in UTC and four digits', () => {
    assert.equal(rowOf(`${HEADER}\n`), '2026-11-30T08:30:00.123456+00:00\t3\tkept\t0.2000\t0.4000\tfix.py\tapplied fix');
  });

  test('a missing log: the canonical header, then the row', () => {
    const file = path.join(tempDir(), 'results.tsv');
    const dialect = readDialect(file);
    assert.equal(formatRow(dialect, KEPT, AT), '2026-11-30T08:30:00.123456+00:00\t3\tkept\t0.2000\t0.4000\tfix.py\tapplied fix');
    assert.equal(appendRow(file, dialect, KEPT), 2);
    assert.match(readFileSync(file, 'utf8'), new RegExp(`^${HEADER}\n\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00\t3\tkept\t0\\.2000\t0\\.4000\tfix\\.py\tapplied fix\n$`));
  });

  test('whole seconds: isoformat() leaves the fraction out', () => {
    assert.equal(formatRow(readDialect(logFile(`${HEADER}\n`)), KEPT, Date.UTC(2026, 10, 30, 8, 30, 0) * 1000).split('\t')[0], '2026-11-30T08:30:00+00:00');
  });
});

describe('results rows copy the log\'s timestamp form', () => {
  const withStamp = (stamp: string) => `${HEADER}\n${stamp}\t1\treverted\t0.2000\t0.1000\tbad.py\tx\n`;

  test('Python +00:00 with microseconds', () => {
    assert.equal(rowOf(withStamp('2026-03-11T11:05:17.887045+00:00')).split('\t')[0], '2026-11-30T08:30:00.123456+00:00');
  });

  test('JavaScript toISOString(): milliseconds and Z', () => {
    assert.equal(rowOf(withStamp('2026-07-06T00:14:13.257Z')).split('\t')[0], '2026-11-30T08:30:00.123Z');
  });

  test('whole seconds and Z', () => {
    assert.equal(rowOf(withStamp('2026-01-01T00:00:00Z')).split('\t')[0], '2026-11-30T08:30:00Z');
  });

  test('a compact zero offset', () => {
    assert.equal(rowOf(withStamp('2026-01-01T00:00:00.5+0000')).split('\t')[0], '2026-11-30T08:30:00.1+0000');
  });

  describe('local forms, in a zone of +05:30', () => {
    let saved: string | undefined;
    before(() => {
      saved = process.env.TZ;
      process.env.TZ = 'Asia/Kolkata';
    });
    after(() => {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    });

    test('a naive stamp with a space is local time', () => {
      assert.equal(rowOf(withStamp('2026-01-01 10:00:00')).split('\t')[0], '2026-11-30 14:00:00');
    });

    test('a non-zero offset is local time with the local offset', () => {
      assert.equal(rowOf(withStamp('2026-01-01T10:00:00.123+02:00')).split('\t')[0], '2026-11-30T14:00:00.123+05:30');
    });
  });

  test('a form it does not know gets the canonical one', () => {
    assert.equal(rowOf(withStamp('yesterday')).split('\t')[0], '2026-11-30T08:30:00.123456+00:00');
  });
});

describe('results rows copy the log\'s digits after the point', () => {
  test('six digits (karpathy/autoresearch): 0.400000', () => {
    const text = 'commit\tval_bpb\tmemory_gb\tstatus\tdescription\nbaseline\t0.997900\t44.0\tkeep\tbaseline\n';
    assert.equal(rowOf(text, { ...KEPT, newScore: 0.4 }), '\t0.400000\t\tkeep\tapplied fix');
  });

  test('digits that vary (0.5, 0.875): the shortest form', () => {
    const text = `${HEADER}\n2026-01-01T00:00:00Z\t1\tkept\t0.5\t0.875\ta.py\tx\n`;
    assert.equal(rowOf(text, { ...KEPT, oldScore: 0.875, newScore: 0.9 }), '2026-11-30T08:30:00Z\t3\tkept\t0.875\t0.9\tfix.py\tapplied fix');
  });

  test('whole numbers stay whole, and a fraction is never rounded away', () => {
    const text = '# metric_direction: lower\niteration\tcommit\tmetric\tdelta\tguard\tstatus\tdescription\n0\tbase\t3\t0\t-\tbaseline\tfirst\n';
    assert.equal(rowOf(text, { ...KEPT, newScore: 2 }).split('\t')[2], '2');
    assert.equal(rowOf(text, { ...KEPT, newScore: 2.5 }).split('\t')[2], '2.5');
  });
});

describe('results rows copy the log\'s line ending', () => {
  test('a real log whose rows end in CRLF: the new row ends in CRLF, the old bytes untouched', () => {
    const file = path.join(tempDir(), 'results.tsv');
    copyFileSync(path.join(RESULTS_LOGS, 'swarlo-worker-routing.tsv'), file);
    const old = readFileSync(file);
    assert.equal(appendRow(file, readDialect(file), KEPT), 6);
    const now = readFileSync(file);
    assert.deepEqual(now.subarray(0, old.length), old);
    assert.match(now.subarray(old.length).toString('utf8'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00\t3\tkept\t0\.2000\t0\.4000\tfix\.py\tapplied fix\r\n$/);
  });

  test('a CRLF log without its last line ending: CRLF before and after the row', () => {
    const file = logFile(`${HEADER}\r\n2026-01-01T00:00:00Z\t1\treverted\t0.2000\t0.1000\tbad.py\tx`);
    appendRow(file, readDialect(file), KEPT);
    assert.match(readFileSync(file, 'utf8'), /\tbad\.py\tx\r\n2026-\d\d-\d\dT\d\d:\d\d:\d\dZ\t3\tkept\t0\.2000\t0\.4000\tfix\.py\tapplied fix\r\n$/);
  });

  test('an LF log stays LF', () => {
    const file = logFile(`${HEADER}\n`);
    appendRow(file, readDialect(file), KEPT);
    assert.doesNotMatch(readFileSync(file, 'utf8'), /\r/);
  });
});
