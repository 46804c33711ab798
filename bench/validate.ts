/**
 * `autoexp validate` against the Python reference (test/reference/validate.py) on one tree of 1,000
 * packs with about 36 MB of logs. The two run alternately in the same bench run, so both meet the same
 * machine load, and each pair's ratio is taken before the median: a load spike then moves both sides.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { generatePackTree } from './generate';

const PACKS = 1000;
const LOG_BYTES = 36_000;
const PAIRS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/**
 * The interpreter behind `python3` (or AUTOEXP_BENCH_PYTHON). A version manager's `python3` is often a
 * shell script that starts the real one; timing that script would charge the reference for its start.
 */
function realPython(): { executable: string; version: string } {
  const command = process.env.AUTOEXP_BENCH_PYTHON || 'python3';
  const [executable, version] = execFileSync(command, ['-c', 'import sys; print(sys.executable); print(sys.version.split()[0])'], { encoding: 'utf8' }).trim().split('\n');
  return { executable, version };
}

export function validateFigures(scratch: string, cli: string, reference: string, figure: (name: string, value: number, unit: string, digits?: number) => void): void {
  const experiments = path.join(generatePackTree(path.join(scratch, 'validate-bench'), PACKS, LOG_BYTES), 'atris', 'experiments');
  const { executable: python, version } = realPython();
  console.log(`# reference: Python ${version} at ${python}`);
  const ours = () => execFileSync(process.execPath, [cli, 'validate', experiments], { encoding: 'utf8' });
  const theirs = () => execFileSync(python, [reference, experiments], { encoding: 'utf8' });
  // A comparison only means something when both say the same (and both warm the file cache here).
  assert.equal(ours(), theirs());
  const oursMs: number[] = [];
  const theirsMs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    // Alternate who goes first, so neither always runs right after the other.
    const first = i % 2 === 0 ? ours : theirs;
    const firstMs = timed(first);
    const secondMs = timed(first === ours ? theirs : ours);
    const [a, b] = first === ours ? [firstMs, secondMs] : [secondMs, firstMs];
    oursMs.push(a);
    theirsMs.push(b);
    ratios.push(a / b);
  }
  figure('cli_validate_1000_packs_wall', median(oursMs), 'ms');
  figure('reference_validate_1000_packs_wall', median(theirsMs), 'ms');
  figure('cli_validate_vs_reference_ratio', median(ratios), 'x', 2);
}
