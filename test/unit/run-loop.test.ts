/**
 * Both engines on copies of the smoke pack in real git repositories, with real Python: kept,
 * reverted, error, timeout, cancel, crash recovery, a proposal touching another file, the lock.
 */
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { isGroupRunning, isProcessRunning } from '../../src/core/processTable';
import type { Engine, RunReporter } from '../../src/core/run/context';
import { journalRoot, readJournal, runsOfPack } from '../../src/core/run/journal';
import { acquireLock, lockPath } from '../../src/core/run/lock';
import { recoverInterrupted } from '../../src/core/run/recovery';
import { runLoop, type RunLoopOptions } from '../../src/core/run/runLoop';
import { SnapshotStore, contentHash } from '../../src/core/run/snapshots';
import { REPO_ROOT, tempDir } from './helpers';
import { BASELINE, FIXED, HEADER, smokeRepo } from './support/smokeRepo';

function recorder(): RunReporter & { lines: string[]; text: () => string } {
  const lines: string[] = [];
  let output = '';
  return { lines, line: (t) => lines.push(t), output: (c) => void (output += c), log: () => undefined, text: () => output };
}

const rowsOf = (pack: string) => readFileSync(path.join(pack, 'results.tsv'), 'utf8').trimEnd().split('\n').slice(1).map((r) => r.split('\t'));
const candidate = (pack: string) => readFileSync(path.join(pack, 'candidate.py'), 'utf8');

function run(pack: string, engine: Engine, proposals: string[], extra: Partial<RunLoopOptions> = {}) {
  const reporter = recorder();
  return { reporter, done: runLoop({ pack, proposals, python: 'python3', engine, reporter, ...extra }) };
}

