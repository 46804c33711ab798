/**
 * The results page on its own in Chromium: the same HTML and CSP the extension serves, the built
 * dist/webview.js, and a stand-in for the webview API (the one part of VS Code not here) that
 * records what the page posts. Served from a made-up origin through Playwright's routing.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { resultsPageHtml } from '../../../src/extension/results/pageHtml';
import type { ToWebview } from '../../../src/shared/chartMessages';
import { REPO_ROOT } from './paths';

const ORIGIN = 'https://autoexp-webview.test';
const NONCE = 'dGVzdC1ub25jZS0xMjM0';

/** Theme variables as a dark theme sets them, so colours and fonts are checked against known values. */
const THEME_CSS = `body { --vscode-foreground: rgb(204, 204, 204); --vscode-charts-green: rgb(0, 160, 0); --vscode-charts-red: rgb(220, 0, 0); --vscode-descriptionForeground: rgb(140, 140, 140); --vscode-charts-blue: rgb(0, 100, 255); --vscode-editor-background: rgb(30, 30, 30); --vscode-font-family: "Test Sans", sans-serif; --vscode-editor-font-family: "Test Mono", monospace; }`;

export class ResultsPage {
  constructor(readonly page: Page) {}

  static async open(page: Page): Promise<ResultsPage> {
    const html = resultsPageHtml({ cspSource: ORIGIN, nonce: NONCE, script: `${ORIGIN}/webview.js`, style: `${ORIGIN}/results.css` })
      .replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${ORIGIN}/theme.css"><link rel="stylesheet"`)
      // The webview API VS Code injects; here it keeps what the page posts.
      .replace('<script nonce=', `<script nonce="${NONCE}">window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m) });</script>\n<script nonce=`);
    const files: Record<string, [string, string]> = {
      '/index.html': ['text/html', html],
      '/webview.js': ['text/javascript', readFileSync(path.join(REPO_ROOT, 'dist', 'webview.js'), 'utf8')],
      '/results.css': ['text/css', readFileSync(path.join(REPO_ROOT, 'media', 'results.css'), 'utf8')],
      '/theme.css': ['text/css', THEME_CSS],
    };
    await page.route(`${ORIGIN}/**`, (route) => {
      const file = files[new URL(route.request().url()).pathname];
      return file ? route.fulfill({ contentType: file[0], body: file[1] }) : route.fulfill({ status: 404, body: '' });
    });
    await page.goto(`${ORIGIN}/index.html`);
    await page.waitForFunction(() => (window as unknown as { posted: Array<{ type: string }> }).posted.some((m) => m.type === 'ready'));
    return new ResultsPage(page);
  }

  /** Delivers a message the way VS Code does: a message event on the page's window. */
  async send(message: ToWebview | Record<string, unknown>): Promise<void> {
    await this.page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), message);
  }

  posted(): Promise<Array<Record<string, unknown>>> {
    return this.page.evaluate(() => (window as unknown as { posted: Array<Record<string, unknown>> }).posted);
  }

  /**
   * The `n`-th message of a type the page has posted (counted from 1), once it has: Chart.js hands a
   * click on the canvas to the page's handler in the next animation frame, not during the click.
   */
  async nthPosted(type: string, n: number): Promise<Record<string, unknown>> {
    const found = await this.page.waitForFunction(
      ([t, k]) => (window as unknown as { posted: Array<Record<string, unknown>> }).posted.filter((m) => m.type === t)[k - 1],
      [type, n] as const,
    );
    return (await found.jsonValue()) as Record<string, unknown>;
  }

  dataset(): Promise<Record<string, string | undefined>> {
    return this.page.evaluate(() => ({ ...document.body.dataset }));
  }
}
