/**
 * Where an agent works: never the user's working tree. In a git repository, a detached worktree of HEAD
 * with the working copies of the pack and the target copied over it, so the agent sees uncommitted
 * state; elsewhere, a copy of the pack and the target. Only the target's new content leaves the
 * sandbox; every other change is listed, then thrown away. One sandbox serves a whole session: between
 * trials `refresh()` puts it back as a new one would start, far cheaper than a new worktree each time.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { execa } from 'execa';
import { unlessMissing } from '../fsErrors';
import { findRepoRoot } from '../gitHistory';
import { changedSince, fileSignature, snapshotTree, type TreeSnapshot } from '../treeSnapshot';

const run = promisify(execFile);

/** Folders never copied into a sandbox: the run journal, and caches the agent does not need. */
const SKIPPED = new Set(['.autoexp', '__pycache__', 'node_modules', '.git']);

export interface Sandbox {
  /** The agent's working directory. */
  root: string;
  /** The sandbox copies of the pack and the target. */
  pack: string;
  target: string;
  kind: 'worktree' | 'copy';
  /** Paths (relative to the sandbox root) that differ from how the sandbox started, the target excluded. */
  otherChanges(): Promise<string[]>;
  /**
   * Back to how a new sandbox would start: HEAD as it is now in the repository, everything the last
   * agent wrote (ignored files too) gone, and the user's pack and target as they are now.
   */
  refresh(): Promise<void>;
  /** Removes the sandbox, and its worktree registration. */
  dispose(): Promise<void>;
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

const hashFile = (file: string) => (existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'missing');

/**
 * The commit the repository's HEAD names, read from .git without starting git; undefined when that is
 * not plain (a linked worktree, a submodule, an unusual ref), and the caller then asks git itself.
 */
export function readHeadCommit(repo: string): string | undefined {
  try {
    const gitDir = path.join(repo, '.git');
    const head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40,64}$/.test(head)) return head;
    const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
    if (!ref) return undefined;
    const loose = unlessMissing(() => readFileSync(path.join(gitDir, ref), 'utf8').trim());
    if (loose !== undefined) return /^[0-9a-f]{40,64}$/.test(loose) ? loose : undefined;
    const packed = unlessMissing(() => readFileSync(path.join(gitDir, 'packed-refs'), 'utf8')) ?? '';
    return packed.split('\n').find((line) => line.endsWith(` ${ref}`))?.split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Every file under a folder, relative to it, skipping the folders agents have no business in. */
function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIPPED.has(e.name)) return [];
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
  });
}

function copyInto(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true, filter: (src) => !SKIPPED.has(path.basename(src)) });
}

/** A fingerprint of the files that may differ from HEAD at the start, to tell the agent's changes from ours. */
function fingerprint(root: string, files: readonly string[]): Map<string, string> {
  return new Map(files.map((f) => [f, hashFile(path.join(root, f))]));
}

/** Which of these paths (relative to the worktree) git ignores: what git status would not name as changed. */
async function ignoredPaths(root: string, paths: readonly string[]): Promise<Set<string>> {
  // Exit 1 is "none ignored"; the paths go on stdin, as many as an agent may leave.
  const result = await execa('git', ['check-ignore', '-z', '--stdin'], { cwd: root, input: paths.join('\0'), reject: false, encoding: 'utf8' });
  if (result.exitCode !== 0 && result.exitCode !== 1) throw new Error(`git check-ignore failed in ${root}: ${result.stderr.trim()}`);
  return new Set(result.stdout.split('\0').filter(Boolean));
}

