/**
 * The guard's walk in place of `git status` (src/core/run/guard/scanReuse.ts), on real git
 * repositories: a trial that changed only its target and results.tsv starts no git process, and
 * whatever else changed is still found, undone and named as git would find it. Git's starts are
 * counted by a recording git first on PATH, a count the machine's load does not change.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MAX_WALKED_ENTRIES } from '../../src/core/run/guard/scanReuse';
import { RepoGuard } from '../../src/core/run/guard/repoGuard';
import { journalRoot } from '../../src/core/run/journal';
import { SnapshotStore } from '../../src/core/run/snapshots';
import { recordGitStarts } from './gitStarts';
import { packFiles, tempDir, writeTree } from './helpers';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' });

function repo(extra: Record<string, string> = {}) {
  const root = writeTree(tempDir(), {
    'README.md': '# product\n',
    '.gitignore': 'cache/\n*.log\n',
    ...packFiles('atris/experiments/demo', { 'candidate.txt': 'baseline\n' }),
    ...extra,
  });
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'init');
  writeTree(root, { 'cache/model.bin': 'weights\n', 'notes.log': 'ignored\n', 'scratch.txt': 'the user\'s, untracked\n' });
  const pack = path.join(root, 'atris', 'experiments', 'demo');
  return { root, pack, target: path.join(pack, 'candidate.txt'), results: path.join(pack, 'results.tsv') };
}

function openGuard(pack: string, target: string, results: string) {
  return RepoGuard.open({ pack, target, resultsFile: results, store: new SnapshotStore(journalRoot(pack)), id: 'walk-test' });
}

/** Runs `proposal` between a mark and a check, as one trial; with the git processes the two started. */
async function trial(guard: RepoGuard, starts: ReturnType<typeof recordGitStarts>, proposal: () => void) {
  starts.read();
  const mark = await guard.mark();
  proposal();
  const report = await guard.check(mark);
  return { report, git: starts.read() };
}

const ROW = '2026-12-01T00:00:00+00:00\t1\tkept\t0.5000\t0.6000\tp.py\tbetter\n';

