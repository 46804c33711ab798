/**
 * `npm run bench`: one figure a line as `name: value unit`. Speed is measured here, never asserted in
 * tests: machines are shared and noisy, so each figure is the median of several runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseResults } from '../src/core/results/parse';
import { activationFigures } from './activation';
import { cliEnv, commandStartFigures } from './cliStart';
import { generateCanonicalLog } from './generate';
import { chartFigures } from './chart';
import { autopilotFigures } from './autopilot';
import { diffFigures } from './diff';
import { guardFigures } from './guard';
import { keepRuleFigures } from './keepRules';
import { loopFigures } from './loop';
import { processFigures } from './processes';
import { serverFigures } from './server';
import { treeFigures } from './tree';
import { validateFigures } from './validate';
import { median } from './median';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist', 'cli.cjs');

function time(fn: () => void, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function figure(name: string, value: number, unit: string, digits = 1): void {
  console.log(`${name}: ${value.toFixed(digits)} ${unit}`);
}

const scratch = mkdtempSync(path.join(tmpdir(), 'autoexp-bench-'));
try {
  // First, while this process is small: each start of a program forks it, and the fork of a process
  // holding the 50 MB log below costs more than either program's own start, the same on both sides,
  // which would pull the ratio toward 1.
  validateFigures(scratch, CLI, path.join(ROOT, 'test', 'reference', 'validate.py'), figure);
  const cli = cliEnv(scratch);
  figure('cli_process_start_wall', time(() => execFileSync(process.execPath, [CLI, '--version'], { stdio: 'pipe', env: cli }), 7), 'ms');
  commandStartFigures(CLI, cli, scratch, figure);

  const log = generateCanonicalLog(50 * 1024 * 1024);
  const mb = Buffer.byteLength(log) / (1024 * 1024);
  parseResults(log, 'bench.tsv'); // warm up the JIT
  const parseMs = time(() => parseResults(log, 'bench.tsv'), 5);
  figure('results_parse_throughput', mb / (parseMs / 1000), 'MB/s');

  await serverFigures(scratch, figure);
  await loopFigures(scratch, CLI, cli, path.join(ROOT, 'templates', 'pack', 'loop.py'), figure);
  processFigures(figure);
  await treeFigures(scratch, figure);
  await guardFigures(scratch, figure);
  await chartFigures(figure);
  keepRuleFigures(figure);
  await autopilotFigures(scratch, figure);
  diffFigures(time, figure);
  // Last: it packages the .vsix, which rebuilds dist/ for production.
  await activationFigures(scratch, figure);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
