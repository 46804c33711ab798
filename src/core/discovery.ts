/**
 * Finds experiments folders and the packs inside them. Pure Node fs: the extension, the server and the
 * CLI all discover packs the same way.
 */
import { type Dirent, existsSync, promises as fs, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { byCodePoint, readEntries, readFolders } from './folderEntries';
import { DEFAULT_EXPERIMENTS_FOLDERS, REQUIRED_FILES, SUPPORT_FOLDERS, isSkippedFolderName } from './packFormat';

export type PackKind = 'pack' | 'example' | 'template' | 'fixture';

export interface PackRef {
  /** Absolute folder of the pack. */
  dir: string;
  /** The folder name: what validate.py calls `<name>`. */
  slug: string;
  kind: PackKind;
  /** The experiments folder the pack was found in. */
  experimentsDir: string;
}

export interface ExperimentsFolder {
  dir: string;
  /** Packs validate.py would check, in its order. */
  packs: PackRef[];
  /** `_examples/<slug>`, `_template/<name>` and `_fixtures/{valid,invalid}/<name>`: listed apart, never validated. */
  support: PackRef[];
}

/** Folders never worth descending into when looking for experiments folders. */
const SKIPPED_DIRS = new Set(['node_modules', '__pycache__', '.autoexp']);
const MAX_DEPTH = 8;

/** The entries of `dir` by code point; none when it cannot be read: the search of a workspace goes on past a folder it may not list. */
async function childEntries(dir: string): Promise<Dirent[]> {
  try {
    return (await fs.readdir(dir, { withFileTypes: true })).sort((x, y) => byCodePoint(x.name, y.name));
  } catch {
    return [];
  }
}

/**
 * Every experiments folder (by default `atris/experiments`) under `root`, nested product repos
 * included, skipping dot-folders such as .git, and node_modules. The search never descends through a
 * symbolic link (links can loop), but an experiments folder that is itself a link is found.
 */
export async function findExperimentsFolders(
  root: string,
  folders: readonly string[] = DEFAULT_EXPERIMENTS_FOLDERS,
): Promise<string[]> {
  const suffixes = folders.map((f) => f.split(/[\\/]+/).filter(Boolean));
  const found: string[] = [];
  const isExperimentsDir = (parts: string[]) =>
    suffixes.some((s) => s.length <= parts.length && s.every((seg, i) => parts[parts.length - s.length + i] === seg));

  async function walk(dir: string, parts: string[], depth: number): Promise<void> {
    if (isExperimentsDir(parts)) {
      found.push(dir);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    for (const entry of await childEntries(dir)) {
      const name = entry.name;
      if (name.startsWith('.') || SKIPPED_DIRS.has(name)) continue;
      const child = path.join(dir, name);
      const childParts = [...parts, name];
      const linkedExperimentsDir = entry.isSymbolicLink() && isExperimentsDir(childParts) && (statSync(child, { throwIfNoEntry: false })?.isDirectory() ?? false);
      if (entry.isDirectory() || linkedExperimentsDir) await walk(child, childParts, depth + 1);
    }
  }
  await walk(path.resolve(root), [], 0);
  return found;
}

/** The packs and support packs of one experiments folder, in validate.py's order. */
export async function listExperimentsFolder(experimentsDir: string): Promise<ExperimentsFolder> {
  const dir = path.resolve(experimentsDir);
  const packs: PackRef[] = [];
  const support: PackRef[] = [];
  const ref = (packDir: string, kind: PackKind): PackRef => ({ dir: packDir, slug: path.basename(packDir), kind, experimentsDir: dir });

  for (const name of readFolders(dir)) {
    const child = path.join(dir, name);
    if (!isSkippedFolderName(name)) {
      packs.push(ref(child, 'pack'));
    } else if (name === SUPPORT_FOLDERS.examples) {
      for (const ex of readFolders(child)) if (!isSkippedFolderName(ex)) support.push(ref(path.join(child, ex), 'example'));
    } else if (name === SUPPORT_FOLDERS.template) {
      if (holdsRequiredFile(child)) support.push(ref(child, 'template'));
      for (const t of readFolders(child)) support.push(ref(path.join(child, t), 'template'));
    } else if (name === SUPPORT_FOLDERS.fixtures) {
      for (const group of readFolders(child)) {
        for (const f of readFolders(path.join(child, group))) support.push(ref(path.join(child, group, f), 'fixture'));
      }
    }
  }
  return { dir, packs, support };
}

/**
 * True when `dir` holds any of the four required files, links followed (a broken link does not count):
 * validate.py then treats it as a pack itself.
 */
export function holdsRequiredFile(dir: string): boolean {
  return REQUIRED_FILES.some((f) => existsSync(path.join(dir, f)));
}

/** Everything under one workspace root: each experiments folder with its packs. */
export async function discoverWorkspace(
  root: string,
  folders: readonly string[] = DEFAULT_EXPERIMENTS_FOLDERS,
): Promise<ExperimentsFolder[]> {
  const dirs = await findExperimentsFolders(root, folders);
  return Promise.all(dirs.map(listExperimentsFolder));
}

/**
 * What `autoexp validate` checks with no ROOT: the current folder when it is a pack, else every
 * experiments folder found under it, else the current folder read as an experiments folder.
 */
export async function packsToValidate(root: string): Promise<PackRef[]> {
  const dir = path.resolve(root);
  if (holdsRequiredFile(dir)) return [rootPack(dir)];
  const folders = await discoverWorkspace(dir);
  if (folders.length > 0) return folders.flatMap((f) => f.packs);
  return (await listExperimentsFolder(dir)).packs;
}

function rootPack(dir: string): PackRef {
  return { dir, slug: path.basename(dir), kind: 'pack', experimentsDir: path.dirname(dir) };
}

export interface ReferencePacks {
  packs: PackRef[];
  /** Why ROOT gave no packs at all, as a one-line hint naming it. */
  problem?: string;
}

/**
 * What validate.py checks for an explicit ROOT, never a search: ROOT with its links resolved (so a
 * linked ROOT or `.` is named by the real folder), as one pack when it holds a required file, else its
 * sub-folders, links to folders included, that are not hidden or support folders.
 */
export function referencePacks(root: string): ReferencePacks {
  let dir: string;
  try {
    dir = realpathSync(root);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { packs: [], problem: `${path.resolve(root)}: ${code === 'ENOENT' ? 'no such folder' : `cannot read (${code})`}` };
  }
  if (!statSync(dir).isDirectory()) return { packs: [], problem: `${dir}: not a folder` };
  if (holdsRequiredFile(dir)) return { packs: [rootPack(dir)] };
  let entries;
  try {
    entries = readEntries(dir);
  } catch (err) {
    return { packs: [], problem: `${dir}: cannot read (${(err as NodeJS.ErrnoException).code})` };
  }
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  const packs = entries
    .filter((e) => e.isDirectory && !isSkippedFolderName(e.name))
    .map((e) => e.name)
    .sort(byCodePoint)
    .map((name): PackRef => ({ dir: prefix + name, slug: name, kind: 'pack', experimentsDir: dir }));
  return { packs, problem: packs.length === 0 ? `${dir}: holds no pack folders and none of ${REQUIRED_FILES.join(', ')}` : undefined };
}
