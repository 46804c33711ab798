/**
 * The results parser's reading primitives. Speed matters (logs are read on every edit): lines and cells
 * are found with indexOf loops whose search pointers only move forward, so a whole read is linear in
 * the text, and cells are read in place from their bounds, so a row slices only the strings it keeps.
 */

/** Space, tab and the other control characters: what a cell is trimmed of. */
const isSpace = (code: number) => code <= 32;

/** The first offset in [start, end) that is not white space, or `end`. */
export function trimStart(text: string, start: number, end: number): number {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  return start;
}

/** Just past the last offset in [start, end) that is not white space, or `start`. */
export function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

/**
 * Walks the lines of a text. `\n`, `\r\n` and a lone `\r` each end a line, as VS Code counts them; a
 * line break at the very end does not start another line. Each indexOf pointer (line feed, carriage
 * return) is only recomputed once the walk has passed it, so a whole walk is linear.
 */
export class LineCursor {
  /** The current line: offsets of its first character and just past its last, and its 1-based number. */
  start = 0;
  end = 0;
  line: number;
  /** Where the line after the current one starts. */
  next: number;
  private lf: number;
  private cr: number;

  constructor(
    private readonly text: string,
    from: number,
    lineBefore: number,
  ) {
    this.next = from;
    this.line = lineBefore;
    this.lf = text.indexOf('\n', from);
    this.cr = text.indexOf('\r', from);
  }

  advance(): boolean {
    const text = this.text;
    const pos = this.next;
    if (pos >= text.length) return false;
    let lf = this.lf;
    if (lf !== -1 && lf < pos) lf = this.lf = text.indexOf('\n', pos);
    let cr = this.cr;
    if (cr !== -1 && cr < pos) cr = this.cr = text.indexOf('\r', pos);
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      this.end = cr;
      this.next = cr + 1 === lf ? lf + 1 : cr + 1;
    } else if (lf !== -1) {
      this.end = lf;
      this.next = lf + 1;
    } else {
      this.end = text.length;
      this.next = text.length;
    }
    this.start = pos;
    this.line++;
    return true;
  }

  /** True when the current line is empty or only white space. */
  isBlank(): boolean {
    return trimStart(this.text, this.start, this.end) === this.end;
  }

  /** True when the current line starts with `#`. */
  isComment(): boolean {
    return this.start < this.end && this.text.charCodeAt(this.start) === 35;
  }

  lineText(): string {
    return this.text.slice(this.start, this.end);
  }
}

/**
 * The tab-separated cells of one line at a time, as bounds into the text: a row's cells are found with
 * one indexOf per tab, and only the cells a row keeps are ever sliced.
 */
export class RowCells {
  /** Cell bounds of the current row (untrimmed); -1 for a cell the row does not have. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** Where the cells past the header's width start, or -1. */
  extraStart = -1;
  /** The next tab at or after the current cell; recomputed only once passed, so finding cells is linear. */
  private tab: number;

  constructor(
    private readonly source: string,
    readonly width: number,
    from: number,
  ) {
    this.start = new Int32Array(width);
    this.end = new Int32Array(width);
    this.tab = source.indexOf('\t', from);
  }

  /** Splits the line [s, e) into the cells; returns how many it has, which may differ from the width. */
  split(s: number, e: number): number {
    const { source: text, width } = this;
    let count = 0;
    let p = s;
    this.extraStart = -1;
    for (;;) {
      if (this.tab !== -1 && this.tab < p) this.tab = text.indexOf('\t', p);
      const end = this.tab === -1 || this.tab >= e ? e : this.tab;
      if (count < width) {
        this.start[count] = p;
        this.end[count] = end;
      } else if (count === width) this.extraStart = p;
      count++;
      if (end === e) break;
      p = end + 1;
    }
    for (let k = count; k < width; k++) this.start[k] = this.end[k] = -1;
    return count;
  }

  has(k: number): boolean {
    return k >= 0 && this.start[k] >= 0;
  }

  /** Cell k trimmed; undefined when there is no such column or the row lacks it. */
  text(k: number): string | undefined {
    if (!this.has(k)) return undefined;
    const a = trimStart(this.source, this.start[k], this.end[k]);
    const b = trimEnd(this.source, a, this.end[k]);
    return a === b ? '' : this.source.slice(a, b);
  }

  /** Cell k trimmed, undefined when empty too. */
  optional(k: number): string | undefined {
    const v = this.text(k);
    return v === '' ? undefined : v;
  }
}

/** A trimmed cell that is a whole integer (`3`, `-1`, `+2`), else NaN. No slicing, no regex. */
export function integerAt(text: string, start: number, end: number): number {
  start = trimStart(text, start, end);
  end = trimEnd(text, start, end);
  if (start === end) return NaN;
  let sign = 1;
  const first = text.charCodeAt(start);
  if (first === 45 || first === 43) {
    if (first === 45) sign = -1;
    start++;
    if (start === end) return NaN;
  }
  if (end - start > 15) return NaN;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return sign * value;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The common number cell (`0.2000`, `-1`, `.5`) read in place, without slicing: at most 15 digits and
 * no exponent, so the digits are an exact integer and one division by an exact power of ten gives the
 * correctly rounded double, the same as Number(). NaN means "not this simple form": the caller falls
 * back to parseNumber on the sliced text. `start`/`end` are already trimmed.
 */
export function simpleNumberAt(text: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  const first = text.charCodeAt(i);
  if (first === 45 || first === 43) {
    negative = first === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      digits++;
      if (fraction !== -1) fraction++;
    } else if (d === -2 && fraction === -1) fraction = 0; // '.'
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const v = fraction > 0 ? mantissa / POW10[fraction] : mantissa;
  return negative ? -v : v;
}
