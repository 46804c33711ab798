import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstSentence } from '../../src/core/programSummary';

test('skips headings and Markdown marks, stops at the first sentence', () => {
  assert.equal(firstSentence('# smoke\n\nMake **count_words** count words correctly. Then stop.\n'), 'Make count_words count words correctly.');
});

test('a paragraph over several lines is joined; a BOM and CRLF are ignored', () => {
  assert.equal(firstSentence('\uFEFFKeep the prompt\r\nshort and kind! More.\r\n'), 'Keep the prompt short and kind!');
});

test('no sentence end: the whole first paragraph, clipped', () => {
  assert.equal(firstSentence('- a list item without a stop\n\nsecond'), 'a list item without a stop');
  assert.equal(firstSentence('x'.repeat(300)).length, 160);
  assert.equal(firstSentence(''), '');
});
