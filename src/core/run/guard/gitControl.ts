/**
 * The parts of `.git` that decide what the repository does and shows: HEAD, config, refs (loose and
 * packed), hooks, info/ (exclude, attributes, sparse-checkout) and the index. Objects are left out:
 * new objects change nothing until a ref or the index points at them. Files are compared by identity
 * first, so an untouched `.git` costs one lstat per file.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SnapshotStore } from '../snapshots';
import { captureEntry, listFiles, unchanged, type Entry } from './fileEntry';
import { indexDigest } from './gitIndex';
import { unlessMissing } from '../../fsErrors';

export interface GitDirs {
  /** This worktree's git folder (HEAD, index). */
  gitDir: string;
  /** The folder shared by all worktrees (config, refs, hooks). */
  commonDir: string;
  /** Bytes in an object id: 20 for sha1, 32 for sha256. */
  oidBytes: number;
}

export type ControlEntry = Entry & { digest?: string };
export type ControlState = Map<string, ControlEntry>;

/** The files of `.git` that decide what the repository does and what `git status` shows. */
export function controlFiles(dirs: GitDirs): string[] {
  const files = [path.join(dirs.gitDir, 'HEAD'), path.join(dirs.gitDir, 'index'), path.join(dirs.gitDir, 'config.worktree')];
  for (const name of ['config', 'packed-refs', 'config.worktree']) files.push(path.join(dirs.commonDir, name));
  for (const dir of ['refs', 'hooks', 'info']) listFiles(path.join(dirs.commonDir, dir), undefined, files);
  return [...new Set(files)];
}

const isIndex = (dirs: GitDirs, file: string) => file === path.join(dirs.gitDir, 'index');

export function captureControl(store: SnapshotStore, dirs: GitDirs, previous?: ControlState): ControlState {
  const state: ControlState = new Map();
  for (const file of controlFiles(dirs)) {
    const known = previous?.get(file);
    const entry: ControlEntry | undefined = captureEntry(store, file, known);
    if (!entry) continue;
    if (isIndex(dirs, file)) state.set(file, entry === known ? known : { ...entry, digest: digestOf(file, dirs) });
    else state.set(file, entry);
  }
  return state;
}

function digestOf(file: string, dirs: GitDirs): string | undefined {
  const bytes = unlessMissing(() => readFileSync(file));
  return bytes === undefined ? undefined : indexDigest(bytes, dirs.oidBytes);
}

/** Control files that differ from `before`: changed, new or gone. The index counts only when what it stages changed. */
export function changedControl(store: SnapshotStore, dirs: GitDirs, before: ControlState): string[] {
  const now = new Set(controlFiles(dirs));
  const changed: string[] = [];
  for (const file of new Set([...before.keys(), ...now])) {
    const entry = before.get(file);
    if (unchanged(store, file, entry)) continue;
    if (entry && isIndex(dirs, file) && now.has(file) && digestOf(file, dirs) === entry.digest) continue;
    changed.push(file);
  }
  return changed.sort();
}
