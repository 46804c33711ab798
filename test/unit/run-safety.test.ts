/**
 * Run safety beyond the guard, on copies of the smoke pack in real git repositories with real Python:
 * one run per pack whatever path names it, reset refuses a live run, and input that would corrupt
 * results.tsv is refused before anything runs.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { isSameProcess } from '../../src/core/processTable';
import type { Engine } from '../../src/core/run/context';
import { journalRoot, readJournal, runsOfPack } from '../../src/core/run/journal';
import { runLoop } from '../../src/core/run/runLoop';
import { REPO_ROOT, tempDir } from './helpers';
import { BASELINE, backupBesideTarget, smokeRepo } from './support/smokeRepo';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');
const read = (file: string) => readFileSync(file, 'utf8');

function autoexp(args: string[], cwd = REPO_ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A run of hang.py on `pack`, in this process, held mid-trial until the test aborts it. */
async function slowRun(pack: string) {
  const controller = new AbortController();
  const done = runLoop({ pack, proposals: ['hang.py'], python: 'python3', engine: 'native', signal: controller.signal, reporter: { line: () => undefined, output: () => undefined, log: () => undefined } });
  await waitFor(() => read(path.join(pack, 'candidate.py')) === 'half-written\n', 'the slow proposal to write the target');
  return { stop: () => (controller.abort(), done) };
}

describe('one run per pack, whatever path names it', () => {
  test('a run through a symbolic link to a running pack is refused, and the link finds the same journal records', async () => {
    const { repo, pack } = smokeRepo();
    const link = path.join(tempDir('autoexp-elsewhere-'), 'link-to-x');
    symlinkSync(pack, link);
    const slow = await slowRun(pack);
    const second = autoexp(['run', link, '-p', 'fix_patch.py', '--engine', 'native']);
    const summary = await slow.stop();
    assert.equal(second.code, 1);
    assert.match(second.stderr, new RegExp(`^autoexp: smoke-keep-revert is already running \\(run ${summary.run}, pid ${process.pid}, since .*\\); stop that run first\\n$`));
    assert.equal(read(path.join(pack, 'candidate.py')), BASELINE);
    assert.equal(read(path.join(pack, 'results.tsv')).split('\n').length, 2, 'no row from either run');
    assert.equal(journalRoot(link), repo);
    assert.deepEqual(runsOfPack(readJournal(repo), link).map((r) => [r.id, r.pack]), [[summary.run, pack]]);
  });
});

describe('Ctrl+C in the pack engine', () => {
  test('the interrupted trial\'s files are removed with it (loop.py\'s candidate.py.trial2.bak); earlier files stay', async () => {
    const { pack } = smokeRepo();
    backupBesideTarget(pack);
    writeFileSync(path.join(pack, 'notes.txt'), 'the user\'s own notes\n');
    const child = spawn(process.execPath, [CLI, 'run', pack, '-p', 'bad_patch.py', '-p', 'hang.py'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    await waitFor(() => read(path.join(pack, 'candidate.py')) === 'half-written\n', 'the second proposal to write the target');
    assert.ok(existsSync(path.join(pack, 'candidate.py.trial2.bak')), 'loop.py made its backup');
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    assert.equal(code, 130, output);
    assert.deepEqual(readdirSync(pack).filter((f) => f.includes('.bak')), []);
    assert.equal(read(path.join(pack, 'candidate.py')), BASELINE);
    assert.equal(read(path.join(pack, 'notes.txt')), 'the user\'s own notes\n');
    assert.match(output, /^autoexp: trial 2: removed atris\/experiments\/smoke-keep-revert\/candidate\.py\.trial2\.bak, made by the interrupted trial$/m);
  });
});

describe('reset and a run', () => {
  test('autoexp reset refuses while a live run holds the pack, and leaves the target alone; afterwards it resets', async () => {
    const { pack } = smokeRepo();
    const slow = await slowRun(pack);
    const refused = autoexp(['reset', pack]);
    assert.equal(read(path.join(pack, 'candidate.py')), 'half-written\n', 'the reset did not write under the run');
    const summary = await slow.stop();
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`^autoexp: smoke-keep-revert is already running \\(run ${summary.run}, pid ${process.pid}, since .*\\); stop that run first\\n$`));
    writeFileSync(path.join(pack, 'candidate.py'), 'changed by hand\n');
    const reset = autoexp(['reset', pack]);
    assert.equal(reset.code, 0, reset.stderr);
    assert.equal(read(path.join(pack, 'candidate.py')), BASELINE);
  });

  test('autoexp reset cleans up a killed run first: its processes ended, its trial marked interrupted', async () => {
    const { repo, pack } = smokeRepo();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/unit/support/runInChild.ts'), pack, 'native', 'hang.py'], { cwd: REPO_ROOT, stdio: 'ignore' });
    await waitFor(() => read(path.join(pack, 'candidate.py')) === 'half-written\n', 'the proposal to write the target');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const reset = autoexp(['reset', pack]);
    assert.equal(reset.code, 0, reset.stderr);
    const [record] = runsOfPack(readJournal(repo), pack);
    assert.match(reset.stderr, new RegExp(`^autoexp: smoke-keep-revert: trial 1 of run ${record.id} was interrupted; restored atris/experiments/smoke-keep-revert/candidate\\.py from its snapshot(; ended \\d+ of its processes still running)?\\n$`));
    assert.equal(record.status, 'interrupted');
    assert.equal(record.trials[0].status, 'interrupted');
    for (const id of record.processes) assert.equal(isSameProcess(id), false, `process ${id.pid} ended`);
    assert.equal(read(path.join(pack, 'candidate.py')), BASELINE);
  });
});

