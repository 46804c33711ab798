/** A pack's proposals: the `proposals/*.py` scripts, by file name, sorted. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export async function listProposals(packDir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(path.join(packDir, 'proposals'), { withFileTypes: true });
    return entries.filter((e) => e.isFile() && e.name.endsWith('.py')).map((e) => e.name).sort();
  } catch {
    return [];
  }
}
