/**
 * What the guard watches, listed cheaply. In a git repository: the paths `git status` shows (changed
 * tracked files and new files git does not ignore, plus any `.gitignore`, since a new one could hide
 * files), every other tracked file being as the index says; the last status is reused while a walk
 * shows that nothing it could show has changed (./scanReuse.ts). Outside git: every file under the folder.
 */
import * as path from 'node:path';
import { execa } from 'execa';
import { listFiles } from './fileEntry';
import { controlFiles, type GitDirs } from './gitControl';
import { ScanReuse } from './scanReuse';

/** Absolute path → whether git tracks it (a clean tracked file is put back from the index). */
export type Scan = Map<string, 'tracked' | 'untracked'>;

export interface Scope {
  root: string;
  git?: GitDirs;
  scan(): Promise<Scan>;
  /**
   * What scan() would give now. It may be the last scan again, when nothing but the `exempt` paths
   * (absolute) has changed since: the caller judges those itself.
   */
  rescan(exempt: ReadonlySet<string>): Promise<Scan>;
  /** Tracked files that were clean: put back from the index. */
  restoreTracked(files: string[]): Promise<void>;
}

/** Bytecode caches appear whenever Python imports, and the journal is ours: neither is the proposal's doing. */
const NOT_WATCHED = new Set(['__pycache__', '.autoexp']);
/** Outside git nothing says what is generated: tool folders are left out too. */
const SKIPPED_DIRS = new Set([...NOT_WATCHED, '.git', 'node_modules', '.venv', '.mypy_cache', '.pytest_cache']);
const notWatched = (rel: string) => rel.split('/').some((part) => NOT_WATCHED.has(part)) || rel.endsWith('.pyc');
/** The same, for one name in a walk; `.git` folders (a submodule's too) are git's, watched through its control files. */
const notWalked = (name: string) => name === '.git' || NOT_WATCHED.has(name) || name.endsWith('.pyc');

/** Git without taking optional locks: our `git status` must not rewrite the user's index. */
function git(root: string, args: string[], encoding: 'utf8' | 'buffer' = 'utf8') {
  return execa('git', args, { cwd: root, encoding, reject: false, stdin: 'ignore', env: { GIT_OPTIONAL_LOCKS: '0' } });
}

export async function gitScope(start: string): Promise<Scope | undefined> {
  const probe = await git(start, ['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', '--show-object-format']).catch(() => undefined);
  if (!probe || probe.exitCode !== 0) return undefined;
  const [root, gitDir, commonDir, format] = String(probe.stdout).trim().split('\n');
  const dirs: GitDirs = { gitDir, commonDir: path.resolve(start, commonDir), oidBytes: format === 'sha256' ? 32 : 20 };
  const reuse = new ScanReuse(root, () => controlFiles(dirs), notWalked);
  // The walk before the status: whatever changes after the walk shows in the next one, even if this status saw it.
  const scan = async (tree = reuse.walk()): Promise<Scan> => {
    const status = await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignored=matching', '--no-renames'], 'buffer');
    if (status.exitCode !== 0) throw new Error(`git status failed in ${root}: ${Buffer.from(status.stderr as Uint8Array).toString().trim()}`);
    const found: Scan = new Map();
    const ignored: string[] = [];
    for (const record of Buffer.from(status.stdout as Uint8Array).toString('utf8').split('\0')) {
      if (record.length < 4) continue;
      const xy = record.slice(0, 2);
      const rel = record.slice(3).replace(/\/$/, '');
      if (notWatched(rel)) continue;
      if (xy === '!!' && path.posix.basename(rel) !== '.gitignore') {
        ignored.push(rel);
        continue;
      }
      found.set(path.join(root, rel), xy === '??' || xy === '!!' ? 'untracked' : 'tracked');
    }
    reuse.remember(found, tree, ignored);
    return found;
  };
  return {
    root,
    git: dirs,
    scan: () => scan(),
    async rescan(exempt) {
      const tree = reuse.walk();
      return reuse.reuse(tree, exempt) ?? scan(tree);
    },
    async restoreTracked(files) {
      if (files.length) await git(root, ['checkout-index', '--force', '--quiet', '--', ...files.map((f) => path.relative(root, f))]);
    },
  };
}

export function folderScope(root: string): Scope {
  return {
    root,
    async scan() {
      const files = listFiles(root, (name) => SKIPPED_DIRS.has(name)).filter((file) => !file.endsWith('.pyc'));
      return new Map(files.map((file) => [file, 'untracked']));
    },
    rescan() {
      return this.scan();
    },
    async restoreTracked() {
      // Nothing is tracked outside git: every file was snapshotted.
    },
  };
}
