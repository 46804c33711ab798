/**
 * Reading the journal and the lock changes nothing and hides nothing: a read creates no `.autoexp/`,
 * a missing journal is an empty one, and a journal that cannot be read is an error naming the file,
 * never "no runs yet" (recovery would then miss a crashed run).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { JOURNAL_DIR, JOURNAL_FILE, Journal, JournalTail, readJournal, readUnfinishedRuns } from '../../src/core/run/journal';
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

describe('the runs recovery reads at every start', () => {
  const start = (run: string) => ({ type: 'run-start', run, pack: '/p', slug: 'p', engine: 'pack', proposals: ['a.py'], target: '/p/t', pid: 1, at: 'now' });
  const trial = (run: string) => ({ type: 'trial-start', run, trial: 1, proposal: 'a.py', target: '/p/t', before: 'h', at: 'now' });
  const end = (run: string, status = 'finished') => ({ type: 'run-end', run, status, at: 'now' });

  test('only the runs with no run-end, exactly as the whole journal gives them; a torn or malformed run-end leaves its run open', () => {
    const root = tempDir();
    const lines = [
      JSON.stringify(start('done')),
      JSON.stringify(trial('done')),
      JSON.stringify(end('done')),
      JSON.stringify(start('killed')),
      JSON.stringify(trial('killed')),
      JSON.stringify(start('torn')),
      JSON.stringify(end('torn')).slice(0, 30), // the writer was killed mid-line
      JSON.stringify(start('bad-status')),
      JSON.stringify(end('bad-status', 'exploded')), // JSON, but not a run-end the schema accepts
      'not json at all',
      JSON.stringify({ type: 'run-end', run: 42 }),
    ];
    writeTree(root, { [path.join(JOURNAL_DIR, JOURNAL_FILE)]: `${lines.join('\n')}\n` });
    const open = readUnfinishedRuns(root);
    assert.deepEqual(open.map((r) => r.id), ['killed', 'torn', 'bad-status']);
    assert.deepEqual(open, readJournal(root).runs.filter((r) => r.status === undefined));
    assert.equal(open[0].trials.length, 1);
  });

  test('no journal yet: no runs', () => {
    assert.deepEqual(readUnfinishedRuns(tempDir()), []);
  });
});

describe('a run\'s journal', () => {
  test('reads back only what was appended since it opened, a shim\'s lines included', () => {
    const root = tempDir();
    const earlier = new Journal(root);
    earlier.append({ type: 'run-start', run: 'old', pack: '/p', slug: 'p', engine: 'pack', proposals: [], target: '/p/t', pid: 1, at: 'now' });
    const journal = new Journal(root);
    journal.append({ type: 'run-start', run: 'new', pack: '/p', slug: 'p', engine: 'pack', proposals: [], target: '/p/t', pid: 1, at: 'now' });
    appendFileSync(journal.file, `${JSON.stringify({ type: 'trial-start', run: 'new', trial: 1, proposal: 'a.py', target: '/p/t', before: 'h', at: 'now' })}\n`);
    assert.deepEqual(journal.read().runs.map((r) => [r.id, r.trials.length]), [['new', 1]]);
    assert.deepEqual(readJournal(root).runs.map((r) => r.id), ['old', 'new']);
  });

  test('a line a killed writer left torn is ended first: the next run-start is not lost with it', () => {
    const root = tempDir();
    const file = path.join(root, JOURNAL_DIR, JOURNAL_FILE);
    writeTree(root, { [path.join(JOURNAL_DIR, JOURNAL_FILE)]: '{"type":"trial-applied","run":"old","tri' });
    const journal = new Journal(root);
    journal.append({ type: 'run-start', run: 'next', pack: '/p', slug: 'p', engine: 'pack', proposals: [], target: '/p/t', pid: 1, at: 'now' });
    assert.equal(readFileSync(file, 'utf8').split('\n')[0], '{"type":"trial-applied","run":"old","tri');
    assert.deepEqual(journal.read().runs.map((r) => r.id), ['next']);
    assert.deepEqual(readJournal(root), { runs: journal.read().runs, badLines: [1] });
  });
});
