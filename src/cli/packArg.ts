/** A PACK argument: a folder that holds at least one of the required files. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../core/errors';
import { holdsRequiredFile } from '../core/discovery';
import { REQUIRED_FILES } from '../core/packFormat';

export async function packFolder(cwd: string, arg: string): Promise<string> {
  const dir = path.resolve(cwd, arg);
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch (err) {
    throw new UserError(`${dir}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : `cannot read (${(err as NodeJS.ErrnoException).code})`}`);
  }
  if (!stat.isDirectory()) throw new UserError(`${dir}: not a folder; PACK is a pack folder such as atris/experiments/<slug>`);
  if (!holdsRequiredFile(dir)) throw new UserError(`${dir}: not a pack (it holds none of ${REQUIRED_FILES.join(', ')})`);
  return dir;
}