function runIn(pack: string, engine: Engine, proposals: string[]) {
  const lines: string[] = [];
  const done = runLoop({ pack, proposals, python: 'python3', engine, reporter: { line: (t) => lines.push(t), output: () => undefined, log: () => undefined } });
  return done.then((summary) => ({ summary, lines }));
}

describe('input that would corrupt results.tsv is refused before the run', () => {
  for (const engine of ['native', 'pack'] as const) {
    test(`${engine} engine: a binary results.tsv, with the error \`results\` gives; the file is left as it was`, async () => {
      const { repo, pack } = smokeRepo();
      const log = path.join(pack, 'results.tsv');
      const bytes = Buffer.concat([readFileSync(log), Buffer.from([0, 1, 2, 0xff, 0])]);
      writeFileSync(log, bytes);
      await assert.rejects(runIn(pack, engine, ['fix_patch.py']), { message: `${log}: holds binary data, not a tab-separated results log` });
      assert.deepEqual(readFileSync(log), bytes);
      assert.equal(autoexp(['results', pack]).stderr, `autoexp: ${log}: holds binary data, not a tab-separated results log\n`);
      assert.equal(read(path.join(pack, 'candidate.py')), BASELINE);
      assert.deepEqual(runsOfPack(readJournal(repo), pack), []);
    });

    test(`${engine} engine: a proposal whose file name holds a tab or a line break`, async () => {
      const { pack } = smokeRepo();
      const before = read(path.join(pack, 'results.tsv'));
      for (const name of ['tab\there.py', 'line\nbreak.py']) {
        const file = path.join(pack, 'proposals', name);
        writeFileSync(file, read(path.join(pack, 'proposals', 'fix_patch.py')));
        await assert.rejects(runIn(pack, engine, [name]), {
          message: `${JSON.stringify(file)}: a proposal's file name cannot hold a tab or a line break (it would split its row in results.tsv); rename it`,
        });
      }
      assert.equal(read(path.join(pack, 'results.tsv')), before);
      assert.equal(read(path.join(pack, 'candidate.py')), BASELINE);
    });
  }
});

describe('scores that are not finite numbers', () => {
  /** measure.py reads `SCORE=<x>` from the target, as Python's float() does, and prints it with json.dumps. */
  function scoringPack() {
    const { repo, pack } = smokeRepo();
    writeFileSync(path.join(pack, 'measure.py'), 'import json, pathlib\ntext = pathlib.Path(__file__).with_name("candidate.py").read_text()\nscore = float(text.split("SCORE=")[1].split()[0]) if "SCORE=" in text else 0.2\nprint(json.dumps({"score": score}))\n');
    for (const value of ['nan', 'inf']) writeFileSync(path.join(pack, 'proposals', `${value}.py`), `import os\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("SCORE=${value}\\n")\nprint("score ${value}")\n`);
    return { repo, pack };
  }

  test('pack engine: loop.py\'s rule decides; the terminal warns and the journal marks each trial', async () => {
    const { repo, pack } = scoringPack();
    const { summary, lines } = await runIn(pack, 'pack', ['nan.py', 'inf.py']);
    assert.deepEqual(summary.trials.map((t) => t.status), ['reverted', 'kept']);
    assert.deepEqual(lines.filter((l) => l.includes('warning')), [
      'autoexp: warning: trial 1: score "nan" is not a finite number; loop.py\'s own rule reverted the trial',
      'autoexp: warning: trial 2: score "inf" is not a finite number; loop.py\'s own rule kept the trial',
    ]);
    const [record] = runsOfPack(readJournal(repo), pack);
    assert.deepEqual(record.trials.map((t) => t.warning), [
      'score "nan" is not a finite number; loop.py\'s own rule reverted the trial',
      'score "inf" is not a finite number; loop.py\'s own rule kept the trial',
    ]);
  });

  test('native engine: such a score is an error, and the target is restored', async () => {
    const { pack } = scoringPack();
    const { summary } = await runIn(pack, 'native', ['nan.py', 'inf.py']);
    assert.deepEqual(summary.trials.map((t) => [t.status, t.reason?.replace(/ in .*/, '')]), [
      ['error', 'smoke-keep-revert/measure.py: score is not a finite number'],
      ['error', 'smoke-keep-revert/measure.py: score is not a finite number'],
    ]);
    assert.equal(read(path.join(pack, 'candidate.py')), BASELINE);
  });
});
