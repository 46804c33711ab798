/**
 * The start of a command that loads the commands' bundle (`autoexp results`), with its V8 code cache
 * read back and without one (src/cli/codeCache.ts), in alternating runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generateCanonicalLog } from './generate';
import { median } from './median';

/**
 * The environment every CLI figure runs in: its code cache in the bench's own folder, so a run starts
 * from none; and without NODE_EXTRA_CA_CERTS, which makes each Node start parse a proxy's CA bundle
 * (as on this build machine, seldom on a user's): ./validate.ts prints what that costs.
 */
export function cliEnv(scratch: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: path.join(scratch, 'cache') };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

const RUNS = 15;

export function commandStartFigures(cli: string, env: NodeJS.ProcessEnv, scratch: string, figure: (name: string, value: number, unit: string, digits?: number) => void): void {
  const pack = path.join(scratch, 'start', 'atris', 'experiments', 'start');
  mkdirSync(pack, { recursive: true });
  writeFileSync(path.join(pack, 'results.tsv'), generateCanonicalLog(4 * 1024));
  // XDG_CACHE_HOME under a file: the cache folder cannot be made, and every start compiles the bundle.
  const blocked = path.join(scratch, 'not-a-folder');
  writeFileSync(blocked, '');
  const timed = (e: NodeJS.ProcessEnv) => {
    const start = performance.now();
    execFileSync(process.execPath, [cli, 'results', pack], { stdio: 'pipe', env: e });
    return performance.now() - start;
  };
  timed(env); // writes the cache
  const cached: number[] = [];
  const uncached: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    cached.push(timed(env));
    uncached.push(timed({ ...env, XDG_CACHE_HOME: blocked }));
  }
  figure('cli_results_start_wall', median(cached), 'ms');
  figure('cli_results_start_uncached_wall', median(uncached), 'ms');
  figure('cli_code_cache_start_ratio', median(cached) / median(uncached), 'x', 2);
}
