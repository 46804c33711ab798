/**
 * Every numeric option says what it needs: a negative, a zero where zero is wrong, a word and a
 * missing value each give one line on stderr and exit 2, and nothing runs. The table goes through the
 * CLI's own command table in this process (the binary adds only process wiring); one case runs the
 * bundled dist/cli.cjs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from '../../src/cli/run';
import { REPO_ROOT, packFiles, tempDir, writeTree } from './helpers';

async function autoexp(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd, templatesDir: path.join(REPO_ROOT, 'templates') }, 'test');
  return { code, out, err };
}

const NEEDS = {
  timeout: 'a positive number of seconds',
  repeat: 'a whole number of at least 1',
  margin: 'a number of at least 0',
};

/** Bad values of each option, and how the message names them. */
const BAD: Record<keyof typeof NEEDS, Array<[string[], string]>> = {
  timeout: [
    [['-1'], '"-1"'],
    [['0'], '"0"'],
    [['-0.5'], '"-0.5"'],
    [['soon'], '"soon"'],
    [['0x10'], '"0x10"'],
    [[], 'nothing'],
    [['--json'], 'nothing'],
  ],
  repeat: [
    [['-1'], '"-1"'],
    [['0'], '"0"'],
    [['1.5'], '"1.5"'],
    [['two'], '"two"'],
    [[], 'nothing'],
  ],
  margin: [
    [['-0.1'], '"-0.1"'],
    [['-1'], '"-1"'],
    [['wide'], '"wide"'],
    [['Infinity'], '"Infinity"'],
    [[], 'nothing'],
  ],
};

const COMMANDS: Array<[string, Array<keyof typeof NEEDS>]> = [
  ['run', ['timeout', 'repeat', 'margin']],
  ['measure', ['timeout']],
  ['reset', ['timeout']],
];

describe('numeric options say what they need, exit 2, one line', () => {
  for (const [command, options] of COMMANDS) {
    for (const option of options) {
      for (const [value, got] of BAD[option]) {
        test(`${command} --${option} ${value.join(' ') || '(no value)'}`, async () => {
          const root = writeTree(tempDir(), packFiles('p'));
          const pack = path.join(root, 'p');
          const extra = command === 'run' ? ['-p', 'x.py'] : [];
          // The option last, so a missing value is really missing; the rest before it.
          const r = await autoexp([command, pack, ...extra, `--${option}`, ...value], root);
          assert.equal(r.code, 2);
          assert.deepEqual(r.err, [`autoexp ${command}: --${option} must be ${NEEDS[option]}, got ${got}`]);
          assert.deepEqual(r.out, []);
          assert.equal(readFileSync(path.join(pack, 'results.tsv'), 'utf8'), packFiles('p')[path.join('p', 'results.tsv')], 'nothing ran');
        });
      }
    }
  }

  test('a value before other options and a value written with = are read alike', async () => {
    const root = writeTree(tempDir(), packFiles('p'));
    const pack = path.join(root, 'p');
    for (const args of [['--timeout', '-3', '--json'], ['--timeout=-3']]) {
      const r = await autoexp(['measure', pack, ...args], root);
      assert.deepEqual([r.code, r.err], [2, ['autoexp measure: --timeout must be a positive number of seconds, got "-3"']]);
    }
  });

  test('zero is a valid margin, and a short option after a numeric one is not its value', async () => {
    const root = writeTree(tempDir(), packFiles('p'));
    const r = await autoexp(['run', path.join(root, 'p'), '--margin', '0', '--repeat', '-p', 'x.py'], root);
    assert.deepEqual([r.code, r.err], [2, ['autoexp run: --repeat must be a whole number of at least 1, got nothing']]);
  });

  test('the bundled binary says the same', () => {
    const root = writeTree(tempDir(), packFiles('p'));
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.cjs'), 'run', 'p', '-p', 'x.py', '--timeout', '-1'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'autoexp run: --timeout must be a positive number of seconds, got "-1"\n');
  });
});
