/**
 * After a crash (the CLI or VS Code killed mid-trial): a run with no end whose process is gone left a
 * trial unfinished. Its processes still alive are killed first, so nothing of it writes after this.
 * Then results.tsv decides: a trial whose row was written ends as the row says (kept: the candidate
 * stays; otherwise the "before" snapshot is put back); a trial with no row is put back to its
 * "before" snapshot. The journal marks the run interrupted.
 */
import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { unlessMissing } from '../fsErrors';
import { isSameProcess } from '../processTable';
import { realPath } from '../realPath';
import { Journal, isPack, journalDir, nowIso, readUnfinishedRuns, type RunRecord, type TrialEndStatus, type TrialRecord } from './journal';
import { pairRows, rowDecision, rowsAfter } from './rowPairing';
import { heldFileOf, killRunProcesses } from './runProcesses';
import { SnapshotStore, restoreFile } from './snapshots';

export interface Recovered {
  run: string;
  slug: string;
  trial?: number;
  /** Set when the trial's row was in results.tsv and decided its end. */
  status?: TrialEndStatus;
  /** The file put back, when it had changed. */
  restored?: string;
  /** Processes of the dead run that were still running and were killed. */
  killed?: number;
}

export function recoverInterrupted(root: string, packDir?: string): Recovered[] {
  const pack = packDir && realPath(packDir);
  const stale = readUnfinishedRuns(root).filter((r) => !isSameProcess({ pid: r.pid, startTime: r.startTime }) && (!pack || isPack(r, pack)));
  if (stale.length === 0) return [];
  const journal = new Journal(root);
  const store = new SnapshotStore(root);
  return stale.flatMap((run) => {
    const recovered = recoverRun(run, journal, store);
    removeRunFiles(root, run.id);
    return recovered;
  });
}

/**
 * The files a killed run left in `.autoexp`: the guard's clock and results copy
 * (`guard-<run>.clock`, `guard-<run>-results.tsv`) and the file it held open (`run-<run>.held`).
 */
function removeRunFiles(root: string, run: string): void {
  const dir = journalDir(root);
  for (const name of unlessMissing(() => readdirSync(dir)) ?? []) {
    if (name.startsWith(`guard-${run}.`) || name.startsWith(`guard-${run}-`)) rmSync(path.join(dir, name), { force: true });
  }
  rmSync(heldFileOf(root, run), { force: true });
}

function recoverRun(run: RunRecord, journal: Journal, store: SnapshotStore): Recovered[] {
  const killed = killRunProcesses(run.id, run.processes, { heldFile: heldFileOf(journal.root, run.id), startTime: run.startTime }) || undefined;
  const open = run.trials.filter((t) => t.status === undefined);
  const rows = unclaimedRows(run);
  const pairs = pairRows(rows, open.filter((t) => t.candidate !== undefined));
  const recovered: Recovered[] = open.length === 0 ? [{ run: run.id, slug: run.slug, killed }] : [];
  // In order: each trial started from the one before it, so the last one's end is what stays.
  for (const trial of open) {
    const row = pairs.find((p) => p.trial === trial)?.row;
    const put = (hash: string | undefined) => (hash && store.has(hash) && restoreFile(store, hash, trial.target) ? trial.target : undefined);
    if (!row) {
      const restored = put(trial.before);
      journal.append({ type: 'trial-end', run: run.id, trial: trial.trial, status: 'interrupted', reason: 'the run was killed during this trial', restored, at: nowIso() });
      recovered.push({ run: run.id, slug: run.slug, trial: trial.trial, restored, killed });
      continue;
    }
    const { status, reason } = rowDecision(row);
    const restored = put(status === 'kept' ? trial.candidate : trial.before);
    journal.append({ type: 'trial-end', run: run.id, trial: trial.trial, status, reason, oldScore: row.oldScore, newScore: row.score, restored, resultsLine: row.line, at: nowIso() });
    recovered.push({ run: run.id, slug: run.slug, trial: trial.trial, status, restored, killed });
  }
  journal.append({ type: 'run-end', run: run.id, status: 'interrupted', message: 'the process running it was killed', at: nowIso() });
  return recovered;
}

/** Rows written after everything the run's journal accounts for: the rows of its open trials. */
function unclaimedRows(run: RunRecord) {
  if (run.resultsLines === undefined) return [];
  const claimed = Math.max(run.resultsLines, ...run.trials.map((t: TrialRecord) => t.resultsLine ?? 0));
  return rowsAfter(path.join(run.pack, 'results.tsv'), claimed);
}

export function describeRecovery(item: Recovered, root: string): string {
  const where = item.trial === undefined ? `run ${item.run}` : `trial ${item.trial} of run ${item.run}`;
  const killed = item.killed ? `; ended ${item.killed} of its processes still running` : '';
  const what = item.restored ? `restored ${path.relative(root, item.restored)} from its snapshot` : 'nothing needed restoring';
  if (item.status) return `${item.slug}: ${where} was interrupted after results.tsv logged it ${item.status}; ${what}${killed}`;
  return `${item.slug}: ${where} was interrupted; ${what}${killed}`;
}
