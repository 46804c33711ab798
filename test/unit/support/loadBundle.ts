/**
 * Loads one bundle through the code cache in a process of its own, for code-cache.test.ts: within one
 * process V8 answers a second compile of the same source from memory and never reads the cache.
 * Arguments: BUNDLE CACHE_DIR. Prints the cache's use, then the bundle's `answer` as JSON.
 */
import { loadBundle } from '../../../src/cli/codeCache';

const [bundle, cacheDir] = process.argv.slice(2);
const loaded = loadBundle(bundle, cacheDir);
console.log(loaded.cache);
console.log(JSON.stringify((loaded.exports.answer as () => unknown)()));
