/**
 * Appending a trial to a pack's results.tsv in the dialect the log already speaks: its own header,
 * its own status words. A missing or empty log gets the canonical header. Every write is one whole
 * row appended; nothing already in the file is ever rewritten.
 */
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { CANONICAL_HEADER } from '../packFormat';
import { findRoles, normaliseStatus } from '../results/columns';
import type { ColumnRoles, Direction, TrialStatus } from '../results/model';
import { parseResults } from '../results/parse';

export interface RowValues {
  trial: number;
  status: Exclude<TrialStatus, 'baseline'>;
  oldScore?: number;
  newScore?: number;
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
}

const DEFAULT_WORDS: LogDialect['words'] = { kept: 'kept', reverted: 'reverted', error: 'error' };

export function readDialect(file: string): LogDialect {
  const text = existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8') : '';
  const lines = lineCount(text);
  if (!text.trim()) {
    const { roles } = findRoles(CANONICAL_HEADER, () => []);
    return { header: CANONICAL_HEADER, roles, words: { ...DEFAULT_WORDS }, needsHeader: true, needsNewline: text.length > 0 && !text.endsWith('\n'), lines };
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
    return { header: CANONICAL_HEADER, roles, words, needsHeader: true, needsNewline: !text.endsWith('\n'), lines };
  }
  return { header: log.header, roles: log.columns, words, direction: log.directionSource === 'default' ? undefined : log.direction, needsHeader: false, needsNewline: !text.endsWith('\n'), lines };
}

/** Lines as an editor numbers them: a last line without its newline still counts. */
export function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n + (text.length > 0 && !text.endsWith('\n') ? 1 : 0);
}

/** lineCount of a file; 0 when it cannot be read. */
export function fileLineCount(file: string): number {
  try {
    return lineCount(readFileSync(file, 'utf8'));
  } catch {
    return 0;
  }
}

/** A cell can hold neither a tab nor a line break: they would split the row. */
function cell(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ').trim();
}

export function formatScore(score: number | undefined): string {
  return score === undefined ? '' : score.toFixed(4);
}

export function formatRow(dialect: LogDialect, values: RowValues, now = new Date()): string {
  const byRole: Partial<Record<keyof ColumnRoles, string>> = {
    timestamp: now.toISOString(),
    run: values.run ?? '',
    trial: String(values.trial),
    modality: 'aggregate',
    status: dialect.words[values.status],
    oldScore: formatScore(values.oldScore),
    score: formatScore(values.newScore),
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
  let text = '';
  let line = dialect.lines;
  if (dialect.needsHeader) {
    // A header after an unterminated last line goes on a line of its own.
    text += `${dialect.needsNewline ? '\n' : ''}${dialect.header.join('\t')}\n`;
    line += 1;
  } else if (dialect.needsNewline) {
    text += '\n';
  }
  text += `${formatRow(dialect, values)}\n`;
  appendFileSync(file, text);
  dialect.needsHeader = false;
  dialect.needsNewline = false;
  dialect.lines = line + 1;
  return dialect.lines;
}
