/** results.tsv is append-only for real: what was committed must still be there, byte for byte. */
import type { Finding } from '../findings';
import { committedText } from '../gitHistory';
import type { PackListing } from './packListing';

export const APPEND_ONLY_RULE = 'results-append-only';

function lines(text: string): string[] {
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
}

/**
 * The first committed row (1-based line) that `now` no longer holds as it was, or undefined when `now`
 * only adds to `before`.
 */
export function firstRewrittenLine(before: string, now: string): { line: number; removed: boolean } | undefined {
  if (now.startsWith(before)) return undefined;
  const old = lines(before);
  const cur = lines(now);
  for (let i = 0; i < old.length; i++) {
    if (i >= cur.length) return { line: i + 1, removed: true };
    // A last committed line without its newline may since have been completed: that is an append.
    const completed = i === old.length - 1 && !before.endsWith('\n') && cur[i].startsWith(old[i]);
    if (old[i] !== cur[i] && !completed) return { line: i + 1, removed: false };
  }
  return undefined;
}

export async function checkAppendOnly(pack: PackListing): Promise<Finding[]> {
  if (!pack.isFile('results.tsv')) return [];
  const file = pack.pathOf('results.tsv');
  const before = await committedText(file);
  if (before === undefined) return [];
  const now = pack.text('results.tsv');
  const changed = firstRewrittenLine(before, now);
  if (!changed) return [];
  const verb = changed.removed ? 'removed' : 'changed';
  const rows = now.split('\n');
  const line = Math.max(1, Math.min(changed.line, rows.length));
  return [
    {
      rule: APPEND_ONLY_RULE,
      severity: 'error',
      message: `${pack.slug}: results.tsv is append-only: row ${changed.line} was ${verb} since the last commit`,
      file,
      line,
      column: 1,
      endLine: line,
      endColumn: rows[line - 1].replace(/\r$/, '').length + 1,
    },
  ];
}
