/**
 * Rows of results.tsv and the journal's trials they belong to. The pack engine learns what loop.py
 * decided this way as it runs, and so does the next start for a trial whose run was killed after its
 * row was written: the row decides what stays.
 */
import { readFileSync } from 'node:fs';
import { normaliseStatus } from '../results/columns';
import type { Trial } from '../results/model';
import { parseResults } from '../results/parse';
import type { TrialRecord } from './journal';
import { isMissing } from '../fsErrors';

/** The log's trial rows below line `after` (1-based; the header is line 1). */
export function rowsAfter(resultsFile: string, after: number): Trial[] {
  let text: string;
  try {
    text = readFileSync(resultsFile, 'utf8');
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
  return parseResults(text, resultsFile).trials.filter((t) => t.line > after);
}

/**
 * Pairs rows with open trials, in order: by proposal name when the log has one, else the oldest open
 * trial. Stops at the first row with no trial left for it.
 */
export function pairRows(rows: Trial[], open: TrialRecord[]): Array<{ trial: TrialRecord; row: Trial }> {
  const left = [...open];
  const pairs: Array<{ trial: TrialRecord; row: Trial }> = [];
  for (const row of rows) {
    const i = row.proposal ? left.findIndex((t) => t.proposal === row.proposal) : 0;
    const trial = left[i >= 0 ? i : 0];
    if (!trial) break;
    left.splice(left.indexOf(trial), 1);
    pairs.push({ trial, row });
  }
  return pairs;
}

/** What a row says happened: kept, reverted, or else an error with the row's own words for it. */
export function rowDecision(row: Trial): { status: 'kept' | 'reverted' | 'error'; reason?: string } {
  const normalised = row.status ?? normaliseStatus(row.statusWord);
  if (normalised === 'kept' || normalised === 'reverted') return { status: normalised };
  return { status: 'error', reason: row.description || row.statusWord || 'error' };
}
