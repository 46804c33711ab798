/**
 * Which recorded trial a user means: `2` (trial 2 of the pack's latest run with trials) or
 * `RUN:2` (trial 2 of that run, a unique start of its id enough). The CLI's `autoexp diff` and the
 * terminal's `trial 2` links read references through here.
 */
import type { RunRecord, TrialRecord } from './journal';

export interface TrialReference {
  run?: string;
  trial: number;
}

export type Lookup = { ok: true; run: RunRecord; trial: TrialRecord } | { ok: false; why: string };

const RECONSTRUCT = 'a trial logged outside Autoexp can be replayed with Reconstruct Diff in VS Code';

export function parseTrialReference(text: string): TrialReference | undefined {
  const m = /^(?:([^:\s]+):)?([1-9]\d*)$/.exec(text.trim());
  return m ? { run: m[1], trial: Number(m[2]) } : undefined;
}

function pickRun(runs: RunRecord[], wanted: string | undefined): RunRecord | string {
  if (wanted === undefined) return runs.filter((r) => r.trials.length > 0).pop() ?? 'the run journal holds no trial of it';
  const exact = runs.find((r) => r.id === wanted);
  if (exact) return exact;
  const starts = runs.filter((r) => r.id.startsWith(wanted));
  if (starts.length === 1) return starts[0];
  return starts.length === 0 ? `the run journal holds no run ${wanted}` : `${starts.length} runs start with ${wanted}; give more of the id`;
}

/** `runs`: one pack's runs, oldest first. */
export function lookUpTrial(runs: RunRecord[], ref: TrialReference): Lookup {
  const run = pickRun(runs, ref.run);
  if (typeof run === 'string') return { ok: false, why: `${run}; ${RECONSTRUCT}` };
  // A trial number may come twice in one run (a pack engine restarted after a timeout): the newest.
  const trial = run.trials.filter((t) => t.trial === ref.trial).pop();
  if (!trial) {
    const numbers = run.trials.map((t) => t.trial);
    const has = numbers.length === 0 ? 'no trials' : `trials ${Math.min(...numbers)}–${Math.max(...numbers)}`;
    return { ok: false, why: `run ${run.id} (${has}) recorded no trial ${ref.trial}; ${RECONSTRUCT}` };
  }
  return { ok: true, run, trial };
}
