/**
 * The pack engine: the pack's own `python loop.py --proposal …` decides, and its output reaches the
 * terminal unchanged. Each proposal is handed over as a shim (./shimSource.ts) that records the
 * trial's "before" and "candidate" in the journal; the rows loop.py appends give each trial's status.
 * A trial that stalls past its time is stopped here: loop.py is ended, the target restored, the
 * trial logged as a timeout, and a fresh loop.py goes on with the remaining proposals.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runProcess, type RunResult } from '../process';
import type { Trial } from '../results/model';
import { parseResults } from '../results/parse';
import { describeProcessEnd, MAX_CONSECUTIVE_ERRORS, type RunContext, type RunSummary, type TrialOutcome } from './context';
import { GuardServer, type UndoneTrial } from './guard/guardServer';
import { describeUndone, keptCopyPath, type GuardReport } from './guard/repoGuard';
import { nowIso, type TrialEndStatus, type TrialRecord } from './journal';
import { appendRow, fileLineCount, readDialect } from './resultsWriter';
import { pairRows, rowDecision, rowsAfter } from './rowPairing';
import { makeShimFolder } from './shimFolder';
import { restoreFile } from './snapshots';
import { SHIM_MODULE, SHIM_MODULE_NAME, shimStub } from './shimSource';

/**
 * Beyond one process's own time (measure.py's, or the proposal's, which the shim enforces), what loop.py
 * may take between two signs of progress before it counts as stalled: its own bookkeeping only.
 */
const STALL_GRACE_MS = 5000;
const PROGRESS_LINE = /^(BASELINE|TRIAL\s+\d+|FINAL)\b/;

interface Segment {
  proc: RunResult;
  stalled: boolean;
  sawBaseline: boolean;
  baseline?: number;
  final?: number;
}

/** The guard's socket, beside the shims (./guard/guardServer.ts). */
const GUARD_SOCKET = 'guard.sock';

function writeShims(ctx: RunContext, dir: string, from: number): string[] {
  writeFileSync(path.join(dir, `${SHIM_MODULE_NAME}.py`), SHIM_MODULE);
  return ctx.proposals.slice(from).map((real, i) => {
    const trial = from + i + 1;
    const folder = path.join(dir, String(trial));
    mkdirSync(folder, { recursive: true });
    const shim = path.join(folder, path.basename(real));
    writeFileSync(
      shim,
      shimStub({
        real,
        journal: ctx.journal.file,
        snapshots: ctx.store.dir,
        run: ctx.run,
        trial,
        pack: ctx.pack,
        target: ctx.target,
        timeoutSeconds: ctx.timeoutMs / 1000,
        guard: path.join(dir, GUARD_SOCKET),
      }, dir),
    );
    return shim;
  });
}

export async function runPackEngine(ctx: RunContext): Promise<RunSummary> {
  const shimDir = makeShimFolder();
  ctx.processes.removeIfKilled(shimDir);
  const summary: RunSummary = { run: ctx.run, engine: 'pack', status: 'finished', trials: [] };
  let linesSeen = fileLineCount(ctx.resultsFile);
  const ended = new Set<number>();
  let guard: GuardServer | undefined;
  try {
    guard = await GuardServer.listen(ctx.guard, path.join(shimDir, GUARD_SOCKET), (trial, report) => printUndone(ctx, `trial ${trial}`, report));
    let next = 0;
    while (next < ctx.proposals.length) {
      await guard.startSegment();
      const segment = await runSegment(ctx, writeShims(ctx, shimDir, next), () => (linesSeen = reconcile(ctx, summary, ended, linesSeen)));
      linesSeen = reconcile(ctx, summary, ended, linesSeen);
      if (segment.baseline !== undefined && summary.baseline === undefined) summary.baseline = segment.baseline;
      if (segment.final !== undefined) summary.best = segment.final;
      // A proposal's child that left loop.py's process group must not write after the restores below.
      ctx.processes.killStrays();
      const open = startedTrials(ctx).filter((t) => !ended.has(t.trial));
      const cancelled = ctx.signal?.aborted ?? false;
      for (const trial of open) {
        const status: TrialEndStatus = cancelled ? 'cancelled' : 'error';
        const reason = cancelled ? 'cancelled' : segment.stalled ? 'timeout' : describeProcessEnd('loop.py', segment.proc.exitCode, segment.proc.stderr);
        await endOpenTrial(ctx, guard, summary, ended, trial, status, reason);
      }
      // Stopped between trials: loop.py may have begun the next one (a backup of the target) before its shim ran.
      if (open.length === 0 && (cancelled || segment.stalled)) reportUndone(ctx, 'the next trial', await guard.undoInterrupted());
      // loop.py is gone: every row now in the log is accounted for, ours included.
      linesSeen = fileLineCount(ctx.resultsFile);
      if (cancelled) return { ...summary, status: 'cancelled', message: 'cancelled' };
      if (segment.proc.spawnError) return { ...summary, status: 'error', message: `${ctx.python}: cannot start (${segment.proc.spawnError})` };
      // loop.py finished its own way: its rows and its output are the run.
      if (!segment.stalled && segment.proc.exitCode === 0) break;
      const startedHere = startedTrials(ctx).filter((t) => t.trial > next).map((t) => t.trial);
      if (startedHere.length === 0) {
        const why = segment.stalled ? `no progress within ${(ctx.timeoutMs + STALL_GRACE_MS) / 1000} s` : describeProcessEnd('loop.py', segment.proc.exitCode, segment.proc.stderr);
        return { ...summary, status: 'error', message: segment.sawBaseline ? `loop.py stopped before its next trial: ${why}` : `baseline failed: ${why}` };
      }
      if (!segment.stalled) return { ...summary, status: 'error', message: describeProcessEnd('loop.py', segment.proc.exitCode, segment.proc.stderr) };
      if (trailingErrors(summary.trials) >= MAX_CONSECUTIVE_ERRORS) return { ...summary, status: 'stopped', message: `stopped after ${MAX_CONSECUTIVE_ERRORS} errors in a row` };
      next = Math.max(...startedHere);
      if (next < ctx.proposals.length) ctx.reporter.line(`autoexp: trial ${next} timed out; starting loop.py again for the remaining ${ctx.proposals.length - next} proposal(s)`);
    }
    return summary;
  } finally {
    await guard?.close();
    rmSync(shimDir, { recursive: true, force: true });
  }
}

