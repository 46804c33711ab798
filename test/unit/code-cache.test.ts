/**
 * The commands' bundle is loaded through V8's code cache (src/cli/codeCache.ts). Each load runs in a
 * process of its own, as each `autoexp` command does: a cache is only read by a new process.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { EXPERIMENTS, REPO_ROOT, tempDir, writeTree } from './helpers';

const LOADER = path.join(REPO_ROOT, 'test', 'unit', 'support', 'loadBundle.ts');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');
const ENTRY = new RegExp(`^bundle\\.cjs-[0-9a-f]{24}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.v8$`);

function load(bundle: string, cacheDir: string): { cache: string; answer: unknown } {
  const [cache, answer] = execFileSync(process.execPath, ['--import', 'tsx', LOADER, bundle, cacheDir], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().split('\n');
  return { cache, answer: JSON.parse(answer) };
}

/** A bundle that requires a file beside it and reads its own __filename, as esbuild's output does. */
function bundleIn(dir: string, operator: '+' | '*'): string {
  writeTree(dir, {
    'helper.cjs': 'exports.two = 2;\n',
    'bundle.cjs': `const { two } = require('./helper.cjs');\nmodule.exports = { answer: () => [21 ${operator} two, require('node:path').basename(__filename)] };\n`,
  });
  return path.join(dir, 'bundle.cjs');
}

describe('the code cache', () => {
  test('the first load writes the cache, the next reads it back, and both run the same code', () => {
    const bundle = bundleIn(tempDir(), '+');
    const cache = path.join(tempDir(), 'code-cache');
    assert.deepEqual(load(bundle, cache), { cache: 'written', answer: [23, 'bundle.cjs'] });
    const [entry] = readdirSync(cache);
    assert.match(entry, ENTRY);
    assert.deepEqual(load(bundle, cache), { cache: 'accepted', answer: [23, 'bundle.cjs'] });
    assert.deepEqual(readdirSync(cache), [entry]);
  });

  test('a changed bundle of the same length gets a cache of its own, not the old code', () => {
    // V8 checks only a source's length: a cache kept under the old name would run `21 + 2` again.
    const dir = tempDir();
    const cache = path.join(tempDir(), 'code-cache');
    const bundle = bundleIn(dir, '+');
    assert.equal(load(bundle, cache).cache, 'written');
    const before = statSync(bundle).size;
    bundleIn(dir, '*');
    assert.equal(statSync(bundle).size, before);
    assert.deepEqual(load(bundle, cache), { cache: 'written', answer: [42, 'bundle.cjs'] });
    assert.deepEqual(load(bundle, cache), { cache: 'accepted', answer: [42, 'bundle.cjs'] });
    assert.equal(readdirSync(cache).length, 2);
  });

  test('a cache V8 rejects (corrupt, cut short) is replaced, and the bundle still runs', () => {
    const bundle = bundleIn(tempDir(), '+');
    const cache = path.join(tempDir(), 'code-cache');
    load(bundle, cache);
    const entry = path.join(cache, readdirSync(cache)[0]);
    const good = readFileSync(entry);
    writeFileSync(entry, Buffer.alloc(good.length, 0x5a));
    assert.deepEqual(load(bundle, cache), { cache: 'written', answer: [23, 'bundle.cjs'] });
    assert.equal(load(bundle, cache).cache, 'accepted');
    writeFileSync(entry, good.subarray(0, 40));
    assert.deepEqual(load(bundle, cache), { cache: 'written', answer: [23, 'bundle.cjs'] });
    assert.equal(load(bundle, cache).cache, 'accepted');
  });

  test('a cache folder that cannot be made leaves the bundle running, uncached', () => {
    const bundle = bundleIn(tempDir(), '+');
    const file = path.join(tempDir(), 'a-file');
    writeFileSync(file, '');
    assert.deepEqual(load(bundle, path.join(file, 'code-cache')), { cache: 'unwritable', answer: [23, 'bundle.cjs'] });
  });

  test('a bundle keeps its 8 newest entries; the oldest others go', () => {
    const bundle = bundleIn(tempDir(), '+');
    const cache = path.join(tempDir(), 'code-cache');
    const old = Array.from({ length: 9 }, (_, i) => `bundle.cjs-${String(i).repeat(24)}-v0.0.${i}-x64.v8`);
    writeTree(cache, Object.fromEntries([...old, 'other.cjs-0-v0.0.0-x64.v8'].map((name) => [name, 'x'])));
    // Written a day apart, the first the oldest.
    old.forEach((name, i) => utimesSync(path.join(cache, name), 1_700_000_000 + i * 86_400, 1_700_000_000 + i * 86_400));
    assert.equal(load(bundle, cache).cache, 'written');
    const left = readdirSync(cache).sort();
    assert.equal(left.length, 9);
    assert.deepEqual(left.filter((name) => old.includes(name)), old.slice(2));
    assert.ok(left.includes('other.cjs-0-v0.0.0-x64.v8'));
    assert.equal(left.filter((name) => ENTRY.test(name)).length, 1);
  });

  test('the bundled CLI loads its commands through the cache in $XDG_CACHE_HOME/autoexp/code-cache', () => {
    const home = tempDir();
    const env = { ...process.env, XDG_CACHE_HOME: home };
    const pack = path.join(EXPERIMENTS, 'long-log');
    const first = execFileSync(process.execPath, [CLI, 'results', pack, '--json'], { env, encoding: 'utf8' });
    const entries = readdirSync(path.join(home, 'autoexp', 'code-cache'));
    assert.equal(entries.length, 1);
    assert.match(entries[0], /^cli-commands\.cjs-[0-9a-f]{24}-v\d+\.\d+\.\d+-\w+\.v8$/);
    const written = statSync(path.join(home, 'autoexp', 'code-cache', entries[0])).ino;
    const second = execFileSync(process.execPath, [CLI, 'results', pack, '--json'], { env, encoding: 'utf8' });
    assert.equal(second, first);
    assert.deepEqual(JSON.parse(second).counts, { kept: 124, reverted: 176, error: 0, baseline: 0, unknown: 0 });
    // Read back, not written again: a rewrite lands as a new file.
    assert.deepEqual(readdirSync(path.join(home, 'autoexp', 'code-cache')), entries);
    assert.equal(statSync(path.join(home, 'autoexp', 'code-cache', entries[0])).ino, written);
  });
});
