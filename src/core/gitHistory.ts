/**
 * The committed text of a file, for the append-only check. HEAD is read from .git directly (cheap, no
 * process), and `git show` runs only when HEAD moved, once per file.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';

const roots = new Map<string, string | undefined>();

/** The folder holding `.git` above `start`; cached per folder, since every pack of a repo asks. */
export function findRepoRoot(start: string): string | undefined {
  const dir = path.resolve(start);
  if (roots.has(dir)) return roots.get(dir);
  let root: string | undefined;
  if (existsSync(path.join(dir, '.git'))) root = dir;
  else if (path.dirname(dir) !== dir) root = findRepoRoot(path.dirname(dir));
  roots.set(dir, root);
  return root;
}

/** The commit HEAD points at, read from .git files; undefined for an unborn branch or a worktree we cannot read. */
async function headCommit(repo: string): Promise<string | undefined> {
  const gitDir = path.join(repo, '.git');
  try {
    const head = (await fs.readFile(path.join(gitDir, 'HEAD'), 'utf8')).trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    try {
      return (await fs.readFile(path.join(gitDir, ref), 'utf8')).trim();
    } catch {
      const packed = await fs.readFile(path.join(gitDir, 'packed-refs'), 'utf8');
      return packed.split('\n').find((l) => l.endsWith(` ${ref}`))?.split(' ')[0];
    }
  } catch {
    return undefined;
  }
}

const cache = new Map<string, string | null>();

/** The file's text at HEAD, or undefined when it is not committed (or there is no repository). */
export async function committedText(file: string): Promise<string | undefined> {
  const repo = findRepoRoot(path.dirname(file));
  if (!repo) return undefined;
  const commit = await headCommit(repo);
  if (!commit) return undefined;
  const rel = path.relative(repo, file).split(path.sep).join('/');
  const key = `${commit}:${repo}:${rel}`;
  if (!cache.has(key)) {
    try {
      // Loaded on first use: most validations never reach git.
      const { simpleGit } = await import('simple-git');
      cache.set(key, await simpleGit(repo).show([`HEAD:${rel}`]));
    } catch {
      cache.set(key, null);
    }
  }
  return cache.get(key) ?? undefined;
}
