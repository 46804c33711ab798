/**
 * The .vsix holds only what runs, and package:check refuses what a registry would. The file list
 * comes from `vsce ls`, which reads .vscodeignore and the working tree without packaging, so this
 * file does not depend on `npm run package` having run; it builds the bundles only if they are missing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { MAX_VSIX_BYTES, packageProblems, pngSize, type PackageFacts } from '../../scripts/packageChecks';
import { REPO_ROOT, tempDir, writeTree } from './helpers';

const BUNDLES = ['dist/cli-commands.cjs', 'dist/cli.cjs', 'dist/extension.cjs', 'dist/features.cjs', 'dist/server.cjs', 'dist/webview.js'];

/** Everything the extension reads at run time, and nothing else. */
const RUNTIME_FILES = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  ...BUNDLES,
  'media/experiments.svg',
  'media/icon.png',
  'media/results.css',
  'media/walkthrough/create.md',
  'media/walkthrough/reset.md',
  'media/walkthrough/review.md',
  'media/walkthrough/run.md',
  'package.json',
  'templates/pack/candidate.py',
  'templates/pack/loop.py',
  'templates/pack/measure.py',
  'templates/pack/program.md',
  'templates/pack/proposals/example_proposal.py',
  'templates/pack/reset.py',
  'templates/pack/results.tsv',
];

/** How vsce names those files inside the archive. */
const IN_VSIX: Record<string, string> = { 'README.md': 'readme.md', 'CHANGELOG.md': 'changelog.md', LICENSE: 'LICENSE.txt' };
const vsixEntries = (files: string[]) => files.map((f) => `extension/${IN_VSIX[f] ?? f}`);

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

before(() => {
  if (!BUNDLES.every((b) => existsSync(path.join(REPO_ROOT, b)))) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
});

describe('the .vsix file list', () => {
  test('vsce packages exactly the files that run', () => {
    const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
    const listed = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.deepEqual(listed.trim().split('\n').sort(), RUNTIME_FILES);
  });
});

describe('package:check', () => {
  const ready = (): PackageFacts => ({ manifest: { ...manifest }, root: REPO_ROOT, vsixBytes: 520_000, entries: vsixEntries(RUNTIME_FILES) });

  test('the manifest, icon and changelog as they are: ready to publish', () => {
    assert.deepEqual(packageProblems(ready()), []);
    assert.deepEqual(pngSize(path.join(REPO_ROOT, manifest.icon)), { width: 128, height: 128 });
    assert.equal(manifest.enabledApiProposals, undefined);
    assert.equal(manifest.license, 'MIT');
  });

  test('a missing icon, a missing CHANGELOG, a .vsix over 1 MB: each one line', () => {
    const root = tempDir();
    assert.deepEqual(packageProblems({ ...ready(), root, vsixBytes: MAX_VSIX_BYTES + 1 }), [
      'media/icon.png: missing (package.json "icon"; npm run icon draws it from media/icon.svg)',
      'CHANGELOG.md: missing',
      '.vsix is 1048577 bytes, over the budget of 1048576 bytes (1 MB)',
    ]);
  });

  test('an icon that is not a 128×128 PNG, a changelog without this version, proposed APIs, no banner', () => {
    const root = tempDir();
    writeTree(root, { 'CHANGELOG.md': '# Changelog\n\n## [0.0.9] - 2026-01-01\n' });
    copyFileSync(path.join(REPO_ROOT, 'media', 'experiments.svg'), path.join(root, 'icon.png'));
    const facts = ready();
    facts.root = root;
    facts.manifest = { ...manifest, icon: 'icon.png', enabledApiProposals: ['terminalDataWriteEvent'], galleryBanner: undefined };
    assert.deepEqual(packageProblems(facts), [
      'icon.png: not a PNG',
      `CHANGELOG.md: no "## [${manifest.version}]" section for this version`,
      'package.json: "enabledApiProposals" is set; proposed APIs cannot be published',
      'package.json: "galleryBanner" needs a color and a theme (dark or light)',
    ]);
  });

  test('README screenshots, sources or source maps inside the .vsix are refused', () => {
    const facts = ready();
    facts.entries = [...facts.entries, 'extension/media/readme/tree.png', 'extension/dist/extension.cjs.map', 'extension/src/cli/main.ts'];
    assert.deepEqual(packageProblems(facts), [
      '.vsix holds files that do not run: extension/media/readme/tree.png, extension/dist/extension.cjs.map, extension/src/cli/main.ts',
    ]);
  });
});
