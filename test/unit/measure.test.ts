import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { readMeasureOutput, runMeasure } from '../../src/core/measure';
import { isProcessRunning } from '../../src/core/processTable';
import { tempDir, writeTree } from './helpers';

const ok = (stdout: string) => readMeasureOutput({ stdout, stderr: '', exitCode: 0 });

describe('readMeasureOutput', () => {
  test('takes the last non-empty line as the verdict, keeping extra keys', () => {
    const r = ok('checking...\n{"ignored": 1}\n{"score": 0.75, "passed": 3, "total": 4, "status": "fail", "note": "x"}\n\n  \n');
    assert.equal(r.ok, true);
    if (!r.ok) return;
    assert.equal(r.score, 0.75);
    assert.equal(r.payload.passed, 3);
    assert.equal(r.payload.note, 'x');
  });

  test('CRLF output reads the same', () => {
    const r = ok('progress\r\n{"score": 1}\r\n');
    assert.deepEqual(r.ok && r.score, 1);
  });

  const cases: Array<[string, string, string, RegExp]> = [
    ['no output', '', 'no-output', /printed nothing/],
    ['blank output', '\n  \n', 'no-output', /printed nothing/],
    ['not JSON', 'score=0.5', 'not-json', /not JSON: score=0\.5/],
    ['a JSON array', '[0.5]', 'not-json', /not a JSON object/],
    ['no score', '{"passed": 1}', 'no-score', /has no "score"/],
    ['a string score', '{"score": "0.5"}', 'no-score', /score is not valid/],
    ['NaN as Python prints it', '{"score": NaN}', 'not-finite', /not a finite number/],
    ['Infinity', '{"score": -Infinity}', 'not-finite', /not a finite number/],
    ['an overflowing number', '{"score": 1e999}', 'not-finite', /not a finite number/],
  ];
  for (const [name, stdout, kind, message] of cases) {
    test(`${name} is a "${kind}" error`, () => {
      const r = ok(stdout);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.error.kind, kind);
      assert.match(r.error.message, message);
      assert.match(r.error.message, /^measure\.py/);
    });
  }

  test('a non-zero exit reports the code and the last stderr line, even with a score printed', () => {
    const r = readMeasureOutput({ stdout: '{"score": 1}\n', stderr: 'Traceback...\nValueError: bad input\n', exitCode: 2 });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.kind, 'exit-code');
    assert.equal(r.error.message, 'measure.py exited with code 2: ValueError: bad input');
  });
});

describe('runMeasure with real Python', () => {
  const pack = (measure: string) => {
    const dir = path.join(tempDir(), 'p');
    writeTree(dir, { 'measure.py': measure });
    return dir;
  };

  test('runs in the pack folder and reads the score', async () => {
    const dir = pack('import json, os\nprint("cwd", os.getcwd())\nprint(json.dumps({"score": 0.2, "passed": 1, "total": 5}))\n');
    const { outcome, process } = await runMeasure(dir, { python: 'python3' });
    assert.equal(outcome.ok && outcome.score, 0.2);
    assert.match(process.stdout, new RegExp(`cwd ${dir.replace(/[/\\^$*+?.()|[\]{}]/g, '\\$&')}`));
    assert.equal(process.exitCode, 0);
  });

  test('a crash is an exit-code error with the exception line', async () => {
    const { outcome } = await runMeasure(pack('raise SystemExit("boom: no data")\n'), { python: 'python3' });
    assert.deepEqual(outcome, { ok: false, error: { kind: 'exit-code', message: 'p/measure.py exited with code 1: boom: no data' } });
  });

  test('a hang is stopped at the timeout, children included', async () => {
    const dir = pack(
      'import subprocess, sys, time\n' +
        'child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])\n' +
        'print(child.pid, flush=True)\n' +
        'time.sleep(60)\n',
    );
    const { outcome, process: proc } = await runMeasure(dir, { python: 'python3', timeoutMs: 3000 });
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.equal(outcome.error.kind, 'timeout');
    assert.equal(outcome.error.message, 'p/measure.py did not finish within 3 s and was stopped');
    const childPid = Number(proc.stdout.trim());
    assert.ok(childPid > 0, `the grandchild printed its pid: ${proc.stdout}`);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(isProcessRunning(childPid), false, 'the grandchild is gone too');
  });

  test('a Python that does not exist is a spawn error naming it', async () => {
    const { outcome } = await runMeasure(pack('print(1)\n'), { python: '/nonexistent/python9' });
    assert.deepEqual(outcome, { ok: false, error: { kind: 'spawn', message: '/nonexistent/python9: cannot start (ENOENT)' } });
  });
});
