/**
 * Autopilot in a real VS Code (code-server 4.100.3 with the packaged .vsix, Debian's Chromium): Start
 * Autopilot from the palette with a command agent chosen by the workspace's own settings, the scripted
 * agent of test/fixtures/agents in place of a real one (no network). The trials in the terminal, the
 * status bar, the pack's row and its Memory, Stop Autopilot, and results.tsv row by row.
 * The "vscode-lm" agent in code-server, which has no language model, says so and offers the others.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { packagedWindows } from './harness/packaged';
import { commandLineRunning } from './harness/processes';
import { REPO_ROOT } from './harness/paths';
import { RunTerminal } from './pages/trialViews';

const SMOKE = 'atris/experiments/smoke-keep-revert';
const AGENT = path.join(REPO_ROOT, 'test', 'fixtures', 'agents', 'scripted_agent.py');
/** Trial 1 reverted, 2 kept, 3 reverted at a reported cost of $0.10, 4 thinks until it is stopped. */
const PLAN = 'bad,good,costly,hang';
const FIXED = 'def count_words(text):\n    return len(text.split())\n';

const { window } = packagedWindows();

/** The workspace's own .vscode/settings.json: what a cloned repository can choose. */
function workspaceSettings(workspace: string, settings: Record<string, unknown>): void {
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

const rows = (workspace: string) =>
  readFileSync(path.join(workspace, SMOKE, 'results.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'));

describe('Start Autopilot with a command agent from the workspace settings', () => {
  const vs = window({
    prepare: (workspace) =>
      workspaceSettings(workspace, {
        'autoexp.autopilot.agent': 'command',
        'autoexp.autopilot.command': ['python3', AGENT, PLAN],
        'autoexp.autopilot.maxTrials': 4,
        'autoexp.autopilot.maxMinutes': 30,
        // The whole session up to trial 4 then fits in the maximized panel: xterm keeps only the rows
        // in view in the page, and a row scrolled away before the test looked for it is not there.
        'autoexp.terminal.inlineDiffs': false,
      }),
  });

  test('from the palette: asks once naming the command, then trials in the terminal, the status bar, the pack\'s row, Memory; Stop Autopilot', async () => {
    await vs.step('autopilot-start', async () => {
      const { page, workbench, workspace } = vs;
      assert.deepEqual(rows(workspace), [], 'the smoke pack starts with no trials');
      await workbench.runCommand('Autoexp: Start Autopilot');
      await workbench.quickInput('smoke', /smoke-keep-revert/);

      // The command comes from the workspace's settings: the user reads it before it runs.
      const dialog = workbench.dialog();
      await dialog.getByText("Autoexp: this workspace's settings choose the Autopilot agent").waitFor();
      await dialog.getByText(`python3 ${AGENT} ${PLAN}`).waitFor();
      await workbench.answerDialog('Allow and Start');

      // Room for every line of the session: xterm keeps only the rows in view in the page.
      await workbench.runCommandWithEnter('View: Toggle Maximized Panel');
      const terminal = new RunTerminal(page, PLAN);
      await terminal.row(/^AUTOPILOT started session ap-\d{8}T\d{6}Z with python3: 4 trial\(s\), 30 min left/).waitFor({ timeout: 60_000 });
      await terminal.row(/^BASELINE 0\.2000/).waitFor({ timeout: 60_000 });
      await terminal.row(/^TRIAL 1 REVERTED score=0\.2000 proposal=0001-trial-1-bad\.py/).waitFor({ timeout: 60_000 });
      await terminal.row(/^\s+hypothesis: good should score differently/).waitFor({ timeout: 60_000 });
      await terminal.row(/^TRIAL 2 KEPT score=1\.0000 proposal=0002-trial-2-good\.py/).waitFor({ timeout: 60_000 });
      await terminal.row(/^TRIAL 3 REVERTED score=0\.2000 proposal=0003-trial-3-costly\.py/).waitFor({ timeout: 60_000 });
      await terminal.row(/^AUTOPILOT trial 4: python3 is proposing \(1 trial\(s\), \d+ min left\)/).waitFor({ timeout: 60_000 });
      await terminal.row(/^thinking hard/).waitFor({ timeout: 60_000 });
      await workbench.runCommandWithEnter('View: Toggle Maximized Panel');

      // Trial 4's agent thinks until stopped: the status bar holds still at 3 of 4, $0.10 spent.
      const status = workbench.statusBarItem(/^Autoexp Autopilot on smoke-keep-revert: 3 of 4 trials done, \d+ minutes left, 0\.10 dollars spent$/);
      await status.waitFor({ timeout: 10_000 });
      assert.match((await status.innerText()).trim(), /^smoke-keep-revert autopilot 3\/4 · \d+ min left · \$0\.10$/);

      // The pack's row says Autopilot is running and how far; memory.md is a child that opens.
      const view = await workbench.openExperiments();
      const smoke = view.pack('smoke-keep-revert');
      await smoke.labelled(/^smoke-keep-revert Autopilot running 3\/4 · best 1\.0000 ↑ · 3 trials$/).waitFor({ timeout: 10_000 });
      await view.expand(smoke.row);
      await smoke.child(/^Memory memory\.md$/).click();
      await page.getByRole('tab', { name: /memory\.md/ }).waitFor();
      // Monaco writes spaces as no-break spaces; \s matches them.
      await page.locator('.editor-group-container.active .view-lines').getByText(/^-\strial\s2:\strial\s2:\sgood\s\(\+0\.8\)/).waitFor();

      assert.equal(commandLineRunning(`${AGENT} ${PLAN}`), true, 'trial 4\'s agent is thinking before the stop');
      await workbench.runCommand('Autoexp: Stop Autopilot');
      await page.getByText(/Autoexp: smoke-keep-revert was stopped/).first().waitFor({ timeout: 15_000 });
      await status.waitFor({ state: 'detached' });
      await smoke.labelled(/^smoke-keep-revert best 1\.0000 ↑ · 3 trials$/).waitFor({ timeout: 10_000 });

      // Exactly three rows: the stopped trial left none, and the kept candidate is the target.
      assert.deepEqual(
        rows(workspace).map((row) => [row[1], row[2], row[4], row[5]]),
        [
          ['1', 'reverted', '0.2000', '0001-trial-1-bad.py'],
          ['2', 'kept', '1.0000', '0002-trial-2-good.py'],
          ['3', 'reverted', '0.2000', '0003-trial-3-costly.py'],
        ],
      );
      assert.equal(readFileSync(path.join(workspace, SMOKE, 'candidate.py'), 'utf8'), FIXED);
      assert.equal(commandLineRunning(`${AGENT} ${PLAN}`), false, 'no agent process is left');
    });
  });

  test('a second start of the same command does not ask again', async () => {
    await vs.step('autopilot-remembered', async () => {
      const { page, workbench, workspace } = vs;
      const view = await workbench.openExperiments();
      // The pack's inline action passes the pack: no pick.
      await view.inlineAction(view.pack('smoke-keep-revert').row, 'Start Autopilot');
      await workbench.statusBarItem(/^Autoexp Autopilot on smoke-keep-revert: 3 of 4 trials done/).waitFor({ timeout: 60_000 });
      assert.equal(await workbench.dialog().count(), 0, 'no question this time');
      await view.inlineAction(view.pack('smoke-keep-revert').row, 'Stop Autopilot');
      await page.getByText(/Autoexp: smoke-keep-revert was stopped/).first().waitFor({ timeout: 15_000 });
      // Trial 2 proposed the target as it already was: an error trial, with its own row.
      assert.deepEqual(
        rows(workspace).slice(3).map((row) => [row[1], row[2], row[6]]),
        [
          ['1', 'reverted', 'trial 1: bad'],
          ['2', 'error', 'trial 2: good (agent proposed no change)'],
          ['3', 'reverted', 'trial 3: costly'],
        ],
      );
    });
  });
});

describe('the vscode-lm agent where VS Code has no language model (code-server)', () => {
  const vs = window({ prepare: (workspace) => workspaceSettings(workspace, { 'autoexp.autopilot.agent': 'vscode-lm' }) });

  test('says no language model is available and offers the command agents in the Settings editor', async () => {
    await vs.step('autopilot-no-model', async () => {
      const { page, workbench, workspace } = vs;
      await workbench.runCommand('Autoexp: Start Autopilot');
      await workbench.quickInput('smoke', /smoke-keep-revert/);
      const toast = page.locator('.notification-toast', { hasText: 'Autoexp: no language model is available in this VS Code, so Autopilot cannot use the "vscode-lm" agent.' });
      await toast.waitFor();
      await toast.getByRole('button', { name: 'Set Agent Command' }).waitFor();
      await toast.getByRole('button', { name: 'Choose an Agent' }).click();
      await page.locator('.settings-editor .setting-item-contents', { hasText: 'The coding agent that proposes each candidate' }).waitFor();
      assert.equal(existsSync(path.join(workspace, '.autoexp')), false, 'nothing ran');
    });
  });
});
