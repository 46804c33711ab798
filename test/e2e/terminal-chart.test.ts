/**
 * What a trial changed, seen in a real VS Code (code-server 4.100.3 with the packaged .vsix, driven
 * by Debian's Chromium): diffs inline in the Run Loop terminal, `trial N` links to the diff editor,
 * the chart's points (from x = 1, a revert below the baseline in view, a click opening its diff),
 * and Reconstruct Diff for a trial the journal never saw. A workspace and profile of its own.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, saveArtifacts } from './harness/browser';
import { installVsix, newProfile, serve, type Profile, type RunningServer } from './harness/codeServer';
import { FIXTURE_WORKSPACE, REPO_ROOT } from './harness/paths';
import { uiStep } from './harness/uiStep';
import { workspaceCopy } from './harness/workspace';
import { ResultsChart, RunTerminal, SettingsEditor } from './pages/trialViews';
import { DiffEditor, Workbench } from './pages/workbench';

const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const VSIX = path.join(REPO_ROOT, `autoexp-${version}.vsix`);
/** Scores 0.0, below the smoke pack's baseline of 0.2: the loop reverts it. */
/** The command line of the Run Loop below, as the task terminal shows it. */
const SMOKE_RUN = 'experiments/smoke-keep-revert --proposal fix_patch.py --proposal worse_patch.py';
const WORSE_PATCH = 'import os\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("def count_words(text):\\n    return -1\\n")\nprint("applied a worse proposal")\n';