function trailingErrors(trials: TrialOutcome[]): number {
  let n = 0;
  while (n < trials.length && trials[trials.length - 1 - n].status === 'error') n++;
  return n;
}

async function runSegment(ctx: RunContext, shims: string[], onTrialLine: () => void): Promise<Segment> {
  const segment = { stalled: false, sawBaseline: false } as Segment;
  const stallMs = ctx.timeoutMs + STALL_GRACE_MS;
  let lastProgress = performance.now();
  let lastSteps = trialSteps(ctx);
  const stall = new AbortController();
  let pending = '';
  const onLine = (line: string) => {
    if (!PROGRESS_LINE.test(line)) return;
    lastProgress = performance.now();
    const baseline = /^BASELINE\s+(\S+)/.exec(line);
    if (baseline) {
      segment.sawBaseline = true;
      segment.baseline = Number(baseline[1]);
      if (Number.isFinite(segment.baseline)) ctx.journal.append({ type: 'baseline', run: ctx.run, score: segment.baseline, at: nowIso() });
      else ctx.reporter.line(`autoexp: warning: loop.py's baseline "${baseline[1]}" is not a finite number; every trial is compared with it by loop.py's own rule`);
    }
    const final = /^FINAL\s+(\S+)/.exec(line);
    if (final && Number.isFinite(Number(final[1]))) segment.final = Number(final[1]);
    if (/^TRIAL/.test(line)) onTrialLine();
  };
  // A shim starting or finishing its proposal is progress too: a measurement then has its own time.
  const stallCheck = setInterval(() => {
    const steps = trialSteps(ctx);
    if (steps !== lastSteps) {
      lastSteps = steps;
      lastProgress = performance.now();
    }
    if (performance.now() - lastProgress > stallMs && !segment.stalled) {
      segment.stalled = true;
      stall.abort();
    }
  }, 250);
  try {
    segment.proc = await runProcess(ctx.python, [path.join(ctx.pack, 'loop.py'), ...shims.flatMap((s) => ['--proposal', s])], {
      cwd: ctx.pack,
      env: ctx.processes.env,
      signal: ctx.signal ? AbortSignal.any([ctx.signal, stall.signal]) : stall.signal,
      onSpawn: ctx.processes.track,
      onStdout: (chunk) => {
        ctx.reporter.output(chunk);
        const lines = (pending + chunk).split(/\r?\n/);
        pending = lines.pop() ?? '';
        lines.forEach(onLine);
      },
      onStderr: ctx.reporter.output,
    });
    if (pending) onLine(pending);
  } finally {
    clearInterval(stallCheck);
  }
  ctx.reporter.log(`loop.py: ${Math.round(segment.proc.durationMs)} ms, exit ${segment.proc.exitCode ?? (segment.stalled ? 'stalled' : 'killed')}`);
  return segment;
}

/** How far the shims have got: trials started, and proposals finished. */
function trialSteps(ctx: RunContext): number {
  const trials = ctx.journal.read().runs.find((r) => r.id === ctx.run)?.trials ?? [];
  return trials.length + trials.filter((t) => t.candidate !== undefined).length;
}

function startedTrials(ctx: RunContext): TrialRecord[] {
  return (ctx.journal.read().runs.find((r) => r.id === ctx.run)?.trials ?? []).slice().sort((a, b) => a.trial - b.trial);
}

