/**
 * What the system says about other processes: alive or not, when each started, its group, its
 * environment. A pid alone names a process only until it is reused, so every record of a process a
 * run started pairs the pid with its start time (field 22 of /proc/<pid>/stat, clock ticks since
 * boot), and nothing is killed unless both still match. Without /proc (macOS) the start time is
 * unknown and a pid is all there is.
 */
import { readdirSync, readFileSync, statSync, type BigIntStats } from 'node:fs';
import { errorCode, isGone, isMissing } from './fsErrors';

/** A process as a journal or a lock records it. */
export interface ProcessId {
  pid: number;
  /** Clock ticks after boot at which it started; undefined where /proc is missing. */
  startTime?: number;
}

interface Stat {
  state: string;
  pgid: number;
  startTime: number;
}

function readStat(pid: number | string): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    // The process is gone (or there is no /proc: not Linux).
    if (isMissing(err) || isGone(err)) return undefined;
    throw err;
  }
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], pgid: Number(fields[2]), startTime: Number(fields[19]) };
}

/** Running, not a zombie (exited, not yet reaped: common in containers whose init does not reap). */
function isAlive(stat: Stat | undefined): stat is Stat {
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

const hasProc = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    // Whatever the reason, there is no /proc to read here (not Linux, or a sandbox without it).
    return false;
  }
})();

export function processStartTime(pid: number): number | undefined {
  return readStat(pid)?.startTime;
}

/** The pid with its start time, as a record of it should hold. */
export function identify(pid: number): ProcessId {
  return { pid, startTime: processStartTime(pid) };
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
  if (!hasProc) return true;
  const stat = readStat(pid);
  return isAlive(stat);
}

/** Whether the recorded process is still the one running under its pid (not a later one that reused it). */
export function isSameProcess(id: ProcessId): boolean {
  if (!isProcessRunning(id.pid)) return false;
  if (id.startTime === undefined) return true;
  const now = processStartTime(id.pid);
  return now === undefined || now === id.startTime;
}

/** Whether any process of a process group is still running (zombies aside). */
export function isGroupRunning(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    // EPERM: the group id is now another user's, so none of our processes is left in it.
    if (isGone(err) || errorCode(err) === 'EPERM') return false;
    throw err;
  }
  if (!hasProc) return true;
  return livePids().some((pid) => {
    const stat = readStat(pid);
    return isAlive(stat) && stat.pgid === pgid;
  });
}

function livePids(): number[] {
  try {
    return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number);
  } catch (err) {
    if (isMissing(err)) return []; // not Linux
    throw err;
  }
}

/**
 * Live processes whose environment holds exactly `name=value`: every process a run started carries
 * its run's id this way, even one that left the run's process groups. A process can only read the
 * environment of its own user's processes, which is all a run can have started.
 */
export function processesWithEnv(name: string, value: string): number[] {
  const entry = Buffer.from(`\0${name}=${value}\0`);
  const found: number[] = [];
  for (const pid of livePids()) {
    if (pid === process.pid) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${pid}/environ`);
    } catch (err) {
      // Gone since the listing, or another user's process: not one of the run's.
      if (isMissing(err) || isGone(err) || errorCode(err) === 'EACCES') continue;
      throw err;
    }
    // A leading NUL so the first variable matches like the others.
    if (Buffer.concat([Buffer.from([0]), environ]).includes(entry) && isProcessRunning(pid)) found.push(pid);
  }
  return found;
}

/**
 * Live processes other than this one that started at or after `startedAfter` (clock ticks after boot)
 * and hold `file` open for writing. A fork holds its parent's descriptors until it execs (they are
 * close-on-exec): so a copy of a run's process caught between fork and exec, which has the run's
 * environment without the run's id, is found by the file the run holds open. Such a copy is never
 * older than the run and holds the file as the run opened it, for writing; a reader (a backup, a
 * `tail`) is left alone. The file is compared by device and inode, whatever path or mount opened it.
 * Finds nothing without /proc.
 */
export function processesWriting(file: string, startedAfter?: number): number[] {
  let target: BigIntStats;
  try {
    target = statSync(file, { bigint: true });
  } catch (err) {
    if (isMissing(err)) return []; // nothing can hold what is not there
    throw err;
  }
  const found: number[] = [];
  for (const pid of livePids()) {
    if (pid === process.pid) continue;
    const stat = readStat(pid);
    if (!isAlive(stat) || (startedAfter !== undefined && stat.startTime < startedAfter)) continue;
    if (descriptorsOf(pid).some((fd) => isSameFile(`/proc/${pid}/fd/${fd}`, target) && isOpenForWriting(pid, fd))) found.push(pid);
  }
  return found;
}

/*
 * The three helpers below read another process's descriptors, which may close, or the process end,
 * between any two reads; and a process of another user's cannot be read at all. Each such failure
 * means "not this one": a best-effort look must not stop a recovery.
 */

function descriptorsOf(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
}

function isSameFile(descriptor: string, target: BigIntStats): boolean {
  try {
    const s = statSync(descriptor, { bigint: true });
    return s.ino === target.ino && s.dev === target.dev;
  } catch {
    return false;
  }
}

function isOpenForWriting(pid: number, fd: string): boolean {
  try {
    const flags = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
    // The access mode is the low two bits: O_WRONLY 1, O_RDWR 2.
    return flags !== null && (parseInt(flags[1], 8) & 3) !== 0;
  } catch {
    return false;
  }
}
