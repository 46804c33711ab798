/**
 * Inline diffs in `autoexp run` and the `autoexp diff` command, as users run them: the bundled
 * dist/cli.cjs in a real process on a copy of the smoke pack in a git repository, real Python. The
 * terminal cases run the CLI under a real pseudo-terminal (Python's pty module).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { REPO_ROOT } from './helpers';
import { smokeRepo } from './support/smokeRepo';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');
/** The environment without colour settings of the machine running the tests. */
const { NO_COLOR: _n, FORCE_COLOR: _f, ...PLAIN_ENV } = process.env;

function autoexp(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...PLAIN_ENV, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI with a terminal as its stdout; what the terminal received. */
function inTerminal(args: string[], cwd: string, env: Record<string, string> = {}) {
  const spawnPty = 'import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)';
  const r = spawnSync('python3', ['-c', spawnPty, process.execPath, CLI, ...args], { cwd, encoding: 'utf8', env: { ...PLAIN_ENV, ...env } });
  return { code: r.status, output: r.stdout.replace(/\r\n/g, '\n') };
}

const REVERTED_DIFF = [
  '  @@ -1,3 +1,2 @@',
  '   def count_words(text):',
  '  -    # Splits on single spaces only: repeated spaces, newlines and empty text miscount.',
  '  -    return len(text.split(" "))',
  "  +    return text.count(' ') + 1",
];
const KEPT_DIFF = [
  '  @@ -1,3 +1,2 @@',
  '   def count_words(text):',
  '  -    # Splits on single spaces only: repeated spaces, newlines and empty text miscount.',
  '  -    return len(text.split(" "))',
  '  +    return len(text.split())',
];

function journalRun(pack: string): string {
  return JSON.parse(autoexp(['results', '.', '--json'], pack).stdout).journal.at(-1).id;
}

before(() => {
  assert.ok(existsSync(CLI), 'dist/cli.cjs is built (npm run build)');
});

describe('autoexp run: each trial line is followed by its diff', () => {
  test('pack engine: loop.py\'s lines unchanged, the reverted and the kept candidate\'s diffs under them', () => {
    const { pack } = smokeRepo();
    const r = autoexp(['run', '.', '-p', 'bad_patch.py', '-p', 'fix_patch.py'], pack);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      ['BASELINE 0.2000', 'TRIAL 1 REVERTED score=0.2000 proposal=bad_patch.py', ...REVERTED_DIFF, 'TRIAL 2 KEPT score=1.0000 proposal=fix_patch.py', ...KEPT_DIFF, 'FINAL 1.0000', ''].join('\n'),
    );
  });

  test('native engine: the same diffs under its own trial lines', () => {
    const { pack } = smokeRepo();
    const r = autoexp(['run', '.', '-p', 'bad_patch.py', '-p', 'fix_patch.py', '--engine', 'native'], pack);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const at = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));
    assert.deepEqual(lines.slice(at('TRIAL 1') + 1, at('TRIAL 1') + 6), REVERTED_DIFF);
    assert.deepEqual(lines.slice(at('TRIAL 2') + 1, at('TRIAL 2') + 6), KEPT_DIFF);
  });

  test('--no-diff: only the loop\'s own lines', () => {
    const { pack } = smokeRepo();
    const r = autoexp(['run', '.', '-p', 'bad_patch.py', '--no-diff'], pack);
    assert.equal(r.stdout, 'BASELINE 0.2000\nTRIAL 1 REVERTED score=0.2000 proposal=bad_patch.py\nFINAL 0.2000\n');
  });

  test('colour in a terminal; none with NO_COLOR; none when piped unless FORCE_COLOR', () => {
    const { pack } = smokeRepo();
    const args = ['run', '.', '-p', 'bad_patch.py'];
    const terminal = inTerminal(args, pack);
    assert.equal(terminal.code, 0, terminal.output);
    assert.ok(terminal.output.includes('\x1b[2mTRIAL 1 REVERTED score=0.2000 proposal=bad_patch.py\x1b[0m\n'), terminal.output);
    assert.ok(terminal.output.includes("  \x1b[32m+    return text.count(' ') + 1\x1b[0m\n"), terminal.output);
    assert.ok(terminal.output.includes('  \x1b[31m-    return len(text.split(" "))\x1b[0m\n'), terminal.output);

    const noColor = inTerminal(args, pack, { NO_COLOR: '1' });
    assert.equal(noColor.code, 0, noColor.output);
    assert.ok(noColor.output.includes("  +    return text.count(' ') + 1\n"), noColor.output);
    assert.ok(!noColor.output.includes('\x1b['), noColor.output);

    const piped = autoexp(args, pack);
    assert.ok(piped.stdout.includes("  +    return text.count(' ') + 1\n"));
    assert.ok(!piped.stdout.includes('\x1b['));
    const forced = autoexp(args, pack, { FORCE_COLOR: '1' });
    assert.ok(forced.stdout.includes("  \x1b[32m+    return text.count(' ') + 1\x1b[0m\n"), forced.stdout);
  });

  test('a long diff stops at 40 lines, and autoexp diff prints all of it', () => {
    const { pack } = smokeRepo();
    const body = Array.from({ length: 60 }, (_, i) => `    # note ${i}`).join('\\n');
    writeFileSync(path.join(pack, 'proposals', 'long_patch.py'), `import os\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("def count_words(text):\\n${body}\\n    return len(text.split())\\n")\n`);
    const r = autoexp(['run', '.', '-p', 'long_patch.py'], pack);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const shown = lines.slice(lines.indexOf('TRIAL 1 KEPT score=1.0000 proposal=long_patch.py') + 1, lines.indexOf('FINAL 1.0000'));
    assert.equal(shown.length, 41);
    assert.equal(shown[39], '  +    # note 35');
    // 1 hunk line, 1 context line, 2 removed, 61 added: 65 lines, 40 shown.
    assert.equal(shown[40], '  … 25 more lines; see them all: autoexp diff . 1');
    const all = autoexp(['diff', '.', '1'], pack);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout.split('\n').length, 3 + 65 + 1);
    assert.equal(all.stdout.split('\n').at(-2), '+    return len(text.split())');
  });
});

