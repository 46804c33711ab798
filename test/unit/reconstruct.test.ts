/** Reconstruct Diff on a copy of the smoke pack: when the state before a trial is known, and safety. */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseResults } from '../../src/core/results/parse';
import { journalRoot } from '../../src/core/run/journal';
import { acquireLock } from '../../src/core/run/lock';
import { knownStateBefore, reconstructTrial } from '../../src/core/run/reconstruct';
import { SnapshotStore } from '../../src/core/run/snapshots';
import { BASELINE, smokeRepo } from './support/smokeRepo';

/** Rows as a loop run by hand would have logged them: results.tsv knows them, the journal does not. */
function handLogged(pack: string, rows: string[]): ReturnType<typeof parseResults> {
  const file = path.join(pack, 'results.tsv');
  appendFileSync(file, rows.map((r) => `${r}\n`).join(''));
  return parseResults(readFileSync(file, 'utf8'), file);
}

describe('reconstructing a trial the journal never saw', () => {
  test('nothing kept since the trial: it is replayed on a copy of the target as it is now', async () => {
    const { pack } = smokeRepo();
    const log = handLogged(pack, ['2026-01-01T00:00:00Z\t1\treverted\t0.2000\t0.2000\tbad_patch.py\tcount spaces']);
    const store = new SnapshotStore(journalRoot(pack));
    const target = path.join(pack, 'candidate.py');
    const known = knownStateBefore(log, log.trials[0], readFileSync(target), new Map(), store);
    assert.equal(known.ok && known.how, 'the target as it is now (no trial since kept a change)');
    if (!known.ok) return;
    const result = await reconstructTrial({ packDir: pack, target, proposal: path.join(pack, 'proposals', 'bad_patch.py'), known, python: 'python3', store, timeoutMs: 30_000 });
    assert.equal(store.get(result.before).toString(), BASELINE);
    assert.equal(store.get(result.candidate).toString(), "def count_words(text):\n    return text.count(' ') + 1\n");
    assert.equal(readFileSync(target, 'utf8'), BASELINE, 'the real target is untouched');
  });

  test('a kept trial since, and no snapshot: it says plainly why it cannot', () => {
    const { pack } = smokeRepo();
    const log = handLogged(pack, [
      '2026-01-01T00:00:00Z\t1\treverted\t0.2000\t0.2000\tbad_patch.py\tcount spaces',
      '2026-01-01T00:00:01Z\t2\tkept\t0.2000\t1.0000\tfix_patch.py\tsplit',
    ]);
    const known = knownStateBefore(log, log.trials[0], Buffer.from(''), new Map(), new SnapshotStore(journalRoot(pack)));
    assert.deepEqual(known, { ok: false, why: "the target's state before trial 1 is not known: a later trial kept a change, and the run journal holds no snapshot from before this one" });
  });

  test('a proposal that writes other pack files is undone and refused', async () => {
    const { pack } = smokeRepo();
    const program = readFileSync(path.join(pack, 'program.md'), 'utf8');
    // Ignores EXPERIMENT_TARGET and edits the pack it sits in.
    writeFileSync(path.join(pack, 'proposals', 'edit_pack.py'), 'from pathlib import Path\n(Path(__file__).resolve().parent.parent / "program.md").write_text("rewritten\\n")\n');
    const log = handLogged(pack, ['2026-01-01T00:00:00Z\t1\terror\t0.2000\t\tedit_pack.py\t']);
    const store = new SnapshotStore(journalRoot(pack));
    const target = path.join(pack, 'candidate.py');
    const known = knownStateBefore(log, log.trials[0], readFileSync(target), new Map(), store);
    assert.ok(known.ok);
    if (!known.ok) return;
    await assert.rejects(
      reconstructTrial({ packDir: pack, target, proposal: path.join(pack, 'proposals', 'edit_pack.py'), known, python: 'python3', store, timeoutMs: 30_000 }),
      /^Error: the proposal wrote atris\/experiments\/smoke-keep-revert\/program\.md instead of only EXPERIMENT_TARGET; it was put back, and the trial cannot be replayed safely$/,
    );
    assert.equal(readFileSync(path.join(pack, 'program.md'), 'utf8'), program);
    assert.equal(readFileSync(target, 'utf8'), BASELINE);
  });

  test('while a run holds the pack it refuses, naming the run, and changes nothing', async () => {
    const { pack } = smokeRepo();
    const log = handLogged(pack, ['2026-01-01T00:00:00Z\t1\treverted\t0.2000\t0.2000\tbad_patch.py\tcount spaces']);
    const store = new SnapshotStore(journalRoot(pack));
    const target = path.join(pack, 'candidate.py');
    const known = knownStateBefore(log, log.trials[0], readFileSync(target), new Map(), store);
    assert.equal(known.ok, true);
    const resultsBefore = readFileSync(path.join(pack, 'results.tsv'), 'utf8');
    const run = acquireLock(journalRoot(pack), pack, 'run-under-way');
    try {
      await assert.rejects(
        reconstructTrial({ packDir: pack, target, proposal: path.join(pack, 'proposals', 'bad_patch.py'), known: known as Extract<typeof known, { ok: true }>, python: 'python3', store, timeoutMs: 30_000 }),
        /smoke-keep-revert is already running \(run run-under-way, pid \d+, since .*\); stop that run first/,
      );
    } finally {
      run.release();
    }
    assert.equal(readFileSync(target, 'utf8'), BASELINE);
    assert.equal(readFileSync(path.join(pack, 'results.tsv'), 'utf8'), resultsBefore);
  });
});
