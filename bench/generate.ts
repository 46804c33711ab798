/** Generated inputs for benchmarks: deterministic, so runs compare. */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CANONICAL_HEADER } from '../src/core/packFormat';

/** A canonical-dialect log of about `bytes` bytes: runs of 50 trials, a third of them kept. */
export function generateCanonicalLog(bytes: number): string {
  const parts = [`${CANONICAL_HEADER.join('\t')}\n`];
  let size = parts[0].length;
  let score = 0.1;
  for (let i = 0; size < bytes; i++) {
    const trial = (i % 50) + 1;
    const kept = i % 3 === 0;
    const next = kept ? score + 0.0001 : score - 0.0002;
    const row = `2026-03-11T11:05:17.887045+00:00\t${trial}\t${kept ? 'kept' : 'reverted'}\t${score.toFixed(4)}\t${next.toFixed(4)}\tproposal_${i % 97}.py\tapplied proposal number ${i}\n`;
    if (kept) score = next;
    parts.push(row);
    size += row.length;
  }
  return parts.join('');
}

/**
 * `count` small valid packs under `<root>/atris/experiments`; returns the root. Each results.tsv holds
 * about `logBytes` bytes of rows (header only when 0), below validate.py's 64,000-byte limit.
 */
export function generatePackTree(root: string, count: number, logBytes = 0): string {
  const experiments = path.join(root, 'atris', 'experiments');
  const log = logBytes > 0 ? generateCanonicalLog(logBytes) : `${CANONICAL_HEADER.join('\t')}\n`;
  for (let i = 0; i < count; i++) {
    const dir = path.join(experiments, `pack-${String(i).padStart(4, '0')}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'program.md'), `Improve target number ${i}.\n`);
    writeFileSync(path.join(dir, 'measure.py'), 'import json\nprint(json.dumps({"score": 1.0}))\n');
    writeFileSync(path.join(dir, 'loop.py'), 'print("loop")\n');
    writeFileSync(path.join(dir, 'results.tsv'), log);
  }
  return root;
}
