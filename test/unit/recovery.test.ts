/**
 * What the next start does after a crash, and how a pid is told from a reused one: results.tsv's
 * row decides a trial the crash left open, a live unrelated process under a recorded pid is neither
 * killed nor taken for a lock holder, dead runs' shim folders go, and the pack engine gives a hung
 * measurement the trial's own time. Real Python, real git repositories, the bundled CLI.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { identify, isProcessRunning } from '../../src/core/processTable';
import { Journal, JOURNAL_DIR, JOURNAL_FILE, nowIso, readJournal, runsOfPack } from '../../src/core/run/journal';
import { acquireLock, heldLock, lockPath } from '../../src/core/run/lock';
import { recoverInterrupted } from '../../src/core/run/recovery';
import { heldFileOf } from '../../src/core/run/runProcesses';
import { runLoop } from '../../src/core/run/runLoop';
import { removeDeadShimFolders } from '../../src/core/run/shimFolder';
import { REPO_ROOT, tempDir } from './helpers';
import { MARKED_PROPOSALS, markPack } from './support/markedPack';
import { assertConsistent, liveProcessesOf, until, untilLines, waitFor, watchdogOf } from './support/runState';
import { BASELINE, FIXED, smokeRepo } from './support/smokeRepo';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');
const candidate = (pack: string) => readFileSync(path.join(pack, 'candidate.py'), 'utf8');

/** A process of no run's, in a process group of its own, as a pid's next owner would be. */
function unrelatedProcess(): number {
  const child = spawn('python3', ['-c', 'import time; time.sleep(120)'], { detached: true, stdio: 'ignore' });
  child.unref();
  started.push(child.pid!);
  return child.pid!;
}
const started: number[] = [];
after(() => started.forEach((pid) => isProcessRunning(pid) && process.kill(pid, 'SIGKILL')));

async function deadPid(): Promise<number> {
  const dead = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => dead.once('exit', r));
  return dead.pid!;
}

