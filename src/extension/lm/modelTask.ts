/**
 * The language-model Autopilot as a task: a CustomExecution whose Pseudoterminal runs the session in the
 * extension host (./modelSession.ts), so it has a terminal like any autopilot task, the run tracker
 * follows it through the journal like any run, and closing the terminal or Stop Autopilot aborts it:
 * the engine restores the target before the session ends.
 */
import * as vscode from 'vscode';
import { EXIT_CANCELLED } from '../../core/run/exitCodes';
import type { AutopilotSettings } from '../autopilotPlan';
import { chooseLanguageModel, toChatModel } from './languageModel';
import { runModelSession } from './modelSession';

/** The exit code of each pack's last language-model session: a custom execution has no process to report one. */
const exitCodes = new Map<string, number>();

export function modelSessionExitCode(packDir: string): number | undefined {
  return exitCodes.get(packDir);
}

/** Where the model comes from: chosen already (Start Autopilot), or chosen when the task starts (tasks.json). */
export interface ModelSource {
  state: vscode.Memento;
  model?: vscode.LanguageModelChat;
}

type Session = (signal: AbortSignal, write: (data: string) => void) => Promise<number>;

class ModelSessionTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private readonly controller = new AbortController();
  private isClosed = false;

  constructor(
    private readonly packDir: string,
    private readonly session: Session,
  ) {}

  open(): void {
    exitCodes.delete(this.packDir);
    const write = (data: string) => {
      if (!this.isClosed) this.written.fire(data);
    };
    void this.session(this.controller.signal, write).then((code) => {
      exitCodes.set(this.packDir, code);
      if (!this.isClosed) this.closed.fire(code);
      this.dispose();
    });
  }

  /** The terminal was closed, or the task terminated (Stop Autopilot): stop, and the engine restores the target. */
  close(): void {
    this.isClosed = true;
    this.controller.abort();
  }

  /** Ctrl+C in the terminal stops the session as it stops `autoexp autopilot`. */
  handleInput(data: string): void {
    if (data !== '\x03' || this.controller.signal.aborted) return;
    this.written.fire('^C\r\nautoexp: stopping and restoring the target\r\n');
    this.controller.abort();
  }

  private dispose(): void {
    this.written.dispose();
    this.closed.dispose();
  }
}

export interface ModelTaskOptions {
  packDir: string;
  python: string;
  settings: AutopilotSettings;
  timeoutSeconds: number;
  inlineDiffs: boolean;
  source: ModelSource;
}

export function modelExecution(o: ModelTaskOptions): vscode.CustomExecution {
  return new vscode.CustomExecution(async () => {
    const model = o.source.model ?? (await chooseLanguageModel(o.source.state));
    return new ModelSessionTerminal(o.packDir, async (signal, write) => {
      if (!model) {
        // The quick pick dismissed: the user's choice, reported as a stop before anything ran.
        write('autoexp: no language model was chosen, so Autopilot did not start.\r\n');
        return EXIT_CANCELLED;
      }
      return runModelSession({ pack: o.packDir, python: o.python, model: toChatModel(model), settings: o.settings, timeoutSeconds: o.timeoutSeconds, inlineDiffs: o.inlineDiffs, signal, write });
    });
  });
}
