/**
 * kill -9 of `autoexp run` (the bundled CLI, real Python, a real git repository) at 20 seeded moments
 * per engine: the run's scripts mark each step in a file (./support/markedPack.ts), and the test
 * kills the CLI a seeded few milliseconds after a seeded mark. In a quarter of the cases the run's
 * watchdog is killed with it, so the next start must kill the survivors itself. After each kill, the
 * next start (its recovery; every fifth time the CLI itself) must leave the target, results.tsv and
 * the journal in agreement, and nothing of the run running.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { readJournal } from '../../src/core/run/journal';
import { seededRandom } from '../../src/core/stats/random';
import { recoverInterrupted } from '../../src/core/run/recovery';
import { removeDeadShimFolders } from '../../src/core/run/shimFolder';
import { REPO_ROOT, tempDir } from './helpers';
import { MARKED_PROPOSALS, MARKS, markPack } from './support/markedPack';
import { assertConsistent, untilLines, watchdogOf } from './support/runState';
import { BASELINE, smokeRepo } from './support/smokeRepo';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs');
const CASES = 20;
const SEED = 20_261_123;

const shimFoldersOf = (pid: number) => readdirSync(tmpdir()).filter((e) => e.startsWith(`autoexp-shims-${pid}-`));

for (const engine of ['native', 'pack'] as const) {
  describe(`kill -9 of the CLI, ${engine} engine`, () => {
    test(`at ${CASES} seeded moments, the next start leaves target, results.tsv and journal in agreement`, async () => {
      assert.ok(existsSync(CLI), 'dist/cli.cjs is built (npm run build)');
      const template = smokeRepo();
      markPack(template.pack);
      const random = seededRandom(SEED + (engine === 'pack' ? 1 : 0));
      for (let i = 0; i < CASES; i++) {
        const mark = 1 + Math.floor(random() * MARKS[engine]);
        const delayMs = Math.floor(random() * 40);
        const alsoWatchdog = random() < 0.25;
        const label = `${engine} case ${i} (seed ${SEED}: mark ${mark}, +${delayMs} ms${alsoWatchdog ? ', watchdog killed too' : ''})`;
        const repo = tempDir('autoexp-kill-');
        cpSync(template.repo, repo, { recursive: true });
        const pack = path.join(repo, path.relative(template.repo, template.pack));
        // Outside the repository: the guard would rightly undo a proposal's write to a file in it.
        const marks = path.join(tempDir('autoexp-marks-'), 'marks.txt');
        const args = [CLI, 'run', pack, ...MARKED_PROPOSALS.flatMap((p) => ['-p', p]), '--engine', engine];
        const child = spawn(process.execPath, args, { env: { ...process.env, KILL_MARKERS: marks }, stdio: 'ignore' });
        const exited = new Promise((r) => child.once('exit', r));
        assert.ok(await untilLines(marks, mark, exited), `${label}: the run reached its mark before it ended`);
        await new Promise((r) => setTimeout(r, delayMs));
        const run = readJournal(repo).runs.find((r) => r.pid === child.pid);
        assert.ok(run, `${label}: the run is in the journal`);
        const watchdog = alsoWatchdog ? watchdogOf(run.id) : undefined;
        if (watchdog) process.kill(watchdog, 'SIGKILL');
        child.kill('SIGKILL');
        await exited;

        if (i % 5 === 4) {
          // A kill that lands after the run wrote its end (a fast machine, a late mark) leaves nothing to recover.
          const ended = readJournal(repo).runs.find((r) => r.id === run.id)?.status !== undefined;
          const next = spawnSync(process.execPath, [CLI, 'run', pack, '-p', 'bad_patch.py', '--engine', engine], { encoding: 'utf8' });
          assert.equal(next.status, 0, `${label}: the next run: ${next.stderr}`);
          const interrupted = new RegExp(`autoexp: smoke-keep-revert: (trial \\d+ of )?run ${run.id} was interrupted`);
          if (ended) assert.doesNotMatch(next.stdout, interrupted, label);
          else assert.match(next.stdout, interrupted, label);
        } else {
          recoverInterrupted(repo, pack);
          removeDeadShimFolders();
        }
        assertConsistent(repo, pack, BASELINE, label);
        assert.deepEqual(shimFoldersOf(child.pid!), [], `${label}: the run's shim folder is gone`);
        assert.deepEqual(readdirSync(path.join(repo, '.autoexp')).filter((f) => f.startsWith('guard-') || f.endsWith('.held')), [], `${label}: the killed run's guard and held files are gone`);
      }
    });
  });
}
