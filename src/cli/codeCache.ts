/**
 * Loads a CommonJS bundle with V8's code cache. Parsing the 400 KB commands bundle cost every command
 * but validate about 40 ms of its start here; with the cache V8 reads the compiled code back instead.
 *
 * The cache is made on first use, by whichever Node runs the bundle (the terminal's, or VS Code's own
 * through ELECTRON_RUN_AS_NODE), so it lives in the user's cache folder rather than beside the bundle.
 * Its name holds a hash of the bundle and the Node and V8 versions: an update of any makes a new entry,
 * and a bundle keeps its few newest. The rest V8 checks only by a header (its flags, the source's
 * length), and it runs what the file holds: a damaged file can crash it, and a planted one runs as code.
 * So an entry is read only whole (a hash of its data goes first) and only from a folder and a file that
 * no one else can write. A cache that cannot be read, trusted or written only means a slower start.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { Script } from 'node:vm';

/** What happened to the cache: read back, made (absent, damaged or rejected), or not used, and why. */
export type CacheUse = 'accepted' | 'written' | 'unwritable' | 'untrusted' | 'off';

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

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();
const HASH_BYTES = 32;

interface CacheEntry {
  /** `<bundle>-<hash of its bytes>-<node>-<v8>-<arch>.v8`: one entry per build of the bundle and runtime. */
  name: string;
  /** What every entry of this bundle's name starts with. */
  bundle: string;
}

function cacheEntry(file: string, bytes: Buffer): CacheEntry {
  const bundle = `${path.basename(file)}-`;
  // Electron's Node can report the terminal Node's version over another V8.
  const runtime = `${process.version}-${process.versions.v8}-${process.arch}`;
  return { name: `${bundle}${sha256(bytes).toString('hex').slice(0, 24)}-${runtime}.v8`, bundle };
}

/** Owned by this user and writable by no one else (POSIX; elsewhere the folder's own permissions stand). */
function oursAlone(stats: Stats): boolean {
  if (typeof process.getuid !== 'function') return true;
  return stats.uid === process.getuid() && (stats.mode & 0o022) === 0;
}

/** The cache folder, made private if missing; not used when someone else could write in it. */
function cacheFolder(dir: string): 'ready' | 'unwritable' | 'untrusted' {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stats = lstatSync(dir);
    return stats.isDirectory() && oursAlone(stats) ? 'ready' : 'untrusted';
  } catch {
    return 'unwritable';
  }
}

/** An entry's data, if the file is ours alone and whole; undefined otherwise. */
function readEntry(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  try {
    if (!oursAlone(fstatSync(fd))) return undefined;
    const stored = readFileSync(fd);
    const data = stored.subarray(HASH_BYTES);
    return stored.length > HASH_BYTES && sha256(data).equals(stored.subarray(0, HASH_BYTES)) ? data : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
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
/** A temporary file this old was left by a start that died while writing it. */
const ABANDONED_MS = 60_000;

function pruneCache(dir: string, bundle: string): void {
  const files = readdirSync(dir)
    .filter((name) => name.startsWith(bundle) || name.startsWith(`.${bundle}`))
    .map((name) => ({ name, written: statSync(path.join(dir, name)).mtimeMs }));
  const entries = files.filter((f) => f.name.endsWith('.v8')).sort((a, b) => b.written - a.written);
  const abandoned = files.filter((f) => f.name.endsWith('.tmp') && Date.now() - f.written > ABANDONED_MS);
  for (const { name } of [...entries.slice(ENTRIES_PER_BUNDLE), ...abandoned]) rmSync(path.join(dir, name), { force: true });
}

/** Writes an entry whole or not at all (others may be starting meanwhile); then prunes the bundle's entries. */
function writeEntry(dir: string, entry: CacheEntry, data: Buffer): boolean {
  const temp = path.join(dir, `.${entry.name}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, Buffer.concat([sha256(data), data]), { mode: 0o600 });
    renameSync(temp, path.join(dir, entry.name));
  } catch {
    rmSync(temp, { force: true });
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
  const uncached = (cache: CacheUse): LoadedBundle => ({ exports: evaluate(new Script(source, { filename: file }), file), cache });
  if (cacheDir === undefined) return uncached('off');
  const folder = cacheFolder(cacheDir);
  if (folder !== 'ready') return uncached(folder);
  const entry = cacheEntry(file, bytes);
  const cachedData = readEntry(path.join(cacheDir, entry.name));
  const script = new Script(source, { filename: file, cachedData });
  const exports = evaluate(script, file);
  if (cachedData && !script.cachedDataRejected) return { exports, cache: 'accepted' };
  // After the bundle's top level has run: the cache then holds every function that ran, not just the outermost.
  return { exports, cache: writeEntry(cacheDir, entry, script.createCachedData()) ? 'written' : 'unwritable' };
}
