/**
 * Every candidate the autopilot measured is saved as a proposal script that rewrites EXPERIMENT_TARGET
 * into that candidate, byte for byte, so `python loop.py --proposal proposals/auto/0007-….py` replays it
 * without the agent.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const AUTO_PROPOSALS = path.join('proposals', 'auto');

/** A short lowercase-hyphen slug of a description, or `candidate`. */
export function shortSlug(description: string | undefined, max = 40): string {
  const slug = (description ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug || 'candidate';
}

export interface ReplayNote {
  session: string;
  trial: number;
  description?: string;
}

/** The one line the replay prints, which becomes the trial's description in results.tsv. */
export function replayDescription(note: ReplayNote): string {
  return note.description?.replace(/[\r\n\t]+/g, ' ').trim() || `autopilot trial ${note.trial}`;
}

/** The Python source that writes these exact bytes into the target and prints the description. */
export function replayScript(content: Uint8Array, note: ReplayNote): string {
  const description = replayDescription(note);
  return [
    `"""Autopilot ${note.session}, trial ${note.trial}: replays the measured candidate into EXPERIMENT_TARGET."""`,
    'import base64',
    'import os',
    'import pathlib',
    '',
    `CANDIDATE = base64.b64decode(${JSON.stringify(Buffer.from(content).toString('base64'))})`,
    'pathlib.Path(os.environ["EXPERIMENT_TARGET"]).write_bytes(CANDIDATE)',
    `print(${JSON.stringify(description)})`,
    '',
  ].join('\n');
}

/** The next free `NNNN` in the pack's proposals/auto, so sessions never overwrite each other's scripts. */
export function nextProposalNumber(pack: string): number {
  const dir = path.join(pack, AUTO_PROPOSALS);
  if (!existsSync(dir)) return 1;
  const numbers = readdirSync(dir).map((name) => /^(\d{4,})-/.exec(name)?.[1]).filter(Boolean).map(Number);
  return numbers.length ? Math.max(...numbers) + 1 : 1;
}

/** Writes the replay script (whole, by rename) and returns its path. */
export function saveReplay(pack: string, content: Uint8Array, note: ReplayNote): string {
  const dir = path.join(pack, AUTO_PROPOSALS);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${String(nextProposalNumber(pack)).padStart(4, '0')}-${shortSlug(note.description)}.py`);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, replayScript(content, note));
  renameSync(temp, file);
  return file;
}
