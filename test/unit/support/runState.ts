/**
 * What the crash tests check after a run was killed and the next start recovered it: the target,
 * results.tsv and the journal tell one story, and nothing of the run is still running.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, watch } from 'node:fs';
import * as path from 'node:path';
import { isGroupRunning, isSameProcess, processesWithEnv } from '../../../src/core/processTable';
import { normaliseStatus } from '../../../src/core/results/columns';
import { parseResults } from '../../../src/core/results/parse';
import { readJournal, runsOfPack, type RunRecord } from '../../../src/core/run/journal';
import { RUN_ID_VAR } from '../../../src/core/run/runProcesses';
import { contentHash } from '../../../src/core/run/snapshots';

/** Processes of a run still alive: tagged with its id, or in a group it recorded (checked by start time). */
export function liveProcessesOf(run: RunRecord): number[] {
  const groups = run.processes.filter((p) => isSameProcess(p) && isGroupRunning(p.pid)).map((p) => p.pid);
  return [...new Set([...processesWithEnv(RUN_ID_VAR, run.id), ...groups])];
}

/** The run's watchdog: the process whose arguments name the run's id. */
export function watchdogOf(run: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes(RUN_ID_VAR) && args.includes(run)) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

/**
 * Every run and trial of the pack has ended; each row of results.tsv is claimed by exactly one trial
 * with the same status, and each claimed line is such a row; each trial started from what the one
 * before it left, and the target holds what the last kept trial left (or `initial`); no process of
 * any run is alive.
 */
export function assertConsistent(repo: string, pack: string, initial: string, label: string): void {
  const runs = runsOfPack(readJournal(repo), pack);
  const rows = parseResults(readFileSync(path.join(pack, 'results.tsv'), 'utf8'), 'results.tsv').trials;
  const claimed = new Map<number, string>();
  let state = contentHash(Buffer.from(initial));
  for (const run of runs) {
    assert.notEqual(run.status, undefined, `${label}: run ${run.id} has an end`);
    assert.deepEqual(liveProcessesOf(run), [], `${label}: nothing of run ${run.id} is running`);
    for (const trial of run.trials) {
      const where = `${label}: trial ${trial.trial} (${trial.proposal}, ${trial.status})`;
      assert.notEqual(trial.status, undefined, `${where} has an end`);
      assert.equal(trial.before, state, `${where} started from what the trial before it left`);
      if (trial.status === 'kept') state = trial.candidate!;
      if (trial.resultsLine === undefined) continue;
      assert.equal(claimed.has(trial.resultsLine), false, `${where}: line ${trial.resultsLine} claimed once`);
      claimed.set(trial.resultsLine, trial.status!);
    }
  }
  for (const row of rows) {
    const status = row.status ?? normaliseStatus(row.statusWord);
    assert.equal(claimed.get(row.line), status, `${label}: row ${row.line} (${row.statusWord} ${row.proposal}) is claimed by a trial with its status`);
  }
  assert.equal(claimed.size, rows.length, `${label}: every claimed line is a row`);
  assert.equal(contentHash(readFileSync(path.join(pack, 'candidate.py'))), state, `${label}: the target holds what the last kept trial left`);
}

/**
 * Resolves with true once `check()` holds, looked at whenever something in `dir` changes; with false
 * if `stop` resolves first and it still does not hold.
 */
export function until(dir: string, check: () => boolean, stop: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const watcher = watch(dir, () => {
      if (check()) done(true);
    });
    const done = (reached: boolean) => {
      watcher.close();
      resolve(reached);
    };
    void stop.then(() => done(check()));
    if (check()) done(true);
  });
}

/** Once `file` holds at least `lines` lines. */
export function untilLines(file: string, lines: number, stop: Promise<unknown>): Promise<boolean> {
  const count = () => {
    try {
      return readFileSync(file, 'utf8').split('\n').length - 1;
    } catch {
      return 0;
    }
  };
  return until(path.dirname(file), () => count() >= lines, stop);
}

/** Polls what no file event announces (a process's death); the limit only stops a broken test. */
export async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
