/**
 * The tree's pack details are served stale while a fresh read runs, so no redraw or read of children
 * waits on the disk (the race that left an expanded pack with no children in VS Code). The real
 * loadPackInfo on a fixture pack, and reads held open by hand where the order of events matters.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PackRef } from '../../src/core/discovery';
import { listExperimentsFolder } from '../../src/core/discovery';
import { loadPackInfo, type PackInfo } from '../../src/core/packInfo';
import { PackInfoCache } from '../../src/extension/tree/packInfoCache';
import { EXPERIMENTS } from './helpers';

const pack: PackRef = { dir: '/packs/a', slug: 'a', kind: 'pack', experimentsDir: '/packs' };

/** Reads that end when the test says: each call to load() hands back one. */
function heldReads() {
  const reads: { resolve: (info: PackInfo) => void; reject: (err: Error) => void }[] = [];
  const load = () => new Promise<PackInfo>((resolve, reject) => reads.push({ resolve, reject }));
  const info = (summary: string) => ({ pack, summary, proposals: [] }) as unknown as PackInfo;
  return { reads, load, info };
}

describe('the tree’s pack details', () => {
  test('read once from disk, then served from memory', async () => {
    const folder = await listExperimentsFolder(EXPERIMENTS);
    const outside = folder.packs.find((p) => p.slug === 'outside-target')!;
    let loads = 0;
    const cache = new PackInfoCache((p) => (loads++, loadPackInfo(p)));
    const first = await cache.get(outside);
    assert.equal(first.log?.trials.length, 3);
    assert.equal(await cache.get(outside), first);
    assert.equal(loads, 1);
  });

  test('while a pack is read again, the old details are served; the new ones once the read ends', async () => {
    const { reads, load, info } = heldReads();
    const cache = new PackInfoCache(load);
    const got = cache.get(pack);
    reads[0].resolve(info('old'));
    assert.equal((await got).summary, 'old');
    const reread = cache.reread([pack]);
    assert.equal(reads.length, 2);
    assert.equal((await cache.get(pack)).summary, 'old');
    reads[1].resolve(info('new'));
    await reread;
    assert.equal((await cache.get(pack)).summary, 'new');
    assert.equal(reads.length, 2);
  });

  test('of two reads at once, the one begun last wins, whichever ends last', async () => {
    const { reads, load, info } = heldReads();
    const cache = new PackInfoCache(load);
    const first = cache.reread([pack]);
    const second = cache.reread([pack]);
    reads[1].resolve(info('second'));
    await second;
    reads[0].resolve(info('first'));
    await first;
    assert.equal((await cache.get(pack)).summary, 'second');
  });

  test('a read that fails is not kept: the next get reads again', async () => {
    const { reads, load, info } = heldReads();
    const cache = new PackInfoCache(load);
    const failed = cache.get(pack);
    reads[0].reject(new Error('EACCES'));
    await assert.rejects(failed, /EACCES/);
    const again = cache.get(pack);
    assert.equal(reads.length, 2);
    reads[1].resolve(info('read'));
    assert.equal((await again).summary, 'read');
    const reread = cache.reread([pack]);
    reads[2].reject(new Error('EIO'));
    await reread;
    void cache.get(pack);
    assert.equal(reads.length, 4);
  });
});