async function waitFor(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const engine of ['native', 'pack'] as const) {
  describe(`${engine} engine`, () => {
    test('reverts the bad proposal, keeps the fix, logs two rows and journals both snapshots', async () => {
      const { repo, pack } = smokeRepo();
      const { reporter, done } = run(pack, engine, ['bad_patch.py', 'fix_patch.py']);
      const summary = await done;
      assert.equal(summary.status, 'finished');
      assert.deepEqual(
        summary.trials.map((t) => [t.trial, t.proposal, t.status, t.oldScore, t.newScore]),
        [
          [1, 'bad_patch.py', 'reverted', 0.2, 0.2],
          [2, 'fix_patch.py', 'kept', 0.2, 1],
        ],
      );
      const out = engine === 'pack' ? reporter.text() : reporter.lines.join('\n');
      assert.match(out, /^BASELINE 0\.2000$/m);
      assert.match(out, /^TRIAL 1 REVERTED score=0\.2000 proposal=bad_patch\.py$/m);
      assert.match(out, /^TRIAL 2 KEPT score=1\.0000 proposal=fix_patch\.py$/m);
      assert.match(out, /^FINAL 1\.0000$/m);
      assert.equal(candidate(pack), FIXED);
      const rows = rowsOf(pack);
      assert.equal(rows.length, 2);
      assert.deepEqual(rows.map((r) => r.slice(1, 6)), [
        ['1', 'reverted', '0.2000', '0.2000', 'bad_patch.py'],
        ['2', 'kept', '0.2000', '1.0000', 'fix_patch.py'],
      ]);
      assert.equal(readFileSync(path.join(pack, 'results.tsv'), 'utf8').split('\n')[0], HEADER);

      assert.equal(journalRoot(pack), repo);
      assert.equal(readFileSync(path.join(repo, '.autoexp', '.gitignore'), 'utf8'), '*\n');
      const [record] = runsOfPack(readJournal(repo), pack);
      assert.equal(record.engine, engine);
      assert.equal(record.status, 'finished');
      assert.equal(record.baseline, 0.2);
      const store = new SnapshotStore(repo);
      const [bad, fix] = record.trials;
      assert.equal(bad.before, contentHash(Buffer.from(BASELINE)));
      assert.match(store.get(bad.candidate!).toString(), /text\.count\(' '\) \+ 1/);
      assert.equal(store.get(fix.candidate!).toString(), FIXED);
      assert.deepEqual([bad.status, fix.status], ['reverted', 'kept']);
      assert.deepEqual([bad.resultsLine, fix.resultsLine], [2, 3], 'each trial names its row in results.tsv');
      assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' }).trimEnd().split('\n').sort().join('|'), ' M atris/experiments/smoke-keep-revert/candidate.py| M atris/experiments/smoke-keep-revert/results.tsv');
    });

    test('a failing proposal is an error with its reason; the target is restored and the loop goes on', async () => {
      const { pack } = smokeRepo();
      const summary = await run(pack, engine, ['crash.py', 'fix_patch.py']).done;
      assert.deepEqual(summary.trials.map((t) => t.status), ['error', 'kept']);
      const [crashRow] = rowsOf(pack);
      assert.equal(crashRow[2], 'error');
      assert.match(crashRow[6], engine === 'native' ? /\(proposal exited with code 1: no luck\)$/ : /\(proposal exited with code 1\)$/);
      assert.equal(candidate(pack), FIXED);
    });

    test('a candidate that makes measure.py fail is an error with the reason; the loop goes on', async () => {
      const { pack } = smokeRepo();
      const summary = await run(pack, engine, ['break_measure.py', 'fix_patch.py']).done;
      assert.deepEqual(summary.trials.map((t) => t.status), ['error', 'kept']);
      assert.match(summary.trials[0].reason ?? '', engine === 'native' ? /^smoke-keep-revert\/measure\.py exited with code 1: ImportError: broken candidate$/ : /measure\.py exited with code 1/);
      assert.equal(candidate(pack), FIXED);
    });

    test('a proposal that touches another file is an error; every file is put back', async () => {
      const { repo, pack } = smokeRepo();
      const program = readFileSync(path.join(pack, 'program.md'), 'utf8');
      const summary = await run(pack, engine, ['touch_other.py']).done;
      assert.equal(summary.trials[0].status, 'error');
      assert.match(rowsOf(pack)[0][6], /proposal touched atris\/experiments\/smoke-keep-revert\/program\.md and atris\/experiments\/smoke-keep-revert\/stray\.txt; all put back/);
      assert.equal(readFileSync(path.join(pack, 'program.md'), 'utf8'), program);
      assert.equal(existsSync(path.join(pack, 'stray.txt')), false);
      assert.equal(candidate(pack), BASELINE);
      const [record] = runsOfPack(readJournal(repo), pack);
      assert.deepEqual(record.trials[0].touched?.map((f) => path.relative(pack, f)), ['program.md', 'stray.txt']);
    });

    test('a proposal past its timeout is killed with its children, restored, and the next proposal runs', async () => {
      const { pack } = smokeRepo();
      const pids = tempDir('autoexp-pids-');
      process.env.HANG_PIDS = pids;
      try {
        // Long enough for fix_patch.py on a busy machine: the timeout is each proposal's.
        const summary = await run(pack, engine, ['hang.py', 'fix_patch.py'], { timeoutMs: 5000 }).done;
        assert.deepEqual(summary.trials.map((t) => t.status), ['error', 'kept']);
        assert.match(summary.trials[0].reason ?? '', /timeout/);
        assert.match(rowsOf(pack)[0][6], /timeout/);
        assert.equal(candidate(pack), FIXED);
        const [grandchild] = execFileSync('ls', [pids], { encoding: 'utf8' }).trim().split('\n').map(Number);
        await waitFor(() => !isProcessRunning(grandchild), 'the grandchild to end', 3000);
      } finally {
        delete process.env.HANG_PIDS;
      }
    });

    test('cancel ends the whole tree without waiting for the proposal and leaves the target byte-identical to its before snapshot', async () => {
      const { repo, pack } = smokeRepo();
      const controller = new AbortController();
      const { done } = run(pack, engine, ['hang.py'], { signal: controller.signal });
      await waitFor(() => candidate(pack) === 'half-written\n', 'the proposal to write the target');
      const [record] = runsOfPack(readJournal(repo), pack);
      const cancelledAt = performance.now();
      controller.abort();
      const summary = await done;
      const elapsed = performance.now() - cancelledAt;
      assert.equal(summary.status, 'cancelled');
      // The proposal sleeps an hour: a bound far above the 1 s grace, so load cannot fail it.
      assert.ok(elapsed < 15_000, `cancel took ${Math.round(elapsed)} ms`);
      assert.equal(candidate(pack), BASELINE);
      const after = runsOfPack(readJournal(repo), pack)[0];
      assert.equal(after.trials[0].status, 'cancelled');
      assert.equal(contentHash(readFileSync(path.join(pack, 'candidate.py'))), after.trials[0].before);
      for (const pid of [...record.processes.map((p) => p.pid), ...after.processes.map((p) => p.pid)]) assert.equal(isGroupRunning(pid), false, `process group ${pid} is gone`);
      assert.equal(rowsOf(pack).length, 0, 'a cancelled trial adds no row');
    });

    test('a crash mid-trial is recovered at the next start: target restored, trial interrupted', async () => {
      const { repo, pack } = smokeRepo();
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/unit/support/runInChild.ts'), pack, engine, 'hang.py'], { cwd: REPO_ROOT, stdio: 'ignore' });
      await waitFor(() => candidate(pack) === 'half-written\n', 'the proposal to write the target', 30_000);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const recovered = recoverInterrupted(repo);
      assert.equal(recovered.length, 1);
      assert.equal(recovered[0].restored, path.join(pack, 'candidate.py'));
      assert.equal(candidate(pack), BASELINE);
      const [record] = runsOfPack(readJournal(repo), pack);
      assert.equal(record.status, 'interrupted');
      assert.equal(record.trials[0].status, 'interrupted');
      for (const pid of record.processes.map((p) => p.pid)) await waitFor(() => !isGroupRunning(pid), `process group ${pid} to end`, 3000);
      assert.deepEqual(recoverInterrupted(repo), [], 'a second start finds nothing left to recover');
    });
  });
}

