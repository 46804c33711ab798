/**
 * `autoexp validate` against the Python reference (test/reference/validate.py) on one tree of 1,000
 * packs with about 36 MB of logs. The two run alternately in the same bench run, so both meet the same
 * machine load, and each pair's ratio is taken before the median: a load spike then moves both sides.
 * The work ratio leaves out each interpreter's bare start (`node -e 0`, `python -c 0`).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { generatePackTree } from './generate';
import { benchPython } from './python';
import { median } from './median';

const PACKS = 1000;
const LOG_BYTES = 36_000;
const PAIRS = 15;

function timed(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export function validateFigures(scratch: string, cli: string, reference: string, figure: (name: string, value: number, unit: string, digits?: number) => void): void {
  const experiments = path.join(generatePackTree(path.join(scratch, 'validate-bench'), PACKS, LOG_BYTES), 'atris', 'experiments');
  const { executable: python, version } = benchPython();
  console.log(`# reference: Python ${version} at ${python}`);
  // NODE_EXTRA_CA_CERTS (a proxy's private CA, as on this build machine) makes every Node start parse
  // that bundle before any script runs. A user's machine seldom has it, so the comparison runs without
  // it, and, when it is set, once more with it: both figures are printed.
  const extraCerts = process.env.NODE_EXTRA_CA_CERTS;
  // PYTHONUNBUFFERED (set on this build machine, and in many container images) makes validate.py write
  // each printed line with a system call of its own, 2,002 here: Python as it runs by default is compared.
  const neutral = { ...process.env };
  if (neutral.PYTHONUNBUFFERED !== undefined) console.log('# PYTHONUNBUFFERED is unset for both sides: validate.py then buffers its output, as by default');
  delete neutral.PYTHONUNBUFFERED;
  const plain = { ...neutral };
  delete plain.NODE_EXTRA_CA_CERTS;
  const compare = (env: NodeJS.ProcessEnv, suffix: string) => {
    const ours = () => execFileSync(process.execPath, [cli, 'validate', experiments], { encoding: 'utf8', env });
    const theirs = () => execFileSync(python, [reference, experiments], { encoding: 'utf8', env });
    // A comparison only means something when both say the same (and both warm the file cache here).
    assert.equal(ours(), theirs());
    const run = alternately(ours, theirs, PAIRS);
    figure(`cli_validate_1000_packs_wall${suffix}`, run.a, 'ms');
    figure(`reference_validate_1000_packs_wall${suffix}`, run.b, 'ms');
    figure(`cli_validate_vs_reference_ratio${suffix}`, run.ratio, 'x', 2);
    // How much of each is the interpreter's bare start, which no change to Autoexp can remove.
    const bare = alternately(() => execFileSync(process.execPath, ['-e', '0'], { env }), () => execFileSync(python, ['-c', '0'], { env }), PAIRS);
    figure(`node_bare_start_wall${suffix}`, bare.a, 'ms');
    figure(`python_bare_start_wall${suffix}`, bare.b, 'ms');
    figure(`cli_validate_work_vs_reference_work_ratio${suffix}`, (run.a - bare.a) / (run.b - bare.b), 'x', 2);
  };
  compare(plain, '');
  if (extraCerts) {
    console.log(`# NODE_EXTRA_CA_CERTS=${extraCerts} is set here: the same comparison with it`);
    compare(neutral, '_with_extra_ca_certs');
  }
}

/** Median wall times of `a` and `b` run in alternating pairs, and the median of the pairs' ratios a/b. */
function alternately(a: () => unknown, b: () => unknown, pairs: number): { a: number; b: number; ratio: number } {
  const aMs: number[] = [];
  const bMs: number[] = [];
  for (let i = 0; i < pairs; i++) {
    // Alternate who goes first, so neither always runs right after the other.
    if (i % 2 === 0) {
      aMs.push(timed(a));
      bMs.push(timed(b));
    } else {
      bMs.push(timed(b));
      aMs.push(timed(a));
    }
  }
  return { a: median(aMs), b: median(bMs), ratio: median(aMs.map((ms, i) => ms / bMs[i])) };
}
