import * as path from 'node:path';
import { type PackRef, packsToValidate, referencePacks } from '../../core/discovery';
import { findingCounts } from '../../core/summary';
import { type PackReport, referenceReport, validatePacks } from '../../core/validation/validate';
import { onePositional, parse } from '../args';
import type { CliIO } from '../io';

/**
 * validate.py's lines and exit code. An explicit ROOT is what validate.py reads: a pack, or a folder of
 * packs, never a search. With no ROOT, every experiments folder under the current folder is checked.
 */
export async function validateCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('validate', args, { json: { type: 'boolean' } });
  const packs = positionals.length === 0 ? await packsToValidate(io.cwd) : packsOfRoot(onePositional('validate', positionals, 'ROOT'), io);
  // The extended rules only run for --json: the text output stays validate.py's, line for line.
  const reports = await validatePacks(packs, { extended: values.json, git: values.json });
  const { lines, exitCode } = referenceReport(reports);
  if (values.json) return printJson(reports, exitCode, io);
  io.out(lines.join('\n')); // one write: a thousand packs are a thousand lines
  return exitCode;
}

function packsOfRoot(root: string, io: CliIO): PackRef[] {
  const { packs, problem } = referencePacks(path.resolve(io.cwd, root));
  // stdout stays validate.py's `FAIL: no experiments found`; the reason goes to stderr.
  if (problem) io.err(`autoexp: ${problem}`);
  return packs;
}

/** Every rule's findings with positions; `ok` (and exit 0) only when no finding is an error. */
function printJson(reports: readonly PackReport[], referenceExit: 0 | 1, io: CliIO): number {
  const findings = reports.flatMap((r) => r.findings.map((f) => ({ pack: r.pack.slug, ...f })));
  const ok = referenceExit === 0 && findingCounts(findings).errors === 0;
  const packs = reports.map((r) => ({ slug: r.pack.slug, dir: r.pack.dir, valid: findingCounts(r.findings).errors === 0 }));
  io.out(JSON.stringify({ ok, packs, findings }, null, 2));
  return ok ? 0 : 1;
}
