/**
 * After a crash (the CLI or VS Code killed mid-trial): a run with no end whose process is gone left a
 * trial unfinished. Its leftover processes are ended, its target is put back to the trial's "before"
 * snapshot, and the journal marks the trial and the run interrupted.
 */
import * as path from 'node:path';
import { isGroupRunning, isProcessRunning, signalGroup } from '../process';
import { Journal, nowIso, readJournal } from './journal';
import { SnapshotStore, restoreFile } from './snapshots';

export interface Recovered {
  run: string;
  slug: string;
  trial?: number;
  /** The file put back, when it had changed. */
  restored?: string;
}

export function recoverInterrupted(root: string, packDir?: string): Recovered[] {
  const contents = readJournal(root);
  const stale = contents.runs.filter((r) => r.status === undefined && !isProcessRunning(r.pid) && (!packDir || path.resolve(r.pack) === path.resolve(packDir)));
  if (stale.length === 0) return [];
  const journal = new Journal(root);
  const store = new SnapshotStore(root);
  const recovered: Recovered[] = [];
  for (const run of stale) {
    // At once and for good: a proposal still writing must not land after the restore.
    for (const pid of run.pids) if (isGroupRunning(pid)) signalGroup(pid, 'SIGKILL');
    const open = run.trials.filter((t) => t.status === undefined);
    if (open.length === 0) recovered.push({ run: run.id, slug: run.slug });
    for (const trial of open) {
      const restored = store.has(trial.before) && restoreFile(store, trial.before, trial.target) ? trial.target : undefined;
      journal.append({ type: 'trial-end', run: run.id, trial: trial.trial, status: 'interrupted', reason: 'the run was killed during this trial', restored, at: nowIso() });
      recovered.push({ run: run.id, slug: run.slug, trial: trial.trial, restored });
    }
    journal.append({ type: 'run-end', run: run.id, status: 'interrupted', message: 'the process running it was killed', at: nowIso() });
  }
  return recovered;
}

export function describeRecovery(item: Recovered, root: string): string {
  const where = item.trial === undefined ? `run ${item.run}` : `trial ${item.trial} of run ${item.run}`;
  return item.restored
    ? `${item.slug}: ${where} was interrupted; restored ${path.relative(root, item.restored)} from its snapshot`
    : `${item.slug}: ${where} was interrupted; nothing needed restoring`;
}

