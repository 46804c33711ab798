/**
 * A shortest line diff (Myers' O(ND) algorithm) between two texts. Lines are compared as whole
 * strings, mapped to numbers first; the common head and tail are cut off before the search, so a
 * one-line change in a long file costs almost nothing.
 */

export interface Line {
  text: string;
  /** The file's last line, with no newline after it. */
  noNewline?: boolean;
}

export type DiffOp = { kind: 'same' | 'del' | 'add'; line: Line };

export interface LineDiff {
  ops: DiffOp[];
  /**
   * False when the two sides differ in more lines than the search may look at: the ops then delete
   * the whole changed middle and add it back, a correct diff but not the shortest.
   */
  shortest: boolean;
}

/** Beyond this many added plus removed lines a diff is not worth its search: D² steps and memory. */
export const MAX_EDITS = 2000;

export function splitLines(text: string): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const last = parts.pop()!;
  const lines: Line[] = parts.map((t) => ({ text: t }));
  if (last !== '') lines.push({ text: last, noNewline: true });
  return lines;
}

const keyOf = (line: Line) => (line.noNewline ? `${line.text}\n` : line.text);

export function diffLines(before: Line[], after: Line[], maxEdits = MAX_EDITS): LineDiff {
  let head = 0;
  while (head < before.length && head < after.length && keyOf(before[head]) === keyOf(after[head])) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && keyOf(before[before.length - 1 - tail]) === keyOf(after[after.length - 1 - tail])) tail++;
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const same = (lines: Line[]) => lines.map((line): DiffOp => ({ kind: 'same', line }));
  const middle = myers(a, b, maxEdits);
  const ops = [
    ...same(before.slice(0, head)),
    ...(middle ?? [...a.map((line): DiffOp => ({ kind: 'del', line })), ...b.map((line): DiffOp => ({ kind: 'add', line }))]),
    ...same(before.slice(before.length - tail)),
  ];
  return { ops, shortest: middle !== undefined };
}

/** The edit script of a shortest diff, or undefined past `maxEdits` edits. */
function myers(a: Line[], b: Line[], maxEdits: number): DiffOp[] | undefined {
  const ids = new Map<string, number>();
  const id = (line: Line) => {
    const key = keyOf(line);
    let n = ids.get(key);
    if (n === undefined) ids.set(key, (n = ids.size));
    return n;
  };
  const x0 = Int32Array.from(a, id);
  const y0 = Int32Array.from(b, id);
  const n = x0.length;
  const m = y0.length;
  const limit = Math.min(n + m, maxEdits);
  // v[k + offset]: the furthest x reached on diagonal k. trace[d] keeps diagonals -d-1…d+1 as they
  // were before round d, which is all the way back needs.
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && x0[x] === y0[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b);
    }
  }
  return undefined;
}

function backtrack(trace: Int32Array[], a: Line[], b: Line[]): DiffOp[] {
  const ops: DiffOp[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const at = (k: number) => trace[d][k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      y--;
      ops.push({ kind: 'same', line: a[--x] });
    }
    if (d > 0) ops.push(x === prevX ? { kind: 'add', line: b[--y] } : { kind: 'del', line: a[--x] });
  }
  return ops.reverse();
}
