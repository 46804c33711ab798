/**
 * The .vsix that `npm run package` made from this checkout, and what a test file needs to open windows
 * with it installed: one browser for the file, started before its first test and closed after its last.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { REPO_ROOT } from './paths';
import { useWindow, type WindowOptions } from './window';

export const VERSION: string = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;
export const VSIX = path.join(REPO_ROOT, `autoexp-${VERSION}.vsix`);

/** Call once at the top of a test file; then `window()` in each describe gives it its own window. */
export function packagedWindows(): { window: (options?: Omit<WindowOptions, 'vsix' | 'browser'>) => ReturnType<typeof useWindow>; browser: () => Browser } {
  let browser: Browser;
  let closeBrowser: (() => Promise<void>) | undefined;
  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} exists (npm run package)`);
    ({ browser, close: closeBrowser } = await launchBrowser());
  });
  after(async () => closeBrowser?.());
  return { window: (options = {}) => useWindow({ vsix: VSIX, browser: () => browser, ...options }), browser: () => browser };
}
