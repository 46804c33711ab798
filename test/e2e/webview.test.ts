/**
 * The results page in Debian's Chromium on its own: the extension's HTML and CSP, the built page
 * script, and messages fed to it as VS Code would. What it draws, what it escapes, what it refuses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ToWebview } from '../../src/shared/chartMessages';
import { launchBrowser, newPage, saveArtifacts } from './harness/browser';
import { ResultsPage } from './harness/resultsPage';

type SeriesMessage = Extract<ToWebview, { type: 'series' }>;

const XSS = '<img src=x onerror="window.pwned=1">';

/** The smoke pack after its loop, plus a crashed trial whose description tries to be HTML. */
const SMOKE: SeriesMessage = {
  type: 'series',
  pack: 'smoke-keep-revert',
  diffLines: [2, 3],
  series: {
    metric: 'new_score',
    direction: 'higher',
    numeric: true,
    baseline: 0.2,
    yRange: { min: 0.16, max: 1.04 },
    runBoundaries: [],
    runs: [{ index: 0, id: 'run 1', kept: 1, reverted: 1, error: 1 }],
    best: [{ x: 1, y: 0.2 }, { x: 2, y: 1 }],
    points: [
      { x: 1, y: 0.2, status: 'reverted', run: 0, trial: 1, line: 2, oldScore: 0.2, proposal: 'bad_patch.py', description: 'count spaces plus one' },
      { x: 2, y: 1, status: 'kept', run: 0, trial: 2, line: 3, oldScore: 0.2, proposal: 'fix_patch.py', description: 'split on whitespace' },
      { x: 3, status: 'error', run: 0, trial: 3, line: 4, oldScore: 1, proposal: 'crash.py', description: XSS },
    ],
  },
};

let browser: Browser;
let closeBrowser: () => Promise<void>;
before(async () => ({ browser, close: closeBrowser } = await launchBrowser()));
after(async () => closeBrowser?.());

describe('the results page', () => {
  let page: Page;
  let results: ResultsPage;
  before(async () => {
    page = await newPage(browser);
    results = await ResultsPage.open(page);
  });
  after(async () => {
    await saveArtifacts(page, 'results-page', false);
    await page.context().close();
  });

  test('draws kept and reverted points, the error on the axis, the best line, in the theme\'s colours', async () => {
    await results.send(SMOKE);
    await page.locator('body[data-state="ready"]').waitFor();
    const data = await results.dataset();
    assert.equal(data.kind, 'scores');
    assert.equal(data.points, '2');
    assert.equal(data.bestSteps, '2');
    assert.deepEqual(JSON.parse(data.colors!), { kept: 'rgb(0, 160, 0)', reverted: 'rgb(140, 140, 140)', error: 'rgb(220, 0, 0)', best: 'rgb(0, 100, 255)' });
    // The pixels themselves: the kept point is filled green, the error cross is red.
    // No named functions inside evaluate: the test runner's transform would reference a helper the page lacks.
    const counts = await page.evaluate(() => {
      const canvas = document.getElementById('chart') as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const found = { green: 0, red: 0, blue: 0 };
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 3] !== 255) continue;
        const rgb = `${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`;
        if (rgb === '0,160,0') found.green++;
        else if (rgb === '220,0,0') found.red++;
        else if (rgb === '0,100,255') found.blue++;
      }
      return found;
    });
    assert.ok(counts.green >= 20, `green pixels: ${counts.green}`);
    assert.ok(counts.red >= 3, `red pixels: ${counts.red}`);
    assert.ok(counts.blue >= 20, `blue pixels: ${counts.blue}`);
    assert.equal(await page.locator('#summary').textContent(), '3 trial(s) · 1 run(s) · metric new_score');
    await saveArtifacts(page, 'results-page-scores', false);
  });

  test('log text is shown as text: an HTML description stays characters, nothing runs', async () => {
    const cell = page.getByRole('cell', { name: XSS, exact: true });
    await cell.waitFor();
    assert.equal(await page.locator('#table img').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
  });

  test('the CSP blocks an injected inline script', async () => {
    const violations = page.evaluate(
      () => new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true })),
    );
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.pwned = 2';
      document.body.append(script);
    });
    assert.equal(await violations, 'script-src-elem');
    assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
  });

  test('clicking a trial row asks the extension for its diff; a bad message is reported, not drawn', async () => {
    await page.getByRole('row').filter({ hasText: 'bad_patch.py' }).click();
    await results.send({ type: 'series', pack: 'x', series: { points: 'not a list' } });
    const posted = await results.posted();
    assert.deepEqual(posted.find((m) => m.type === 'openTrial'), { type: 'openTrial', line: 2 });
    const invalid = posted.find((m) => m.type === 'invalid') as { issue: string } | undefined;
    assert.match(invalid?.issue ?? '', /^series\.direction: Required; series\.points: Expected array, received string/);
    assert.equal((await results.dataset()).points, '2', 'the chart still shows the last good data');
  });

  test('appended rows are added to what the page holds; an append out of step asks for everything again', async () => {
    await results.send(SMOKE);
    const extra = { x: 4, y: 1.5, status: 'kept' as const, run: 0, trial: 4, line: 5, oldScore: 1, proposal: 'better.py', description: 'even better' };
    const grown = { ...SMOKE.series, best: [...SMOKE.series.best, { x: 4, y: 1.5 }], points: [extra] };
    await results.send({ type: 'append', from: 3, series: grown, diffLines: [2, 3] });
    await page.locator('body[data-points="3"][data-best-steps="3"]').waitFor();
    await page.getByRole('cell', { name: 'better.py', exact: true }).waitFor();
    const readyBefore = (await results.posted()).filter((m) => m.type === 'ready').length;
    await results.send({ type: 'append', from: 10, series: grown, diffLines: [] });
    assert.equal((await results.posted()).filter((m) => m.type === 'ready').length, readyBefore + 1);
  });

  test('a status-only log shows kept and reverted counts per run', async () => {
    await results.send({
      type: 'series',
      pack: 'status-only',
      diffLines: [],
      series: { direction: 'higher', numeric: false, points: [], best: [], runBoundaries: [], runs: [{ index: 0, id: 'run 1', kept: 3, reverted: 5, error: 0 }] },
    });
    await page.locator('body[data-kind="counts"]').waitFor();
  });
});
