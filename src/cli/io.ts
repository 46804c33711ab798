/** What a CLI command writes to. Tests pass their own; main passes the process's. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** Raw output of child processes, passed through as it comes; `out` line by line when absent. */
  write?(chunk: string): void;
  cwd: string;
  /** Folder of templates/, beside the bundled cli.cjs. */
  templatesDir: string;
  signal?: AbortSignal;
  /** ANSI colours on stdout (a terminal that wants them); plain text when absent. */
  color?: boolean;
}
