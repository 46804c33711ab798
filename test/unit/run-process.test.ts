/**
 * runProcess (src/core/process.ts) with real Python: once it has answered, nothing it set up is left
 * running, so a CLI whose last process has ended exits at once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runProcess } from '../../src/core/process';
import { tempDir } from './helpers';

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('runProcess', () => {
  test('leaves no timer behind: the pipe grace it races against is cleared once the output is read', async () => {
    const before = timers();
    const result = await runProcess('python3', ['-c', 'print("done")'], { cwd: tempDir() });
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, 'done\n');
    // The grace is 100 ms: left armed, it would still be pending here, and hold the process open.
    assert.equal(timers(), before);
  });
});
