/**
 * Finds experiments folders and the packs inside them. Pure Node fs: the extension, the server and the
 * CLI all discover packs the same way.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
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

/** validate.py sorts by code point; `localeCompare` would not. */
export function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readDirs(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort(byName);
  } catch {
    return [];
  }
}

/**
 * Every experiments folder (by default `atris/experiments`) under `root`, nested product repos
 * included, skipping dot-folders such as .git, and node_modules. Symlinked folders are not followed.
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
    const children = await readDirs(dir);
    for (const name of children) {
      if (name.startsWith('.') || SKIPPED_DIRS.has(name)) continue;
      await walk(path.join(dir, name), [...parts, name], depth + 1);
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

  for (const name of await readDirs(dir)) {
    const child = path.join(dir, name);
    if (!isSkippedFolderName(name)) {
      packs.push(ref(child, 'pack'));
    } else if (name === SUPPORT_FOLDERS.examples) {
      for (const ex of await readDirs(child)) if (!isSkippedFolderName(ex)) support.push(ref(path.join(child, ex), 'example'));
    } else if (name === SUPPORT_FOLDERS.template) {
      if (await holdsRequiredFile(child)) support.push(ref(child, 'template'));
      for (const t of await readDirs(child)) support.push(ref(path.join(child, t), 'template'));
    } else if (name === SUPPORT_FOLDERS.fixtures) {
      for (const group of await readDirs(child)) {
        for (const f of await readDirs(path.join(child, group))) support.push(ref(path.join(child, group, f), 'fixture'));
      }
    }
  }
  return { dir, packs, support };
}

/** True when `dir` holds any of the four required files: validate.py then treats it as a pack itself. */
export async function holdsRequiredFile(dir: string): Promise<boolean> {
  const checks = await Promise.all(REQUIRED_FILES.map((f) => fs.stat(path.join(dir, f)).then(() => true, () => false)));
  return checks.some(Boolean);
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
 * What `autoexp validate ROOT` checks, following validate.py: a folder holding a required file is one
 * pack; else the experiments folders found under ROOT; else ROOT itself is read as an experiments folder.
 */
export async function packsToValidate(root: string): Promise<PackRef[]> {
  const dir = path.resolve(root);
  if (await holdsRequiredFile(dir)) {
    return [{ dir, slug: path.basename(dir), kind: 'pack', experimentsDir: path.dirname(dir) }];
  }
  const folders = await discoverWorkspace(dir);
  if (folders.length > 0) return folders.flatMap((f) => f.packs);
  return (await listExperimentsFolder(dir)).packs;
}
