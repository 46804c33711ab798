/**
 * A run's processes live and die with it, in both engines, with real Python in real git repositories:
 * strays and pipe holders, 150 MB of output, a double Ctrl+C against a proposal that ignores SIGTERM,
 * kill -9 of the CLI with and without its watchdog, and a trial whose row was written before the kill.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { isProcessRunning } from '../../src/core/processTable';
import type { RunReporter } from '../../src/core/run/context';
import { readJournal, type RunRecord } from '../../src/core/run/journal';
import { recoverInterrupted } from '../../src/core/run/recovery';
import { runLoop } from '../../src/core/run/runLoop';
import { REPO_ROOT, tempDir } from './helpers';
import { runMeasure } from '../../src/core/measure';
import { addLifecycleProposals, LOUD_PREFIX, makeLoopLoud } from './support/lifecyclePack';
import { assertConsistent, liveProcessesOf, until, waitFor, watchdogOf } from './support/runState';
import { BASELINE, FIXED, smokeRepo } from './support/smokeRepo';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');
const quiet: RunReporter = { line: () => undefined, output: () => undefined, log: () => undefined };
const candidate = (pack: string) => readFileSync(path.join(pack, 'candidate.py'), 'utf8');
const recordedPids = (dir: string) => readdirSync(dir).map(Number);
const shimFoldersOf = (pid: number) => readdirSync(tmpdir()).filter((e) => e.startsWith(`autoexp-shims-${pid}-`));

before(() => assert.ok(existsSync(CLI), 'dist/cli.cjs is built (npm run build)'));

/**
 * The smoke pack with the misbehaving proposals, and a folder where they record the pids they leave:
 * outside the repository, where the guard would rightly take the files for the proposals' strays.
 */
function lifecycleRepo() {
  const { repo, pack } = smokeRepo();
  addLifecycleProposals(pack);
  const pids = tempDir('autoexp-pids-');
  return { repo, pack, pids, env: { ...process.env, PIDS_DIR: pids, HANG_PIDS: pids } };
}

/** A loop in this process; the proposals find PIDS_DIR in the environment they inherit. */
async function runHere(pids: string, options: Omit<Parameters<typeof runLoop>[0], 'python' | 'reporter'> & { reporter?: RunReporter }) {
  process.env.PIDS_DIR = pids;
  try {
    return await runLoop({ python: 'python3', reporter: quiet, ...options });
  } finally {
    delete process.env.PIDS_DIR;
  }
}

/** `autoexp run` in a child process; `printed(text)` resolves once its stderr holds the text (false if it exits first). */
function startCli(args: string[], env: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'run', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exit = new Promise<number | null>((r) => child.once('exit', r));
  const printed = (text: string) =>
    new Promise<boolean>((resolve) => {
      const check = () => stderr.includes(text) && resolve(true);
      child.stderr!.on('data', check);
      void exit.then(() => resolve(stderr.includes(text)));
      check();
    });
  return { child, exit, stderr: () => stderr, printed };
}

async function untilCandidate(pack: string, text: string, exit: Promise<unknown>): Promise<void> {
  assert.ok(await until(pack, () => candidate(pack) === text, exit), `the proposal wrote ${JSON.stringify(text)} before the run ended`);
}

function runOf(repo: string, pid: number): RunRecord {
  const run = readJournal(repo).runs.find((r) => r.pid === pid);
  assert.ok(run, `the journal holds the run of pid ${pid}`);
  return run;
}

