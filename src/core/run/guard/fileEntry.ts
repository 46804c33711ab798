/**
 * One path as the guard saw it: what kind of thing, its identity on disk, and a snapshot of its bytes
 * (a link's target for a symbolic link) so it can be put back. Two sightings with the same identity
 * (size, mtime, ctime, inode, mode) are the same bytes without reading them again: a write always
 * moves ctime, and ctime cannot be set back by a process.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync, type BigIntStats } from 'node:fs';
import * as path from 'node:path';
import type { SnapshotStore } from '../snapshots';
import { errorCode, isMissing, unlessMissing } from '../../fsErrors';

/** Files above this are watched by identity only: a change is seen but cannot be undone. */
export const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

export interface Entry {
  kind: 'file' | 'symlink' | 'other';
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
  mode: number;
  /** Snapshot of the bytes (or the link's target); absent for folders and files too large to keep. */
  hash?: string;
}

function kindOf(stat: BigIntStats): Entry['kind'] {
  if (stat.isFile()) return 'file';
  if (stat.isSymbolicLink()) return 'symlink';
  return 'other';
}

function lstat(file: string): BigIntStats | undefined {
  return unlessMissing(() => lstatSync(file, { bigint: true }));
}

function sameIdentity(a: Entry, stat: BigIntStats): boolean {
  return a.kind === kindOf(stat) && a.size === Number(stat.size) && a.mtimeNs === stat.mtimeNs && a.ctimeNs === stat.ctimeNs && a.ino === stat.ino && a.mode === Number(stat.mode);
}

function snapshot(store: SnapshotStore, file: string, kind: Entry['kind'], size: number): string | undefined {
  try {
    if (kind === 'symlink') return store.put(Buffer.from(readlinkSync(file)));
    if (kind === 'file' && size <= MAX_SNAPSHOT_BYTES) return store.put(readFileSync(file));
  } catch (err) {
    // Gone or unreadable since the stat: seen, not kept.
    if (!isMissing(err) && errorCode(err) !== 'EACCES') throw err;
  }
  return undefined;
}

/** The path now; undefined when nothing is there. `previous` is reused when its identity still holds. */
export function captureEntry(store: SnapshotStore, file: string, previous?: Entry): Entry | undefined {
  const stat = lstat(file);
  if (!stat) return undefined;
  if (previous && sameIdentity(previous, stat)) return previous;
  const kind = kindOf(stat);
  const size = Number(stat.size);
  return { kind, size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs, ino: stat.ino, mode: Number(stat.mode), hash: snapshot(store, file, kind, size) };
}

/** Whether the path still holds what `before` saw (both absent counts as unchanged). */
export function unchanged(store: SnapshotStore, file: string, before: Entry | undefined): boolean {
  const stat = lstat(file);
  if (!before || !stat) return !before && !stat;
  if (sameIdentity(before, stat)) return true;
  if (before.kind !== kindOf(stat) || before.hash === undefined || before.kind === 'other') return false;
  if (before.kind === 'file' && before.size !== Number(stat.size)) return false;
  // Same kind and size, new identity: the bytes decide (a rewrite with the same content is no change).
  const now = captureEntry(store, file);
  return now?.hash === before.hash && (now.mode & 0o777) === (before.mode & 0o777);
}

/**
 * Puts the path back as `before` saw it: rewritten, relinked, or removed when it was not there.
 * Returns false when that cannot be done (a folder, or a file too large to have been kept).
 */
export function putBack(store: SnapshotStore, file: string, before: Entry | undefined): boolean {
  if (!before) {
    const stat = lstat(file);
    if (stat?.isDirectory()) return false;
    rmSync(file, { force: true });
    return true;
  }
  if (before.hash === undefined || before.kind === 'other') return false;
  const stat = lstat(file);
  if (stat?.isDirectory()) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  // Through a temporary name and a rename: the file is never half-written.
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.autoexp-restore`);
  rmSync(temp, { force: true });
  if (before.kind === 'symlink') symlinkSync(store.get(before.hash).toString(), temp);
  else {
    writeFileSync(temp, store.get(before.hash));
    chmodSync(temp, before.mode & 0o7777);
  }
  renameSync(temp, file);
  return true;
}

/** Every file under `dir` (links included, never followed); `skipDir` leaves folders out by name. */
export function listFiles(dir: string, skipDir: (name: string) => boolean = () => false, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    // Gone, or a folder no one but its owner may list: nothing in it can be listed, as git finds too.
    if (isMissing(err) || errorCode(err) === 'EACCES') return out;
    throw err;
  }
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    if (!entry.isDirectory()) out.push(file);
    else if (!skipDir(entry.name)) listFiles(file, skipDir, out);
  }
  return out;
}