describe('pack engine: a trial that stalls inside loop.py', () => {
  test('loop.py is stopped, the target restored, the trial logged as a timeout, and a new loop.py goes on', async () => {
    const { pack } = smokeRepo();
    const reporter = recorder();
    // 3 s a process (long enough for fix_patch.py on a busy machine): loop.py counts as stalled 3 + 5 s after its last sign of progress.
    const summary = await runLoop({ pack, proposals: ['hang_measure.py', 'fix_patch.py'], python: 'python3', engine: 'pack', timeoutMs: 3000, reporter });
    assert.equal(summary.status, 'finished');
    assert.deepEqual(summary.trials.map((t) => [t.proposal, t.status, t.reason]), [
      ['hang_measure.py', 'error', 'timeout'],
      ['fix_patch.py', 'kept', undefined],
    ]);
    assert.ok(reporter.lines.includes('autoexp: trial 1 timed out; starting loop.py again for the remaining 1 proposal(s)'), reporter.lines.join('\n'));
    assert.equal(candidate(pack), FIXED);
    const rows = rowsOf(pack);
    assert.deepEqual(rows.map((r) => [r[1], r[2], r[5]]), [
      ['1', 'error', 'hang_measure.py'],
      ['1', 'kept', 'fix_patch.py'],
    ]);
    assert.equal(rows[0][6], '(timeout)');
  });
});

describe('run safety', () => {
  test('a second run on a running pack is refused, naming the running one; a dead run\'s lock is taken over', async () => {
    const { repo, pack } = smokeRepo();
    const held = acquireLock(repo, pack, 'run-A');
    await assert.rejects(run(pack, 'native', ['fix_patch.py']).done, (err: Error) => {
      assert.match(err.message, new RegExp(`^smoke-keep-revert is already running \\(run run-A, pid ${process.pid}, since `));
      return true;
    });
    held.release();
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    writeFileSync(lockPath(repo, pack), JSON.stringify({ pid: dead.pid, run: 'run-dead', pack, startedAt: '2026-01-01T00:00:00Z' }));
    const summary = await run(pack, 'native', ['fix_patch.py']).done;
    assert.equal(summary.status, 'finished');
    assert.equal(existsSync(lockPath(repo, pack)), false, 'the lock is released at the end');
  });

  test('five errors in a row stop the run with a message', async () => {
    const { pack } = smokeRepo();
    const summary = await run(pack, 'native', Array(7).fill('crash.py')).done;
    assert.equal(summary.status, 'stopped');
    assert.equal(summary.trials.length, 5);
    assert.match(summary.message ?? '', /^stopped after 5 errors in a row; the last: proposal exited with code 1: no luck$/);
  });

  test('a baseline that fails stops the run before any proposal runs', async () => {
    for (const engine of ['native', 'pack'] as const) {
      const { pack } = smokeRepo();
      writeFileSync(path.join(pack, 'measure.py'), 'print("no score here")\n');
      const summary = await run(pack, engine, ['fix_patch.py']).done;
      assert.equal(summary.status, 'error', engine);
      assert.match(summary.message ?? '', /^baseline failed: /, engine);
      assert.equal(candidate(pack), BASELINE, engine);
      assert.equal(rowsOf(pack).length, 0, engine);
    }
  });

  test('native rows follow the log\'s own dialect: a keep/discard log with one digit gets keep, discard and one digit', async () => {
    const { pack } = smokeRepo();
    writeFileSync(path.join(pack, 'results.tsv'), 'commit\tscore\tstatus\tdescription\nbaseline\t0.2\tkeep\tbaseline\nabc\t0.1\tdiscard\tworse\n');
    await run(pack, 'native', ['bad_patch.py', 'fix_patch.py']).done;
    const rows = readFileSync(path.join(pack, 'results.tsv'), 'utf8').trimEnd().split('\n').slice(3).map((r) => r.split('\t'));
    assert.deepEqual(rows.map((r) => r.slice(1)), [
      ['0.2', 'discard', 'applied bad proposal: count spaces plus one'],
      ['1.0', 'keep', 'applied good proposal: split on whitespace'],
    ]);
  });

  test('--margin refuses a gain smaller than the margin; --direction lower keeps a lower score', async () => {
    const { pack } = smokeRepo();
    const margin = await run(pack, 'native', ['fix_patch.py'], { margin: 0.9 }).done;
    assert.equal(margin.trials[0].status, 'reverted');
    const lower = await run(pack, 'native', ['bad_patch.py', 'fix_patch.py'], { direction: 'lower' }).done;
    assert.deepEqual(lower.trials.map((t) => t.status), ['reverted', 'reverted']);
    assert.equal(candidate(pack), BASELINE);
  });
});
