/**
 * The guard for the pack engine. loop.py runs each proposal through a shim (../shimSource.ts) in a
 * Python process of its own; the shim asks this server, over a Unix socket in the run's shim folder,
 * to mark the repository right before the proposal and to check it right after, so the check never
 * spans loop.py's own work (its backup of the target, its row in results.tsv). One guard, in
 * TypeScript, serves both engines.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { oneLine } from '../../errors';
import { describeTouched, type GuardMark, type GuardReport, type RepoGuard } from './repoGuard';

/**
 * The shim's question, one line: `mark 3` or `check 3`. The answer, fields apart by NUL (no path holds
 * one), the connection closed after it: `ok`, for a check `ok`, the line to print and then, for each
 * path changed, the path and the snapshot hash of the copy the guard kept of it (empty when none); or
 * `error` and why. The shim reads it without a JSON parser (every import costs it a trial's time).
 */
const REQUEST = /^(mark|check) (\d+)$/;

export interface UndoneTrial {
  report?: GuardReport;
  /** Files that appeared since the trial began (loop.py's backup of the target, say), now removed. */
  removed: string[];
  /** A copy of each file undone or removed, by snapshot hash. */
  kept: Record<string, string>;
  /** Why the repository could not be checked, when it could not. */
  failure?: string;
}

export class GuardServer {
  private readonly marks = new Map<number, GuardMark>();
  private readonly references = new Map<number, GuardMark>();
  private reference?: GuardMark;
  /** One guard operation at a time: a cancel must not undo a trial while its check is half done. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly guard: RepoGuard,
    private readonly server: Server,
    readonly socket: string,
    private readonly onUndone?: (trial: number, report: GuardReport) => void,
  ) {}

  /** `onUndone`: a check that put something back, told before the shim hears of it (the terminal's lines). */
  static async listen(guard: RepoGuard, socket: string, onUndone?: (trial: number, report: GuardReport) => void): Promise<GuardServer> {
    const server = createServer();
    const served = new GuardServer(guard, server, socket, onUndone);
    server.on('connection', (conn) => served.serve(conn));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, () => resolve());
    });
    return served;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private serve(conn: Socket): void {
    let text = '';
    conn.setEncoding('utf8');
    conn.on('error', () => undefined);
    conn.on('data', (chunk: string) => {
      if (text.includes('\n')) return;
      text += chunk;
      if (!text.includes('\n')) return;
      const request = REQUEST.exec(text.slice(0, text.indexOf('\n')));
      if (!request) {
        conn.end('error\0not a guard request');
        return;
      }
      this.serial(() => this.answer(request[1] as 'mark' | 'check', Number(request[2])))
        .then((fields) => conn.end(['ok', ...fields].join('\0')))
        .catch((err: Error) => conn.end(`error\0${err.message}`));
    });
  }

  private async answer(op: 'mark' | 'check', trial: number): Promise<string[]> {
    if (op === 'mark') {
      const mark = await this.guard.mark();
      this.marks.set(trial, mark);
      if (this.reference) this.references.set(trial, this.reference);
      this.reference = mark;
      return [];
    }
    const mark = this.marks.get(trial);
    if (!mark) throw new Error(`trial ${trial} was never marked`);
    const report = await this.guard.check(mark);
    if (!report.changed.length) return [''];
    this.onUndone?.(trial, report);
    return [describeTouched(report, this.guard.root), ...report.changed.flatMap((file) => [file, report.kept[file] ?? ''])];
  }

  /** Before loop.py starts: what its first trial is undone against if it is interrupted. */
  startSegment(): Promise<void> {
    return this.serial(async () => {
      this.reference = await this.guard.mark();
    });
  }

  /**
   * A trial that never ended (cancelled, stalled, loop.py gone): everything its proposal changed is
   * put back, and the new files made since the trial began are removed. The target is the engine's to
   * restore. Without a trial number: the trial loop.py was starting when it stopped, before its shim ran.
   */
  undoInterrupted(trial?: number): Promise<UndoneTrial> {
    return this.serial(async () => {
      const mark = trial === undefined ? undefined : this.marks.get(trial);
      const reference = trial !== undefined && mark ? this.references.get(trial) : this.reference;
      try {
        const report = mark ? await this.guard.check(mark) : undefined;
        const kept = { ...report?.kept };
        const removed = reference ? await this.guard.removeCreatedSince(reference, kept) : [];
        return { report, removed, kept };
      } catch (err) {
        return { removed: [], kept: {}, failure: oneLine(err) };
      }
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
