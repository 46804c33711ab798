/**
 * A folder's entries as Python's pathlib sees them, so our verdicts match validate.py's: `exists()`,
 * `is_dir()` and `is_file()` follow symbolic links, so a linked pack folder is a folder, a linked
 * program.md is a file, and a broken link does not exist.
 *
 * Synchronous on purpose: a folder listing is one system call plus a stat per link, and thousands of
 * tiny async calls spend more time queueing on libuv's thread pool than working.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FolderEntry {
  name: string;
  /** False for a broken (or looping) link. */
  exists: boolean;
  isFile: boolean;
  isDirectory: boolean;
}

/**
 * Python sorts strings by code point. JavaScript's `<` compares UTF-16 code units, which puts an astral
 * character (a surrogate pair, 0xD800-0xDFFF) before U+E000-U+FFFF; moving surrogates above that range
 * at the first differing unit gives code point order.
 */
export function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** Where a link points: its kind, or that it leads nowhere. */
function followLink(file: string): FolderEntry {
  const name = path.basename(file);
  try {
    const stat = fs.statSync(file, NO_THROW);
    if (stat) return { name, exists: true, isFile: stat.isFile(), isDirectory: stat.isDirectory() };
  } catch {
    // A looping link: pathlib's exists() says False too. (On EACCES validate.py would crash; "does
    // not exist" is the nearest honest answer.)
  }
  return { name, exists: false, isFile: false, isDirectory: false };
}

// Option objects made once: fs builds a fresh one for every call given a string or nothing.
const NO_THROW = { throwIfNoEntry: false } as const;
const WITH_TYPES = { withFileTypes: true } as const;

/** The raw entries of `dir` (links not followed), in the file system's order. Throws when `dir` cannot be read. */
export function readDirents(dir: string): fs.Dirent[] {
  return fs.readdirSync(dir, WITH_TYPES);
}

/** One entry of `dir` as pathlib sees it: a link is what it points to. */
export function entryOf(dir: string, e: fs.Dirent): FolderEntry {
  return e.isSymbolicLink()
    ? followLink(path.join(dir, e.name))
    : { name: e.name, exists: true, isFile: e.isFile(), isDirectory: e.isDirectory() };
}

/** The entries of `dir`, links followed, in the file system's order. Throws when `dir` cannot be read. */
export function readEntries(dir: string): FolderEntry[] {
  return readDirents(dir).map((e) => entryOf(dir, e));
}

/** The sub-folders of `dir` (links to folders included), sorted by code point; none when unreadable. */
export function readFolders(dir: string): string[] {
  try {
    return readEntries(dir)
      .filter((e) => e.isDirectory)
      .map((e) => e.name)
      .sort(byCodePoint);
  } catch {
    return [];
  }
}
