/**
 * The keep rules as users run them: dist/cli.cjs in a real process, real Python running a noisy pack
 * (test/fixtures/noisy-pack: the number in candidate.txt plus seeded Gaussian noise of sd 0.01) in a
 * real git repository. The noise is seeded from a counter file, so every count below is the same on
 * every run.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { runCli } from '../../src/cli/run';
import { FIXTURES, REPO_ROOT, tempDir, writeTree } from './helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');
// The interpreter itself, not a version manager's shim: a shim can cost a second a start, and these runs start hundreds.
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
const HEADER = 'timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription';

interface Noisy {
  repo: string;
  pack: string;
  env: Record<string, string>;
}

function noisyRepo(files: Record<string, string> = {}, env: Record<string, string> = {}): Noisy {
  const repo = tempDir('autoexp-keep-');
  const pack = path.join(repo, 'atris', 'experiments', 'noisy');
  cpSync(path.join(FIXTURES, 'noisy-pack'), pack, { recursive: true });
  writeTree(pack, files);
  execFileSync('git', ['init', '-q'], { cwd: repo });
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init'], { cwd: repo });
  // Outside the repository: the counter is measure.py's business, not a change the guard should see.
  return { repo, pack, env: { NOISY_COUNTER: path.join(tempDir('autoexp-counter-'), 'count'), ...env } };
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `autoexp run` on the noisy pack. */
function run(noisy: Noisy, args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', noisy.pack, '--python', PYTHON, '--no-diff', ...args], {
      cwd: noisy.repo,
      env: { ...process.env, ...noisy.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const proposals = (name: string, count: number) => Array.from({ length: count }, () => ['-p', name]).flat();
const kept = (stdout: string) => stdout.split('\n').filter((l) => /^TRIAL \d+ KEPT/.test(l)).length;
const target = (noisy: Noisy) => readFileSync(path.join(noisy.pack, 'candidate.txt'), 'utf8');
const rows = (noisy: Noisy) => readFileSync(path.join(noisy.pack, 'results.tsv'), 'utf8').trimEnd().split('\n');

interface TrialEnd {
  trial: number;
  status: string;
  newScore?: number;
  samples?: { baseline: number[]; candidate: number[] };
  metrics?: Record<string, number>;
  holdout?: { score: number; previous?: number; worse: boolean };
}

function trialEnds(noisy: Noisy): TrialEnd[] {
  return readFileSync(path.join(noisy.repo, '.autoexp', 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((e) => e.type === 'trial-end');
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

before(() => {
  assert.ok(existsSync(CLI), 'dist/cli.cjs is built (npm run build)');
});

// Each test runs its own repository and counter: they overlap, and the file stays near a minute.
describe('autoexp run --keep-rule', { concurrency: true }, () => {
  test('30 proposals that change nothing: significant keeps 1, greedy keeps 6, and the target is as it was', async () => {
    const significant = noisyRepo();
    const greedy = noisyRepo();
    const [s, g] = await Promise.all([run(significant, [...proposals('same.py', 30), '--keep-rule', 'significant', '--repeat', '3']), run(greedy, proposals('same.py', 30))]);
    assert.equal(s.code, 0, s.stderr);
    assert.equal(g.code, 0, g.stderr);
    assert.ok(kept(s.stdout) <= 5);
    assert.equal(kept(s.stdout), 1);
    // Greedy keeps every new record of pure noise: about H(30) ≈ 4 expected, 6 with this seed.
    assert.equal(kept(g.stdout), 6);
    assert.equal(target(significant), '0.500\n');
    assert.equal(target(greedy), '0.500\n');
  });

  test('10 proposals that each gain 3σ: significant keeps all 10; every sample is in the journal and every row says Δ and p', async () => {
    const noisy = noisyRepo();
    const r = await run(noisy, [...proposals('gain.py', 10), '--keep-rule', 'significant', '--repeat', '3']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(kept(r.stdout) >= 8);
    assert.equal(kept(r.stdout), 10);
    assert.equal(target(noisy), '0.800\n');

    const trialLines = r.stdout.split('\n').filter((l) => l.startsWith('TRIAL '));
    assert.equal(trialLines[0], 'TRIAL 1 KEPT score=0.5171 proposal=gain.py Δ=+0.017 ±0.0066 p=0.024 n=3+3');
    for (const line of trialLines) assert.match(line, /^TRIAL \d+ (KEPT|REVERTED) score=\d\.\d{4} proposal=gain\.py Δ=[+-]\d\.\d+ ±\d\.\d+ p=\S+ n=(3\+3|6\+6)$/);

    const ends = trialEnds(noisy);
    assert.equal(ends.length, 10);
    assert.deepEqual(ends[0].samples, { baseline: [0.496034, 0.51028, 0.500483], candidate: [0.531233, 0.517066, 0.51522] });
    for (const end of ends) {
      assert.equal(end.samples!.baseline.length, end.samples!.candidate.length);
      assert.equal(end.newScore, median(end.samples!.candidate), 'the row and the journal record the candidate median');
      assert.equal(end.metrics!.score, end.newScore);
      assert.equal(typeof end.metrics!.latency_ms, 'number');
    }

    // The folded journal (what the tree and the chart read) carries them too.
    const results = JSON.parse(execFileSync(process.execPath, [CLI, 'results', noisy.pack, '--json'], { encoding: 'utf8' }));
    assert.deepEqual(results.journal[0].trials[0].samples, ends[0].samples);
    assert.deepEqual(results.journal[0].trials[0].metrics, ends[0].metrics);

    const logged = rows(noisy);
    assert.equal(logged[0], HEADER);
    assert.equal(logged.length, 11);
    assert.match(logged[1], /\t1\tkept\t0\.4942\t0\.5171\tgain\.py\tgain of 0\.03 \[Δ=\+0\.017 p=0\.024\]$/);
    for (const row of logged.slice(1)) assert.match(row, / \[Δ=[+-]\d\.\d+ p=[^\]]+\]$/);
  });

  test('measure.py edited mid-run: the run stops with exit 1 naming it, and the target is put back', async () => {
    // Call 1 is the baseline; call 2 measures trial 1's candidate, after the guard has checked the
    // proposal, and appends a line to measure.py while it does.
    const noisy = noisyRepo({}, { NOISY_EDIT_AT: '2' });
    const r = await run(noisy, proposals('gain.py', 3));
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.stderr, `autoexp: ${noisy.pack}: measure.py changed during the run (atris/experiments/noisy/measure.py); the run stops and the target is put back\n`);
    assert.deepEqual(
      r.stdout.split('\n').filter((l) => /^(TRIAL|FINAL)/.test(l)),
      ['TRIAL 1 ERROR score=0.5242 proposal=gain.py reason=measure.py changed during the run', 'FINAL 0.4913'],
    );
    assert.equal(target(noisy), '0.500\n');
    assert.equal(rows(noisy).length, 2, 'one error row, and no trial after it');
  });

  test('a log with metric_1 and metric_2 gets both; a secondary that regresses past its limit reverts', async () => {
    const header = 'commit\tmetric_1\tmetric_2\tstatus\tdescription';
    const fine = noisyRepo({ 'results.tsv': `${header}\n` });
    const slower = noisyRepo({ 'results.tsv': `${header}\n` }, { NOISY_LATENCY_PER_POINT: '1' });
    const args = [...proposals('gain.py', 1), '--secondary', 'latency_ms:lower:max-regress=5%'];
    const [a, b] = await Promise.all([run(fine, args), run(slower, args)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.deepEqual(rows(fine), [header, '\t0.5242\t40.0050\tkept\tgain of 0.03']);
    assert.equal(b.stdout.split('\n').find((l) => l.startsWith('TRIAL')), 'TRIAL 1 REVERTED score=0.5242 proposal=gain.py reason=latency_ms regressed from 39.956 to 43.005');
    assert.deepEqual(rows(slower), [header, '\t0.5242\t43.0050\treverted\tgain of 0.03']);
    assert.equal(target(slower), '0.500\n');
  });

  test('pareto keeps a trade-off no kept trial dominates and reverts a dominated one', async () => {
    const header = 'commit\tmetric_1\tmetric_2\tstatus\tdescription';
    // Each point of score costs 1 ms of latency: both gains are trade-offs, not dominated.
    const noisy = noisyRepo({ 'results.tsv': `${header}\n` }, { NOISY_LATENCY_PER_POINT: '1' });
    const r = await run(noisy, [...proposals('gain.py', 2), ...proposals('same.py', 2), '--keep-rule', 'pareto', '--metrics', 'score:higher,latency_ms:lower']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(rows(noisy), [
      header,
      '\t0.5242\t43.0050\tkept\tgain of 0.03',
      '\t0.5594\t46.2000\tkept\tgain of 0.03',
      // Trial 2's (0.5594, 46.2) is better on both.
      '\t0.5560\t46.2980\treverted\tno change',
      '\t0.5612\t45.6090\tkept\tno change',
    ]);
    assert.deepEqual(trialEnds(noisy)[1].metrics, { score: 0.559372, latency_ms: 46.2 });
  });

  test('measure_holdout.py scores a keep and what it replaced; a worse holdout is said and flagged, and the keep stands', async () => {
    const holdout = 'from pathlib import Path\nimport json\nv = float((Path(__file__).parent / "candidate.txt").read_text())\nprint(json.dumps({"score": round(1 - v, 6)}))\n';
    const noisy = noisyRepo({ 'measure_holdout.py': holdout });
    const r = await run(noisy, proposals('gain.py', 2));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.stdout.split('\n').filter((l) => /^(TRIAL|holdout)/.test(l)),
      [
        'TRIAL 1 KEPT score=0.5242 proposal=gain.py',
        'holdout: 0.47 < 0.5 before; kept anyway: you decide',
        'TRIAL 2 KEPT score=0.5594 proposal=gain.py',
        'holdout: 0.44 < 0.47 before; kept anyway: you decide',
      ],
    );
    assert.deepEqual(
      trialEnds(noisy).map((e) => [e.status, e.holdout]),
      [
        ['kept', { score: 0.47, previous: 0.5, worse: true }],
        ['kept', { score: 0.44, previous: 0.47, worse: true }],
      ],
    );
    assert.equal(target(noisy), '0.560\n');
  });
});

describe('autoexp run keep flags: usage errors', () => {
  async function cli(args: string[], cwd: string) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['run', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), cwd, templatesDir: path.join(REPO_ROOT, 'templates') }, 'test');
    return { code, out, err };
  }

  test('each bad value is one line and exit 2, and nothing runs', async () => {
    const noisy = noisyRepo();
    const cases: Array<[string[], string]> = [
      [['--keep-rule', 'fast'], '--keep-rule is greedy, significant or pareto, got "fast"'],
      [['--keep-rule', 'significant', '--alpha', '2'], '--alpha must be a number between 0 and 1, got "2"'],
      [['--keep-rule', 'significant', '--alpha', 'x'], '--alpha must be a number between 0 and 1, got "x"'],
      [['--alpha', '0.1'], '--alpha belongs to --keep-rule significant'],
      [['--keep-rule', 'significant', '--min-effect', '-1'], '--min-effect must be a number of at least 0, got "-1"'],
      [['--keep-rule', 'significant', '--test', 't'], '--test is welch or mann-whitney, got "t"'],
      [['--keep-rule', 'significant', '--repeat', '1'], '--repeat must be at least 2 with --keep-rule significant (a test needs a spread), got "1"'],
      [['--keep-rule', 'pareto'], '--keep-rule pareto needs --metrics, e.g. score:higher,latency_ms:lower'],
      [['--metrics', 'score:higher,latency_ms:lower'], '--metrics belongs to --keep-rule pareto'],
      [['--keep-rule', 'pareto', '--metrics', 'score:higher'], '--metrics needs at least two metrics, e.g. score:higher,latency_ms:lower'],
      [['--keep-rule', 'pareto', '--metrics', 'score:higher,latency_ms:down'], '--metrics: "latency_ms:down" needs a direction, higher or lower (e.g. latency_ms:lower)'],
      [['--secondary', 'latency_ms'], '--secondary: "latency_ms" needs a direction, higher or lower (e.g. latency_ms:lower)'],
      [['--secondary', 'latency_ms:lower:max=5'], '--secondary: "max=5" must be max-regress=N% or max-regress=N'],
      [['--engine', 'pack', '--keep-rule', 'significant'], "--keep-rule belongs to the native engine; the pack engine keeps by loop.py's own rule"],
      [['--engine', 'pack', '--secondary', 'latency_ms:lower'], "--secondary belongs to the native engine; the pack engine keeps by loop.py's own rule"],
    ];
    for (const [flags, message] of cases) {
      const r = await cli([noisy.pack, '-p', 'gain.py', ...flags], noisy.repo);
      assert.equal(r.code, 2, flags.join(' '));
      assert.deepEqual(r.err, [`autoexp run: ${message}`], flags.join(' '));
    }
    assert.deepEqual(rows(noisy), [HEADER], 'nothing was logged');
    assert.equal(target(noisy), '0.500\n');
  });
});
