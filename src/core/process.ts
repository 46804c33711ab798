/**
 * Child processes: started from argument arrays (never a shell string), each in its own process
 * group so a timeout or a cancel ends the whole tree, not a lone pid. A process's tree ends with it:
 * when it exits, whatever it left running in its group is killed, and a pipe some other process still
 * holds is not waited on.
 */
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { isGroupRunning } from './processTable';
import { isGone } from './fsErrors';

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
  /** The last OUTPUT_KEPT characters of each stream; all of it was read and passed to onStdout/onStderr. */
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
/** How much of each output stream a result keeps: enough for any last line a caller reads. */
export const OUTPUT_KEPT = 1024 * 1024;
/** After the tree is gone, how long a pipe held by some escaped process may stay open. */
const PIPE_GRACE_MS = 100;

/** The process groups running now, so a second Ctrl+C can end them all at once. */
const liveGroups = new Set<number>();

/** Ends every process tree this process started that is still running, without a grace period. */
export function killAllTreesNow(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if (!isGone(err)) throw err; // gone meanwhile is what a group that ended on its own looks like
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Kills what is left of a group and waits until it is gone (a zombie counts as gone). */
async function endGroup(pgid: number, limitMs = 2000): Promise<void> {
  signalGroup(pgid, 'SIGKILL');
  const deadline = performance.now() + limitMs;
  while (isGroupRunning(pgid) && performance.now() < deadline) await delay(10);
}

/** Keeps the last `limit` characters of a stream read in chunks. */
class Tail {
  private text = '';
  constructor(private readonly limit = OUTPUT_KEPT) {}
  add(chunk: string): void {
    this.text += chunk;
    if (this.text.length > 2 * this.limit) this.text = this.text.slice(-this.limit);
  }
  toString(): string {
    return this.text.length > this.limit ? this.text.slice(-this.limit) : this.text;
  }
}

/** Reads a stream to its end, whatever its size: keeps the tail, hands every chunk on. Resolves at its end. */
function drain(stream: Readable | null, tail: Tail, forward?: (chunk: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    tail.add(chunk);
    forward?.(chunk);
  });
  return new Promise((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
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
    // Read here, not buffered by execa: its buffer limit ends the stream early and the child dies of a broken pipe.
    buffer: false,
    windowsHide: true,
  });
  const pgid = child.pid;
  if (pgid !== undefined) {
    liveGroups.add(pgid);
    options.onSpawn?.(pgid);
  }
  const stdout = new Tail();
  const stderr = new Tail();
  const outputDone = Promise.all([drain(child.stdout, stdout, options.onStdout), drain(child.stderr, stderr, options.onStderr)]);
  let timedOut = false;
  let cancelled = false;
  let forceKill: NodeJS.Timeout | undefined;
  const stop = () => {
    if (pgid === undefined || forceKill) return;
    signalGroup(pgid, 'SIGTERM');
    forceKill = setTimeout(() => signalGroup(pgid, 'SIGKILL'), KILL_GRACE_MS);
  };
  const timer =
    options.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs)
      : undefined;
  const onAbort = () => {
    cancelled = true;
    stop();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  // The child itself has exited: end the rest of its group, then stop waiting for a pipe an escaped
  // process may hold open. Its output up to here has been read.
  const treeGone = new Promise<void>((resolve) => {
    if (pgid === undefined) return resolve();
    child.once('exit', () => {
      void endGroup(pgid).then(async () => {
        // The grace timer is cleared once the output is done: left armed, it held the process open at its end.
        let grace: NodeJS.Timeout | undefined;
        await Promise.race([outputDone, new Promise((r) => (grace = setTimeout(r, PIPE_GRACE_MS)))]);
        clearTimeout(grace);
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolve();
      });
    });
  });
  const [result] = await Promise.all([child, treeGone, outputDone]);
  if (timer) clearTimeout(timer);
  if (forceKill) clearTimeout(forceKill);
  if (pgid !== undefined) liveGroups.delete(pgid);
  options.signal?.removeEventListener('abort', onAbort);
  const spawnError =
    result.failed && result.exitCode === undefined && !result.isTerminated && !timedOut && !cancelled
      ? (result.cause as NodeJS.ErrnoException | undefined)?.code ?? result.shortMessage
      : undefined;
  return {
    command,
    args,
    exitCode: result.exitCode,
    stdout: stdout.toString(),
    stderr: stderr.toString(),
    timedOut,
    cancelled,
    spawnError,
    durationMs: performance.now() - started,
  };
}
