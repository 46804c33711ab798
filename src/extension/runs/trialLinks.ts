/**
 * `trial 2` in a run's terminal (its TRIAL line, or the line over a diff that came late) is a link
 * to that trial's diff editor. Which pack a terminal belongs to, the run tracker knows.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { lookUpTrial } from '../../core/run/trialLookup';
import { openDiff } from '../diffs/showTrialDiff';
import { journalRunsOf } from '../../core/run/journalCache';

const TRIAL_WORD = /\btrial\s+(\d+)\b/gi;

interface TrialLink extends vscode.TerminalLink {
  packDir: string;
  trial: number;
}

export class TrialLinkProvider implements vscode.TerminalLinkProvider<TrialLink> {
  constructor(private readonly packOf: (terminal: vscode.Terminal) => string | undefined) {}

  provideTerminalLinks(context: vscode.TerminalLinkContext): TrialLink[] {
    const packDir = this.packOf(context.terminal);
    if (!packDir) return [];
    return [...context.line.matchAll(TRIAL_WORD)].map((m) => ({
      startIndex: m.index!,
      length: m[0].length,
      tooltip: `Open the diff of trial ${m[1]}`,
      packDir,
      trial: Number(m[1]),
    }));
  }

  async handleTerminalLink(link: TrialLink): Promise<void> {
    const found = lookUpTrial(journalRunsOf(link.packDir), { trial: link.trial });
    if (!found.ok) {
      void vscode.window.showWarningMessage(`Autoexp: ${path.basename(link.packDir)}: trial ${link.trial}: ${found.why}`);
      return;
    }
    if (!(await openDiff(found))) void vscode.window.showInformationMessage(`Autoexp: trial ${link.trial} of ${found.run.slug} has no candidate to compare: its proposal never finished.`);
  }
}