/**
 * Pairs the rows loop.py appended since `linesSeen` with the trials the shims started, in order (by
 * proposal name when the log has one), and ends each paired trial in the journal.
 */
function reconcile(ctx: RunContext, summary: RunSummary, ended: Set<number>, linesSeen: number): number {
  const rows = rowsAfter(ctx.resultsFile, linesSeen);
  if (rows.length === 0) return linesSeen;
  const pairs = pairRows(rows, startedTrials(ctx).filter((t) => !ended.has(t.trial) && t.candidate !== undefined));
  for (const { trial, row } of pairs) endFromRow(ctx, summary, ended, trial, row);
  return pairs.length ? pairs[pairs.length - 1].row.line : linesSeen;
}

/** The score cell as loop.py wrote it in a row whose score is not a number (nan, inf, a word). */
function scoreCell(resultsFile: string, row: Trial): string {
  const text = readFileSync(resultsFile, 'utf8');
  const log = parseResults(text, resultsFile);
  const column = log.columns.score ? log.header.indexOf(log.columns.score) : -1;
  return (column >= 0 ? text.split('\n')[row.line - 1]?.split('\t')[column]?.trim() : undefined) ?? '';
}

function endFromRow(ctx: RunContext, summary: RunSummary, ended: Set<number>, trial: TrialRecord, row: Trial): void {
  const { status, reason } = rowDecision(row);
  // loop.py decided by its own rule, which the engine cannot overrule: say so, in the terminal and the journal.
  const warning = status !== 'error' && row.score === undefined ? `score "${scoreCell(ctx.resultsFile, row)}" is not a finite number; loop.py's own rule ${status} the trial` : undefined;
  if (warning) ctx.reporter.line(`autoexp: warning: trial ${trial.trial}: ${warning}`);
  ctx.journal.append({ type: 'trial-end', run: ctx.run, trial: trial.trial, status, reason, oldScore: row.oldScore, newScore: row.score, resultsLine: row.line, warning, at: nowIso() });
  record(ctx, summary, ended, { trial: trial.trial, proposal: trial.proposal, status, reason, oldScore: row.oldScore, newScore: row.score });
}

async function endOpenTrial(ctx: RunContext, guard: GuardServer, summary: RunSummary, ended: Set<number>, trial: TrialRecord, status: TrialEndStatus, reason: string): Promise<void> {
  const undone = await guard.undoInterrupted(trial.trial);
  reportUndone(ctx, `trial ${trial.trial}`, undone);
  const kept = undone.kept;
  const restored = restoreFile(ctx.store, trial.before, trial.target) ? trial.target : undefined;
  let resultsLine: number | undefined;
  if (status === 'error') {
    // Read now, not at the start: loop.py has appended rows since.
    resultsLine = appendRow(ctx.resultsFile, readDialect(ctx.resultsFile), { trial: trial.trial, status: 'error', proposal: trial.proposal, description: `(${reason})`, run: ctx.run });
    ctx.reporter.line(`TRIAL ${trial.trial} ERROR score=- proposal=${trial.proposal} reason=${reason}`);
  }
  ctx.journal.append({ type: 'trial-end', run: ctx.run, trial: trial.trial, status, reason, restored, resultsLine, undone: Object.keys(kept).length ? kept : undefined, at: nowIso() });
  record(ctx, summary, ended, { trial: trial.trial, proposal: trial.proposal, status, reason });
}

function reportUndone(ctx: RunContext, what: string, undone: UndoneTrial): void {
  const rel = (files: string[]) => files.map((f) => path.relative(ctx.guard.root, f)).join(', ');
  if (undone.failure) ctx.reporter.line(`autoexp: ${what}: the guard could not check the repository: ${undone.failure}`);
  if (undone.report) printUndone(ctx, what, undone.report);
  if (undone.removed.length) ctx.reporter.line(`autoexp: ${what}: removed ${rel(undone.removed)}, made by the interrupted trial`);
  for (const file of undone.removed) if (undone.kept[file]) ctx.reporter.line(`autoexp: ${what}: kept a copy of ${rel([file])} in ${keptCopyPath(undone.kept[file], ctx.guard.root, ctx.store)}`);
}

/** One terminal line a path the guard undid, with where the proposal's copy of it is kept. */
function printUndone(ctx: RunContext, what: string, report: GuardReport): void {
  for (const line of describeUndone(report, ctx.guard.root, ctx.store)) ctx.reporter.line(`autoexp: ${what}: ${line}`);
}

function record(ctx: RunContext, summary: RunSummary, ended: Set<number>, outcome: TrialOutcome): void {
  ended.add(outcome.trial);
  summary.trials.push(outcome);
  ctx.reporter.trialDone?.(outcome.trial, ctx.proposals.length, outcome.status);
}
