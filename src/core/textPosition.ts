/** Offsets to 1-based line/column positions, in UTF-16 code units as LSP and VS Code count them. */

export interface Position1 {
  line: number;
  column: number;
}

/** Start offset of every line; a line ends at `\n` (a preceding `\r` stays part of that line). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function positionAt(starts: readonly number[], offset: number): Position1 {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/** The position just past the last character: where a range "to the end" stops. */
export function endPosition(text: string): Position1 {
  const starts = lineStarts(text);
  return positionAt(starts, text.length);
}

/**
 * UTF-16 offset of the code point with the given index (0-based), counting lines as Python's
 * text mode does (`\r\n` is one character). Returns text.length when the text is shorter.
 */
export function offsetOfPythonChar(text: string, index: number): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    if (count === index) return i;
    const c = text.charCodeAt(i);
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    else if (c >= 0xd800 && c <= 0xdbff) i++;
    count++;
  }
  return text.length;
}

/** Length as Python's `len(path.read_text())` counts it: code points, with CRLF and CR read as one. */
export function pythonTextLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    else if (c >= 0xd800 && c <= 0xdbff) i++;
    count++;
  }
  return count;
}
