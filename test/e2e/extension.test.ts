/**
 * Autoexp in a real VS Code: code-server 4.100.3 (VS Code 1.100.3) with the packaged .vsix installed,
 * driven by Debian's Chromium. A fresh git repository of test packs for every run.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, saveArtifacts } from './harness/browser';
import { installVsix, newProfile, serve, type Profile, type RunningServer } from './harness/codeServer';
import { autoexpErrors, profileLogs } from './harness/logs';
import { FIXTURE_WORKSPACE, REPO_ROOT } from './harness/paths';
import { workspaceCopy } from './harness/workspace';
import { DiffEditor, TerminalPanel, Workbench } from './pages/workbench';

const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const VSIX = path.join(REPO_ROOT, `autoexp-${version}.vsix`);
const TEST_PACKS = ['Bad_Slug', 'bloated-program', 'huge-results', 'long-log', 'missing-measure', 'outside-target', 'smoke-keep-revert'];

let browser: Browser;
let closeBrowser: () => Promise<void>;

before(async () => {
  assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package)`);
  ({ browser, close: closeBrowser } = await launchBrowser());
});
after(async () => closeBrowser?.());

/** A UI step: always a screenshot; on failure the page HTML and the server log too. */
async function ui(name: string, page: Page, server: RunningServer, fn: () => Promise<void>): Promise<void> {
  let failed = false;
  try {
    await fn();
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    await saveArtifacts(page, name, failed, server.log());
  }
}

