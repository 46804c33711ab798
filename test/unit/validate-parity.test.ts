/**
 * `autoexp validate ROOT` against the Python reference (test/reference/validate.py) on unusual trees:
 * nested experiments folders, symbolic links, unreadable program.md, missing ROOTs, sort order. Both
 * run as real processes on the same real folders; stdout and exit codes must match exactly, except
 * where the reference crashes (there ours exits 1 with a one-line finding instead).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { REPO_ROOT, packFiles, tempDir, writeTree } from './helpers';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');
const REFERENCE = path.join(REPO_ROOT, 'test', 'reference', 'validate.py');

type Result = { code: number | null; stdout: string; stderr: string };

function run(command: string, args: string[], cwd: string): Result {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Both validators on `args` from `cwd`; ours must print what the reference prints and exit as it does. */
function compare(args: string[], cwd: string): { ours: Result; theirs: Result } {
  const theirs = run('python3', [REFERENCE, ...args], cwd);
  const ours = run(process.execPath, [CLI, 'validate', ...args], cwd);
  assert.equal(ours.stdout, theirs.stdout, `stdout differs; the reference said:\n${theirs.stdout}${theirs.stderr}`);
  assert.equal(ours.code, theirs.code);
  return { ours, theirs };
}

before(() => {
  assert.ok(existsSync(CLI), 'dist/cli.cjs is built (npm run build)');
});

describe('an explicit ROOT is a pack or a folder of packs, never a search', () => {
  test('a root holding a pack and an atris/experiments deeper down: both are checked as folders', () => {
    const root = writeTree(tempDir(), { ...packFiles('solo'), ...packFiles('atris/experiments/inner') });
    const { ours } = compare([root], REPO_ROOT);
    assert.equal(
      ours.stdout,
      ['FAIL', ...['program.md', 'measure.py', 'loop.py', 'results.tsv'].map((f) => `- atris: missing required file ${f}`), ''].join('\n'),
    );
  });

  test('the experiments folder itself: its packs', () => {
    const root = writeTree(tempDir(), { ...packFiles('atris/experiments/one'), ...packFiles('atris/experiments/two') });
    const { ours } = compare([path.join(root, 'atris', 'experiments')], REPO_ROOT);
    assert.equal(ours.stdout, 'PASS: 2 experiment(s) valid\n- one\n- two\n');
  });

  test('with no ROOT, every atris/experiments under the current folder (ours only: the reference checks its own folder)', () => {
    const root = writeTree(tempDir(), { ...packFiles('atris/experiments/one'), ...packFiles('products/api/atris/experiments/two') });
    const ours = run(process.execPath, [CLI, 'validate'], root);
    assert.equal(ours.stdout, 'PASS: 2 experiment(s) valid\n- one\n- two\n');
    assert.equal(ours.code, 0);
  });
});

describe('symbolic links are followed as Python follows them', () => {
  test('a linked pack folder counts', () => {
    const root = tempDir();
    writeTree(root, { ...packFiles('elsewhere/linked'), ...packFiles('experiments/plain') });
    symlinkSync(path.join(root, 'elsewhere', 'linked'), path.join(root, 'experiments', 'linked'));
    const { ours } = compare([path.join(root, 'experiments')], REPO_ROOT);
    assert.equal(ours.stdout, 'PASS: 2 experiment(s) valid\n- linked\n- plain\n');
  });

  test('a linked program.md of 5,000 characters is too long', () => {
    const root = writeTree(tempDir(), { ...packFiles('experiments/demo'), 'long.md': 'x'.repeat(5000) });
    const program = path.join(root, 'experiments', 'demo', 'program.md');
    rmSync(program);
    symlinkSync(path.join(root, 'long.md'), program);
    const { ours } = compare([path.join(root, 'experiments')], REPO_ROOT);
    assert.equal(ours.stdout, 'FAIL\n- demo: program.md too long (5000 chars > 1200)\n');
  });

  test('a broken link to a required file is missing; a linked results.tsv is sized by its target', () => {
    const root = writeTree(tempDir(), {
      'experiments/demo/program.md': 'Do it.\n',
      'experiments/demo/measure.py': 'print(1)\n',
      'big.tsv': `a\tb\n${'1\t2\n'.repeat(20000)}`,
    });
    symlinkSync(path.join(root, 'nowhere.py'), path.join(root, 'experiments', 'demo', 'loop.py'));
    symlinkSync(path.join(root, 'big.tsv'), path.join(root, 'experiments', 'demo', 'results.tsv'));
    const { ours } = compare([path.join(root, 'experiments')], REPO_ROOT);
    assert.equal(ours.stdout, 'FAIL\n- demo: missing required file loop.py\n- demo: results.tsv too large (80004 bytes > 64000)\n');
  });

  test('a linked ROOT, and `.`, are named by the real folder', () => {
    const root = writeTree(tempDir(), packFiles('real-name'));
    symlinkSync(path.join(root, 'real-name'), path.join(root, 'link-name'));
    const { ours } = compare([path.join(root, 'link-name')], REPO_ROOT);
    assert.equal(ours.stdout, 'PASS: 1 experiment(s) valid\n- real-name\n');
    assert.equal(compare(['.'], path.join(root, 'real-name')).ours.stdout, 'PASS: 1 experiment(s) valid\n- real-name\n');
  });

  test('links starting with . or _ are skipped; a link to a file is not a pack', () => {
    const root = tempDir();
    writeTree(root, { ...packFiles('elsewhere/p'), 'experiments/notes.txt': 'x', ...packFiles('experiments/ok') });
    symlinkSync(path.join(root, 'elsewhere', 'p'), path.join(root, 'experiments', '_linked'));
    symlinkSync(path.join(root, 'elsewhere', 'p'), path.join(root, 'experiments', '.linked'));
    symlinkSync(path.join(root, 'experiments', 'notes.txt'), path.join(root, 'experiments', 'file-link'));
    const { ours } = compare([path.join(root, 'experiments')], REPO_ROOT);
    assert.equal(ours.stdout, 'PASS: 1 experiment(s) valid\n- ok\n');
  });
});

