/**
 * Views the README shows that no step of extension.test.ts leaves on screen, each checked before its
 * screenshot is taken: the results chart of a 300-trial log (10 runs of a real loop's shape), in
 * VS Code. `npm run screenshots` copies the screenshot into media/readme/.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, saveArtifacts } from './harness/browser';
import { installVsix, newProfile, serve, type Profile, type RunningServer } from './harness/codeServer';
import { FIXTURE_WORKSPACE, REPO_ROOT } from './harness/paths';
import { workspaceCopy } from './harness/workspace';
import { Workbench } from './pages/workbench';

const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const VSIX = path.join(REPO_ROOT, `autoexp-${version}.vsix`);

describe('views the README shows', () => {
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let profile: Profile;
  let server: RunningServer;
  let page: Page;
  let workspace: string;

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package)`);
    ({ browser, close: closeBrowser } = await launchBrowser());
    profile = newProfile();
    installVsix(profile, VSIX);
    workspace = workspaceCopy(FIXTURE_WORKSPACE);
    server = await serve({ profile, folder: workspace, trusted: true });
    page = await newPage(browser);
  });
  after(async () => {
    await page?.context().close();
    await server?.stop();
    await closeBrowser?.();
    if (profile) rmSync(profile.base, { recursive: true, force: true });
    if (workspace) rmSync(path.dirname(workspace), { recursive: true, force: true });
  });

  test('Show Results on the 300-trial long-log pack charts every trial of its 10 runs', async () => {
    let failed = false;
    try {
      const workbench = await Workbench.open(page, server.folderUrl(workspace));
      const view = await workbench.openExperiments();
      await view.inlineAction(view.pack('long-log').row, 'Show Results');
      await page.getByRole('tab', { name: /Results: long-log/ }).waitFor();
      const chart = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      const body = chart.locator('body[data-state="ready"]');
      await body.waitFor({ timeout: 30_000 });
      assert.equal(await body.getAttribute('data-kind'), 'scores');
      assert.equal(await body.getAttribute('data-points'), '300');
      await chart.locator('#summary', { hasText: '300 trial(s) · 10 run(s) · metric new_score' }).waitFor();
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      await saveArtifacts(page, 'results-chart-long-log', failed, server.log());
    }
  });
});
