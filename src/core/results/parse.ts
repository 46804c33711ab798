/**
 * The results log parser: every dialect real loops write (see test/fixtures/real-logs/README.md),
 * columns found by name, never by position. Pure (no fs) and total: it never throws, and what is wrong
 * with a row comes back as a problem with its 1-based line and column.
 *
 * This file reads the comment lines and the header and sums the log up; ./rows.ts reads the rows, with
 * ./lexing.ts's primitives, which keep parsing linear in the text.
 */
import type { Finding } from '../findings';
import { CANONICAL_HEADER } from '../packFormat';
import { METRIC_SAMPLE_ROWS, directionFor, findRoles, isBetter, looksLikeHeader } from './columns';
import { LineCursor } from './lexing';
import { problem, RESULTS_RULES } from './logProblems';
import type { ColumnRoles, ResultsLog, Run, Trial } from './model';
import { RowReader } from './rows';
import { statusCounts } from '../summary';

export { MAX_PROBLEMS_PER_RULE, RESULTS_RULES } from './logProblems';
export { AGGREGATE_MODALITY } from './modalities';

const META_LINE = /^#\s*([A-Za-z0-9_.-]+)\s*:\s*(.*?)\s*$/;

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
  const rows = new RowReader(text, file, header.length, roles, index, dataFrom, problems);
  rows.read(dataLineBefore);
  return finish(file, header, roles, meta, rows.runs, rows.trials, problems);
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
