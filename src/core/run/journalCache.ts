/**
 * The run journal as the tree and the diffs read it: one read per journal file change, however many
 * packs share it.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { JOURNAL_FILE, journalDir, journalRoot, readJournal, runsOfPack, type JournalContents, type RunRecord } from './journal';

const cache = new Map<string, { stamp: string; contents: JournalContents }>();

function stampOf(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'none';
  }
}

export function journalOf(root: string): JournalContents {
  const stamp = stampOf(path.join(journalDir(root), JOURNAL_FILE));
  const hit = cache.get(root);
  if (hit && hit.stamp === stamp) return hit.contents;
  const contents = readJournal(root);
  cache.set(root, { stamp, contents });
  return contents;
}

export function journalRunsOf(packDir: string): RunRecord[] {
  return runsOfPack(journalOf(journalRoot(packDir)), packDir);
}
