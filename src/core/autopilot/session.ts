/**
 * An autopilot session: for each trial an agent proposes a candidate in a sandbox, Autoexp saves it as a
 * replayable proposal and hands it to the native engine, which measures, keeps or reverts, and logs it.
 * Budgets are checked before each trial; memory.md is rewritten after each one; --resume carries an
 * interrupted session on with its counters.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { UserError } from '../errors';
import type { Direction } from '../results/model';
import type { NativeOptions, RunReporter, RunSummary, TrialOutcome } from '../run/context';
import { nowIso, readJournal, runsOfPack, type RunRecord } from '../run/journal';
import { runNativeTrial, startKeepState, type KeepState } from '../run/nativeEngine';
import { unlessMissing } from '../fsErrors';
import { appendRow, formatScore, readDialect } from '../run/resultsWriter';
import { openRun } from '../run/runLoop';
import { withInlineDiffs } from '../run/trialPrinter';
import type { InlineDiffOptions } from '../diff/inlineDiff';
import type { AgentReport } from './agentReport';
import { checkBudget, describeBudgetLeft, NOTHING_SPENT, type Budgets, type Spent } from './budget';
import type { Agent } from './commandAgent';
import { memoryForPrompt, readNotes, renderMemory, type MemoryState } from './memory';
import { buildPrompt } from './prompt';
import { replayDescription, saveReplay } from './replay';
import { createSandbox, removeLeftoverSandbox, type Sandbox } from './sandbox';

export interface AutopilotOptions {
  pack: string;
  python: string;
  agent: Agent;
  budgets: Budgets;
  native: NativeOptions & { direction?: Direction };
  /** Per measurement and per proposal; the agent gets its own limit. */
  timeoutMs?: number;
  agentTimeoutMs?: number;
  resume?: boolean;
  signal?: AbortSignal;
  reporter: RunReporter;
  /** Each trial's diff under its line; off when absent. */
  inlineDiffs?: InlineDiffOptions;
  /** Minutes since the session started, for tests; the wall clock otherwise. */
  clock?: () => number;
}

export interface AutopilotSummary extends RunSummary {
  session: string;
  spent: Spent;
  stopReason: string;
  stoppedOn: 'budget' | 'patience' | 'errors' | 'cancelled' | 'error';
}

const MEMORY_FILE = 'memory.md';
const RECENT_ROWS = 20;
const DEFAULT_AGENT_TIMEOUT_MS = 20 * 60 * 1000;

/** The pack's autopilot runs, oldest first. */
function autopilotRuns(root: string, pack: string): RunRecord[] {
  return runsOfPack(readJournal(root), pack).filter((r) => r.autopilot);
}

/** What a session spent so far, from its runs' journal records; an interrupted trial does not count. */
function spentSoFar(runs: RunRecord[]): { spent: Spent; lastTrial: number } {
  const spent: Spent = { ...NOTHING_SPENT };
  let lastTrial = 0;
  for (const run of runs) {
    const statusOf = new Map(run.trials.map((t) => [t.trial, t]));
    for (const t of run.autopilot!.trials) {
      const record = statusOf.get(t.trial);
      if (!record?.status || record.status === 'interrupted' || record.status === 'cancelled') continue;
      spent.trials++;
      spent.minutes += t.durationMs / 60_000;
      spent.costUsd += t.costUsd ?? 0;
      spent.tokens += t.tokens ?? 0;
      spent.errorsInARow = record.status === 'error' ? spent.errorsInARow + 1 : 0;
      spent.sinceKept = record.status === 'kept' ? 0 : spent.sinceKept + 1;
      lastTrial = Math.max(lastTrial, t.trial);
    }
  }
  return { spent, lastTrial };
}

