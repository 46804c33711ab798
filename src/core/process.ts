/**
 * Child processes: started from argument arrays (never a shell string), each in its own process
 * group so a timeout or a cancel ends the whole tree, not a lone pid.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Milliseconds before the tree is killed; undefined for no limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Called once the child has a pid, so a journal can name the process group to kill after a crash. */
  onSpawn?: (pid: number) => void;
  /** Written to the child's stdin, which is then closed; without it stdin is empty. */
  input?: string;
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
  signalGroup(pid, 'SIGTERM');
  setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs).unref();
}

export async function runProcess(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const child = execa(command, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    reject: false,
    detached: true,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    encoding: 'utf8',
    stripFinalNewline: false,
    windowsHide: true,
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
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

/**
 * Whether a pid is a live process. A zombie (exited, not yet reaped: common in containers whose init
 * does not reap) counts as gone.
 */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists, it is just not ours.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    // No /proc (macOS): kill(0) is all we know.
    return true;
  }
}

/** Whether any process of a process group is still running (zombies aside). */
export function isGroupRunning(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
      } catch {
        // The process ended while we looked.
      }
    }
    return false;
  } catch {
    return true;
  }
}

/** Ends process groups and waits until they are gone: SIGTERM, then SIGKILL after `graceMs`. */
export async function endGroups(pgids: number[], graceMs = KILL_GRACE_MS): Promise<void> {
  let alive = pgids.filter(isGroupRunning);
  if (alive.length === 0) return;
  alive.forEach((pgid) => signalGroup(pgid, 'SIGTERM'));
  const deadline = performance.now() + graceMs;
  while ((alive = alive.filter(isGroupRunning)).length > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  alive.forEach((pgid) => signalGroup(pgid, 'SIGKILL'));
  while ((alive = alive.filter(isGroupRunning)).length > 0 && performance.now() < deadline + 1000) await new Promise((r) => setTimeout(r, 20));
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Gone meanwhile.
  }
}
