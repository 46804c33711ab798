/**
 * The Python every bench figure runs: AUTOEXP_BENCH_PYTHON, else the system's /usr/bin/python3 (Debian's,
 * as on CI), else the interpreter behind `python3`. A version manager's `python3` is often a shell script
 * that starts the real one, and its interpreter may start three times slower than the system's (pyenv's
 * here: 120 ms against 40): either would hide Autoexp's own cost behind Python's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface BenchPython {
  executable: string;
  version: string;
}

let chosen: BenchPython | undefined;

export function benchPython(): BenchPython {
  if (chosen) return chosen;
  const command = process.env.AUTOEXP_BENCH_PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  const [executable, version] = execFileSync(command, ['-c', 'import sys; print(sys.executable); print(sys.version.split()[0])'], { encoding: 'utf8' }).trim().split('\n');
  chosen = { executable, version };
  return chosen;
}