describe('the next start after a crash', () => {
  test('pack engine: a trial whose row was written before the kill ends as the row says (kept: the candidate stays)', async () => {
    const { repo, pack } = smokeRepo();
    const held = path.join(repo, 'row-written');
    // loop.py writes the kept row, then stops before it prints the TRIAL line the CLI reads.
    const loop = path.join(pack, 'loop.py');
    writeFileSync(loop, readFileSync(loop, 'utf8').replace('            print(f"TRIAL {number} KEPT', `            open(${JSON.stringify(held)}, "w").close()\n            __import__("time").sleep(120)\n            print(f"TRIAL {number} KEPT`));
    const child = spawn(process.execPath, [CLI, 'run', pack, '-p', 'bad_patch.py', '-p', 'fix_patch.py', '--engine', 'pack'], { stdio: 'ignore' });
    const exit = new Promise((r) => child.once('exit', r));
    assert.ok(await until(repo, () => existsSync(held), exit), 'loop.py wrote the kept row');
    const run = readJournal(repo).runs.find((r) => r.pid === child.pid)!;
    // The watchdog too: loop.py must still be alive when the next start comes.
    process.kill(watchdogOf(run.id)!, 'SIGKILL');
    child.kill('SIGKILL');
    await exit;
    const recovered = recoverInterrupted(repo, pack);
    assert.deepEqual(recovered.map((r) => [r.trial, r.status, r.restored]), [[2, 'kept', undefined]]);
    assert.ok((recovered[0].killed ?? 0) > 0, 'loop.py was killed first');
    assert.equal(candidate(pack), FIXED, 'the kept candidate stays');
    const [record] = runsOfPack(readJournal(repo), pack);
    assert.deepEqual(record.trials.map((t) => [t.proposal, t.status, t.resultsLine]), [
      ['bad_patch.py', 'reverted', 2],
      ['fix_patch.py', 'kept', 3],
    ]);
    assertConsistent(repo, pack, BASELINE, 'pack');
  });

  test('pack engine: a loop.py that outlives its run (the CLI and its watchdog killed) logs no row the run never saw', async () => {
    const { repo, pack } = smokeRepo();
    markPack(pack);
    const marks = path.join(tempDir('autoexp-marks-'), 'marks.txt');
    const args = [CLI, 'run', pack, ...MARKED_PROPOSALS.flatMap((p) => ['-p', p]), '--engine', 'pack'];
    const child = spawn(process.execPath, args, { env: { ...process.env, KILL_MARKERS: marks }, stdio: 'ignore' });
    const exit = new Promise((r) => child.once('exit', r));
    // Mark 7: the baseline's two, bad_patch.py's two, its measurement's two, then loop.py's first row.
    assert.ok(await untilLines(marks, 7, exit), 'loop.py wrote its first row');
    const { id } = readJournal(repo).runs.find((r) => r.pid === child.pid)!;
    process.kill(watchdogOf(id)!, 'SIGKILL');
    child.kill('SIGKILL');
    await exit;
    // Nothing is left to stop loop.py but the shim of its next trial, which finds no run to guard it.
    await waitFor(() => liveProcessesOf(readJournal(repo).runs.find((r) => r.id === id)!).length === 0, 'loop.py to end');
    recoverInterrupted(repo, pack);
    // Without the shim ending it, loop.py logs an error row for each trial left, and no trial claims them.
    assertConsistent(repo, pack, BASELINE, 'pack');
  });

  test('native engine: a kill between the row and its journal entry leaves the row to decide', () => {
    const { repo, pack } = smokeRepo();
    const done = spawnSync(process.execPath, [CLI, 'run', pack, '-p', 'bad_patch.py', '-p', 'fix_patch.py', '--engine', 'native'], { encoding: 'utf8' });
    assert.equal(done.status, 0, done.stderr);
    // The journal as a kill right after the second row was appended leaves it: no trial-end, no run-end.
    const file = path.join(repo, JOURNAL_DIR, JOURNAL_FILE);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines.slice(-2).map((l) => JSON.parse(l).type), ['trial-end', 'run-end']);
    writeFileSync(file, `${lines.slice(0, -2).join('\n')}\n`);
    const recovered = recoverInterrupted(repo, pack);
    assert.deepEqual(recovered.map((r) => [r.trial, r.status, r.restored]), [[2, 'kept', undefined]]);
    assert.equal(candidate(pack), FIXED);
    assertConsistent(repo, pack, BASELINE, 'native');
  });

  test('a recorded pid now owned by an unrelated process is not killed; the recorded process itself is', async () => {
    const { repo, pack } = smokeRepo();
    const journal = new Journal(repo);
    const stranger = identify(unrelatedProcess());
    const ours = identify(unrelatedProcess());
    const deadCli = await deadPid();
    const start = (run: string) => journal.append({ type: 'run-start', run, pack, slug: 'smoke-keep-revert', engine: 'native', proposals: [], target: path.join(pack, 'candidate.py'), pid: deadCli, at: nowIso() });
    start('run-reused');
    journal.append({ type: 'process', run: 'run-reused', pid: stranger.pid, startTime: stranger.startTime! + 1 });
    start('run-ours');
    journal.append({ type: 'process', run: 'run-ours', pid: ours.pid, startTime: ours.startTime });
    const recovered = recoverInterrupted(repo, pack);
    assert.deepEqual(recovered.map((r) => [r.run, r.killed]), [
      ['run-reused', undefined],
      ['run-ours', 1],
    ]);
    assert.equal(isProcessRunning(stranger.pid), true, 'the unrelated process lives on');
    assert.equal(isProcessRunning(ours.pid), false, 'the run\'s own process is gone');
    assert.deepEqual(runsOfPack(readJournal(repo), pack).map((r) => r.status), ['interrupted', 'interrupted']);
  });

  test('a copy of the run\'s process caught between fork and exec (untagged, unrecorded) is killed, a reader of its file is not, and the held file goes', async () => {
    const { repo, pack } = smokeRepo();
    const journal = new Journal(repo);
    const run = 'run-forked';
    const held = heldFileOf(repo, run);
    // Python stands in for the run's process: Node cannot fork without an exec. Like a run killed
    // while spawning, it holds its file open, forks a copy that has not exec'd yet, and dies.
    const source = [
      'import os, sys, time',
      `f = open(${JSON.stringify(held)}, "w")`,
      'child = os.fork()',
      'if child == 0:',
      '    time.sleep(120)',
      '    os._exit(0)',
      'print(child, flush=True)',
      'time.sleep(120)',
    ].join('\n');
    const runner = spawn('python3', ['-c', source], { stdio: ['ignore', 'pipe', 'inherit'] });
    const copy = Number(await new Promise<string>((r) => runner.stdout.once('data', (d: Buffer) => r(d.toString()))));
    started.push(copy);
    journal.append({ type: 'run-start', run, pack, slug: 'smoke-keep-revert', engine: 'native', proposals: [], target: path.join(pack, 'candidate.py'), pid: runner.pid!, startTime: identify(runner.pid!).startTime, at: nowIso() });
    runner.kill('SIGKILL');
    await new Promise((r) => runner.once('exit', r));
    assert.equal(isProcessRunning(copy), true, 'the copy outlives the run');
    // A reader of the file (a backup, a `tail`), younger than the run as a copy is, is not one.
    const reader = spawn('python3', ['-c', 'import sys, time\nf = open(sys.argv[1])\nprint("open", flush=True)\ntime.sleep(120)', held], { stdio: ['ignore', 'pipe', 'inherit'] });
    started.push(reader.pid!);
    await new Promise((r) => reader.stdout.once('data', r));

    const recovered = recoverInterrupted(repo, pack);
    assert.deepEqual(recovered.map((r) => [r.run, r.killed]), [[run, 1]]);
    assert.equal(isProcessRunning(copy), false, 'the copy is gone');
    assert.equal(isProcessRunning(reader.pid!), true, 'the reader lives on');
    assert.equal(existsSync(held), false, 'the held file is removed');
  });

  test('shim folders of dead runs are removed; a live run\'s and old-style ones stay', async () => {
    const me = identify(process.pid);
    const folder = (name: string) => {
      const dir = path.join(tmpdir(), name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'autoexp_shim.py'), '# shim\n');
      return dir;
    };
    const dead = folder(`autoexp-shims-${await deadPid()}-1-aaaaaa`);
    const reused = folder(`autoexp-shims-${me.pid}-${me.startTime! + 1}-bbbbbb`);
    const live = folder(`autoexp-shims-${me.pid}-${me.startTime}-cccccc`);
    const old = folder('autoexp-shims-dddddd');
    try {
      const removed = removeDeadShimFolders();
      assert.ok(removed.includes(dead) && removed.includes(reused), removed.join('\n'));
      assert.deepEqual([dead, reused, live, old].map(existsSync), [false, false, true, true]);
    } finally {
      for (const dir of [live, old]) spawnSync('rm', ['-rf', dir]);
    }
  });
});

