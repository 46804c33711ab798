/**
 * What each trial changed, in the diff editor: "Show Trial Diff" (the target before a trial against
 * its candidate), a target's history, and "Compare Two Trials" (two candidates of one target).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { journalRoot } from '../../core/run/journal';
import { targetHistory, trialDiff, trialsByResultsLine, type TargetHistoryEntry } from '../../core/run/trialDiff';
import { journalRunsOf } from '../../core/run/journalCache';
import type { PackTarget, TrialRef } from '../commands/args';
import type { PackIndex } from '../packIndex';
import { pickPack } from '../packPicker';
import { snapshotUri } from './snapshotContent';


/** Every recorded trial of a pack with a candidate, newest first. */
function packHistory(packDir: string): TargetHistoryEntry[] {
  return journalRunsOf(packDir)
    .flatMap((run) => run.trials.filter((trial) => trial.candidate).map((trial) => ({ run, trial })))
    .reverse();
}

async function pickEntry(entries: TargetHistoryEntry[], title: string, placeHolder: string): Promise<TargetHistoryEntry | undefined> {
  const items = entries.map((entry) => ({
    label: trialDiff(entry.run, entry.trial)!.title,
    description: `${entry.trial.proposal} · ${entry.trial.startedAt.replace('T', ' ').slice(0, 19)}`,
    entry,
  }));
  return (await vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true }))?.entry;
}

/** A pack's recorded trials, or a message saying there are none. */
async function historyOfPickedPack(index: PackIndex, target: PackTarget | undefined, title: string): Promise<{ slug: string; entries: TargetHistoryEntry[] } | undefined> {
  const pack = await pickPack(index, target, title);
  if (!pack) return undefined;
  const entries = packHistory(pack.dir);
  if (entries.length === 0) {
    void vscode.window.showInformationMessage(`Autoexp: ${pack.slug} has no recorded trials yet; run its loop from Autoexp to record them.`);
    return undefined;
  }
  return { slug: pack.slug, entries };
}

export async function openDiff(entry: TargetHistoryEntry): Promise<boolean> {
  const diff = trialDiff(entry.run, entry.trial);
  if (!diff) return false;
  const root = journalRoot(entry.run.pack);
  await vscode.commands.executeCommand('vscode.diff', snapshotUri(root, diff.before, diff.fileName, 'before'), snapshotUri(root, diff.candidate, diff.fileName, 'candidate'), diff.title, { preview: true });
  return true;
}

/** A trial from the tree or the results page; without one, a pick of the pack's recorded trials. */
export async function showTrialDiff(index: PackIndex, given: { trial?: TrialRef; pack?: PackTarget }): Promise<boolean> {
  const ref = given.trial;
  if (!ref) {
    const picked = await historyOfPickedPack(index, given.pack, 'Show Trial Diff');
    const entry = picked && (await pickEntry(picked.entries, `Show Trial Diff: ${picked.slug}`, 'The trial to compare with the target before it'));
    return entry ? openDiff(entry) : false;
  }
  const found = trialsByResultsLine(journalRunsOf(ref.packDir)).get(ref.resultsLine);
  if (!found?.trial.candidate) {
    const choice = await vscode.window.showInformationMessage(
      `Autoexp: the run journal has no snapshots for results.tsv line ${ref.resultsLine}; it was logged by a run Autoexp did not record.`,
      'Reconstruct Diff',
    );
    return choice ? vscode.commands.executeCommand<boolean>('autoexp.reconstructDiff', ref) : false;
  }
  return openDiff(found);
}

/** From the target's CodeLens: its recorded trials, each opening its diff. */
export async function showTargetHistory(given: { packDir: string; target: string } | undefined): Promise<boolean> {
  if (!given) return false;
  const { packDir, target } = given;
  const entry = await pickEntry(targetHistory(journalRunsOf(packDir), target), `History of ${path.basename(target)}`, 'A trial to see what it changed');
  return entry ? openDiff(entry) : false;
}

/** Two candidates of the same target side by side: what one trial did that another did not. */
export async function compareTrials(index: PackIndex, target: PackTarget | undefined): Promise<boolean> {
  const picked = await historyOfPickedPack(index, target, 'Compare Two Trials');
  if (!picked) return false;
  const first = await pickEntry(picked.entries, `Compare Two Trials: ${picked.slug} (1 of 2)`, 'The first trial');
  if (!first) return false;
  const others = picked.entries.filter((e) => e !== first && path.resolve(e.trial.target) === path.resolve(first.trial.target));
  if (others.length === 0) {
    void vscode.window.showInformationMessage(`Autoexp: ${picked.slug} has no other recorded trial of ${path.basename(first.trial.target)} to compare with.`);
    return false;
  }
  const second = await pickEntry(others, `Compare Two Trials: ${picked.slug} (2 of 2)`, 'The trial to compare it with');
  if (!second) return false;
  const root = journalRoot(first.run.pack);
  const name = path.basename(first.trial.target);
  await vscode.commands.executeCommand(
    'vscode.diff',
    snapshotUri(root, first.trial.candidate!, name, `trial-${first.trial.trial}`),
    snapshotUri(root, second.trial.candidate!, name, `trial-${second.trial.trial}`),
    `${picked.slug} · trial ${first.trial.trial} ↔ trial ${second.trial.trial}`,
    { preview: true },
  );
  return true;
}