describe('trials in the terminal and the chart, in a real VS Code', () => {
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let profile: Profile;
  let server: RunningServer;
  let page: Page;
  let workspace: string;
  let workbench: Workbench;
  const experiments = () => path.join(workspace, 'atris', 'experiments');

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package)`);
    ({ browser, close: closeBrowser } = await launchBrowser());
    profile = newProfile();
    installVsix(profile, VSIX);
    workspace = workspaceCopy(FIXTURE_WORKSPACE);
    writeFileSync(path.join(experiments(), 'smoke-keep-revert', 'proposals', 'worse_patch.py'), WORSE_PATCH);
    // A pack whose loop was run by hand: results.tsv has its row, the run journal never saw it.
    const handLogged = path.join(experiments(), 'hand-logged');
    cpSync(path.join(experiments(), 'smoke-keep-revert'), handLogged, { recursive: true });
    execFileSync('python3', ['loop.py', '--proposal', 'proposals/bad_patch.py'], { cwd: handLogged });
    // A noisy pack run with the significant rule: each trial measured 3 times a side (at least).
    cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'noisy-pack'), path.join(experiments(), 'noisy'), { recursive: true });
    const counter = path.join(path.dirname(workspace), 'noisy-counter');
    execFileSync(
      process.execPath,
      [path.join(REPO_ROOT, 'dist', 'cli.cjs'), 'run', 'atris/experiments/noisy', '--engine', 'native', '--keep-rule', 'significant', '--repeat', '3', '--proposal', 'gain.py', '--proposal', 'same.py', '--no-diff'],
      { cwd: workspace, env: { ...process.env, NOISY_COUNTER: counter }, stdio: 'pipe' },
    );
    server = await serve({ profile, folder: workspace, trusted: true });
    page = await newPage(browser);
  });
  after(async () => {
    await page?.context().close();
    await server?.stop();
    await closeBrowser?.();
    rmSync(profile.base, { recursive: true, force: true });
    rmSync(path.dirname(workspace), { recursive: true, force: true });
  });

  test('Run Loop: every trial line is followed by its diff, the reverted candidate\'s added line included', async () => {
    await uiStep('terminal-inline-diff', page, server, async () => {
      workbench = await Workbench.open(page, server.folderUrl(workspace));
      await workbench.openExperiments();
      await workbench.runCommand('Autoexp: Run Loop');
      await workbench.quickInput('smoke', /smoke-keep-revert/);
      const rows = page.locator('.quick-input-list .monaco-list-row');
      await rows.first().waitFor();
      assert.deepEqual((await rows.allInnerTexts()).map((t) => t.trim()), ['bad_patch.py', 'fix_patch.py', 'worse_patch.py']);
      // Leave out bad_patch.py: the fix is kept, then the worse proposal is reverted below the baseline.
      await rows.filter({ hasText: 'bad_patch.py' }).click();
      assert.deepEqual(await rows.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-checked'))), ['false', 'true', 'true']);
      await page.keyboard.press('Enter');
      // Room for every line of the run: xterm keeps only the rows in view in the page.
      await workbench.runCommandWithEnter('View: Toggle Maximized Panel');
      const terminal = new RunTerminal(page, SMOKE_RUN);
      const kept = terminal.row(/^TRIAL 1 KEPT score=1\.0000 proposal=fix_patch\.py/);
      await kept.waitFor({ timeout: 60_000 });
      await terminal.row(/^\s+\+\s+return len\(text\.split\(\)\)/).waitFor();
      const reverted = terminal.row(/^TRIAL 2 REVERTED score=0\.0000 proposal=worse_patch\.py/);
      await reverted.waitFor({ timeout: 60_000 });
      const added = terminal.row(/^\s+\+\s+return -1/);
      await added.waitFor();
      await terminal.row(/^\s+-\s+return len\(text\.split\(\)\)/).waitFor();
      await terminal.row(/^FINAL 1\.0000/).waitFor({ timeout: 30_000 });
      // The task's terminal is a terminal: lines coloured, kept green, reverted dim, the added line green.
      await terminal.painted(kept, 'green').first().waitFor();
      await terminal.painted(reverted, 'dim').first().waitFor();
      await terminal.painted(added, 'green').first().waitFor();
      await page.getByText(/Autoexp: smoke-keep-revert finished: 1 kept, 1 reverted, 0 error; best 1\.0000\./).first().waitFor({ timeout: 30_000 });
    });
  });

  test('clicking "trial 2" in the terminal opens that trial\'s diff editor', async () => {
    await uiStep('terminal-trial-link', page, server, async () => {
      const terminal = new RunTerminal(page, SMOKE_RUN);
      await terminal.followLinkAtStart(terminal.row(/^TRIAL 2 REVERTED/), 'TRIAL 2');
      // The diff opens behind the maximized panel, or restores it as it opens: once it is there, the
      // panel's state is settled and says whether the editors need their room back.
      const tab = page.getByRole('tab', { name: /smoke-keep-revert · trial 2 · REVERTED 1\.00 → 0\.00/ });
      await tab.waitFor({ state: 'attached' });
      await workbench.restorePanel();
      await tab.waitFor();
      const diff = new DiffEditor(page);
      await diff.modified.getByText('return -1').waitFor();
      assert.match(await diff.originalText(), /return len\(text\.split\(\)\)/);
    });
  });

  test('the chart of the 2-trial log: trial 1 at x = 1, the revert below the baseline in view, a click on it opens its diff', async () => {
    await uiStep('chart-point-click', page, server, async () => {
      const view = await workbench.openExperiments();
      await view.inlineAction(view.pack('smoke-keep-revert').row, 'Show Results');
      await page.getByRole('tab', { name: /Results: smoke-keep-revert/ }).waitFor();
      const chart = new ResultsChart(page);
      await chart.ready();
      assert.equal(await chart.data('points'), '2');
      assert.equal(await chart.data('first-x'), '1');
      const [first, second] = await chart.marks();
      assert.deepEqual([first.trial, first.status, first.inside], [1, 'kept', true]);
      assert.deepEqual([second.trial, second.status, second.inside], [2, 'reverted', true]);
      assert.ok(second.y > Number(await chart.data('baseline-y')), 'the reverted point is drawn below the baseline');
      assert.equal(await chart.data('outside'), '0');
      await saveArtifacts(page, 'chart-small-log', false);
      await chart.clickPoint(second);
      await page.getByRole('tab', { name: /smoke-keep-revert · trial 2 · REVERTED/ }).waitFor();
      await new DiffEditor(page).modified.getByText('return -1').waitFor();
    });
  });

  test('Reconstruct Diff replays a trial the journal never saw on a copy, and shows it', async () => {
    await uiStep('reconstruct-diff', page, server, async () => {
      const view = await workbench.openExperiments();
      const pack = view.pack('hand-logged');
      await view.expand(pack.row);
      await view.expand(pack.child(/^Runs 1$/));
      await view.expand(pack.child(/^Run 1 /, 2));
      const trial = pack.child(/^1 REVERTED 0\.2000 → 0\.2000 · bad_patch\.py$/, 3);
      await view.inlineAction(trial, 'Reconstruct Diff');
      await page.getByRole('tab', { name: /hand-logged · trial 1 · REVERTED \(reconstructed from the target as it is now/ }).waitFor({ timeout: 30_000 });
      await new DiffEditor(page).modified.getByText("return text.count(' ') + 1").waitFor();
      const target = readFileSync(path.join(experiments(), 'hand-logged', 'candidate.py'), 'utf8');
      assert.match(target, /return len\(text\.split\(" "\)\)/, 'the real target is untouched');
    });
  });

  test('with autoexp.terminal.inlineDiffs off the terminal shows the loop\'s lines only', async () => {
    await uiStep('terminal-no-diff', page, server, async () => {
      await workbench.runCommand('Preferences: Open Settings (UI)');
      await new SettingsEditor(page).setCheckbox('autoexp.terminal.inlineDiffs', false);
      await workbench.runCommand('Autoexp: Run Proposal');
      await workbench.quickInput('hand', /hand-logged/);
      await workbench.quickInput('fix', /fix_patch\.py/);
      const terminal = new RunTerminal(page, 'experiments/hand-logged --proposal fix_patch.py');
      await terminal.row(/^TRIAL 1 KEPT score=1\.0000 proposal=fix_patch\.py/).waitFor({ timeout: 60_000 });
      await terminal.row(/^FINAL 1\.0000/).waitFor({ timeout: 30_000 });
      assert.equal(await terminal.rows.filter({ hasText: /^\s+@@ / }).count(), 0);
    });
  });

  test('a --repeat run: the chart shades the baseline\'s noise band and draws a whisker at each trial', async () => {
    await uiStep('chart-whiskers', page, server, async () => {
      await workbench.runCommand('View: Close All Editors');
      const view = await workbench.openExperiments();
      await view.inlineAction(view.pack('noisy').row, 'Show Results');
      await page.getByRole('tab', { name: /Results: noisy/ }).waitFor();
      const chart = new ResultsChart(page);
      await chart.ready();
      assert.equal(await chart.data('whiskers'), '[2,3]');
      const [low, high] = (await chart.data('noise-band'))!.split('..').map(Number);
      assert.ok(low < 0.5 && 0.5 < high && high - low < 0.05, `a band around the baseline 0.5 of about ±0.01: ${low}..${high}`);
      await saveArtifacts(page, 'chart-whiskers', false);
    });
  });
});
