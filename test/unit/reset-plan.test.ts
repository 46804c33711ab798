/** planReset: reset.py first, else the journal's oldest "before" snapshot, else nothing. */
import assert from 'node:assert/strict';
import { realpathSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Journal, journalRoot } from '../../src/core/run/journal';
import { planReset } from '../../src/core/run/resetPlan';
import { SnapshotStore } from '../../src/core/run/snapshots';
import { packFiles, tempDir, writeTree } from './helpers';

function pack(withReset: boolean): string {
  const root = writeTree(tempDir(), { ...packFiles('atris/experiments/p'), 'atris/experiments/p/candidate.txt': 'changed\n' });
  const dir = realpathSync(path.join(root, 'atris', 'experiments', 'p'));
  if (!withReset) rmSync(path.join(dir, 'reset.py'));
  return dir;
}

/** One run of the pack in its journal whose trials saw the target as `befores`, in order. */
function journalTrials(dir: string, befores: string[]): string[] {
  const root = journalRoot(dir);
  const store = new SnapshotStore(root);
  const journal = new Journal(root);
  const target = path.join(dir, 'candidate.txt');
  const at = '2026-11-30T10:00:00.000Z';
  journal.append({ type: 'run-start', run: 'r1', pack: dir, slug: 'p', engine: 'native', proposals: [], target, pid: 1, at });
  return befores.map((text, i) => {
    const before = store.put(Buffer.from(text));
    journal.append({ type: 'trial-start', run: 'r1', trial: i + 1, proposal: `p${i + 1}.py`, target, before, at });
    return before;
  });
}

describe('planReset', () => {
  test('a pack with reset.py is reset by it, whatever the journal holds', async () => {
    const dir = pack(true);
    journalTrials(dir, ['baseline\n']);
    const plan = await planReset(dir);
    assert.equal(plan.kind, 'script');
    assert.equal(plan.kind === 'script' && plan.script, path.join(dir, 'reset.py'));
    assert.deepEqual(plan.target, { kind: 'candidate', path: path.join(dir, 'candidate.txt'), others: [] });
  });

  test('without reset.py: the oldest "before" snapshot of the target in the journal', async () => {
    const dir = pack(false);
    const [first] = journalTrials(dir, ['baseline\n', 'second\n']);
    const plan = await planReset(dir);
    assert.equal(plan.kind, 'journal');
    assert.deepEqual(plan.kind === 'journal' && plan.baseline, { target: path.join(dir, 'candidate.txt'), hash: first, run: 'r1', trial: 1, at: '2026-11-30T10:00:00.000Z' });
  });

  test('without reset.py and without a journal: nothing to reset from', async () => {
    const dir = pack(false);
    assert.deepEqual(await planReset(dir), { kind: 'none', target: { kind: 'candidate', path: path.join(dir, 'candidate.txt'), others: [] } });
  });

  test('without reset.py and without a known target: nothing, and the reason is kept', async () => {
    const dir = pack(false);
    rmSync(path.join(dir, 'candidate.txt'));
    rmSync(path.join(dir, 'loop.py'));
    const plan = await planReset(dir);
    assert.equal(plan.kind, 'none');
    assert.deepEqual(plan.target, { kind: 'unknown', reason: 'no candidate.* file in the pack and no loop.py to read DEFAULT_TARGET from' });
  });
});
