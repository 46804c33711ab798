/**
 * The run journal: `.autoexp/journal.jsonl` at the workspace root, one JSON event a line, only ever
 * appended. The CLI, the extension and the pack engine's Python shims all write to it; every event is
 * one `appendFileSync` of one line, so concurrent writers never interleave inside a line.
 */
import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { UserError, oneLine } from '../errors';
import { findRepoRoot } from '../gitHistory';
import type { ProcessId } from '../processTable';
import { realPath } from '../realPath';
import { parseJsonAs } from '../parseJson';
import { isMissing } from '../fsErrors';

export const JOURNAL_DIR = '.autoexp';
export const JOURNAL_FILE = 'journal.jsonl';

const Score = z.number().finite();

export const TrialEndStatus = z.enum(['kept', 'reverted', 'error', 'cancelled', 'interrupted']);
export type TrialEndStatus = z.infer<typeof TrialEndStatus>;
export const RunEndStatus = z.enum(['finished', 'stopped', 'cancelled', 'error', 'interrupted']);
export type RunEndStatus = z.infer<typeof RunEndStatus>;

export const JournalEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run-start'),
    run: z.string(),
    pack: z.string(),
    slug: z.string(),
    engine: z.enum(['pack', 'native']),
    proposals: z.array(z.string()),
    target: z.string(),
    pid: z.number().int(),
    /** The run's process start time (/proc), so a pid reused by another process is not taken for it. */
    startTime: z.number().int().optional(),
    /** Lines in results.tsv when the run started: a row after them and after every row the journal claims is one a crash left unclaimed. */
    resultsLines: z.number().int().optional(),
    at: z.string(),
  }),
  /** A process group the run started, with its leader's start time; a crash recovery kills the ones still alive. */
  z.object({ type: z.literal('process'), run: z.string(), pid: z.number().int(), startTime: z.number().int().optional() }),
  z.object({ type: z.literal('baseline'), run: z.string(), score: Score, payload: z.record(z.unknown()).optional(), at: z.string() }),
  z.object({
    type: z.literal('trial-start'),
    run: z.string(),
    trial: z.number().int(),
    proposal: z.string(),
    target: z.string(),
    /** Content hash of the target before the proposal ran. */
    before: z.string(),
    at: z.string(),
  }),
  z.object({
    type: z.literal('trial-applied'),
    run: z.string(),
    trial: z.number().int(),
    /** Content hash of the target right after the proposal ran: the candidate. */
    candidate: z.string(),
    exitCode: z.number().int().nullable(),
    durationMs: z.number(),
    touched: z.array(z.string()).optional(),
    /** What each undone path held before the guard put it back, by snapshot hash. */
    undone: z.record(z.string()).optional(),
  }),
  z.object({
    type: z.literal('trial-end'),
    run: z.string(),
    trial: z.number().int(),
    status: TrialEndStatus,
    reason: z.string().optional(),
    oldScore: Score.optional(),
    newScore: Score.optional(),
    payload: z.record(z.unknown()).optional(),
    /** The file put back to its "before" snapshot, when one was. */
    restored: z.string().optional(),
    /** The 1-based line of the trial's row in results.tsv, which links the log's rows to their snapshots. */
    resultsLine: z.number().int().optional(),
    /** An interrupted trial's: what the guard undid then, by snapshot hash (as trial-applied's `undone`). */
    undone: z.record(z.string()).optional(),
    /** Something the run could not change but the user must know, such as a score that is not a finite number. */
    warning: z.string().optional(),
    durationMs: z.number().optional(),
    /** Every score the decision weighed (native engine), so a chart can draw whiskers and a noise band. */
    samples: z.object({ baseline: z.array(Score), candidate: z.array(Score) }).optional(),
    /** The candidate's median of every number measure.py printed. */
    metrics: z.record(Score).optional(),
    /** measure_holdout.py on a kept candidate and on what it replaced; `worse` flags an overfit keep. */
    holdout: z.object({ score: Score, previous: Score.optional(), worse: z.boolean() }).optional(),
    at: z.string(),
  }),
  z.object({ type: z.literal('run-end'), run: z.string(), status: RunEndStatus, message: z.string().optional(), best: Score.optional(), at: z.string() }),
  /** An autopilot session's run: the agent and the budgets, so --resume can carry on with the same. */
  z.object({ type: z.literal('autopilot-start'), run: z.string(), session: z.string(), agent: z.string(), budgets: z.record(z.number()), at: z.string() }),
  /** A sandbox an autopilot trial made; a later start removes those a killed run left. */
  z.object({ type: z.literal('sandbox'), run: z.string(), path: z.string() }),
  /** What the agent said and spent for one trial, and what it changed that was thrown away. */
  z.object({
    type: z.literal('autopilot-trial'),
    run: z.string(),
    session: z.string(),
    trial: z.number().int(),
    description: z.string().optional(),
    hypothesis: z.string().optional(),
    ideas: z.array(z.string()).optional(),
    costUsd: z.number().nonnegative().optional(),
    tokens: z.number().nonnegative().optional(),
    durationMs: z.number(),
    discarded: z.array(z.string()).optional(),
    replay: z.string().optional(),
  }),
]);
export type JournalEvent = z.infer<typeof JournalEvent>;
type EventOf<T extends JournalEvent['type']> = Extract<JournalEvent, { type: T }>;

