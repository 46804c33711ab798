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

export type Overlay = (file: string) => string | undefined;

export interface Entry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}

export interface PackListing {
  dir: string;
  slug: string;
  /** Entries sorted by name; empty when the folder cannot be read. */
  entries: Entry[];
  /** `proposals/*.py`, as paths relative to the pack, sorted. */
  proposals: string[];
  /** Set when the folder itself cannot be read. */
  unreadable?: string;
  has(name: string): boolean;
  isFile(name: string): boolean;
  /** Byte size of a file (of the overlay's text when open). */
  size(name: string): Promise<number>;
  /** Text of a file (the overlay's when open). Throws on an unreadable file. */
  text(name: string): Promise<string>;
  /** The first `bytes` bytes of a file (of the overlay's text when open). */
  head(name: string, bytes: number): Promise<Buffer>;
  pathOf(name: string): string;
}

export async function listPack(dir: string, overlay: Overlay = () => undefined): Promise<PackListing> {
  let entries: Entry[] = [];
  let unreadable: string | undefined;
  try {
    entries = fs
      .readdirSync(dir, { withFileTypes: true })
      .map((e) => ({ name: e.name, isFile: e.isFile(), isDirectory: e.isDirectory() }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
    has: (name) => byName.has(name),
    isFile: (name) => byName.get(name)?.isFile ?? false,
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
    const names = fs.readdirSync(path.join(dir, 'proposals'), { withFileTypes: true });
    return names
      .filter((e) => e.isFile() && e.name.endsWith('.py'))
      .map((e) => `proposals/${e.name}`)
      .sort();
  } catch {
    return [];
  }
}
