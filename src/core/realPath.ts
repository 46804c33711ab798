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
    // Not there yet, a link loop, a folder we may not search: named as given, so it still compares equal to itself.
    return absolute;
  }
}
