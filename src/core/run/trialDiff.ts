/** What a trial's diff shows: its title, and which snapshots sit left and right. No `vscode` here. */
import * as path from 'node:path';
import type { RunRecord, TrialRecord } from './journal';

export interface TrialDiff {
  title: string;
  /** Snapshot hashes: the target before the trial, and the candidate the proposal produced. */
  before: string;
  candidate: string;
  fileName: string;
}

const score = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(2));

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

/** The journal's trials of a pack by the results.tsv line of their row, newest run winning. */
export function trialsByResultsLine(runs: RunRecord[]): Map<number, { run: RunRecord; trial: TrialRecord }> {
  const byLine = new Map<number, { run: RunRecord; trial: TrialRecord }>();
  for (const run of runs) for (const trial of run.trials) if (trial.resultsLine !== undefined) byLine.set(trial.resultsLine, { run, trial });
  return byLine;
}
