/**
 * What can be wrong with a results log, as findings with their 1-based line and columns, and the cap
 * on how many rows of one kind are listed: past it a log is broken throughout, and one summary line
 * says how many more there are.
 */
import type { Finding, Severity } from '../findings';

/** The rule ids of the problems a log can have. */
export const RESULTS_RULES = {
  noHeader: 'results-no-header',
  raggedRow: 'results-ragged-row',
  badScore: 'results-bad-score',
  unknownStatus: 'results-unknown-status',
} as const;

/** Row problems listed per rule; past this a log is broken throughout and one summary says how many more. */
export const MAX_PROBLEMS_PER_RULE = 1000;

export function problem(file: string, rule: string, severity: Severity, message: string, line: number, column: number, endColumn: number): Finding {
  return { rule, severity, message, file, line, column, endLine: line, endColumn };
}

/** Row problems, at most MAX_PROBLEMS_PER_RULE of each rule; the rest are counted in one summary. */
export class CappedProblems {
  private readonly reported = new Map<string, { count: number; firstUnlisted: number }>();
  constructor(private readonly problems: Finding[]) {}

  report(f: Finding): void {
    const seen = this.reported.get(f.rule);
    if (seen === undefined) this.reported.set(f.rule, { count: 1, firstUnlisted: 0 });
    else if (++seen.count > MAX_PROBLEMS_PER_RULE) {
      if (seen.firstUnlisted === 0) seen.firstUnlisted = f.line;
      return;
    }
    this.problems.push(f);
  }

  /** Adds the summary of each rule that went past the cap, at the first row not listed. */
  summarise(file: string): void {
    for (const [rule, { count, firstUnlisted }] of this.reported) {
      if (count > MAX_PROBLEMS_PER_RULE) {
        this.problems.push(problem(file, rule, 'info', `${count - MAX_PROBLEMS_PER_RULE} more rows like this (${rule}) are not listed`, firstUnlisted, 1, 1));
      }
    }
  }
}
