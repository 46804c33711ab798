/** What a CLI command writes to. Tests pass their own; main passes the process's. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
  /** Folder of templates/, beside the bundled cli.cjs. */
  templatesDir: string;
  signal?: AbortSignal;
}
