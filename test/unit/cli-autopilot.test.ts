/**
 * `autoexp autopilot` end to end: the bundled CLI in a real process, a copy of the smoke pack in a
 * real git repository, real Python measuring, and a scripted agent (test/fixtures/agents) in place of
 * a real one, which would need the network.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, watch } from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { isProcessRunning } from '../../src/core/processTable';
import { readJournal, runsOfPack } from '../../src/core/run/journal';
import { FIXTURES, REPO_ROOT, tempDir } from './helpers';
import { BASELINE, FIXED, smokeRepo } from './support/smokeRepo';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');
const AGENT = path.join(FIXTURES, 'agents', 'scripted_agent.py');

function autopilot(pack: string, plan: string, extra: string[] = [], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, 'autopilot', pack, '--agent-command', `python3 ${AGENT}`, ...extra], {
    encoding: 'utf8',
    env: { ...process.env, SCRIPTED_PLAN: plan, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const execGit = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8' }).stdout;
const rows = (pack: string) => readFileSync(path.join(pack, 'results.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const trialLines = (stdout: string) => stdout.split('\n').filter((l) => /^(BASELINE|TRIAL|AUTOPILOT stopped)/.test(l));

before(() => assert.ok(existsSync(CLI), 'dist/cli.cjs is built (npm run build)'));

describe('autoexp autopilot with a scripted agent', () => {
  test('a bad candidate reverted, a good one kept, an edit of measure.py that never lands, a failure and a no-change', () => {
    const { repo, pack } = smokeRepo();
    const measure = readFileSync(path.join(pack, 'measure.py'), 'utf8');
    const prompts = tempDir('autoexp-prompts-');
    const r = autopilot(pack, 'bad,good,harness,fail,same', ['--max-trials', '5'], { SCRIPTED_PROMPTS: prompts });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(trialLines(r.stdout), [
      'BASELINE 0.2000',
      'TRIAL 1 REVERTED score=0.2000 proposal=0001-trial-1-bad.py',
      'TRIAL 2 KEPT score=1.0000 proposal=0002-trial-2-good.py',
      'TRIAL 3 REVERTED score=1.0000 proposal=0003-trial-3-harness.py',
      'TRIAL 4 ERROR score=- proposal=python3 reason=python3 exited with code 3: the model refused',
      'TRIAL 5 ERROR score=- proposal=python3 reason=agent proposed no change',
      'AUTOPILOT stopped: ran 5 trial(s) of --max-trials 5. 5 trial(s): 1 kept, 2 reverted, 2 error(s); best 1.0000 (baseline 0.2000); $0.00, 0 tokens',
    ]);
    assert.match(r.stdout, /discarded \(the agent may change only the target\): atris\/experiments\/smoke-keep-revert\/measure\.py, stray\.txt/);
    assert.equal(readFileSync(path.join(pack, 'measure.py'), 'utf8'), measure, 'measure.py never reaches the repository');
    assert.equal(existsSync(path.join(repo, 'stray.txt')), false);
    assert.equal(readFileSync(path.join(pack, 'candidate.py'), 'utf8'), FIXED);
    assert.deepEqual(rows(pack).map((row) => [row[1], row[2]]), [['1', 'reverted'], ['2', 'kept'], ['3', 'reverted'], ['4', 'error'], ['5', 'error']]);
    assert.equal(rows(pack)[0][6], 'trial 1: bad');

    // Memory: trial 2's prompt knows what trial 1 tried.
    assert.doesNotMatch(readFileSync(path.join(prompts, 'prompt-1.md'), 'utf8'), /trial 1: bad/);
    assert.match(readFileSync(path.join(prompts, 'prompt-2.md'), 'utf8'), /## Reverted\n- trial 1: trial 1: bad \(\+0, reverted\) — because bad should score differently\n/);
    assert.match(readFileSync(path.join(pack, 'memory.md'), 'utf8'), /## Reverted\n- trial 3: trial 3: harness \(\+0, reverted\) — because harness should score differently\n- trial 1: trial 1: bad/);
    assert.match(readFileSync(path.join(pack, 'memory.md'), 'utf8'), /## Kept\n- trial 2: trial 2: good \(\+0\.8\) — because good should score differently/);
    assert.match(readFileSync(path.join(pack, 'memory.md'), 'utf8'), /## Ideas\n- idea from trial 1\n/);

    // Every measured candidate is a proposal plain loop.py replays.
    const auto = readdirSync(path.join(pack, 'proposals', 'auto')).sort();
    assert.deepEqual(auto, ['0001-trial-1-bad.py', '0002-trial-2-good.py', '0003-trial-3-harness.py']);
    const replayRepo = smokeRepo();
    const replay = spawnSync('python3', ['loop.py', '--proposal', path.join(pack, 'proposals', 'auto', '0002-trial-2-good.py')], { cwd: replayRepo.pack, encoding: 'utf8' });
    assert.equal(replay.status, 0, replay.stderr);
    assert.match(replay.stdout, /TRIAL 1 KEPT score=1\.0000/);
    assert.equal(readFileSync(path.join(replayRepo.pack, 'candidate.py'), 'utf8'), FIXED);

    const [run] = runsOfPack(readJournal(repo), pack);
    assert.deepEqual(run.autopilot?.trials.map((t) => t.discarded ?? []), [[], [], ['atris/experiments/smoke-keep-revert/measure.py', 'stray.txt'], [], []]);
  });

  test('the cost budget stops after the right trial: --max-cost 0.15 with trials of 0.10 runs two', () => {
    const { pack } = smokeRepo();
    const r = autopilot(pack, 'costly', ['--max-cost', '0.15']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(rows(pack).length, 2);
    assert.match(r.stdout, /AUTOPILOT stopped: spent \$0\.20 of --max-cost \$0\.15\. 2 trial\(s\): 0 kept, 2 reverted, 0 error\(s\); best 0\.2000 \(baseline 0\.2000\); \$0\.20, 2000 tokens\n/);
    assert.equal(readFileSync(path.join(pack, 'candidate.py'), 'utf8'), BASELINE);
  });

  test('errors in a row stop the session with exit 1; patience stops it with exit 0', () => {
    const failing = smokeRepo();
    const errors = autopilot(failing.pack, 'fail', ['--max-errors', '2']);
    assert.equal(errors.code, 1);
    assert.match(errors.stdout, /AUTOPILOT stopped: 2 errors in a row \(--max-errors 2\)/);
    const stale = smokeRepo();
    const patience = autopilot(stale.pack, 'bad', ['--patience', '1']);
    assert.equal(patience.code, 0, patience.stderr);
    assert.equal(rows(stale.pack).length, 3);
    assert.match(patience.stdout, /AUTOPILOT stopped: nothing kept in 3 trials \(3 × --patience 1\)/);
  });

  test('kill -9 during a trial, then --resume: the interrupted trial runs again under its number, with the same budgets', async () => {
    const { repo, pack } = smokeRepo();
    const marker = path.join(tempDir('autoexp-marker-'), 'hang.json');
    const child = spawn(process.execPath, [CLI, 'autopilot', pack, '--agent-command', `python3 ${AGENT}`, '--max-trials', '3'], {
      env: { ...process.env, SCRIPTED_PLAN: 'bad,hang', SCRIPTED_HANG_MARKER: marker },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Wait for the agent of trial 2 to be mid-work: it writes the marker, then sleeps.
    await new Promise<void>((resolve) => {
      const watcher = watch(path.dirname(marker), () => existsSync(marker) && readFileSync(marker, 'utf8') && (watcher.close(), resolve()));
      if (existsSync(marker)) (watcher.close(), resolve());
    });
    const hung = JSON.parse(readFileSync(marker, 'utf8')) as { cwd: string; pid: number };
    child.kill('SIGKILL');
    await exited;

    const r = autopilot(pack, 'bad,good', ['--resume']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(isProcessRunning(hung.pid), false, 'the killed run\'s agent was ended');
    assert.equal(existsSync(hung.cwd), false, 'the killed run\'s sandbox is gone');
    assert.equal(execGit(repo, 'worktree', 'list').trim().split('\n').length, 1);
    assert.match(r.stdout, /^AUTOPILOT resumed session ap-\S+ with python3: 2 trial\(s\), \d+ min left$/m);
    assert.deepEqual(trialLines(r.stdout).slice(1), [
      'TRIAL 2 KEPT score=1.0000 proposal=0002-trial-2-good.py',
      'TRIAL 3 ERROR score=- proposal=python3 reason=agent proposed no change',
      'AUTOPILOT stopped: ran 3 trial(s) of --max-trials 3. 2 trial(s): 1 kept, 0 reverted, 1 error(s); best 1.0000 (baseline 0.2000); $0.00, 0 tokens',
    ]);
    assert.deepEqual(rows(pack).map((row) => [row[1], row[2]]), [['1', 'reverted'], ['2', 'kept'], ['3', 'error']]);
    assert.equal(readFileSync(path.join(pack, 'candidate.py'), 'utf8'), FIXED);
    const again = autopilot(pack, 'good', ['--resume']);
    assert.deepEqual([again.code, again.stderr.trim()], [1, `autoexp: ${pack}: no unfinished autopilot session to resume`]);
  });

  test('--keep-rule significant: the agent proposes, the same rule as autoexp run decides on interleaved samples', () => {
    const { repo, pack } = smokeRepo();
    const r = autopilot(pack, 'good,bad', ['--max-trials', '2', '--keep-rule', 'significant', '--repeat', '3']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      rows(pack).map((row) => [row[1], row[2], row[4], row[6]]),
      [
        ['1', 'kept', '1.0000', 'trial 1: good [Δ=+0.800 p=0.0e+0]'],
        ['2', 'reverted', '0.2000', 'trial 2: bad [Δ=-0.800 p=1.000]'],
      ],
    );
    const [run] = runsOfPack(readJournal(repo), pack);
    assert.deepEqual(run.trials[0].samples, { baseline: [0.2, 0.2, 0.2], candidate: [1, 1, 1] });
  });

  test('bad usage is exit 2 with one line', () => {
    const { pack } = smokeRepo();
    const cases: Array<[string[], string]> = [
      [['autopilot', pack], 'autoexp autopilot: name an agent: --agent claude|codex|aider|opencode or --agent-command "CMD ARG..."\n'],
      [['autopilot', pack, '--agent', 'gpt'], 'autoexp autopilot: --agent is one of claude, codex, aider, opencode, got "gpt"\n'],
      [['autopilot', pack, '--agent-command', 'python3 "agent.py'], 'autoexp autopilot: --agent-command: unclosed double quote at character 9\n'],
      [['autopilot', pack, '--agent', 'claude', '--max-cost', 'lots'], 'autoexp autopilot: --max-cost must be an amount in US dollars, like 0.50, got "lots"\n'],
      [['autopilot', pack, '--agent', 'claude', '--alpha', '0.1'], 'autoexp autopilot: --alpha belongs to --keep-rule significant\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
      assert.deepEqual([r.status, r.stderr], [2, stderr], args.join(' '));
    }
  });
});
