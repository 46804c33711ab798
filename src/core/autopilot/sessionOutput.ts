/**
 * What an autopilot session shows in a terminal and how it ends, shared by `autoexp autopilot` and the
 * extension's language-model task (a Pseudoterminal in the extension host), so the two terminals look
 * the same: the loop's lines one by one, the agent's output as it comes, each trial's diff under it.
 */
import { seeAllCommand, type InlineDiffOptions } from '../diff/inlineDiff';
import { EXIT_CANCELLED } from '../run/exitCodes';
import type { RunReporter } from '../run/context';
import type { AutopilotSummary } from './session';

export interface SessionTerminal {
  /** One of the loop's lines, without its line ending. */
  out(line: string): void;
  /** The agent's output, passed through as it comes. */
  write(chunk: string): void;
  color: boolean;
  /** The pack as the user named it, for the `autoexp diff PACK` a cut diff points to. */
  pack: string;
  /** No diffs under the trial lines (`--no-diff`, `autoexp.terminal.inlineDiffs: false`). */
  noDiff?: boolean;
}

/** The session options that make its terminal: its reporter and its inline diffs. */
export function sessionTerminal(t: SessionTerminal): { reporter: RunReporter; inlineDiffs?: InlineDiffOptions } {
  return {
    reporter: { line: (text) => t.out(text), output: (chunk) => t.write(chunk), log: () => undefined },
    inlineDiffs: t.noDiff ? undefined : { color: t.color, seeAll: seeAllCommand(t.pack) },
  };
}

/** A session that ran out of budget or patience did what it was asked (0); errors in a row did not (1). */
export function sessionExitCode(summary: Pick<AutopilotSummary, 'stoppedOn'>): number {
  if (summary.stoppedOn === 'cancelled') return EXIT_CANCELLED;
  return summary.stoppedOn === 'budget' || summary.stoppedOn === 'patience' ? 0 : 1;
}
