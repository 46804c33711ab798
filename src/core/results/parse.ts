/**
 * The results log parser: every dialect real loops write (see test/fixtures/real-logs/README.md),
 * columns found by name, never by position. Pure (no fs) and total: it never throws, and what is wrong
 * with a row comes back as a problem with its 1-based line and column.
 *
 * Speed matters (logs are read on every edit): lines and cells are found with indexOf loops whose
 * search pointers only move forward, so parsing is linear in the text; a row allocates its Trial and
 * the strings it keeps, nothing else.
 */
import type { Finding, Severity } from '../findings';
import { CANONICAL_HEADER } from '../packFormat';
import { METRIC_SAMPLE_ROWS, directionFor, findRoles, isBetter, isPlaceholder, looksLikeHeader, normaliseStatus, parseNumber } from './columns';
import type { ColumnRoles, ResultsLog, Run, Trial, TrialStatus } from './model';
import { statusCounts } from '../summary';

/** The rule ids of the problems a log can have. */
export const RESULTS_RULES = {
  noHeader: 'results-no-header',
  raggedRow: 'results-ragged-row',
  badScore: 'results-bad-score',
  unknownStatus: 'results-unknown-status',
} as const;

/** Row problems listed per rule; past this a log is broken throughout and one summary says how many more. */
export const MAX_PROBLEMS_PER_RULE = 1000;

/** The modality whose score is the trial's score in logs with a modality column. */
export const AGGREGATE_MODALITY = 'aggregate';

/**
 * Walks the lines of a text. `\n`, `\r\n` and a lone `\r` each end a line, as VS Code counts them; a
 * line break at the very end does not start another line. Each indexOf pointer (line feed, carriage
 * return) is only recomputed once the walk has passed it, so a whole walk is linear.
 */
class LineCursor {
  /** The current line: offsets of its first character and just past its last, and its 1-based number. */
  start = 0;
  end = 0;
  line: number;
  /** Where the line after the current one starts. */
  next: number;
  private lf: number;
  private cr: number;

  constructor(
    private readonly text: string,
    from: number,
    lineBefore: number,
  ) {
    this.next = from;
    this.line = lineBefore;
    this.lf = text.indexOf('\n', from);
    this.cr = text.indexOf('\r', from);
  }

  advance(): boolean {
    const text = this.text;
    const pos = this.next;
    if (pos >= text.length) return false;
    let lf = this.lf;
    if (lf !== -1 && lf < pos) lf = this.lf = text.indexOf('\n', pos);
    let cr = this.cr;
    if (cr !== -1 && cr < pos) cr = this.cr = text.indexOf('\r', pos);
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      this.end = cr;
      this.next = cr + 1 === lf ? lf + 1 : cr + 1;
    } else if (lf !== -1) {
      this.end = lf;
      this.next = lf + 1;
    } else {
      this.end = text.length;
      this.next = text.length;
    }
    this.start = pos;
    this.line++;
    return true;
  }

  /** True when the current line is empty or only white space. */
  isBlank(): boolean {
    const { text, start, end } = this;
    for (let i = start; i < end; i++) if (text.charCodeAt(i) > 32) return false;
    return true;
  }

  /** True when the current line starts with `#`. */
  isComment(): boolean {
    return this.start < this.end && this.text.charCodeAt(this.start) === 35;
  }

  lineText(): string {
    return this.text.slice(this.start, this.end);
  }
}

function problem(file: string, rule: string, severity: Severity, message: string, line: number, column: number, endColumn: number): Finding {
  return { rule, severity, message, file, line, column, endLine: line, endColumn };
}

const META_LINE = /^#\s*([A-Za-z0-9_.-]+)\s*:\s*(.*?)\s*$/;

