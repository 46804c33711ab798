/** A fresh git repository holding a copy of a fixture workspace: the suite never writes into the project. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export function workspaceCopy(fixture: string): string {
  const dir = path.join(realpathSync(mkdtempSync(path.join(tmpdir(), 'autoexp-e2e-ws-'))), 'workspace');
  cpSync(fixture, dir, { recursive: true, filter: (src) => !src.includes('__pycache__') });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Autoexp Tests', '-c', 'user.email=tests@autoexp.invalid', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'fixture workspace');
  return dir;
}
