/**
 * The pack engine: the pack's own `python loop.py --proposal …` decides, and its output reaches the
 * terminal unchanged. Each proposal is handed over as a shim (./shimSource.ts) that records the
 * trial's "before" and "candidate" in the journal; the rows loop.py appends give each trial's status.
 * A trial that stalls past its time is stopped here: loop.py is ended, the target restored, the
 * trial logged as a timeout, and a fresh loop.py goes on with the remaining proposals.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { endGroups, killTree, runProcess, type RunResult } from '../process';
import { normaliseStatus } from '../results/columns';
import type { Trial } from '../results/model';
import { parseResults } from '../results/parse';
import { describeProcessEnd, MAX_CONSECUTIVE_ERRORS, type RunContext, type RunSummary, type TrialOutcome } from './context';
import { nowIso, type TrialEndStatus, type TrialRecord } from './journal';
import { appendRow, lineCount, readDialect } from './resultsWriter';
import { restoreFile } from './snapshots';
import { SHIM_MODULE, SHIM_MODULE_NAME, shimStub } from './shimSource';

/** Beyond the proposal's and the measurement's own time, what a trial may take before it counts as stalled. */
const STALL_GRACE_MS = 10_000;
const PROGRESS_LINE = /^(BASELINE|TRIAL\s+\d+|FINAL)\b/;

interface Segment {
  proc: RunResult;
  stalled: boolean;
  sawBaseline: boolean;
  baseline?: number;
  final?: number;
}

function countLines(file: string): number {
  try {
    return lineCount(readFileSync(file, 'utf8'));
  } catch {
    return 0;
  }
}

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
      }, dir),
    );
    return shim;
  });
}

