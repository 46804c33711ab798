import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './helpers';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

test('src/core never imports vscode, so it runs in the CLI, the server and tests', () => {
  const files = sources(path.join(REPO_ROOT, 'src', 'core'));
  assert.ok(files.length >= 10, `expected the core sources, found ${files.length}`);
  const offenders = files.filter((f) => /(from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\))/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});

test('src/core imports nothing from the shells', () => {
  const files = sources(path.join(REPO_ROOT, 'src', 'core'));
  const offenders = files.filter((f) => /from\s+['"]\.\.\/(\.\.\/)?(extension|server|cli)\//.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});
