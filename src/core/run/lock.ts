/**
 * One run per pack: `.autoexp/locks/<slug>-<hash>.lock` holds the running process's pid and start
 * time. A lock whose process is gone was left by a crash and is taken over, also when its pid now
 * belongs to some later, unrelated process. The key is the pack's real path, so a pack named through a
 * symbolic link is still the same pack.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors';
import { isSameProcess, processStartTime } from '../processTable';
import { realPath } from '../realPath';
import { ensureJournalDir, journalDir } from './journal';
import { parseJsonAs } from '../parseJson';
import { isMissing } from '../fsErrors';

const LockFile = z.object({ pid: z.number().int(), startTime: z.number().int().optional(), run: z.string(), pack: z.string(), startedAt: z.string() });
export type LockInfo = z.infer<typeof LockFile>;

/** Where the pack's lock lives; only naming it, so a read (heldLock) creates nothing. */
export function lockPath(root: string, packDir: string): string {
  const real = realPath(packDir);
  const key = createHash('sha1').update(real).digest('hex').slice(0, 10);
  return path.join(journalDir(root), 'locks', `${path.basename(real)}-${key}.lock`);
}

/**
 * The lock in that file; undefined when there is none, or when it is not a lock (a writer between
 * creating it and writing it, a hand edit): both mean no run holds it. Any other failure to read it
 * (permissions) is thrown, since guessing "free" could start a second run on the pack.
 */
export function readLock(file: string): LockInfo | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
  return parseJsonAs(LockFile, text);
}

/** The live lock on a pack, if a run holds one. */
export function heldLock(root: string, packDir: string): LockInfo | undefined {
  const info = readLock(lockPath(root, packDir));
  return info && isHolderAlive(info) ? info : undefined;
}

/** The run that wrote the lock is still running: its pid is alive and started when the lock says. */
function isHolderAlive(info: LockInfo): boolean {
  return isSameProcess({ pid: info.pid, startTime: info.startTime });
}

export interface PackLock {
  info: LockInfo;
  /** Set when a dead run's lock was taken over. */
  tookOverFrom?: LockInfo;
  release(): void;
}

export function acquireLock(root: string, packDir: string, run: string): PackLock {
  ensureJournalDir(root);
  const file = lockPath(root, packDir);
  mkdirSync(path.dirname(file), { recursive: true });
  const info: LockInfo = { pid: process.pid, startTime: processStartTime(process.pid), run, pack: realPath(packDir), startedAt: new Date().toISOString() };
  let tookOverFrom: LockInfo | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(file);
      if (holder && isHolderAlive(holder)) {
        throw new UserError(`${path.basename(packDir)} is already running (run ${holder.run}, pid ${holder.pid}, since ${holder.startedAt}); stop that run first`);
      }
      tookOverFrom = holder;
      unlinkSync(file);
      continue;
    }
    writeSync(fd, JSON.stringify(info));
    closeSync(fd);
    return {
      info,
      tookOverFrom,
      release: () => {
        if (readLock(file)?.run === run) unlinkSync(file);
      },
    };
  }
  throw new UserError(`${file}: could not take the run lock; another run is starting on this pack`);
}
