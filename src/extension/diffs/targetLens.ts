/**
 * In a pack's bounded target, a CodeLens with its recorded history: "Last kept: trial 2 (+0.80) ·
 * 3 reverted since", and "Show History", a pick of its trials that opens their diffs.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { historySummary, targetHistory } from '../../core/run/trialDiff';
import { resolveTarget } from '../../core/target';
import { journalRunsOf } from '../../core/run/journalCache';
import type { PackIndex } from '../packIndex';

export class TargetLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** Target file → pack folder, rebuilt when the packs change. */
  private targets = new Map<string, string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly index: PackIndex) {
    this.subscription = index.onDidChange(() => void this.rebuild());
    void this.rebuild();
  }

  private async rebuild(): Promise<void> {
    const entries = await Promise.all(
      this.index.allPacks().map(async (pack) => {
        const target = await resolveTarget(pack.dir);
        return target.kind === 'unknown' ? undefined : ([path.resolve(target.path), pack.dir] as const);
      }),
    );
    this.targets = new Map(entries.filter((e): e is readonly [string, string] => e !== undefined));
    this.changed.fire();
  }

  /** The journal changed (a trial ended): lenses read it afresh. */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const packDir = this.targets.get(path.resolve(document.uri.fsPath));
    if (!packDir) return [];
    const summary = historySummary(targetHistory(journalRunsOf(packDir), document.uri.fsPath));
    if (!summary) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const args = [{ packDir, target: document.uri.fsPath }];
    return [
      new vscode.CodeLens(top, { title: summary, command: 'autoexp.showTargetHistory', arguments: args, tooltip: 'Trials Autoexp recorded for this file' }),
      new vscode.CodeLens(top, { title: 'Show History', command: 'autoexp.showTargetHistory', arguments: args }),
    ];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
