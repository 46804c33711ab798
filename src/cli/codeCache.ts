/**
 * Loads a CommonJS bundle with V8's code cache. Parsing the 400 KB commands bundle cost every command
 * but validate about 40 ms of its start here; with the cache V8 reads the compiled code back instead.
 *
 * The cache is made on first use, by whichever Node runs the bundle (the terminal's, or VS Code's own
 * through ELECTRON_RUN_AS_NODE), so it lives in the user's cache folder rather than beside the bundle.
 * Its name holds a hash of the bundle and the Node version: an update of either makes a new entry, and
 * a bundle keeps its few newest. V8 checks the rest (its version, flags, the source's length)
 * and rejects a cache that does not fit; the bundle is then compiled as `require` would, and the cache
 * made again. Nothing here can stop a command: a cache that cannot be read or written is only slower.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { Script } from 'node:vm';

/** What happened to the cache: read back, made (absent or rejected), could not be made, or not used. */
export type CacheUse = 'accepted' | 'written' | 'unwritable' | 'off';

export interface LoadedBundle {
  exports: Record<string, unknown>;
  cache: CacheUse;
}

/** Where Autoexp's caches go: under $XDG_CACHE_HOME, else the platform's usual folder; none without a home. */
export function userCacheDir(): string | undefined {
  try {
    if (process.env.XDG_CACHE_HOME && path.isAbsolute(process.env.XDG_CACHE_HOME)) return path.join(process.env.XDG_CACHE_HOME, 'autoexp');
    if (process.platform === 'darwin') return path.join(homedir(), 'Library', 'Caches', 'autoexp');
    if (process.platform === 'win32' && process.env.LOCALAPPDATA) return path.join(process.env.LOCALAPPDATA, 'autoexp', 'Cache');
    return path.join(homedir(), '.cache', 'autoexp');
  } catch {
    return undefined;
  }
}

/** `<bundle>-<hash of its bytes>-<node version>-<arch>.v8`: one entry per build of the bundle and Node. */
function cacheEntry(file: string, bytes: Buffer): { name: string; bundle: string } {
  const bundle = `${path.basename(file)}-`;
  return { name: `${bundle}${createHash('sha256').update(bytes).digest('hex').slice(0, 24)}-${process.version}-${process.arch}.v8`, bundle };
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Runs the compiled bundle as Node runs a CommonJS module, with a `require` of its own folder. */
function evaluate(script: Script, file: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/**
 * Entries of other builds are kept a while (two checkouts, or VS Code's copy and a terminal's, take
 * turns), but a bundle keeps no more than this many: the newest written.
 */
const ENTRIES_PER_BUNDLE = 8;

function pruneCache(dir: string, bundle: string): void {
  const entries = readdirSync(dir)
    .filter((name) => name.startsWith(bundle) && name.endsWith('.v8'))
    .map((name) => ({ name, written: statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.written - a.written);
  for (const { name } of entries.slice(ENTRIES_PER_BUNDLE)) rmSync(path.join(dir, name), { force: true });
}

/** Writes the cache whole or not at all (others may be starting meanwhile); then prunes the bundle's entries. */
function writeCache(dir: string, entry: { name: string; bundle: string }, data: Buffer): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    const temp = path.join(dir, `.${entry.name}.${process.pid}.tmp`);
    writeFileSync(temp, data);
    renameSync(temp, path.join(dir, entry.name));
  } catch {
    return false;
  }
  try {
    pruneCache(dir, entry.bundle);
  } catch {
    // Another start pruned at the same time.
  }
  return true;
}

/** Loads `file` (a CommonJS bundle), through the code cache in `cacheDir` unless it is undefined. */
export function loadBundle(file: string, cacheDir: string | undefined): LoadedBundle {
  const bytes = readFileSync(file);
  // The same parameters as Node's own module wrapper; on one line, so the bundle's line numbers hold.
  const source = `(function (exports, require, module, __filename, __dirname) { ${bytes.toString('utf8')}\n})`;
  if (cacheDir === undefined) return { exports: evaluate(new Script(source, { filename: file }), file), cache: 'off' };
  const entry = cacheEntry(file, bytes);
  const cachedData = readIfThere(path.join(cacheDir, entry.name));
  const script = new Script(source, { filename: file, cachedData });
  const exports = evaluate(script, file);
  if (cachedData && !script.cachedDataRejected) return { exports, cache: 'accepted' };
  // After the bundle's top level has run: the cache then holds every function that ran, not just the outermost.
  return { exports, cache: writeCache(cacheDir, entry, script.createCachedData()) ? 'written' : 'unwritable' };
}
