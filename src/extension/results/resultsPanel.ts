/**
 * "Show Results": a webview panel per pack with the chart of its results.tsv, kept live as rows land.
 * The page runs under a strict CSP (a nonce, no inline code, no remote origins) and loads only the
 * extension's dist/ and media/; every message either way is checked with zod.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PackRef } from '../../core/discovery';
import { oneLine } from '../../core/errors';
import { toCsv, toMarkdown } from '../../core/results/export';
import { loadResults } from '../../core/results/load';
import type { ResultsLog } from '../../core/results/model';
import { buildSeries } from '../../core/results/series';
import { trialsByResultsLine } from '../../core/run/trialDiff';
import { FromWebview, type ToWebview } from '../../shared/chartMessages';
import { journalRunsOf } from '../../core/run/journalCache';
import { sampleSpreads } from '../../core/run/sampleSpread';
import { resultsPageHtml } from './pageHtml';

/** Rows land, the file watcher fires, the chart follows: this much later at most, plus the parse. */
const UPDATE_DEBOUNCE_MS = 50;

export class ResultsPanel implements vscode.Disposable {
  private static readonly open = new Map<string, ResultsPanel>();
  private log: ResultsLog | undefined;
  /** What the page holds: how many points, and the last one's line and score, to tell an append from a rewrite. */
  private sent: { count: number; line?: number; y?: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(pack: PackRef, extensionUri: vscode.Uri, output: vscode.LogOutputChannel, openTrial: (packDir: string, line: number) => unknown): ResultsPanel {
    const existing = ResultsPanel.open.get(pack.dir);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel('autoexp.results', `Results: ${pack.slug}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    const created = new ResultsPanel(panel, pack, extensionUri, output, openTrial);
    ResultsPanel.open.set(pack.dir, created);
    return created;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly pack: PackRef,
    extensionUri: vscode.Uri,
    private readonly output: vscode.LogOutputChannel,
    private readonly openTrial: (packDir: string, line: number) => unknown,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'experiments.svg');
    panel.webview.html = pageHtml(panel.webview, extensionUri);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(pack.dir, 'results.tsv'));
    this.disposables.push(
      watcher,
      watcher.onDidChange(() => this.scheduleUpdate()),
      watcher.onDidCreate(() => this.scheduleUpdate()),
      watcher.onDidDelete(() => this.scheduleUpdate()),
      panel.webview.onDidReceiveMessage((message) => this.receive(message)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private scheduleUpdate(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), UPDATE_DEBOUNCE_MS);
  }

  private async update(): Promise<void> {
    const file = path.join(this.pack.dir, 'results.tsv');
    let message: ToWebview;
    try {
      this.log = await loadResults(file);
      const runs = journalRunsOf(this.pack.dir);
      const diffLines = [...trialsByResultsLine(runs).keys()];
      const samples = sampleSpreads(runs);
      const series = buildSeries(this.log);
      const sent = this.sent;
      const last = sent && sent.count > 0 ? series.points[sent.count - 1] : undefined;
      const appended = sent !== undefined && series.points.length >= sent.count && (sent.count === 0 || (last?.line === sent.line && last?.y === sent.y));
      message = appended
        ? { type: 'append', from: sent.count, series: { ...series, points: series.points.slice(sent.count) }, diffLines, samples }
        : { type: 'series', pack: this.pack.slug, series, diffLines, samples };
      const tail = series.points[series.points.length - 1];
      this.sent = { count: series.points.length, line: tail?.line, y: tail?.y };
    } catch (err) {
      this.sent = undefined;
      this.log = undefined;
      const empty = { direction: 'higher' as const, points: [], best: [], runBoundaries: [], runs: [], numeric: false };
      message = { type: 'series', pack: this.pack.slug, series: empty, diffLines: [], error: oneLine(err) };
    }
    await this.panel.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = FromWebview.safeParse(raw);
    if (!parsed.success) {
      this.output.warn(`results page of ${this.pack.slug}: dropped a message that does not fit: ${parsed.error.issues[0]?.message}`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        // A new page (first open, or reloaded) holds nothing yet.
        this.sent = undefined;
        return this.update();
      case 'openTrial':
        await this.openTrial(this.pack.dir, message.line);
        return;
      case 'invalid':
        this.output.warn(`results page of ${this.pack.slug}: dropped a message it could not read: ${message.issue}`);
        return;
      case 'exportPng':
        return this.save('png', Buffer.from(message.dataUrl.slice(message.dataUrl.indexOf(',') + 1), 'base64'));
      case 'exportTable':
        if (this.log) return this.save(message.format, message.format === 'csv' ? toCsv(this.log) : toMarkdown(this.log));
    }
  }

  private async save(format: 'png' | 'csv' | 'md', data: string | Buffer): Promise<void> {
    const names = { png: 'PNG image', csv: 'CSV', md: 'Markdown' };
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(this.pack.dir, `${this.pack.slug}-results.${format}`)),
      filters: { [names[format]]: [format] },
      title: `Export ${this.pack.slug} results as ${names[format]}`,
    });
    if (!target) return;
    writeFileSync(target.fsPath, data);
    void vscode.window.showInformationMessage(`Autoexp: saved ${vscode.workspace.asRelativePath(target)}.`);
  }

  dispose(): void {
    clearTimeout(this.timer);
    ResultsPanel.open.delete(this.pack.dir);
    this.disposables.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}

function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'results.css'));
  return resultsPageHtml({ cspSource: webview.cspSource, nonce, script: script.toString(), style: style.toString() });
}
