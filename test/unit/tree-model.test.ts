/** The Experiments tree's model on the fixture packs: labels, descriptions, children and icons. */
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { listExperimentsFolder } from '../../src/core/discovery';
import { loadPackInfo } from '../../src/core/packInfo';
import { packChildren, packNode, packView, proposalNodes, runNodes, trialNodes } from '../../src/extension/tree/model';
import { EXPERIMENTS, tempDir, WORKSPACE } from './helpers';

async function packOf(slug: string) {
  const folder = await listExperimentsFolder(EXPERIMENTS);
  return [...folder.packs, ...folder.support].find((p) => p.slug === slug)!;
}

async function info(slug: string) {
  return loadPackInfo(await packOf(slug));
}

/** A fixture pack copied to a temporary folder, to change its files. */
async function copyOf(slug: string) {
  const original = await packOf(slug);
  const copy = path.join(tempDir(), slug);
  cpSync(original.dir, copy, { recursive: true });
  return { pack: { ...original, dir: copy }, copy };
}

describe('pack nodes', () => {
  test('outside-target: best score with direction, trial count, target outside the pack', async () => {
    const i = await info('outside-target');
    const node = packNode(i, 'valid');
    assert.equal(node.label, 'outside-target');
    assert.equal(node.description, 'best 1.0000 ↑ · 3 trials');
    assert.deepEqual(node.icon, { id: 'beaker' });
    assert.equal(node.contextValue, 'autoexp.pack');
    assert.match(node.tooltip!, /^\*\*outside-target\*\*\n\nMake greet\(\) in pkg\/greeting\.py polite/);
    assert.match(node.tooltip!, /Target: `\.\.\/\.\.\/\.\.\/pkg\/greeting\.py`/);
    assert.match(node.tooltip!, /Last run: 2026-05-01T10:00:02\.000000\+00:00 · 1 kept, 1 reverted, 1 error/);
    const children = packChildren(i);
    assert.deepEqual(children.map((c) => [c.label, c.description]), [
      ['Program', 'Make greet() in pkg/greeting.py polite and capitalised.'],
      ['Target', '../../../pkg/greeting.py'],
      ['Proposals', '1'],
      ['Runs', '1'],
      ['Results', '3 rows'],
    ]);
    assert.equal(children[1].open, path.join(WORKSPACE, 'pkg', 'greeting.py'));
  });

  test('the measured score shows as "now"', async () => {
    assert.equal(packNode(await info('outside-target'), 'valid', 0.5).description, 'now 0.5000 · best 1.0000 ↑ · 3 trials');
  });

  test('smoke-keep-revert before any run: no trials yet, two proposals, candidate target', async () => {
    const i = await info('smoke-keep-revert');
    assert.equal(packNode(i, 'valid').description, 'no trials yet');
    const children = packChildren(i);
    assert.equal(children[1].description, 'candidate.py');
    assert.deepEqual(proposalNodes(i).map((p) => p.label), ['bad_patch.py', 'fix_patch.py']);
    assert.equal(children[3].collapsible, false, 'no runs to expand');
  });

  test('icons per state', async () => {
    const i = await info('smoke-keep-revert');
    assert.deepEqual(packNode(i, 'errors').icon, { id: 'error', color: 'list.errorForeground' });
    assert.deepEqual(packNode(i, 'warnings').icon, { id: 'warning', color: 'list.warningForeground' });
    const running = packNode(i, 'running');
    assert.deepEqual(running.icon, { id: 'loading~spin' });
    assert.equal(running.contextValue, 'autoexp.pack.running');
  });

  test('an Autopilot session: said first on the row, how far it is, and its own Stop', async () => {
    const i = await info('outside-target');
    const node = packNode(i, 'autopilot', undefined, '3/20');
    assert.equal(node.description, 'Autopilot running 3/20 · best 1.0000 ↑ · 3 trials');
    assert.deepEqual(node.icon, { id: 'loading~spin' });
    assert.equal(node.contextValue, 'autoexp.pack.autopilot');
    assert.match(node.tooltip!, /\n\nAutopilot is running: an agent proposes each trial, Autoexp measures and decides\.$/);
    assert.equal(packNode(i, 'autopilot').description, 'Autopilot running · best 1.0000 ↑ · 3 trials', 'before its budget is known');
  });

  test('a Memory child opens memory.md when the pack has one, and is absent otherwise', async () => {
    const { pack, copy } = await copyOf('smoke-keep-revert');
    assert.deepEqual(packChildren(await loadPackInfo(pack)).map((c) => c.label), ['Program', 'Target', 'Proposals', 'Runs', 'Results']);
    writeFileSync(path.join(copy, 'memory.md'), '# Memory\n');
    const children = packChildren(await loadPackInfo(pack));
    assert.deepEqual(children.map((c) => c.label), ['Program', 'Target', 'Proposals', 'Runs', 'Results', 'Memory']);
    const memory = children[5];
    assert.deepEqual([memory.kind, memory.description, memory.open, memory.icon.id, memory.contextValue], ['memory', 'memory.md', path.join(copy, 'memory.md'), 'notebook', 'autoexp.memory']);
  });

  test('a pack whose target is unknown says why', async () => {
    const i = await info('missing-measure');
    assert.equal(i.target.kind, 'candidate');
    const bare = { ...i, target: { kind: 'unknown' as const, reason: 'no candidate.* file in the pack, and loop.py has no DEFAULT_TARGET = … assignment' } };
    const target = packChildren(bare)[1];
    assert.deepEqual([target.description, target.tooltip, target.open], ['unknown', bare.target.reason, undefined]);
  });
});