describe('autoexp autopilot prints through the same path', () => {
  test('the scripted agent\'s reverted candidate: its diff under its TRIAL line; none with --no-diff', () => {
    const agent = ['--agent-command', `python3 ${path.join(REPO_ROOT, 'test', 'fixtures', 'agents', 'scripted_agent.py')}`, '--max-trials', '1'];
    const { pack } = smokeRepo();
    const r = autoexp(['autopilot', '.', ...agent], pack, { SCRIPTED_PLAN: 'bad' });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const at = lines.indexOf('TRIAL 1 REVERTED score=0.2000 proposal=0001-trial-1-bad.py');
    assert.deepEqual(lines.slice(at + 1, at + 6), [...REVERTED_DIFF.slice(0, 4), '  +    return 0']);
    const quiet = autoexp(['autopilot', '.', ...agent, '--no-diff'], smokeRepo().pack, { SCRIPTED_PLAN: 'bad' });
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.ok(!quiet.stdout.includes('@@'), quiet.stdout);
  });
});

describe('autoexp diff', () => {
  test('one trial: a header line, then the unified diff of the target before it and its candidate', () => {
    const { pack } = smokeRepo();
    assert.equal(autoexp(['run', '.', '-p', 'bad_patch.py', '-p', 'fix_patch.py', '--no-diff'], pack).code, 0);
    const run = journalRun(pack);
    const r = autoexp(['diff', '.', '1'], pack);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        `smoke-keep-revert · trial 1 · REVERTED · 0.2000 → 0.2000 · bad_patch.py · run ${run}`,
        '--- candidate.py (before trial 1)',
        '+++ candidate.py (trial 1 candidate)',
        ...REVERTED_DIFF.map((l) => l.slice(2)),
        '',
      ].join('\n'),
    );
    assert.equal(autoexp(['diff', '.', `${run}:1`], pack).stdout, r.stdout, 'RUN:N names the same trial');
    assert.equal(autoexp(['diff', '.', `${run.slice(0, 12)}:1`], pack).stdout, r.stdout, 'a unique start of the run id is enough');
  });

  test('two trials: both headers, then the first candidate against the second', () => {
    const { pack } = smokeRepo();
    assert.equal(autoexp(['run', '.', '-p', 'bad_patch.py', '-p', 'fix_patch.py', '--no-diff'], pack).code, 0);
    const run = journalRun(pack);
    const r = autoexp(['diff', '.', '1', `${run}:2`], pack);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        `smoke-keep-revert · trial 1 · REVERTED · 0.2000 → 0.2000 · bad_patch.py · run ${run}`,
        `smoke-keep-revert · trial 2 · KEPT · 0.2000 → 1.0000 · fix_patch.py · run ${run}`,
        '--- candidate.py (trial 1 candidate)',
        '+++ candidate.py (trial 2 candidate)',
        '@@ -1,2 +1,2 @@',
        ' def count_words(text):',
        "-    return text.count(' ') + 1",
        '+    return len(text.split())',
        '',
      ].join('\n'),
    );
  });

  test('a trial the journal never saw is a one-line error naming Reconstruct Diff; bad usage is exit 2', () => {
    const { pack } = smokeRepo();
    const none = autoexp(['diff', '.', '1'], pack);
    assert.equal(none.code, 1);
    assert.equal(none.stdout, '');
    assert.equal(none.stderr, 'autoexp: smoke-keep-revert: 1: the run journal holds no trial of it; a trial logged outside Autoexp can be replayed with Reconstruct Diff in VS Code\n');
    assert.equal(autoexp(['run', '.', '-p', 'bad_patch.py', '--no-diff'], pack).code, 0);
    const missing = autoexp(['diff', '.', '3'], pack);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^autoexp: smoke-keep-revert: 3: run \S+ \(trials 1–1\) recorded no trial 3; a trial logged outside Autoexp can be replayed with Reconstruct Diff in VS Code\n$/);
    const usage: Array<[string[], RegExp]> = [
      [['diff', '.'], /^autoexp diff: expected PACK and one or two trials \(N or RUN:N\), got 1 argument\(s\)\n$/],
      [['diff', '.', 'two'], /^autoexp diff: "two" is not a trial; use N or RUN:N, N a trial number from 1\n$/],
      [['diff', '.', '0'], /"0" is not a trial/],
    ];
    for (const [args, stderr] of usage) {
      const r = autoexp(args, pack);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, stderr);
    }
  });

  test('colour on a terminal: the header by status, removed lines red, added green', () => {
    const { pack } = smokeRepo();
    assert.equal(autoexp(['run', '.', '-p', 'fix_patch.py', '--no-diff'], pack).code, 0);
    const { output } = inTerminal(['diff', '.', '1'], pack);
    assert.match(output, /^\x1b\[32msmoke-keep-revert · trial 1 · KEPT · 0\.2000 → 1\.0000 · fix_patch\.py · run \S+\x1b\[0m\n/);
    assert.ok(output.includes('\x1b[31m-    return len(text.split(" "))\x1b[0m\n'), output);
    assert.ok(output.includes('\x1b[32m+    return len(text.split())\x1b[0m\n'), output);
  });
});
