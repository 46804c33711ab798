/**
 * results.tsv is append-only, so its length and a hash of its bytes before a trial are enough to
 * undo a row the proposal forged: cut the file back to that length. Anything else (a row changed, the
 * file shortened or removed) puts the whole file back from a copy kept beside the journal, whatever
 * the log's size. The copy is refreshed only when the log changed since the last trial.
 */
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, lstatSync, openSync, readSync, renameSync, rmSync, truncateSync, type BigIntStats } from 'node:fs';
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

/** sha256 of the first `length` bytes, read in chunks: a log may be far larger than we want in memory. */
function prefixHash(file: string, length: number): string | undefined {
  const hash = createHash('sha256');
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const chunk = Buffer.alloc(1 << 20);
    let at = 0;
    while (at < length) {
      const read = readSync(fd, chunk, 0, Math.min(chunk.length, length - at), at);
      if (read === 0) return undefined;
      hash.update(chunk.subarray(0, read));
      at += read;
    }
    return hash.digest('hex');
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export class AppendOnlyFile {
  private last?: AppendOnlyMark;

  /** `copy`: where the whole file is kept between trials, to put it back when it was rewritten. */
  constructor(
    readonly file: string,
    private readonly copy: string,
  ) {}

  mark(): AppendOnlyMark | undefined {
    // Copied first, then the copy hashed: one read of a log that may be large. A writer during the
    // copy changes the file's identity, and the copy is taken again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const stat = statOf(this.file);
      if (!stat?.isFile()) return undefined;
      const identity = identityOf(stat);
      if (this.last?.identity === identity) return this.last;
      const temp = `${this.copy}.tmp`;
      copyFileSync(this.file, temp);
      if (identityOf(statOf(this.file)) !== identity) continue;
      const hash = prefixHash(temp, Number(stat.size));
      if (hash === undefined) continue;
      renameSync(temp, this.copy);
      this.last = { size: Number(stat.size), hash, identity };
      return this.last;
    }
    return undefined;
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
    if (stat?.isFile() && Number(stat.size) >= mark.size && prefixHash(this.file, mark.size) === mark.hash) {
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
    rmSync(`${this.copy}.tmp`, { force: true });
  }
}