describe('locks and pids', () => {
  test('a lock whose pid an unrelated process now holds is taken over; the holder\'s own is refused', async () => {
    const { repo, pack } = smokeRepo();
    const stranger = identify(unrelatedProcess());
    mkdirSync(path.dirname(lockPath(repo, pack)), { recursive: true });
    const lock = (startTime: number) => writeFileSync(lockPath(repo, pack), JSON.stringify({ pid: stranger.pid, startTime, run: 'run-old', pack, startedAt: '2026-01-01T00:00:00Z' }));
    lock(stranger.startTime!);
    assert.equal(heldLock(repo, pack)?.run, 'run-old');
    assert.throws(() => acquireLock(repo, pack, 'run-new'), /smoke-keep-revert is already running \(run run-old, pid \d+, since 2026-01-01T00:00:00Z\); stop that run first$/);
    lock(stranger.startTime! + 1);
    assert.equal(heldLock(repo, pack), undefined, 'the pid is alive, but it is not the run that took the lock');
    const taken = acquireLock(repo, pack, 'run-new');
    assert.equal(taken.tookOverFrom?.run, 'run-old');
    assert.equal(taken.info.startTime, identify(process.pid).startTime);
    taken.release();
    assert.equal(isProcessRunning(stranger.pid), true);
  });
});

describe('pack engine: a measure.py that hangs', () => {
  test('is stopped after the trial\'s own time plus a short grace', async () => {
    const { pack } = smokeRepo();
    writeFileSync(path.join(pack, 'measure.py'), 'import time\ntime.sleep(600)\n');
    const summary = await runLoop({ pack, proposals: ['fix_patch.py'], python: 'python3', engine: 'pack', timeoutMs: 500, reporter: { line: () => undefined, output: () => undefined, log: () => undefined } });
    assert.equal(summary.status, 'error');
    assert.equal(summary.message, 'baseline failed: no progress within 5.5 s');
    assert.equal(candidate(pack), BASELINE);
  });
});
