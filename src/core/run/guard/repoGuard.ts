/**
 * The guard around a proposal: a proposal may change its target and nothing else. `mark()` before
 * the proposal, `check(mark)` after it: every other change in the repository (tracked files, new files
 * git does not ignore, `.git`'s config, hooks, refs, HEAD and index, and rows added to results.tsv) is
 * put back, new files removed, and each path named. Outside git the folder that holds the pack's
 * `atris/` is covered instead.
 *
 * Cost: one `git status` and one lstat per changed file and per `.git` control file, each side of the
 * proposal. Unchanged files are never read twice (see ./fileEntry.ts).
 */
import { lstatSync, readdirSync, rmdirSync } from 'node:fs';
import * as path from 'node:path';
import { realPath } from '../../realPath';
import { ensureJournalDir, journalRoot } from '../journal';
import type { SnapshotStore } from '../snapshots';
import { AppendOnlyFile, type AppendOnlyMark } from './appendOnly';
import { captureEntry, putBack, unchanged, type Entry } from './fileEntry';
import { captureControl, changedControl, type ControlState } from './gitControl';
import { folderScope, gitScope, type Scan, type Scope } from './scopes';

export interface GuardOptions {
  pack: string;
  target: string;
  resultsFile?: string;
  store: SnapshotStore;
  /** Names this guard's copy of results.tsv (the run's id). */
  id: string;
}

export interface GuardMark {
  /** When the mark was taken (ms since the epoch): folders created after it may be removed. */
  at: number;
  /** What `git status` listed (outside git, every file), as it was; undefined: a tracked file already deleted. */
  files: Map<string, Entry | undefined>;
  control?: ControlState;
  results?: AppendOnlyMark;
}

export interface GuardReport {
  /** Every path that changed, absolute and sorted; the target is never one. */
  changed: string[];
  /** Those that could not be put back (a folder, a file over the snapshot limit). */
  unrestorable: string[];
}

/** Each put-back can change what the next scan shows (an ignore rule restored): scan again, a few times at most. */
const MAX_ROUNDS = 4;
/** File-system clocks tick coarsely: a folder made just after the mark can carry a time just before it. */
const CLOCK_SLACK_MS = 20;

/** When a file was made: its birth time where the file system keeps one, else its last status change. */
function madeAt(file: string): number {
  try {
    const stat = lstatSync(file);
    return stat.birthtimeMs || stat.ctimeMs;
  } catch {
    return 0;
  }
}

