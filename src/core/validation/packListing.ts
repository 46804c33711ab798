/**
 * What a validation rule sees of a pack: its entries and, on demand, a file's text. Open editors'
 * unsaved text takes precedence over the disk through `overlay`, so the language server can validate
 * as the user types.
 *
 * Synchronous, and lazy: a pack is a handful of small files, thousands of tiny async reads spend more
 * time queueing on libuv's thread pool than reading, and `autoexp validate` on a thousand packs needs
 * only what validate.py's four rules look at (no sorted listing, no proposals).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type FolderEntry, byCodePoint, entryOf, readDirents, readEntries } from '../folderEntries';

export type Overlay = (file: string) => string | undefined;

export type Entry = FolderEntry;

export interface PackListing {
  readonly dir: string;
  readonly slug: string;
  /** Entries sorted by code point, links followed; empty when the folder cannot be read. */
  readonly entries: readonly Entry[];
  /** `proposals/*.py`, as paths relative to the pack, sorted. */
  readonly proposals: readonly string[];
  /** Set when the folder itself cannot be read. */
  readonly unreadable?: string;
  /** Python's `exists()`: links followed, so a broken link is not there. */
  has(name: string): boolean;
  isFile(name: string): boolean;
  isDirectory(name: string): boolean;
  /** Byte size of a file (of the overlay's text when open). */
  size(name: string): number;
  /** Text of a file (the overlay's when open); bytes that are not UTF-8 read as U+FFFD. Throws on an unreadable file. */
  text(name: string): string;
  /** The raw bytes of a file (the overlay's text as UTF-8 when open). */
  bytes(name: string): Buffer;
  /** The first `bytes` bytes of a file (of the overlay's text when open). */
  head(name: string, bytes: number): Buffer;
  pathOf(name: string): string;
}

const UTF8 = { encoding: 'utf8' } as const;

class DiskPackListing implements PackListing {
  readonly unreadable?: string;
  /** As read: most lookups need no more than a Dirent, and a thousand packs make every object count. */
  private readonly dirents: fs.Dirent[] = [];
  /** Links, followed once each. */
  private links?: Map<string, Entry>;
  private readonly prefix: string;
  private sorted?: Entry[];
  private proposalList?: string[];
  /** Several rules read the same file (program.md, results.tsv): read it once per validation. */
  private texts?: Map<string, string>;

  constructor(
    readonly dir: string,
    readonly slug: string,
    private readonly overlay?: Overlay,
  ) {
    this.prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    try {
      this.dirents = readDirents(dir);
    } catch (err) {
      this.unreadable = (err as NodeJS.ErrnoException).code ?? String(err);
    }
  }

  get entries(): readonly Entry[] {
    return (this.sorted ??= this.dirents
      .map((d) => (d.isSymbolicLink() ? this.followed(d) : entryOf(this.dir, d)))
      .sort((a, b) => byCodePoint(a.name, b.name)));
  }

  get proposals(): readonly string[] {
    return (this.proposalList ??= this.isDirectory('proposals') ? listProposals(this.dir) : []);
  }

  /** What a link points to, looked up once. */
  private followed(d: fs.Dirent): Entry {
    this.links ??= new Map();
    let entry = this.links.get(d.name);
    if (!entry) this.links.set(d.name, (entry = entryOf(this.dir, d)));
    return entry;
  }

  /** A pack holds a few entries: a scan beats building a map for each of a thousand packs. */
  private find(name: string): fs.Dirent | undefined {
    for (const d of this.dirents) if (d.name === name) return d;
    return undefined;
  }

  has(name: string): boolean {
    const d = this.find(name);
    return d !== undefined && (!d.isSymbolicLink() || this.followed(d).exists);
  }

  isFile(name: string): boolean {
    const d = this.find(name);
    return d !== undefined && (d.isSymbolicLink() ? this.followed(d).isFile : d.isFile());
  }

  isDirectory(name: string): boolean {
    const d = this.find(name);
    return d !== undefined && (d.isSymbolicLink() ? this.followed(d).isDirectory : d.isDirectory());
  }

  /** path.join normalises on every call; the pack's own file names need none of that. */
  pathOf(name: string): string {
    return name.includes('/') ? path.join(this.dir, name) : this.prefix + name;
  }

  private opened(name: string): string | undefined {
    return this.overlay?.(this.pathOf(name));
  }

  size(name: string): number {
    const open = this.opened(name);
    return open !== undefined ? Buffer.byteLength(open, 'utf8') : fs.statSync(this.pathOf(name)).size;
  }

  text(name: string): string {
    const open = this.opened(name);
    if (open !== undefined) return open;
    this.texts ??= new Map();
    let text = this.texts.get(name);
    if (text === undefined) {
      text = fs.readFileSync(this.pathOf(name), UTF8);
      this.texts.set(name, text);
    }
    return text;
  }

  bytes(name: string): Buffer {
    const open = this.opened(name);
    return open !== undefined ? Buffer.from(open, 'utf8') : fs.readFileSync(this.pathOf(name));
  }

  head(name: string, bytes: number): Buffer {
    const open = this.opened(name);
    if (open !== undefined) return Buffer.from(open, 'utf8').subarray(0, bytes);
    const fd = fs.openSync(this.pathOf(name), 'r');
    try {
      const buf = Buffer.alloc(bytes);
      return buf.subarray(0, fs.readSync(fd, buf, 0, bytes, 0));
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** The listing of a pack folder; `slug` is its name as validate.py prints it. */
export function listPack(pack: { dir: string; slug: string }, overlay?: Overlay): PackListing {
  return new DiskPackListing(pack.dir, pack.slug, overlay);
}

function listProposals(dir: string): string[] {
  try {
    return readEntries(path.join(dir, 'proposals'))
      .filter((e) => e.isFile && e.name.endsWith('.py'))
      .map((e) => `proposals/${e.name}`)
      .sort(byCodePoint);
  } catch {
    // proposals/ is optional, and validate.py does not look into it: a folder it cannot list has none to check.
    return [];
  }
}
