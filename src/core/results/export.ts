/** The parsed log in other shapes: JSON for machines, CSV and Markdown tables for people. */
import type { Finding } from '../findings';
import { isBetter } from './columns';
import type { ColumnRoles, Direction, ResultsLog, StatusCounts, Trial, TrialStatus } from './model';

/**
 * The best kept (or baseline) score up to and including each trial, in file order and the log's
 * direction, starting from the log's baseline: the step line of the chart and the "best so far"
 * column. Reverted, error and unknown-status trials never move it. Undefined until there is a score.
 */
export function runningBest(log: ResultsLog): Array<number | undefined> {
  let best = log.baseline;
  const out = new Array<number | undefined>(log.trials.length);
  for (let i = 0; i < log.trials.length; i++) {
    const t = log.trials[i];
    if ((t.status === 'kept' || t.status === 'baseline') && t.score !== undefined && (best === undefined || isBetter(t.score, best, log.direction))) {
      best = t.score;
    }
    out[i] = best;
  }
  return out;
}

export interface TrialJson {
  index: number;
  run: number;
  number: number;
  status?: TrialStatus;
  statusWord: string;
  oldScore?: number;
  score?: number;
  score2?: number;
  bestSoFar?: number;
  modalities?: Record<string, number | null>;
  proposal?: string;
  description?: string;
  commit?: string;
  timestamp?: string;
  line: number;
}

export interface ResultsJson {
  file: string;
  header: string[];
  columns: ColumnRoles;
  meta: Record<string, string>;
  /** null, not absent, when the log has no score column or no score yet: a reader finds every key. */
  metric: string | null;
  direction: Direction;
  directionSource: ResultsLog['directionSource'];
  baseline: number | null;
  best: { score: number; trial: number } | null;
  counts: StatusCounts;
  runs: Array<{ index: number; id: string; trials: TrialJson[] }>;
  problems: Finding[];
}

/** Copies the keys whose value is not undefined, so the object reads the same before and after JSON. */
function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * A plain object (JSON-safe: no undefined values; a modality without a score is null) with the log's
 * summary and its runs of trials, each trial with its running `bestSoFar`.
 */
export function toJson(log: ResultsLog): ResultsJson {
  const best = runningBest(log);
  const trial = (t: Trial): TrialJson => {
    let modalities: Record<string, number | null> | undefined;
    if (t.modalities) {
      modalities = {};
      for (const [k, v] of Object.entries(t.modalities)) modalities[k] = v ?? null;
    }
    return defined({
      index: t.index,
      run: t.run,
      number: t.number,
      status: t.status,
      statusWord: t.statusWord,
      oldScore: t.oldScore,
      score: t.score,
      score2: t.score2,
      bestSoFar: best[t.index],
      modalities,
      proposal: t.proposal,
      description: t.description,
      commit: t.commit,
      timestamp: t.timestamp,
      line: t.line,
    });
  };
  return defined({
    file: log.file,
    header: [...log.header],
    columns: defined({ ...log.columns }),
    meta: { ...log.meta },
    metric: log.metric ?? null,
    direction: log.direction,
    directionSource: log.directionSource,
    baseline: log.baseline ?? null,
    best: log.best ? { ...log.best } : null,
    counts: { ...log.counts },
    runs: log.runs.map((r) => ({ index: r.index, id: r.id, trials: r.trials.map(trial) })),
    problems: log.problems.map((p) => ({ ...p })),
  });
}

/** The columns of the CSV and Markdown tables. */
export const TABLE_COLUMNS = ['run', 'trial', 'status', 'status word', 'old score', 'score', 'best so far', 'proposal', 'description'] as const;

/** One row of cells per trial. A log with commits and no proposals (karpathy/autoresearch) shows the commit as the proposal. */
export function tableRows(log: ResultsLog): string[][] {
  const best = runningBest(log);
  const num = (n: number | undefined) => (n === undefined ? '' : String(n));
  return log.trials.map((t) => [
    log.runs[t.run]?.id ?? '',
    String(t.number),
    t.status ?? '',
    t.statusWord,
    num(t.oldScore),
    num(t.score),
    num(best[t.index]),
    t.proposal ?? t.commit ?? '',
    t.description ?? '',
  ]);
}

/** RFC 4180: a cell holding a comma, a double quote or a line break is quoted, its quotes doubled. */
export function csvCell(cell: string): string {
  for (let i = 0; i < cell.length; i++) {
    const c = cell.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13) return `"${cell.replaceAll('"', '""')}"`;
  }
  return cell;
}

/** The trial table as RFC 4180 CSV: a header record, CRLF after every record. */
export function toCsv(log: ResultsLog): string {
  let out = `${TABLE_COLUMNS.map(csvCell).join(',')}\r\n`;
  for (const row of tableRows(log)) out += `${row.map(csvCell).join(',')}\r\n`;
  return out;
}

/** A Markdown (GFM) table cell: backslashes and pipes escaped, line breaks as `<br>`. */
export function markdownCell(cell: string): string {
  return cell.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r\n|\r|\n/g, '<br>');
}

/** The trial table as a GitHub-flavoured Markdown table. */
export function toMarkdown(log: ResultsLog): string {
  const lines = [`| ${TABLE_COLUMNS.join(' | ')} |`, `|${TABLE_COLUMNS.map(() => ' --- |').join('')}`];
  for (const row of tableRows(log)) lines.push(`| ${row.map(markdownCell).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}
