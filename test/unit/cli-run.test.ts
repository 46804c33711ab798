/**
 * `autoexp run` as users run it: the bundled dist/cli.cjs in a real process on a copy of the smoke
 * pack in a git repository, real Python; Ctrl+C and the terminal's hang-up as real signals.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { REPO_ROOT, writeTree } from './helpers';
import { BASELINE, FIXED, HEADER, smokeRepo } from './support/smokeRepo';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function autoexp(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  assert.ok(existsSync(CLI), 'dist/cli.cjs is built (npm run build)');
});

describe('autoexp run', () => {
  test('native engine: the loop.py protocol lines, exit 0, and results --json carries the journal', () => {
    const { pack } = smokeRepo();
    const r = autoexp(['run', '.', '--proposal', 'bad_patch.py', '-p', 'proposals/fix_patch.py', '--engine', 'native'], pack);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').filter((l) => /^(BASELINE|TRIAL|FINAL)/.test(l)), [
      'BASELINE 0.2000',
      'TRIAL 1 REVERTED score=0.2000 proposal=bad_patch.py',
      'TRIAL 2 KEPT score=1.0000 proposal=fix_patch.py',
      'FINAL 1.0000',
    ]);
    const results = JSON.parse(autoexp(['results', '.', '--json'], pack).stdout);
    assert.equal(results.counts.kept, 1);
    assert.equal(results.journal.length, 1);
    assert.deepEqual(
      results.journal[0].trials.map((t: { proposal: string; status: string; newScore: number }) => [t.proposal, t.status, t.newScore]),
      [
        ['bad_patch.py', 'reverted', 0.2],
        ['fix_patch.py', 'kept', 1],
      ],
    );
  });

  test('pack engine: loop.py\'s own output reaches the terminal unchanged', () => {
    const { pack } = smokeRepo();
    const r = autoexp(['run', pack, '-p', 'bad_patch.py', '-p', 'fix_patch.py', '--no-diff'], REPO_ROOT);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'BASELINE 0.2000\nTRIAL 1 REVERTED score=0.2000 proposal=bad_patch.py\nTRIAL 2 KEPT score=1.0000 proposal=fix_patch.py\nFINAL 1.0000\n');
    assert.equal(readFileSync(path.join(pack, 'candidate.py'), 'utf8'), FIXED);
  });

  test('bad usage is exit 2 with one line naming the problem', () => {
    const { pack } = smokeRepo();
    const cases: Array<[string[], number, RegExp]> = [
      [['run', pack, '-p', 'fix_patch.py', '--engine', 'fast'], 2, /^autoexp run: --engine is pack or native, got "fast"\n$/],
      [['run', pack, '-p', 'fix_patch.py', '--repeat', '0'], 2, /^autoexp run: --repeat must be a whole number of at least 1, got "0"\n$/],
      [['run', pack, '-p', 'fix_patch.py', '--engine', 'pack', '--margin', '0.1'], 2, /--repeat, --margin and --direction belong to the native engine/],
      [['run', pack], 2, /: no proposal to run; name one or more \(--proposal P\)\n$/],
      [['run', pack, '-p', 'nope.py'], 1, new RegExp(`^autoexp: nope\\.py: proposal not found \\(looked in ${escape(REPO_ROOT)}, ${escape(pack)}, ${escape(path.join(pack, 'proposals'))}\\)\n$`)],
    ];
    for (const [args, code, stderr] of cases) {
      const r = autoexp(args, REPO_ROOT);
      assert.equal(r.code, code, args.join(' '));
      assert.match(r.stderr, stderr, args.join(' '));
    }
    assert.equal(readFileSync(path.join(pack, 'results.tsv'), 'utf8').split('\n').length, 2, 'nothing was logged');
  });

  test('reset without reset.py restores the oldest snapshot the journal holds, and says so', () => {
    const { pack } = smokeRepo();
    unlinkSync(path.join(pack, 'reset.py'));
    const none = autoexp(['reset', pack], REPO_ROOT);
    assert.equal(none.code, 1);
    assert.equal(none.stderr, `autoexp: ${path.join(pack, 'reset.py')}: not found, and the run journal holds no snapshot of the target to restore; nothing was changed\n`);
    assert.equal(autoexp(['run', pack, '-p', 'fix_patch.py', '--engine', 'native'], REPO_ROOT).code, 0);
    assert.equal(readFileSync(path.join(pack, 'candidate.py'), 'utf8'), FIXED);
    const reset = autoexp(['reset', pack], REPO_ROOT);
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(reset.stdout, new RegExp(`^restored ${escape(path.join(pack, 'candidate.py'))} from the run journal \\(the state before trial 1 of run \\S+\\); this pack has no reset\\.py\n$`));
    assert.equal(readFileSync(path.join(pack, 'candidate.py'), 'utf8'), BASELINE);
  });

  for (const signal of ['SIGINT', 'SIGHUP', 'SIGTERM'] as const) {
    test(`${signal} mid-trial: exit 130 without waiting for the proposal, the target restored`, async () => {
      const { pack } = smokeRepo();
      const child = spawn(process.execPath, [CLI, 'run', pack, '-p', 'hang.py'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const target = path.join(pack, 'candidate.py');
      const deadline = Date.now() + 30_000;
      while (readFileSync(target, 'utf8') !== 'half-written\n' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      const sentAt = performance.now();
      child.kill(signal);
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      const elapsed = performance.now() - sentAt;
      assert.equal(code, 130, stderr);
      // The proposal sleeps an hour: a bound far above the 1 s grace, so load cannot fail it.
      assert.ok(elapsed < 15_000, `stopped in ${Math.round(elapsed)} ms`);
      assert.equal(readFileSync(target, 'utf8'), BASELINE);
      assert.match(stderr, /smoke-keep-revert: cancelled\n$/);
    });
  }
});

describe('autoexp run finds a relative proposal where loop.py does: the working folder first, then the pack and proposals/', () => {
  const PACK = path.join('atris', 'experiments', 'smoke-keep-revert');
  const TRIALS = 'BASELINE 0.2000\nTRIAL 1 REVERTED score=0.2000 proposal=bad_patch.py\nTRIAL 2 KEPT score=1.0000 proposal=fix_patch.py\nFINAL 1.0000\n';
  const descriptions = (pack: string) => readFileSync(path.join(pack, 'results.tsv'), 'utf8').trimEnd().split('\n').slice(1).map((row) => row.split('\t')[6]);

  for (const engine of ['pack', 'native']) {
    test(`${engine} engine, from the repository root: paths from the root`, () => {
      const { repo, pack } = smokeRepo();
      const r = autoexp(['run', PACK, '-p', path.join(PACK, 'proposals', 'bad_patch.py'), '-p', path.join(PACK, 'proposals', 'fix_patch.py'), '--engine', engine], repo);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.split('\n').filter((l) => /^(BASELINE|TRIAL|FINAL)/.test(l)).join('\n') + '\n', TRIALS);
      assert.equal(readFileSync(path.join(pack, 'candidate.py'), 'utf8'), FIXED);
    });

    test(`${engine} engine, from inside the pack: a path from the pack and a bare name`, () => {
      const { pack } = smokeRepo();
      const r = autoexp(['run', '.', '-p', path.join('proposals', 'bad_patch.py'), '-p', 'fix_patch.py', '--engine', engine], pack);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.split('\n').filter((l) => /^(BASELINE|TRIAL|FINAL)/.test(l)).join('\n') + '\n', TRIALS);
    });
  }

  test('a name found in the working folder wins over the pack\'s proposal of that name, as in loop.py', () => {
    const { repo, pack } = smokeRepo();
    writeTree(repo, { 'fix_patch.py': 'import os\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("def count_words(text):\\n    return len(text.split())\\n")\nprint("the copy in the repository root")\n' });
    const r = autoexp(['run', PACK, '-p', 'fix_patch.py'], repo);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(descriptions(pack), ['the copy in the repository root']);
  });
});

describe('autoexp run --engine native writes rows in the log\'s own dialect', () => {
  test('a CRLF log with Python timestamps gets CRLF rows with Python timestamps and four digits', () => {
    const { pack } = smokeRepo();
    const log = path.join(pack, 'results.tsv');
    const old = `${HEADER}\r\n2026-03-11T11:05:17.887045+00:00\t1\treverted\t0.2000\t0.2000\tbad_patch.py\tapplied bad proposal\r\n`;
    writeFileSync(log, old);
    const r = autoexp(['run', '.', '-p', 'bad_patch.py', '-p', 'fix_patch.py', '--engine', 'native'], pack);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(log, 'utf8');
    assert.equal(text.slice(0, old.length), old);
    const stamp = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00';
    assert.match(
      text.slice(old.length),
      new RegExp(`^${stamp}\\t1\\treverted\\t0\\.2000\\t0\\.2000\\tbad_patch\\.py\\tapplied bad proposal: count spaces plus one\\r\\n${stamp}\\t2\\tkept\\t0\\.2000\\t1\\.0000\\tfix_patch\\.py\\tapplied good proposal: split on whitespace\\r\\n$`),
    );
  });
});
