/**
 * "Reconstruct Diff" for a trial the run journal never saw (logged before Autoexp, or by a loop run
 * by hand): re-apply its proposal to a temporary copy of the target as it was before the trial, when
 * that state is known, and never to the real target.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runProcess } from '../process';
import type { ResultsLog, Trial } from '../results/model';
import { describeProcessEnd } from './context';
import { RepoGuard } from './guard/repoGuard';
import { journalRoot, newRunId, type RunRecord, type TrialRecord } from './journal';
import { acquireLock } from './lock';
import type { SnapshotStore } from './snapshots';

export type KnownBefore = { ok: true; bytes: Buffer; how: string } | { ok: false; why: string };

const keeps = (t: Trial) => t.status === 'kept';

/**
 * The target's bytes before `trial`, when the log and the journal pin them down: nothing kept since
 * (then it is the target as it is now), or a recorded trial earlier with nothing kept in between.
 */
export function knownStateBefore(
  log: ResultsLog,
  trial: Trial,
  current: Buffer,
  recorded: Map<number, { run: RunRecord; trial: TrialRecord }>,
  store: SnapshotStore,
): KnownBefore {
  const later = log.trials.slice(trial.index);
  if (!later.some(keeps)) return { ok: true, bytes: current, how: 'the target as it is now (no trial since kept a change)' };
  for (let j = trial.index - 1; j >= 0; j--) {
    const earlier = log.trials[j];
    const found = recorded.get(earlier.line);
    if (found) {
      const hash = found.trial.status === 'kept' ? found.trial.candidate : found.trial.before;
      if (hash && store.has(hash)) return { ok: true, bytes: store.get(hash), how: `the journal's snapshot after trial ${earlier.number}` };
      break;
    }
    if (keeps(earlier)) break;
  }
  return { ok: false, why: `the target's state before trial ${trial.number} is not known: a later trial kept a change, and the run journal holds no snapshot from before this one` };
}

export interface Reconstruction {
  before: string;
  candidate: string;
  how: string;
}

/**
 * Runs the proposal on a temporary copy. A proposal that writes the real target or any other file
 * of the repository anyway is undone and reported: the real files are never left changed.
 */
export async function reconstructTrial(options: {
  packDir: string;
  target: string;
  proposal: string;
  known: Extract<KnownBefore, { ok: true }>;
  python: string;
  store: SnapshotStore;
  timeoutMs: number;
}): Promise<Reconstruction> {
  const { packDir, target, proposal, known, store } = options;
  if (!existsSync(proposal)) throw new Error(`${proposal}: not in the pack any more, so the trial cannot be replayed`);
  // The guard puts back every change in the repository after its mark: a run of the pack going on at
  // the same time would lose its new row and candidate. Holding the pack's lock refuses that case.
  const lock = acquireLock(journalRoot(packDir), packDir, `reconstruct-${newRunId()}`);
  const scratch = mkdtempSync(path.join(tmpdir(), 'autoexp-reconstruct-'));
  const copy = path.join(scratch, path.basename(target));
  let guard: RepoGuard | undefined;
  try {
    guard = await RepoGuard.open({ pack: packDir, target, resultsFile: path.join(packDir, 'results.tsv'), store, id: path.basename(scratch) });
    writeFileSync(copy, known.bytes);
    const mark = await guard.mark();
    const run = await runProcess(options.python, [proposal], { cwd: packDir, env: { EXPERIMENT_TARGET: copy }, timeoutMs: options.timeoutMs });
    // The real target too: a proposal must not change it here.
    const touched = (await guard.check(mark, { targetToo: true })).changed;
    if (touched.length) {
      throw new Error(`the proposal wrote ${path.relative(guard.root, touched[0])} instead of only EXPERIMENT_TARGET; it was put back, and the trial cannot be replayed safely`);
    }
    if (run.timedOut) throw new Error(`the proposal did not finish within ${options.timeoutMs / 1000} s`);
    if (run.exitCode !== 0) throw new Error(describeProcessEnd('the proposal', run.exitCode, run.stderr));
    return { before: store.put(known.bytes), candidate: store.put(readFileSync(copy)), how: known.how };
  } finally {
    guard?.dispose();
    rmSync(scratch, { recursive: true, force: true });
    lock.release();
  }
}
