/** Where bytes stop being UTF-8, for a finding that points at the culprit instead of a crash. */
import { isUtf8 } from 'node:buffer';

/**
 * Byte offset of the first sequence that is not UTF-8 (as Python's strict utf-8 codec rejects it:
 * bad bytes, overlong forms, surrogates, truncated sequences), or -1 when all of it is UTF-8.
 */
export function firstInvalidUtf8Byte(bytes: Buffer): number {
  if (isUtf8(bytes)) return -1;
  // Node's decoder turns each bad sequence into U+FFFD; the first one that is not a literal U+FFFD
  // (EF BF BD) in the source is the culprit, and every character before it was decoded as written.
  const text = bytes.toString('utf8');
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) {
    const offset = Buffer.byteLength(text.slice(0, i), 'utf8');
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
  }
  return -1;
}
