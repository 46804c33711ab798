import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { findExperimentsFolders, listExperimentsFolder, packsToValidate, referencePacks } from '../../src/core/discovery';
import { byCodePoint } from '../../src/core/folderEntries';
import { lineCrossingByteLimit } from '../../src/core/validation/referenceRules';
import { APPEND_ONLY_UNCHECKED_RULE, referenceReport, validatePack, validatePacks } from '../../src/core/validation/validate';
import { packFiles, tempDir, writeTree } from './helpers';

async function findingsOf(files: Record<string, string>, slug = 'demo') {
  const root = writeTree(tempDir(), Object.fromEntries(Object.entries(files).map(([k, v]) => [path.join(slug, k), v])));
  const dir = path.join(root, slug);
  return { dir, report: await validatePack({ dir, slug, kind: 'pack', experimentsDir: root }) };
}

const full = (overrides: Record<string, string> = {}) => packFiles('', overrides);

describe('reference rules', () => {
  test('a complete pack has no findings', async () => {
    const { report } = await findingsOf(full());
    assert.deepEqual(report.findings, []);
  });

  test('bad slug: on the first line of program.md', async () => {
    const { dir, report } = await findingsOf(full(), 'Bad_Slug');
    assert.deepEqual(report.findings, [
      {
        rule: 'invalid-slug',
        severity: 'error',
        message: 'Bad_Slug: invalid folder name, use lowercase-hyphen slug',
        file: path.join(dir, 'program.md'),
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
      },
    ]);
  });

  test('missing files: one finding each, in validate.py order, on the first file present', async () => {
    const { dir, report } = await findingsOf({ 'results.tsv': 'a\n', 'notes.txt': 'x' });
    assert.deepEqual(
      report.findings.map((f) => [f.message, f.file]),
      [
        ['demo: missing required file program.md', path.join(dir, 'results.tsv')],
        ['demo: missing required file measure.py', path.join(dir, 'results.tsv')],
        ['demo: missing required file loop.py', path.join(dir, 'results.tsv')],
      ],
    );
  });

  test('program.md over 1200 characters: from character 1201 to the end', async () => {
    const program = `${'a'.repeat(99)}\n${'b'.repeat(1000)}\n${'c'.repeat(300)}\n`; // 1402 chars; char 1201 is line 3, column 100
    const { report } = await findingsOf(full({ 'program.md': program }));
    assert.equal(report.findings.length, 1);
    const [f] = report.findings;
    assert.equal(f.message, 'demo: program.md too long (1402 chars > 1200)');
    assert.deepEqual([f.line, f.column, f.endLine, f.endColumn], [3, 100, 4, 1]);
  });

  test('program.md length counts characters as Python reads them: CRLF is one, é is one', async () => {
    const program = 'é'.repeat(600) + '\r\n'.repeat(600); // 1200 Python chars, 1800 UTF-16 units
    const { report } = await findingsOf(full({ 'program.md': program }));
    assert.deepEqual(report.findings, []);
    const { report: over } = await findingsOf(full({ 'program.md': `${program}!` }));
    assert.equal(over.findings[0].message, 'demo: program.md too long (1201 chars > 1200)');
    assert.deepEqual([over.findings[0].line, over.findings[0].column], [601, 1]);
  });

  test('results.tsv over 64,000 bytes: from the row that crosses the limit', async () => {
    const row = `2026-01-01T00:00:00Z\t1\tkept\t0.1\t0.2\tp.py\t${'x'.repeat(58)}\n`; // 100 bytes
    const header = 'timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription\n'; // 64 bytes
    const results = header + row.repeat(650); // 65,064 bytes; byte 64,000 is in row 640 = line 641
    const { report } = await findingsOf(full({ 'results.tsv': results }));
    assert.equal(report.findings.length, 1);
    assert.equal(report.findings[0].message, 'demo: results.tsv too large (65064 bytes > 64000)');
    assert.deepEqual([report.findings[0].line, report.findings[0].column, report.findings[0].endLine], [641, 1, 652]);
  });

  test('lineCrossingByteLimit counts bytes, not characters', () => {
    assert.equal(lineCrossingByteLimit(Buffer.from('ab\ncd\nef'), 2), 1);
    assert.equal(lineCrossingByteLimit(Buffer.from('ab\ncd\nef'), 3), 2);
    assert.equal(lineCrossingByteLimit(Buffer.from('éé\nx'), 4), 1); // é is two bytes: the newline is byte 4
    assert.equal(lineCrossingByteLimit(Buffer.from('éé\nx'), 5), 2);
  });
});

