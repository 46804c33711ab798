/**
 * What the tree shows of a pack, read from its files without running anything (restricted mode
 * gets the same tree). Core, so the tree model is unit-tested on fixture packs and benchmarked without VS Code.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PackRef } from './discovery';
import { firstSentence } from './programSummary';
import { listProposals } from './proposals';
import { readResultsText } from './results/load';
import type { ResultsLog } from './results/model';
import { parseResults } from './results/parse';
import { resolveTarget, type TargetResolution } from './target';
import { trialsByResultsLine } from './run/trialDiff';
import { journalRunsOf } from './run/journalCache';

export interface PackInfo {
  pack: PackRef;
  program?: string;
  summary: string;
  target: TargetResolution;
  /** `proposals/*.py` file names, sorted. */
  proposals: string[];
  /** Undefined when results.tsv is missing or unreadable; `resultsError` says why. */
  log?: ResultsLog;
  resultsError?: string;
  /** results.tsv lines whose trial the run journal recorded, with snapshots for a diff. */
  diffLines?: Set<number>;
  /** Kept trials that scored worse on measure_holdout.py than what they replaced, by results.tsv line. */
  holdoutWorse?: Map<number, { score: number; previous?: number }>;
  /** memory.md, the notes Autopilot rewrites after every trial, when the pack has one. */
  memory?: string;
}

export async function loadPackInfo(pack: PackRef): Promise<PackInfo> {
  const memoryFile = path.join(pack.dir, 'memory.md');
  const [program, target, proposals, memory] = await Promise.all([
    fs.readFile(path.join(pack.dir, 'program.md'), 'utf8').catch(() => undefined),
    resolveTarget(pack.dir),
    listProposals(pack.dir),
    fs.stat(memoryFile).then((s) => (s.isFile() ? memoryFile : undefined), () => undefined),
  ]);
  const info: PackInfo = { pack, program, summary: program === undefined ? 'no program.md' : firstSentence(program), target, proposals, ...(memory ? { memory } : {}) };
  const file = path.join(pack.dir, 'results.tsv');
  try {
    info.log = parseResults(await readResultsText(file), file);
  } catch (err) {
    info.resultsError = (err as Error).message;
  }
  const recorded = trialsByResultsLine(journalRunsOf(pack.dir));
  info.diffLines = new Set(recorded.keys());
  info.holdoutWorse = new Map([...recorded].flatMap(([line, { trial }]) => (trial.holdout?.worse ? [[line, trial.holdout] as const] : [])));
  return info;
}