function mtimeMs(file: string): number {
  try {
    return lstatSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

export class RepoGuard {
  private cache = new Map<string, Entry>();
  private control?: ControlState;

  private constructor(
    readonly scope: Scope,
    private readonly store: SnapshotStore,
    private readonly target: string,
    private readonly results?: AppendOnlyFile,
  ) {}

  static async open(options: GuardOptions): Promise<RepoGuard> {
    // Real paths: git and the folder walk report them so, and the target is compared by its path.
    const pack = realPath(options.pack);
    const root = journalRoot(pack);
    const scope = (await gitScope(pack)) ?? folderScope(root);
    const copy = path.join(ensureJournalDir(root), `guard-${options.id}-results.tsv`);
    const results = options.resultsFile ? new AppendOnlyFile(realPath(options.resultsFile), copy) : undefined;
    return new RepoGuard(scope, options.store, realPath(options.target), results);
  }

  get root(): string {
    return this.scope.root;
  }

  /** results.tsv is checked as append-only, not as a file to snapshot whole on every trial. */
  private isResults(file: string): boolean {
    return file === this.results?.file;
  }

  async mark(): Promise<GuardMark> {
    const at = Date.now();
    const scan = await this.scope.scan();
    const files = new Map<string, Entry | undefined>();
    const cache = new Map<string, Entry>();
    for (const file of scan.keys()) {
      if (this.isResults(file)) continue;
      const entry = captureEntry(this.store, file, this.cache.get(file));
      files.set(file, entry);
      if (entry) cache.set(file, entry);
    }
    this.cache = cache;
    if (this.scope.git) this.control = captureControl(this.store, this.scope.git, this.control);
    return { at, files, control: this.control, results: this.results?.mark() };
  }

  /**
   * Puts back everything that changed since `mark`, except the target (unless `targetToo`), and says
   * what it was. `.git` first (the index decides what a clean file is), then results.tsv, then files.
   */
  async check(mark: GuardMark, options: { targetToo?: boolean } = {}): Promise<GuardReport> {
    const changed = new Set<string>();
    const unrestorable = new Set<string>();
    const putBackOrNote = (file: string, entry: Entry | undefined) => {
      changed.add(file);
      if (!putBack(this.store, file, entry)) unrestorable.add(file);
    };
    if (mark.control && this.scope.git) for (const file of changedControl(this.store, this.scope.git, mark.control)) putBackOrNote(file, mark.control.get(file));
    if (this.results && this.results.check(mark.results) !== 'unchanged') changed.add(this.results.file);
    const skip = (file: string) => unrestorable.has(file) || (file === this.target && !options.targetToo);
    const removed: string[] = [];
    for (let round = 1; ; round++) {
      const { modified, tracked, created } = this.diff(mark, await this.scope.scan(), skip);
      const left = [...modified, ...tracked, ...created];
      if (left.length === 0) break;
      if (round > MAX_ROUNDS) {
        // Still changing after every put-back: something outlived the proposal and keeps writing.
        left.forEach((file) => (changed.add(file), unrestorable.add(file)));
        break;
      }
      if (modified.length || tracked.length) {
        for (const file of modified) putBackOrNote(file, mark.files.get(file));
        tracked.forEach((file) => changed.add(file));
        await this.scope.restoreTracked(tracked);
        // New files wait for the next scan: a restored .gitignore may show them to be the user's ignored files.
        continue;
      }
      for (const file of created) {
        putBackOrNote(file, undefined);
        if (!unrestorable.has(file)) removed.push(file);
      }
    }
    this.removeEmptyFolders(removed, mark.at);
    return { changed: [...changed].sort(), unrestorable: [...unrestorable].sort() };
  }

  /**
   * After an interrupted trial: removes the new files (ones git does not ignore) made after both
   * `reference` (a mark from before the trial began) and results.tsv's last row, such as loop.py's
   * backup of the target; returns them. Files the earlier trials left stay.
   */
  async removeCreatedSince(reference: GuardMark): Promise<string[]> {
    const since = Math.max(reference.at, this.results ? mtimeMs(this.results.file) : 0) - CLOCK_SLACK_MS;
    const created = [...(await this.scope.scan())]
      .filter(([file, kind]) => kind === 'untracked' && !reference.files.has(file) && file !== this.target && !this.isResults(file) && madeAt(file) >= since)
      .map(([file]) => file);
    const removed = created.filter((file) => putBack(this.store, file, undefined));
    this.removeEmptyFolders(removed, reference.at);
    return removed.sort();
  }

  private diff(mark: GuardMark, scan: Scan, skip: (file: string) => boolean): { modified: string[]; tracked: string[]; created: string[] } {
    const modified = [...mark.files].filter(([file, entry]) => !skip(file) && !unchanged(this.store, file, entry)).map(([file]) => file);
    const tracked: string[] = [];
    const created: string[] = [];
    for (const [file, kind] of scan) {
      if (mark.files.has(file) || skip(file) || this.isResults(file)) continue;
      (kind === 'tracked' ? tracked : created).push(file);
    }
    return { modified, tracked, created };
  }

  /** Folders left empty by a removal, made after `since`: the proposal made them. */
  private removeEmptyFolders(removed: string[], since: number): void {
    for (const file of removed) {
      for (let dir = path.dirname(file); dir.startsWith(this.root + path.sep); dir = path.dirname(dir)) {
        try {
          if (readdirSync(dir).length > 0 || madeAt(dir) < since - CLOCK_SLACK_MS) break;
          rmdirSync(dir);
        } catch {
          break;
        }
      }
    }
  }

  dispose(): void {
    this.results?.dispose();
  }
}

/** `proposal touched a, b and c; all put back`: every path, relative to the guarded root. */
export function describeTouched(report: GuardReport, root: string): string {
  const names = (files: string[]) => {
    const rel = files.map((file) => path.relative(root, file) || file);
    if (rel.length > 12) return `${rel.slice(0, 10).join(', ')} and ${rel.length - 10} more`;
    return rel.length > 1 ? `${rel.slice(0, -1).join(', ')} and ${rel[rel.length - 1]}` : rel.join('');
  };
  const undone = report.unrestorable.length ? `could not put back ${names(report.unrestorable)}` : 'all put back';
  return `proposal touched ${names(report.changed)}; ${undone}`;
}