async function worktreeSandbox(repo: string, pack: string, target: string): Promise<Sandbox | undefined> {
  let checkedOut = readHeadCommit(repo);
  try {
    checkedOut ??= (await git(repo, ['rev-parse', '--verify', '--quiet', 'HEAD'])).trim();
  } catch {
    return undefined; // an unborn branch has no HEAD to check out
  }
  const holder = mkdtempSync(path.join(tmpdir(), 'autoexp-sandbox-'));
  const root = path.join(holder, 'tree');
  await git(repo, ['worktree', 'add', '--detach', '--quiet', root, checkedOut]);
  const inSandbox = (p: string) => path.join(root, path.relative(repo, p));
  const targetRel = path.relative(repo, target);
  const packRel = path.relative(repo, pack);
  const putBackByCopy = (p: string) => p === targetRel || p === packRel || p.startsWith(packRel + path.sep);
  // The worktree's `.git` is a file naming its git folder, which lies outside the sandbox.
  const snapshot = () => snapshotTree(root, (rel) => rel === '.git');
  /** The sandbox as the agent gets it: compared with what it leaves, file by file, without git. */
  let start: TreeSnapshot;
  /** `rest`: the tree as it is now outside the pack and the target, when known; only those two are read again. */
  const copyUserState = (rest?: TreeSnapshot) => {
    // The user's pack as it is now: what a trial added to it (a row, memory.md, a replay) included.
    rmSync(inSandbox(pack), { recursive: true, force: true });
    copyInto(pack, inSandbox(pack));
    copyInto(target, inSandbox(target));
    if (!rest) return void (start = snapshot());
    for (const p of rest.keys()) if (p !== packRel && putBackByCopy(p)) rest.delete(p);
    start = snapshotTree(inSandbox(pack), () => false, packRel + path.sep, rest);
    const targetSignature = fileSignature(inSandbox(target));
    if (targetSignature !== undefined) start.set(targetRel, targetSignature);
  };
  copyUserState();
  return {
    root,
    pack: inSandbox(pack),
    target: inSandbox(target),
    kind: 'worktree',
    async otherChanges() {
      const changed = changedSince(start, snapshot(), true).filter((p) => p !== targetRel);
      if (changed.length === 0) return changed; // the common trial: no git process at all
      // Named as git status would: files git ignores (a build, a cache) are thrown away unnamed.
      const ignored = await ignoredPaths(root, changed);
      return changed.filter((p) => !ignored.has(p));
    },
    async refresh() {
      // When HEAD has not moved and nothing outside the pack and the target differs from how the last
      // agent got the sandbox (a late write would show), the fresh copies alone make it new: no git.
      const head = readHeadCommit(repo);
      const now = snapshot();
      if (head !== undefined && head === checkedOut && changedSince(start, now).every(putBackByCopy)) return copyUserState(now);
      // main-worktree/HEAD: the repository's HEAD now, which the user may have moved since the last trial.
      await git(root, ['reset', '--hard', '--quiet', 'main-worktree/HEAD']);
      await git(root, ['clean', '-fdxq']);
      checkedOut = head ?? '';
      copyUserState();
    },
    async dispose() {
      // The removal takes the registration with the folder; a prune is needed only when it failed.
      const removed = await git(repo, ['worktree', 'remove', '--force', root]).then(
        () => true,
        () => false,
      );
      rmSync(holder, { recursive: true, force: true });
      if (!removed) await git(repo, ['worktree', 'prune']).catch(() => undefined);
    },
  };
}

function copySandbox(pack: string, target: string): Sandbox {
  const holder = mkdtempSync(path.join(tmpdir(), 'autoexp-sandbox-'));
  // Keep the pack and the target at the same relative places: under their common folder.
  let base = path.dirname(pack);
  while (path.relative(base, target).startsWith('..')) base = path.dirname(base);
  const root = path.join(holder, 'tree');
  const inSandbox = (p: string) => path.join(root, path.relative(base, p));
  const targetRel = path.relative(base, target);
  let start = new Map<string, string>();
  const copyUserState = () => {
    rmSync(root, { recursive: true, force: true });
    copyInto(pack, inSandbox(pack));
    copyInto(target, inSandbox(target));
    start = fingerprint(root, listFiles(root));
  };
  copyUserState();
  return {
    root,
    pack: inSandbox(pack),
    target: inSandbox(target),
    kind: 'copy',
    async otherChanges() {
      const now = fingerprint(root, listFiles(root));
      const changed = new Set<string>();
      for (const [p, h] of now) if (start.get(p) !== h) changed.add(p);
      for (const p of start.keys()) if (!now.has(p)) changed.add(p);
      changed.delete(targetRel);
      return [...changed].sort();
    },
    async refresh() {
      copyUserState();
    },
    async dispose() {
      rmSync(holder, { recursive: true, force: true });
    },
  };
}

/** Removes a sandbox a killed run left behind: its folder, and its worktree registration if it had one. */
export async function removeLeftoverSandbox(pack: string, root: string): Promise<void> {
  const repo = findRepoRoot(pack);
  if (repo) await git(repo, ['worktree', 'remove', '--force', root]).catch(() => undefined);
  rmSync(path.dirname(root), { recursive: true, force: true });
  if (repo) await git(repo, ['worktree', 'prune']).catch(() => undefined);
}

export async function createSandbox(pack: string, target: string): Promise<Sandbox> {
  const repo = findRepoRoot(pack);
  if (repo && !path.relative(repo, target).startsWith('..')) {
    const sandbox = await worktreeSandbox(repo, pack, target);
    if (sandbox) return sandbox;
  }
  return copySandbox(pack, target);
}
