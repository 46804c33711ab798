/**
 * The reporter that puts each trial's diff under its line, fed the way the two engines feed it:
 * a real journal and snapshot store in a temporary folder, trial ends reported after their lines.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Journal, nowIso, type TrialEndStatus } from '../../src/core/run/journal';
import { SnapshotStore } from '../../src/core/run/snapshots';
import { TrialPrinter } from '../../src/core/run/trialPrinter';
import { tempDir } from './helpers';

const BEFORE = 'def f():\n    return 1\n';
const BAD = 'def f():\n    return 2\n';

/** A journal holding one run with these trials' snapshots, and a printer over a recording reporter. */
function setUp(trials: Array<[before: string | Buffer, candidate: string | Buffer | undefined]>, color = false) {
  const root = tempDir();
  const journal = new Journal(root);
  const store = new SnapshotStore(root);
  journal.append({ type: 'run-start', run: 'r1', pack: root, slug: 'demo', engine: 'pack', proposals: [], target: `${root}/t.py`, pid: process.pid, at: nowIso() });
  trials.forEach(([before, candidate], i) => {
    journal.append({ type: 'trial-start', run: 'r1', trial: i + 1, proposal: `p${i + 1}.py`, target: `${root}/t.py`, before: store.put(Buffer.from(before)), at: nowIso() });
    if (candidate !== undefined) journal.append({ type: 'trial-applied', run: 'r1', trial: i + 1, candidate: store.put(Buffer.from(candidate)), exitCode: 0, durationMs: 1 });
  });
  let out = '';
  const printer = new TrialPrinter(
    { line: (t) => (out += `${t}\n`), output: (c) => (out += c), log: () => undefined },
    { journal, store, run: 'r1' },
    { color, seeAll: 'autoexp diff demo' },
  );
  return { printer, text: () => out, end: (trial: number, status: TrialEndStatus) => printer.trialDone(trial, trials.length, status) };
}

const DIFF_1 = '  @@ -1,2 +1,2 @@\n   def f():\n  -    return 1\n  +    return 2\n';

