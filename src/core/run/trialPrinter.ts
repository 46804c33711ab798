/**
 * A run's reporter that puts each trial's diff under its `TRIAL n …` line. Both engines report
 * through it: the native engine's own lines, and loop.py's output passed through unchanged (only
 * coloured when the terminal wants colour).
 *
 * The diff needs the trial's end (its candidate and status in the journal), which the engines
 * report just after the line. So once a TRIAL line is out, whatever comes next waits until that
 * trial ends: in the same turn of the event loop for both engines. A line that no trial end
 * follows (a loop that numbers its own way) holds nothing back longer than that turn; a trial whose
 * line never came, or came too early, gets its diff at its end, under a line that names it.
 */
import * as path from 'node:path';
import { inlineDiffLines, type InlineDiffOptions } from '../diff/inlineDiff';
import { paint, statusStyle } from '../diff/paint';
import type { RunContext, RunReporter } from './context';
import type { Journal, TrialEndStatus } from './journal';
import type { SnapshotStore } from './snapshots';

const TRIAL_LINE = /^TRIAL\s+(\d+)\b\s*(\S*)/;
const HOLD_MS = 200;

interface Item {
  via: 'line' | 'output';
  text: string;
  /** The trial whose line ends this item, and where in the text that line starts (-1: in an earlier chunk). */
  trial?: { number: number; status: string; start: number };
}

export interface TrialSource {
  journal: Journal;
  store: SnapshotStore;
  run: string;
}

export class TrialPrinter implements RunReporter {
  private readonly items: Item[] = [];
  /** A TRIAL line is out and this trial has not ended yet: the rest waits. */
  private waiting: number | undefined;
  /** The start of a line of output whose end has not come yet (already passed on). */
  private partial = '';
  /** The start of a TRIAL line held back until its end comes (see take). */
  private held = '';
  private holdTimer: NodeJS.Timeout | undefined;
  private atLineStart = true;
  private sawTrialLines = false;
  private readonly linesOut = new Set<number>();
  /** Trials that ended before their line came. */
  private readonly early = new Map<number, string[]>();

  constructor(
    private readonly inner: RunReporter,
    private readonly source: TrialSource,
    private readonly options: InlineDiffOptions,
  ) {}

  // Arrow functions: the engines hand these on unbound (onStdout: reporter.output).
  line = (text: string): void => {
    const m = TRIAL_LINE.exec(text);
    this.items.push({ via: 'line', text, trial: m ? { number: Number(m[1]), status: m[2], start: 0 } : undefined });
    this.drain();
  };

  output = (chunk: string): void => this.take(chunk, this.options.color);

  log = (text: string): void => this.inner.log(text);

  processDone = (durationMs: number): void => this.inner.processDone?.(durationMs);

  trialDone = (trial: number, total: number, status: TrialEndStatus): void => {
    this.inner.trialDone?.(trial, total, status);
    const diff = status === 'cancelled' || status === 'interrupted' ? [] : this.diffOf(trial);
    if (this.waiting === trial) {
      this.waiting = undefined;
      this.print(diff);
      this.drain();
    } else if (this.linesOut.has(trial) || !this.sawTrialLines) {
      this.print(diff, trial);
    } else {
      this.early.set(trial, diff);
    }
  };

  /** The run is over: whatever still waits goes out. */
  flush(): void {
    this.take('', false);
    this.waiting = undefined;
    this.drain();
    for (const [trial, diff] of this.early) this.print(diff, trial);
    this.early.clear();
  }

