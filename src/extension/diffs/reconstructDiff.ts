/**
 * "Reconstruct Diff": for a trial in results.tsv the journal never recorded, replay its proposal on a
 * temporary copy of the target's known earlier state and show the result. Never the real target.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { oneLine } from '../../core/errors';
import { loadResults } from '../../core/results/load';
import { journalRoot } from '../../core/run/journal';
import { knownStateBefore, reconstructTrial } from '../../core/run/reconstruct';
import { SnapshotStore } from '../../core/run/snapshots';
import { trialsByResultsLine } from '../../core/run/trialDiff';
import { resolveTarget } from '../../core/target';
import { Config } from '../config';
import { journalRunsOf } from '../../core/run/journalCache';
import { pythonFor } from '../python';
import { requireTrust } from '../trust';
import type { TrialRef } from '../commands/args';
import { snapshotUri } from './snapshotContent';

export async function reconstructDiff(ref: TrialRef | undefined): Promise<boolean> {
  if (!ref || !requireTrust('Reconstruct Diff')) return false;
  const { packDir, resultsLine } = ref;
  const slug = path.basename(packDir);
  const fail = (why: string) => {
    void vscode.window.showWarningMessage(`Autoexp: cannot reconstruct ${slug} results.tsv line ${resultsLine}: ${why}`);
    return false;
  };
  const target = await resolveTarget(packDir);
  if (target.kind === 'unknown') return fail(`its bounded target is unknown (${target.reason})`);
  const log = await loadResults(path.join(packDir, 'results.tsv'));
  const trial = log.trials.find((t) => t.line === resultsLine);
  if (!trial?.proposal) return fail('the row names no proposal to replay');
  const root = journalRoot(packDir);
  const store = new SnapshotStore(root);
  const known = knownStateBefore(log, trial, readFileSync(target.path), trialsByResultsLine(journalRunsOf(packDir)), store);
  if (!known.ok) return fail(known.why);
  const python = await pythonFor(vscode.Uri.file(packDir));
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Autoexp: replaying ${trial.proposal} on a copy of ${path.basename(target.path)}` }, () =>
      reconstructTrial({ packDir, target: target.path, proposal: path.join(packDir, 'proposals', trial.proposal!), known, python: python.command, store, timeoutMs: Config.trialTimeoutMs() }),
    );
    const name = path.basename(target.path);
    const status = (trial.status ?? trial.statusWord).toUpperCase();
    await vscode.commands.executeCommand(
      'vscode.diff',
      snapshotUri(root, result.before, name, 'before'),
      snapshotUri(root, result.candidate, name, 'reconstructed'),
      `${slug} · trial ${trial.number} · ${status} (reconstructed from ${result.how})`,
      { preview: true },
    );
    return true;
  } catch (err) {
    return fail(oneLine(err));
  }
}