describe('what gets validated', () => {
  test('support folders are listed apart, dot-folders ignored, order is by code point', async () => {
    const root = writeTree(tempDir(), {
      ...packFiles('beta'),
      ...packFiles('Zeta'),
      ...packFiles('alpha'),
      ...packFiles('_examples/hello'),
      ...packFiles('_template/pack'),
      ...packFiles('_fixtures/invalid/broken'),
      '.hidden/program.md': 'x',
      '_scratch/program.md': 'x',
    });
    const folder = await listExperimentsFolder(root);
    assert.deepEqual(folder.packs.map((p) => p.slug), ['Zeta', 'alpha', 'beta']);
    assert.deepEqual(folder.support.map((p) => `${p.kind}:${p.slug}`), ['example:hello', 'fixture:broken', 'template:pack']);
  });

  test('a folder holding a required file is itself the one pack', async () => {
    const root = writeTree(tempDir(), { 'solo/measure.py': 'print(1)\n', 'solo/sub/program.md': 'x' });
    const packs = await packsToValidate(path.join(root, 'solo'));
    assert.deepEqual(packs.map((p) => p.slug), ['solo']);
  });

  test('a workspace root: its atris/experiments folders, nested repos too', async () => {
    const root = writeTree(tempDir(), {
      ...packFiles('atris/experiments/one'),
      ...packFiles('products/api/atris/experiments/two'),
      ...packFiles('node_modules/x/atris/experiments/never'),
      ...packFiles('.git/atris/experiments/never2'),
    });
    const packs = await packsToValidate(root);
    assert.deepEqual(packs.map((p) => p.slug), ['one', 'two']);
  });

  test('reference report: PASS lines, FAIL lines, and no experiments', async () => {
    const root = writeTree(tempDir(), { ...packFiles('alpha'), ...packFiles('beta-two') });
    assert.deepEqual(referenceReport(await validatePacks(await packsToValidate(root))), {
      lines: ['PASS: 2 experiment(s) valid', '- alpha', '- beta-two'],
      exitCode: 0,
    });
    assert.deepEqual(referenceReport([]), { lines: ['FAIL: no experiments found'], exitCode: 1 });
  });
});