/** A type's fields spelled out, so editors show a record's fields rather than the parts it is made of. */
type Fields<T> = { [K in keyof T]: T[K] };
type TrialStart = EventOf<'trial-start'>;
type TrialApplied = EventOf<'trial-applied'>;
type TrialEnd = EventOf<'trial-end'>;

/** One trial, folded from its events (see apply() below for which field comes from which). */
export type TrialRecord = Fields<
  Omit<TrialStart, 'type' | 'at'> & {
    startedAt: TrialStart['at'];
    candidate?: TrialApplied['candidate'];
    proposalExitCode?: TrialApplied['exitCode'];
    /** How long the proposal ran. */
    proposalMs?: TrialApplied['durationMs'];
    touched?: TrialApplied['touched'];
    undone?: TrialApplied['undone'];
    endedAt?: TrialEnd['at'];
  } & Partial<Pick<TrialEnd, 'status' | 'reason' | 'oldScore' | 'newScore' | 'payload' | 'restored' | 'resultsLine' | 'warning' | 'samples' | 'metrics' | 'holdout'>>
>;

export type AutopilotTrialRecord = Omit<EventOf<'autopilot-trial'>, 'type' | 'run' | 'session'>;

type RunStart = EventOf<'run-start'>;
type RunEnd = EventOf<'run-end'>;
type AutopilotStart = EventOf<'autopilot-start'>;

/** One run, folded from its events. */
export type RunRecord = Fields<
  Omit<RunStart, 'type' | 'run' | 'at'> & {
    id: RunStart['run'];
    /** The process groups it started. */
    processes: ProcessId[];
    startedAt: RunStart['at'];
    baseline?: EventOf<'baseline'>['score'];
    trials: TrialRecord[];
    endedAt?: RunEnd['at'];
    /** Set for a run an autopilot session drove. */
    autopilot?: Pick<AutopilotStart, 'session' | 'agent' | 'budgets'> & { trials: AutopilotTrialRecord[]; sandboxes: EventOf<'sandbox'>['path'][] };
  } & Partial<Pick<RunEnd, 'status' | 'message' | 'best'>>
>;

export interface JournalContents {
  runs: RunRecord[];
  /** Lines that were not a valid event (a torn last line after a crash, a hand edit), 1-based. */
  badLines: number[];
}

/**
 * Where the journal of a pack lives: the top of its git repository, else the folder that holds
 * `atris/`, else the pack's own parent; found from the pack's real path, so a link to a pack leads to
 * the same journal (and the same lock).
 */
export function journalRoot(packDir: string): string {
  const real = realPath(packDir);
  const repo = findRepoRoot(real);
  if (repo) return repo;
  let dir = real;
  while (path.dirname(dir) !== dir) {
    if (path.basename(dir) === 'atris') return path.dirname(dir);
    dir = path.dirname(dir);
  }
  return path.dirname(real);
}

export function journalDir(root: string): string {
  return path.join(root, JOURNAL_DIR);
}

