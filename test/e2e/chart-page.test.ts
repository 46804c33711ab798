/**
 * The results chart read at a glance, on the page alone in Debian's Chromium (the extension's HTML,
 * CSP and built script; messages fed as VS Code would): trials from x = 1, every point of a short
 * log in view, arrows for what a long log clips, VS Code's fonts, zoom kept across live updates.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { ToWebview } from '../../src/shared/chartMessages';
import { launchBrowser, newPage, saveArtifacts } from './harness/browser';
import { ResultsPage } from './harness/resultsPage';

type SeriesMessage = Extract<ToWebview, { type: 'series' }>;
type Mark = { trial: number; line: number; status: string; x: number; y: number; inside: boolean };

/** Two trials: one reverted well below the baseline, one kept; the range holds both (a short log). */
const SMALL: SeriesMessage = {
  type: 'series',
  pack: 'small',
  diffLines: [2, 3],
  series: {
    metric: 'new_score',
    direction: 'higher',
    numeric: true,
    baseline: 0.2,
    yRange: { min: -0.1, max: 1.1 },
    runBoundaries: [],
    runs: [{ index: 0, id: 'run 1', kept: 1, reverted: 1, error: 0 }],
    best: [{ x: 1, y: 0.2 }, { x: 2, y: 1 }],
    points: [
      { x: 1, y: 0, status: 'reverted', run: 0, trial: 1, line: 2, oldScore: 0.2, proposal: 'worse.py' },
      { x: 2, y: 1, status: 'kept', run: 0, trial: 2, line: 3, oldScore: 0.2, proposal: 'fix.py' },
    ],
  },
};

/** 60 trials, the first a diverged revert far below the baseline-to-best range a long log keeps. */
function longLog(): SeriesMessage {
  const points = Array.from({ length: 60 }, (_, i) => ({
    x: i + 1,
    y: i === 0 ? -5 : 1 + i / 100,
    status: i === 0 ? ('reverted' as const) : ('kept' as const),
    run: 0,
    trial: i + 1,
    line: i + 2,
  }));
  return {
    type: 'series',
    pack: 'long',
    diffLines: [],
    series: {
      direction: 'higher',
      numeric: true,
      baseline: 1,
      yRange: { min: 0.94, max: 1.65 },
      runBoundaries: [],
      runs: [{ index: 0, id: 'run 1', kept: 59, reverted: 1, error: 0 }],
      best: points.slice(1).map((p) => ({ x: p.x, y: p.y })),
      points,
    },
  };
}

let browser: Browser;
let closeBrowser: () => Promise<void>;
before(async () => ({ browser, close: closeBrowser } = await launchBrowser()));
after(async () => closeBrowser?.());

