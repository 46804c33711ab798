/**
 * `autoexp diff PACK N`, `PACK RUN:N` and `PACK N M`: what a recorded trial changed (the target
 * before it against its candidate), or two trials' candidates against each other, from the run
 * journal's snapshots. A header line per trial, then the unified diff.
 */
import * as path from 'node:path';
import { UserError } from '../../core/errors';
import { changeLines, DIFF_CONTEXT } from '../../core/diff/inlineDiff';
import { paint, statusStyle } from '../../core/diff/paint';
import { compareContents } from '../../core/diff/unified';
import { journalRoot, readJournal, runsOfPack, type TrialRecord } from '../../core/run/journal';
import { undoneLine } from '../../core/run/guard/repoGuard';
import { SnapshotStore } from '../../core/run/snapshots';
import { trialHeadline } from '../../core/run/trialDiff';
import { lookUpTrial, parseTrialReference, type TrialReference } from '../../core/run/trialLookup';
import { parse } from '../args';
import type { CliIO } from '../io';
import { packFolder } from '../packArg';
import { isMissing } from '../../core/fsErrors';

export { seeAllCommand } from '../../core/diff/inlineDiff';

function snapshot(store: SnapshotStore, hash: string, what: string): Buffer {
  try {
    return store.get(hash);
  } catch (err) {
    if (!isMissing(err)) throw err;
    throw new UserError(`${store.path(hash)}: the snapshot of ${what} is missing from the run journal`);
  }
}

function reference(text: string): TrialReference {
  const ref = parseTrialReference(text);
  if (!ref) throw new UserError(`autoexp diff: "${text}" is not a trial; use N or RUN:N, N a trial number from 1`, 2);
  return ref;
}

export async function diffCommand(args: string[], io: CliIO): Promise<number> {
  const { positionals } = parse('diff', args, {});
  if (positionals.length < 2 || positionals.length > 3) throw new UserError(`autoexp diff: expected PACK and one or two trials (N or RUN:N), got ${positionals.length} argument(s)`, 2);
  const [packArg, ...refTexts] = positionals;
  const refs = refTexts.map(reference);
  const pack = await packFolder(io.cwd, packArg);
  const root = journalRoot(pack);
  const runs = runsOfPack(readJournal(root), pack);
  const found = refs.map((ref, i) => {
    const lookup = lookUpTrial(runs, ref);
    if (!lookup.ok) throw new UserError(`${path.basename(pack)}: ${refTexts[i]}: ${lookup.why}`);
    return lookup;
  });
  const store = new SnapshotStore(root);
  const color = io.color ?? false;
  for (const { run, trial } of found) io.out(paint(trialHeadline(run, trial), statusStyle(trial.status), color));
  const candidateOf = (t: TrialRecord) => {
    if (!t.candidate) throw new UserError(`${path.basename(pack)}: trial ${t.trial} has no candidate: its proposal never finished${t.reason ? ` (${t.reason})` : ''}`);
    return snapshot(store, t.candidate, `trial ${t.trial}'s candidate`);
  };
  const [first, second] = found.map((f) => f.trial);
  const name = path.basename(first.target);
  const [left, right] = second
    ? [{ label: `trial ${first.trial} candidate`, bytes: candidateOf(first) }, { label: `trial ${second.trial} candidate`, bytes: candidateOf(second) }]
    : [{ label: `before trial ${first.trial}`, bytes: snapshot(store, first.before, `the target before trial ${first.trial}`) }, { label: `trial ${first.trial} candidate`, bytes: candidateOf(first) }];
  io.out(paint(`--- ${name} (${left.label})`, 'del', color));
  io.out(paint(`+++ ${name} (${right.label})`, 'add', color));
  for (const line of changeLines(compareContents(left.bytes, right.bytes, DIFF_CONTEXT), color)) io.out(line);
  // What the guard undid besides the target, and where the proposal's copy of each is kept.
  for (const t of second ? [] : [first]) {
    const undone = t.undone ?? {};
    for (const file of [...new Set([...(t.touched ?? []), ...Object.keys(undone)])].sort()) io.out(`guard: ${undoneLine(file, undone[file], root, store)}`);
  }
  return 0;
}