  /**
   * Splits output after each TRIAL line. `mayHold`: a line that starts like a TRIAL line but has no
   * end yet waits for its end (a writer may send print's text and its newline apart), so that it
   * is coloured whole; never longer than HOLD_MS.
   */
  private take(chunk: string, mayHold: boolean): void {
    const text = this.held + chunk;
    this.held = '';
    clearTimeout(this.holdTimer);
    let from = 0;
    let lineStart = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', lineStart)) {
      const continued = this.partial !== '';
      const m = TRIAL_LINE.exec(this.partial + text.slice(lineStart, nl));
      this.partial = '';
      if (m) {
        this.items.push({ via: 'output', text: text.slice(from, nl + 1), trial: { number: Number(m[1]), status: m[2], start: continued ? -1 : lineStart - from } });
        from = nl + 1;
      }
      lineStart = nl + 1;
    }
    const rest = text.slice(lineStart);
    if (mayHold && this.partial === '' && rest !== '' && (rest.startsWith('TRIAL') || 'TRIAL'.startsWith(rest))) {
      this.held = rest;
      this.holdTimer = setTimeout(() => this.take('', false), HOLD_MS);
    } else {
      // Only a line's start is ever matched: a progress bar redrawn for ever costs nothing.
      this.partial = (this.partial + rest).slice(0, 200);
      lineStart = text.length;
    }
    if (from < lineStart) this.items.push({ via: 'output', text: text.slice(from, lineStart) });
    this.drain();
  }

  private drain(): void {
    while (this.waiting === undefined && this.items.length > 0) {
      const item = this.items.shift()!;
      this.emit(item);
      if (item.trial) this.lineOut(item.trial.number);
    }
  }

  private emit(item: Item): void {
    const { color } = this.options;
    if (item.via === 'line') {
      this.inner.line(item.trial ? paint(item.text, statusStyle(item.trial.status), color) : item.text);
      this.atLineStart = true;
      return;
    }
    let text = item.text;
    if (item.trial && item.trial.start >= 0 && color) {
      const line = text.slice(item.trial.start).replace(/\r?\n$/, '');
      text = text.slice(0, item.trial.start) + paint(line, statusStyle(item.trial.status), true) + text.slice(item.trial.start + line.length);
    }
    this.inner.output(text);
    this.atLineStart = text.endsWith('\n');
  }

  private lineOut(trial: number): void {
    this.sawTrialLines = true;
    this.linesOut.add(trial);
    const early = this.early.get(trial);
    if (early) {
      this.early.delete(trial);
      this.print(early);
      return;
    }
    this.waiting = trial;
    // Both engines end a trial in the same turn as its line; a line no end follows holds nothing longer.
    setImmediate(() => {
      if (this.waiting !== trial) return;
      this.waiting = undefined;
      this.drain();
    });
  }

  /** `named`: the diff is not right under its trial's line, so a line says whose it is. */
  private print(diff: string[], named?: number): void {
    if (diff.length === 0) return;
    if (!this.atLineStart) this.inner.output('\n');
    if (named !== undefined) this.inner.line(paint(`diff of trial ${named}:`, 'note', this.options.color));
    for (const line of diff) this.inner.line(line);
    this.atLineStart = true;
  }

  private diffOf(number: number): string[] {
    const trials = this.source.journal.read().runs.find((r) => r.id === this.source.run)?.trials ?? [];
    const trial = trials.filter((t) => t.trial === number).pop();
    if (!trial?.candidate) return [];
    try {
      return inlineDiffLines(this.source.store.get(trial.before), this.source.store.get(trial.candidate), number, this.options);
    } catch (err) {
      return [paint(`  no diff: ${path.basename(trial.target)}'s snapshot is missing (${(err as NodeJS.ErrnoException).code ?? err})`, 'note', this.options.color)];
    }
  }
}

/**
 * The run's context with each trial's diff put under its line, and what to call when the run is
 * over; the context as it is when `options` is undefined (--no-diff, --json).
 */
export function withInlineDiffs(ctx: RunContext, options: InlineDiffOptions | undefined): { ctx: RunContext; flush(): void } {
  if (!options) return { ctx, flush: () => undefined };
  const printer = new TrialPrinter(ctx.reporter, ctx, options);
  return { ctx: { ...ctx, reporter: printer }, flush: () => printer.flush() };
}
