/** What a trial's diff shows: its title, and which snapshots sit left and right. No `vscode` here. */
import * as path from 'node:path';
import { scoreText } from '../scoreText';
import type { RunRecord, TrialRecord } from './journal';

export interface TrialDiff {
  title: string;
  /** Snapshot hashes: the target before the trial, and the candidate the proposal produced. */
  before: string;
  candidate: string;
  fileName: string;
}

/** Two decimals: the title of a diff tab has little room. */
const score = (n: number | undefined) => scoreText(n, 2);

/** `smoke-keep-revert · trial 2 · KEPT 0.20 → 1.00`; undefined when the trial never produced a candidate. */
export function trialDiff(run: RunRecord, trial: TrialRecord): TrialDiff | undefined {
  if (!trial.candidate) return undefined;
  const status = (trial.status ?? 'running').toUpperCase();
  const change = trial.newScore === undefined && trial.oldScore === undefined ? '' : ` ${score(trial.oldScore)} → ${score(trial.newScore)}`;
  return {
    title: `${run.slug} · trial ${trial.trial} · ${status}${change}`,
    before: trial.before,
    candidate: trial.candidate,
    fileName: path.basename(trial.target),
  };
}

/** `smoke-keep-revert · trial 2 · KEPT · 0.2000 → 1.0000 · fix_patch.py · run 20250101T…`: one trial on one line. */
export function trialHeadline(run: RunRecord, trial: TrialRecord): string {
  const status = `${(trial.status ?? 'running').toUpperCase()}${trial.reason ? ` (${trial.reason})` : ''}`;
  return `${run.slug} · trial ${trial.trial} · ${status} · ${scoreText(trial.oldScore)} → ${scoreText(trial.newScore)} · ${trial.proposal} · run ${run.id}`;
}

/** The journal's trials of a pack by the results.tsv line of their row, newest run winning. */
export function trialsByResultsLine(runs: RunRecord[]): Map<number, { run: RunRecord; trial: TrialRecord }> {
  const byLine = new Map<number, { run: RunRecord; trial: TrialRecord }>();
  for (const run of runs) for (const trial of run.trials) if (trial.resultsLine !== undefined) byLine.set(trial.resultsLine, { run, trial });
  return byLine;
}

export interface TargetHistoryEntry {
  run: RunRecord;
  trial: TrialRecord;
}

/** Every recorded trial that produced a candidate of this target, newest first. */
export function targetHistory(runs: RunRecord[], target: string): TargetHistoryEntry[] {
  const wanted = path.resolve(target);
  return runs
    .flatMap((run) => run.trials.filter((t) => t.candidate && path.resolve(t.target) === wanted).map((trial) => ({ run, trial })))
    .reverse();
}

/** The CodeLens over a target: `Last kept: trial 2 (+0.80) · 3 reverted since`. Undefined with no history. */
export function historySummary(history: TargetHistoryEntry[]): string | undefined {
  if (history.length === 0) return undefined;
  const lastKept = history.findIndex((h) => h.trial.status === 'kept');
  const since = (lastKept === -1 ? history : history.slice(0, lastKept)).filter((h) => h.trial.status === 'reverted').length;
  const sinceText = `${since} reverted ${lastKept === -1 ? 'so far' : 'since'}`;
  if (lastKept === -1) return `No kept trial yet · ${sinceText}`;
  const { trial } = history[lastKept];
  const gain = trial.newScore !== undefined && trial.oldScore !== undefined ? ` (${trial.newScore - trial.oldScore >= 0 ? '+' : ''}${(trial.newScore - trial.oldScore).toFixed(2)})` : '';
  return `Last kept: trial ${trial.trial}${gain} · ${sinceText}`;
}