describe('TrialPrinter', () => {
  test('native engine order: the line, then the trial end; the diff comes right under the line', async () => {
    const { printer, text, end } = setUp([[BEFORE, BAD]]);
    printer.line('BASELINE 1.0000');
    printer.line('TRIAL 1 REVERTED score=0.5000 proposal=p1.py');
    await Promise.resolve();
    end(1, 'reverted');
    printer.line('FINAL 1.0000');
    printer.flush();
    assert.equal(text(), `BASELINE 1.0000\nTRIAL 1 REVERTED score=0.5000 proposal=p1.py\n${DIFF_1}FINAL 1.0000\n`);
  });

  test('loop.py output in one chunk (a block-buffered pipe): each diff still goes under its own line', () => {
    const { printer, text, end } = setUp([[BEFORE, BAD], [BEFORE, 'def f():\n    return 3\n']]);
    printer.output('BASELINE 1.0000\nTRIAL 1 REVERTED score=0.5000 proposal=p1.py\nTRIAL 2 KEPT score=2.0000 proposal=p2.py\nFINAL 2.0000\n');
    // The pack engine reconciles at the first TRIAL line and ends both trials in that same turn.
    end(1, 'reverted');
    end(2, 'kept');
    printer.flush();
    assert.equal(
      text(),
      'BASELINE 1.0000\nTRIAL 1 REVERTED score=0.5000 proposal=p1.py\n' + DIFF_1 + 'TRIAL 2 KEPT score=2.0000 proposal=p2.py\n' + '  @@ -1,2 +1,2 @@\n   def f():\n  -    return 1\n  +    return 3\n' + 'FINAL 2.0000\n',
    );
  });

  test('a TRIAL line split across chunks is still recognised, and the output is passed on unchanged', () => {
    const { printer, text, end } = setUp([[BEFORE, BAD]]);
    printer.output('BASELINE 1.0000\nTRI');
    printer.output('AL 1 REVERTED score=0.5000 proposal=p1.py\nprogress 5');
    end(1, 'reverted');
    printer.output('0%\n');
    printer.flush();
    assert.equal(text(), `BASELINE 1.0000\nTRIAL 1 REVERTED score=0.5000 proposal=p1.py\n${DIFF_1}progress 50%\n`);
  });

  test('a loop that prints no TRIAL lines: the diff comes at the end of the trial, under a line naming it', () => {
    const { printer, text, end } = setUp([[BEFORE, BAD]]);
    printer.output('start\nround one: worse, undone\n');
    end(1, 'reverted');
    printer.flush();
    assert.equal(text(), `start\nround one: worse, undone\ndiff of trial 1:\n${DIFF_1}`);
  });

  test('a TRIAL line no trial end follows holds the output back one turn only', async () => {
    const { printer, text } = setUp([[BEFORE, BAD]]);
    printer.output('TRIAL 7 KEPT score=1\nnext line\n');
    assert.equal(text(), 'TRIAL 7 KEPT score=1\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(text(), 'TRIAL 7 KEPT score=1\nnext line\n');
  });

  test('colour: the trial line by its status (dim reverted, green kept, red error), diff lines by kind', () => {
    const coloured = setUp([[BEFORE, BAD]], true);
    coloured.printer.output('TRIAL 1 REVERTED score=0.5\n');
    coloured.end(1, 'reverted');
    assert.equal(
      coloured.text(),
      '\x1b[2mTRIAL 1 REVERTED score=0.5\x1b[0m\n  \x1b[36m@@ -1,2 +1,2 @@\x1b[0m\n   def f():\n  \x1b[31m-    return 1\x1b[0m\n  \x1b[32m+    return 2\x1b[0m\n',
    );
    const kept = setUp([[BEFORE, BAD]], true);
    kept.printer.line('TRIAL 1 KEPT score=2');
    assert.equal(kept.text(), '\x1b[32mTRIAL 1 KEPT score=2\x1b[0m\n');
    const error = setUp([[BEFORE, BAD]], true);
    error.printer.line('TRIAL 1 ERROR score=- proposal=p1.py');
    assert.equal(error.text(), '\x1b[31mTRIAL 1 ERROR score=- proposal=p1.py\x1b[0m\n');
  });

  test('colour: a TRIAL line written in two pieces is held until its end and coloured whole', () => {
    const { printer, text, end } = setUp([[BEFORE, BAD]], true);
    printer.output('BASELINE 1.0000\nTRIAL 1 KEPT score=2');
    assert.equal(text(), 'BASELINE 1.0000\n');
    printer.output('\n');
    end(1, 'kept');
    assert.ok(text().startsWith('BASELINE 1.0000\n\x1b[32mTRIAL 1 KEPT score=2\x1b[0m\n  \x1b[36m@@'), JSON.stringify(text()));
  });

  test('a held start of a line that never ends goes out after a moment, as it came', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { printer, text } = setUp([[BEFORE, BAD]], true);
    printer.output('TRIAL');
    assert.equal(text(), '');
    t.mock.timers.tick(200);
    assert.equal(text(), 'TRIAL');
  });

  test('past 40 lines one line says how many more and how to see them all', () => {
    const big = Array.from({ length: 60 }, (_, i) => `new line ${i}\n`).join('');
    const { printer, text, end } = setUp([['', big]]);
    printer.line('TRIAL 1 KEPT score=1');
    end(1, 'kept');
    const lines = text().split('\n').slice(1, -1);
    assert.equal(lines.length, 41);
    assert.equal(lines[0], '  @@ -0,0 +1,60 @@');
    assert.equal(lines[39], '  +new line 38');
    assert.equal(lines[40], '  … 21 more lines; see them all: autoexp diff demo 1');
  });

  test('a binary target and a huge change are one line each; an unchanged target says so', () => {
    const huge = Array.from({ length: 1204 }, (_, i) => `row ${i}\n`).join('');
    const { printer, text, end } = setUp([[BEFORE, Buffer.from([0, 1, 2])], ['', huge], [BEFORE, BEFORE]]);
    for (const n of [1, 2, 3]) {
      printer.line(`TRIAL ${n} REVERTED score=0`);
      end(n, 'reverted');
    }
    assert.equal(text(), 'TRIAL 1 REVERTED score=0\n  binary file changed\nTRIAL 2 REVERTED score=0\n  1,204 lines changed\nTRIAL 3 REVERTED score=0\n  no change\n');
  });

  test('a cancelled trial and one with no candidate add nothing', () => {
    const { printer, text, end } = setUp([[BEFORE, BAD], [BEFORE, undefined]]);
    end(1, 'cancelled');
    printer.line('TRIAL 2 ERROR score=- proposal=p2.py reason=timeout');
    end(2, 'error');
    printer.flush();
    assert.equal(text(), 'TRIAL 2 ERROR score=- proposal=p2.py reason=timeout\n');
  });
});