for (const engine of ['native', 'pack'] as const) {
  describe(`${engine} engine: processes die with their trial and their run`, () => {
    test('a child holding stdout does not hold the trial; strays and daemons are dead when the run returns', async () => {
      const { pack, pids } = lifecycleRepo();
      // A minute's limit: a trial that waited for the pipe would end as a timeout.
      const summary = await runHere(pids, { pack, engine, proposals: ['hold_stdout.py', 'stray.py', 'escape.py'], timeoutMs: 60_000 });
      assert.deepEqual(summary.trials.map((t) => [t.proposal, t.status, t.reason]), [
        ['hold_stdout.py', 'kept', undefined],
        ['stray.py', 'reverted', undefined],
        ['escape.py', 'reverted', undefined],
      ]);
      const children = recordedPids(pids);
      assert.equal(children.length, 3);
      for (const pid of children) assert.equal(isProcessRunning(pid), false, `child ${pid} is gone when the run returns`);
      assert.equal(candidate(pack), FIXED);
    });

    test('150 MB of output is read to its end, not blamed on the script', async () => {
      const { pack, pids } = lifecycleRepo();
      // The native engine reads the proposal itself; the pack engine reads loop.py.
      if (engine === 'pack') makeLoopLoud(pack);
      let characters = 0;
      const reporter: RunReporter = { ...quiet, output: (c) => void (characters += c.length) };
      const summary = await runHere(pids, { pack, engine, proposals: [engine === 'native' ? 'loud.py' : 'fix_patch.py'], reporter });
      assert.equal(summary.status, 'finished', summary.message);
      assert.deepEqual(summary.trials.map((t) => [t.status, t.reason]), [['kept', undefined]]);
      assert.ok(characters >= 150 * 1024 * 1024, `all of it was passed on (${characters} characters)`);
      assert.equal(candidate(pack), FIXED);
    });

    test('a double Ctrl+C kills a proposal that ignores SIGTERM, restores the target, exits 130', async () => {
      const { pack, pids, env } = lifecycleRepo();
      const cli = startCli([pack, '-p', 'ignore_term.py', '--engine', engine], env);
      assert.ok(await until(pids, () => readdirSync(pids).length > 0, cli.exit), 'the proposal started');
      const [proposal] = recordedPids(pids);
      cli.child.kill('SIGINT');
      // The second Ctrl+C once the first is taken: the kernel would merge two pending ones.
      assert.ok(await cli.printed('autoexp: SIGINT: stopping'), 'the first Ctrl+C was taken');
      cli.child.kill('SIGINT');
      assert.equal(await cli.exit, 130, cli.stderr());
      assert.equal(candidate(pack), BASELINE, 'restored before the exit');
      assert.equal(isProcessRunning(proposal), false, 'the proposal is dead, so its late write cannot come');
      assert.match(cli.stderr(), /smoke-keep-revert: cancelled( during trial 1)?\n$/);
    });

    test('kill -9 of the CLI: its watchdog kills the run\'s processes and removes its shim folder', async () => {
      const { repo, pack, pids, env } = lifecycleRepo();
      const cli = startCli([pack, '-p', 'stray.py', '-p', 'hang.py', '--engine', engine], env);
      await untilCandidate(pack, 'half-written\n', cli.exit);
      const run = runOf(repo, cli.child.pid!);
      cli.child.kill('SIGKILL');
      await cli.exit;
      await waitFor(() => liveProcessesOf(run).length === 0, 'the watchdog to kill the run');
      for (const pid of recordedPids(pids)) assert.equal(isProcessRunning(pid), false, `${pid} is gone`);
      if (engine === 'pack') await waitFor(() => shimFoldersOf(cli.child.pid!).length === 0, 'the watchdog to remove the shim folder');
      assert.equal(candidate(pack), 'half-written\n', 'restoring is the next start\'s work');
      recoverInterrupted(repo, pack);
      assertConsistent(repo, pack, BASELINE, engine);
    });

    test('kill -9 of the CLI and its watchdog: the next start kills the survivors, then restores', async () => {
      const { repo, pack, pids, env } = lifecycleRepo();
      const cli = startCli([pack, '-p', 'hang.py', '--engine', engine], env);
      await untilCandidate(pack, 'half-written\n', cli.exit);
      const run = runOf(repo, cli.child.pid!);
      process.kill(watchdogOf(run.id)!, 'SIGKILL');
      cli.child.kill('SIGKILL');
      await cli.exit;
      const survivors = liveProcessesOf(run);
      assert.ok(survivors.length > 0, 'without a watchdog the trial\'s processes outlive the CLI');
      if (engine === 'pack') assert.equal(shimFoldersOf(cli.child.pid!).length, 1, 'and so does the shim folder');
      const next = spawnSync(process.execPath, [CLI, 'run', pack, '-p', 'bad_patch.py', '--engine', engine], { encoding: 'utf8' });
      assert.equal(next.status, 0, next.stderr);
      assert.match(next.stdout, new RegExp(`trial 1 of run ${run.id} was interrupted; restored atris/experiments/smoke-keep-revert/candidate\\.py from its snapshot; ended \\d+ of its processes still running`));
      for (const pid of [...survivors, ...recordedPids(pids)]) assert.equal(isProcessRunning(pid), false, `survivor ${pid} was killed`);
      assert.deepEqual(shimFoldersOf(cli.child.pid!), [], 'the dead run\'s shim folder is removed');
      assertConsistent(repo, pack, BASELINE, engine);
    });
  });
}

test('a measure.py that prints 150 MB before its score is read to its end and scored', async () => {
  const { pack } = smokeRepo();
  const measure = path.join(pack, 'measure.py');
  writeFileSync(measure, LOUD_PREFIX + readFileSync(measure, 'utf8'));
  const { outcome, process: proc } = await runMeasure(pack, { python: 'python3' });
  assert.deepEqual([outcome.ok && outcome.score, proc.exitCode, proc.stderr], [0.2, 0, '']);
  assert.ok(proc.stdout.length <= 1024 * 1024, 'only the last part of the output is kept');
});
