/** Page objects for the VS Code workbench, with role-based locators where VS Code exposes roles. */
import type { Locator, Page } from 'playwright-core';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Workbench {
  constructor(readonly page: Page) {}

  static async open(page: Page, url: string): Promise<Workbench> {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    return new Workbench(page);
  }

  /** A reload is a new window: a new extension host activates every extension again. */
  async reload(): Promise<void> {
    await this.page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  }

  /**
   * Activation times in milliseconds by extension name, as Developer: Show Running Extensions shows
   * them (code loading plus the activate() call). It lists what has activated when it opens.
   */
  async activationTimes(): Promise<Map<string, number>> {
    await this.runCommand('Developer: Show Running Extensions');
    const rows = this.page.locator('.runtime-extensions-editor .monaco-list-row');
    await rows.locator('.activation-time', { hasText: /Activation: \d+ms/ }).first().waitFor({ timeout: 60_000 });
    const shown = await rows.evaluateAll((nodes) => nodes.map((n) => [n.querySelector('.name')?.textContent ?? '', n.querySelector('.activation-time')?.textContent ?? '']));
    return new Map(shown.flatMap(([name, time]) => (/(\d+)ms/.test(time) ? [[name, Number(/(\d+)ms/.exec(time)![1])] as const] : [])));
  }

  /** The workspace-trust dialog of restricted mode, answered "no". */
  async declineTrust(): Promise<void> {
    const button = this.page.getByRole('button', { name: /Don't Trust|No, I don't trust/i });
    await button.click({ timeout: 30_000 });
  }

  async openExperiments(): Promise<ExperimentsView> {
    // A click on the container's tab closes the side bar when the container is already open.
    const tab = this.page.getByRole('tab', { name: /Experiments/ });
    if ((await tab.getAttribute('aria-selected', { timeout: 60_000 })) !== 'true') await tab.click();
    const view = new ExperimentsView(this.page);
    await view.tree.getByRole('treeitem').first().waitFor({ timeout: 60_000 });
    return view;
  }

  /**
   * The state every test starts from: no quick input, dialog, notification, editor or panel open, and
   * the Experiments view open with every node collapsed.
   */
  async reset(): Promise<void> {
    const page = this.page;
    for (const modal of [page.locator('.monaco-dialog-box'), page.locator('.quick-input-widget')]) {
      if (await modal.isVisible()) await page.keyboard.press('Escape');
      await modal.waitFor({ state: 'hidden' });
    }
    // Each command is offered only while there is something for it to do.
    if (await page.locator('.notification-toast').first().isVisible()) await this.runCommand('Notifications: Clear All Notifications');
    await page.locator('.notification-toast').first().waitFor({ state: 'hidden' });
    if ((await page.locator('.tabs-container .tab').count()) > 0) await this.runCommand('View: Close All Editors');
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
    if (await page.locator('.part.panel').isVisible()) await this.runCommand('View: Hide Panel');
    await page.locator('.part.panel').waitFor({ state: 'hidden' });
    await (await this.openExperiments()).collapseAll();
  }

  /** Runs the palette command with exactly this label ("View: Close All Editors", not "… in Group"). */
  async runCommand(label: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${label}`);
    await this.pickExactly(label);
  }

  /** Clicks the row of the open quick pick whose label is exactly this. */
  private async pickExactly(label: string): Promise<void> {
    const name = this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) });
    await this.page.locator('.quick-input-list .monaco-list-row').filter({ has: name }).click();
  }

  /** Shows an output channel in the Output view; returns the view's text. */
  async showOutputChannel(channel: string): Promise<Locator> {
    await this.runCommand('Output: Show Output Channels...');
    await this.pickExactly(channel);
    return this.page.locator('[id="workbench.panel.output"] .view-lines');
  }

  /** The editor tab of this file once it has no unsaved changes. */
  savedTab(fileName: string): Locator {
    return this.page.locator('.tabs-container .tab:not(.dirty)', { hasText: fileName });
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

  /**
   * Gives the editors their room back if a maximized panel hides them. Opening an editor under a
   * maximized panel may already have restored it, so the panel's title says which state it is in (its
   * Restore or Maximize action, shown only on hover, but there) before the toggle is used.
   */
  async restorePanel(): Promise<void> {
    const action = (name: string) => this.page.getByRole('checkbox', { name, includeHidden: true });
    if ((await action('Restore Panel Size').count()) > 0) await this.runCommandWithEnter('View: Toggle Maximized Panel');
    await action('Maximize Panel Size').waitFor({ state: 'attached' });
  }

  /** The labels the command palette offers for a search that matches at least one command, then closes it. */
  async paletteOffers(search: string): Promise<string[]> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${search}`);
    const rows = this.page.locator('.quick-input-list .monaco-list-row');
    // The list is filtered once its first row matches the search.
    await rows.first().filter({ hasText: search }).waitFor();
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

  /** A status bar entry by its accessible name (an extension's accessibilityInformation label). */
  statusBarItem(name: RegExp): Locator {
    return this.page.locator('.part.statusbar').getByRole('button', { name });
  }

  /** The open modal dialog (VS Code's own, in the page); notification toasts are dialogs too, but not this. */
  dialog(): Locator {
    return this.page.getByRole('dialog').and(this.page.locator('.monaco-dialog-box'));
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

/**
 * The Experiments view's tree. Its rows are one flat list in the page, in display order, each with
 * its depth in aria-level: a pack's descendants are the rows after it, up to the next pack.
 */
export class ExperimentsView {
  readonly tree: Locator;
  constructor(readonly page: Page) {
    this.tree = page.getByRole('tree', { name: /Packs/ });
  }

  /** A top-level pack by its slug. */
  pack(slug: string): PackNode {
    return new PackNode(this.tree, slug);
  }

  /** Any row of the tree whose accessible name matches, at any depth. */
  item(name: RegExp): Locator {
    return this.tree.getByRole('treeitem', { name });
  }

  /** Opens a node with its twistie (a click on the row would also run the node's command). */
  async expand(node: Locator): Promise<void> {
    if ((await node.getAttribute('aria-expanded')) !== 'true') await node.locator('.monaco-tl-twistie').click();
    await node.and(this.tree.locator('[aria-expanded="true"]')).waitFor();
  }

  /** The view's own Collapse All; it is disabled while nothing is open, so only then is there nothing to do. */
  async collapseAll(): Promise<void> {
    const open = this.tree.locator('[aria-expanded="true"]');
    if ((await open.count()) > 0) await this.page.locator('.part.sidebar').getByRole('button', { name: 'Collapse All' }).click();
    await open.first().waitFor({ state: 'detached' });
  }

  /** Runs a node's inline action (the buttons shown on hover), by its title. */
  async inlineAction(node: Locator, title: string): Promise<void> {
    await node.hover();
    await node.getByRole('button', { name: title }).click();
  }

  /** Each top-level row's accessible name: a pack's slug, then its description. */
  async packLabels(): Promise<string[]> {
    return this.tree.locator('[role="treeitem"][aria-level="1"]').evaluateAll((nodes) => nodes.map((n) => (n.getAttribute('aria-label') ?? '').trim()));
  }
}

/** A pack's row, and lookups confined to the rows under it. */
export class PackNode {
  readonly row: Locator;
  constructor(
    private readonly tree: Locator,
    readonly slug: string,
  ) {
    if (slug.includes('"')) throw new Error(`a slug with a quote cannot be looked up: ${slug}`);
    this.row = tree.locator(`xpath=.//*[@role="treeitem"][@aria-level="1"][${PackNode.named(slug)}]`);
  }

  /** XPath test: the row's accessible name is the slug, alone or followed by its description. */
  private static named(slug: string): string {
    return `starts-with(concat(normalize-space(@aria-label), " "), "${slug} ")`;
  }

  /** The row whose accessible name matches, `depth` levels under this pack (1: the pack's own parts). */
  child(name: RegExp, depth = 1): Locator {
    const under = `following-sibling::*[@role="treeitem"][@aria-level="${1 + depth}"]`;
    const ofThisPack = `preceding-sibling::*[@role="treeitem"][@aria-level="1"][1][${PackNode.named(this.slug)}]`;
    return this.row.locator(`xpath=${under}[${ofThisPack}]`).and(this.tree.getByRole('treeitem', { name }));
  }

  /** This pack's row once its accessible name matches (slug and description). */
  labelled(name: RegExp): Locator {
    return this.row.and(this.tree.getByRole('treeitem', { name }));
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
  /** The active editor's rendered lines (Monaco renders only those in view). */
  readonly lines: Locator;
  constructor(readonly page: Page) {
    this.lines = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  }

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

  /**
   * Applies a quick fix with Ctrl+., as a keyboard user does, once the diagnostic's squiggle is in
   * this editor (VS Code then has the markers the fixes are asked for).
   *
   * VS Code drops a Ctrl+. under way whenever a code-action provider for the file's language comes or
   * goes, and says "No code actions available". Opening a Markdown file starts the built-in Markdown
   * extension, whose language server registers such a provider a moment later (seconds, on a busy
   * machine), and nothing on screen tells when. So that answer is taken as a user takes it: press
   * Ctrl+. again. Only an answer ends an attempt; there is no waiting on time.
   */
  async applyQuickFix(title: RegExp, attempts = 5): Promise<void> {
    const editor = this.page.locator('.editor-group-container.active .monaco-editor.focused');
    await editor.waitFor();
    // A diagnostic of an empty range has a squiggle of no width: attached, never "visible".
    await editor.locator('.squiggly-error, .squiggly-warning').first().waitFor({ state: 'attached' });
    // The action list never counts as "visible" to Playwright while it animates in; the fix we want is
    // focused once it is attached, and Enter applies it.
    const option = this.page.getByRole('option', { name: title }).first();
    const none = editor.getByText('No code actions available');
    for (let attempt = 1; attempt <= attempts; attempt++) {
      await this.page.keyboard.press('Control+.');
      await option.or(none).first().waitFor({ state: 'attached' });
      if ((await option.count()) > 0) {
        await this.page.keyboard.press('Enter');
        return;
      }
      await this.page.keyboard.press('Escape');
      await none.waitFor({ state: 'detached' });
    }
    throw new Error(`Ctrl+. offered no code actions ${attempts} times in a row, so no ${title}`);
  }
}
