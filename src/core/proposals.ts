/** A pack's proposals: the `proposals/*.py` scripts, by file name, sorted; and finding the one a user names. */
import { existsSync, promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from './errors';
import { isMissing } from './fsErrors';

export async function listProposals(packDir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(path.join(packDir, 'proposals'), { withFileTypes: true });
    return entries.filter((e) => e.isFile() && e.name.endsWith('.py')).map((e) => e.name).sort();
  } catch (err) {
    if (isMissing(err)) return []; // proposals/ is optional
    throw err;
  }
}

/**
 * The files of the named proposals. A relative name is looked for where loop.py looks first, the
 * working folder (`--proposal atris/experiments/x/proposals/p.py` from the repository root), then in
 * the pack and its proposals/ folder (`--proposal p.py`).
 */
export function resolveProposals(names: string[], where: { cwd: string; pack: string }): string[] {
  if (names.length === 0) throw new UserError(`${where.pack}: no proposal to run; name one or more (--proposal P)`, 2);
  const folders = [...new Set([where.cwd, where.pack, path.join(where.pack, 'proposals')])];
  return names.map((name) => {
    const candidates = path.isAbsolute(name) ? [name] : folders.map((folder) => path.resolve(folder, name));
    const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
    // Its name goes into a results.tsv cell as it is (loop.py does not clean it): a tab or a line break splits the row.
    if (found && /[\t\r\n]/.test(path.basename(found))) throw new UserError(`${JSON.stringify(found)}: a proposal's file name cannot hold a tab or a line break (it would split its row in results.tsv); rename it`);
    if (found) return found;
    const looked = path.isAbsolute(name) ? '' : ` (looked in ${folders.join(', ')})`;
    throw new UserError(`${name}: proposal not found${looked}`);
  });
}
