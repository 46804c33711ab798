/**
 * Page objects for what a trial shows: a run's terminal with its inline diffs and `trial N` links,
 * and the results chart in its webview, read through what the page records of its drawing.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';

/**
 * A run's task terminal, rendered by xterm's DOM renderer (the e2e profile turns the GPU renderer
 * off), found by a piece of its command line (VS Code prints it first as "Executing task: …"):
 * other terminals stay in the page after their tab is left.
 */
export class RunTerminal {
  readonly rows: Locator;
  constructor(
    readonly page: Page,
    command: string,
  ) {
    this.rows = page.locator('.terminal-wrapper', { hasText: command }).locator('.xterm-rows > div');
  }

  row(text: RegExp): Locator {
    return this.rows.filter({ hasText: text }).first();
  }

  /** A row's text runs painted in an ANSI colour (xterm's `xterm-fg-N` classes) or dimmed. */
  painted(row: Locator, style: 'green' | 'red' | 'dim'): Locator {
    const selector = { green: 'span.xterm-fg-2', red: 'span.xterm-fg-1', dim: 'span.xterm-dim' }[style];
    return row.locator(selector);
  }

  /**
   * Follows the link at the start of a row as a person does: the mouse over it until xterm
   * underlines the link VS Code found there, then Ctrl+click. (The rows let pointer events through
   * to xterm's screen, so the mouse goes to the row's place rather than onto the row element.)
   */
  async followLinkAtStart(row: Locator, linkText: string): Promise<void> {
    const box = (await row.boundingBox())!;
    const x = box.x + 12;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await row.locator('span[style*="underline"]', { hasText: linkText }).waitFor();
    await this.page.keyboard.down('Control');
    await this.page.mouse.click(x, y);
    await this.page.keyboard.up('Control');
  }
}

export interface ChartMark {
  trial: number;
  line: number;
  status: string;
  x: number;
  y: number;
  inside: boolean;
}

/** The results chart inside VS Code's webview frames. */
export class ResultsChart {
  readonly frame: FrameLocator;
  readonly body: Locator;
  constructor(readonly page: Page) {
    this.frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    this.body = this.frame.locator('body[data-state="ready"]');
  }

  async ready(): Promise<void> {
    await this.body.waitFor({ timeout: 30_000 });
  }

  /** Where the page drew each trial's point, in the canvas's pixels. */
  async marks(): Promise<ChartMark[]> {
    return JSON.parse((await this.body.getAttribute('data-marks')) ?? '[]');
  }

  async data(name: string): Promise<string | null> {
    return this.body.getAttribute(`data-${name}`);
  }

  /** Clicks on the drawn point itself, not its table row. */
  async clickPoint(mark: ChartMark): Promise<void> {
    await this.frame.locator('#chart').click({ position: { x: mark.x, y: mark.y } });
  }
}

/** The Settings editor, as a person turns a setting on or off in it. */
export class SettingsEditor {
  constructor(readonly page: Page) {}

  /** Searches the open Settings editor for a setting id and sets its checkbox; waits until it shows the value. */
  async setCheckbox(id: string, checked: boolean): Promise<void> {
    await this.page.locator('.settings-editor').waitFor();
    await this.page.keyboard.type(id);
    // The list filters as it is typed, through counts of many: only the whole id leaves exactly one.
    await this.page.locator('.settings-editor .settings-count-widget', { hasText: /^1 Setting Found$/ }).waitFor();
    const box = this.page.locator('.settings-editor .setting-item-bool').getByRole('checkbox').first();
    await box.waitFor();
    if ((await box.getAttribute('aria-checked')) !== String(checked)) await box.click();
    await box.and(this.page.locator(`[aria-checked="${checked}"]`)).waitFor();
  }
}
