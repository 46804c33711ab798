/**
 * How the extension follows a loop task's run: by the id in the pack's lock, not by start times, and
 * with a journal tail that folds only what was appended since the last read.
 */
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ensureJournalDir, JOURNAL_FILE, type JournalEvent } from '../../src/core/run/journal';
import { acquireLock } from '../../src/core/run/lock';
import { RunFollower } from '../../src/core/run/runFollower';
import { realPath } from '../../src/core/realPath';
import { tempDir, writeTree } from './helpers';

function setup() {
  const root = tempDir();
  const pack = realPath(writeTree(path.join(root, 'atris', 'experiments', 'p'), { 'program.md': 'x\n' }));
  const file = path.join(ensureJournalDir(root), JOURNAL_FILE);
  const append = (event: JournalEvent) => appendFileSync(file, `${JSON.stringify(event)}\n`);
  const start = (run: string, proposals: string[], at = '2026-01-01T00:00:00Z') =>
    append({ type: 'run-start', run, pack, slug: 'p', engine: 'pack', proposals, target: path.join(pack, 't'), pid: process.pid, at });
  return { root, pack, append, start };
}

describe('following a run', () => {
  test('the run is the one the lock names, even when another run of the pack appears first with the same start time', () => {
    const { root, pack, start } = setup();
    start('old', ['a.py']);
    const follower = new RunFollower(pack);
    assert.equal(follower.read(), undefined, 'nothing before the process starts');
    const lock = acquireLock(root, pack, 'ours');
    try {
      start('someone-else', ['x.py'], '2026-01-01T00:00:01Z');
      start('ours', ['a.py', 'b.py'], '2026-01-01T00:00:01Z');
      const record = follower.read();
      assert.equal(record?.id, 'ours');
      assert.equal(record?.proposals.length, 2, 'the proposal count comes from the journal');
      assert.equal(follower.runId, 'ours');
    } finally {
      lock.release();
    }
  });

  test('a run that took the lock and wrote its start before following began is still the one followed', () => {
    const { root, pack, start } = setup();
    start('old', ['a.py']);
    const lock = acquireLock(root, pack, 'fast');
    try {
      start('fast', ['a.py', 'b.py']);
      const follower = new RunFollower(pack);
      assert.equal(follower.read()?.id, 'fast');
    } finally {
      lock.release();
    }
  });

  test('later reads fold what was appended; a run that ended before the first read is the pack\'s one new run', () => {
    const { pack, start, append } = setup();
    start('old', ['a.py']);
    const follower = new RunFollower(pack);
    start('quick', ['a.py']);
    append({ type: 'trial-start', run: 'quick', trial: 1, proposal: 'a.py', target: path.join(pack, 't'), before: 'h0', at: 'now' });
    assert.equal(follower.read()?.trials[0].status, undefined);
    append({ type: 'trial-end', run: 'quick', trial: 1, status: 'kept', at: 'now' });
    append({ type: 'run-end', run: 'quick', status: 'finished', at: 'now' });
    const record = follower.read();
    assert.equal(record?.id, 'quick');
    assert.equal(record?.trials[0].status, 'kept');
    assert.equal(record?.status, 'finished');
  });

  test('resumed after a window reload: the running run is already in the journal, and the lock names it', () => {
    const { root, pack, start } = setup();
    start('old', ['a.py']);
    start('going', ['a.py', 'b.py', 'c.py']);
    const lock = acquireLock(root, pack, 'going');
    try {
      assert.equal(new RunFollower(pack, true).read()?.id, 'going');
    } finally {
      lock.release();
    }
    assert.equal(new RunFollower(pack, true).read(), undefined, 'without the lock no old run is taken for the resumed one');
  });
});