/** Creates `.autoexp/` with a `.gitignore` of `*`, so nothing in it is ever committed by accident. */
export function ensureJournalDir(root: string): string {
  const dir = journalDir(root);
  mkdirSync(dir, { recursive: true });
  const ignore = path.join(dir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
  return dir;
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** A run's journal: it appends the run's events, and reads back only what was appended since it opened. */
export class Journal {
  readonly file: string;
  private readonly tail: JournalTail;
  constructor(readonly root: string) {
    this.file = path.join(ensureJournalDir(root), JOURNAL_FILE);
    this.tail = new JournalTail(this.file, endOfWholeLines(this.file));
  }

  append(event: JournalEvent): void {
    appendFileSync(this.file, `${JSON.stringify(event)}\n`);
  }

  /**
   * The events appended since this journal opened, this process's and other writers' (the shims')
   * alike. Not the history before: a run reads only its own, and folding a long history took longer
   * than the rest of a run's start.
   */
  read(): JournalContents {
    return this.tail.read();
  }
}

/**
 * The journal's size, after ending a line a killed writer left torn: the next event must start a
 * line of its own, or it would be lost with the torn one (a lost run-start hides a whole run).
 */
function endOfWholeLines(file: string): number {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const last = Buffer.alloc(1);
    if (size === 0 || (readSync(fd, last, 0, 1, size - 1) === 1 && last[0] === 0x0a)) return size;
    appendFileSync(file, '\n');
    return size + 1;
  } catch (err) {
    if (isMissing(err)) return 0;
    throw journalReadError(file, err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * No journal yet is an empty one. Any other failure to read it (permissions, a folder in its place) is
 * an error naming the file: taking it for "no runs" would hide the runs, and recovery would miss a crash.
 */
function journalReadError(file: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  return new UserError(`${file}: cannot read the run journal (${code ?? oneLine(err)})`);
}


/** The journal's text; none yet is an empty one. */
function journalText(root: string): string {
  const file = path.join(journalDir(root), JOURNAL_FILE);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (isMissing(err)) return '';
    throw journalReadError(file, err);
  }
}

export function readJournal(root: string): JournalContents {
  return foldJournal(journalText(root));
}

/**
 * The runs that have not ended, as readJournal() would give them. Only their events are checked
 * against the schema: recovery reads this at every start, and checking every event of a long history
 * was most of a run's start (1,168 events: 60 ms). JSON.parse alone finds the runs that ended; each
 * of their run-end events is still checked, so a torn one leaves its run to recovery as before.
 */
export function readUnfinishedRuns(root: string): RunRecord[] {
  const lines = journalText(root).split('\n');
  const runOfLine = lines.map(runNamedBy);
  const ended = new Set<string>();
  lines.forEach((line, i) => {
    const run = runOfLine[i];
    if (run !== undefined && line.includes('"run-end"') && parseEvent(line)?.type === 'run-end') ended.add(run);
  });
  const runs = new Map<string, RunRecord>();
  // The lines of ended runs are left blank, so those left keep their numbers.
  foldLines(lines.map((line, i) => (ended.has(runOfLine[i] ?? '') ? '' : line)), 0, runs, []);
  return [...runs.values()].filter((r) => r.status === undefined);
}

/** The `run` a journal line names, read without the schema; undefined for a line that is not a JSON object with one. */
function runNamedBy(line: string): string | undefined {
  if (!line.trim()) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    const run = typeof value === 'object' && value !== null ? (value as { run?: unknown }).run : undefined;
    return typeof run === 'string' ? run : undefined;
  } catch {
    return undefined; // a torn line: the fold counts it as bad
  }
}

export function foldJournal(text: string): JournalContents {
  const runs = new Map<string, RunRecord>();
  const badLines: number[] = [];
  foldLines(text.split('\n'), 0, runs, badLines);
  return { runs: [...runs.values()], badLines };
}

function foldLines(lines: string[], firstLine: number, runs: Map<string, RunRecord>, badLines: number[]): void {
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const event = parseEvent(line);
    if (event) apply(runs, event);
    else badLines.push(firstLine + i + 1);
  });
}

/** A torn last line after a crash or a hand edit is not an event; the caller counts it as a bad line. */
function parseEvent(line: string): JournalEvent | undefined {
  return parseJsonAs(JournalEvent, line);
}

/**
 * A journal read as it grows: each `read()` folds only the lines appended since the last one, so a
 * run that checks its journal after every trial does not re-read the whole history each time.
 */
