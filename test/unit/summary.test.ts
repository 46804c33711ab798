/** The counts and the score text every shell shows, from one place. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NO_VALUE, scoreText } from '../../src/core/scoreText';
import { countsText, findingCounts, packHealth, statusCounts } from '../../src/core/summary';

describe('statusCounts', () => {
  test('counts results rows and journal trials alike; anything else is unknown', () => {
    const trials = [{ status: 'kept' }, { status: 'kept' }, { status: 'reverted' }, { status: 'error' }, { status: 'baseline' }, {}, { status: 'cancelled' }, { status: 'interrupted' }];
    assert.deepEqual(statusCounts(trials), { kept: 2, reverted: 1, error: 1, baseline: 1, unknown: 3 });
    assert.deepEqual(statusCounts([]), { kept: 0, reverted: 0, error: 0, baseline: 0, unknown: 0 });
  });

  test('the words of the tree and of a run\'s end message', () => {
    assert.equal(countsText(statusCounts([{ status: 'kept' }, { status: 'reverted' }, { status: 'reverted' }])), '1 kept, 2 reverted, 0 error');
  });
});

describe('findingCounts and packHealth', () => {
  test('errors and warnings are counted; info is not', () => {
    const counts = findingCounts([{ severity: 'error' }, { severity: 'warning' }, { severity: 'warning' }, { severity: 'info' }]);
    assert.deepEqual(counts, { errors: 1, warnings: 2 });
    assert.deepEqual(findingCounts([]), { errors: 0, warnings: 0 });
  });

  test('errors outrank warnings; none of either is valid', () => {
    assert.equal(packHealth({ errors: 1, warnings: 3 }), 'errors');
    assert.equal(packHealth({ errors: 0, warnings: 3 }), 'warnings');
    assert.equal(packHealth({ errors: 0, warnings: 0 }), 'valid');
  });
});

describe('scoreText', () => {
  test('four decimals by default, and one mark for no value', () => {
    assert.equal(scoreText(0.2), '0.2000');
    assert.equal(scoreText(-1.23456), '-1.2346');
    assert.equal(scoreText(0), '0.0000');
    assert.equal(scoreText(1, 2), '1.00');
    assert.equal(scoreText(undefined), '–');
    assert.equal(scoreText(undefined, 2), '–');
    assert.equal(NO_VALUE, '\u2013');
  });
});
