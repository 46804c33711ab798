/**
 * The line diff and its unified form: shortest edit scripts checked against a dynamic-programming
 * LCS, and the hunks checked line for line against GNU diff's own `diff -U2` on the same files.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { diffLines, splitLines, type DiffOp, type Line } from '../../src/core/diff/lineDiff';
import { compareContents, unifiedLines } from '../../src/core/diff/unified';
import { tempDir } from './helpers';

const lines = (...texts: string[]): Line[] => texts.map((text) => ({ text }));
const sideOf = (ops: DiffOp[], skip: 'add' | 'del') => ops.filter((op) => op.kind !== skip).map((op) => op.line.text);
const edits = (ops: DiffOp[]) => ops.filter((op) => op.kind !== 'same').length;

function lcsLength(a: string[], b: string[]): number {
  const row = new Array(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j], row[j - 1]);
      diagonal = up;
    }
  }
  return row[b.length];
}

/** A small deterministic generator, so a failure names the seed that made it. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('splitLines', () => {
  test('a last line without a newline is marked; an empty text has no lines', () => {
    assert.deepEqual(splitLines(''), []);
    assert.deepEqual(splitLines('a\nb\n'), lines('a', 'b'));
    assert.deepEqual(splitLines('a\n\nb'), [{ text: 'a' }, { text: '' }, { text: 'b', noNewline: true }]);
  });
});

describe('diffLines', () => {
  test('the textbook example: ABCABBA to CBABAC takes 5 edits', () => {
    const { ops, shortest } = diffLines(lines(...'ABCABBA'), lines(...'CBABAC'));
    assert.equal(shortest, true);
    assert.equal(edits(ops), 5);
    assert.deepEqual(sideOf(ops, 'add'), [...'ABCABBA']);
    assert.deepEqual(sideOf(ops, 'del'), [...'CBABAC']);
  });

  test('on 300 random pairs the script rebuilds both sides and is as short as the LCS allows', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const text = () => Array.from({ length: Math.floor(next() * 30) }, () => 'abcd'[Math.floor(next() * 4)]);
      const a = text();
      const b = text();
      const { ops } = diffLines(lines(...a), lines(...b));
      assert.deepEqual(sideOf(ops, 'add'), a, `seed ${seed}`);
      assert.deepEqual(sideOf(ops, 'del'), b, `seed ${seed}`);
      assert.equal(edits(ops), a.length + b.length - 2 * lcsLength(a, b), `seed ${seed}`);
    }
  });

  test('past the edit budget it falls back to one block out, one block in, still correct', () => {
    const a = Array.from({ length: 50 }, (_, i) => `old ${i}`);
    const b = ['head', ...Array.from({ length: 50 }, (_, i) => `new ${i}`)];
    const { ops, shortest } = diffLines(lines('same', ...a, 'tail'), lines('same', ...b, 'tail'), 10);
    assert.equal(shortest, false);
    assert.deepEqual(sideOf(ops, 'add'), ['same', ...a, 'tail']);
    assert.deepEqual(sideOf(ops, 'del'), ['same', ...b, 'tail']);
    assert.deepEqual(ops.map((op) => op.kind).slice(0, 2), ['same', 'del']);
  });

  test('a missing final newline is a change of that line', () => {
    const { ops } = diffLines(splitLines('a\nb\n'), splitLines('a\nb'));
    assert.deepEqual(ops.map((op) => op.kind), ['same', 'del', 'add']);
  });
});

describe('unified hunks match GNU diff -U2', () => {
  const cases: Record<string, [string, string]> = {
    'one changed line in a long file': [Array.from({ length: 30 }, (_, i) => `line ${i}\n`).join(''), Array.from({ length: 30 }, (_, i) => (i === 14 ? 'changed\n' : `line ${i}\n`)).join('')],
    'two changes close enough to share a hunk': ['1\n2\n3\n4\n5\n6\n7\n8\n9\n', '1\nX\n3\n4\n5\n6\nY\n8\n9\n'],
    'two changes in separate hunks': ['1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n', '1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n'],
    'lines added to an empty file': ['', 'a\nb\n'],
    'everything removed': ['a\nb\nc\n', ''],
    'insertion at the top': ['a\nb\nc\nd\n', 'new\na\nb\nc\nd\n'],
    'the last newline removed': ['a\nb\nc\n', 'a\nb\nc'],
    'the smoke pack\'s bad patch': [
      'def count_words(text):\n    # Splits on single spaces only: repeated spaces, newlines and empty text miscount.\n    return len(text.split(" "))\n',
      "def count_words(text):\n    return text.count(' ') + 1\n",
    ],
  };
  const dir = tempDir();
  for (const [name, [before, after]] of Object.entries(cases)) {
    test(name, () => {
      const a = path.join(dir, 'a');
      const b = path.join(dir, 'b');
      writeFileSync(a, before);
      writeFileSync(b, after);
      const gnu = spawnSync('diff', ['-U2', a, b], { encoding: 'utf8' }).stdout.split('\n').slice(2, -1);
      const ours = unifiedLines(diffLines(splitLines(before), splitLines(after)).ops, 2).map((l) => l.text);
      assert.deepEqual(ours, gnu);
    });
  }
});

describe('compareContents', () => {
  test('same bytes, binary bytes, and a text change with its counts', () => {
    assert.deepEqual(compareContents(Buffer.from('x\n'), Buffer.from('x\n'), 2), { kind: 'same' });
    assert.deepEqual(compareContents(Buffer.from('x\n'), Buffer.from([0x89, 0x50, 0x00, 0x01]), 2), { kind: 'binary' });
    const change = compareContents(Buffer.from('a\nb\n'), Buffer.from('a\nc\nd\n'), 2);
    assert.equal(change.kind, 'text');
    assert.deepEqual(change.kind === 'text' && [change.added, change.removed, change.lines.map((l) => l.kind)], [2, 1, ['hunk', 'same', 'del', 'add', 'add']]);
  });
});
