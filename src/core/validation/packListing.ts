/**
 * What a validation rule sees of a pack: its entries and, on demand, a file's text. Open editors'
 * unsaved text takes precedence over the disk through `overlay`, so the language server can validate
 * as the user types.
 *
 * The reads are synchronous behind an async API on purpose: a pack is a handful of small files, and
 * thousands of tiny async reads spend more time queueing on libuv's thread pool than reading.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type FolderEntry, readEntries } from '../folderEntries';

export type Overlay = (file: string) => string | undefined;

export type Entry = FolderEntry;

export interface PackListing {
  dir: string;
  slug: string;
  /** Entries sorted by code point, links followed; empty when the folder cannot be read. */
  entries: Entry[];
  /** `proposals/*.py`, as paths relative to the pack, sorted. */
  proposals: string[];
  /** Set when the folder itself cannot be read. */
  unreadable?: string;
  /** Python's `exists()`: links followed, so a broken link is not there. */
  has(name: string): boolean;
  isFile(name: string): boolean;
  isDirectory(name: string): boolean;
  /** Byte size of a file (of the overlay's text when open). */
  size(name: string): Promise<number>;
  /** Text of a file (the overlay's when open); bytes that are not UTF-8 read as U+FFFD. Throws on an unreadable file. */
  text(name: string): Promise<string>;
  /** The raw bytes of a file (the overlay's text as UTF-8 when open). */
  bytes(name: string): Promise<Buffer>;
  /** The first `bytes` bytes of a file (of the overlay's text when open). */
  head(name: string, bytes: number): Promise<Buffer>;
  pathOf(name: string): string;
}

export async function listPack(dir: string, overlay: Overlay = () => undefined): Promise<PackListing> {
  let entries: Entry[] = [];
  let unreadable: string | undefined;
  try {
    entries = readEntries(dir);
  } catch (err) {
    unreadable = (err as NodeJS.ErrnoException).code ?? String(err);
  }
  const byName = new Map(entries.map((e) => [e.name, e]));
  const proposals = byName.get('proposals')?.isDirectory ? listProposals(dir) : [];
  const pathOf = (name: string) => path.join(dir, name);
  const texts = new Map<string, string>();
  return {
    dir,
    slug: path.basename(dir),
    entries,
    proposals,
    unreadable,
    has: (name) => byName.get(name)?.exists ?? false,
    isFile: (name) => byName.get(name)?.isFile ?? false,
    isDirectory: (name) => byName.get(name)?.isDirectory ?? false,
    pathOf,
    async size(name) {
      const open = overlay(pathOf(name));
      if (open !== undefined) return Buffer.byteLength(open, 'utf8');
      return fs.statSync(pathOf(name)).size;
    },
    async text(name) {
      const open = overlay(pathOf(name));
      if (open !== undefined) return open;
      // Several rules read the same file (program.md, results.tsv): read it once per validation.
      let text = texts.get(name);
      if (text === undefined) {
        text = fs.readFileSync(pathOf(name), 'utf8');
        texts.set(name, text);
      }
      return text;
    },
    async bytes(name) {
      const open = overlay(pathOf(name));
      return open !== undefined ? Buffer.from(open, 'utf8') : fs.readFileSync(pathOf(name));
    },
    async head(name, bytes) {
      const open = overlay(pathOf(name));
      if (open !== undefined) return Buffer.from(open, 'utf8').subarray(0, bytes);
      const fd = fs.openSync(pathOf(name), 'r');
      try {
        const buf = Buffer.alloc(bytes);
        return buf.subarray(0, fs.readSync(fd, buf, 0, bytes, 0));
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}

function listProposals(dir: string): string[] {
  try {
    return readEntries(path.join(dir, 'proposals'))
      .filter((e) => e.isFile && e.name.endsWith('.py'))
      .map((e) => `proposals/${e.name}`);
  } catch {
    return [];
  }
}
