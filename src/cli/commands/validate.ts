import * as path from 'node:path';
import { type PackRef, packsToValidate, referencePacks } from '../../core/discovery';
import { referenceReport, referenceReports } from '../../core/validation/reference';
import { onePositional, parse } from '../args';
import type { CliIO } from '../io';

/**
 * validate.py's lines and exit code. An explicit ROOT is what validate.py reads: a pack, or a folder of
 * packs, never a search. With no ROOT, every experiments folder under the current folder is checked.
 */
export async function validateCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('validate', args, { json: { type: 'boolean' } });
  const packs = positionals.length === 0 ? await packsToValidate(io.cwd) : packsOfRoot(onePositional('validate', positionals, 'ROOT'), io);
  // The extended rules only run for --json, from the bundle of the other commands: the text output
  // stays validate.py's, line for line, and costs no more than it.
  if (values.json) return (await import('./index')).validateJson(packs, io);
  const { lines, exitCode } = referenceReport(referenceReports(packs));
  io.out(lines.join('\n')); // one write: a thousand packs are a thousand lines
  return exitCode;
}

function packsOfRoot(root: string, io: CliIO): PackRef[] {
  const { packs, problem } = referencePacks(path.resolve(io.cwd, root));
  // stdout stays validate.py's `FAIL: no experiments found`; the reason goes to stderr.
  if (problem) io.err(`autoexp: ${problem}`);
  return packs;
}
