/**
 * An error meant for the user: a single line that names the file and what is wrong. Shells print it
 * as it is (CLI: stderr and exit 1; VS Code: an error message), never with a stack.
 */
export class UserError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2 = 1) {
    super(message);
    this.name = 'UserError';
  }
}

/** One line from any thrown value, for places that must not crash on the unexpected. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split(/\r?\n/)[0];
}
