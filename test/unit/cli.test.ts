/**
 * The `autoexp` command line, run as users run it: the bundled dist/cli.cjs in a real process
 * (`npm test` builds it first), real folders, real Python.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { REPO_ROOT, packFiles, tempDir, writeTree } from './helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');

function autoexp(args: string[], cwd = REPO_ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function reference(root: string) {
  const r = spawnSync('python3', [path.join(REPO_ROOT, 'test', 'reference', 'validate.py'), root], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout };
}

before(() => {
  assert.ok(existsSync(CLI), 'dist/cli.cjs is built (npm run build)');
});

describe('autoexp validate matches the reference validator', () => {
  const trees: Record<string, Record<string, string>> = {
    'two valid packs': { ...packFiles('alpha'), ...packFiles('beta-two') },
    'every reference rule at once': {
      ...packFiles('Bad_Slug'),
      'missing-bits/program.md': 'Do it.\n',
      'missing-bits/results.tsv': 'a\tb\n',
      ...packFiles('long-program', { 'program.md': `${'word '.repeat(300)}\r\n` }),
      ...packFiles('big-log', { 'results.tsv': `timestamp\ttrial\tstatus\n${'2026\t1\tkept\n'.repeat(5000)}` }),
      '_examples/ignored/program.md': 'x',
      '.hidden/loop.py': 'x',
    },
    'no packs at all': { 'README.md': 'nothing here' },
    'the root is one pack': packFiles(''),
  };
  for (const [name, files] of Object.entries(trees)) {
    test(name, () => {
      const root = writeTree(tempDir(), files);
      const ours = autoexp(['validate', root]);
      const theirs = reference(root);
      assert.equal(ours.stdout, theirs.stdout);
      assert.equal(ours.code, theirs.code);
    });
  }

  test('the exact lines for every rule', () => {
    const root = writeTree(tempDir(), {
      ...packFiles('Bad_Slug'),
      ...packFiles('long-program', { 'program.md': 'x'.repeat(1500) }),
      'missing-bits/program.md': 'Do it.\n',
    });
    const r = autoexp(['validate', root]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      [
        'FAIL',
        '- Bad_Slug: invalid folder name, use lowercase-hyphen slug',
        '- long-program: program.md too long (1500 chars > 1200)',
        '- missing-bits: missing required file measure.py',
        '- missing-bits: missing required file loop.py',
        '- missing-bits: missing required file results.tsv',
        '',
      ].join('\n'),
    );
  });

  test('--json gives rule ids, severities, files and positions', () => {
    const root = writeTree(tempDir(), packFiles('long-program', { 'program.md': `${'a'.repeat(1000)}\n${'b'.repeat(500)}` }));
    const r = autoexp(['validate', root, '--json']);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    assert.equal(json.ok, false);
    assert.deepEqual(json.findings, [
      {
        pack: 'long-program',
        rule: 'program-too-long',
        severity: 'error',
        message: 'long-program: program.md too long (1501 chars > 1200)',
        file: path.join(root, 'long-program', 'program.md'),
        line: 2,
        column: 200,
        endLine: 2,
        endColumn: 501,
      },
    ]);
  });

  test('a missing ROOT: the reference line, exit 1, and a one-line hint naming it on stderr', () => {
    const r = autoexp(['validate', '/nonexistent/experiments']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'autoexp: /nonexistent/experiments: no such folder\n');
    assert.equal(r.stdout, 'FAIL: no experiments found\n');
  });
});

describe('usage errors exit 2 with one line', () => {
  const cases: Array<[string[], RegExp]> = [
    [['frobnicate'], /^autoexp: unknown command "frobnicate"/],
    [['validate', '--nope'], /^autoexp validate: Unknown option '--nope'/],
    [['results', 'a', 'b'], /^autoexp results: expected one PACK, got 2/],
    [['results'], /^autoexp results: missing PACK/],
    [['measure', '.', '--timeout', 'soon'], /^autoexp measure: --timeout must be a positive number of seconds, got "soon"/],
    [['new', 'Not_A_Slug'], /^autoexp: Not_A_Slug: "Not_A_Slug" is not a lowercase-hyphen slug/],
  ];
  for (const [args, message] of cases) {
    test(args.join(' '), () => {
      const r = autoexp(args, tempDir());
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    });
  }
});

describe('autoexp results', () => {
  const pack = () =>
    writeTree(
      tempDir(),
      packFiles('p', {
        'results.tsv':
          'timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription\n' +
          '2026-01-01T00:00:00Z\t1\treverted\t0.2000\t0.1000\tbad.py\tapplied bad, "quoted" | piped\n' +
          '2026-01-01T00:00:01Z\t2\tkept\t0.2000\t0.9000\tfix.py\tapplied fix\n',
      }),
    );

  test('--json: runs, trials, statuses, scores and best so far', () => {
    const r = autoexp(['results', path.join(pack(), 'p'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.runs.length, 1);
    assert.deepEqual(
      json.runs[0].trials.map((t: { status: string; score: number; bestSoFar: number }) => [t.status, t.score, t.bestSoFar]),
      [
        ['reverted', 0.1, 0.2],
        ['kept', 0.9, 0.9],
      ],
    );
    assert.deepEqual(json.best, { score: 0.9, trial: 1 });
  });

  test('text, --csv and --md', () => {
    const dir = path.join(pack(), 'p');
    const text = autoexp(['results', dir]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /1 run\(s\), 2 trial\(s\): 1 kept, 1 reverted, 0 error/);
    assert.match(text.stdout, /metric: new_score \(↑ higher is better\) · baseline 0\.2000 · best 0\.9000/);
    assert.match(text.stdout, /\n +2 {2}KEPT +0\.2000 → 0\.9000 +best 0\.9000 {2}fix\.py {2}applied fix\n/);
    const csv = autoexp(['results', dir, '--csv']);
    assert.match(csv.stdout, /"applied bad, ""quoted"" \| piped"/);
    const md = autoexp(['results', dir, '--md']);
    assert.match(md.stdout, /applied bad, "quoted" \\\| piped/);
  });

  test('each run\'s heading names it once; a run column\'s id follows the number', () => {
    const text = autoexp(['results', path.join(pack(), 'p')]);
    assert.equal(text.stdout.split('\n').filter((l) => l.startsWith('run ')).join('|'), 'run 1');
    const withRuns = writeTree(tempDir(), packFiles('p', { 'results.tsv': 'run\ttrial\tstatus\tscore\nr-a\t1\tkept\t0.5\nr-b\t1\treverted\t0.4\n' }));
    const two = autoexp(['results', path.join(withRuns, 'p')]);
    assert.equal(two.stdout.split('\n').filter((l) => l.startsWith('run ')).join('|'), 'run 1 · r-a|run 2 · r-b');
  });

  test('a header-only log: --json gives baseline and best as null, no runs', () => {
    const root = writeTree(tempDir(), packFiles('p'));
    const r = autoexp(['results', path.join(root, 'p'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual([json.baseline, json.best, json.metric, json.runs, json.counts.kept], [null, null, 'new_score', [], 0]);
    const statusOnly = writeTree(tempDir(), packFiles('p', { 'results.tsv': 'timestamp\tdecision\tnote\n' }));
    assert.equal(JSON.parse(autoexp(['results', path.join(statusOnly, 'p'), '--json']).stdout).metric, null);
  });

  test('a binary log is refused with one line, exit 1', () => {
    const root = writeTree(tempDir(), packFiles('p'));
    writeFileSync(path.join(root, 'p', 'results.tsv'), Buffer.from([0x74, 0x00, 0x01, 0x02]));
    const r = autoexp(['results', path.join(root, 'p')]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `autoexp: ${path.join(root, 'p', 'results.tsv')}: holds binary data, not a tab-separated results log\n`);
  });

  test('a 200 MB log is refused before it is read, exit 1', () => {
    const root = writeTree(tempDir(), packFiles('p'));
    const log = path.join(root, 'p', 'results.tsv');
    truncateSync(log, 200 * 1024 * 1024); // sparse: costs no disk
    const r = autoexp(['results', path.join(root, 'p')]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `autoexp: ${log}: too large to read (200.0 MB > 64.0 MB); archive old rows first\n`);
    assert.equal(r.stdout, '');
  });

  test('a folder that is not a pack is refused, exit 1', () => {
    const dir = tempDir();
    const r = autoexp(['results', dir]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `autoexp: ${dir}: not a pack (it holds none of program.md, measure.py, loop.py, results.tsv)\n`);
  });
});

describe('autoexp measure, reset and new with real Python', () => {
  test('measure prints the score; --json the payload', () => {
    const root = writeTree(tempDir(), packFiles('p', { 'measure.py': 'import json\nprint("warming up")\nprint(json.dumps({"score": 0.25, "passed": 1, "total": 4}))\n' }));
    const r = autoexp(['measure', path.join(root, 'p')]);
    assert.equal(r.stdout, 'score: 0.2500\n');
    const json = JSON.parse(autoexp(['measure', path.join(root, 'p'), '--json']).stdout);
    assert.deepEqual(json.payload, { score: 0.25, passed: 1, total: 4 });
  });

  test('a hanging measure.py is stopped at --timeout: one line, exit 1, nothing written', () => {
    const root = writeTree(tempDir(), packFiles('p', { 'measure.py': 'import time\ntime.sleep(30)\n' }));
    const before = readdirSync(path.join(root, 'p')).sort();
    const r = autoexp(['measure', path.join(root, 'p'), '--timeout', '0.5']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'autoexp: p/measure.py did not finish within 1 s and was stopped\n');
    assert.deepEqual(readdirSync(path.join(root, 'p')).sort(), before);
  });

  test('a --python that does not start is named', () => {
    const root = writeTree(tempDir(), packFiles('p'));
    const r = autoexp(['measure', path.join(root, 'p'), '--python', '/opt/none/python3']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'autoexp: /opt/none/python3: this Python does not start (check autoexp.pythonPath or --python)\n');
  });

  test('reset runs reset.py; without one it says why', () => {
    const root = writeTree(
      tempDir(),
      packFiles('p', { 'reset.py': 'from pathlib import Path\nPath(__file__).with_name("candidate.txt").write_text("baseline\\n")\nprint("restored candidate.txt")\n' }),
    );
    writeFileSync(path.join(root, 'p', 'candidate.txt'), 'changed\n');
    const r = autoexp(['reset', path.join(root, 'p')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'restored candidate.txt\n');
    assert.equal(readFileSync(path.join(root, 'p', 'candidate.txt'), 'utf8'), 'baseline\n');
    const bare = writeTree(tempDir(), packFiles('q'));
    unlinkSync(path.join(bare, 'q', 'reset.py'));
    const none = autoexp(['reset', path.join(bare, 'q')]);
    assert.equal(none.code, 1);
    assert.equal(none.stderr, `autoexp: ${path.join(bare, 'q', 'reset.py')}: not found, and the run journal holds no snapshot of the target to restore; nothing was changed\n`);
  });

  test('new creates a pack from the template that validates, and refuses an existing slug', () => {
    const root = tempDir();
    const r = autoexp(['new', 'word-count', '--root', root], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'created atris/experiments/word-count\n');
    const dir = path.join(root, 'atris', 'experiments', 'word-count');
    assert.ok(!readFileSync(path.join(dir, 'program.md'), 'utf8').includes('{{slug}}'));
    assert.equal(autoexp(['validate'], root).stdout, 'PASS: 1 experiment(s) valid\n- word-count\n');
    const again = autoexp(['new', 'word-count', '--root', root], root);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, `autoexp: ${dir}: already exists; choose another slug\n`);
    assert.deepEqual(readdirSync(path.join(root, 'atris', 'experiments')), ['word-count']);
  });
});
