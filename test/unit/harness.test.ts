/** The harness fingerprint: which files a run watches, and what counts as moved. */
import assert from 'node:assert/strict';
import { appendFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { fingerprintHarness, harnessFiles, importedModules, movedHarnessFile } from '../../src/core/run/harness';
import { packFiles, tempDir, writeTree } from './helpers';

describe('importedModules', () => {
  test('plain, dotted, aliased, from and relative imports; comments ignored', () => {
    const source = [
      'import json, os.path as p',
      'from scoring import grade  # the rubric',
      'from . import helpers',
      'from lib.metrics import (f1, recall as r)',
      '# import not_this',
      'x = "import nor_this"',
    ].join('\n');
    assert.deepEqual(importedModules(source), ['json', 'os.path', 'scoring', 'scoring.grade', 'helpers', 'lib.metrics', 'lib.metrics.f1', 'lib.metrics.recall']);
  });
});

describe('harnessFiles', () => {
  test('follows measure.py into pack modules, transitively, and leaves out the target and the standard library', () => {
    const pack = writeTree(tempDir(), {
      ...packFiles('', {
        'measure.py': 'import json\nimport scoring\nfrom lib import weights\nimport candidate\nprint(json.dumps({"score": scoring.grade()}))\n',
      }),
      'scoring.py': 'from rubric import RULES\ndef grade(): return len(RULES)\n',
      'rubric.py': 'RULES = [1]\n',
      'lib/__init__.py': '',
      'lib/weights.py': 'W = 1\n',
      'candidate.py': 'def f(): pass\n',
      'unrelated.py': 'print(1)\n',
    });
    const files = harnessFiles(pack, path.join(pack, 'candidate.py')).map((f) => path.relative(pack, f));
    assert.deepEqual(files, ['lib/__init__.py', 'lib/weights.py', 'loop.py', 'measure.py', 'program.md', 'rubric.py', 'scoring.py']);
  });

  test('measure_holdout.py and the pack modules only it imports are watched too', () => {
    const pack = writeTree(tempDir(), {
      ...packFiles(''),
      'measure_holdout.py': 'import holdout_data\nprint(holdout_data.SCORE)\n',
      'holdout_data.py': 'SCORE = 1\n',
    });
    const files = harnessFiles(pack).map((f) => path.relative(pack, f));
    assert.deepEqual(files, ['holdout_data.py', 'loop.py', 'measure.py', 'measure_holdout.py', 'program.md']);
  });

  test('a pack without loop.py watches what it has', () => {
    const pack = writeTree(tempDir(), { 'measure.py': 'print(1)\n', 'program.md': 'x\n' });
    assert.deepEqual(harnessFiles(pack).map((f) => path.basename(f)), ['measure.py', 'program.md']);
  });
});

describe('movedHarnessFile', () => {
  test('names the first file whose bytes changed, or that went missing', () => {
    const pack = writeTree(tempDir(), { ...packFiles(''), 'scoring.py': 'X = 1\n' });
    const files = harnessFiles(pack);
    const fingerprint = fingerprintHarness(files);
    assert.equal(movedHarnessFile(fingerprint), undefined);
    appendFileSync(path.join(pack, 'measure.py'), '# edited\n');
    assert.equal(movedHarnessFile(fingerprint), path.join(pack, 'measure.py'));
  });

  test('a linked measure.py is read through its link', () => {
    const outside = writeTree(tempDir(), { 'real_measure.py': 'print(1)\n' });
    const pack = writeTree(tempDir(), { 'program.md': 'x\n' });
    symlinkSync(path.join(outside, 'real_measure.py'), path.join(pack, 'measure.py'));
    const fingerprint = fingerprintHarness(harnessFiles(pack));
    appendFileSync(path.join(outside, 'real_measure.py'), 'print(2)\n');
    assert.equal(movedHarnessFile(fingerprint), path.join(pack, 'measure.py'));
  });
});