export async function runPackEngine(ctx: RunContext): Promise<RunSummary> {
  const shimDir = mkdtempSync(path.join(tmpdir(), 'autoexp-shims-'));
  const summary: RunSummary = { run: ctx.run, engine: 'pack', status: 'finished', trials: [] };
  let linesSeen = countLines(ctx.resultsFile);
  const ended = new Set<number>();
  try {
    let next = 0;
    while (next < ctx.proposals.length) {
      const segment = await runSegment(ctx, writeShims(ctx, shimDir, next), () => (linesSeen = reconcile(ctx, summary, ended, linesSeen)));
      linesSeen = reconcile(ctx, summary, ended, linesSeen);
      if (segment.baseline !== undefined && summary.baseline === undefined) summary.baseline = segment.baseline;
      if (segment.final !== undefined) summary.best = segment.final;
      await killLeftovers(ctx);
      const open = startedTrials(ctx).filter((t) => !ended.has(t.trial));
      const cancelled = ctx.signal?.aborted ?? false;
      for (const trial of open) {
        const status: TrialEndStatus = cancelled ? 'cancelled' : 'error';
        const reason = cancelled ? 'cancelled' : segment.stalled ? 'timeout' : describeProcessEnd('loop.py', segment.proc.exitCode, segment.proc.stderr);
        endOpenTrial(ctx, summary, ended, trial, status, reason);
      }
      // loop.py is gone: every row now in the log is accounted for, ours included.
      linesSeen = countLines(ctx.resultsFile);
      if (cancelled) return { ...summary, status: 'cancelled', message: 'cancelled' };
      if (segment.proc.spawnError) return { ...summary, status: 'error', message: `${ctx.python}: cannot start (${segment.proc.spawnError})` };
      // loop.py finished its own way: its rows and its output are the run.
      if (!segment.stalled && segment.proc.exitCode === 0) break;
      const startedHere = startedTrials(ctx).filter((t) => t.trial > next).map((t) => t.trial);
      if (startedHere.length === 0) {
        const why = segment.stalled ? `no progress within ${(2 * ctx.timeoutMs + STALL_GRACE_MS) / 1000} s` : describeProcessEnd('loop.py', segment.proc.exitCode, segment.proc.stderr);
        return { ...summary, status: 'error', message: segment.sawBaseline ? `loop.py stopped before its next trial: ${why}` : `baseline failed: ${why}` };
      }
      if (!segment.stalled) return { ...summary, status: 'error', message: describeProcessEnd('loop.py', segment.proc.exitCode, segment.proc.stderr) };
      if (trailingErrors(summary.trials) >= MAX_CONSECUTIVE_ERRORS) return { ...summary, status: 'stopped', message: `stopped after ${MAX_CONSECUTIVE_ERRORS} errors in a row` };
      next = Math.max(...startedHere);
      if (next < ctx.proposals.length) ctx.reporter.line(`autoexp: trial ${next} timed out; starting loop.py again for the remaining ${ctx.proposals.length - next} proposal(s)`);
    }
    return summary;
  } finally {
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
  const stallMs = 2 * ctx.timeoutMs + STALL_GRACE_MS;
  let lastProgress = performance.now();
  let pid: number | undefined;
  let pending = '';
  const onLine = (line: string) => {
    if (!PROGRESS_LINE.test(line)) return;
    lastProgress = performance.now();
    const baseline = /^BASELINE\s+(\S+)/.exec(line);
    if (baseline) {
      segment.sawBaseline = true;
      segment.baseline = Number(baseline[1]);
      if (Number.isFinite(segment.baseline)) ctx.journal.append({ type: 'baseline', run: ctx.run, score: segment.baseline, at: nowIso() });
    }
    const final = /^FINAL\s+(\S+)/.exec(line);
    if (final && Number.isFinite(Number(final[1]))) segment.final = Number(final[1]);
    if (/^TRIAL/.test(line)) onTrialLine();
  };
  const watchdog = setInterval(() => {
    if (performance.now() - lastProgress > stallMs && !segment.stalled) {
      segment.stalled = true;
      killTree(pid);
    }
  }, 250);
  try {
    segment.proc = await runProcess(ctx.python, [path.join(ctx.pack, 'loop.py'), ...shims.flatMap((s) => ['--proposal', s])], {
      cwd: ctx.pack,
      signal: ctx.signal,
      onSpawn: (p) => {
        pid = p;
        ctx.journal.append({ type: 'process', run: ctx.run, pid: p });
      },
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
    clearInterval(watchdog);
  }
  ctx.reporter.log(`loop.py: ${Math.round(segment.proc.durationMs)} ms, exit ${segment.proc.exitCode ?? (segment.stalled ? 'stalled' : 'killed')}`);
  return segment;
}

function startedTrials(ctx: RunContext): TrialRecord[] {
  return (ctx.journal.read().runs.find((r) => r.id === ctx.run)?.trials ?? []).slice().sort((a, b) => a.trial - b.trial);
}

/**
 * Pairs the rows loop.py appended since `linesSeen` with the trials the shims started, in order (by
 * proposal name when the log has one), and ends each paired trial in the journal.
 */
function reconcile(ctx: RunContext, summary: RunSummary, ended: Set<number>, linesSeen: number): number {
  let text: string;
  try {
    text = readFileSync(ctx.resultsFile, 'utf8');
  } catch {
    return linesSeen;
  }
  const log = parseResults(text, ctx.resultsFile);
  const rows = log.trials.filter((t) => t.line > linesSeen);
  if (rows.length === 0) return linesSeen;
  const open = startedTrials(ctx).filter((t) => !ended.has(t.trial) && t.candidate !== undefined);
  let last = linesSeen;
  for (const row of rows) {
    const i = row.proposal ? open.findIndex((t) => t.proposal === row.proposal) : 0;
    const trial = open[i >= 0 ? i : 0];
    if (!trial) break;
    open.splice(open.indexOf(trial), 1);
    endFromRow(ctx, summary, ended, trial, row);
    last = row.line;
  }
  return last;
}

function endFromRow(ctx: RunContext, summary: RunSummary, ended: Set<number>, trial: TrialRecord, row: Trial): void {
  const normalised = row.status ?? normaliseStatus(row.statusWord);
  const status: TrialEndStatus = normalised === 'kept' || normalised === 'reverted' ? normalised : 'error';
  const reason = status === 'error' ? row.description || row.statusWord || 'error' : undefined;
  ctx.journal.append({ type: 'trial-end', run: ctx.run, trial: trial.trial, status, reason, oldScore: row.oldScore, newScore: row.score, resultsLine: row.line, at: nowIso() });
  record(ctx, summary, ended, { trial: trial.trial, proposal: trial.proposal, status, reason, oldScore: row.oldScore, newScore: row.score });
}

function endOpenTrial(ctx: RunContext, summary: RunSummary, ended: Set<number>, trial: TrialRecord, status: TrialEndStatus, reason: string): void {
  const restored = restoreFile(ctx.store, trial.before, trial.target) ? trial.target : undefined;
  let resultsLine: number | undefined;
  if (status === 'error') {
    // Read now, not at the start: loop.py has appended rows since.
    resultsLine = appendRow(ctx.resultsFile, readDialect(ctx.resultsFile), { trial: trial.trial, status: 'error', proposal: trial.proposal, description: `(${reason})`, run: ctx.run });
    ctx.reporter.line(`TRIAL ${trial.trial} ERROR score=- proposal=${trial.proposal} reason=${reason}`);
  }
  ctx.journal.append({ type: 'trial-end', run: ctx.run, trial: trial.trial, status, reason, restored, resultsLine, at: nowIso() });
  record(ctx, summary, ended, { trial: trial.trial, proposal: trial.proposal, status, reason });
}

function record(ctx: RunContext, summary: RunSummary, ended: Set<number>, outcome: TrialOutcome): void {
  ended.add(outcome.trial);
  summary.trials.push(outcome);
  ctx.reporter.trialDone?.(outcome.trial, ctx.proposals.length, outcome.status);
}

/** A shim killed before it could stop its proposal leaves the proposal's group behind: end it. */
async function killLeftovers(ctx: RunContext): Promise<void> {
  await endGroups(ctx.journal.read().runs.find((r) => r.id === ctx.run)?.pids ?? []);
}
