import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { defaultTargetFromLoop, resolveTarget } from '../../src/core/target';
import { tempDir, writeTree } from './helpers';

const LOOP = '/repo/atris/experiments/demo/loop.py';

test('a candidate.* file in the pack is the target', async () => {
  const dir = writeTree(tempDir(), { 'candidate.py': 'x = 1\n', 'loop.py': 'DEFAULT_TARGET = EXPERIMENT_DIR / "other.py"\n' });
  assert.deepEqual(await resolveTarget(dir), { kind: 'candidate', path: path.join(dir, 'candidate.py'), others: [] });
});

test('two candidates: the first by name is the target, the other is reported', async () => {
  const dir = writeTree(tempDir(), { 'candidate.txt': 'a', 'candidate.py': 'b' });
  assert.deepEqual(await resolveTarget(dir), { kind: 'candidate', path: path.join(dir, 'candidate.py'), others: [path.join(dir, 'candidate.txt')] });
});

test('EXPERIMENT_DIR / "x"', () => {
  const src = 'from pathlib import Path\nEXPERIMENT_DIR = Path(__file__).resolve().parent\nDEFAULT_TARGET = EXPERIMENT_DIR / "system_prompt.txt"\n';
  assert.deepEqual(defaultTargetFromLoop(src, LOOP), {
    path: '/repo/atris/experiments/demo/system_prompt.txt',
    expression: 'EXPERIMENT_DIR / "system_prompt.txt"',
  });
});

test('REPO_ROOT / "a" / "b" with REPO_ROOT = EXPERIMENT_DIR.parents[2]', () => {
  const src = [
    'import pathlib',
    'EXPERIMENT_DIR = pathlib.Path(__file__).resolve().parent',
    'REPO_ROOT = EXPERIMENT_DIR.parents[2]  # the product repo',
    "DEFAULT_TARGET = REPO_ROOT / 'pkg' / 'module.py'",
  ].join('\n');
  assert.deepEqual(defaultTargetFromLoop(src, LOOP), { path: '/repo/pkg/module.py', expression: "REPO_ROOT / 'pkg' / 'module.py'" });
});

test('Path(__file__).resolve().parent / "x", and a typed assignment', () => {
  const src = 'DEFAULT_TARGET: Path = Path(__file__).resolve().parent / "candidate.md"\n';
  assert.equal((defaultTargetFromLoop(src, LOOP) as { path: string }).path, '/repo/atris/experiments/demo/candidate.md');
});

test('an expression that needs running Python is unknown, with the reason', () => {
  const src = 'import os\nDEFAULT_TARGET = os.environ.get("T", "x.py")\n';
  assert.deepEqual(defaultTargetFromLoop(src, LOOP), {
    reason: 'loop.py\'s DEFAULT_TARGET = os.environ.get("T", "x.py") is not a path Autoexp can read without running it',
  });
});

test('no candidate and no DEFAULT_TARGET: unknown, said so', async () => {
  const dir = writeTree(tempDir(), { 'loop.py': 'print("hi")\n' });
  assert.deepEqual(await resolveTarget(dir), {
    kind: 'unknown',
    reason: 'no candidate.* file in the pack, and loop.py has no DEFAULT_TARGET = … assignment',
  });
});
