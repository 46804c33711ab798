/**
 * "Autoexp: Reset Pack": confirm which file will change, run reset.py, then measure and show the
 * baseline score.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PackRef } from '../../core/discovery';
import { UserError } from '../../core/errors';
import { holdPackForReset, runReset, type ResetHold } from '../../core/reset';
import { restoreJournalBaseline } from '../../core/run/journalReset';
import { planReset, type ResetPlan } from '../../core/run/resetPlan';
import { pythonFor } from '../python';
import { Config } from '../config';
import { measurePack } from './measurePack';

/**
 * The pack's run lock, held while the reset runs: refused, with the run named, while a run holds the
 * pack (the CLI's `autoexp reset` refuses the same way); a killed run is cleaned up first.
 */
function holdPack(pack: PackRef, log: vscode.LogOutputChannel): ResetHold | undefined {
  try {
    const hold = holdPackForReset(pack.dir);
    hold.recovered.forEach((line) => log.info(line));
    return hold;
  } catch (err) {
    const message = err instanceof UserError ? err.message : String(err);
    log.error(message);
    void vscode.window.showErrorMessage(`Autoexp: ${message}`);
    return undefined;
  }
}

export async function resetPack(pack: PackRef, log: vscode.LogOutputChannel, confirm = true): Promise<number | undefined> {
  // Asked before the question too: no point confirming a reset that will be refused.
  const early = holdPack(pack, log);
  if (!early) return undefined;
  early.release();
  const plan = await planReset(pack.dir);
  const target = plan.target;
  const targetText = target.kind === 'unknown' ? 'its bounded target' : vscode.workspace.asRelativePath(target.path);
  if (plan.kind !== 'script') return resetFromJournal(pack, plan, targetText, log, confirm);
  if (confirm) {
    const answer = await vscode.window.showWarningMessage(
      `Reset ${pack.slug}?`,
      { modal: true, detail: `reset.py will restore ${targetText} to its baseline. Changes kept by earlier runs are overwritten; results.tsv is not touched.` },
      'Reset',
    );
    if (answer !== 'Reset') return undefined;
  }
  const python = await pythonFor(vscode.Uri.file(pack.dir));
  const hold = holdPack(pack, log);
  if (!hold) return undefined;
  try {
    const run = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Autoexp: resetting ${pack.slug}` }, () =>
      runReset(pack.dir, { python: python.command, timeoutMs: Config.trialTimeoutMs() }),
    );
    log.info(`${python.command} ${path.join(pack.slug, 'reset.py')} exited 0 in ${Math.round(run.durationMs)} ms: ${run.stdout.trim()}`);
  } catch (err) {
    const message = err instanceof UserError ? err.message : String(err);
    log.error(message);
    void vscode.window.showErrorMessage(`Autoexp: ${message}`);
    return undefined;
  } finally {
    hold.release();
  }
  const outcome = await measurePack(pack, log, true);
  if (outcome?.ok) {
    void vscode.window.showInformationMessage(`Autoexp: ${pack.slug} reset; ${targetText} is back at its baseline score ${outcome.score.toFixed(4)}.`);
    return outcome.score;
  }
  return undefined;
}

/** No reset.py: the oldest "before" snapshot in the run journal stands in for the baseline. */
async function resetFromJournal(pack: PackRef, plan: Exclude<ResetPlan, { kind: 'script' }>, targetText: string, log: vscode.LogOutputChannel, confirm: boolean): Promise<number | undefined> {
  if (plan.kind === 'none') {
    void vscode.window.showErrorMessage(`Autoexp: ${pack.slug} cannot be reset: it has no reset.py, and the run journal holds no snapshot of ${targetText} yet.`);
    return undefined;
  }
  const baseline = plan.baseline;
  const when = new Date(baseline.at).toLocaleString();
  if (confirm) {
    const answer = await vscode.window.showWarningMessage(
      `Reset ${pack.slug} from the run journal?`,
      { modal: true, detail: `${pack.slug} has no reset.py. ${targetText} will be restored to the oldest snapshot Autoexp recorded: before trial ${baseline.trial} of the run of ${when}. results.tsv is not touched.` },
      'Reset',
    );
    if (answer !== 'Reset') return undefined;
  }
  const hold = holdPack(pack, log);
  if (!hold) return undefined;
  let changed: boolean;
  try {
    changed = restoreJournalBaseline(pack.dir, baseline);
  } finally {
    hold.release();
  }
  log.info(`${pack.slug}: ${changed ? 'restored' : 'already at'} ${baseline.target} from snapshot ${baseline.hash.slice(0, 12)} (before trial ${baseline.trial} of run ${baseline.run})`);
  const outcome = await measurePack(pack, log, true);
  const score = outcome?.ok ? ` at score ${outcome.score.toFixed(4)}` : '';
  void vscode.window.showInformationMessage(`Autoexp: ${pack.slug} has no reset.py; ${targetText} was restored from the run journal (before trial ${baseline.trial} of ${when})${score}.`);
  return outcome?.ok ? outcome.score : undefined;
}
