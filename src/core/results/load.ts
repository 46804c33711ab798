/** Reading a results log from disk, refusing what is not one before parsing it. */
import { promises as fs } from 'node:fs';
import { UserError } from '../errors';
import type { ResultsLog } from './model';
import { parseResults } from './parse';

/** Real logs stay far below this (validate.py caps them at 64,000 bytes); past it we refuse rather than stall. */
export const MAX_RESULTS_READ_BYTES = 64 * 1024 * 1024;

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export async function readResultsText(file: string): Promise<string> {
  let size: number;
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) throw new UserError(`${file}: is a folder, not a results log`);
    size = stat.size;
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  if (size > MAX_RESULTS_READ_BYTES) {
    throw new UserError(`${file}: too large to read (${mb(size)} > ${mb(MAX_RESULTS_READ_BYTES)}); archive old rows first`);
  }
  const bytes = await fs.readFile(file);
  refuseBinary(file, bytes);
  return bytes.toString('utf8');
}

/** A NUL byte never occurs in text: the file is binary, and nothing may be read from it or appended to it. */
export function refuseBinary(file: string, bytes: Uint8Array): void {
  if (bytes.includes(0)) throw new UserError(`${file}: holds binary data, not a tab-separated results log`);
}

export async function loadResults(file: string): Promise<ResultsLog> {
  return parseResults(await readResultsText(file), file);
}
