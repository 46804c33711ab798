/**
 * Follows one run of a pack from outside its process (the extension follows its loop tasks): which
 * run it is comes from the pack's lock, which holds the run's id, and the journal is read with a
 * tail, so a poll reads only what was appended since the last one.
 */
import * as path from 'node:path';
import { JOURNAL_FILE, journalDir, journalRoot, JournalTail, runsOfPack, type RunRecord } from './journal';
import { heldLock } from './lock';

export class RunFollower {
  private readonly root: string;
  private readonly journal: JournalTail;
  /** The pack's runs already in the journal when following began: none of them is the one followed. */
  private readonly earlier: Set<string>;
  private id: string | undefined;

  /**
   * `resumed`: the run was already going when following began (a window reloaded mid-run), so it is
   * among the runs in the journal, and only the lock names it.
   */
  constructor(
    private readonly packDir: string,
    private readonly resumed = false,
  ) {
    this.root = journalRoot(packDir);
    this.journal = new JournalTail(path.join(journalDir(this.root), JOURNAL_FILE));
    // On a busy machine the task's process may have taken the lock and written its start already: the
    // run that holds the lock now is never an earlier one.
    const holding = resumed ? undefined : heldLock(this.root, packDir)?.run;
    this.earlier = new Set(resumed ? [] : this.runs().map((r) => r.id).filter((id) => id !== holding));
  }

  /** The followed run's id, once known. */
  get runId(): string | undefined {
    return this.id;
  }

  /**
   * The followed run as its journal has it so far; undefined until its process has taken the lock and
   * written its start. Throws when the journal cannot be read.
   */
  read(): RunRecord | undefined {
    const runs = this.runs();
    if (this.id === undefined) {
      const held = heldLock(this.root, this.packDir)?.run;
      if (held !== undefined && !this.earlier.has(held)) this.id = held;
      // A run that ended before the first read holds no lock any more: then it is the pack's one new run.
      else if (!this.resumed) this.id = runs.find((r) => !this.earlier.has(r.id))?.id;
    }
    return this.id === undefined ? undefined : runs.find((r) => r.id === this.id);
  }

  private runs(): RunRecord[] {
    return runsOfPack(this.journal.read(), this.packDir);
  }
}
