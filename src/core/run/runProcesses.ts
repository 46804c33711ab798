/**
 * A run's processes die with it. Every process a run starts carries the run's id in its environment
 * (AUTOEXP_RUN_ID, inherited by all it starts in turn) and is recorded in the journal with its start
 * time. A watchdog (./watchdogSource.ts) kills them all if the run's own process dies, even by
 * kill -9; the run kills any left at its end; and the next start kills those of a dead run before it
 * restores anything (./recovery.ts).
 *
 * A child is tagged only once it has exec'd: between fork and exec it is a copy of the run's process,
 * with that process's environment. A run killed in that moment (spawning blocks until the exec)
 * leaves such a copy, which execs a moment later, tagged but unrecorded. The run therefore holds a
 * file of its own open for writing (`run-<id>.held`), which the copy holds too until its exec, and
 * recovery kills the copies that hold it. The watchdog needs no such file: the copy holds the
 * watchdog's pipe open as well, so the watchdog reads its end of file only as the copy execs, and
 * its first look, milliseconds later in Python, finds the copy tagged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { signalGroup } from '../process';
import { identify, isGroupRunning, isProcessRunning, isSameProcess, processesWithEnv, processesWriting, type ProcessId } from '../processTable';
import { journalDir, type Journal } from './journal';
import { WATCHDOG_SOURCE } from './watchdogSource';
import { isGone } from '../fsErrors';

export const RUN_ID_VAR = 'AUTOEXP_RUN_ID';

/** How long a dead run's processes may take to die before recovery goes on regardless. */
const KILL_LIMIT_MS = 3000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A recorded group is the run's while its leader is gone (the group id cannot be reused while any of it lives) or still the same process. */
function isRunsGroup(leader: ProcessId): boolean {
  return !isProcessRunning(leader.pid) || isSameProcess(leader);
}

/** The file a run holds open while it runs, in the repository's `.autoexp` folder. */
export function heldFileOf(root: string, run: string): string {
  return path.join(journalDir(root), `run-${run}.held`);
}

/** Where to look for copies of a dead run's process: the file it held, and when it started. */
export interface RunCopies {
  heldFile: string;
  /** The run's process's start (clock ticks after boot); a copy of it started no earlier. */
  startTime?: number;
}

/**
 * Kills every live process of a run: those carrying its id, the recorded groups that are still its
 * own, and, for a run that is dead, the copies of its process that still hold its file. Waits until
 * they are gone. Returns how many were killed.
 */
export function killRunProcesses(run: string, groups: ProcessId[], copies?: RunCopies): number {
  const killed = new Set<number>();
  const deadline = performance.now() + KILL_LIMIT_MS;
  let quietLooks = 0;
  for (;;) {
    // The copies first: one that execs between the two looks has the run's id by the second.
    const found = [...(copies ? processesWriting(copies.heldFile, copies.startTime) : []), ...processesWithEnv(RUN_ID_VAR, run)];
    const live = groups.filter((g) => isRunsGroup(g) && isGroupRunning(g.pid));
    if (found.length === 0 && live.length === 0) {
      // Exec closes the file a moment before the new environment can be read: a copy in that moment
      // is in neither look, so with copies to find, nothing is taken as gone until two looks agree.
      if (!copies || ++quietLooks === 2) return killed.size;
    } else quietLooks = 0;
    if (performance.now() > deadline) return killed.size;
    for (const g of live) {
      signalGroup(g.pid, 'SIGKILL');
      killed.add(g.pid);
    }
    for (const pid of found) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.add(pid);
      } catch (err) {
        if (!isGone(err)) throw err; // gone meanwhile
      }
    }
    sleepSync(10);
  }
}

/** The processes of the run going on in this process. */
export class RunProcesses {
  /** To add to every child's environment. */
  readonly env: Record<string, string>;
  private readonly groups: ProcessId[] = [];
  private readonly watchdog: ChildProcess | undefined;
  private readonly heldFile: string;
  private readonly held: number | undefined;
  private closed = false;

  constructor(
    private readonly journal: Journal,
    private readonly run: string,
    python: string,
  ) {
    this.env = { [RUN_ID_VAR]: run };
    // Before the first child: every copy of this process between its fork and its exec holds it. A
    // file that cannot be made leaves the run without that one look, as a watchdog that cannot start does.
    this.heldFile = heldFileOf(journal.root, run);
    try {
      this.held = openSync(this.heldFile, 'w');
    } catch {
      this.held = undefined;
    }
    try {
      this.watchdog = spawn(python, ['-I', '-S', '-c', WATCHDOG_SOURCE, RUN_ID_VAR, run], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
      // A watchdog that cannot start leaves the next start's recovery as the safety net.
      this.watchdog.on('error', () => undefined);
      this.watchdog.stdin?.on('error', () => undefined);
      this.watchdog.unref();
      (this.watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    } catch {
      // As above: no watchdog, and the next start's recovery is the safety net.
      this.watchdog = undefined;
    }
  }

  /** Records a process group the run started: in the journal, for the next start, and with the watchdog. */
  readonly track = (pid: number): void => {
    const id = identify(pid);
    this.groups.push(id);
    this.journal.append({ type: 'process', run: this.run, pid, startTime: id.startTime });
    this.tell({ group: pid, start: id.startTime ?? null });
  };

  /** A temporary folder the watchdog removes if the run dies before it does. */
  removeIfKilled(folder: string): void {
    this.tell({ folder });
  }

  /** Kills whatever of the run is still running. */
  killStrays(): number {
    return killRunProcesses(this.run, this.groups);
  }

  /** The run is over: nothing of it may outlive it, and the watchdog can go. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.killStrays();
      this.tell({ end: true });
      this.watchdog?.stdin?.end();
    } finally {
      // Whatever failed above, the run writes its end next, and then no recovery would remove it.
      if (this.held !== undefined) closeSync(this.held);
      rmSync(this.heldFile, { force: true });
    }
  }

  private tell(message: object): void {
    if (this.watchdog?.stdin?.writable) this.watchdog.stdin.write(`${JSON.stringify(message)}\n`);
  }
}