describe('the results chart at a glance', () => {
  let page: Page;
  let results: ResultsPage;
  const marks = async (): Promise<Mark[]> => JSON.parse((await results.dataset()).marks ?? '[]');

  before(async () => {
    page = await newPage(browser);
    results = await ResultsPage.open(page);
  });
  after(async () => {
    await page.context().close();
  });

  test('a two-trial log: trial 1 at x = 1, and the revert below the baseline is in view', async () => {
    await results.send(SMALL);
    await page.locator('body[data-state="ready"][data-first-x="1"]').waitFor();
    const [reverted, kept] = await marks();
    assert.deepEqual([reverted.trial, reverted.status, reverted.inside], [1, 'reverted', true]);
    assert.deepEqual([kept.trial, kept.status, kept.inside], [2, 'kept', true]);
    assert.ok(reverted.y > Number((await results.dataset()).baselineY), 'drawn below the baseline (a larger y on screen)');
    assert.equal((await results.dataset()).outside, '0');
    await saveArtifacts(page, 'chart-page-small-log', false);
  });

  test('the headings and table use VS Code\'s font, the numbers its editor font', async () => {
    const font = (selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).fontFamily);
    assert.equal(await font('h1'), '"Test Sans", sans-serif');
    assert.equal(await font('#table .rows .row span:nth-child(2)'), '"Test Sans", sans-serif');
    assert.equal(await font('#table .rows .row span:nth-child(4)'), '"Test Mono", monospace');
  });

  test('clicking a point (not a row) asks for that trial\'s diff', async () => {
    const [reverted] = await marks();
    const before = (await results.posted()).filter((m) => m.type === 'openTrial').length;
    await page.locator('#chart').click({ position: { x: reverted.x, y: reverted.y } });
    assert.deepEqual(await results.nthPosted('openTrial', before + 1), { type: 'openTrial', line: 2 });
  });

  test('a long log keeps the baseline-to-best view and marks the point beyond it with an arrow', async () => {
    await results.send(longLog());
    await page.locator('body[data-points="60"][data-outside="1"]').waitFor();
    const [first] = await marks();
    assert.deepEqual([first.trial, first.inside], [1, false]);
    await saveArtifacts(page, 'chart-page-long-log-arrow', false);
  });

  test('zoom: the wheel zooms, a live update keeps the view, Reset zoom shows everything again', async () => {
    await results.send(SMALL);
    await page.locator('body[data-first-x="1"]').waitFor();
    const reset = page.getByRole('button', { name: 'Reset zoom' });
    assert.equal(await reset.isDisabled(), true);
    const unzoomed = await marks();
    const [reverted] = unzoomed;
    await page.locator('#chart').hover({ position: { x: reverted.x, y: reverted.y } });
    await page.mouse.wheel(0, -600);
    await reset.and(page.locator(':enabled')).waitFor();
    const zoomed = await marks();
    assert.notDeepEqual(zoomed.map((m) => [m.x, m.y]), unzoomed.map((m) => [m.x, m.y]), 'the points moved apart');
    const extra = { x: 3, y: 0.5, status: 'reverted' as const, run: 0, trial: 3, line: 4, oldScore: 1, proposal: 'meh.py' };
    await results.send({ type: 'append', from: 2, series: { ...SMALL.series, points: [extra] }, diffLines: [2, 3, 4] });
    await page.locator('body[data-points="3"]').waitFor();
    const afterUpdate = await marks();
    assert.deepEqual(afterUpdate.filter((m) => m.trial <= 2).map((m) => [m.x, m.y]), zoomed.map((m) => [m.x, m.y]), 'the zoomed view did not move');
    await reset.click();
    await reset.and(page.locator(':disabled')).waitFor();
    assert.ok((await marks()).every((m) => m.inside), 'every point is in view again');
  });

  test('repeated measurements: a whisker at each measured trial, the baseline\'s noise band shaded', async () => {
    await results.send({ ...SMALL, samples: { spreads: [{ line: 3, low: 0.9, high: 1.05, n: 5 }], noise: { low: 0.15, high: 0.25 } } });
    await page.locator('body[data-whiskers="[3]"]').waitFor();
    assert.equal((await results.dataset()).noiseBand, '0.1500..0.2500');
    await saveArtifacts(page, 'chart-page-whiskers', false);
    // A log measured once per trial has neither.
    await results.send(SMALL);
    await page.locator('body[data-whiskers="[]"][data-noise-band=""]').waitFor();
  });

  test('two metrics: the Pareto view draws every trial, the front on top', async () => {
    const trials = [
      { x: 0.5, y: 10, trial: 1, status: 'kept' as const },
      { x: 0.7, y: 8, trial: 2, status: 'kept' as const },
      { x: 0.6, y: 7, trial: 3, status: 'reverted' as const },
    ];
    const front = [trials[0], trials[1]].map(({ x, y, trial }) => ({ x, y, trial }));
    await results.send({ ...SMALL, series: { ...SMALL.series, pareto: front, paretoTrials: trials } });
    await page.locator('body[data-pareto-trials="3"]').waitFor();
    assert.equal(await page.locator('#pareto-box').isVisible(), true);
  });
});
