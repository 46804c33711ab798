/**
 * Content-addressed snapshots in `.autoexp/snapshots/<sha256>`: a file's bytes stored once however
 * many trials saw them. Written to a temporary name and renamed, so a crash never leaves half a
 * snapshot under a real hash.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ensureJournalDir } from './journal';
import { unlessMissing } from '../fsErrors';

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class SnapshotStore {
  readonly dir: string;
  constructor(root: string) {
    this.dir = path.join(ensureJournalDir(root), 'snapshots');
    mkdirSync(this.dir, { recursive: true });
  }

  put(bytes: Uint8Array): string {
    const hash = contentHash(bytes);
    const file = this.path(hash);
    if (!existsSync(file)) {
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, bytes);
      renameSync(temp, file);
    }
    return hash;
  }

  putFile(file: string): string {
    return this.put(readFileSync(file));
  }

  get(hash: string): Buffer {
    return readFileSync(this.path(hash));
  }

  has(hash: string): boolean {
    return existsSync(this.path(hash));
  }

  path(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a snapshot hash: ${hash}`);
    return path.join(this.dir, hash);
  }
}

/**
 * Puts `file` back to the snapshot's bytes, through a temporary file and a rename so the target is
 * never half-written. Returns false when it already held them.
 */
export function restoreFile(store: SnapshotStore, hash: string, file: string): boolean {
  const current = unlessMissing(() => readFileSync(file));
  if (current && contentHash(current) === hash) return false;
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.autoexp-restore`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(temp, store.get(hash));
  if (current) chmodSync(temp, statSync(file).mode);
  renameSync(temp, file);
  return true;
}
