/**
 * The data rows of a results log, after its header: each row's cells read by column role, grouped into
 * runs, modality rows folded into their trial (./modalities.ts), and what is wrong with a row reported
 * as a problem, never thrown.
 */
import type { Finding } from '../findings';
import { isPlaceholder, normaliseStatus, parseNumber } from './columns';
import { integerAt, LineCursor, RowCells, simpleNumberAt, trimEnd, trimStart } from './lexing';
import { CappedProblems, problem, RESULTS_RULES } from './logProblems';
import type { ColumnRoles, Run, Trial, TrialStatus } from './model';
import { ModalityFold, type ModalityRow } from './modalities';

interface StatusWord {
  word: string;
  status: TrialStatus | undefined;
}

/** Status words seen so far, each sliced and looked up once: a log uses a handful of them. */
class StatusWords {
  private readonly words: StatusWord[] = [];
  constructor(private readonly text: string) {}

  /** The trimmed word in [start, end) and its status, compared in place with the words already seen. */
  at(start: number, end: number): StatusWord {
    const text = this.text;
    const a = trimStart(text, start, end);
    const b = trimEnd(text, a, end);
    const n = b - a;
    for (const entry of this.words) {
      const word = entry.word;
      if (word.length !== n) continue;
      let i = 0;
      while (i < n && word.charCodeAt(i) === text.charCodeAt(a + i)) i++;
      if (i === n) return entry;
    }
    const entry = { word: text.slice(a, b), status: normaliseStatus(text.slice(a, b)) };
    if (this.words.length < 16) this.words.push(entry);
    return entry;
  }
}

