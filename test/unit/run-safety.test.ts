/**
 * Run safety beyond the guard, on copies of the smoke pack in real git repositories with real Python:
 * one run per pack whatever path names it, reset refuses a live run, and input that would corrupt
 * results.tsv is refused before anything runs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { journalRoot, readJournal, runsOfPack } from '../../src/core/run/journal';
import { runLoop } from '../../src/core/run/runLoop';
import { REPO_ROOT, tempDir } from './helpers';
import { BASELINE, smokeRepo } from './support/smokeRepo';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');
const read = (file: string) => readFileSync(file, 'utf8');

function autoexp(args: string[], cwd = REPO_ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A run of hang.py on `pack`, in this process, held mid-trial until the test aborts it. */
async function slowRun(pack: string) {
  const controller = new AbortController();
  const done = runLoop({ pack, proposals: ['hang.py'], python: 'python3', engine: 'native', signal: controller.signal, reporter: { line: () => undefined, output: () => undefined, log: () => undefined } });
  await waitFor(() => read(path.join(pack, 'candidate.py')) === 'half-written\n', 'the slow proposal to write the target');
  return { stop: () => (controller.abort(), done) };
}

describe('one run per pack, whatever path names it', () => {
  test('a run through a symbolic link to a running pack is refused, and the link finds the same journal records', async () => {
    const { repo, pack } = smokeRepo();
    const link = path.join(tempDir('autoexp-elsewhere-'), 'link-to-x');
    symlinkSync(pack, link);
    const slow = await slowRun(pack);
    const second = autoexp(['run', link, '-p', 'fix_patch.py', '--engine', 'native']);
    const summary = await slow.stop();
    assert.equal(second.code, 1);
    assert.match(second.stderr, new RegExp(`^autoexp: smoke-keep-revert is already running \\(run ${summary.run}, pid ${process.pid}, since .*\\); stop that run first\\n$`));
    assert.equal(read(path.join(pack, 'candidate.py')), BASELINE);
    assert.equal(read(path.join(pack, 'results.tsv')).split('\n').length, 2, 'no row from either run');
    assert.equal(journalRoot(link), repo);
    assert.deepEqual(runsOfPack(readJournal(repo), link).map((r) => [r.id, r.pack]), [[summary.run, pack]]);
  });
});
