/**
 * validate.py's verdict alone: its four rules, its lines and its exit code. Apart from validate.ts so
 * that `autoexp validate` without --json loads none of the extended rules (nor execa, which they use).
 */
import type { PackRef } from '../discovery';
import type { Finding } from '../findings';
import { listPack, type Overlay, type PackListing } from './packListing';
import { REFERENCE_RULES, referenceFindings } from './referenceRules';

export interface PackReport {
  pack: PackRef;
  findings: Finding[];
}

/** The rules whose findings decide validate.py's PASS/FAIL; ours never change its verdict. */
const REFERENCE_RULE_IDS = new Set<string>([...Object.values(REFERENCE_RULES), 'pack-unreadable']);

/** validate.py's findings of one pack; synchronous, so a thousand packs make no promise. */
export function referenceReportOf(pack: PackRef, listing: PackListing): PackReport {
  if (!listing.unreadable) return { pack, findings: referenceFindings(listing) };
  const message = `${pack.slug}: cannot read the pack folder (${listing.unreadable})`;
  return { pack, findings: [{ rule: 'pack-unreadable', severity: 'error', message, file: pack.dir, line: 1, column: 1 }] };
}

export function referenceReports(packs: readonly PackRef[], overlay?: Overlay): PackReport[] {
  return packs.map((p) => referenceReportOf(p, listPack(p, overlay)));
}

export function isReferenceFinding(f: Finding): boolean {
  return REFERENCE_RULE_IDS.has(f.rule);
}

/** validate.py's output: the lines it prints and its exit code. */
export function referenceReport(reports: readonly PackReport[]): { lines: string[]; exitCode: 0 | 1 } {
  if (reports.length === 0) return { lines: ['FAIL: no experiments found'], exitCode: 1 };
  const errors = reports.flatMap((r) => r.findings.filter(isReferenceFinding));
  if (errors.length > 0) return { lines: ['FAIL', ...errors.map((f) => `- ${f.message}`)], exitCode: 1 };
  return { lines: [`PASS: ${reports.length} experiment(s) valid`, ...reports.map((r) => `- ${r.pack.slug}`)], exitCode: 0 };
}
