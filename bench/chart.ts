/**
 * Chart figures in Debian's Chromium: the first render of a 100,000-row log, and a row appended to
 * an open chart (parse and series in Node, then the page's update). The file watcher's own delay is
 * VS Code's and not in these figures; the panel adds a 50 ms debounce on top.
 */
import { launchBrowser, newPage } from '../test/e2e/harness/browser';
import { ResultsPage } from '../test/e2e/harness/resultsPage';
import { parseResults } from '../src/core/results/parse';
import { buildSeries } from '../src/core/results/series';
import { generateCanonicalLog } from './generate';

const ROWS = 100_000;

function logOfRows(rows: number): string {
  // generateCanonicalLog sizes by bytes (about 100 a row): make plenty, keep the first `rows`.
  let text = generateCanonicalLog(rows * 120);
  const lines = text.split('\n');
  text = `${lines.slice(0, rows + 1).join('\n')}\n`;
  return text;
}

/** Milliseconds from delivering a message to the page having drawn it (render is synchronous). */
async function timedSend(results: ResultsPage, message: unknown): Promise<number> {
  return results.page.evaluate((data) => {
    const start = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data }));
    return performance.now() - start;
  }, message as Record<string, unknown>);
}

export async function chartFigures(figure: (name: string, value: number, unit: string, digits?: number) => void): Promise<void> {
  const { browser, close } = await launchBrowser();
  try {
    const text = logOfRows(ROWS);
    const log = parseResults(text, 'bench.tsv');
    if (log.trials.length !== ROWS) throw new Error(`generated ${log.trials.length} trials, expected ${ROWS}`);
    const first: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await newPage(browser);
      const results = await ResultsPage.open(page);
      first.push(await timedSend(results, { type: 'series', pack: 'bench', series: buildSeries(log), diffLines: [] }));
      await page.context().close();
    }
    figure('chart_first_render_100000_rows', first.sort((a, b) => a - b)[1], 'ms', 0);

    const page = await newPage(browser);
    const results = await ResultsPage.open(page);
    await timedSend(results, { type: 'series', pack: 'bench', series: buildSeries(log), diffLines: [] });
    const appends: number[] = [];
    let current = text;
    let count = log.trials.length;
    for (let i = 0; i < 5; i++) {
      current += `2026-11-23T00:00:00Z\t${i + 1}\tkept\t0.5\t${(0.9 + i / 100).toFixed(4)}\tappended.py\tappended row\n`;
      // What the panel does on a change: parse, build the series, send only the new points.
      const start = performance.now();
      const series = buildSeries(parseResults(current, 'bench.tsv'));
      const message = { type: 'append', from: count, series: { ...series, points: series.points.slice(count) }, diffLines: [] };
      count = series.points.length;
      const node = performance.now() - start;
      const pageMs = await timedSend(results, message);
      if (process.env.AUTOEXP_BENCH_DETAIL) console.log(`  node ${node.toFixed(0)} ms, page ${pageMs.toFixed(0)} ms`);
      appends.push(node + pageMs);
    }
    figure('chart_row_appended_to_updated_100000_rows', appends.sort((a, b) => a - b)[2], 'ms', 0);
    await page.context().close();
  } finally {
    await close();
  }
}
