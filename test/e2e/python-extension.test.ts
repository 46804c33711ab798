/**
 * Which Python runs pack scripts, decided in a real VS Code (code-server) with the packaged .vsix:
 * through @vscode/python-extension when the Python extension is there, the fallback when it is not.
 *
 * The real ms-python.python cannot be downloaded here (no Marketplace, no internet, not on the npm
 * registry), so test/fixtures/python-extension-standin stands in for it: an extension with its id
 * that exports the environments API the facade hands over. Everything else is real: two Python
 * virtual environments, measure.py printing its own sys.executable, VS Code's settings.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './harness/browser';
import { installVsix, newProfile, serve } from './harness/codeServer';
import { runInExtensionHost } from './harness/extensionHost';
import { REPO_ROOT } from './harness/paths';
import { workspaceCopy } from './harness/workspace';

const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const VSIX = path.join(REPO_ROOT, `autoexp-${version}.vsix`);
const STAND_IN = path.join(REPO_ROOT, 'test', 'fixtures', 'python-extension-standin');
const RUNNER = path.join(REPO_ROOT, 'test', 'e2e', 'api', 'python-runner.cjs');

let browser: Browser;
let closeBrowser: () => Promise<void>;
let scratch: string;
let envA: string;
let envB: string;
let standInVsix: string;

before(async () => {
  assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package)`);
  scratch = realpathSync(mkdtempSync(path.join(tmpdir(), 'autoexp-e2e-python-')));
  // Two real virtual environments: sys.executable inside each is its own bin/python.
  [envA, envB] = ['env-a', 'env-b'].map((name) => {
    execFileSync('python3', ['-m', 'venv', '--without-pip', path.join(scratch, name)]);
    return path.join(scratch, name, 'bin', 'python');
  });
  standInVsix = path.join(scratch, 'ms-python-standin.vsix');
  const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', standInVsix], { cwd: STAND_IN, stdio: 'pipe' });
  ({ browser, close: closeBrowser } = await launchBrowser());
});
after(async () => {
  await closeBrowser?.();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A profile with Autoexp (and the stand-in when asked), serving a copy of the which-python workspace. */
async function runCase(standIn: boolean): Promise<Array<{ name: string; ok: boolean; error?: string }>> {
  const profile = newProfile();
  const settingsFile = path.join(profile.userDataDir, 'User', 'settings.json');
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
  writeFileSync(settingsFile, JSON.stringify({ ...settings, 'python.defaultInterpreterPath': envA }, null, 2));
  installVsix(profile, VSIX);
  if (standIn) assert.match(installVsix(profile, standInVsix), /successfully installed/);
  const workspace = workspaceCopy(path.join(REPO_ROOT, 'test', 'fixtures', 'python-workspace'));
  const results = path.join(profile.base, 'results.json');
  const env = { AUTOEXP_E2E_RESULTS: results, AUTOEXP_E2E_PYTHON_CASE: standIn ? 'standin' : 'absent', AUTOEXP_E2E_ENV_A: envA, AUTOEXP_E2E_ENV_B: envB };
  const server = await serve({ profile, folder: workspace, trusted: true, env });
  try {
    const code = await runInExtensionHost(browser, {
      server,
      folder: workspace,
      extensionDir: path.join(profile.extensionsDir, `autoexp.autoexp-${version}`),
      runner: RUNNER,
      artifact: standIn ? 'python-extension-standin' : 'python-extension-absent',
    });
    const checks = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : [];
    assert.deepEqual(checks.filter((c: { ok: boolean }) => !c.ok), []);
    assert.equal(code, 0);
    return checks;
  } finally {
    await server.stop();
    rmSync(profile.base, { recursive: true, force: true });
    rmSync(path.dirname(workspace), { recursive: true, force: true });
  }
}

describe('the interpreter for pack scripts', () => {
  test('with the Python extension: its environment through @vscode/python-extension, and a change applies at once', async () => {
    const checks = await runCase(true);
    assert.deepEqual(
      checks.map((c) => c.name),
      [
        'ms-python.python is the stand-in',
        "the Python extension's active environment (python.defaultInterpreterPath) runs measure.py",
        'the next command reuses the resolved interpreter: no second resolveEnvironment',
        'choosing another environment applies to the next command, without a reload',
        'autoexp.pythonPath comes before the Python extension',
        'an environment whose Python does not start: python3 from PATH',
      ],
    );
  });

  test('without the Python extension: python3 from PATH, the setting first', async () => {
    const checks = await runCase(false);
    assert.deepEqual(
      checks.map((c) => c.name),
      ['the Python extension is not installed', 'without it: python3 from PATH', 'without it: autoexp.pythonPath still comes first'],
    );
  });
});
