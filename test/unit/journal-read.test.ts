/**
 * Reading the journal and the lock changes nothing and hides nothing: a read creates no `.autoexp/`,
 * a missing journal is an empty one, and a journal that cannot be read is an error naming the file,
 * never "no runs yet" (recovery would then miss a crashed run).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { JOURNAL_DIR, JOURNAL_FILE, JournalTail, readJournal } from '../../src/core/run/journal';
import { acquireLock, heldLock, lockPath } from '../../src/core/run/lock';
import { REPO_ROOT, tempDir, writeTree } from './helpers';

function packIn(root: string): string {
  return writeTree(path.join(root, 'atris', 'experiments', 'p'), { 'program.md': 'x\n' });
}

describe('the lock', () => {
  test('heldLock is a read: with no run it answers undefined and creates nothing', () => {
    const root = tempDir();
    const pack = packIn(root);
    assert.equal(heldLock(root, pack), undefined);
    assert.equal(existsSync(path.join(root, JOURNAL_DIR)), false, 'no .autoexp/ after a read');
    assert.equal(existsSync(path.dirname(lockPath(root, pack))), false);
  });

  test('taking the lock still makes .autoexp/ with its .gitignore, and heldLock then sees the run', () => {
    const root = tempDir();
    const pack = packIn(root);
    const lock = acquireLock(root, pack, 'run-1');
    try {
      assert.ok(existsSync(path.join(root, JOURNAL_DIR, '.gitignore')));
      assert.equal(heldLock(root, pack)?.run, 'run-1');
    } finally {
      lock.release();
    }
    assert.equal(heldLock(root, pack), undefined);
  });
});

describe('reading the journal', () => {
  test('no journal yet is an empty one, for readJournal and a tail alike', () => {
    const root = tempDir();
    assert.deepEqual(readJournal(root), { runs: [], badLines: [] });
    assert.deepEqual(new JournalTail(path.join(root, JOURNAL_DIR, JOURNAL_FILE)).read(), { runs: [], badLines: [] });
  });

  test('a folder where the journal should be is an error naming the file', () => {
    const root = tempDir();
    const file = path.join(root, JOURNAL_DIR, JOURNAL_FILE);
    mkdirSync(file, { recursive: true });
    const named = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot read the run journal \\(EISDIR\\)$`);
    assert.throws(() => readJournal(root), { message: named });
    assert.throws(() => new JournalTail(file).read(), { message: named });
  });

  test('a journal the user may not read (EACCES) is an error naming the file, not "no runs"', () => {
    const root = tempDir();
    chmodSync(root, 0o755);
    const file = path.join(root, JOURNAL_DIR, JOURNAL_FILE);
    mkdirSync(path.dirname(file), { mode: 0o755 });
    writeFileSync(file, `${JSON.stringify({ type: 'run-start', run: 'r1', pack: '/p', slug: 'p', engine: 'pack', proposals: [], target: '/p/t', pid: 1, at: 'now' })}\n`);
    chmodSync(file, 0o000);
    const journal = pathToFileURL(path.join(REPO_ROOT, 'src', 'core', 'run', 'journal.ts')).href;
    const script = [
      `const { readJournal, JournalTail } = await import(${JSON.stringify(journal)});`,
      'const said = [];',
      `for (const read of [() => readJournal(${JSON.stringify(root)}), () => new JournalTail(${JSON.stringify(file)}).read()]) {`,
      '  try { said.push(JSON.stringify(read())); } catch (err) { said.push(err.message); }',
      '}',
      'console.log(said.join("\\n"));',
    ].join('\n');
    // Root reads any file, so the read is made as nobody when these tests run as root.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, encoding: 'utf8', ...asNobody, env: { ...process.env, HOME: root } });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), [`${file}: cannot read the run journal (EACCES)`, `${file}: cannot read the run journal (EACCES)`]);
  });
});
