/**
 * How a results log writes its cells, learnt from its own rows so that an appended row reads like
 * its neighbours: the line ending, the timestamp form and the digits after the point. A log with no
 * rows to copy from gets the canonical form of the packs' loop.py: Python's
 * `datetime.now(timezone.utc).isoformat()` (2026-11-30T08:30:00.123456+00:00) and `0.4000`.
 */

export interface TimestampStyle {
  separator: 'T' | ' ';
  seconds: boolean;
  /** Digits after the seconds' point; 0 for none. */
  fraction: number;
  /** `Z`, `+00:00`, `+0000`, or no zone at all. */
  zone: 'Z' | 'colon' | 'compact' | 'none';
  /** UTC, or the local time (a naive stamp, or one with a non-zero offset). */
  utc: boolean;
  /** Python's isoformat() leaves the fraction out when the microseconds are zero. */
  python?: boolean;
}

/** Fixed digits after the point, or the shortest form that reads back the same (a log of `0.5`, `0.875`). */
export type NumberStyle = { fraction: number } | 'shortest';

export interface RowStyle {
  eol: '\n' | '\r\n';
  timestamp: TimestampStyle;
  numbers: NumberStyle;
}

export const CANONICAL_TIMESTAMP: TimestampStyle = { separator: 'T', seconds: true, fraction: 6, zone: 'colon', utc: true, python: true };
export const CANONICAL_NUMBERS: NumberStyle = { fraction: 4 };

/** The ending of the file's last finished line; LF for a file without one. */
export function lineEnding(text: string): RowStyle['eol'] {
  const last = text.lastIndexOf('\n');
  return last > 0 && text[last - 1] === '\r' ? '\r\n' : '\n';
}

const ISO = /^\d{4}-\d{2}-\d{2}([T ])\d{2}:\d{2}(:\d{2}(?:\.(\d+))?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** The form of one timestamp cell; undefined for a form this does not know (then the canonical one is used). */
export function timestampStyle(sample: string): TimestampStyle | undefined {
  const m = ISO.exec(sample.trim());
  if (!m) return undefined;
  const [, separator, seconds, fraction, zone] = m;
  const style = { separator: separator as 'T' | ' ', seconds: seconds !== undefined, fraction: fraction?.length ?? 0 };
  if (zone === undefined) return { ...style, zone: 'none', utc: false };
  if (zone === 'Z' || zone === 'z') return { ...style, zone: 'Z', utc: true };
  // A zero offset is UTC written as an offset (timezone.utc); any other is the writer's local time.
  return { ...style, zone: zone.includes(':') ? 'colon' : 'compact', utc: /^[+-]00:?00$/.test(zone) };
}

/** Microseconds since the epoch: the wall clock's milliseconds, with sub-millisecond digits as Python has them. */
export function epochMicros(): number {
  return Date.now() * 1000 + Math.floor((performance.now() % 1) * 1000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

export function formatTimestamp(style: TimestampStyle, micros: number): string {
  const ms = Math.floor(micros / 1000);
  const offsetMinutes = style.utc ? 0 : -new Date(ms).getTimezoneOffset();
  // Shifted by the offset, the UTC getters read the wall time of that zone.
  const d = new Date(ms + offsetMinutes * 60_000);
  let text = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${style.separator}${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (style.seconds) text += `:${pad(d.getUTCSeconds())}`;
  const subsecond = micros % 1_000_000;
  if (style.seconds && style.fraction > 0 && !(style.python && subsecond === 0)) {
    text += `.${pad(subsecond, 6).slice(0, style.fraction).padEnd(style.fraction, '0')}`;
  }
  if (style.zone === 'Z') return `${text}Z`;
  if (style.zone === 'none') return text;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hours = pad(Math.trunc(offsetMinutes / 60));
  const minutes = pad(offsetMinutes % 60);
  return `${text}${sign}${hours}${style.zone === 'colon' ? ':' : ''}${minutes}`;
}

/** The digits after the point of the log's score cells: one count if they agree, else the shortest form. */
export function numberStyle(cells: string[]): NumberStyle | undefined {
  const counts = new Set<number>();
  for (const cell of cells) {
    const text = cell.trim();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) continue;
    const point = text.indexOf('.');
    counts.add(point === -1 ? 0 : text.length - point - 1);
  }
  if (counts.size === 0) return undefined;
  return counts.size === 1 ? { fraction: [...counts][0] } : 'shortest';
}

export function formatNumber(style: NumberStyle, value: number | undefined): string {
  if (value === undefined) return '';
  if (style === 'shortest') return String(value);
  // A log of whole numbers still gets a fraction written out rather than rounded away.
  if (style.fraction === 0 && !Number.isInteger(value)) return String(value);
  return value.toFixed(style.fraction);
}
