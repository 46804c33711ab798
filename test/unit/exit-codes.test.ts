/** The one table between a run's outcome and its exit code, read both ways. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EXIT_BY_STATUS, EXIT_CANCELLED, outcomeOfExit } from '../../src/core/run/exitCodes';

describe('exit codes', () => {
  test('each run status has its code', () => {
    assert.deepEqual(EXIT_BY_STATUS, { finished: 0, stopped: 1, error: 1, interrupted: 1, cancelled: 130 });
    assert.equal(EXIT_CANCELLED, 130);
  });

  test('each code reads back as the outcome the extension reports', () => {
    assert.equal(outcomeOfExit(0), 'finished');
    assert.equal(outcomeOfExit(130), 'cancelled');
    assert.equal(outcomeOfExit(1), 'failed');
    assert.equal(outcomeOfExit(2), 'failed');
    assert.equal(outcomeOfExit(undefined), 'failed');
  });

  test('every status survives the round trip as finished, cancelled or failed', () => {
    const back = Object.fromEntries(Object.entries(EXIT_BY_STATUS).map(([status, code]) => [status, outcomeOfExit(code)]));
    assert.deepEqual(back, { finished: 'finished', stopped: 'failed', error: 'failed', interrupted: 'failed', cancelled: 'cancelled' });
  });
});