/** memory.md's state from every autopilot trial of the pack in the journal. */
function memoryState(root: string, pack: string, slug: string, direction: Direction): MemoryState {
  const trials: MemoryState['trials'] = [];
  const ideas: string[] = [];
  let n = 0;
  for (const run of autopilotRuns(root, pack)) {
    const byTrial = new Map(run.trials.map((t) => [t.trial, t]));
    for (const t of run.autopilot!.trials) {
      const record = byTrial.get(t.trial);
      if (!record?.status || record.status === 'interrupted' || record.status === 'cancelled') continue;
      const gain = record.newScore !== undefined && record.oldScore !== undefined ? (direction === 'higher' ? 1 : -1) * (record.newScore - record.oldScore) : undefined;
      trials.push({ trial: ++n, status: record.status, description: t.description, hypothesis: t.hypothesis, gain, reason: record.reason });
      for (const idea of t.ideas ?? []) if (!ideas.includes(idea)) ideas.push(idea);
    }
  }
  const file = path.join(pack, MEMORY_FILE);
  return { slug, metric: 'score', trials, ideas, notes: readNotes(existsSync(file) ? readFileSync(file, 'utf8') : undefined) };
}

function writeMemory(pack: string, state: MemoryState): void {
  const file = path.join(pack, MEMORY_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, renderMemory(state));
  renameSync(temp, file);
}

function recentRows(resultsFile: string): string[] {
  if (!existsSync(resultsFile)) return [];
  const lines = readFileSync(resultsFile, 'utf8').split(/\r?\n/).filter((l) => l.trim());
  return lines.length <= RECENT_ROWS + 1 ? lines : [lines[0], ...lines.slice(-RECENT_ROWS)];
}

