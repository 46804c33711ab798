/** Which Python runs pack scripts: the configured one, else python3, else python. */
import { runProcess } from './process';

export interface PythonChoice {
  command: string;
  /** Where the choice came from, for messages and the log. */
  source: 'configured' | 'default';
}

export class PythonNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PythonNotFoundError';
  }
}

const DEFAULT_CANDIDATES = ['python3', 'python'];
const probeCache = new Map<string, Promise<boolean>>();

/** True when `command` starts and is a Python 3. Cached: probing costs a process start. */
export function probePython(command: string): Promise<boolean> {
  let probe = probeCache.get(command);
  if (!probe) {
    probe = runProcess(command, ['-c', 'import sys; print(sys.version_info[0])'], { cwd: process.cwd(), timeoutMs: 15_000 }).then(
      (r) => r.exitCode === 0 && r.stdout.trim() === '3',
    );
    probeCache.set(command, probe);
  }
  return probe;
}

/**
 * `configured` is the `autoexp.pythonPath` setting, the Python extension's interpreter or `--python`;
 * empty means "find one". A configured interpreter that does not start is an error, never skipped.
 */
export async function resolvePython(configured?: string): Promise<PythonChoice> {
  const wanted = configured?.trim();
  if (wanted) {
    if (await probePython(wanted)) return { command: wanted, source: 'configured' };
    throw new PythonNotFoundError(`${wanted}: this Python does not start (check autoexp.pythonPath or --python)`);
  }
  for (const candidate of DEFAULT_CANDIDATES) {
    if (await probePython(candidate)) return { command: candidate, source: 'default' };
  }
  throw new PythonNotFoundError(
    `no Python found: tried ${DEFAULT_CANDIDATES.join(', ')}; install Python 3 or set autoexp.pythonPath (CLI: --python)`,
  );
}
