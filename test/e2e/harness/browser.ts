/** Debian's Chromium driven by playwright-core; artefacts of every UI test under test-results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { onCleanup } from './processes';
import { RESULTS_DIR } from './paths';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, timeout: 60_000 });
  const close = async () => {
    await browser.close().catch(() => {});
  };
  const forget = onCleanup(close);
  return {
    browser,
    close: async () => {
      forget();
      await close();
    },
  };
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

const safe = (name: string) => name.replace(/[^a-z0-9-]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();

/** A screenshot for every UI test; on failure also the page's HTML and the server's log. */
export async function saveArtifacts(page: Page, name: string, failed: boolean, serverLog?: string): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const base = path.join(RESULTS_DIR, safe(name));
  await page.screenshot({ path: `${base}.png` }).catch(() => {});
  if (failed) {
    writeFileSync(`${base}.html`, await page.content().catch(() => ''));
    if (serverLog !== undefined) writeFileSync(`${base}.server.log`, serverLog);
  }
}
