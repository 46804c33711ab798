/**
 * A git that writes down each start, put first on PATH: how many git processes some code starts, a
 * count the machine's load does not change. Used by the sandbox tests and the autopilot bench.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** From now on, until `stop()`: `read()` gives the git subcommands started since the last read. */
export function recordGitStarts(dir: string): { read(): string[]; stop(): void } {
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  mkdirSync(dir, { recursive: true });
  const log = path.join(dir, 'starts.log');
  writeFileSync(log, '');
  writeFileSync(path.join(dir, 'git'), `#!/bin/sh\necho "$1" >> '${log}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
  const before = process.env.PATH;
  process.env.PATH = `${dir}${path.delimiter}${before}`;
  return {
    read() {
      const starts = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      writeFileSync(log, '');
      return starts;
    },
    stop() {
      process.env.PATH = before;
    },
  };
}
