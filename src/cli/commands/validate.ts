import { packsToValidate } from '../../core/discovery';
import { referenceReport, validatePacks } from '../../core/validation/validate';
import { onePositional, parse } from '../args';
import type { CliIO } from '../io';
import { existingFolder } from '../packArg';


/** validate.py's lines and exit code; `--json` adds positions and every rule's findings. */
export async function validateCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('validate', args, { json: { type: 'boolean' } });
  const root = await existingFolder(io.cwd, onePositional('validate', positionals, 'ROOT', '.'));
  // The extended rules only show in --json: the text output stays validate.py's, line for line.
  const reports = await validatePacks(await packsToValidate(root), { extended: values.json, git: values.json });
  const { lines, exitCode } = referenceReport(reports);
  if (values.json) {
    const findings = reports.flatMap((r) => r.findings.map((f) => ({ pack: r.pack.slug, ...f })));
    io.out(
      JSON.stringify(
        { ok: exitCode === 0, packs: reports.map((r) => ({ slug: r.pack.slug, dir: r.pack.dir, valid: !r.findings.some((f) => f.severity === 'error') })), findings },
        null,
        2,
      ),
    );
  } else {
    for (const line of lines) io.out(line);
  }
  return exitCode;
}
