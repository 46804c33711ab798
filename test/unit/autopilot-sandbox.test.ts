/** The autopilot sandbox on real git repositories and plain folders. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { createSandbox, readHeadCommit } from '../../src/core/autopilot/sandbox';
import { recordGitStarts } from './gitStarts';
import { packFiles, tempDir, writeTree } from './helpers';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

function repo(): { root: string; pack: string; target: string } {
  const root = writeTree(tempDir(), {
    'README.md': '# product\n',
    'pkg/module.py': 'X = 1\n',
    '.gitignore': 'build/\n',
    ...packFiles('atris/experiments/demo', { 'candidate.txt': 'committed\n' }),
  });
  git(root, 'init', '-q', '-b', 'main');
  git(root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
  git(root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'init');
  const pack = path.join(root, 'atris', 'experiments', 'demo');
  return { root, pack, target: path.join(pack, 'candidate.txt') };
}

describe('createSandbox', () => {
  test('a detached worktree of HEAD with the uncommitted pack and target over it', async () => {
    const { root, pack, target } = repo();
    writeFileSync(target, 'uncommitted\n');
    writeFileSync(path.join(pack, 'program.md'), 'edited brief\n');
    const sandbox = await createSandbox(pack, target);
    try {
      assert.equal(sandbox.kind, 'worktree');
      assert.equal(path.relative(sandbox.root, sandbox.target), path.join('atris', 'experiments', 'demo', 'candidate.txt'));
      assert.equal(readFileSync(sandbox.target, 'utf8'), 'uncommitted\n');
      assert.equal(readFileSync(path.join(sandbox.pack, 'program.md'), 'utf8'), 'edited brief\n');
      assert.equal(readFileSync(path.join(sandbox.root, 'README.md'), 'utf8'), '# product\n');
      assert.deepEqual(await sandbox.otherChanges(), [], 'our own copies are not the agent\'s changes');
      // The agent edits the target, and also what it must not.
      writeFileSync(sandbox.target, 'better\n');
      writeFileSync(path.join(sandbox.root, 'README.md'), 'pwned\n');
      writeFileSync(path.join(sandbox.root, 'stray.txt'), 'x\n');
      writeFileSync(path.join(sandbox.pack, 'measure.py'), 'print(\'{"score": 99}\')\n');
      mkdirSync(path.join(sandbox.root, 'build'));
      writeFileSync(path.join(sandbox.root, 'build', 'ignored.o'), 'x');
      assert.deepEqual(await sandbox.otherChanges(), ['README.md', 'atris/experiments/demo/measure.py', 'stray.txt']);
      assert.equal(readFileSync(path.join(root, 'README.md'), 'utf8'), '# product\n', 'the real repository never sees it');
      assert.equal(readFileSync(target, 'utf8'), 'uncommitted\n');
    } finally {
      await sandbox.dispose();
    }
    assert.equal(existsSync(sandbox.root), false);
    assert.equal(git(root, 'worktree', 'list').trim().split('\n').length, 1, 'the worktree is unregistered');
  });

  test('refresh: the next trial starts as a new sandbox would, from HEAD and the user\'s pack as they are now', async () => {
    const { root, pack, target } = repo();
    const sandbox = await createSandbox(pack, target);
    try {
      // What one agent leaves behind: a tracked edit, a new file, an ignored build, a changed target.
      writeFileSync(sandbox.target, 'agent 1\n');
      writeFileSync(path.join(sandbox.root, 'README.md'), 'pwned\n');
      writeFileSync(path.join(sandbox.root, 'stray.txt'), 'x\n');
      mkdirSync(path.join(sandbox.root, 'build'));
      writeFileSync(path.join(sandbox.root, 'build', 'ignored.o'), 'x');
      // Meanwhile the trial was kept, the pack gained a row, and the user committed.
      writeFileSync(target, 'kept\n');
      writeFileSync(path.join(pack, 'memory.md'), 'tried: agent 1\n');
      writeFileSync(path.join(root, 'pkg', 'module.py'), 'X = 2\n');
      git(root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-am', 'two');
      await sandbox.refresh();
      assert.equal(readFileSync(sandbox.target, 'utf8'), 'kept\n');
      assert.equal(readFileSync(path.join(sandbox.pack, 'memory.md'), 'utf8'), 'tried: agent 1\n');
      assert.equal(readFileSync(path.join(sandbox.root, 'README.md'), 'utf8'), '# product\n');
      assert.equal(readFileSync(path.join(sandbox.root, 'pkg', 'module.py'), 'utf8'), 'X = 2\n');
      assert.equal(existsSync(path.join(sandbox.root, 'stray.txt')), false);
      assert.equal(existsSync(path.join(sandbox.root, 'build')), false);
      assert.deepEqual(await sandbox.otherChanges(), []);
      writeFileSync(path.join(sandbox.root, 'stray2.txt'), 'x\n');
      assert.deepEqual(await sandbox.otherChanges(), ['stray2.txt']);
    } finally {
      await sandbox.dispose();
    }
    assert.equal(git(root, 'worktree', 'list').trim().split('\n').length, 1);
  });

  test('refresh after a trial that touched only the pack and the target: both as the user has them, no reset needed', async () => {
    const { pack, target } = repo();
    const sandbox = await createSandbox(pack, target);
    let calls: ReturnType<typeof recordGitStarts> | undefined;
    try {
      // A put-back by reset would take the tracked, unchanged file back to HEAD; the copy keeps this.
      writeFileSync(path.join(sandbox.root, 'README.md'), 'left by us, not by an agent\n');
      writeFileSync(sandbox.target, 'agent 1\n');
      writeFileSync(path.join(sandbox.pack, 'measure.py'), 'hacked\n');
      mkdirSync(path.join(sandbox.pack, 'build'));
      writeFileSync(path.join(sandbox.pack, 'build', 'cache.o'), 'x');
      assert.deepEqual(await sandbox.otherChanges(), ['README.md', 'atris/experiments/demo/measure.py']);
      writeFileSync(path.join(pack, 'memory.md'), 'tried: agent 1\n');
      await sandbox.refresh();
      assert.equal(readFileSync(sandbox.target, 'utf8'), 'committed\n');
      assert.equal(readFileSync(path.join(sandbox.pack, 'measure.py'), 'utf8'), readFileSync(path.join(pack, 'measure.py'), 'utf8'));
      assert.equal(readFileSync(path.join(sandbox.pack, 'memory.md'), 'utf8'), 'tried: agent 1\n');
      assert.equal(existsSync(path.join(sandbox.pack, 'build')), false);
      // README.md was outside the pack, so that refresh reset the tree: the file is HEAD's again.
      assert.equal(readFileSync(path.join(sandbox.root, 'README.md'), 'utf8'), '# product\n');
      // Now a trial that touches only what the copy puts back: the refresh leaves the rest alone.
      writeFileSync(sandbox.target, 'agent 2\n');
      mkdirSync(path.join(sandbox.pack, 'build'));
      writeFileSync(path.join(sandbox.pack, 'build', 'cache.o'), 'x');
      assert.deepEqual(await sandbox.otherChanges(), []);
      calls = recordGitStarts(tempDir());
      await sandbox.refresh();
      assert.deepEqual(calls.read(), [], 'no git process: no status, no reset, no clean');
      assert.equal(readFileSync(sandbox.target, 'utf8'), 'committed\n');
      assert.equal(existsSync(path.join(sandbox.pack, 'build')), false);
      assert.deepEqual(await sandbox.otherChanges(), []);
      calls.read();
      // Something that outlived the agent writes outside the pack after its changes were looked at.
      writeFileSync(path.join(sandbox.root, 'pkg', 'module.py'), 'written after the agent\n');
      await sandbox.refresh();
      assert.deepEqual(calls.read(), ['reset', 'clean'], 'the walk showed it, so the full way');
      assert.equal(readFileSync(path.join(sandbox.root, 'pkg', 'module.py'), 'utf8'), 'X = 1\n', 'the late write is gone');
    } finally {
      calls?.stop();
      await sandbox.dispose();
    }
  });

  test('changes are found by a walk of the tree: no git process when only the target changed, git only to leave out ignored files', async () => {
    const { pack, target } = repo();
    const sandbox = await createSandbox(pack, target);
    const calls = recordGitStarts(tempDir());
    try {
      writeFileSync(sandbox.target, 'agent 1\n');
      assert.deepEqual(await sandbox.otherChanges(), []);
      assert.deepEqual(calls.read(), [], 'the common trial starts no git');
      // A rewrite with the same bytes is still a write the agent was not to make; a removal and a rename too.
      writeFileSync(path.join(sandbox.root, 'README.md'), '# product\n');
      rmSync(path.join(sandbox.pack, 'program.md'));
      renameSync(path.join(sandbox.root, 'pkg', 'module.py'), path.join(sandbox.root, 'pkg', 'moved.py'));
      mkdirSync(path.join(sandbox.root, 'build', 'deep'), { recursive: true });
      writeFileSync(path.join(sandbox.root, 'build', 'deep', 'ignored.o'), 'x');
      mkdirSync(path.join(sandbox.root, 'empty-folder'));
      assert.deepEqual(await sandbox.otherChanges(), ['README.md', 'atris/experiments/demo/program.md', 'pkg/module.py', 'pkg/moved.py']);
      assert.deepEqual(calls.read(), ['check-ignore']);
      await sandbox.refresh();
      assert.deepEqual(calls.read(), ['reset', 'clean']);
      assert.equal(existsSync(path.join(sandbox.root, 'empty-folder')), false);
      assert.equal(readFileSync(path.join(sandbox.pack, 'program.md'), 'utf8'), readFileSync(path.join(pack, 'program.md'), 'utf8'));
      assert.deepEqual(await sandbox.otherChanges(), []);
      // An empty folder alone is not named (git would not show it), but the next agent does not get it.
      mkdirSync(path.join(sandbox.root, 'empty-folder'));
      assert.deepEqual(await sandbox.otherChanges(), []);
      calls.read();
      await sandbox.refresh();
      assert.deepEqual(calls.read(), ['reset', 'clean']);
      assert.equal(existsSync(path.join(sandbox.root, 'empty-folder')), false);
    } finally {
      calls.stop();
      await sandbox.dispose();
    }
  });

  test('refresh after a target-only trial still resets when the user moved HEAD, or git saw an ignored file outside the pack', async () => {
    const { root, pack, target } = repo();
    const sandbox = await createSandbox(pack, target);
    try {
      writeFileSync(sandbox.target, 'agent 1\n');
      assert.deepEqual(await sandbox.otherChanges(), []);
      writeFileSync(path.join(root, 'pkg', 'module.py'), 'X = 2\n');
      git(root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-am', 'two');
      await sandbox.refresh();
      assert.equal(readFileSync(path.join(sandbox.root, 'pkg', 'module.py'), 'utf8'), 'X = 2\n');
      mkdirSync(path.join(sandbox.root, 'build'));
      writeFileSync(path.join(sandbox.root, 'build', 'ignored.o'), 'x');
      assert.deepEqual(await sandbox.otherChanges(), [], 'ignored files are not named');
      await sandbox.refresh();
      assert.equal(existsSync(path.join(sandbox.root, 'build')), false, 'but they are cleaned');
      // A trial whose agent failed before its changes were looked at: refreshed the full way.
      writeFileSync(path.join(sandbox.root, 'stray.txt'), 'x\n');
      await sandbox.refresh();
      assert.equal(existsSync(path.join(sandbox.root, 'stray.txt')), false);
    } finally {
      await sandbox.dispose();
    }
  });

  test('the HEAD commit read from .git: a branch, a packed ref, a detached HEAD; undefined where .git is not plain', () => {
    const { root } = repo();
    const head = git(root, 'rev-parse', 'HEAD').trim();
    assert.equal(readHeadCommit(root), head);
    git(root, 'pack-refs', '--all');
    assert.equal(existsSync(path.join(root, '.git', 'refs', 'heads', 'main')), false);
    assert.equal(readHeadCommit(root), head);
    git(root, 'checkout', '-q', '--detach');
    assert.equal(readHeadCommit(root), head);
    const linked = path.join(tempDir(), 'linked');
    git(root, 'worktree', 'add', '-q', linked);
    assert.equal(readHeadCommit(linked), undefined);
  });

  test('outside git: a copy of the pack and a target that lives beside it', async () => {
    const root = writeTree(tempDir(), { ...packFiles('atris/experiments/demo'), 'pkg/module.py': 'X = 1\n' });
    const pack = path.join(root, 'atris', 'experiments', 'demo');
    const target = path.join(root, 'pkg', 'module.py');
    const sandbox = await createSandbox(pack, target);
    try {
      assert.equal(sandbox.kind, 'copy');
      assert.equal(readFileSync(sandbox.target, 'utf8'), 'X = 1\n');
      assert.equal(path.relative(sandbox.root, sandbox.target), path.join('pkg', 'module.py'));
      writeFileSync(sandbox.target, 'X = 2\n');
      writeFileSync(path.join(sandbox.pack, 'loop.py'), 'hacked\n');
      assert.deepEqual(await sandbox.otherChanges(), ['atris/experiments/demo/loop.py']);
    } finally {
      await sandbox.dispose();
    }
    assert.equal(existsSync(sandbox.root), false);
  });

  test('a repository with no commit yet gets a copy', async () => {
    const root = writeTree(tempDir(), packFiles('atris/experiments/demo', { 'candidate.txt': 'x\n' }));
    git(root, 'init', '-q');
    const pack = path.join(root, 'atris', 'experiments', 'demo');
    const sandbox = await createSandbox(pack, path.join(pack, 'candidate.txt'));
    assert.equal(sandbox.kind, 'copy');
    await sandbox.dispose();
  });
});