describe('a program.md the reference cannot read: exit 1 with one line, not a crash', () => {
  function crashCase(setup: (pack: string) => void, expected: string): void {
    const root = writeTree(tempDir(), packFiles('experiments/demo', { 'program.md': '' }));
    const pack = path.join(root, 'experiments', 'demo');
    rmSync(path.join(pack, 'program.md'));
    setup(pack);
    const theirs = run('python3', [REFERENCE, path.join(root, 'experiments')], REPO_ROOT);
    assert.equal(theirs.code, 1);
    assert.equal(theirs.stdout, '');
    assert.match(theirs.stderr, /^Traceback/);
    const ours = run(process.execPath, [CLI, 'validate', path.join(root, 'experiments')], REPO_ROOT);
    assert.equal(ours.code, 1);
    assert.equal(ours.stdout, `FAIL\n- ${expected}\n`);
    assert.equal(ours.stderr, '');
    const json = JSON.parse(run(process.execPath, [CLI, 'validate', path.join(root, 'experiments'), '--json'], REPO_ROOT).stdout);
    assert.equal(json.ok, false);
    assert.deepEqual(
      json.findings.filter((f: { severity: string }) => f.severity === 'error').map((f: { rule: string; message: string }) => [f.rule, f.message]),
      [['program-unreadable', expected]],
    );
  }

  test('program.md is a folder', () => {
    crashCase((pack) => mkdirSync(path.join(pack, 'program.md')), 'demo: program.md is a folder, not a file');
  });

  test('program.md is not UTF-8', () => {
    crashCase(
      (pack) => writeFileSync(path.join(pack, 'program.md'), Buffer.concat([Buffer.from('Improve the\nr'), Buffer.from([0xe9]), Buffer.from('sum\n')])),
      'demo: program.md is not UTF-8 text: byte 0xe9 on line 2 (offset 13); save it as UTF-8',
    );
  });

  test('program.md is a link to a folder', () => {
    crashCase((pack) => symlinkSync(path.dirname(pack), path.join(pack, 'program.md')), 'demo: program.md is a folder, not a file');
  });
});

describe('ROOT that is not a folder', () => {
  test('a missing ROOT: the reference line on stdout, exit 1, and why on stderr', () => {
    const missing = path.join(tempDir(), 'nowhere');
    const { ours } = compare([missing], REPO_ROOT);
    assert.equal(ours.stdout, 'FAIL: no experiments found\n');
    assert.equal(ours.stderr, `autoexp: ${missing}: no such folder\n`);
  });

  test('a file as ROOT, and an empty folder', () => {
    const root = writeTree(tempDir(), { 'file.txt': 'x', 'empty/.keep': '' });
    assert.equal(compare([path.join(root, 'file.txt')], REPO_ROOT).ours.stderr, `autoexp: ${path.join(root, 'file.txt')}: not a folder\n`);
    assert.equal(compare([path.join(root, 'empty')], REPO_ROOT).ours.stdout, 'FAIL: no experiments found\n');
  });
});

describe('order and odd names as Python has them', () => {
  test('sorted by code point: U+FF5E before U+1F600, which UTF-16 order reverses', () => {
    const root = writeTree(tempDir(), { ...packFiles('x\u{1F600}'), ...packFiles('x\uFF5E'), ...packFiles('x-b'), ...packFiles('X') });
    const { ours } = compare([root], REPO_ROOT);
    assert.equal(
      ours.stdout,
      [
        'FAIL',
        '- X: invalid folder name, use lowercase-hyphen slug',
        '- x\uFF5E: invalid folder name, use lowercase-hyphen slug',
        '- x\u{1F600}: invalid folder name, use lowercase-hyphen slug',
        '',
      ].join('\n'),
    );
  });

  test('a results.tsv that is a folder is sized as a folder, as the reference does', () => {
    const root = writeTree(tempDir(), { ...packFiles('demo', { 'results.tsv': '' }) });
    rmSync(path.join(root, 'demo', 'results.tsv'));
    mkdirSync(path.join(root, 'demo', 'results.tsv'));
    const { ours } = compare([root], REPO_ROOT);
    assert.equal(ours.stdout, 'PASS: 1 experiment(s) valid\n- demo\n');
  });
});

describe('--json', () => {
  test('ok is false, and the exit 1, when any finding is an error, even one validate.py does not check', () => {
    const root = writeTree(tempDir(), packFiles('demo', { 'measure.py': 'score = 1\n' }));
    assert.equal(run(process.execPath, [CLI, 'validate', root], REPO_ROOT).code, 0);
    const r = run(process.execPath, [CLI, 'validate', root, '--json'], REPO_ROOT);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.stdout);
    assert.equal(json.ok, false);
    assert.deepEqual(json.packs.map((p: { slug: string; valid: boolean }) => [p.slug, p.valid]), [['demo', false]]);
    assert.deepEqual(json.findings.map((f: { rule: string }) => f.rule), ['measure-never-prints']);
  });
});

test('validate --help says how ROOT is read, and what happens without one', () => {
  const r = run(process.execPath, [CLI, 'validate', '--help'], REPO_ROOT);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^usage: autoexp validate \[ROOT\] \[--json\]\n\nROOT is read as validate\.py reads it: /);
  assert.match(r.stdout, /Without ROOT: the current folder if it is\na pack, else every atris\/experiments folder below it\./);
});
