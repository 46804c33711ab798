/**
 * An Autopilot session whose agent is a VS Code language model. It cannot run as an `autoexp autopilot`
 * process (the model lives in the extension host), so it runs core's session loop in the extension host
 * and writes the same terminal as the CLI into a Pseudoterminal: the same lines, the same diffs, the same
 * `autoexp: …` line for an error, with CRLF line endings. No `vscode` import: unit-tested with a fake
 * model; ./modelTask.ts is the Pseudoterminal around it.
 */
import { UserError, oneLine } from '../../core/errors';
import { modelAgent, type ChatModel } from '../../core/autopilot/modelAgent';
import { runAutopilot } from '../../core/autopilot/session';
import { sessionExitCode, sessionTerminal } from '../../core/autopilot/sessionOutput';
import { autopilotBudgets, type AutopilotSettings } from '../autopilotPlan';

/** A pseudoterminal wants `\r\n`: a bare `\n` moves down without going back to the first column. */
export function toTerminalText(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export interface ModelSessionOptions {
  pack: string;
  python: string;
  model: ChatModel;
  settings: AutopilotSettings;
  /** Per measurement and proposal, as autoexp.trialTimeoutSeconds says. */
  timeoutSeconds: number;
  inlineDiffs: boolean;
  /** ANSI colours in the diffs: a terminal has them. */
  color?: boolean;
  signal: AbortSignal;
  /** The pseudoterminal's write: text with CRLF line endings. */
  write(data: string): void;
  /** Minutes since the start, for tests. */
  clock?: () => number;
}

/** Runs the session to its end; the exit code `autoexp autopilot` would have given. Never throws. */
export async function runModelSession(o: ModelSessionOptions): Promise<number> {
  const write = (text: string) => o.write(toTerminalText(text));
  try {
    const summary = await runAutopilot({
      pack: o.pack,
      python: o.python,
      agent: modelAgent(o.model),
      budgets: autopilotBudgets(o.settings),
      native: { repeat: 1, margin: 0 },
      timeoutMs: o.timeoutSeconds * 1000,
      signal: o.signal,
      clock: o.clock,
      ...sessionTerminal({ out: (line) => write(`${line}\n`), write, color: o.color ?? true, pack: o.pack, noDiff: !o.inlineDiffs }),
    });
    return sessionExitCode(summary);
  } catch (err) {
    // As the CLI says it: one line, no stack; a refused model (ModelRefusedError) is one of these.
    if (err instanceof UserError) {
      write(`autoexp: ${err.message}\n`);
      return err.exitCode;
    }
    write(`autoexp: internal error: ${oneLine(err)}\n`);
    return 1;
  }
}
