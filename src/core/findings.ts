/**
 * A finding is one thing wrong with a pack or a log. Every shell renders the same objects:
 * the CLI as reference lines or JSON, the language server as diagnostics.
 * Lines and columns are 1-based, as people count them (LSP shells subtract one).
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable id such as `slug`, `missing-file`, `results-ragged-row`. */
  rule: string;
  severity: Severity;
  /** The sentence a user reads. For reference rules it is validate.py's wording after `<name>: `. */
  message: string;
  /** Absolute path of the file the finding points into (or the pack folder). */
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}
