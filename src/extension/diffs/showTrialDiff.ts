/** "Show Trial Diff": the target before a trial on the left, the proposal's candidate on the right. */
import * as vscode from 'vscode';
import { journalRoot, type RunRecord, type TrialRecord } from '../../core/run/journal';
import type { PackIndex } from '../packIndex';
import { pickPack } from '../packPicker';
import { trialDiff, trialsByResultsLine } from '../../core/run/trialDiff';
import { journalRunsOf } from '../journalCache';
import { snapshotUri } from './snapshotContent';

/** The tree's trial nodes carry the pack and the row's line in results.tsv. */
export interface TrialRef {
  packDir: string;
  resultsLine: number;
}

function trialRefOf(arg: unknown): TrialRef | undefined {
  const spec = (arg as { spec?: { packDir?: string; resultsLine?: number } } | undefined)?.spec ?? (arg as TrialRef | undefined);
  return spec && typeof spec.packDir === 'string' && typeof spec.resultsLine === 'number' ? { packDir: spec.packDir, resultsLine: spec.resultsLine } : undefined;
}

/** From the palette: a pack, then one of its recorded trials, newest first. */
async function pickTrial(index: PackIndex, arg: unknown): Promise<{ run: RunRecord; trial: TrialRecord } | undefined> {
  const pack = await pickPack(index, arg, 'Show Trial Diff');
  if (!pack) return undefined;
  const items = journalRunsOf(pack.dir)
    .flatMap((run) => run.trials.filter((trial) => trial.candidate).map((trial) => ({ run, trial })))
    .reverse()
    .map((found) => ({ label: trialDiff(found.run, found.trial)!.title, description: `${found.trial.proposal} · ${found.trial.startedAt.replace('T', ' ').slice(0, 19)}`, found }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`Autoexp: ${pack.slug} has no recorded trials yet; run its loop from Autoexp to record them.`);
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title: `Show Trial Diff: ${pack.slug}`, placeHolder: 'The trial to compare with the target before it', matchOnDescription: true }))?.found;
}

export async function showTrialDiff(index: PackIndex, arg: unknown): Promise<boolean> {
  const ref = trialRefOf(arg);
  const found = ref ? trialsByResultsLine(journalRunsOf(ref.packDir)).get(ref.resultsLine) : await pickTrial(index, arg);
  if (!ref && !found) return false;
  const diff = found && trialDiff(found.run, found.trial);
  if (!diff) {
    void vscode.window.showInformationMessage(`Autoexp: the run journal has no snapshots for results.tsv line ${ref?.resultsLine}; it was logged by a run Autoexp did not record.`);
    return false;
  }
  const root = journalRoot(found.run.pack);
  await vscode.commands.executeCommand(
    'vscode.diff',
    snapshotUri(root, diff.before, diff.fileName, 'before'),
    snapshotUri(root, diff.candidate, diff.fileName, 'candidate'),
    diff.title,
    { preview: true },
  );
  return true;
}
