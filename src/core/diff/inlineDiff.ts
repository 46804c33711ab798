/**
 * What a terminal shows under a trial's line: a compact unified diff of the target before the trial
 * against its candidate, cut after a screenful, or one line for a binary file or a huge change.
 */
import { paint } from './paint';
import { compareContents, type Change } from './unified';

/** Lines of context around each change, in the terminal and in `autoexp diff` alike. */
export const DIFF_CONTEXT = 2;
/** Diff lines shown under one trial; the rest are counted in one line that says how to see them. */
export const MAX_INLINE_LINES = 40;
/** Past this many added plus removed lines, a change is one line: nobody reads 1,204 lines scrolling by. */
export const HUGE_CHANGE = 1000;

const INDENT = '  ';

/** `autoexp diff PACK` as a user can paste it back into a shell: what a trial's cut diff points to. */
export function seeAllCommand(pack: string): string {
  const quoted = /^[\w@%+=:,./-]+$/.test(pack) ? pack : `'${pack.replace(/'/g, `'\\''`)}'`;
  return `autoexp diff ${quoted}`;
}

export interface InlineDiffOptions {
  color: boolean;
  /** The command that prints a trial's whole diff, its number appended: `autoexp diff atris/experiments/x`. */
  seeAll: string;
}

/** `1,204`: numbers as people write them in English, whatever the machine's locale. */
const count = (n: number) => n.toLocaleString('en-US');

/** The diff of one text change, with no cap: what `autoexp diff` prints after its headers. */
export function changeLines(change: Change, color: boolean, indent = ''): string[] {
  if (change.kind === 'same') return [paint(`${indent}no change`, 'note', color)];
  if (change.kind === 'binary') return [paint(`${indent}binary file changed`, 'note', color)];
  return change.lines.map((line) => indent + paint(line.text, line.kind, color));
}

export function inlineDiffLines(before: Uint8Array, candidate: Uint8Array, trial: number, options: InlineDiffOptions): string[] {
  const change = compareContents(before, candidate, DIFF_CONTEXT);
  if (change.kind === 'text' && change.added + change.removed > HUGE_CHANGE) {
    return [paint(`${INDENT}${count(change.added + change.removed)} lines changed`, 'note', options.color)];
  }
  const lines = changeLines(change, options.color, INDENT);
  if (lines.length <= MAX_INLINE_LINES) return lines;
  const rest = lines.length - MAX_INLINE_LINES;
  return [...lines.slice(0, MAX_INLINE_LINES), paint(`${INDENT}… ${count(rest)} more line${rest === 1 ? '' : 's'}; see them all: ${options.seeAll} ${trial}`, 'note', options.color)];
}
