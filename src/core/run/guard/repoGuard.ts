/**
 * The guard around a proposal: a proposal may change its target and nothing else. `mark()` before
 * the proposal, `check(mark)` after it: every other change in the repository (tracked files, new files
 * git does not ignore, `.git`'s config, hooks, refs, HEAD and index, and rows added to results.tsv) is
 * put back, new files removed, and each path named. Outside git the folder that holds the pack's
 * `atris/` is covered instead.
 *
 * Cost: one walk of the repository's files a trial, after the proposal; a `git status` only when the
 * walk shows a change besides the target and results.tsv (./scanReuse.ts), or in a repository too
 * large to walk. A mark does not list the repository again: it
 * looks at the files it already knows (changed and untracked ones) and notes the file-system clock;
 * the check tells the proposal's changes from those made before the mark (by loop.py, by measure.py)
 * by their status-change time, which a write, a rename or a link always moves and no process can set
 * back. Only what the scan shows is read, and unchanged files never twice (./fileEntry.ts).
 */
import { lstatSync, readdirSync, rmdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { realPath } from '../../realPath';
import { ensureJournalDir, journalRoot } from '../journal';
import type { SnapshotStore } from '../snapshots';
import { AppendOnlyFile, type AppendOnlyMark } from './appendOnly';
import { captureEntry, MAX_SNAPSHOT_BYTES, putBack, unchanged, type Entry } from './fileEntry';
import { captureControl, changedControl, type ControlState } from './gitControl';
import { folderScope, gitScope, type Scan, type Scope } from './scopes';
import { errorCode, isMissing, unlessMissing } from '../../fsErrors';

export interface GuardOptions {
  pack: string;
  target: string;
  resultsFile?: string;
  store: SnapshotStore;
  /** Names this guard's files in `.autoexp/` (the run's id). */
  id: string;
}

export interface GuardMark {
  /** The file-system clock at the mark (ns): a change stamped at or after it is the proposal's. */
  at: bigint;
  /**
   * Whether the clock was seen to tick at the mark, so that every change after it is stamped later than
   * any before it: only then may a walk stand in for `git status`.
   */
  ticked: boolean;
  control?: ControlState;
  results?: AppendOnlyMark;
}

export interface GuardReport {
  /** Every path that changed, absolute and sorted; the target is never one. */
  changed: string[];
  /** Those that could not be put back (a folder, a file over the snapshot limit). */
  unrestorable: string[];
  /**
   * What each undone file held before it was put back, by snapshot hash: the guard cannot tell a
   * proposal's write from a person's save, so nothing it undoes is lost.
   */
  kept: Record<string, string>;
}

/** Each put-back can change what the next scan shows (an ignore rule restored): scan again, a few times at most. */
const MAX_ROUNDS = 4;
/** Longer than a kernel tick (1 to 10 ms): how long a mark waits for the file-system clock to move on. */
const CLOCK_WAIT_MS = 30;

function lstatNs(file: string) {
  return unlessMissing(() => lstatSync(file, { bigint: true }));
}

/** When a path last changed; for one that is gone, when its nearest folder still there last did (a removal stamps it). */
function changedAt(file: string): bigint {
  for (let at = file; ; at = path.dirname(at)) {
    const stat = lstatNs(at);
    if (stat) return stat.ctimeNs;
    if (path.dirname(at) === at) return 0n;
  }
}

export class RepoGuard {
  /**
   * Each path the scans have shown (changed tracked files, untracked ones), as it was when last seen
   * unchanged by a proposal; undefined: a tracked file already deleted.
   */
  private known?: Map<string, Entry | undefined>;
  private knownReady?: Promise<Map<string, Entry | undefined>>;
  /** Paths that appeared after the first scan, with the time they appeared: an interrupted trial's new files. */
  private readonly appeared = new Map<string, bigint>();
  private control?: ControlState;

  private constructor(
    readonly scope: Scope,
    private readonly store: SnapshotStore,
    private readonly target: string,
    private readonly clock: string,
    private readonly results?: AppendOnlyFile,
  ) {}

  static async open(options: GuardOptions): Promise<RepoGuard> {
    // Real paths: git and the folder walk report them so, and the target is compared by its path.
    const pack = realPath(options.pack);
    const root = journalRoot(pack);
    const scope = (await gitScope(pack)) ?? folderScope(root);
    const dir = ensureJournalDir(root);
    const results = options.resultsFile ? new AppendOnlyFile(realPath(options.resultsFile), path.join(dir, `guard-${options.id}-results.tsv`)) : undefined;
    const guard = new RepoGuard(scope, options.store, realPath(options.target), path.join(dir, `guard-${options.id}.clock`), results);
    // The first scan starts now, while the run starts its other processes; the first mark waits for it
    // (and meets its failure, if it fails).
    guard.knownFiles().catch(() => undefined);
    return guard;
  }

  get root(): string {
    return this.scope.root;
  }

  /** results.tsv is checked as append-only, not snapshotted whole on every trial. */
  private isResults(file: string): boolean {
    return file === this.results?.file;
  }

  /** The file-system clock, read by stamping a file of our own: the same clock, and coarseness, as the repository's. */
  private stamp(): bigint {
    // utimes moves ctime as a write does, and writes no data: rewriting the file made ext4 flush it, 1 ms a stamp.
    const now = new Date();
    try {
      utimesSync(this.clock, now, now);
    } catch (err) {
      if (!isMissing(err)) throw err;
      writeFileSync(this.clock, '');
    }
    return lstatNs(this.clock)?.ctimeNs ?? 0n;
  }

  /**
   * A time every earlier change is stamped before, and every later one at or after: the clock is read
   * until it has moved on (file-system clocks tick coarsely). On a file system whose clock ticks in
   * seconds it gives up waiting, and a change in the mark's own tick counts as the proposal's.
   */
  private async markTime(): Promise<{ at: bigint; ticked: boolean }> {
    const first = this.stamp();
    for (let waited = 0; waited < CLOCK_WAIT_MS; waited++) {
      const next = this.stamp();
      if (next > first) return { at: next, ticked: true };
      await delay(1);
    }
    return { at: first, ticked: false };
  }

  private knownFiles(): Promise<Map<string, Entry | undefined>> {
    this.knownReady ??= this.scope.scan().then(
      (scan) => {
        const known = new Map<string, Entry | undefined>();
        for (const file of scan.keys()) if (!this.isResults(file)) known.set(file, captureEntry(this.store, file));
        return (this.known = known);
      },
      (err: unknown) => {
        this.knownReady = undefined; // the next look tries again
        throw err;
      },
    );
    return this.knownReady;
  }

  async mark(): Promise<GuardMark> {
    // Known files as they are now: what loop.py changed or removed since the last look is not the proposal's.
    const known = await this.knownFiles();
    for (const [file, entry] of known) {
      const now = captureEntry(this.store, file, entry);
      if (now !== entry) known.set(file, now);
    }
    if (this.scope.git) this.control = captureControl(this.store, this.scope.git, this.control);
    const results = this.results?.mark();
    return { ...(await this.markTime()), control: this.control, results };
  }

  /**
   * Puts back everything the proposal changed since `mark`, except the target (unless `targetToo`),
   * and says what it was. `.git` first (the index decides what a clean file is), then results.tsv,
   * then files. Changes stamped before the mark were not the proposal's: they are taken in as known.
   */
  async check(mark: GuardMark, options: { targetToo?: boolean } = {}): Promise<GuardReport> {
    const known = await this.knownFiles();
    const changed = new Set<string>();
    const unrestorable = new Set<string>();
    const kept: Record<string, string> = {};
    const keepCopy = (file: string) => {
      const hash = captureEntry(this.store, file)?.hash;
      if (hash !== undefined) kept[file] = hash;
    };
    const putBackOrNote = (file: string, entry: Entry | undefined) => {
      changed.add(file);
      keepCopy(file);
      if (!putBack(this.store, file, entry)) unrestorable.add(file);
    };
    if (mark.control && this.scope.git) for (const file of changedControl(this.store, this.scope.git, mark.control)) putBackOrNote(file, mark.control.get(file));
    if (this.results?.moved(mark.results)) {
      // A copy of the log as the proposal left it (forged rows and all) before it is cut back.
      const left = captureEntry(this.store, this.results.file)?.hash;
      if (this.results.check(mark.results) !== 'unchanged') {
        changed.add(this.results.file);
        if (left !== undefined) kept[this.results.file] = left;
      }
    }
    const skip = (file: string) => unrestorable.has(file) || (file === this.target && !options.targetToo);
    const removed: string[] = [];
    for (let round = 1; ; round++) {
      // The first look may reuse the last scan; after a put-back, git looks again.
      const scan = round === 1 && mark.ticked ? await this.scope.rescan(this.exempt(options.targetToo)) : await this.scope.scan();
      const { modified, tracked, created } = this.diff(mark, scan, skip);
      const left = [...modified, ...tracked, ...created];
      if (left.length === 0) break;
      if (round > MAX_ROUNDS) {
        // Still changing after every put-back: something outlived the proposal and keeps writing.
        left.forEach((file) => (changed.add(file), unrestorable.add(file)));
        break;
      }
      if (modified.length || tracked.length) {
        for (const file of modified) {
          putBackOrNote(file, known.get(file));
          known.set(file, captureEntry(this.store, file, known.get(file)));
        }
        tracked.forEach((file) => {
          changed.add(file);
          keepCopy(file);
        });
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
    return { changed: [...changed].sort(), unrestorable: [...unrestorable].sort(), kept };
  }

  /** Paths whose changes a check judges without the scan: results.tsv (append-only), and the target unless it is checked too. */
  private exempt(targetToo = false): Set<string> {
    const exempt = new Set<string>();
    if (this.results) exempt.add(this.results.file);
    if (!targetToo) exempt.add(this.target);
    return exempt;
  }

  /**
   * What changed since the last look, split into the proposal's (stamped at or after the mark) and the
   * rest, which is taken in as known: loop.py's backup of the target, measure.py's output.
   */
  private diff(mark: GuardMark, scan: Scan, skip: (file: string) => boolean): { modified: string[]; tracked: string[]; created: string[] } {
    const known = this.known!;
    const before = (file: string) => changedAt(file) < mark.at;
    const modified: string[] = [];
    for (const [file, entry] of known) {
      if (skip(file) || unchanged(this.store, file, entry)) continue;
      if (before(file)) known.set(file, captureEntry(this.store, file));
      else modified.push(file);
    }
    const tracked: string[] = [];
    const created: string[] = [];
    for (const [file, kind] of scan) {
      if (known.has(file) || skip(file) || this.isResults(file)) continue;
      if (before(file)) {
        known.set(file, captureEntry(this.store, file));
        this.appeared.set(file, changedAt(file));
      } else (kind === 'tracked' ? tracked : created).push(file);
    }
    return { modified, tracked, created };
  }

  /**
   * After an interrupted trial: removes the new files (ones git does not ignore) that appeared after
   * both `reference` (a mark from before the trial began) and results.tsv's last row, such as loop.py's
   * backup of the target; returns them, and adds a copy of each to `kept`. Files that earlier trials left stay, and so do the user's.
   */
  async removeCreatedSince(reference: GuardMark, kept: Record<string, string> = {}): Promise<string[]> {
    const known = await this.knownFiles();
    const lastRow = this.results ? (lstatNs(this.results.file)?.mtimeNs ?? 0n) : 0n;
    const since = reference.at > lastRow ? reference.at : lastRow;
    const created = [...(await this.scope.scan())]
      .filter(([file, kind]) => kind === 'untracked' && file !== this.target && !this.isResults(file))
      .filter(([file]) => (this.appeared.get(file) ?? (known.has(file) ? -1n : changedAt(file))) >= since)
      .map(([file]) => file);
    const removed = created.filter((file) => {
      // Kept before it goes, as every file the guard undoes (`kept` by path).
      const hash = captureEntry(this.store, file)?.hash;
      if (!putBack(this.store, file, undefined)) return false;
      if (hash !== undefined) kept[file] = hash;
      return true;
    });
    for (const file of removed) known.delete(file);
    this.removeEmptyFolders(removed, since);
    return removed.sort();
  }

  /** Folders left empty by a removal, made at or after `since`: the proposal made them. */
  private removeEmptyFolders(removed: string[], since: bigint): void {
    for (const file of removed) {
      for (let dir = path.dirname(file); dir.startsWith(this.root + path.sep); dir = path.dirname(dir)) {
        const stat = lstatNs(dir);
        if (!stat || (stat.birthtimeNs || stat.ctimeNs) < since) break;
        try {
          if (readdirSync(dir).length > 0) break;
          rmdirSync(dir);
        } catch (err) {
          // Gone already, or not empty after all (something wrote into it meanwhile): leave it.
          if (isMissing(err) || errorCode(err) === 'ENOTEMPTY') break;
          throw err;
        }
      }
    }
  }

  dispose(): void {
    this.results?.dispose();
    rmSync(this.clock, { force: true });
  }
}

/**
 * One line a path the guard undid, saying where what the proposal left there is kept:
 * `undid README.md; the proposal's copy: .autoexp/snapshots/<sha256>` (relative to the guarded root
 * when the store is inside it). A path with no copy was removed by the proposal, is a folder, or was
 * over the snapshot limit.
 */
export function undoneLine(file: string, hash: string | undefined, root: string, store: SnapshotStore): string {
  const name = path.relative(root, file) || file;
  if (hash === undefined) return `undid ${name}; no copy (removed by the proposal, a folder, or over ${MAX_SNAPSHOT_BYTES / (1024 * 1024)} MB)`;
  return `undid ${name}; the proposal's copy: ${keptCopyPath(hash, root, store)}`;
}

/** Where a kept copy is, relative to the guarded root when inside it. */
export function keptCopyPath(hash: string, root: string, store: SnapshotStore): string {
  const copy = store.path(hash);
  const shown = path.relative(root, copy);
  return shown.startsWith('..') || path.isAbsolute(shown) ? copy : shown;
}

/** undoneLine() for each path a check changed. */
export function describeUndone(report: GuardReport, root: string, store: SnapshotStore): string[] {
  return report.changed.map((file) => undoneLine(file, report.kept[file], root, store));
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
