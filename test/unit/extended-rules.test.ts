/** The rules beyond validate.py, one fixture each, asserted by rule id, severity and position. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { isPlaceholderScript } from '../../src/core/validation/extendedRules';
import { validatePack } from '../../src/core/validation/validate';
import { packFiles, tempDir, writeTree } from './helpers';

const HEADER = 'timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription\n';
const RESET = 'from pathlib import Path\nPath("candidate.py").write_text("x = 1\\n")\n';

async function check(overrides: Record<string, string>, extra: Record<string, string> = {}) {
  const root = writeTree(tempDir(), { ...packFiles('p', { 'reset.py': RESET, ...overrides }), ...extra });
  const dir = path.join(root, 'p');
  const { findings } = await validatePack({ dir, slug: 'p', kind: 'pack', experimentsDir: root }, { extended: true });
  return findings.map((f) => ({ rule: f.rule, severity: f.severity, where: `${path.relative(dir, f.file)}:${f.line}:${f.column}`, message: f.message }));
}

test('a complete pack with a reset.py has no extended findings', async () => {
  assert.deepEqual(await check({}), []);
});

test('no reset.py is a warning on loop.py', async () => {
  const files = packFiles('p');
  delete files[path.join('p', 'reset.py')];
  const root = writeTree(tempDir(), files);
  const { findings } = await validatePack({ dir: path.join(root, 'p'), slug: 'p', kind: 'pack', experimentsDir: root }, { extended: true });
  assert.deepEqual(findings.map((f) => [f.rule, f.severity, path.basename(f.file)]), [['missing-reset', 'warning', 'loop.py']]);
});

test('results.tsv: ragged row, unknown status, non-numeric score, time going backwards', async () => {
  const log =
    HEADER +
    '2026-01-02T00:00:00Z\t1\tkept\t0.1\t0.2\ta.py\tok\n' +
    '2026-01-01T00:00:00Z\t2\treverted\t0.2\t0.1\tb.py\tearlier than the row above\n' +
    '2026-01-03T00:00:00Z\t3\tmaybe\t0.2\t0.3\tc.py\tunknown status\n' +
    '2026-01-04T00:00:00Z\t4\tkept\t0.2\tabc\td.py\tbad score\n' +
    '2026-01-05T00:00:00Z\t5\tkept\n';
  const rules = (await check({ 'results.tsv': log })).map((f) => `${f.rule}@${f.where}`).sort();
  assert.deepEqual(rules, [
    'results-bad-score@results.tsv:5:33',
    'results-ragged-row@results.tsv:6:1',
    'results-time-backwards@results.tsv:3:1',
    'results-unknown-status@results.tsv:4:24',
  ]);
});

test('a log with no header', async () => {
  const rules = (await check({ 'results.tsv': '2026-01-01\t1\tkept\t0.1\t0.2\ta.py\tx\n' })).map((f) => `${f.rule}:${f.severity}`);
  assert.ok(rules.includes('results-no-header:error'), rules.join(', '));
});

test('template leftovers: placeholder loop.py and reset.py, program.md with TODO', async () => {
  const found = await check({
    'loop.py': '"""Loop."""\nimport sys\n\nprint("TODO: implement the loop")\n',
    'reset.py': 'print("reset placeholder")\n',
    'program.md': '# Brief\n\nTODO: describe the experiment\n',
  });
  assert.deepEqual(
    found.map((f) => `${f.rule}@${f.where}`),
    ['template-loop@loop.py:1:1', 'template-reset@reset.py:1:1', 'template-program@program.md:3:1'],
  );
  assert.equal(found[2].message, 'p: program.md still holds template text ("TODO: describe the experiment")');
});

test('isPlaceholderScript: a real loop is not a placeholder', () => {
  assert.equal(isPlaceholderScript('import subprocess\nsubprocess.run(["python", "measure.py"])\nprint("done")\n'), false);
  assert.equal(isPlaceholderScript('def main():\n    print("placeholder")\n\nif __name__ == "__main__":\n    main()\n'), true);
  assert.equal(isPlaceholderScript(''), false);
});

test('a proposal that never names EXPERIMENT_TARGET, two candidates, a silent measure.py', async () => {
  const found = await check(
    { 'measure.py': 'score = 1\n', 'candidate.py': 'x = 1\n', 'candidate.txt': 'x' },
    { 'p/proposals/good.py': 'import os\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("x")\n', 'p/proposals/stray.py': 'open("other.py", "w").write("x")\n' },
  );
  assert.deepEqual(
    found.map((f) => `${f.rule}:${f.severity}@${f.where}`),
    ['multiple-candidates:warning@candidate.txt:1:1', 'measure-never-prints:error@measure.py:1:1', 'proposal-no-target:warning@proposals/stray.py:1:1'],
  );
});

test('a required file that is a folder', async () => {
  const files = packFiles('p', { 'reset.py': RESET });
  delete files[path.join('p', 'loop.py')];
  const root = writeTree(tempDir(), { ...files, 'p/loop.py/x': '' });
  const { findings } = await validatePack({ dir: path.join(root, 'p'), slug: 'p', kind: 'pack', experimentsDir: root }, { extended: true });
  assert.deepEqual(findings.map((f) => [f.rule, f.message]), [['not-a-file', 'p: loop.py is a folder, not a file']]);
});