describe('links, odd files and code point order', () => {
  test('byCodePoint sorts as Python does, where UTF-16 order differs', () => {
    assert.deepEqual(['\u{1F600}', '\uFF5E', 'b', 'a', '\uD7FF', 'ab'].sort(byCodePoint), ['a', 'ab', 'b', '\uD7FF', '\uFF5E', '\u{1F600}']);
    assert.ok(byCodePoint('\u{1F600}', '\u{1F601}') < 0);
    assert.equal(byCodePoint('same', 'same'), 0);
  });

  test('the tree lists a linked pack; the workspace search finds a linked experiments folder but never descends through a link', async () => {
    const root = writeTree(tempDir(), { ...packFiles('shared/linked'), ...packFiles('shared/exp/two'), ...packFiles('repo/atris/experiments/one') });
    symlinkSync(path.join(root, 'shared', 'linked'), path.join(root, 'repo', 'atris', 'experiments', 'linked'));
    mkdirSync(path.join(root, 'other', 'atris'), { recursive: true });
    symlinkSync(path.join(root, 'shared', 'exp'), path.join(root, 'other', 'atris', 'experiments'));
    symlinkSync(root, path.join(root, 'repo', 'loop')); // a cycle the search must not follow
    assert.deepEqual(await findExperimentsFolders(root), [path.join(root, 'other', 'atris', 'experiments'), path.join(root, 'repo', 'atris', 'experiments')]);
    const folder = await listExperimentsFolder(path.join(root, 'repo', 'atris', 'experiments'));
    assert.deepEqual(folder.packs.map((p) => [p.slug, p.dir]), [
      ['linked', path.join(root, 'repo', 'atris', 'experiments', 'linked')],
      ['one', path.join(root, 'repo', 'atris', 'experiments', 'one')],
    ]);
  });

  test('an explicit ROOT: resolved, then one pack or its sub-folders; a reason when there are none', () => {
    const root = writeTree(tempDir(), { ...packFiles('exp/real-name'), 'file.txt': 'x' });
    symlinkSync(path.join(root, 'exp', 'real-name'), path.join(root, 'link'));
    assert.deepEqual(referencePacks(path.join(root, 'link')).packs.map((p) => [p.slug, p.dir]), [['real-name', path.join(root, 'exp', 'real-name')]]);
    assert.deepEqual(referencePacks(path.join(root, 'exp')).packs.map((p) => p.slug), ['real-name']);
    assert.deepEqual(referencePacks(path.join(root, 'file.txt')), { packs: [], problem: `${path.join(root, 'file.txt')}: not a folder` });
    assert.deepEqual(referencePacks(path.join(root, 'gone')), { packs: [], problem: `${path.join(root, 'gone')}: no such folder` });
  });

  test('a broken link to a required file is missing; a program.md that is a folder is one finding, not two', async () => {
    const { dir } = await findingsOf(full());
    const root = path.dirname(dir);
    unlinkSync(path.join(dir, 'loop.py'));
    symlinkSync(path.join(root, 'nowhere.py'), path.join(dir, 'loop.py'));
    unlinkSync(path.join(dir, 'program.md'));
    mkdirSync(path.join(dir, 'program.md'));
    const report = await validatePack({ dir, slug: 'demo', kind: 'pack', experimentsDir: root }, { extended: true });
    assert.deepEqual(
      report.findings.map((f) => [f.rule, f.message, f.file]),
      [
        ['missing-file', 'demo: missing required file loop.py', path.join(dir, 'measure.py')],
        ['program-unreadable', 'demo: program.md is a folder, not a file', path.join(dir, 'program.md')],
      ],
    );
  });

  test('a program.md that is not UTF-8: one error on the line of the first bad byte', async () => {
    const { dir, report: clean } = await findingsOf(full({ 'program.md': 'A literal \uFFFD is fine.\n' }));
    assert.deepEqual(clean.findings, []);
    writeFileSync(path.join(dir, 'program.md'), Buffer.concat([Buffer.from('one\ntwo \uFFFD\nthree '), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\n')]));
    const report = await validatePack({ dir, slug: 'demo', kind: 'pack', experimentsDir: path.dirname(dir) });
    assert.deepEqual(
      report.findings.map((f) => [f.rule, f.message, f.line]),
      [['program-unreadable', 'demo: program.md is not UTF-8 text: byte 0xed on line 3 (offset 18); save it as UTF-8', 3]],
    );
  });
});

describe('the append-only check when git fails', () => {
  const gitRepo = (root: string) => {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'pipe' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'log');
  };

  test('a results.tsv git does not hold yet is not a failure: no finding', async () => {
    const root = tempDir();
    writeTree(root, { 'README.md': 'x\n' });
    gitRepo(root);
    const dir = writeTree(path.join(root, 'atris', 'experiments', 'demo'), packFiles(''));
    const report = await validatePack({ dir, slug: 'demo', kind: 'pack', experimentsDir: path.dirname(dir) }, { extended: true, git: true });
    assert.deepEqual(report.findings.filter((f) => f.rule.startsWith('results-append-only')), []);
  });

  test('a git that cannot run is said, not taken for a log that passed the check', async () => {
    const root = tempDir();
    const dir = writeTree(path.join(root, 'atris', 'experiments', 'demo'), packFiles(''));
    gitRepo(root);
    // As on a machine without git: HEAD is read from .git's files, but no git process starts.
    const pathBefore = process.env.PATH;
    process.env.PATH = path.join(root, 'no-such-bin');
    let report;
    try {
      report = await validatePack({ dir, slug: 'demo', kind: 'pack', experimentsDir: path.dirname(dir) }, { extended: true, git: true });
    } finally {
      process.env.PATH = pathBefore;
    }
    const unchecked = report.findings.filter((f) => f.rule === APPEND_ONLY_UNCHECKED_RULE);
    assert.equal(unchecked.length, 1, JSON.stringify(report.findings));
    assert.match(unchecked[0].message, /^demo: results\.tsv was not compared with its last commit: git failed \(.+\)$/);
    assert.equal(unchecked[0].severity, 'info');
    assert.equal(unchecked[0].file, path.join(dir, 'results.tsv'));
  });

  test('EDITOR, a pager and an askpass in the environment (npm and VS Code set them) do not stop the check: a rewritten row is found', async () => {
    const root = tempDir();
    const dir = writeTree(path.join(root, 'atris', 'experiments', 'demo'), packFiles(''));
    const results = path.join(dir, 'results.tsv');
    writeFileSync(results, 'trial\tstatus\tscore\n1\tkept\t0.5\n');
    gitRepo(root);
    writeFileSync(results, 'trial\tstatus\tscore\n1\tkept\t0.9\n');
    const saved = { EDITOR: process.env.EDITOR, GIT_PAGER: process.env.GIT_PAGER, GIT_ASKPASS: process.env.GIT_ASKPASS };
    Object.assign(process.env, { EDITOR: 'code --wait', GIT_PAGER: 'less', GIT_ASKPASS: '/usr/bin/true' });
    let report;
    try {
      report = await validatePack({ dir, slug: 'demo', kind: 'pack', experimentsDir: path.dirname(dir) }, { extended: true, git: true });
    } finally {
      for (const [name, value] of Object.entries(saved)) if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    assert.deepEqual(
      report.findings.filter((f) => f.rule.startsWith('results-append-only')).map((f) => [f.rule, f.line]),
      [['results-append-only', 2]],
    );
  });
});
