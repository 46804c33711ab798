/**
 * What the git index says, without the stat data git refreshes on its own: a digest of every entry's
 * path, mode, object id and flags (stage, assume-unchanged, skip-worktree, intent-to-add). A proposal
 * that runs `git status` may rewrite the index's stat data; one that runs `git add`, or marks a file
 * assume-unchanged to hide it from `git status`, changes this digest.
 * Format: git's Documentation/gitformat-index.txt (versions 2, 3 and 4).
 */
import { createHash } from 'node:crypto';

const STAT_BYTES = 40;

/** Git's offset varint (index v4 path prefixes). */
function varint(buf: Buffer, at: number): [number, number] {
  let c = buf[at++];
  let value = c & 127;
  while (c & 128) {
    c = buf[at++];
    value = ((value + 1) << 7) | (c & 127);
  }
  return [value, at];
}

/** The digest, or one of the raw bytes when the index is not one this reads (a split index, say). */
export function indexDigest(bytes: Buffer, oidBytes: number): string {
  const hash = createHash('sha1');
  try {
    if (bytes.toString('latin1', 0, 4) !== 'DIRC') throw new Error('no index signature');
    const version = bytes.readUInt32BE(4);
    const count = bytes.readUInt32BE(8);
    if (version < 2 || version > 4) throw new Error(`index version ${version}`);
    let at = 12;
    let previous: Buffer = Buffer.alloc(0);
    for (let i = 0; i < count; i++) {
      const start = at;
      const fields = at + STAT_BYTES;
      const mode = bytes.subarray(at + 24, at + 28);
      const oid = bytes.subarray(fields, fields + oidBytes);
      const flags = bytes.readUInt16BE(fields + oidBytes);
      at = fields + oidBytes + 2;
      let extended = 0;
      if (version >= 3 && flags & 0x4000) {
        extended = bytes.readUInt16BE(at);
        at += 2;
      }
      let name: Buffer;
      if (version === 4) {
        const [strip, next] = varint(bytes, at);
        const end = bytes.indexOf(0, next);
        name = Buffer.concat([previous.subarray(0, previous.length - strip), bytes.subarray(next, end)]);
        at = end + 1;
      } else {
        const end = bytes.indexOf(0, at);
        name = bytes.subarray(at, end);
        // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
        at = start + ((end - start + 8) & ~7);
      }
      previous = name;
      hash.update(mode).update(oid).update(Buffer.from([flags >> 12, extended >> 8])).update(name).update('\0');
    }
    // A split index keeps its entries in another file: this file alone does not say what is staged.
    while (at + 8 <= bytes.length - oidBytes) {
      const signature = bytes.toString('latin1', at, at + 4);
      if (signature === 'link') throw new Error('split index');
      at += 8 + bytes.readUInt32BE(at + 4);
    }
    return `entries:${hash.digest('hex')}`;
  } catch {
    // A split index, or a format this reader does not know (it throws on what it cannot parse): the bytes themselves.
    return `raw:${createHash('sha1').update(bytes).digest('hex')}`;
  }
}
