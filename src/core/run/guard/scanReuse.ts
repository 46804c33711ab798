/**
 * The last `git status`, reused while nothing it could show has changed. Before each scan the tree is
 * walked (an lstat of each file, as ../../treeSnapshot.ts does for Autopilot's sandbox), and so are
 * the git files that decide what status shows (HEAD, index, config, refs, info/exclude). A later walk
 * that differs from that one only at paths the caller exempts (the target, results.tsv, whose
 * changes it judges by other means) means the scan is still true, and no git process starts. A write,
 * a rename or a new link always moves a file's ctime, which no process can set back; the guard's mark
 * waits for the clock to tick first, so a proposal's write cannot share a ctime with what was walked.
 *
 * Left out of the walk, as the scan leaves them out: `.git` folders, `__pycache__`, `.autoexp`, `.pyc`
 * files, and whatever the last scan showed as ignored (a `.gitignore` is walked even then). A new
 * ignored file still differs from the last walk: git decides, once, and it is skipped after that.
 */
import * as path from 'node:path';
import { changedSince, fileSignature, snapshotTreeUpTo, type TreeSnapshot } from '../../treeSnapshot';
import type { Scan } from './scopes';

/**
 * Past this many files and folders a walk costs about what `git status` does (measured here: 5,100
 * files took 41 to 80 ms to walk and 43 to 59 ms for git), so a larger repository always asks git.
 */
export const MAX_WALKED_ENTRIES = 2000;

export class ScanReuse {
  private last?: { scan: Scan; tree: TreeSnapshot };
  /** Paths, relative to the root, that the last scan showed as ignored (folders without their slash). */
  private ignored = new Set<string>();
  /** False once the tree has been seen too large to walk. */
  private walkable = true;

  constructor(
    private readonly root: string,
    /** Absolute paths of the git files that decide what a scan shows. */
    private readonly controlFiles: () => string[],
    private readonly notWatched: (name: string) => boolean,
  ) {}

  /** The tree now, or undefined when it cannot be walked cheaply (too large, or a folder that cannot be read). */
  walk(): TreeSnapshot | undefined {
    if (!this.walkable) return undefined;
    const skip = (rel: string) => this.ignored.has(rel) || this.notWatched(path.basename(rel));
    let tree: TreeSnapshot | undefined;
    try {
      tree = snapshotTreeUpTo(this.root, skip, MAX_WALKED_ENTRIES);
    } catch {
      return undefined; // git reports what the walk could not read
    }
    if (!tree) {
      this.walkable = false;
      return undefined;
    }
    for (const file of this.controlFiles()) tree.set(file, fileSignature(file) ?? 'missing');
    return tree;
  }

  /** The last scan, when `tree` (a walk taken now) differs from the walk taken before it only at `exempt` paths. */
  reuse(tree: TreeSnapshot | undefined, exempt: ReadonlySet<string>): Scan | undefined {
    if (!tree || !this.last) return undefined;
    const rel = new Set([...exempt].map((file) => path.relative(this.root, file)));
    if (!changedSince(this.last.tree, tree).every((p) => rel.has(p))) return undefined;
    this.last.tree = tree;
    return this.last.scan;
  }

  /**
   * A new scan, and `tree`, the walk taken just before it: any change after that walk shows in the
   * next walk. `ignored` are the paths the scan showed as ignored, relative to the root.
   */
  remember(scan: Scan, tree: TreeSnapshot | undefined, ignored: readonly string[]): void {
    this.ignored = new Set(ignored);
    if (!tree) {
      this.last = undefined;
      return;
    }
    // The next walk skips what is ignored now: so does the one it is compared with.
    for (const rel of tree.keys()) if (this.isIgnored(rel)) tree.delete(rel);
    this.last = { scan, tree };
  }

  /** Whether `rel` or a folder above it was shown as ignored; the git files, named by absolute path, never are. */
  private isIgnored(rel: string): boolean {
    if (path.isAbsolute(rel)) return false;
    for (let at = rel; at !== '.'; at = path.dirname(at)) if (this.ignored.has(at)) return true;
    return false;
  }
}
