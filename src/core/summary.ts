/**
 * The counts every shell shows: trials by status (the tree, the run tracker, the results parser) and
 * findings by severity (the server, `autoexp validate`, Validate Packs). Counted here once, so a
 * pack cannot be "valid" in one view and "with errors" in another.
 */
import type { Severity } from './findings';
import type { StatusCounts } from './results/model';

/** Trials by status; a status outside kept/reverted/error/baseline (none, cancelled, interrupted) is unknown. */
export function statusCounts(trials: Iterable<{ status?: string }>): StatusCounts {
  const counts: StatusCounts = { kept: 0, reverted: 0, error: 0, baseline: 0, unknown: 0 };
  for (const { status } of trials) {
    if (status === 'kept' || status === 'reverted' || status === 'error' || status === 'baseline') counts[status]++;
    else counts.unknown++;
  }
  return counts;
}

/** `2 kept, 1 reverted, 0 error`: the words the tree and the run's end message share. */
export function countsText(counts: Pick<StatusCounts, 'kept' | 'reverted' | 'error'>): string {
  return `${counts.kept} kept, ${counts.reverted} reverted, ${counts.error} error`;
}

export interface FindingCounts {
  errors: number;
  warnings: number;
}

export function findingCounts(findings: Iterable<{ severity: Severity }>): FindingCounts {
  const counts = { errors: 0, warnings: 0 };
  for (const { severity } of findings) {
    if (severity === 'error') counts.errors++;
    else if (severity === 'warning') counts.warnings++;
  }
  return counts;
}

export type PackHealth = 'errors' | 'warnings' | 'valid';

/** Errors outrank warnings: a pack with both is a pack with errors. */
export function packHealth(counts: FindingCounts): PackHealth {
  return counts.errors > 0 ? 'errors' : counts.warnings > 0 ? 'warnings' : 'valid';
}
