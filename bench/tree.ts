/**
 * Tree figures: what the Experiments view computes for a workspace of 500 packs (every pack's node,
 * as when the view opens), and for a pack with a 10,000-row log (its Runs, then its largest run's
 * trials, as when they are expanded). The VS Code side adds only the rendering of visible rows.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { packsToValidate } from '../src/core/discovery';
import { loadPackInfo } from '../src/core/packInfo';
import { packNode, runNodes, trialNodes } from '../src/extension/tree/model';
import { generateCanonicalLog, generatePackTree } from './generate';

export async function treeFigures(scratch: string, figure: (name: string, value: number, unit: string, digits?: number) => void): Promise<void> {
  const tree = generatePackTree(path.join(scratch, 'tree-bench'), 500);
  const packs = await packsToValidate(tree);
  if (packs.length !== 500) throw new Error(`found ${packs.length} packs, expected 500`);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const infos = await Promise.all(packs.map(loadPackInfo));
    infos.forEach((info) => packNode(info, 'valid'));
    samples.push(performance.now() - start);
  }
  figure('tree_500_pack_nodes', samples.sort((a, b) => a - b)[2], 'ms', 0);

  const big = packs[0];
  const log = generateCanonicalLog(10_000 * 120).split('\n').slice(0, 10_001).join('\n');
  writeFileSync(path.join(big.dir, 'results.tsv'), `${log}\n`);
  const expand: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const info = await loadPackInfo(big);
    const runs = runNodes(info);
    const largest = info.log!.runs.reduce((a, b) => (b.trials.length > a.trials.length ? b : a));
    trialNodes(info, largest.index);
    expand.push(performance.now() - start);
    if (info.log!.trials.length !== 10_000 || runs.length === 0) throw new Error('the 10,000-row log did not load');
  }
  figure('tree_10000_row_pack_expand', expand.sort((a, b) => a - b)[2], 'ms', 0);
}
