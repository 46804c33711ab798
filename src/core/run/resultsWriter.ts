/**
 * Appending a trial to a pack's results.tsv in the dialect the log already speaks: its own header,
 * its own status words, line ending, timestamp form and digits (./rowStyle.ts). A missing or empty
 * log gets the canonical header. Every write is one whole row appended; nothing already in the file
 * is ever rewritten.
 */
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { CANONICAL_HEADER } from '../packFormat';
import { findRoles, normaliseStatus } from '../results/columns';
import type { ColumnRoles, Direction, ResultsLog, TrialStatus } from '../results/model';
import { parseResults } from '../results/parse';
import { CANONICAL_NUMBERS, CANONICAL_TIMESTAMP, epochMicros, formatNumber, formatTimestamp, lineEnding, numberStyle, timestampStyle, type RowStyle } from './rowStyle';
import { unlessMissing } from '../fsErrors';

export interface RowValues {
  trial: number;
  status: Exclude<TrialStatus, 'baseline'>;
  oldScore?: number;
  newScore?: number;
  /** The second metric, for a log with a metric_2 column. */
  score2?: number;
  proposal: string;
  description: string;
  run?: string;
}

export interface LogDialect {
  header: string[];
  roles: ColumnRoles;
  /** The status word this log uses for each outcome. */
  words: Record<RowValues['status'], string>;
  direction?: Direction;
  /** The header must be written before the first row. */
  needsHeader: boolean;
  /** The file does not end with a newline: a row must start with one. */
  needsNewline: boolean;
  /** Lines the file holds now, so an appended row knows its line number. */
  lines: number;
  style: RowStyle;
}

const DEFAULT_WORDS: LogDialect['words'] = { kept: 'kept', reverted: 'reverted', error: 'error' };

export function readDialect(file: string): LogDialect {
  const text = existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8') : '';
  const lines = lineCount(text);
  const canonical: RowStyle = { eol: lineEnding(text), timestamp: CANONICAL_TIMESTAMP, numbers: CANONICAL_NUMBERS };
  if (!text.trim()) {
    const { roles } = findRoles(CANONICAL_HEADER, () => []);
    return { header: CANONICAL_HEADER, roles, words: { ...DEFAULT_WORDS }, needsHeader: true, needsNewline: text.length > 0 && !text.endsWith('\n'), lines, style: canonical };
  }
  const log = parseResults(text, file);
  const words = { ...DEFAULT_WORDS };
  // The first word the log used for each outcome, so `keep`/`discard`/`crash` logs stay that way.
  for (const trial of log.trials) {
    const status = trial.status;
    if (status && status !== 'baseline' && words[status] === DEFAULT_WORDS[status] && normaliseStatus(trial.statusWord) === status) {
      words[status] = trial.statusWord;
    }
  }
  if (log.header.length === 0) {
    const { roles } = findRoles(CANONICAL_HEADER, () => []);
    return { header: CANONICAL_HEADER, roles, words, needsHeader: true, needsNewline: !text.endsWith('\n'), lines, style: canonical };
  }
  return { header: log.header, roles: log.columns, words, direction: log.directionSource === 'default' ? undefined : log.direction, needsHeader: false, needsNewline: !text.endsWith('\n'), lines, style: learntStyle(text, log, canonical) };
}

/** Rows looked at to learn a log's forms: the latest, since a log's writer may have changed over time. */
const STYLE_SAMPLE_ROWS = 20;

/** The timestamp form of the latest stamped row and the digits of the latest score cells, where the log has them. */
function learntStyle(text: string, log: ResultsLog, fallback: RowStyle): RowStyle {
  const recent = log.trials.slice(-STYLE_SAMPLE_ROWS);
  const stamp = [...recent].reverse().find((t) => t.timestamp !== undefined)?.timestamp;
  const columns = [log.columns.oldScore, log.columns.score].filter((c) => c !== undefined).map((c) => log.header.indexOf(c));
  const rows = text.split('\n');
  const cells = recent.flatMap((t) => {
    const row = rows[t.line - 1]?.replace(/\r$/, '').split('\t') ?? [];
    return columns.map((i) => row[i] ?? '');
  });
  return {
    eol: fallback.eol,
    timestamp: (stamp && timestampStyle(stamp)) || fallback.timestamp,
    numbers: numberStyle(cells) ?? fallback.numbers,
  };
}

/** Lines as an editor numbers them: a last line without its newline still counts. */
export function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n + (text.length > 0 && !text.endsWith('\n') ? 1 : 0);
}

/** lineCount of a file; 0 when there is none yet. */
export function fileLineCount(file: string): number {
  const text = unlessMissing(() => readFileSync(file, 'utf8'));
  return text === undefined ? 0 : lineCount(text);
}

/** A cell can hold neither a tab nor a line break: they would split the row. */
function cell(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ').trim();
}

export function formatScore(score: number | undefined): string {
  return score === undefined ? '' : score.toFixed(4);
}

/** One row, without its line ending; `micros` is the time since the epoch in microseconds. */
export function formatRow(dialect: LogDialect, values: RowValues, micros = epochMicros()): string {
  const { timestamp, numbers } = dialect.style;
  const byRole: Partial<Record<keyof ColumnRoles, string>> = {
    timestamp: formatTimestamp(timestamp, micros),
    run: values.run ?? '',
    trial: String(values.trial),
    modality: 'aggregate',
    status: dialect.words[values.status],
    oldScore: formatNumber(numbers, values.oldScore),
    score: formatNumber(numbers, values.newScore),
    score2: formatNumber(numbers, values.score2),
    proposal: values.proposal,
    description: values.description,
  };
  const roleOf = new Map<string, keyof ColumnRoles>();
  for (const [role, name] of Object.entries(dialect.roles) as Array<[keyof ColumnRoles, string | undefined]>) if (name) roleOf.set(name, role);
  return dialect.header
    .map((name) => {
      const role = roleOf.get(name);
      return cell(role ? byRole[role] ?? '' : '');
    })
    .join('\t');
}

/** Appends one row (and the header first, for a new log) in a single write; returns the row's line. */
export function appendRow(file: string, dialect: LogDialect, values: RowValues): number {
  const { eol } = dialect.style;
  let text = '';
  let line = dialect.lines;
  if (dialect.needsHeader) {
    // A header after an unterminated last line goes on a line of its own.
    text += `${dialect.needsNewline ? eol : ''}${dialect.header.join('\t')}${eol}`;
    line += 1;
  } else if (dialect.needsNewline) {
    text += eol;
  }
  text += `${formatRow(dialect, values)}${eol}`;
  appendFileSync(file, text);
  dialect.needsHeader = false;
  dialect.needsNewline = false;
  dialect.lines = line + 1;
  return dialect.lines;
}
