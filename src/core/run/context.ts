/** What both engines are handed for one run, and what they hand back. */
import type { Direction } from '../results/model';
import type { RepoGuard } from './guard/repoGuard';
import type { KeepRuleOptions } from './keepOptions';
import type { Journal, RunEndStatus, TrialEndStatus } from './journal';
import type { RunProcesses } from './runProcesses';
import type { SnapshotStore } from './snapshots';

export type Engine = 'pack' | 'native';

/** Five errors in a row mean something is broken beyond one proposal. */
export const MAX_CONSECUTIVE_ERRORS = 5;

export interface RunReporter {
  /** The loop's own lines: BASELINE, TRIAL n …, FINAL, and what the run tells its user. */
  line(text: string): void;
  /** A child process's output, passed through unchanged. */
  output(chunk: string): void;
  /** One entry per process: what ran, how long, how it ended. */
  log(text: string): void;
  /** A child process ended after running this long (the benchmark subtracts it). */
  processDone?(durationMs: number): void;
  /** A trial finished (or the run learnt it did). */
  trialDone?(trial: number, total: number, status: TrialEndStatus): void;
}

export interface RunContext {
  run: string;
  pack: string;
  slug: string;
  target: string;
  proposals: string[];
  python: string;
  timeoutMs: number;
  signal?: AbortSignal;
  journal: Journal;
  store: SnapshotStore;
  /** Undoes whatever a proposal changed besides the target (./guard/repoGuard.ts). */
  guard: RepoGuard;
  reporter: RunReporter;
  resultsFile: string;
  /** Every process the run starts is tagged and recorded through this, so none outlives the run. */
  processes: RunProcesses;
}

export interface NativeOptions {
  /** Overrides the pack's direction. */
  direction?: Direction;
  /** Measure each side this many times and compare medians. */
  repeat: number;
  /** A kept change must gain at least this much. */
  margin: number;
  /** The keep rule and its settings; greedy on medians when absent. */
  keep?: KeepRuleOptions;
}

export interface TrialOutcome {
  trial: number;
  proposal: string;
  status: TrialEndStatus;
  reason?: string;
  oldScore?: number;
  newScore?: number;
  /** Why the whole run must stop after this trial (its harness moved), when it must. */
  stop?: string;
}

export interface RunSummary {
  run: string;
  engine: Engine;
  status: RunEndStatus;
  message?: string;
  baseline?: number;
  best?: number;
  trials: TrialOutcome[];
}

export function describeProcessEnd(what: string, exitCode: number | undefined, stderr: string): string {
  const why = stderr.trim().split(/\r?\n/).pop();
  return `${what} exited with code ${exitCode ?? '?'}${why ? `: ${why}` : ''}`;
}
