/**
 * The parsed shape of a results.tsv, whatever dialect wrote it.
 * See test/fixtures/real-logs/README.md for the dialects this must read.
 */
import type { Finding } from '../findings';

/** Normalised status. The word the log used is kept beside it in `statusWord`. */
export type TrialStatus = 'kept' | 'reverted' | 'error' | 'baseline';

export type Direction = 'higher' | 'lower';

/** Where a log's column roles were found; each is a header name, or undefined when absent. */
export interface ColumnRoles {
  timestamp?: string;
  run?: string;
  trial?: string;
  modality?: string;
  status?: string;
  oldScore?: string;
  /** The score a trial reached: new_score, score, metric, metric_1 or a named metric such as val_bpb. */
  score?: string;
  /** The second metric of a two-metric log (metric_2). */
  score2?: string;
  proposal?: string;
  description?: string;
  commit?: string;
}

export interface Trial {
  /** 0-based position across the whole log, in file order. */
  index: number;
  /** 0-based index of the run this trial belongs to. */
  run: number;
  /** The trial number the log wrote (trial or iteration column), else the 1-based position in its run. */
  number: number;
  status: TrialStatus | undefined;
  /** The status word exactly as written (`keep`, `discard`, `crash`, `reverted`, ...). */
  statusWord: string;
  oldScore?: number;
  /**
   * The trial's score (the aggregate modality's when a log has modalities). Undefined when the cell is
   * empty, not a number, or a crash row's placeholder.
   */
  score?: number;
  score2?: number;
  /** Score per modality, for logs with a modality column. */
  modalities?: Record<string, number | undefined>;
  proposal?: string;
  description?: string;
  commit?: string;
  timestamp?: string;
  /** 1-based line of the trial's first row in the file. */
  line: number;
}

export interface Run {
  index: number;
  /** The run column's value, or `run N` (1-based) when runs are found by a restarting trial number. */
  id: string;
  trials: Trial[];
}

export interface StatusCounts {
  kept: number;
  reverted: number;
  error: number;
  baseline: number;
  unknown: number;
}

export interface ResultsLog {
  file: string;
  header: string[];
  columns: ColumnRoles;
  /** `# key: value` lines before the header. */
  meta: Record<string, string>;
  direction: Direction;
  /** Why the direction is what it is: `meta`, `metric-name`, or `default`. */
  directionSource: 'meta' | 'metric-name' | 'default';
  /** The header name of the score column, when there is one. */
  metric?: string;
  runs: Run[];
  trials: Trial[];
  counts: StatusCounts;
  baseline?: number;
  best?: { score: number; trial: number };
  problems: Finding[];
}