/** A trimmed cell that is a whole integer (`3`, `-1`, `+2`), else NaN. No slicing, no regex. */
function integerAt(text: string, start: number, end: number): number {
  while (start < end && text.charCodeAt(start) <= 32) start++;
  while (end > start && text.charCodeAt(end - 1) <= 32) end--;
  if (start === end) return NaN;
  let sign = 1;
  const first = text.charCodeAt(start);
  if (first === 45 || first === 43) {
    if (first === 45) sign = -1;
    start++;
    if (start === end) return NaN;
  }
  if (end - start > 15) return NaN;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return sign * value;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The common number cell (`0.2000`, `-1`, `.5`) read in place, without slicing: at most 15 digits and
 * no exponent, so the digits are an exact integer and one division by an exact power of ten gives the
 * correctly rounded double, the same as Number(). NaN means "not this simple form": the caller falls
 * back to parseNumber on the sliced text. `start`/`end` are already trimmed.
 */
function simpleNumberAt(text: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  const first = text.charCodeAt(i);
  if (first === 45 || first === 43) {
    negative = first === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      digits++;
      if (fraction !== -1) fraction++;
    } else if (d === -2 && fraction === -1) fraction = 0; // '.'
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const v = fraction > 0 ? mantissa / POW10[fraction] : mantissa;
  return negative ? -v : v;
}

/** Sets a key on a record safely, even a key such as `__proto__`. */
function setOwn(record: Record<string, number | undefined>, key: string, value: number | undefined): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/**
 * Parses a results.tsv text. `file` is only carried into the log and its problems.
 *
 * - Columns by name (see ./columns.ts for the names and the named-metric rule).
 * - `# key: value` lines before the header are `meta`; `# metric_direction: lower` sets the direction.
 * - Runs: a `run` column groups rows by its value (a new run whenever it changes); without one, a trial
 *   or iteration number that does not go up starts a new run; with neither, one run.
 * - Modalities: consecutive rows of one run and trial number with a modality column are one trial;
 *   the `aggregate` row's status and score are the trial's. Without an aggregate row the trial's score is
 *   the mean of its modalities' scores (those that are numbers), and its status the first row's.
 * - An error row's score is never a score (crashed loops write 0.000000, N/A or nothing).
 */
export function parseResults(text: string, file: string): ResultsLog {
  const problems: Finding[] = [];
  const meta: Record<string, string> = {};
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const cursor = new LineCursor(text, bom, 0);

  // 1. Comment lines, then the header (or a first data line where the header should be).
  let header: string[] | undefined;
  let headerless = false;
  while (cursor.advance()) {
    if (cursor.isBlank()) continue;
    if (cursor.isComment()) {
      const m = META_LINE.exec(cursor.lineText());
      if (m) meta[m[1].toLowerCase()] = m[2];
      continue;
    }
    const cells = cursor.lineText().split('\t');
    if (looksLikeHeader(cells)) {
      header = cells.map((c) => c.trim());
    } else {
      headerless = true;
      problems.push(
        problem(
          file,
          RESULTS_RULES.noHeader,
          'error',
          `no header line: the first line holds data (expected column names such as ${CANONICAL_HEADER.join(', ')})`,
          cursor.line,
          1,
          cursor.end - cursor.start + 1,
        ),
      );
      // Read on as the canonical dialect when the row has its shape, so the rest is still checked.
      header = cells.length === CANONICAL_HEADER.length ? [...CANONICAL_HEADER] : cells.map((_, i) => `column_${i + 1}`);
    }
    break;
  }

  if (header === undefined) {
    problems.push(
      problem(file, RESULTS_RULES.noHeader, 'warning', `the log is empty: it needs a header line (${CANONICAL_HEADER.join(', ')})`, 1, 1, 1),
    );
    return finish(file, [], {}, meta, [], [], problems);
  }

  // The data starts on the line after the header, or on the headerless first line itself.
  const dataFrom = headerless ? cursor.start : cursor.next;
  const dataLineBefore = headerless ? cursor.line - 1 : cursor.line;

  let sample: string[][] | undefined;
  const sampleCells = (column: number): string[] => {
    if (!sample) {
      sample = [];
      const c = new LineCursor(text, dataFrom, dataLineBefore);
      while (sample.length < METRIC_SAMPLE_ROWS && c.advance()) {
        if (!c.isBlank() && !c.isComment()) sample.push(c.lineText().split('\t'));
      }
    }
    return sample.map((row) => row[column] ?? '');
  };
  const { roles, index } = findRoles(header, sampleCells);
  const { runs, trials } = readRows(text, file, header, roles, index, dataFrom, dataLineBefore, problems);
  return finish(file, header, roles, meta, runs, trials, problems);
}

function readRows(
  text: string,
  file: string,
  header: string[],
  roles: ColumnRoles,
  index: Record<keyof ColumnRoles, number>,
  from: number,
  lineBefore: number,
  problems: Finding[],
): { runs: Run[]; trials: Trial[] } {
  const width = header.length;
  const { timestamp: iTime, run: iRun, trial: iTrial, modality: iModality, status: iStatus, oldScore: iOld, score: iScore, score2: iScore2 } = index;
  const { proposal: iProposal, description: iDescription, commit: iCommit } = index;
  const scoreName = roles.score ?? 'score';
  const score2Name = roles.score2 ?? 'metric_2';
  const oldName = roles.oldScore ?? 'old_score';

  // Row problems, at most MAX_PROBLEMS_PER_RULE of each rule; the rest are counted in one summary.
  const reported = new Map<string, { count: number; firstUnlisted: number }>();
  const report = (f: Finding) => {
    const seen = reported.get(f.rule);
    if (seen === undefined) reported.set(f.rule, { count: 1, firstUnlisted: 0 });
    else if (++seen.count > MAX_PROBLEMS_PER_RULE) {
      if (seen.firstUnlisted === 0) seen.firstUnlisted = f.line;
      return;
    }
    problems.push(f);
  };

  // Cell bounds of the current row; -1 for a cell the row does not have.
  const cs = new Int32Array(width);
  const ce = new Int32Array(width);
  let lineStart = 0;
  let lineNo = 0;

  const cell = (k: number): string | undefined => {
    if (k < 0) return undefined;
    let a = cs[k];
    if (a < 0) return undefined;
    let b = ce[k];
    while (a < b && text.charCodeAt(a) <= 32) a++;
    while (b > a && text.charCodeAt(b - 1) <= 32) b--;
    return a === b ? '' : text.slice(a, b);
  };
  /** Status words seen so far, each sliced and looked up once: a log uses a handful of them. */
  const words: Array<{ word: string; status: TrialStatus | undefined }> = [];
  const statusAt = (k: number): { word: string; status: TrialStatus | undefined } | undefined => {
    let a = cs[k];
    if (a < 0) return undefined;
    let b = ce[k];
    while (a < b && text.charCodeAt(a) <= 32) a++;
    while (b > a && text.charCodeAt(b - 1) <= 32) b--;
    const n = b - a;
    for (let w = 0; w < words.length; w++) {
      const word = words[w].word;
      if (word.length !== n) continue;
      let i = 0;
      while (i < n && word.charCodeAt(i) === text.charCodeAt(a + i)) i++;
      if (i === n) return words[w];
    }
    const entry = { word: text.slice(a, b), status: normaliseStatus(text.slice(a, b)) };
    if (words.length < 16) words.push(entry);
    return entry;
  };
  const optional = (k: number): string | undefined => {
    const v = cell(k);
    return v === '' ? undefined : v;
  };
  /**
   * A number cell. `required`: an empty cell is a problem (a score, not an old score). `quiet`: the
   * row crashed, so whatever stands there is a placeholder, silently not a number.
   */
  const numberCell = (k: number, name: string, required: boolean, quiet: boolean): number | undefined => {
    if (quiet) return undefined;
    let a = cs[k];
    if (a < 0) return undefined;
    let b = ce[k];
    while (a < b && text.charCodeAt(a) <= 32) a++;
    while (b > a && text.charCodeAt(b - 1) <= 32) b--;
    if (a < b) {
      const fast = simpleNumberAt(text, a, b);
      if (fast === fast) return fast;
    }
    const t = a === b ? '' : text.slice(a, b);
    if (t !== '') {
      const v = parseNumber(t);
      if (v !== undefined) return v;
    }
    if (t === '') {
      if (required) report(problem(file, RESULTS_RULES.badScore, 'warning', `${name} is empty`, lineNo, cs[k] - lineStart + 1, ce[k] - lineStart + 1));
      return undefined;
    }
    if (!required && isPlaceholder(t)) return undefined;
    report(problem(file, RESULTS_RULES.badScore, 'warning', `${name} "${t}" is not a number`, lineNo, cs[k] - lineStart + 1, ce[k] - lineStart + 1));
    return undefined;
  };

  const runs: Run[] = [];
  const trials: Trial[] = [];
  let run: Run | undefined;
  let runText: string | undefined;
  let lastNumber = -Infinity;
  // The open trial of a modality log, and what identifies its rows.
  let current: Trial | undefined;
  let currentTrialText: string | undefined;
  let currentAggregated = false;

  const closeModalityTrial = () => {
    if (!current || currentAggregated || !current.modalities) return;
    if (current.status === 'error') {
      current.score = undefined;
      return;
    }
    let sum = 0;
    let n = 0;
    for (const v of Object.values(current.modalities)) {
      if (v !== undefined) {
        sum += v;
        n++;
      }
    }
    current.score = n > 0 ? sum / n : undefined;
  };

  const lines = new LineCursor(text, from, lineBefore);
  // The next tab at or after the current cell; recomputed only once passed, so finding cells is linear.
  let tab = text.indexOf('\t', from);
  while (lines.advance()) {
    const s = lines.start;
    const e = lines.end;
    if (s === e) continue;
    const c0 = text.charCodeAt(s);
    if (c0 <= 32 && lines.isBlank()) continue;
    if (c0 === 35) continue; // a `#` comment line
    lineStart = s;
    lineNo = lines.line;

    // Cell bounds, one indexOf per tab.
    let count = 0;
    let extraStart = -1;
    let p = s;
    for (;;) {
      if (tab !== -1 && tab < p) tab = text.indexOf('\t', p);
      const end = tab === -1 || tab >= e ? e : tab;
      if (count < width) {
        cs[count] = p;
        ce[count] = end;
      } else if (count === width) extraStart = p;
      count++;
      if (end === e) break;
      p = end + 1;
    }
    if (count !== width) {
      for (let k = count; k < width; k++) cs[k] = ce[k] = -1;
      const column = count > width ? extraStart - s + 1 : 1;
      report(
        problem(
          file,
          RESULTS_RULES.raggedRow,
          'warning',
          count > width ? `row has ${count} cells; the header has ${width} (the extra cells are ignored)` : `row has ${count} cells; the header has ${width}`,
          lineNo,
          column,
          e - s + 1,
        ),
      );
    }

    // Status.
    let statusWord = '';
    let status: TrialStatus | undefined;
    if (iStatus >= 0) {
      const w = statusAt(iStatus);
      if (w !== undefined) {
        statusWord = w.word;
        status = w.status;
        if (status === undefined) {
          const word = w.word;
          report(
            problem(
              file,
              RESULTS_RULES.unknownStatus,
              'warning',
              word === '' ? 'empty status (expected kept, reverted, error or baseline)' : `unknown status "${word}" (expected kept, reverted, error or baseline, or words such as keep, discard, crash)`,
              lineNo,
              cs[iStatus] - s + 1,
              ce[iStatus] - s + 1,
            ),
          );
        }
      }
    }
    const isError = status === 'error';
    const score = iScore >= 0 ? numberCell(iScore, scoreName, true, isError) : undefined;
    const score2 = iScore2 >= 0 ? numberCell(iScore2, score2Name, true, isError) : undefined;
    const oldScore = iOld >= 0 ? numberCell(iOld, oldName, false, false) : undefined;
    const number = iTrial >= 0 && cs[iTrial] >= 0 ? integerAt(text, cs[iTrial], ce[iTrial]) : NaN;
    const rowRun = iRun >= 0 ? (cell(iRun) ?? '') : undefined;

    // A further modality row of the open trial: fold it in.
    let modality: string | undefined;
    if (iModality >= 0) {
      modality = optional(iModality);
      const trialText = cell(iTrial);
      if (
        modality !== undefined &&
        current !== undefined &&
        current.modalities !== undefined &&
        rowRun === runText &&
        trialText === currentTrialText &&
        !Object.hasOwn(current.modalities, modality)
      ) {
        setOwn(current.modalities, modality, score);
        if (modality.toLowerCase() === AGGREGATE_MODALITY) {
          currentAggregated = true;
          current.status = status;
          current.statusWord = statusWord;
          current.score = score;
          current.score2 = score2;
          if (oldScore !== undefined) current.oldScore = oldScore;
        }
        continue;
      }
      closeModalityTrial();
      currentTrialText = trialText;
    }

    // A new run?
    if (run === undefined || (rowRun !== undefined ? rowRun !== runText : number === number && number <= lastNumber)) {
      run = { index: runs.length, id: rowRun || `run ${runs.length + 1}`, trials: [] };
      runs.push(run);
      lastNumber = -Infinity;
    }
    runText = rowRun;
    if (number === number) lastNumber = number;

    const trial: Trial = {
      index: trials.length,
      run: run.index,
      number: number === number ? number : run.trials.length + 1,
      status,
      statusWord,
      oldScore,
      score,
      score2,
      modalities: undefined,
      proposal: optional(iProposal),
      description: optional(iDescription),
      commit: optional(iCommit),
      timestamp: optional(iTime),
      line: lineNo,
    };
    if (iModality >= 0) {
      trial.modalities = {};
      currentAggregated = false;
      if (modality !== undefined) {
        setOwn(trial.modalities, modality, score);
        if (modality.toLowerCase() === AGGREGATE_MODALITY) currentAggregated = true;
      }
      current = trial;
    }
    trials.push(trial);
    run.trials.push(trial);
  }
  closeModalityTrial();
  for (const [rule, { count, firstUnlisted }] of reported) {
    if (count > MAX_PROBLEMS_PER_RULE) {
      problems.push(problem(file, rule, 'info', `${count - MAX_PROBLEMS_PER_RULE} more rows like this (${rule}) are not listed`, firstUnlisted, 1, 1));
    }
  }
  return { runs, trials };
}

function finish(file: string, header: string[], columns: ColumnRoles, meta: Record<string, string>, runs: Run[], trials: Trial[], problems: Finding[]): ResultsLog {
  const { direction, source } = directionFor(meta, columns.score);
  const counts = statusCounts(trials);
  let best: ResultsLog['best'];
  for (let i = 0; i < trials.length; i++) {
    const t = trials[i];
    if ((t.status === 'kept' || t.status === 'baseline') && t.score !== undefined && (best === undefined || isBetter(t.score, best.score, direction))) {
      best = { score: t.score, trial: t.index };
    }
  }
  const first = trials[0];
  const baseline = first === undefined ? undefined : first.status === 'baseline' || first.commit?.toLowerCase() === 'baseline' ? (first.score ?? first.oldScore) : first.oldScore;
  return { file, header, columns, meta, direction, directionSource: source, metric: columns.score, runs, trials, counts, baseline, best, problems };
}
