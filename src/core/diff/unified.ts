/**
 * Two versions of a file as a unified diff: `@@ -a,b +c,d @@` hunks with a few lines of context,
 * each line tagged with its kind so a terminal can colour it. Binary files are only named.
 */
import { diffLines, splitLines, type DiffOp } from './lineDiff';

export type DiffLineKind = 'hunk' | 'same' | 'del' | 'add' | 'note';

export interface DiffLine {
  kind: DiffLineKind;
  /** The line as a unified diff prints it, its ' ', '-', '+' or '@@' included. */
  text: string;
}

export type Change =
  | { kind: 'same' }
  | { kind: 'binary' }
  | { kind: 'text'; lines: DiffLine[]; added: number; removed: number };

const PREFIX = { same: ' ', del: '-', add: '+' } as const;

/** git's rule: a NUL byte in the first 8,000 bytes makes a file binary. */
export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** `-3,4` in GNU diff's form: the count left out when it is 1, the line before an empty range. */
function range(start: number, count: number): string {
  if (count === 1) return String(start);
  return `${count === 0 ? start - 1 : start},${count}`;
}

/** The hunks of an edit script, each change with `context` unchanged lines around it. */
export function unifiedLines(ops: DiffOp[], context: number): DiffLine[] {
  const changes = ops.flatMap((op, i) => (op.kind === 'same' ? [] : [i]));
  const out: DiffLine[] = [];
  // Line numbers before each op, on both sides.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let oldNo = 1;
  let newNo = 1;
  for (const op of ops) {
    oldAt.push(oldNo);
    newAt.push(newNo);
    if (op.kind !== 'add') oldNo++;
    if (op.kind !== 'del') newNo++;
  }
  let c = 0;
  while (c < changes.length) {
    const from = Math.max(0, changes[c] - context);
    let last = changes[c];
    // Changes closer than twice the context share a hunk.
    while (c + 1 < changes.length && changes[c + 1] - last <= 2 * context + 1) last = changes[++c];
    c++;
    const to = Math.min(ops.length, last + context + 1);
    const slice = ops.slice(from, to);
    const oldCount = slice.filter((op) => op.kind !== 'add').length;
    const newCount = slice.filter((op) => op.kind !== 'del').length;
    out.push({ kind: 'hunk', text: `@@ -${range(oldAt[from], oldCount)} +${range(newAt[from], newCount)} @@` });
    for (const op of slice) {
      out.push({ kind: op.kind, text: `${PREFIX[op.kind]}${op.line.text}` });
      if (op.line.noNewline) out.push({ kind: 'note', text: '\\ No newline at end of file' });
    }
  }
  return out;
}

export function compareContents(before: Uint8Array, after: Uint8Array, context: number): Change {
  if (Buffer.from(before).equals(Buffer.from(after))) return { kind: 'same' };
  if (isBinary(before) || isBinary(after)) return { kind: 'binary' };
  const { ops } = diffLines(splitLines(Buffer.from(before).toString('utf8')), splitLines(Buffer.from(after).toString('utf8')));
  return {
    kind: 'text',
    lines: unifiedLines(ops, context),
    added: ops.filter((op) => op.kind === 'add').length,
    removed: ops.filter((op) => op.kind === 'del').length,
  };
}
