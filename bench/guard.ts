/**
 * The repository guard's cost per trial (a mark before the proposal, a check after it, the target
 * changed and nothing else) on a git repository of 10,000 tracked files, a few of them already
 * changed and a few untracked, as a working repository is. Beside it, one bare `git status` on the
 * same repository, measured in the same run: the guard runs one a trial, so that is its floor.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RepoGuard } from '../src/core/run/guard/repoGuard';
import { SnapshotStore } from '../src/core/run/snapshots';
import { median } from './median';

const FILES = 10_000;
const TRIALS = 15;

function bigRepo(root: string): { pack: string; target: string } {
  for (let i = 0; i < FILES; i++) {
    const dir = path.join(root, 'src', `module${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `file${i % 100}.py`), `VALUE = ${i}\n`);
  }
  const pack = path.join(root, 'atris', 'experiments', 'guard-bench');
  mkdirSync(pack, { recursive: true });
  const target = path.join(pack, 'candidate.py');
  writeFileSync(target, 'SCORE = 0\n');
  writeFileSync(path.join(pack, 'results.tsv'), 'timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription\n');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', ...args], { cwd: root, stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'gc.auto=0', 'commit', '-qm', 'bench');
  // A working repository: a few files changed, a few new, and an index git has refreshed.
  for (let i = 0; i < 5; i++) writeFileSync(path.join(root, 'src', 'module0', `file${i}.py`), `VALUE = -${i}\n`);
  for (let i = 0; i < 5; i++) writeFileSync(path.join(root, `notes${i}.txt`), 'scratch\n');
  git('status', '--porcelain');
  return { pack, target };
}

export async function guardFigures(scratch: string, figure: (name: string, value: number, unit: string, digits?: number) => void): Promise<void> {
  const root = path.join(scratch, 'guard-bench');
  mkdirSync(root);
  const { pack, target } = bigRepo(root);
  const store = new SnapshotStore(root);
  const guard = await RepoGuard.open({ pack, target, resultsFile: path.join(pack, 'results.tsv'), store, id: 'bench' });
  const perTrial: number[] = [];
  try {
    for (let i = 0; i <= TRIALS; i++) {
      const start = performance.now();
      const mark = await guard.mark();
      writeFileSync(target, `SCORE = ${i}\n`);
      const report = await guard.check(mark);
      if (report.changed.length) throw new Error(`the guard saw changes that are not there: ${report.changed.join(', ')}`);
      // The first trial reads every changed file once; the figure is the steady state.
      if (i > 0) perTrial.push(performance.now() - start);
    }
  } finally {
    guard.dispose();
  }
  const status: number[] = [];
  for (let i = 0; i < TRIALS; i++) {
    const start = performance.now();
    execFileSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: root, stdio: 'pipe', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
    status.push(performance.now() - start);
  }
  figure('guard_overhead_ms_per_trial_10000_files', median(perTrial), 'ms', 1);
  figure('git_status_ms_10000_files', median(status), 'ms', 1);
  figure('guard_overhead_vs_git_status_ratio', median(perTrial) / median(status), 'x', 2);
}
