/**
 * ANSI colours for diffs and trial lines, applied only when the caller says the output is a
 * terminal that wants them; otherwise text passes through untouched.
 */
import { normaliseStatus } from '../results/columns';
import type { DiffLineKind } from './unified';

export type Style = DiffLineKind | 'kept' | 'reverted' | 'error' | 'plain';

const SGR: Record<Style, string | undefined> = {
  add: '32',
  del: '31',
  hunk: '36',
  note: '2',
  same: undefined,
  kept: '32',
  reverted: '2',
  error: '31',
  plain: undefined,
};

export function paint(text: string, style: Style, color: boolean): string {
  const code = SGR[style];
  return color && code && text ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/** A trial's status word (KEPT, reverted, crash…), read as the log parser reads it, as the colour of its line. */
export function statusStyle(word: string | undefined): Style {
  const status = word === undefined ? undefined : normaliseStatus(word);
  return status === 'kept' || status === 'reverted' || status === 'error' ? status : 'plain';
}
