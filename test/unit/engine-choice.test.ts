/** chooseEngine: the one rule for which engine runs a loop, and each usage error it gives. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { chooseEngine } from '../../src/core/run/engineChoice';
import { packFiles, tempDir, writeTree } from './helpers';

const withLoop = () => path.join(writeTree(tempDir(), packFiles('p')), 'p');
const STUB = 'def main():\n    print("placeholder")\n\nif __name__ == "__main__":\n    main()\n';

describe('chooseEngine', () => {
  test('the engine asked for wins, whatever the pack holds', () => {
    assert.deepEqual(chooseEngine(withLoop(), { engine: 'native' }), { ok: true, engine: 'native', direction: undefined });
    assert.deepEqual(chooseEngine(path.join(tempDir(), 'none'), { engine: 'pack' }), { ok: true, engine: 'pack', direction: undefined });
  });

  test('a native-only option asks for the native engine, silently', () => {
    const pack = withLoop();
    assert.deepEqual(chooseEngine(pack, { repeat: 3 }), { ok: true, engine: 'native', direction: undefined });
    assert.deepEqual(chooseEngine(pack, { margin: 0 }), { ok: true, engine: 'native', direction: undefined });
    assert.deepEqual(chooseEngine(pack, { direction: 'lower' }), { ok: true, engine: 'native', direction: 'lower' });
    assert.deepEqual(chooseEngine(pack, { engine: 'native', direction: 'higher', repeat: 2, margin: 0.1 }), { ok: true, engine: 'native', direction: 'higher' });
  });

  test('nothing asked: the pack engine for a real loop.py, the native one (with the reason) otherwise', () => {
    assert.deepEqual(chooseEngine(withLoop(), {}), { ok: true, engine: 'pack' });
    const stub = path.join(writeTree(tempDir(), { ...packFiles('p'), 'p/loop.py': STUB }), 'p');
    assert.deepEqual(chooseEngine(stub, {}), { ok: true, engine: 'native', why: 'loop.py is still the template stub' });
    const empty = path.join(writeTree(tempDir(), packFiles('p')), 'q');
    assert.deepEqual(chooseEngine(empty, {}), { ok: true, engine: 'native', why: 'the pack has no loop.py' });
  });

  test('an unknown engine is a usage error', () => {
    assert.deepEqual(chooseEngine(withLoop(), { engine: 'fast' }), { ok: false, usage: '--engine is pack or native, got "fast"' });
  });

  test('an unknown direction is a usage error', () => {
    assert.deepEqual(chooseEngine(withLoop(), { direction: 'up' }), { ok: false, usage: '--direction is higher or lower, got "up"' });
  });

  test('the pack engine with a native-only option is a usage error, for each of them', () => {
    const usage = "--repeat, --margin and --direction belong to the native engine; the pack engine keeps by loop.py's own rule";
    for (const request of [{ repeat: 2 }, { margin: 0.1 }, { direction: 'higher' }]) {
      assert.deepEqual(chooseEngine(withLoop(), { engine: 'pack', ...request }), { ok: false, usage });
    }
  });

  test('a keep-rule flag asks for the native engine, and with the pack engine is refused by its name', () => {
    assert.deepEqual(chooseEngine(withLoop(), { nativeFlags: ['--keep-rule'] }), { ok: true, engine: 'native', direction: undefined });
    assert.deepEqual(chooseEngine(withLoop(), { engine: 'pack', nativeFlags: ['--secondary', '--metrics'] }), {
      ok: false,
      usage: "--secondary belongs to the native engine; the pack engine keeps by loop.py's own rule",
    });
  });

  test('the engine is judged before the direction, and both before the conflict', () => {
    assert.deepEqual(chooseEngine(withLoop(), { engine: 'fast', direction: 'up' }), { ok: false, usage: '--engine is pack or native, got "fast"' });
    assert.deepEqual(chooseEngine(withLoop(), { engine: 'pack', direction: 'up' }), { ok: false, usage: '--direction is higher or lower, got "up"' });
  });
});