function newSessionId(): string {
  return `ap-${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

export async function runAutopilot(options: AutopilotOptions): Promise<AutopilotSummary> {
  const pack = path.resolve(options.pack);
  const opened = await openRun({ pack, python: options.python, engine: 'native', proposals: [], timeoutMs: options.timeoutMs, signal: options.signal, reporter: options.reporter });
  const { close } = opened;
  const { ctx, flush } = withInlineDiffs(opened.ctx, options.inlineDiffs);
  const { reporter, journal } = ctx;
  const started = Date.now();
  const clock = options.clock ?? (() => (Date.now() - started) / 60_000);
  // One sandbox for the session, made at the first trial and refreshed before each later one.
  let sandbox: Sandbox | undefined;
  const sandboxForTrial = async (): Promise<Sandbox> => {
    if (sandbox) {
      await sandbox.refresh();
      return sandbox;
    }
    sandbox = await createSandbox(ctx.pack, ctx.target);
    journal.append({ type: 'sandbox', run: ctx.run, path: sandbox.root });
    return sandbox;
  };
  try {
    // Inside the try: a log that cannot be read now still ends the run and releases the pack's lock.
    const direction = options.native.direction ?? readDialect(ctx.resultsFile).direction ?? 'higher';
    const native = { ...options.native, direction };
    // --resume: the newest session whose last run did not finish, with its budgets and counters.
    const earlier = autopilotRuns(journal.root, pack);
    for (const run of earlier) {
      if (run.status !== 'interrupted') continue;
      for (const sandbox of run.autopilot!.sandboxes) if (existsSync(sandbox)) await removeLeftoverSandbox(pack, sandbox);
    }
    const resumed = options.resume ? earlier[earlier.length - 1] : undefined;
    if (options.resume && (!resumed || resumed.status === 'finished' || resumed.status === 'stopped')) {
      throw new UserError(`${pack}: no unfinished autopilot session to resume`);
    }
    const session = resumed?.autopilot!.session ?? newSessionId();
    const budgets: Budgets = resumed ? ({ ...options.budgets, ...resumed.autopilot!.budgets } as Budgets) : options.budgets;
    const before = resumed ? spentSoFar(earlier.filter((r) => r.autopilot!.session === session)) : { spent: { ...NOTHING_SPENT }, lastTrial: 0 };
    journal.append({ type: 'autopilot-start', run: ctx.run, session, agent: options.agent.label, budgets: { ...budgets }, at: nowIso() });
    reporter.line(`AUTOPILOT ${resumed ? 'resumed' : 'started'} session ${session} with ${options.agent.label}: ${describeBudgetLeft(budgets, before.spent)}`);

    // The same keep rule, harness check and holdout as `autoexp run`: the agent is only a proposer.
    const baseline = await startKeepState(ctx, native);
    if (!baseline.ok) throw new UserError(`${ctx.slug}: ${baseline.message}`);
    const keepState = baseline.state;
    let best = baseline.score;
    const spent: Spent = { ...before.spent };
    const minutesBefore = spent.minutes;
    const dialect = readDialect(ctx.resultsFile);
    const trials: TrialOutcome[] = [];
    let trial = before.lastTrial;
    let stop: { reason: string; kind: AutopilotSummary['stoppedOn'] } | undefined;

    while (!stop) {
      spent.minutes = minutesBefore + clock();
      const check = checkBudget(budgets, spent);
      if (check.stop) {
        stop = { reason: check.reason, kind: check.kind };
        break;
      }
      if (options.signal?.aborted) {
        stop = { reason: 'cancelled', kind: 'cancelled' };
        break;
      }
      trial++;
      const trialStarted = performance.now();
      const { outcome, report, discarded, replay } = await autopilotTrial(ctx, options, native, dialect, await sandboxForTrial(), keepState, { trial, best, baseline: baseline.score, budgets, spent, changeDirection: check.changeDirection, direction });
      trials.push(outcome);
      reporter.trialDone?.(trial, budgets.maxTrials, outcome.status);
      journal.append({
        type: 'autopilot-trial',
        run: ctx.run,
        session,
        trial,
        description: report.description,
        hypothesis: report.hypothesis,
        ideas: report.ideas,
        costUsd: report.cost_usd,
        tokens: report.tokens,
        durationMs: performance.now() - trialStarted,
        discarded: discarded.length ? discarded : undefined,
        replay: replay ? path.relative(pack, replay) : undefined,
      });
      if (outcome.status === 'cancelled') {
        stop = { reason: 'cancelled', kind: 'cancelled' };
        break;
      }
      spent.trials++;
      spent.costUsd += report.cost_usd ?? 0;
      spent.tokens += report.tokens ?? 0;
      spent.errorsInARow = outcome.status === 'error' ? spent.errorsInARow + 1 : 0;
      spent.sinceKept = outcome.status === 'kept' ? 0 : spent.sinceKept + 1;
      if (outcome.status === 'kept' && outcome.newScore !== undefined) best = outcome.newScore;
      writeMemory(pack, memoryState(journal.root, pack, ctx.slug, direction));
      // A moved harness ends the session as it ends a run: nothing measured after it can be trusted.
      if (outcome.stop) stop = { reason: outcome.stop, kind: 'error' };
    }

    const counts = (s: string) => trials.filter((t) => t.status === s).length;
    const summaryLine = `AUTOPILOT stopped: ${stop!.reason}. ${trials.length} trial(s): ${counts('kept')} kept, ${counts('reverted')} reverted, ${counts('error')} error(s); best ${formatScore(best)} (baseline ${formatScore(baseline.score)}); $${spent.costUsd.toFixed(2)}, ${spent.tokens} tokens`;
    reporter.line(summaryLine);
    const status = stop!.kind === 'cancelled' ? 'cancelled' : 'stopped';
    const summary: AutopilotSummary = { run: ctx.run, engine: 'native', status, message: stop!.reason, baseline: baseline.score, best, trials, session, spent, stopReason: stop!.reason, stoppedOn: stop!.kind };
    // Before the run ends: a sandbox left by a run that ended would never be cleaned up.
    await sandbox?.dispose();
    close(summary);
    return summary;
  } catch (err) {
    await sandbox?.dispose().catch(() => undefined);
    close({ status: 'error', message: String((err as Error).message ?? err) });
    throw err;
  } finally {
    flush();
  }
}

interface TrialState {
  trial: number;
  best: number;
  baseline: number;
  budgets: Budgets;
  spent: Spent;
  changeDirection: boolean;
  direction: Direction;
}

/** One agent run and, when it gave a candidate, one native trial. */
async function autopilotTrial(
  ctx: Awaited<ReturnType<typeof openRun>>['ctx'],
  options: AutopilotOptions,
  native: NativeOptions & { direction: Direction },
  dialect: ReturnType<typeof readDialect>,
  sandbox: Sandbox,
  keepState: KeepState,
  state: TrialState,
): Promise<{ outcome: TrialOutcome; report: AgentReport; discarded: string[]; replay?: string }> {
  const { reporter, journal } = ctx;
  const promptDir = mkdtempSync(path.join(tmpdir(), 'autoexp-prompt-'));
  let report: AgentReport = {};
  let discarded: string[] = [];
  let candidate: Buffer;
  let failure: string | undefined;
  let cancelled = false;
  try {
    const prompt = buildPrompt({
      program: readFileSync(path.join(ctx.pack, 'program.md'), 'utf8'),
      targetPath: path.relative(sandbox.root, sandbox.target),
      targetText: readFileSync(ctx.target, 'utf8'),
      metric: 'score',
      direction: state.direction,
      baseline: state.baseline,
      best: state.best,
      memory: memoryForPrompt(memoryState(journal.root, ctx.pack, ctx.slug, state.direction)),
      recentRows: recentRows(ctx.resultsFile),
      budgetLeft: describeBudgetLeft(state.budgets, state.spent),
      trial: state.trial,
      changeDirection: state.changeDirection,
    });
    const promptFile = path.join(promptDir, 'prompt.md');
    writeFileSync(promptFile, prompt);
    reporter.line(`AUTOPILOT trial ${state.trial}: ${options.agent.label} is proposing (${describeBudgetLeft(state.budgets, state.spent)})`);
    const result = await options.agent.propose({
      trial: state.trial,
      prompt,
      promptFile,
      root: sandbox.root,
      pack: sandbox.pack,
      target: sandbox.target,
      timeoutMs: options.agentTimeoutMs ?? DEFAULT_AGENT_TIMEOUT_MS,
      signal: options.signal,
      onOutput: reporter.output,
      onSpawn: ctx.processes.track,
      runEnv: ctx.processes.env,
    });
    report = result.report;
    failure = result.failure;
    cancelled = result.cancelled ?? false;
    discarded = await sandbox.otherChanges();
    const written = unlessMissing(() => readFileSync(sandbox.target));
    if (written === undefined) failure ??= 'the agent deleted the target';
    candidate = written ?? Buffer.alloc(0);
  } finally {
    rmSync(promptDir, { recursive: true, force: true });
  }
  if (report.hypothesis) reporter.line(`  hypothesis: ${report.hypothesis}`);
  if (discarded.length) reporter.line(`  discarded (the agent may change only the target): ${discarded.join(', ')}`);

  const current = readFileSync(ctx.target);
  if (cancelled) return { outcome: { trial: state.trial, proposal: options.agent.label, status: 'cancelled', reason: 'cancelled' }, report, discarded };
  if (!failure && candidate.equals(current)) failure = 'agent proposed no change';
  if (failure) return { outcome: agentError(ctx, dialect, state, options.agent.label, report, failure), report, discarded };

  const note = { session: ctx.run, trial: state.trial, description: report.description };
  const replay = saveReplay(ctx.pack, candidate, note);
  // The replay holds these bytes; writing them here spares a Python start, and a guard around our own write.
  const outcome = await runNativeTrial(ctx, native, dialect, state.trial, replay, state.best, keepState, { bytes: candidate, description: replayDescription(note) });
  return { outcome, report, discarded, replay };
}

/** An agent that failed, or changed nothing, is an error trial with its own row. */
function agentError(
  ctx: Awaited<ReturnType<typeof openRun>>['ctx'],
  dialect: ReturnType<typeof readDialect>,
  state: TrialState,
  agent: string,
  report: AgentReport,
  reason: string,
): TrialOutcome {
  const hash = ctx.store.put(readFileSync(ctx.target));
  ctx.journal.append({ type: 'trial-start', run: ctx.run, trial: state.trial, proposal: agent, target: ctx.target, before: hash, at: nowIso() });
  const description = [report.description, `(${reason})`].filter(Boolean).join(' ');
  const resultsLine = appendRow(ctx.resultsFile, dialect, { trial: state.trial, status: 'error', oldScore: state.best, proposal: agent, description, run: ctx.run });
  ctx.journal.append({ type: 'trial-end', run: ctx.run, trial: state.trial, status: 'error', reason, oldScore: state.best, resultsLine, at: nowIso() });
  ctx.reporter.line(`TRIAL ${state.trial} ERROR score=- proposal=${agent} reason=${reason}`);
  return { trial: state.trial, proposal: agent, status: 'error', reason, oldScore: state.best };
}
