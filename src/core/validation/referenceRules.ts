/**
 * The four rules of the reference validate.py, with its exact wording, so `autoexp validate` can
 * replace it in anyone's CI. Each finding also carries the narrowest honest position for editors.
 * Where validate.py crashes (a program.md it cannot read as UTF-8 text), a finding takes the crash's
 * place: the verdict (exit 1) stays the same.
 */
import { oneLine } from '../errors';
import type { Finding } from '../findings';
import { PROGRAM_MAX_CHARS, REQUIRED_FILES, RESULTS_MAX_BYTES, isValidSlug } from '../packFormat';
import { endPosition, lineStarts, offsetOfPythonChar, positionAt, pythonTextLength } from '../textPosition';
import type { PackListing } from './packListing';
import { firstInvalidUtf8Byte } from './utf8';

export const REFERENCE_RULES = {
  slug: 'invalid-slug',
  missingFile: 'missing-file',
  programTooLong: 'program-too-long',
  resultsTooLarge: 'results-too-large',
  /** Where validate.py crashes reading program.md. */
  programUnreadable: 'program-unreadable',
} as const;

/** Where a finding about the whole pack goes: program.md's first line, else the first file present. */
export function packAnchor(pack: PackListing): string {
  if (pack.isFile('program.md')) return pack.pathOf('program.md');
  const firstRequired = REQUIRED_FILES.find((f) => pack.isFile(f));
  if (firstRequired) return pack.pathOf(firstRequired);
  const firstFile = pack.entries.find((e) => e.isFile);
  return firstFile ? pack.pathOf(firstFile.name) : pack.dir;
}

function firstLine(file: string, rule: string, message: string, severity: Finding['severity'] = 'error'): Finding {
  return { rule, severity, message, file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

export function checkSlug(pack: PackListing): Finding[] {
  if (isValidSlug(pack.slug)) return [];
  return [firstLine(packAnchor(pack), REFERENCE_RULES.slug, `${pack.slug}: invalid folder name, use lowercase-hyphen slug`)];
}

export function checkRequiredFiles(pack: PackListing): Finding[] {
  const missing = REQUIRED_FILES.filter((f) => !pack.has(f));
  if (missing.length === 0) return [];
  const anchor = packAnchor(pack);
  return missing.map((f) =>
    firstLine(anchor, REFERENCE_RULES.missingFile, `${pack.slug}: missing required file ${f}`),
  );
}

/** program.md as validate.py reads it (strict UTF-8), or the finding that stands in for its crash. */
function readProgram(pack: PackListing): string | Finding {
  const file = pack.pathOf('program.md');
  const unreadable = (why: string, line = 1) => ({ ...firstLine(file, REFERENCE_RULES.programUnreadable, `${pack.slug}: program.md ${why}`), line, endLine: line });
  if (pack.isDirectory('program.md')) return unreadable('is a folder, not a file');
  let text: string;
  try {
    text = pack.text('program.md');
  } catch (err) {
    return unreadable(`cannot be read (${(err as NodeJS.ErrnoException).code ?? oneLine(err)})`);
  }
  if (!text.includes('\uFFFD')) return text;
  const bytes = pack.bytes('program.md');
  const bad = firstInvalidUtf8Byte(bytes);
  if (bad === -1) return text;
  const line = lineCrossingByteLimit(bytes, bad);
  const byte = `0x${bytes[bad].toString(16).padStart(2, '0')}`;
  return unreadable(`is not UTF-8 text: byte ${byte} on line ${line} (offset ${bad}); save it as UTF-8`, line);
}

export function checkProgramLength(pack: PackListing): Finding[] {
  // validate.py reads program.md whenever it exists, whatever it is; a fifo or socket is left alone.
  if (!pack.isFile('program.md') && !pack.isDirectory('program.md')) return [];
  const text = readProgram(pack);
  if (typeof text !== 'string') return [text];
  const length = pythonTextLength(text);
  if (length <= PROGRAM_MAX_CHARS) return [];
  const starts = lineStarts(text);
  const start = positionAt(starts, offsetOfPythonChar(text, PROGRAM_MAX_CHARS));
  const end = endPosition(text);
  return [
    {
      rule: REFERENCE_RULES.programTooLong,
      severity: 'error',
      message: `${pack.slug}: program.md too long (${length} chars > ${PROGRAM_MAX_CHARS})`,
      file: pack.pathOf('program.md'),
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
    },
  ];
}

/** The 1-based line whose bytes cross `limit`, reading the file as bytes (the limit is in bytes). */
export function lineCrossingByteLimit(bytes: Buffer, limit: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < limit; i = bytes.indexOf(0x0a, i + 1)) line++;
  return line;
}

const LARGE_FILE_BYTES = 8 * 1024 * 1024;

export function checkResultsSize(pack: PackListing): Finding[] {
  // validate.py takes the size of whatever exists under that name (a folder's too); links followed.
  if (!pack.has('results.tsv')) return [];
  const size = pack.size('results.tsv');
  if (size <= RESULTS_MAX_BYTES) return [];
  const isFile = pack.isFile('results.tsv');
  const line = isFile ? lineCrossingByteLimit(pack.head('results.tsv', RESULTS_MAX_BYTES + 1), RESULTS_MAX_BYTES) : 1;
  // The range runs to the end of the file; a huge log is not read whole just to find that end.
  const end = isFile && size <= LARGE_FILE_BYTES ? endPosition(pack.text('results.tsv')) : { line, column: 1 };
  return [
    {
      rule: REFERENCE_RULES.resultsTooLarge,
      severity: 'error',
      message: `${pack.slug}: results.tsv too large (${size} bytes > ${RESULTS_MAX_BYTES})`,
      file: pack.pathOf('results.tsv'),
      line,
      column: 1,
      endLine: end.line,
      endColumn: end.column,
    },
  ];
}

/** All reference findings of one pack, in validate.py's order. */
export function referenceFindings(pack: PackListing): Finding[] {
  return [...checkSlug(pack), ...checkRequiredFiles(pack), ...checkProgramLength(pack), ...checkResultsSize(pack)];
}