describe('trusted workspace', () => {
  let profile: Profile;
  let server: RunningServer;
  let page: Page;
  let workspace: string;
  let installOutput: string;
  let workbench: Workbench;
  const apiResults = path.join(mkdtempSync(path.join(tmpdir(), 'autoexp-e2e-api-')), 'results.json');

  before(async () => {
    profile = newProfile();
    installOutput = installVsix(profile, VSIX);
    workspace = workspaceCopy(FIXTURE_WORKSPACE);
    server = await serve({ profile, folder: workspace, trusted: true, env: { AUTOEXP_E2E_RESULTS: apiResults } });
    page = await newPage(browser);
  });
  after(async () => {
    await page?.context().close();
    await server?.stop();
    rmSync(profile.base, { recursive: true, force: true });
    rmSync(path.dirname(workspace), { recursive: true, force: true });
    rmSync(path.dirname(apiResults), { recursive: true, force: true });
  });

  test('the .vsix installs', () => {
    assert.match(installOutput, /Extension 'autoexp-0\.1\.0\.vsix' was successfully installed/);
    assert.ok(readdirSync(profile.extensionsDir).includes(`autoexp.autoexp-${version}`));
  });

  test('the Experiments container lists every test pack with its first sentence', async () => {
    await ui('experiments-view', page, server, async () => {
      workbench = await Workbench.open(page, server.folderUrl(workspace));
      const view = await workbench.openExperiments();
      for (const slug of TEST_PACKS) await view.pack(new RegExp(slug)).waitFor();
      const labels = await view.packLabels();
      assert.deepEqual(labels.map((l) => l.split(' ')[0]), [...TEST_PACKS, 'Examples']);
      assert.equal(await view.pack(/hello-example/).count(), 0, 'examples are grouped apart, collapsed');
      await view.expand(view.pack(/^smoke-keep-revert/));
      await page.getByRole('treeitem', { name: 'Program Make count_words count words correctly.' }).waitFor();
      await view.collapse(view.pack(/^smoke-keep-revert/));
    });
  });

  test('the extension activated with no error in its log', async () => {
    // Log files are flushed a moment after the lines are written.
    const deadline = Date.now() + 20_000;
    let logs = profileLogs(profile.userDataDir);
    while (!logs.some((l) => /pack language server started/.test(l.text)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      logs = profileLogs(profile.userDataDir);
    }
    const ours = logs.filter((l) => l.file.endsWith(path.join('autoexp.autoexp', 'Autoexp.log'))).map((l) => l.text).join('');
    assert.match(ours, /\[info\] Autoexp 0\.1\.0 activated/);
    assert.match(ours, /\[info\] found 7 pack\(s\) in 1 workspace folder\(s\)/);
    assert.match(ours, /\[info\] pack language server started/);
    assert.doesNotMatch(ours, /\[error\]/);
    assert.deepEqual(autoexpErrors(profile.userDataDir), []);
  });

  test('the Problems panel lists the malformed packs', async () => {
    await ui('problems-panel', page, server, async () => {
      const problems = await workbench.openProblems();
      const expected: Array<[string, RegExp]> = [
        ['Bad_Slug', /^Error: Bad_Slug: invalid folder name, use lowercase-hyphen slug at line 1 and character 1\./],
        ['missing-measure', /^Error: missing-measure: missing required file measure\.py at line 1 and character 1\./],
        ['bloated-program', /^Error: bloated-program: program\.md too long \(1500 chars > 1200\) at line 3 and character 5\./],
        ['huge-results', /^Error: huge-results: results\.tsv too large \(70057 bytes > 64000\) at line 551 and character 1\./],
      ];
      for (const [pack, problem] of expected) {
        await problems.filter(`${pack}:`);
        await problems.problem(problem).first().waitFor();
      }
      await problems.filter('');
    });
  });

  test('program.md of the bloated pack shows the squiggle', async () => {
    await ui('bloated-squiggle', page, server, async () => {
      const editor = await workbench.openFile('atris/experiments/bloated-program/program.md');
      await editor.squiggles('error').first().waitFor();
      assert.ok((await editor.squiggles('error').count()) >= 1);
    });
  });

  test('a quick fix creates the missing measure.py and the problem goes', async () => {
    await ui('quick-fix', page, server, async () => {
      const editor = await workbench.openFile('atris/experiments/missing-measure/program.md');
      await editor.goToLine(1);
      await editor.applyQuickFix(/Create measure\.py from the pack template/);
      const problems = await workbench.openProblems();
      await problems.filter('missing-measure:');
      await problems.problem(/missing-measure: missing required file measure\.py/).first().waitFor({ state: 'detached', timeout: 30_000 });
      await problems.filter('');
      // files.refactoring.autoSave (on by default) saves the files a workspace edit touched.
      const created = path.join(workspace, 'atris/experiments/missing-measure/measure.py');
      const template = readFileSync(path.join(REPO_ROOT, 'templates/pack/measure.py'), 'utf8');
      const deadline = Date.now() + 15_000;
      while ((!existsSync(created) || readFileSync(created, 'utf8') !== template) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      assert.equal(readFileSync(created, 'utf8'), template);
    });
  });

  test('a crashed language server is restarted, and the user is told once', async () => {
    await ui('server-restart', page, server, async () => {
      const serverModule = path.join(profile.extensionsDir, `autoexp.autoexp-${version}`, 'dist', 'server.cjs');
      const pids = () =>
        execFileSync('pgrep', ['-f', serverModule], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
      const [first] = pids();
      process.kill(first, 'SIGKILL');
      await page.getByText('Autoexp: the pack language server stopped and was restarted.').first().waitFor({ timeout: 30_000 });
      const deadline = Date.now() + 30_000;
      while (!(pids().length === 1 && pids()[0] !== first) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      assert.notEqual(pids()[0], first);
      // The new server publishes again: the squiggle and the Problems entry come back.
      const problems = await workbench.openProblems();
      await problems.filter('bloated-program:');
      await problems.problem(/bloated-program: program\.md too long/).first().waitFor();
      await problems.filter('');
    });
  });

  test('extension-host checks: activation, commands, diagnostics through the vscode API', async () => {
    const hostPage = await newPage(browser);
    try {
      const exit = new Promise<number>((resolve) => void hostPage.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
      const ext = path.join(profile.extensionsDir, `autoexp.autoexp-${version}`);
      const runner = path.join(REPO_ROOT, 'test', 'e2e', 'api', 'runner.cjs');
      const remote = (p: string) => `vscode-remote://${new URL(server.url).host}${p}`;
      const payload = JSON.stringify([
        ['extensionDevelopmentPath', remote(ext)],
        ['extensionTestsPath', remote(runner)],
      ]);
      await hostPage.goto(`${server.folderUrl(workspace)}&payload=${encodeURIComponent(payload)}`);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<number>((_, reject) => (timer = setTimeout(() => reject(new Error('extension-host tests timed out')), 120_000)));
      const code = await Promise.race([exit, timedOut]).finally(() => clearTimeout(timer));
      const checks = existsSync(apiResults) ? JSON.parse(readFileSync(apiResults, 'utf8')) : [];
      assert.deepEqual(
        checks.filter((c: { ok: boolean }) => !c.ok),
        [],
      );
      assert.deepEqual(
        checks.map((c: { name: string }) => c.name),
        [
          'the extension is active',
          'Validate Packs finds the seven test packs',
          'diagnostics: program.md too long, from character 1201 (line 3, column 5)',
          'diagnostics: results.tsv too large, from line 551',
          'every command of the extension is registered',
          'Measure Noise runs measure.py N times and summarises the spread',
          'the task provider offers Run Loop for every pack, with its proposals, from an argument array',
        ],
      );
      assert.equal(code, 0);
    } finally {
      await saveArtifacts(hostPage, 'extension-host-tests', false);
      await hostPage.context().close();
    }
  });

  test('the tree shows best scores and runs; a pack expands to its parts', async () => {
    await ui('tree-details', page, server, async () => {
      const view = await workbench.openExperiments();
      const labels = await view.packLabels();
      assert.ok(labels.includes('outside-target best 1.0000 ↑ · 3 trials'), labels.join(' | '));
      assert.ok(labels.includes('smoke-keep-revert no trials yet'), labels.join(' | '));
      await view.collapseAll();
      await view.expand(view.pack(/^outside-target/));
      for (const child of [/^Program/, /^Target \.\.\/\.\.\/\.\.\/pkg\/greeting\.py/, /^Proposals 1/, /^Runs 1/, /^Results 3 rows/]) {
        await page.getByRole('treeitem', { name: child }).waitFor();
      }
      // Collapsed again, so later steps find one pack's children at a time.
      await view.collapse(view.pack(/^outside-target/));
      await page.getByRole('treeitem', { name: /^Runs 1/ }).waitFor({ state: 'detached' });
    });
  });

  test('Reset Pack from the command palette restores the smoke target and the tree shows the baseline', async () => {
    await ui('reset-pack', page, server, async () => {
      const candidate = path.join(workspace, 'atris/experiments/smoke-keep-revert/candidate.py');
      const baseline = readFileSync(candidate, 'utf8');
      writeFileSync(candidate, 'def count_words(text):\n    return len(text.split())\n');
      await workbench.runCommand('Autoexp: Reset Pack');
      await workbench.quickInput('smoke', /smoke-keep-revert/);
      await workbench.answerDialog('Reset');
      await page.getByRole('treeitem', { name: /^smoke-keep-revert now 0\.2000 · no trials yet/ }).waitFor({ timeout: 30_000 });
      assert.equal(readFileSync(candidate, 'utf8'), baseline);
    });
  });

  test('Reset Pack refuses while a run holds the pack, names the run, and leaves the target alone', async () => {
    await ui('reset-refused', page, server, async () => {
      const pack = path.join(workspace, 'atris/experiments/smoke-keep-revert');
      const candidate = path.join(pack, 'candidate.py');
      const baseline = readFileSync(candidate, 'utf8');
      // A real run from the command line, held mid-trial by a proposal kept outside the pack.
      const hold = path.join(mkdtempSync(path.join(tmpdir(), 'autoexp-e2e-hold-')), 'hold.py');
      writeFileSync(hold, 'import os, time\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("held\\n")\nprint("holding", flush=True)\ntime.sleep(120)\n');
      const run = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.cjs'), 'run', pack, '-p', hold, '--engine', 'native'], { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        await new Promise<void>((resolve, reject) => {
          run.stdout.on('data', (d: Buffer) => d.toString().includes('holding') && resolve());
          run.once('exit', (code) => reject(new Error(`the run ended first (exit ${code})`)));
        });
        await workbench.runCommand('Autoexp: Reset Pack');
        await workbench.quickInput('smoke', /smoke-keep-revert/);
        await page
          .locator('.notifications-toasts')
          .getByText(/^Autoexp: smoke-keep-revert is already running \(run \S+, pid \d+, since .*\); stop that run first$/)
          .waitFor();
        assert.equal(readFileSync(candidate, 'utf8'), 'held\n', 'the reset did not write under the run');
      } finally {
        if (run.exitCode === null && run.signalCode === null) {
          const exited = new Promise((r) => run.once('exit', r));
          run.kill('SIGINT');
          await exited;
        }
        rmSync(path.dirname(hold), { recursive: true, force: true });
      }
      assert.equal(readFileSync(candidate, 'utf8'), baseline, 'the stopped run put the target back');
      await workbench.runCommand('Notifications: Clear All Notifications');
    });
  });

  test('Run Loop from the tree: the terminal shows the bad proposal reverted and the fix kept', async () => {
    await ui('run-loop', page, server, async () => {
      const pack = path.join(workspace, 'atris/experiments/smoke-keep-revert');
      const rowsBefore = readFileSync(path.join(pack, 'results.tsv'), 'utf8').trimEnd().split('\n').length;
      const view = await workbench.openExperiments();
      await view.inlineAction(view.pack(/^smoke-keep-revert/), 'Run Loop');
      // The multi-select offers every proposal, all checked, in order: accept it as it is.
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor();
      assert.deepEqual((await rows.allInnerTexts()).map((t) => t.trim()), ['bad_patch.py', 'fix_patch.py']);
      assert.deepEqual(await rows.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-checked'))), ['true', 'true']);
      await page.keyboard.press('Enter');
      const terminal = new TerminalPanel(page);
      await terminal.line(/TRIAL 1 REVERTED score=0\.2000 proposal=bad_patch\.py/).first().waitFor({ timeout: 60_000 });
      await terminal.line(/TRIAL 2 KEPT score=1\.0000 proposal=fix_patch\.py/).first().waitFor({ timeout: 60_000 });
      await terminal.line(/FINAL 1\.0000/).first().waitFor({ timeout: 30_000 });
      assert.equal(readFileSync(path.join(pack, 'candidate.py'), 'utf8'), 'def count_words(text):\n    return len(text.split())\n');
      const rowsAfter = readFileSync(path.join(pack, 'results.tsv'), 'utf8').trimEnd().split('\n');
      assert.equal(rowsAfter.length, rowsBefore + 2);
      assert.deepEqual(rowsAfter.slice(-2).map((r) => r.split('\t').slice(1, 6)), [
        ['1', 'reverted', '0.2000', '0.2000', 'bad_patch.py'],
        ['2', 'kept', '0.2000', '1.0000', 'fix_patch.py'],
      ]);
      // The task ends; the tree shows the new best and the finished-run message appears.
      await page.getByText(/Autoexp: smoke-keep-revert finished: 1 kept, 1 reverted, 0 error; best 1\.0000\./).first().waitFor({ timeout: 30_000 });
      await view.pack(/^smoke-keep-revert best 1\.0000 ↑ · 2 trials/).waitFor({ timeout: 15_000 });
    });
  });

  test('a reverted trial opens its diff: the target before it, and the bad candidate it threw away', async () => {
    await ui('trial-diff', page, server, async () => {
      const view = await workbench.openExperiments();
      await view.collapseAll();
      await view.expand(view.pack(/^smoke-keep-revert/));
      await view.expand(page.getByRole('treeitem', { name: /^Runs 1$/ }));
      await view.expand(page.getByRole('treeitem', { name: /^Run 1 / }));
      await page.getByRole('treeitem', { name: '1 REVERTED 0.2000 → 0.2000 · bad_patch.py' }).click();
      await page.getByRole('tab', { name: /smoke-keep-revert · trial 1 · REVERTED 0\.20 → 0\.20/ }).waitFor();
      const diff = new DiffEditor(page);
      await diff.modified.getByText("return text.count(' ') + 1").waitFor();
      assert.match(await diff.originalText(), /return len\(text\.split\(" "\)\)/);
    });
  });

  test('Show Results charts the smoke loop: two trial points and a best line; a point opens its diff', async () => {
    await ui('results-chart', page, server, async () => {
      const view = await workbench.openExperiments();
      await view.inlineAction(view.pack(/^smoke-keep-revert/), 'Show Results');
      await page.getByRole('tab', { name: /Results: smoke-keep-revert/ }).waitFor();
      const chart = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      const body = chart.locator('body[data-state="ready"]');
      await body.waitFor({ timeout: 30_000 });
      assert.equal(await body.getAttribute('data-points'), '2');
      assert.equal(await body.getAttribute('data-best-steps'), '2');
      await chart.getByRole('row').filter({ hasText: 'bad_patch.py' }).click();
      await page.getByRole('tab', { name: /smoke-keep-revert · trial 1 · REVERTED/ }).waitFor();
    });
  });

  test('the target shows its history in a CodeLens, and Show History opens a trial\'s diff', async () => {
    await ui('target-codelens', page, server, async () => {
      await workbench.openFile('atris/experiments/smoke-keep-revert/candidate.py');
      const lens = page.locator('.codelens-decoration a', { hasText: 'Last kept: trial 2 (+0.80) · 0 reverted since' });
      await lens.waitFor({ timeout: 30_000 });
      await page.locator('.codelens-decoration a', { hasText: 'Show History' }).click();
      await workbench.quickInput('REVERTED', /smoke-keep-revert · trial 1 · REVERTED/);
      await page.getByRole('tab', { name: /smoke-keep-revert · trial 1 · REVERTED 0\.20 → 0\.20/ }).waitFor();
    });
  });

  test('Stop Run mid-trial: the run ends and the target is as it was before the trial', async () => {
    await ui('stop-run', page, server, async () => {
      const pack = path.join(workspace, 'atris/experiments/smoke-keep-revert');
      const target = path.join(pack, 'candidate.py');
      const before = readFileSync(target, 'utf8');
      writeFileSync(path.join(pack, 'proposals', 'slow_patch.py'), 'import os, time\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("half-written\\n")\nprint("writing", flush=True)\ntime.sleep(120)\n');
      await workbench.runCommand('Autoexp: Run Proposal');
      await workbench.quickInput('smoke', /smoke-keep-revert/);
      await workbench.quickInput('slow', /slow_patch\.py/);
      const deadline = Date.now() + 60_000;
      while (readFileSync(target, 'utf8') !== 'half-written\n' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(readFileSync(target, 'utf8'), 'half-written\n', 'the proposal started');
      await page.getByRole('button', { name: 'Autoexp run: smoke-keep-revert, 0 of 1 trials done' }).waitFor({ timeout: 10_000 });
      await workbench.runCommand('Autoexp: Stop Run');
      await page.getByText(/Autoexp: smoke-keep-revert was stopped/).first().waitFor({ timeout: 15_000 });
      assert.equal(readFileSync(target, 'utf8'), before);
      // The proposal runs inside its shim, whose command line names it too.
      assert.equal(spawnSync('pgrep', ['-f', 'slow_patch\\.py']).status, 1, 'no process of the run is left');
    });
  });

  test('New Pack creates a pack that validates with no problem and whose loop runs', async () => {
    await ui('new-pack', page, server, async () => {
      await workbench.runCommand('Autoexp: New Pack');
      await workbench.quickInput('Bad Name');
      await page.getByText(/"Bad Name" is not a lowercase-hyphen slug/).first().waitFor();
      await workbench.quickInput('smoke-keep-revert');
      await page.getByText(/smoke-keep-revert already exists/).first().waitFor();
      await workbench.quickInput('word-count');
      await page.getByRole('tab', { name: /program\.md/ }).first().waitFor();
      const dir = path.join(workspace, 'atris/experiments/word-count');
      const view = await workbench.openExperiments();
      await view.pack(/^word-count/).waitFor({ timeout: 30_000 });
      const result = (await new Promise((resolve) => setTimeout(resolve, 1500)), execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist/cli.cjs'), 'validate', dir, '--json'], { encoding: 'utf8' }));
      assert.deepEqual(JSON.parse(result).findings, []);
      const problems = await workbench.openProblems();
      await problems.filter('word-count:');
      assert.equal(await problems.problem(/word-count/).count(), 0);
      await problems.filter('');
      const loop = execFileSync('python3', ['loop.py', '--proposal', 'proposals/example_proposal.py'], { cwd: dir, encoding: 'utf8' });
      assert.match(loop, /^BASELINE 0\.4000\nTRIAL 1 KEPT score=1\.0000 proposal=example_proposal\.py\nFINAL 1\.0000\n$/);
    });
  });
});

describe('restricted mode (folder not trusted)', () => {
  let server: RunningServer;
  let page: Page;
  let profile: Profile;
  let workspace: string;

  before(async () => {
    profile = newProfile();
    installVsix(profile, VSIX);
    workspace = workspaceCopy(FIXTURE_WORKSPACE);
    server = await serve({ profile, folder: workspace, trusted: false });
    page = await newPage(browser);
  });
  after(async () => {
    await page?.context().close();
    await server?.stop();
    rmSync(profile.base, { recursive: true, force: true });
    rmSync(path.dirname(workspace), { recursive: true, force: true });
  });

  test('the packs are still listed', async () => {
    await ui('restricted-mode', page, server, async () => {
      const url = server.url;
      const workbench = await Workbench.open(page, `${url}/`);
      await workbench.declineTrust();
      await page.getByText(/Restricted Mode/).first().waitFor();
      const view = await workbench.openExperiments();
      await view.pack(/smoke-keep-revert/).waitFor();
      assert.deepEqual((await view.packLabels()).map((l) => l.split(' ')[0]), [...TEST_PACKS, 'Examples']);
    });
  });

  test('commands that run Python are hidden; the rest are there', async () => {
    await ui('restricted-commands', page, server, async () => {
      const workbench = new Workbench(page);
      const offered = await workbench.paletteOffers('Autoexp:');
      for (const hidden of ['Autoexp: Measure', 'Autoexp: Reset Pack', 'Autoexp: Run Loop', 'Autoexp: Run Proposal', 'Autoexp: Stop Run']) assert.ok(!offered.includes(hidden), `${hidden} in ${offered.join(', ')}`);
      for (const shown of ['Autoexp: Validate Packs', 'Autoexp: New Pack', 'Autoexp: Refresh']) assert.ok(offered.includes(shown), `${shown} in ${offered.join(', ')}`);
    });
  });
});