describe('the guard walks the repository instead of asking git', () => {
  let starts: ReturnType<typeof recordGitStarts>;
  before(() => {
    starts = recordGitStarts(tempDir());
  });
  after(() => starts.stop());

  test('git runs once at the start; a trial that changed only its target starts no git process, nor the loop\'s row between trials', async () => {
    const { pack, target, results } = repo();
    starts.read(); // the set-up's own git commands
    const guard = await openGuard(pack, target, results);
    try {
      await guard.mark();
      assert.deepEqual(starts.read(), ['rev-parse', 'status']);
      for (let n = 1; n <= 3; n++) {
        const { report, git: started } = await trial(guard, starts, () => writeFileSync(target, `candidate ${n}\n`));
        assert.deepEqual(report.changed, [], `trial ${n}`);
        assert.deepEqual(started, [], `trial ${n} starts no git process`);
        appendFileSync(results, ROW.replace('\t1\t', `\t${n}\t`)); // loop.py's row, after the check
      }
      assert.equal(readFileSync(target, 'utf8'), 'candidate 3\n');
    } finally {
      guard.dispose();
    }
  });

  test('a same-size rewrite, a new file and a forged row are found and undone; ignored files are left alone; the next clean trial is git-free again', async () => {
    const { root, pack, target, results } = repo();
    const guard = await openGuard(pack, target, results);
    try {
      await guard.mark();
      const { report, git: started } = await trial(guard, starts, () => {
        writeFileSync(target, 'better\n');
        writeFileSync(path.join(root, 'README.md'), '# produkt\n'); // as long as before
        writeFileSync(path.join(root, 'stray.txt'), 'new\n');
        writeFileSync(path.join(root, 'cache', 'model.bin'), 'retrained\n');
        writeFileSync(path.join(root, 'debug.log'), 'ignored too\n');
        appendFileSync(results, ROW);
      });
      assert.deepEqual(report.changed, ['README.md', 'atris/experiments/demo/results.tsv', 'stray.txt'].map((p) => path.join(root, p)));
      assert.ok(started.includes('status'), `the walk saw changes, so git looked: ${started.join(' ')}`);
      assert.equal(readFileSync(path.join(root, 'README.md'), 'utf8'), '# product\n');
      assert.equal(existsSync(path.join(root, 'stray.txt')), false);
      assert.equal(readFileSync(results, 'utf8'), packFiles('x')[path.join('x', 'results.tsv')]);
      assert.equal(readFileSync(path.join(root, 'cache', 'model.bin'), 'utf8'), 'retrained\n', 'git ignores cache/: so does the guard');
      assert.equal(readFileSync(path.join(root, 'debug.log'), 'utf8'), 'ignored too\n');
      assert.equal(readFileSync(path.join(root, 'scratch.txt'), 'utf8'), 'the user\'s, untracked\n');
      assert.equal(readFileSync(target, 'utf8'), 'better\n', 'the target is the caller\'s to judge');

      const next = await trial(guard, starts, () => writeFileSync(target, 'better still\n'));
      assert.deepEqual(next.report.changed, []);
      assert.deepEqual(next.git, [], 'the scan after the put-backs stands for the next trial');
    } finally {
      guard.dispose();
    }
  });

  test('a change inside an ignored folder and a new exclude rule: git decides, and a file the rule would hide is still removed', async () => {
    const { root, pack, target, results } = repo();
    const guard = await openGuard(pack, target, results);
    const exclude = path.join(root, '.git', 'info', 'exclude');
    const excludeBefore = readFileSync(exclude, 'utf8');
    try {
      await guard.mark();
      const inIgnored = await trial(guard, starts, () => {
        mkdirSync(path.join(root, 'cache', 'new'));
        writeFileSync(path.join(root, 'cache', 'new', 'shard.bin'), 'x\n');
      });
      assert.deepEqual(inIgnored.report.changed, []);
      assert.deepEqual(inIgnored.git, [], 'cache/ was ignored at the last scan: the walk does not go into it');

      const hidden = await trial(guard, starts, () => {
        appendFileSync(exclude, 'sneaky.txt\n');
        writeFileSync(path.join(root, 'sneaky.txt'), 'hidden from git status\n');
      });
      assert.deepEqual(hidden.report.changed, [exclude, path.join(root, 'sneaky.txt')]);
      assert.ok(hidden.git.includes('status'));
      assert.equal(readFileSync(exclude, 'utf8'), excludeBefore);
      assert.equal(existsSync(path.join(root, 'sneaky.txt')), false);
    } finally {
      guard.dispose();
    }
  });

  test(`a repository of more than ${MAX_WALKED_ENTRIES} files and folders is not walked: git looks after every trial`, async () => {
    const many = Object.fromEntries(Array.from({ length: MAX_WALKED_ENTRIES }, (_, i) => [`data/${String(i).padStart(4, '0')}.txt`, `${i}\n`]));
    const { root, pack, target, results } = repo(many);
    const guard = await openGuard(pack, target, results);
    try {
      await guard.mark();
      for (let n = 1; n <= 2; n++) {
        const { report, git: started } = await trial(guard, starts, () => writeFileSync(target, `candidate ${n}\n`));
        assert.deepEqual(report.changed, []);
        assert.deepEqual(started, ['status'], `trial ${n}`);
      }
      const { report } = await trial(guard, starts, () => writeFileSync(path.join(root, 'data', '0007.txt'), 'changed\n'));
      assert.deepEqual(report.changed, [path.join(root, 'data', '0007.txt')]);
      assert.equal(readFileSync(path.join(root, 'data', '0007.txt'), 'utf8'), '7\n');
    } finally {
      guard.dispose();
    }
  });
});
