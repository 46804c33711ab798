/** Page objects for the VS Code workbench, with role-based locators where VS Code exposes roles. */
import type { Locator, Page } from 'playwright-core';

export class Workbench {
  constructor(readonly page: Page) {}

  static async open(page: Page, url: string): Promise<Workbench> {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    return new Workbench(page);
  }

  /** The workspace-trust dialog of restricted mode, answered "no". */
  async declineTrust(): Promise<void> {
    const button = this.page.getByRole('button', { name: /Don't Trust|No, I don't trust/i });
    await button.click({ timeout: 30_000 });
  }

  experimentsTab(): Locator {
    return this.page.getByRole('tab', { name: /Experiments/ });
  }

  async openExperiments(): Promise<ExperimentsView> {
    // Clicking the tab of a container that is already open closes the side bar: only click when hidden.
    if (!(await this.page.getByRole('tree', { name: /Packs/ }).isVisible())) await this.experimentsTab().click();
    const view = new ExperimentsView(this.page);
    await view.pack(/./).first().waitFor({ timeout: 60_000 });
    return view;
  }

  async runCommand(label: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${label}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
  }

  /**
   * Runs a command with Enter once it is the palette's first row: no click on a list that is still
   * moving (the palette re-renders while a maximized panel gives the editor back its room).
   */
  async runCommandWithEnter(label: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${label}`);
    await this.page.locator('.quick-input-list .monaco-list-row').first().filter({ hasText: label }).waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The labels the command palette offers for a search, then closes it. */
  async paletteOffers(search: string): Promise<string[]> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${search}`);
    const rows = this.page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    const labels = (await rows.allInnerTexts()).map((t) => t.split('\n')[0].trim());
    await this.page.keyboard.press('Escape');
    return labels;
  }

  /** Picks an item in an open quick pick, or types into an input box and accepts it. */
  async quickInput(text: string, pick?: RegExp): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(text);
    if (pick) await this.page.locator('.quick-input-list .monaco-list-row', { hasText: pick }).first().click();
    else await this.page.keyboard.press('Enter');
  }

  async answerDialog(button: string): Promise<void> {
    await this.page.getByRole('dialog').getByRole('button', { name: button, exact: true }).click();
  }

  /** Opens a file by its workspace-relative path with Quick Open. */
  async openFile(relative: string): Promise<Editor> {
    // F1 opens the palette in command mode; without the leading '>' it searches files.
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(relative);
    await this.page.locator('.quick-input-list .monaco-list-row').first().waitFor();
    await this.page.keyboard.press('Enter');
    const name = relative.split('/').pop()!;
    await this.page.getByRole('tab', { name: new RegExp(name.replace(/\./g, '\\.')) }).first().waitFor();
    return new Editor(this.page);
  }

  async openProblems(): Promise<ProblemsPanel> {
    await this.page.keyboard.press('Control+Shift+M');
    const panel = new ProblemsPanel(this.page);
    await panel.root.waitFor();
    return panel;
  }
}

export class ExperimentsView {
  constructor(readonly page: Page) {}

  pack(name: RegExp): Locator {
    return this.page.getByRole('treeitem', { name });
  }

  /** Selects a node and opens it with the keyboard, as a person would. */
  async expand(node: Locator): Promise<void> {
    await node.click();
    if ((await node.getAttribute('aria-expanded')) !== 'true') await this.page.keyboard.press('ArrowRight');
    await node.and(this.page.locator('[aria-expanded="true"]')).waitFor();
  }

  /** Closes a node: a click toggles it, so ArrowLeft only when the click opened it instead. */
  async collapse(node: Locator): Promise<void> {
    await node.click();
    if ((await node.getAttribute('aria-expanded')) === 'true') await this.page.keyboard.press('ArrowLeft');
    await node.and(this.page.locator('[aria-expanded="false"]')).waitFor();
  }

  /** A known tree for every test: no pack left open by the one before. */
  async collapseAll(): Promise<void> {
    const open = this.page.getByRole('tree', { name: /Packs/ }).locator('[role="treeitem"][aria-expanded="true"]');
    while ((await open.count()) > 0) await this.collapse(open.first());
  }

  /** Runs a node's inline action (the buttons shown on hover), by its title. */
  async inlineAction(node: Locator, title: string): Promise<void> {
    await node.hover();
    await node.getByRole('button', { name: title }).click();
  }

  /** Each pack's accessible name: its slug, then its description. */
  async packLabels(): Promise<string[]> {
    const items = this.page.getByRole('tree', { name: /Packs/ }).getByRole('treeitem');
    return items.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''));
  }
}

/** The diff editor: Monaco renders each side's lines as text in the page. */
export class DiffEditor {
  readonly original: Locator;
  readonly modified: Locator;
  constructor(readonly page: Page) {
    const root = page.locator('.monaco-diff-editor').first();
    this.original = root.locator('.editor.original .view-lines');
    this.modified = root.locator('.editor.modified .view-lines');
  }

  /** Monaco writes spaces as no-break spaces. */
  async originalText(): Promise<string> {
    return (await this.original.innerText()).replace(/\u00a0/g, ' ');
  }
}

/** The integrated terminal, rendered by xterm's DOM renderer (see the profile's settings). */
export class TerminalPanel {
  readonly rows: Locator;
  constructor(readonly page: Page) {
    this.rows = page.locator('.terminal-wrapper.active .xterm-rows');
  }

  line(text: RegExp): Locator {
    return this.rows.locator('div', { hasText: text });
  }
}

export class ProblemsPanel {
  readonly root: Locator;
  constructor(readonly page: Page) {
    this.root = page.locator('[id="workbench.panel.markers"]');
  }

  problem(text: RegExp): Locator {
    return this.root.getByRole('treeitem', { name: text });
  }

  /** Narrows the list with the panel's own filter box: long lists are virtualised. */
  async filter(text: string): Promise<void> {
    await this.page.getByPlaceholder(/^Filter \(e\.g\./).fill(text);
  }
}

export class Editor {
  constructor(readonly page: Page) {}

  squiggles(kind: 'error' | 'warning'): Locator {
    return this.page.locator(`.monaco-editor .squiggly-${kind}`);
  }

  async goToLine(line: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.page.locator('.quick-input-widget input').fill(`:${line}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: `line ${line}` }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Opens the quick-fix menu at the cursor and applies the action with this title. */
  async applyQuickFix(title: RegExp): Promise<void> {
    await this.page.keyboard.press('Control+.');
    // The action list never counts as "visible" to Playwright while it animates in; the fix we want is
    // focused once it is attached, and Enter applies it as a keyboard user would.
    await this.page.getByRole('option', { name: title }).first().waitFor({ state: 'attached' });
    await this.page.keyboard.press('Enter');
  }
}
