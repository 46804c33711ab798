import type { PackRef } from '../../core/discovery';
import { findingCounts } from '../../core/summary';
import { referenceReport, validatePacks } from '../../core/validation/validate';
import type { CliIO } from '../io';

/**
 * `autoexp validate --json`: every rule's findings with positions; `ok` (and exit 0) only when
 * validate.py passes and no finding is an error.
 */
export async function validateJson(packs: PackRef[], io: CliIO): Promise<number> {
  const reports = await validatePacks(packs, { extended: true, git: true });
  const findings = reports.flatMap((r) => r.findings.map((f) => ({ pack: r.pack.slug, ...f })));
  const ok = referenceReport(reports).exitCode === 0 && findingCounts(findings).errors === 0;
  const summaries = reports.map((r) => ({ slug: r.pack.slug, dir: r.pack.dir, valid: findingCounts(r.findings).errors === 0 }));
  io.out(JSON.stringify({ ok, packs: summaries, findings }, null, 2));
  return ok ? 0 : 1;
}
