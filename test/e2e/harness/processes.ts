/**
 * Every process the suite starts is registered here and killed as a whole group on success,
 * failure, Ctrl+C or an uncaught error, so nothing outlives the run.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import * as path from 'node:path';

const groups = new Set<ChildProcess>();
const closers = new Set<() => Promise<void>>();

export function track(child: ChildProcess): void {
  groups.add(child);
  child.once('exit', () => groups.delete(child));
}

/** Async cleanups (browsers) run on a normal exit path; signals fall back to killing groups. */
export function onCleanup(close: () => Promise<void>): () => void {
  closers.add(close);
  return () => closers.delete(close);
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM, then SIGKILL after `graceMs` if the group is still there. */
export async function stopGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // Children of the group that ignored SIGTERM.
  killGroup(child, 'SIGKILL');
}

function killAll(): void {
  for (const child of groups) killGroup(child, 'SIGKILL');
}

process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.allSettled([...closers].map((c) => c())).finally(() => {
      killAll();
      process.exit(130);
    });
  });
}

/**
 * Whether a process whose command line holds this exact text is running, and, given a folder, runs
 * in it (its working directory there). Both keep another suite on the same machine from counting.
 */
export function commandLineRunning(text: string, inFolder?: string): boolean {
  const pattern = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pids = (spawnSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean);
  return pids.some((pid) => {
    if (inFolder === undefined) return true;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      return false; // it ended meanwhile
    }
    return cwd === inFolder || cwd.startsWith(inFolder + path.sep);
  });
}
