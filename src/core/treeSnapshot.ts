/**
 * A folder's files and folders by their stat signature, read without git. Whether an agent changed
 * anything in its sandbox then costs one walk of lstat calls instead of a `git status`, whose process
 * start alone costs more than walking a tree of a few thousand files. A write, a rename or a new link
 * always moves a file's ctime, which no process can set back, so a changed signature is a changed file.
 */
import { lstatSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { isMissing, unlessMissing } from './fsErrors';

/** Relative path to signature: `dir` for a folder, inode, size and times for anything else. */
export type TreeSnapshot = Map<string, string>;

const FOLDER = 'dir';

/** A file's (or link's) signature; undefined when it is not there. */
export function fileSignature(file: string): string | undefined {
  const st = unlessMissing(() => lstatSync(file));
  return st && `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

/** `snapshot`, when given, gets the entries instead of a new map; `prefix` goes before every path (a subfolder's). */
export function snapshotTree(root: string, skip: (rel: string) => boolean, prefix = '', snapshot: TreeSnapshot = new Map()): TreeSnapshot {
  walk(root, prefix, skip, snapshot, Infinity);
  return snapshot;
}

/** snapshotTree(), or undefined as soon as it holds more than `limit` entries: past that size a walk stops paying. */
export function snapshotTreeUpTo(root: string, skip: (rel: string) => boolean, limit: number): TreeSnapshot | undefined {
  const snapshot: TreeSnapshot = new Map();
  return walk(root, '', skip, snapshot, limit) ? snapshot : undefined;
}

/** False when it stopped at `limit`. */
function walk(dir: string, under: string, skip: (rel: string) => boolean, snapshot: TreeSnapshot, limit: number): boolean {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return true; // removed while we looked: what the next look sees
    throw err;
  }
  for (const entry of entries) {
    const rel = under + entry.name;
    if (skip(rel)) continue;
    if (entry.isDirectory()) {
      snapshot.set(rel, FOLDER);
      if (!walk(path.join(dir, entry.name), rel + path.sep, skip, snapshot, limit)) return false;
    } else {
      const signature = fileSignature(path.join(dir, entry.name));
      if (signature !== undefined) snapshot.set(rel, signature);
    }
    if (snapshot.size > limit) return false;
  }
  return true;
}

/** Paths whose signature differs, that appeared or that went away; with `filesOnly`, folders are left out. */
export function changedSince(before: TreeSnapshot, after: TreeSnapshot, filesOnly = false): string[] {
  const changed = new Set<string>();
  const note = (rel: string, a: string | undefined, b: string | undefined) => {
    if (a === b) return;
    if (filesOnly && (a ?? FOLDER) === FOLDER && (b ?? FOLDER) === FOLDER) return;
    changed.add(rel);
  };
  for (const [rel, sig] of before) note(rel, sig, after.get(rel));
  for (const [rel, sig] of after) if (!before.has(rel)) note(rel, undefined, sig);
  return [...changed].sort();
}
