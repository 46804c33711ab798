/**
 * One run of a pack's loop, whichever engine: checks the pack, recovers what a crashed run left, takes
 * the pack's lock, journals the run's start and end, and hands over to the engine.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { refuseBinary } from '../results/load';
import * as path from 'node:path';
import { UserError } from '../errors';
import { realPath } from '../realPath';
import { resolveProposals } from '../proposals';
import type { InlineDiffOptions } from '../diff/inlineDiff';
import { resolveTarget } from '../target';
import type { Direction } from '../results/model';
import { DEFAULT_TIMEOUT_SECONDS } from '../measure';
import type { Engine, RunContext, RunReporter, RunSummary } from './context';
import { Journal, journalRoot, newRunId, nowIso } from './journal';
import { defaultRepeat, type KeepRuleOptions } from './keepOptions';
import { acquireLock } from './lock';
import { runNativeEngine } from './nativeEngine';
import { runPackEngine } from './packEngine';
import { RepoGuard } from './guard/repoGuard';
import { describeRecovery, recoverInterrupted } from './recovery';
import { fileLineCount, readDialect } from './resultsWriter';
import { RunProcesses } from './runProcesses';
import { removeDeadShimFolders } from './shimFolder';
import { SnapshotStore } from './snapshots';
import { processStartTime } from '../processTable';
import { chooseEngine } from './engineChoice';
import { withInlineDiffs } from './trialPrinter';

export interface RunLoopOptions {
  pack: string;
  /** Proposal files, absolute or relative (./../proposals.ts says where they are looked for); run in this order. */
  proposals: string[];
  /** The folder a relative proposal is looked for first, as loop.py does; the pack when absent. */
  cwd?: string;
  python: string;
  /** Undefined: ./engineChoice.ts decides from the pack. */
  engine?: Engine;
  /** Why a shell's own chooseEngine call picked `engine`, said at the start of the run as if the run had chosen. */
  engineWhy?: string;
  direction?: Direction;
  repeat?: number;
  margin?: number;
  /** The native engine's keep rule; greedy when absent. */
  keep?: KeepRuleOptions;
  timeoutMs?: number;
  signal?: AbortSignal;
  reporter: RunReporter;
  /** Each trial's diff under its line; off when absent. */
  inlineDiffs?: InlineDiffOptions;
}

/** A run that has passed its checks, recovered what a crash left, and holds the pack's lock. */
export interface OpenRun {
  ctx: RunContext;
  recovered: string[];
  /** Journals the run's end and releases the lock. */
  close(summary: Pick<RunSummary, 'status' | 'message' | 'best'>): void;
}

export interface OpenRunOptions {
  pack: string;
  python: string;
  engine: Engine;
  /** The proposals' paths (empty for an autopilot, whose proposals are written as it goes). */
  proposals: string[];
  timeoutMs?: number;
  signal?: AbortSignal;
  reporter: RunReporter;
}

/** Checks the pack and its target, recovers an interrupted run, takes the lock and journals the start. */
export async function openRun(options: OpenRunOptions): Promise<OpenRun> {
  // Real paths throughout: a link to the pack must meet the same lock, journal records and recovery.
  const pack = realPath(options.pack);
  const slug = path.basename(pack);
  if (!existsSync(path.join(pack, 'measure.py'))) throw new UserError(`${path.join(pack, 'measure.py')}: not found; a pack needs measure.py to run`);
  const target = await resolveTarget(pack);
  if (target.kind === 'unknown') throw new UserError(`${pack}: the bounded target is unknown (${target.reason})`);
  if (!existsSync(target.path)) throw new UserError(`${target.path}: the bounded target does not exist`);
  const targetPath = realPath(target.path);
  const resultsFile = path.join(pack, 'results.tsv');
  if (existsSync(resultsFile) && statSync(resultsFile).isFile()) refuseBinary(resultsFile, readFileSync(resultsFile));
  if (options.engine === 'pack' && !existsSync(path.join(pack, 'loop.py'))) throw new UserError(`${path.join(pack, 'loop.py')}: not found; use --engine native`);

  const root = journalRoot(pack);
  // Recovery first: it ends a killed run's loop.py, which would fail on a removed shim and log a row for it.
  const recovered = recoverInterrupted(root, pack).map((r) => describeRecovery(r, root));
  removeDeadShimFolders();
  for (const line of recovered) options.reporter.line(`autoexp: ${line}`);
  const run = newRunId();
  const lock = acquireLock(root, pack, run);
  const journal = new Journal(root);
  const store = new SnapshotStore(root);
  let guard: RepoGuard;
  try {
    guard = await RepoGuard.open({ pack, target: targetPath, resultsFile, store, id: run });
  } catch (err) {
    lock.release();
    throw err;
  }
  journal.append({
    type: 'run-start',
    run,
    pack,
    slug,
    engine: options.engine,
    proposals: options.proposals.map((p) => path.basename(p)),
    target: targetPath,
    pid: process.pid,
    startTime: processStartTime(process.pid),
    resultsLines: fileLineCount(resultsFile),
    at: nowIso(),
  });
  const processes = new RunProcesses(journal, run, options.python);
  const ctx: RunContext = {
    run,
    pack,
    slug,
    target: targetPath,
    proposals: options.proposals,
    python: options.python,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000,
    signal: options.signal,
    journal,
    store,
    guard,
    reporter: options.reporter,
    resultsFile,
    processes,
  };
  return {
    ctx,
    recovered,
    close(summary) {
      try {
        try {
          // Nothing the run started may outlive it.
          processes.close();
        } finally {
          // Before the run-end: killed between the two, the run is unfinished and its recovery removes
          // the guard's files; killed after the run-end, nothing would.
          guard.dispose();
        }
        journal.append({ type: 'run-end', run, status: summary.status, message: summary.message, best: summary.best, at: nowIso() });
      } finally {
        lock.release();
      }
    },
  };
}

export async function runLoop(options: RunLoopOptions): Promise<RunSummary & { recovered: string[] }> {
  const pack = realPath(options.pack);
  const proposals = resolveProposals(options.proposals, { cwd: path.resolve(options.cwd ?? pack), pack });
  const choice = options.engine ? { engine: options.engine, why: options.engineWhy } : chooseEngine(pack, {});
  if (!('engine' in choice)) throw new UserError(choice.usage, 2);
  const { engine, why } = choice;
  const opened = await openRun({ ...options, pack, proposals, engine });
  const { recovered, close } = opened;
  const { ctx, flush } = withInlineDiffs(opened.ctx, options.inlineDiffs);
  try {
    if (why) options.reporter.line(`autoexp: native engine (${why})`);
    const summary =
      engine === 'pack'
        ? await runPackEngine(ctx)
        : await runNativeEngine(ctx, { repeat: options.repeat ?? defaultRepeat(options.keep?.rule ?? 'greedy'), margin: options.margin ?? 0, keep: options.keep, direction: options.direction ?? readDialect(ctx.resultsFile).direction ?? 'higher' });
    close(summary);
    return { ...summary, recovered };
  } catch (err) {
    close({ status: 'error', message: String((err as Error).message ?? err) });
    throw err;
  } finally {
    flush();
  }
}
