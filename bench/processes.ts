/**
 * What a run's end pays to be sure nothing it started lives on: one look at every process's
 * environment for the run's id (also what the next start does after a crash).
 */
import { readdirSync } from 'node:fs';
import { killRunProcesses } from '../src/core/run/runProcesses';

export function processFigures(figure: (name: string, value: number, unit: string, digits?: number) => void): void {
  const samples: number[] = [];
  for (let i = 0; i < 9; i++) {
    const start = performance.now();
    killRunProcesses('bench-no-such-run', []);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  figure('run_end_process_sweep_wall', samples[Math.floor(samples.length / 2)], 'ms', 2);
  figure('run_end_process_sweep_processes_seen', readdirSync('/proc').filter((e) => /^\d+$/.test(e)).length, 'processes', 0);
}
