/**
 * `npm run package` (after the production build): autoexp-<version>.vsix through vsce. The project
 * has no public home yet, so while package.json names no `repository` vsce is told it is missing and
 * leaves README's relative image links alone (they point at media/readme/, which stays out of the
 * .vsix). Adding `repository`, `bugs` and `homepage` to package.json is then the only edit: vsce
 * checks the repository again and points README's images at it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
const withoutHome = manifest.repository === undefined ? ['--allow-missing-repository', '--no-rewrite-relative-links'] : [];
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', ...withoutHome, '-o', `autoexp-${manifest.version}.vsix`], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
});
