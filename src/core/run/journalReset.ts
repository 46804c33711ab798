/**
 * Reset without reset.py: the oldest "before" snapshot the run journal holds for the pack's target
 * is the earliest state Autoexp saw, so it stands in for the baseline.
 */
import { realPath } from '../realPath';
import { journalRoot, readJournal, runsOfPack, type TrialRecord } from './journal';
import { SnapshotStore, restoreFile } from './snapshots';

export interface JournalBaseline {
  target: string;
  hash: string;
  run: string;
  trial: number;
  at: string;
}

export function oldestBefore(packDir: string, target: string): JournalBaseline | undefined {
  const root = journalRoot(packDir);
  const store = new SnapshotStore(root);
  const wanted = realPath(target);
  for (const run of runsOfPack(readJournal(root), packDir)) {
    const first: TrialRecord | undefined = run.trials.find((t) => (t.target === wanted || realPath(t.target) === wanted) && store.has(t.before));
    if (first) return { target: wanted, hash: first.before, run: run.id, trial: first.trial, at: first.startedAt };
  }
  return undefined;
}

/** Puts the target back to that snapshot; false when it already held those bytes. */
export function restoreJournalBaseline(packDir: string, baseline: JournalBaseline): boolean {
  return restoreFile(new SnapshotStore(journalRoot(packDir)), baseline.hash, baseline.target);
}