export class RowReader {
  readonly runs: Run[] = [];
  readonly trials: Trial[] = [];
  private readonly problems: CappedProblems;
  private readonly cells: RowCells;
  private readonly statusWords: StatusWords;
  private readonly modalities = new ModalityFold();
  private readonly names: { score: string; score2: string; oldScore: string };
  /** The current row's values, one object reused for every row: a row allocates its Trial and the strings it keeps. */
  private readonly row: ModalityRow = { modality: undefined, run: undefined, trialText: undefined, status: undefined, statusWord: '', score: undefined, score2: undefined, oldScore: undefined };
  private run: Run | undefined;
  private runText: string | undefined;
  private lastNumber = -Infinity;
  /** The current row: where its line starts and its 1-based number. */
  private lineStart = 0;
  private lineNo = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
    width: number,
    roles: ColumnRoles,
    private readonly index: Record<keyof ColumnRoles, number>,
    private readonly from: number,
    problems: Finding[],
  ) {
    this.problems = new CappedProblems(problems);
    this.cells = new RowCells(text, width, from);
    this.statusWords = new StatusWords(text);
    this.names = { score: roles.score ?? 'score', score2: roles.score2 ?? 'metric_2', oldScore: roles.oldScore ?? 'old_score' };
  }

  /** Reads every data line after `lineBefore` (the header's line). */
  read(lineBefore: number): void {
    const text = this.text;
    const lines = new LineCursor(text, this.from, lineBefore);
    while (lines.advance()) {
      const s = lines.start;
      const e = lines.end;
      if (s === e) continue;
      const c0 = text.charCodeAt(s);
      if (c0 <= 32 && lines.isBlank()) continue;
      if (c0 === 35) continue; // a `#` comment line
      this.lineStart = s;
      this.lineNo = lines.line;
      this.readRow(s, e);
    }
    this.modalities.close();
    this.problems.summarise(this.file);
  }

  private readRow(s: number, e: number): void {
    const { cells, index, row } = this;
    const count = cells.split(s, e);
    if (count !== cells.width) this.reportRagged(count, s, e);
    this.readStatus();
    const { status, statusWord } = row;
    const isError = status === 'error';
    row.score = index.score >= 0 ? this.numberCell(index.score, this.names.score, true, isError) : undefined;
    row.score2 = index.score2 >= 0 ? this.numberCell(index.score2, this.names.score2, true, isError) : undefined;
    row.oldScore = index.oldScore >= 0 ? this.numberCell(index.oldScore, this.names.oldScore, false, false) : undefined;
    row.run = index.run >= 0 ? (cells.text(index.run) ?? '') : undefined;
    if (index.modality >= 0) {
      row.modality = cells.optional(index.modality);
      row.trialText = cells.text(index.trial);
    }
    const number = cells.has(index.trial) ? integerAt(this.text, cells.start[index.trial], cells.end[index.trial]) : NaN;
    if (index.modality >= 0 && this.modalities.foldIn(row)) return;

    const run = this.runFor(row.run, number);
    const trial: Trial = {
      index: this.trials.length,
      run: run.index,
      number: number === number ? number : run.trials.length + 1,
      status,
      statusWord,
      oldScore: row.oldScore,
      score: row.score,
      score2: row.score2,
      modalities: undefined,
      proposal: cells.optional(index.proposal),
      description: cells.optional(index.description),
      commit: cells.optional(index.commit),
      timestamp: cells.optional(index.timestamp),
      line: this.lineNo,
    };
    if (index.modality >= 0) this.modalities.open(trial, row);
    this.trials.push(trial);
    run.trials.push(trial);
  }

  /**
   * The row's run: a `run` column groups rows by its value (a new run whenever it changes); without one,
   * a trial number that does not go up starts a new run.
   */
  private runFor(rowRun: string | undefined, number: number): Run {
    let run = this.run;
    if (run === undefined || (rowRun !== undefined ? rowRun !== this.runText : number === number && number <= this.lastNumber)) {
      run = this.run = { index: this.runs.length, id: rowRun || `run ${this.runs.length + 1}`, trials: [] };
      this.runs.push(run);
      this.lastNumber = -Infinity;
    }
    this.runText = rowRun;
    if (number === number) this.lastNumber = number;
    return run;
  }

  private reportRagged(count: number, s: number, e: number): void {
    const width = this.cells.width;
    this.problems.report(
      problem(
        this.file,
        RESULTS_RULES.raggedRow,
        'warning',
        count > width ? `row has ${count} cells; the header has ${width} (the extra cells are ignored)` : `row has ${count} cells; the header has ${width}`,
        this.lineNo,
        count > width ? this.cells.extraStart - s + 1 : 1,
        e - s + 1,
      ),
    );
  }

  private readStatus(): void {
    const k = this.index.status;
    const row = this.row;
    if (!this.cells.has(k)) {
      row.status = undefined;
      row.statusWord = '';
      return;
    }
    const { word, status } = this.statusWords.at(this.cells.start[k], this.cells.end[k]);
    row.status = status;
    row.statusWord = word;
    if (status === undefined) {
      const message =
        word === ''
          ? 'empty status (expected kept, reverted, error or baseline)'
          : `unknown status "${word}" (expected kept, reverted, error or baseline, or words such as keep, discard, crash)`;
      this.reportCell(RESULTS_RULES.unknownStatus, message, k);
    }
  }

  /**
   * A number cell. `required`: an empty cell is a problem (a score, not an old score). `quiet`: the
   * row crashed, so whatever stands there is a placeholder, silently not a number.
   */
  private numberCell(k: number, name: string, required: boolean, quiet: boolean): number | undefined {
    if (quiet || !this.cells.has(k)) return undefined;
    const text = this.text;
    const a = trimStart(text, this.cells.start[k], this.cells.end[k]);
    const b = trimEnd(text, a, this.cells.end[k]);
    if (a === b) {
      if (required) this.reportCell(RESULTS_RULES.badScore, `${name} is empty`, k);
      return undefined;
    }
    const fast = simpleNumberAt(text, a, b);
    if (fast === fast) return fast;
    const t = text.slice(a, b);
    const v = parseNumber(t);
    if (v !== undefined) return v;
    if (!required && isPlaceholder(t)) return undefined;
    this.reportCell(RESULTS_RULES.badScore, `${name} "${t}" is not a number`, k);
    return undefined;
  }

  /** A warning about cell k of the current row, spanning the cell as written (untrimmed). */
  private reportCell(rule: string, message: string, k: number): void {
    const { start, end } = this.cells;
    this.problems.report(problem(this.file, rule, 'warning', message, this.lineNo, start[k] - this.lineStart + 1, end[k] - this.lineStart + 1));
  }
}
