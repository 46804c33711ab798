/**
 * results.tsv is append-only, so its length and a hash of its bytes before a trial are enough to
 * undo a row the proposal forged: cut the file back to that length. Anything else (a row changed, the
 * file shortened or removed) puts the whole file back from a copy kept beside the journal, whatever
 * the log's size. The copy is refreshed only when the log changed since the last trial, and only by
 * the rows added when the log just grew.
 */
import { createHash, type Hash } from 'node:crypto';
import { appendFileSync, closeSync, copyFileSync, lstatSync, openSync, readSync, renameSync, rmSync, truncateSync, type BigIntStats } from 'node:fs';
import { isMissing, unlessMissing } from '../../fsErrors';

export interface AppendOnlyMark {
  size: number;
  hash: string;
  identity: string;
}

export type AppendOnlyOutcome = 'unchanged' | 'appended' | 'rewritten';

function identityOf(stat: BigIntStats | undefined): string {
  return stat ? [stat.size, stat.mtimeNs, stat.ctimeNs, stat.ino, stat.mode].join(':') : 'missing';
}

function statOf(file: string): BigIntStats | undefined {
  return unlessMissing(() => lstatSync(file, { bigint: true }));
}

/** sha256 of the first `length` bytes, not yet finalised, read in chunks: a log may be far larger than we want in memory. */
function prefixHasher(file: string, length: number): Hash | undefined {
  const hash = createHash('sha256');
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    // No bigger than the prefix: a fresh 1 MB buffer each trial cost more than hashing a small log.
    const chunk = Buffer.allocUnsafe(Math.max(1, Math.min(MAX_CHUNK, length)));
    let at = 0;
    while (at < length) {
      const read = readSync(fd, chunk, 0, Math.min(chunk.length, length - at), at);
      if (read === 0) return undefined;
      hash.update(chunk.subarray(0, read));
      at += read;
    }
    return hash;
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const MAX_CHUNK = 1 << 20;

const hexOf = (hash: Hash | undefined) => hash?.copy().digest('hex');

/** Bytes `from` to `to` of a file; undefined when it no longer holds them all. */
function bytesBetween(file: string, from: number, to: number): Buffer | undefined {
  const fd = openSync(file, 'r');
  try {
    const bytes = Buffer.allocUnsafe(to - from);
    return readSync(fd, bytes, 0, bytes.length, from) === bytes.length ? bytes : undefined;
  } finally {
    closeSync(fd);
  }
}

export class AppendOnlyFile {
  /** The last mark; when set, the copy holds exactly its `size` bytes. */
  private last?: AppendOnlyMark;

  /** `copy`: where the whole file is kept between trials, to put it back when it was rewritten. */
  constructor(
    readonly file: string,
    private readonly copy: string,
  ) {}

  mark(): AppendOnlyMark | undefined {
    // A writer during the copy changes the file's identity, and the copy is taken again, whole.
    for (let attempt = 0; attempt < 3; attempt++) {
      const stat = statOf(this.file);
      if (!stat?.isFile()) return undefined;
      const identity = identityOf(stat);
      if (this.last?.identity === identity) return this.last;
      const size = Number(stat.size);
      const hasher = this.copyUpTo(size);
      this.last = undefined; // until the copy is known to be what it should
      if (!hasher || identityOf(statOf(this.file)) !== identity) continue;
      this.last = { size, hash: hexOf(hasher)!, identity };
      return this.last;
    }
    return undefined;
  }

  /**
   * Brings the copy to the file's first `size` bytes and returns their hasher. When the file only grew
   * since the last mark, as a log does, the new rows are appended to the copy: rewriting the copy each
   * trial made ext4 flush it (its replace-on-truncate and replace-on-rename rules), a millisecond or more.
   */
  private copyUpTo(size: number): Hash | undefined {
    const last = this.last;
    if (last && size >= last.size && size - last.size <= MAX_CHUNK && statOf(this.copy)?.size === BigInt(last.size)) {
      const prefix = prefixHasher(this.file, last.size);
      const grown = prefix && hexOf(prefix) === last.hash ? bytesBetween(this.file, last.size, size) : undefined;
      if (prefix && grown) {
        appendFileSync(this.copy, grown);
        return prefix.update(grown);
      }
    }
    copyFileSync(this.file, this.copy);
    return prefixHasher(this.copy, size);
  }

  /** Whether the file may have changed since `mark` (its identity moved): what `check` would then look at. */
  moved(mark: AppendOnlyMark | undefined): boolean {
    return mark !== undefined && identityOf(statOf(this.file)) !== mark.identity;
  }

  /** Puts the file back as `mark` saw it: cut back when only appended to, else restored whole. */
  check(mark: AppendOnlyMark | undefined): AppendOnlyOutcome {
    if (!mark) return 'unchanged';
    const stat = statOf(this.file);
    if (identityOf(stat) === mark.identity) return 'unchanged';
    if (stat?.isFile() && Number(stat.size) >= mark.size && hexOf(prefixHasher(this.file, mark.size)) === mark.hash) {
      if (Number(stat.size) === mark.size) return 'unchanged';
      truncateSync(this.file, mark.size);
      return 'appended';
    }
    const temp = `${this.file}.autoexp-restore`;
    copyFileSync(this.copy, temp);
    renameSync(temp, this.file);
    return 'rewritten';
  }

  dispose(): void {
    rmSync(this.copy, { force: true });
  }
}
