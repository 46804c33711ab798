/**
 * The commands' bundle is loaded through V8's code cache (src/cli/codeCache.ts). Each load runs in a
 * process of its own, as each `autoexp` command does: a cache is only read by a new process.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { EXPERIMENTS, REPO_ROOT, tempDir, writeTree } from './helpers';

const LOADER = path.join(REPO_ROOT, 'test', 'unit', 'support', 'loadBundle.ts');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ENTRY = new RegExp(`^bundle\\.cjs-[0-9a-f]{24}-${escaped(`${process.version}-${process.versions.v8}-${process.arch}`)}\\.v8$`);

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

  test('a damaged entry (bytes flipped inside, zeroed, cut short) is replaced, never run', () => {
    // V8 checks only an entry's header: flipped bytes past it made it crash (exit 133) or segfault.
    const bundle = bundleIn(tempDir(), '+');
    const cache = path.join(tempDir(), 'code-cache');
    load(bundle, cache);
    const entry = path.join(cache, readdirSync(cache)[0]);
    const good = readFileSync(entry);
    const damaged = [
      Buffer.concat([good.subarray(0, good.length >> 1), Buffer.alloc(16, 0xa5), good.subarray((good.length >> 1) + 16)]),
      Buffer.alloc(good.length, 0x5a),
      good.subarray(0, 40),
    ];
    for (const bytes of damaged) {
      writeFileSync(entry, bytes);
      assert.deepEqual(load(bundle, cache), { cache: 'written', answer: [23, 'bundle.cjs'] });
      assert.equal(load(bundle, cache).cache, 'accepted');
    }
  });

  test('an entry or a folder someone else could write is not read; the folder is not written either', () => {
    const bundle = bundleIn(tempDir(), '+');
    const cache = path.join(tempDir(), 'code-cache');
    load(bundle, cache);
    const entry = path.join(cache, readdirSync(cache)[0]);
    assert.equal(statSync(cache).mode & 0o777, 0o700);
    assert.equal(statSync(entry).mode & 0o777, 0o600);
    chmodSync(entry, 0o666);
    assert.deepEqual(load(bundle, cache), { cache: 'written', answer: [23, 'bundle.cjs'] });
    assert.equal(statSync(entry).mode & 0o777, 0o600);
    chmodSync(cache, 0o777);
    rmSync(entry);
    assert.deepEqual(load(bundle, cache), { cache: 'untrusted', answer: [23, 'bundle.cjs'] });
    assert.deepEqual(readdirSync(cache), []);
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
    const abandoned = '.bundle.cjs-1-v0.0.0-x64.v8.4242.tmp';
    const beingWritten = '.bundle.cjs-2-v0.0.0-x64.v8.4343.tmp';
    writeTree(cache, Object.fromEntries([...old, 'other.cjs-0-v0.0.0-x64.v8', abandoned, beingWritten].map((name) => [name, 'x'])));
    chmodSync(cache, 0o700);
    // Written a day apart, the first the oldest; the abandoned temporary file an hour ago.
    old.forEach((name, i) => utimesSync(path.join(cache, name), 1_700_000_000 + i * 86_400, 1_700_000_000 + i * 86_400));
    utimesSync(path.join(cache, abandoned), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    assert.equal(load(bundle, cache).cache, 'written');
    const left = readdirSync(cache).sort();
    assert.equal(left.length, 10);
    assert.ok(left.includes(beingWritten));
    assert.ok(!left.includes(abandoned));
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
    assert.match(entries[0], /^cli-commands\.cjs-[0-9a-f]{24}-v\d+\.\d+\.\d+-[\w.-]+-\w+\.v8$/);
    const written = statSync(path.join(home, 'autoexp', 'code-cache', entries[0])).ino;
    const second = execFileSync(process.execPath, [CLI, 'results', pack, '--json'], { env, encoding: 'utf8' });
    assert.equal(second, first);
    assert.deepEqual(JSON.parse(second).counts, { kept: 124, reverted: 176, error: 0, baseline: 0, unknown: 0 });
    // Read back, not written again: a rewrite lands as a new file.
    assert.deepEqual(readdirSync(path.join(home, 'autoexp', 'code-cache')), entries);
    assert.equal(statSync(path.join(home, 'autoexp', 'code-cache', entries[0])).ino, written);
  });
});
