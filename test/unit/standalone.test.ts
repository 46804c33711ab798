/**
 * The project passes its tests from a clone standing alone: nothing it runs or tests may read a
 * folder beside the repository (our machines have a shared/ folder there; a user's clone does not).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './helpers';

const SCANNED = ['src', 'test', 'bench', 'scripts', 'webview', '.ci'];
const SKIPPED = new Set(['node_modules', 'fixtures', 'dist']);
const NAME = 'shared';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIPPED.has(e.name)) return [];
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : [full];
  });
}

/** Each `../…/shared` written in a file, resolved from that file's folder, that lands outside the repository. */
function escapes(file: string, text = readFileSync(file, 'utf8')): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(new RegExp(`((?:\\.\\./)+)${NAME}\\b`, 'g'))) {
    const resolved = path.resolve(path.dirname(file), match[1], NAME);
    if (path.relative(REPO_ROOT, resolved).startsWith('..')) found.push(`${path.relative(REPO_ROOT, file)}: ${match[0]}`);
  }
  // The same written as path segments: a parent segment followed by the folder's name.
  for (const match of text.matchAll(new RegExp(`['"]\\.\\.['"]\\s*,\\s*['"]${NAME}['"]`, 'g'))) {
    found.push(`${path.relative(REPO_ROOT, file)}: ${match[0]}`);
  }
  return found;
}

test('no file under src, test, bench, scripts or webview reaches a shared/ folder beside the repository', () => {
  const scanned = SCANNED.flatMap((dir) => {
    try {
      return files(path.join(REPO_ROOT, dir));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  });
  assert.ok(scanned.length > 100, `expected the project's sources, found ${scanned.length} files`);
  assert.deepEqual(scanned.flatMap((file) => escapes(file)), []);
});

test('the check itself catches the two ways a path reaches beside the repository', () => {
  const probe = path.join(REPO_ROOT, 'test', 'unit', 'probe.ts');
  const lines = [`new URL('../../../${NAME}/data/x.tsv')`, `path.join(ROOT, '..', '${NAME}')`, `from '../../src/${NAME}/protocol'`];
  assert.deepEqual(lines.map((line) => escapes(probe, line).length), [1, 1, 0]);
});