export class JournalTail {
  private lines = 0;
  private readonly runs = new Map<string, RunRecord>();
  private readonly badLines: number[] = [];
  /** `offset`: where to start reading, at the start of a line; bad lines are then numbered from there. */
  constructor(
    private readonly file: string,
    private offset = 0,
  ) {}

  read(): JournalContents {
    let fd: number | undefined;
    try {
      fd = openSync(this.file, 'r');
      const size = fstatSync(fd).size;
      if (size > this.offset) {
        const bytes = Buffer.alloc(size - this.offset);
        readSync(fd, bytes, 0, bytes.length, this.offset);
        // Only whole lines: a writer may be half-way through the last one.
        const end = bytes.lastIndexOf(0x0a) + 1;
        if (end > 0) {
          const lines = bytes.subarray(0, end).toString('utf8').split('\n').slice(0, -1);
          foldLines(lines, this.lines, this.runs, this.badLines);
          this.offset += end;
          this.lines += lines.length;
        }
      }
    } catch (err) {
      if (!isMissing(err)) throw journalReadError(this.file, err);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return { runs: [...this.runs.values()], badLines: [...this.badLines] };
  }
}

function apply(runs: Map<string, RunRecord>, event: JournalEvent): void {
  if (event.type === 'run-start') {
    runs.set(event.run, {
      id: event.run,
      pack: event.pack,
      slug: event.slug,
      engine: event.engine,
      proposals: event.proposals,
      target: event.target,
      pid: event.pid,
      startTime: event.startTime,
      resultsLines: event.resultsLines,
      processes: [],
      startedAt: event.at,
      trials: [],
    });
    return;
  }
  const run = runs.get(event.run);
  if (!run) return;
  switch (event.type) {
    case 'process':
      run.processes.push({ pid: event.pid, startTime: event.startTime });
      return;
    case 'baseline':
      run.baseline = event.score;
      return;
    case 'trial-start':
      run.trials.push({ run: run.id, trial: event.trial, proposal: event.proposal, target: event.target, before: event.before, startedAt: event.at });
      return;
    case 'trial-applied':
      withTrial(run, event, (t) => Object.assign(t, { candidate: event.candidate, proposalExitCode: event.exitCode, proposalMs: event.durationMs, touched: event.touched, undone: event.undone }));
      return;
    case 'trial-end':
      withTrial(run, event, (t) =>
        Object.assign(t, {
          status: event.status,
          reason: event.reason,
          oldScore: event.oldScore,
          newScore: event.newScore,
          payload: event.payload,
          restored: event.restored,
          resultsLine: event.resultsLine,
          warning: event.warning,
          samples: event.samples,
          metrics: event.metrics,
          holdout: event.holdout,
          undone: event.undone ? { ...t.undone, ...event.undone } : t.undone,
          endedAt: event.at,
        }),
      );
      return;
    case 'run-end':
      Object.assign(run, { status: event.status, message: event.message, best: event.best, endedAt: event.at });
      return;
    case 'autopilot-start':
      run.autopilot = { session: event.session, agent: event.agent, budgets: event.budgets, trials: [], sandboxes: [] };
      return;
    case 'sandbox':
      run.autopilot?.sandboxes.push(event.path);
      return;
    case 'autopilot-trial': {
      const { type: _type, run: _run, session: _session, ...trial } = event;
      run.autopilot?.trials.push(trial);
      return;
    }
  }
}

/** The newest record of that trial number: a pack engine restarted after a timeout numbers again from 1. */
function withTrial(run: RunRecord, event: EventOf<'trial-applied' | 'trial-end'>, update: (t: TrialRecord) => void): void {
  for (let i = run.trials.length - 1; i >= 0; i--) {
    if (run.trials[i].trial === event.trial) {
      update(run.trials[i]);
      return;
    }
  }
}

/** The runs of one pack, oldest first, whatever path (or link) named the pack. */
export function runsOfPack(contents: JournalContents, packDir: string): RunRecord[] {
  const dir = realPath(packDir);
  return contents.runs.filter((r) => isPack(r, dir));
}

/** Runs record the pack's real path; older records may hold the path as typed. */
export function isPack(run: RunRecord, realPackDir: string): boolean {
  return run.pack === realPackDir || realPath(run.pack) === realPackDir;
}

export function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;
}
