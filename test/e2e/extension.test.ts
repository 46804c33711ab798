/**
 * Autoexp in a real VS Code: code-server 4.100.3 (VS Code 1.100.3) with the packaged .vsix installed,
 * driven by Debian's Chromium. Each `describe` is one starting state with a window of its own (see
 * harness/window.ts); tests that change the smoke pack each get a fresh one, so any test passes alone.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { newPage, saveArtifacts } from './harness/browser';
import type { Profile } from './harness/codeServer';
import { autoexpErrors, profileLogs } from './harness/logs';
import { commandLineRunning } from './harness/processes';
import { packagedWindows, VERSION } from './harness/packaged';
import { REPO_ROOT } from './harness/paths';
import { DiffEditor, TerminalPanel } from './pages/workbench';

const TEST_PACKS = ['Bad_Slug', 'bloated-program', 'huge-results', 'long-log', 'missing-measure', 'outside-target', 'smoke-keep-revert'];
const SMOKE = 'atris/experiments/smoke-keep-revert';

const { window, browser } = packagedWindows();
const installedFile = (profile: Profile, ...parts: string[]) => path.join(profile.extensionsDir, `autoexp.autoexp-${VERSION}`, ...parts);

describe('the test packs as checked in', () => {
  const vs = window();

  test('the .vsix installs', () => {
    assert.match(vs.installOutput, /Extension 'autoexp-0\.1\.0\.vsix' was successfully installed/);
    assert.ok(readdirSync(vs.profile.extensionsDir).includes(`autoexp.autoexp-${VERSION}`));
  });

  test('the Experiments container lists every test pack with its first sentence', async () => {
    await vs.step('experiments-view', async () => {
      const view = await vs.workbench.openExperiments();
      for (const slug of TEST_PACKS) await view.pack(slug).row.waitFor();
      const labels = await view.packLabels();
      assert.deepEqual(labels.map((l) => l.split(' ')[0]), [...TEST_PACKS, 'Examples']);
      assert.equal(await view.item(/hello-example/).count(), 0, 'examples are grouped apart, collapsed');
      const smoke = view.pack('smoke-keep-revert');
      await view.expand(smoke.row);
      await smoke.child(/^Program Make count_words count words correctly\.$/).waitFor();
    });
  });

  test('the extension activated with no error in its log', async () => {
    await vs.step('activation-log', async () => {
      // The Output view shows the log file itself: once a line is on screen, it is on disk.
      const output = await vs.workbench.showOutputChannel('Autoexp');
      await output.getByText('pack language server started').waitFor();
      const ours = profileLogs(vs.profile.userDataDir)
        .filter((l) => l.file.endsWith(path.join('autoexp.autoexp', 'Autoexp.log')))
        .map((l) => l.text)
        .join('');
      assert.match(ours, /\[info\] Autoexp 0\.1\.0 activated/);
      assert.match(ours, /\[info\] found 7 pack\(s\) in 1 workspace folder\(s\)/);
      assert.match(ours, /\[info\] pack language server started/);
      assert.doesNotMatch(ours, /\[error\]/);
      assert.deepEqual(autoexpErrors(vs.profile.userDataDir), []);
    });
  });

  test('the Problems panel lists the malformed packs', async () => {
    await vs.step('problems-panel', async () => {
      const problems = await vs.workbench.openProblems();
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
    });
  });

  test('program.md of the bloated pack shows the squiggle', async () => {
    await vs.step('bloated-squiggle', async () => {
      const editor = await vs.workbench.openFile('atris/experiments/bloated-program/program.md');
      await editor.squiggles('error').first().waitFor();
      assert.ok((await editor.squiggles('error').count()) >= 1);
    });
  });

  test('the tree shows best scores and runs; a pack expands to its parts', async () => {
    await vs.step('tree-details', async () => {
      const view = await vs.workbench.openExperiments();
      const labels = await view.packLabels();
      assert.ok(labels.includes('outside-target best 1.0000 ↑ · 3 trials'), labels.join(' | '));
      assert.ok(labels.includes('smoke-keep-revert no trials yet'), labels.join(' | '));
      // Another pack open above it: each lookup below must still find exactly one row.
      await view.expand(view.pack('long-log').row);
      const pack = view.pack('outside-target');
      await view.expand(pack.row);
      for (const child of [/^Program/, /^Target \.\.\/\.\.\/\.\.\/pkg\/greeting\.py/, /^Proposals 1/, /^Runs 1/, /^Results 3 rows/]) {
        await pack.child(child).waitFor();
      }
    });
  });
});

describe('the extension host', () => {
  const apiResults = path.join(mkdtempSync(path.join(tmpdir(), 'autoexp-e2e-api-')), 'results.json');
  const vs = window({ page: false, env: { AUTOEXP_E2E_RESULTS: apiResults } });
  after(() => rmSync(path.dirname(apiResults), { recursive: true, force: true }));

  test('activation, commands, diagnostics and tasks through the vscode API', async () => {
    const hostPage = await newPage(browser());
    try {
      const exit = new Promise<number>((resolve) => void hostPage.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
      const remote = (p: string) => `vscode-remote://${new URL(vs.server.url).host}${p}`;
      const payload = JSON.stringify([
        ['extensionDevelopmentPath', remote(installedFile(vs.profile))],
        ['extensionTestsPath', remote(path.join(REPO_ROOT, 'test', 'e2e', 'api', 'runner.cjs'))],
      ]);
      await hostPage.goto(`${vs.server.folderUrl(vs.workspace)}&payload=${encodeURIComponent(payload)}`);
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
});

describe('changes confined to one pack', () => {
  const vs = window();

  test('a quick fix creates the missing measure.py and the problem goes', async () => {
    await vs.step('quick-fix', async () => {
      const problems = await vs.workbench.openProblems();
      await problems.filter('missing-measure:');
      const missing = problems.problem(/missing-measure: missing required file measure\.py/).first();
      await missing.waitFor();
      const editor = await vs.workbench.openFile('atris/experiments/missing-measure/program.md');
      await editor.goToLine(1);
      await editor.applyQuickFix(/Create measure\.py from the pack template/);
      await missing.waitFor({ state: 'detached', timeout: 30_000 });
      // files.refactoring.autoSave (on by default) saves the files a workspace edit touched; a saved
      // editor is no longer dirty, and then the file on disk is whole.
      await vs.workbench.openFile('atris/experiments/missing-measure/measure.py');
      await vs.workbench.savedTab('measure.py').waitFor();
      const template = readFileSync(path.join(REPO_ROOT, 'templates/pack/measure.py'), 'utf8');
      assert.equal(readFileSync(path.join(vs.workspace, 'atris/experiments/missing-measure/measure.py'), 'utf8'), template);
    });
  });

  test('a crashed language server is restarted, and the user is told once', async () => {
    await vs.step('server-restart', async () => {
      const serverModule = installedFile(vs.profile, 'dist', 'server.cjs');
      const pids = () => (spawnSync('pgrep', ['-f', serverModule], { encoding: 'utf8' }).stdout ?? '').trim().split('\n').filter(Boolean).map(Number);
      const before = pids();
      assert.equal(before.length, 1, `one server: ${before.join(', ')}`);
      process.kill(before[0], 'SIGKILL');
      await vs.page.getByText('Autoexp: the pack language server stopped and was restarted.').first().waitFor({ timeout: 30_000 });
      // A problem that appears after the crash can only come from a server that runs again.
      writeFileSync(path.join(vs.workspace, 'atris/experiments/long-log/program.md'), `${'Shorten the log. '.repeat(80)}\n`);
      const problems = await vs.workbench.openProblems();
      await problems.filter('long-log:');
      await problems.problem(/long-log: program\.md too long \(1361 chars > 1200\)/).first().waitFor({ timeout: 30_000 });
      const now = pids();
      assert.equal(now.length, 1, `one server: ${now.join(', ')}`);
      assert.notEqual(now[0], before[0]);
    });
  });

  test('New Pack creates a pack that validates with no problem and whose loop runs', async () => {
    await vs.step('new-pack', async () => {
      const { page, workbench } = vs;
      await workbench.runCommand('Autoexp: New Pack');
      await workbench.quickInput('Bad Name');
      await page.getByText(/"Bad Name" is not a lowercase-hyphen slug/).first().waitFor();
      await workbench.quickInput('smoke-keep-revert');
      await page.getByText(/smoke-keep-revert already exists/).first().waitFor();
      await workbench.quickInput('word-count');
      // program.md opens once the whole template is copied.
      await page.getByRole('tab', { name: /program\.md/ }).first().waitFor();
      const dir = path.join(vs.workspace, 'atris/experiments/word-count');
      const view = await workbench.openExperiments();
      await view.pack('word-count').row.waitFor({ timeout: 30_000 });
      const result = execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist/cli.cjs'), 'validate', dir, '--json'], { encoding: 'utf8' });
      assert.deepEqual(JSON.parse(result).findings, []);
      const problems = await workbench.openProblems();
      await problems.filter('word-count:');
      assert.equal(await problems.problem(/word-count/).count(), 0);
      const loop = execFileSync('python3', ['loop.py', '--proposal', 'proposals/example_proposal.py'], { cwd: dir, encoding: 'utf8' });
      assert.match(loop, /^BASELINE 0\.4000\nTRIAL 1 KEPT score=1\.0000 proposal=example_proposal\.py\nFINAL 1\.0000\n$/);
    });
  });
});

describe('Reset Pack', () => {
  const vs = window();

  test('Reset Pack from the command palette restores the smoke target and the tree shows the baseline', async () => {
    await vs.step('reset-pack', async () => {
      const candidate = path.join(vs.workspace, SMOKE, 'candidate.py');
      const baseline = readFileSync(candidate, 'utf8');
      writeFileSync(candidate, 'def count_words(text):\n    return len(text.split())\n');
      await vs.workbench.runCommand('Autoexp: Reset Pack');
      await vs.workbench.quickInput('smoke', /smoke-keep-revert/);
      await vs.workbench.answerDialog('Reset');
      const view = await vs.workbench.openExperiments();
      await view.pack('smoke-keep-revert').labelled(/^smoke-keep-revert now 0\.2000 · no trials yet/).waitFor({ timeout: 30_000 });
      assert.equal(readFileSync(candidate, 'utf8'), baseline);
    });
  });
});

describe('Reset Pack under a run', () => {
  const vs = window();

  test('Reset Pack refuses while a run holds the pack, names the run, and leaves the target alone', async () => {
    await vs.step('reset-refused', async () => {
      const { page, workbench } = vs;
      const pack = path.join(vs.workspace, SMOKE);
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
});

describe('Run Loop', () => {
  const vs = window();

  test('Run Loop from the tree: the terminal shows the bad proposal reverted and the fix kept', async () => {
    await vs.step('run-loop', async () => {
      const { page, workbench } = vs;
      const pack = path.join(vs.workspace, SMOKE);
      const rowsBefore = readFileSync(path.join(pack, 'results.tsv'), 'utf8').trimEnd().split('\n').length;
      const view = await workbench.openExperiments();
      const smoke = view.pack('smoke-keep-revert');
      await view.inlineAction(smoke.row, 'Run Loop');
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
      // The engine prints FINAL after its last row is written.
      assert.equal(readFileSync(path.join(pack, 'candidate.py'), 'utf8'), 'def count_words(text):\n    return len(text.split())\n');
      const rowsAfter = readFileSync(path.join(pack, 'results.tsv'), 'utf8').trimEnd().split('\n');
      assert.equal(rowsAfter.length, rowsBefore + 2);
      assert.deepEqual(rowsAfter.slice(-2).map((r) => r.split('\t').slice(1, 6)), [
        ['1', 'reverted', '0.2000', '0.2000', 'bad_patch.py'],
        ['2', 'kept', '0.2000', '1.0000', 'fix_patch.py'],
      ]);
      // The task ends; the tree shows the new best and the finished-run message appears.
      await page.getByText(/Autoexp: smoke-keep-revert finished: 1 kept, 1 reverted, 0 error; best 1\.0000\./).first().waitFor({ timeout: 30_000 });
      await smoke.labelled(/^smoke-keep-revert best 1\.0000 ↑ · 2 trials/).waitFor({ timeout: 15_000 });
    });
  });
});

describe('Stop Run', () => {
  const vs = window({
    prepare: (workspace) =>
      writeFileSync(
        path.join(workspace, SMOKE, 'proposals', 'slow_patch.py'),
        'import os, time\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("half-written\\n")\nprint("writing", flush=True)\ntime.sleep(120)\n',
      ),
  });

  test('Stop Run mid-trial: the run ends and the target is as it was before the trial', async () => {
    await vs.step('stop-run', async () => {
      const { page, workbench } = vs;
      const target = path.join(vs.workspace, SMOKE, 'candidate.py');
      const before = readFileSync(target, 'utf8');
      // An open editor that is not dirty follows the file on disk: it shows when the proposal has written.
      const editor = await workbench.openFile(`${SMOKE}/candidate.py`);
      await editor.lines.getByText('def count_words(text):').waitFor();
      await workbench.runCommand('Autoexp: Run Proposal');
      await workbench.quickInput('smoke', /smoke-keep-revert/);
      await workbench.quickInput('slow', /slow_patch\.py/);
      await editor.lines.getByText('half-written').waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Autoexp run: smoke-keep-revert, 0 of 1 trials done' }).waitFor({ timeout: 10_000 });
      // The proposal runs from a copy in its shim's folder, in the pack's folder of this workspace.
      const proposalRunning = () => commandLineRunning('slow_patch.py', path.join(vs.workspace, SMOKE));
      assert.equal(proposalRunning(), true, 'the proposal is running before the stop');
      await workbench.runCommand('Autoexp: Stop Run');
      await page.getByText(/Autoexp: smoke-keep-revert was stopped/).first().waitFor({ timeout: 15_000 });
      assert.equal(readFileSync(target, 'utf8'), before);
      assert.equal(proposalRunning(), false, 'no process of the run is left');
    });
  });
});

describe('after a loop of the smoke pack, run with the CLI', () => {
  const vs = window({
    // The same command line the Run Loop task runs, from the installed extension.
    prepare: (workspace, profile) =>
      execFileSync(process.execPath, [installedFile(profile, 'dist', 'cli.cjs'), 'run', SMOKE, '--proposal', 'bad_patch.py', '--proposal', 'fix_patch.py'], { cwd: workspace, stdio: 'pipe' }),
  });

  test('a reverted trial opens its diff: the target before it, and the bad candidate it threw away', async () => {
    await vs.step('trial-diff', async () => {
      const view = await vs.workbench.openExperiments();
      const smoke = view.pack('smoke-keep-revert');
      await view.expand(smoke.row);
      await view.expand(smoke.child(/^Runs 1$/));
      await view.expand(smoke.child(/^Run 1 /, 2));
      await smoke.child(/^1 REVERTED 0\.2000 → 0\.2000 · bad_patch\.py$/, 3).click();
      await vs.page.getByRole('tab', { name: /smoke-keep-revert · trial 1 · REVERTED 0\.20 → 0\.20/ }).waitFor();
      const diff = new DiffEditor(vs.page);
      await diff.modified.getByText("return text.count(' ') + 1").waitFor();
      assert.match(await diff.originalText(), /return len\(text\.split\(" "\)\)/);
    });
  });

  test('Show Results charts the smoke loop: two trial points and a best line; a point opens its diff', async () => {
    await vs.step('results-chart', async () => {
      const { page, workbench } = vs;
      const view = await workbench.openExperiments();
      await view.inlineAction(view.pack('smoke-keep-revert').row, 'Show Results');
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

  test("the target shows its history in a CodeLens, and Show History opens a trial's diff", async () => {
    await vs.step('target-codelens', async () => {
      const { page, workbench } = vs;
      await workbench.openFile(`${SMOKE}/candidate.py`);
      const lens = page.locator('.codelens-decoration a', { hasText: 'Last kept: trial 2 (+0.80) · 0 reverted since' });
      await lens.waitFor({ timeout: 30_000 });
      await page.locator('.codelens-decoration a', { hasText: 'Show History' }).click();
      await workbench.quickInput('REVERTED', /smoke-keep-revert · trial 1 · REVERTED/);
      await page.getByRole('tab', { name: /smoke-keep-revert · trial 1 · REVERTED 0\.20 → 0\.20/ }).waitFor();
    });
  });
});

describe('restricted mode (folder not trusted)', () => {
  const vs = window({ trusted: false });

  test('the packs are still listed', async () => {
    await vs.step('restricted-mode', async () => {
      await vs.page.getByText(/Restricted Mode/).first().waitFor();
      const view = await vs.workbench.openExperiments();
      await view.pack('smoke-keep-revert').row.waitFor();
      assert.deepEqual((await view.packLabels()).map((l) => l.split(' ')[0]), [...TEST_PACKS, 'Examples']);
    });
  });

  test('commands that run Python are hidden; the rest are there', async () => {
    await vs.step('restricted-commands', async () => {
      const offered = await vs.workbench.paletteOffers('Autoexp:');
      for (const hidden of ['Autoexp: Measure', 'Autoexp: Reset Pack', 'Autoexp: Run Loop', 'Autoexp: Run Proposal', 'Autoexp: Stop Run', 'Autoexp: Start Autopilot', 'Autoexp: Stop Autopilot']) assert.ok(!offered.includes(hidden), `${hidden} in ${offered.join(', ')}`);
      for (const shown of ['Autoexp: Validate Packs', 'Autoexp: New Pack', 'Autoexp: Refresh']) assert.ok(offered.includes(shown), `${shown} in ${offered.join(', ')}`);
    });
  });
});
