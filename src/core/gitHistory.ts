/**
 * The committed text of a file, for the append-only check. HEAD is read from .git directly (cheap, no
 * process), and `git show` runs only when HEAD moved, once per file.
 */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { oneLine } from './errors';
import { isMissing } from './fsErrors';

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

/** A file that is not there: no such file, or `.git` is a file (a worktree's) and not a folder. */

/** The text of a file under .git, or undefined when it is absent; any other failure is thrown. */
async function readGitFile(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/** The commit HEAD points at, read from .git files; undefined for an unborn branch or a worktree's `.git` file. */
async function headCommit(repo: string): Promise<string | undefined> {
  const gitDir = path.join(repo, '.git');
  const head = (await readGitFile(path.join(gitDir, 'HEAD')))?.trim();
  if (head === undefined || !head.startsWith('ref: ')) return head;
  const ref = head.slice(5);
  const loose = await readGitFile(path.join(gitDir, ref));
  if (loose !== undefined) return loose.trim();
  const packed = await readGitFile(path.join(gitDir, 'packed-refs'));
  return packed?.split('\n').find((l) => l.endsWith(` ${ref}`))?.split(' ')[0];
}

/** What git says (in the C locale) of a path HEAD does not hold: not committed, not a failure. */
const NOT_IN_HEAD = /exists on disk, but not in|does not exist in/;

const cache = new Map<string, string | null>();

/**
 * The environment for simple-git: only what git needs to find itself and the user's config, in
 * English. simple-git refuses to start git when the environment holds an editor, a pager, an askpass
 * or an ssh command, and npm and VS Code both set EDITOR; `git show` needs none of them.
 */
function gitEnv(): Record<string, string> {
  const env: Record<string, string> = { LC_ALL: 'C' };
  for (const name of ['PATH', 'HOME', 'USERPROFILE', 'SYSTEMROOT', 'XDG_CONFIG_HOME']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/**
 * The file's text at HEAD, or undefined when it is not committed (or there is no repository). A git
 * that fails otherwise (not installed, a repository it refuses) is thrown, for the caller to report.
 */
export async function committedText(file: string): Promise<string | undefined> {
  const repo = findRepoRoot(path.dirname(file));
  if (!repo) return undefined;
  const commit = await headCommit(repo);
  if (!commit) return undefined;
  const rel = path.relative(repo, file).split(path.sep).join('/');
  const key = `${commit}:${repo}:${rel}`;
  if (!cache.has(key)) {
    // Loaded on first use: most validations never reach git.
    const { simpleGit } = await import('simple-git');
    try {
      cache.set(key, await simpleGit(repo).env(gitEnv()).show([`HEAD:${rel}`]));
    } catch (err) {
      if (!NOT_IN_HEAD.test(oneLine(err))) throw err;
      cache.set(key, null);
    }
  }
  return cache.get(key) ?? undefined;
}
