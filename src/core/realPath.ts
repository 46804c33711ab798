/**
 * The real path of a file or folder: symbolic links resolved, so one pack reached through two names
 * is still one pack to the lock, the journal and recovery. A path that does not exist (yet) is only
 * made absolute.
 */
import { realpathSync } from 'node:fs';
import * as path from 'node:path';

export function realPath(file: string): string {
  const absolute = path.resolve(file);
  try {
    return realpathSync.native(absolute);
  } catch {
    return absolute;
  }
}
