/**
 * What a proposal may not do: change files other than the bounded target. The state of the pack
 * folder (recursively) and of the target's own folder (its files only: it may be a repository root)
 * is taken before and after; anything else that changed is put back.
 */
import { lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { restoreFile, type SnapshotStore } from './snapshots';

/** Python's bytecode caches and tool folders change on their own; they are not the proposal's doing. */
const IGNORED_DIRS = new Set(['__pycache__', '.git', 'node_modules', '.autoexp', '.venv', '.mypy_cache', '.pytest_cache']);
/** Files above this are compared by size and time only and cannot be restored. */
export const MAX_TRACKED_BYTES = 16 * 1024 * 1024;

export interface FileEntry {
  hash?: string;
  size: number;
  mtimeNs: bigint;
}

export type FolderState = Map<string, FileEntry>;

/** `previous`: an earlier state whose entries are reused for files with the same size and mtime. */
export function captureState(store: SnapshotStore, packDir: string, targetFile: string, previous?: FolderState): FolderState {
  const state: FolderState = new Map();
  walk(packDir, true, state, store, previous);
  const targetDir = path.dirname(targetFile);
  if (!isInside(targetDir, packDir)) walk(targetDir, false, state, store, previous);
  return state;
}

function walk(dir: string, recursive: boolean, state: FolderState, store: SnapshotStore, previous: FolderState | undefined): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive && !IGNORED_DIRS.has(entry.name)) walk(file, true, state, store, previous);
      continue;
    }
    if (!entry.isFile() || entry.name.endsWith('.pyc') || entry.name.endsWith('.autoexp-restore')) continue;
    const stat = lstatSync(file, { bigint: true });
    const known = previous?.get(file);
    if (known && known.size === Number(stat.size) && known.mtimeNs === stat.mtimeNs) {
      state.set(file, known);
      continue;
    }
    state.set(file, {
      size: Number(stat.size),
      mtimeNs: stat.mtimeNs,
      hash: stat.size <= MAX_TRACKED_BYTES ? store.put(readFileSync(file)) : undefined,
    });
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function same(a: FileEntry, b: FileEntry): boolean {
  return a.hash !== undefined || b.hash !== undefined ? a.hash === b.hash : a.size === b.size && a.mtimeNs === b.mtimeNs;
}

/** Files that differ between two states, other than `except` (the target, when it may change). Sorted, absolute. */
export function changedFiles(before: FolderState, after: FolderState, except?: string): string[] {
  const changed = new Set<string>();
  for (const [file, entry] of before) {
    const now = after.get(file);
    if (!now || !same(entry, now)) changed.add(file);
  }
  for (const file of after.keys()) if (!before.has(file)) changed.add(file);
  if (except) changed.delete(path.resolve(except));
  return [...changed].sort();
}

/** Puts the listed files back as they were in `before`: rewritten, recreated, or removed if new. */
export function restoreFiles(store: SnapshotStore, before: FolderState, files: string[]): string[] {
  const unrestorable: string[] = [];
  for (const file of files) {
    const entry = before.get(file);
    if (!entry) rmSync(file, { force: true });
    else if (entry.hash) restoreFile(store, entry.hash, file);
    else unrestorable.push(file);
  }
  return unrestorable;
}
