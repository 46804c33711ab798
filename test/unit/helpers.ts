/** Shared test helpers: real folders in the OS temp dir, removed after each test file. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
export const WORKSPACE = path.join(FIXTURES, 'workspace');
export const EXPERIMENTS = path.join(WORKSPACE, 'atris', 'experiments');
/** The real logs from public loops, copied into the fixtures with their README of sources and columns. */
export const RESULTS_LOGS = path.join(FIXTURES, 'real-logs');

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'autoexp-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Writes `{ 'a/b.txt': 'text' }` under `root`, creating folders. */
export function writeTree(root: string, files: Record<string, string | Buffer>): string {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}

/** A minimal complete pack's files, under `prefix`. */
export function packFiles(prefix: string, overrides: Record<string, string> = {}): Record<string, string> {
  const files: Record<string, string> = {
    'program.md': 'Improve the thing.\n',
    'measure.py': 'import json\nprint(json.dumps({"score": 0.5}))\n',
    'loop.py': 'import subprocess, sys\nsubprocess.run([sys.executable, "measure.py"], check=True)\n',
    'results.tsv': 'timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription\n',
    'reset.py': 'from pathlib import Path\nPath(__file__).with_name("candidate.txt").write_text("baseline\\n")\n',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [path.join(prefix, k), v]));
}
