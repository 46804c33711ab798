/**
 * Child processes: started from argument arrays (never a shell string), each in its own process
 * group so a timeout or a cancel ends the whole tree, not a lone pid.
 */
import { execa } from 'execa';

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Milliseconds before the tree is killed; undefined for no limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

export interface RunResult {
  command: string;
  args: string[];
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the program could not start at all (ENOENT, EACCES...). */
  spawnError?: string;
  durationMs: number;
}

/** How long a tree gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 1000;

export function killTree(pid: number | undefined, graceMs = KILL_GRACE_MS): void {
  if (pid === undefined) return;
  const send = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // The group is already gone.
    }
  };
  send('SIGTERM');
  setTimeout(() => send('SIGKILL'), graceMs).unref();
}

export async function runProcess(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const child = execa(command, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    reject: false,
    detached: true,
    stdin: 'ignore',
    encoding: 'utf8',
    stripFinalNewline: false,
    windowsHide: true,
  });
  let timedOut = false;
  let cancelled = false;
  const timer =
    options.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          killTree(child.pid);
        }, options.timeoutMs)
      : undefined;
  const onAbort = () => {
    cancelled = true;
    killTree(child.pid);
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.onStdout) child.stdout?.on('data', (d: Buffer | string) => options.onStdout!(d.toString()));
  if (options.onStderr) child.stderr?.on('data', (d: Buffer | string) => options.onStderr!(d.toString()));

  const result = await child;
  if (timer) clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  const spawnError =
    result.failed && result.exitCode === undefined && !result.isTerminated && !timedOut && !cancelled
      ? (result.cause as NodeJS.ErrnoException | undefined)?.code ?? result.shortMessage
      : undefined;
  return {
    command,
    args,
    exitCode: result.exitCode,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    timedOut,
    cancelled,
    spawnError,
    durationMs: performance.now() - started,
  };
}
