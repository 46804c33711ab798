/**
 * At start: a run that was killed mid-trial (VS Code crashed, the machine rebooted) left its target
 * half-changed. Put it back from the journal's snapshot and tell the user which file it was.
 * Only in a trusted workspace: it writes files, though it runs no Python.
 */
import * as vscode from 'vscode';
import { journalRoot } from '../../core/run/journal';
import { describeRecovery, recoverInterrupted } from '../../core/run/recovery';
import type { PackIndex } from '../packIndex';

export function recoverOnStart(index: PackIndex, log: vscode.LogOutputChannel): void {
  if (!vscode.workspace.isTrusted) return;
  const roots = new Set(index.allPacks().map((p) => journalRoot(p.dir)));
  const lines: string[] = [];
  for (const root of roots) {
    try {
      lines.push(...recoverInterrupted(root).map((r) => describeRecovery(r, root)));
    } catch (err) {
      log.error(`crash recovery in ${root} failed: ${(err as Error).message}`);
    }
  }
  for (const line of lines) log.warn(`recovered: ${line}`);
  if (lines.length === 1) void vscode.window.showWarningMessage(`Autoexp: ${lines[0]}.`);
  else if (lines.length > 1) {
    void vscode.window.showWarningMessage(`Autoexp: ${lines.length} interrupted trials were recovered; see the Autoexp output.`, 'Show Output').then((c) => c && log.show());
  }
}
