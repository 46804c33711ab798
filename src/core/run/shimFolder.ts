/**
 * The pack engine's temporary folder of shims. Its name carries the pid and start time of the process
 * that made it, so a later start can tell the folders of runs killed with kill -9 (which never
 * cleaned up) from those of runs still going, and remove only the former.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { identify, isSameProcess } from '../processTable';
import { errorCode, isMissing } from '../fsErrors';

const PREFIX = 'autoexp-shims-';
const NAME = /^autoexp-shims-(\d+)-(\d+)-/;

export function makeShimFolder(): string {
  const me = identify(process.pid);
  return mkdtempSync(path.join(tmpdir(), `${PREFIX}${me.pid}-${me.startTime ?? 0}-`));
}

/** Removes the shim folders whose process is gone; returns them. */
export function removeDeadShimFolders(): string[] {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir());
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const owner = NAME.exec(entry);
    if (!owner || isSameProcess({ pid: Number(owner[1]), startTime: Number(owner[2]) || undefined })) continue;
    const folder = path.join(tmpdir(), entry);
    try {
      rmSync(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch (err) {
      // Another user's, or being removed by the dead run's watchdog right now: not ours to fight over.
      if (!['EACCES', 'EPERM', 'ENOTEMPTY', 'EBUSY'].includes(errorCode(err) ?? '')) throw err;
    }
  }
  return removed;
}