describe('runs and trials', () => {
  test('long-log: 10 runs newest first, 30 trials each, with status icons', async () => {
    const i = await info('long-log');
    assert.equal(packNode(i, 'valid').description?.endsWith('· 300 trials'), true);
    const runs = runNodes(i);
    assert.equal(runs.length, 10);
    assert.equal(runs[0].label, 'Run 10');
    assert.match(runs[0].description!, /^2026-04-10 09:01:00 · \d+ kept, \d+ reverted, 0 error$/);
    const trials = trialNodes(i, runs[0].runIndex!);
    assert.equal(trials.length, 30);
    const kept = trials.find((t) => t.contextValue === 'autoexp.trial.kept')!;
    assert.deepEqual(kept.icon, { id: 'pass-filled', color: 'testing.iconPassed' });
    assert.match(kept.label, /^\d+ KEPT$/);
    assert.match(kept.description!, /^0\.\d{4} → 0\.\d{4} · proposal_\d\d\.py$/);
  });

  test('outside-target: reverted, kept and error trials', async () => {
    const i = await info('outside-target');
    assert.deepEqual(trialNodes(i, 0).map((t) => [t.label, t.description, t.icon.id]), [
      ['1 REVERTED', '0.5000 → 0.2500 · shout.py', 'discard'],
      ['2 KEPT', '0.5000 → 1.0000 · polite.py', 'pass-filled'],
      ['3 ERROR', '1.0000 → – · broken.py', 'error'],
    ]);
  });

  test('a kept trial that scored worse on the holdout is flagged, and its tooltip says by how much', async () => {
    const i = await info('outside-target');
    const line = i.log!.trials[1].line;
    const flagged = { ...i, holdoutWorse: new Map([[line, { score: 0.61, previous: 0.7 }]]) };
    const kept = trialNodes(flagged, 0)[1];
    assert.equal(kept.description, '0.5000 → 1.0000 · polite.py · holdout worse');
    assert.match(String(kept.tooltip), /measure_holdout\.py: 0\.6100, worse than 0\.7000 before this keep\. It stays kept: you decide\./);
    assert.equal(trialNodes(i, 0)[1].description, '0.5000 → 1.0000 · polite.py');
  });
});

describe('when a pack is redrawn', () => {
  // A redraw drops the commands of every row under the pack until VS Code draws them again; the tree
  // redraws only when this view differs from the one it drew.
  test('a second read of an unchanged pack, or a state drawn alike, is the same view; a new row, a warning or a measure is not', async () => {
    const { pack, copy } = await copyOf('outside-target');
    const first = await loadPackInfo(pack);
    const drawn = packView(first, 'unknown');
    assert.equal(packView(await loadPackInfo(pack), 'unknown'), drawn, 'the same files read again');
    assert.equal(packView(first, 'valid'), drawn, 'validation found nothing: the row looks as it did before it reported');
    assert.notEqual(packView(first, 'warnings'), drawn);
    assert.notEqual(packView(first, 'valid', 0.5), drawn);
    assert.notEqual(packView(first, 'autopilot', undefined, '3/20'), packView(first, 'autopilot', undefined, '2/20'));
    appendFileSync(path.join(copy, 'results.tsv'), '2026-05-01T10:00:03.000000+00:00\t4\treverted\t1.0000\t0.7500\tshout.py\tshouted again\n');
    const grown = await loadPackInfo(pack);
    assert.equal(grown.log!.trials.length, 4);
    assert.notEqual(packView(grown, 'unknown'), drawn, 'a fourth trial row under Run 1');
    // The same four rows, but the last trial's description differs: only a row deep under Runs shows it.
    writeFileSync(path.join(copy, 'results.tsv'), readFileSync(path.join(copy, 'results.tsv'), 'utf8').replace('shouted again', 'shouted twice'));
    const reworded = await loadPackInfo(pack);
    assert.equal(packNode(reworded, 'unknown').description, packNode(grown, 'unknown').description);
    assert.notEqual(packView(reworded, 'unknown'), packView(grown, 'unknown'));
  });
});
