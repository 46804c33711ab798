/** Validation of packs: the entry point every shell calls. */
import type { Finding } from '../findings';
import type { PackRef } from '../discovery';
import { oneLine } from '../errors';
import { checkAppendOnly } from './appendOnly';
import { MAX_CHECKED_RESULTS_BYTES, checkRequiredAreFiles, checkResultsLog, checkScripts, checkTemplateLeftovers } from './extendedRules';
import { listPack, type Overlay, type PackListing } from './packListing';
import { REFERENCE_RULES, referenceFindings } from './referenceRules';

export const APPEND_ONLY_UNCHECKED_RULE = 'results-append-only-unchecked';

/** The rules whose findings decide validate.py's PASS/FAIL; ours never change its verdict. */
const REFERENCE_RULE_IDS = new Set<string>([...Object.values(REFERENCE_RULES), 'pack-unreadable']);

export interface ValidateOptions {
  /** Unsaved editor text by absolute path. */
  overlay?: Overlay;
  /** Run the rules beyond validate.py's four. */
  extended?: boolean;
  /** Compare results.tsv with its committed version. Off in untrusted workspaces: git reads repository config. */
  git?: boolean;
}

export interface PackReport {
  pack: PackRef;
  findings: Finding[];
}

function sizeOrInfinity(listing: PackListing, name: string): number {
  try {
    return listing.size(name);
  } catch {
    // A results.tsv that cannot be sized cannot be read either; its reading reports why (extendedRules).
    return Infinity;
  }
}

/**
 * Git could not say what results.tsv held at HEAD (not installed, a repository it refuses): the check
 * did not run, which the user is told rather than shown a pack that passed it.
 */
function appendOnlyUnchecked(listing: PackListing, err: unknown): Finding {
  const message = `${listing.slug}: results.tsv was not compared with its last commit: git failed (${oneLine(err)})`;
  return { rule: APPEND_ONLY_UNCHECKED_RULE, severity: 'info', message, file: listing.pathOf('results.tsv'), line: 1, column: 1 };
}

async function extendedFindings(listing: PackListing, git: boolean): Promise<Finding[]> {
  const groups = await Promise.all([
    checkRequiredAreFiles(listing),
    checkResultsLog(listing),
    checkTemplateLeftovers(listing),
    checkScripts(listing),
    git && listing.isFile('results.tsv') && sizeOrInfinity(listing, 'results.tsv') <= MAX_CHECKED_RESULTS_BYTES
      ? checkAppendOnly(listing).catch((err: unknown) => [appendOnlyUnchecked(listing, err)])
      : [],
  ]);
  return groups.flat();
}

/** validate.py's findings of one pack; synchronous, so a thousand packs make no promise. */
function referenceReportOf(pack: PackRef, listing: PackListing): PackReport {
  if (!listing.unreadable) return { pack, findings: referenceFindings(listing) };
  const message = `${pack.slug}: cannot read the pack folder (${listing.unreadable})`;
  return { pack, findings: [{ rule: 'pack-unreadable', severity: 'error', message, file: pack.dir, line: 1, column: 1 }] };
}

export async function validatePack(pack: PackRef, options: ValidateOptions = {}): Promise<PackReport> {
  const listing = listPack(pack, options.overlay);
  const report = referenceReportOf(pack, listing);
  if (options.extended && !listing.unreadable) report.findings.push(...(await extendedFindings(listing, options.git ?? false)));
  return report;
}

export async function validatePacks(packs: readonly PackRef[], options: ValidateOptions = {}): Promise<PackReport[]> {
  if (!options.extended) return packs.map((p) => referenceReportOf(p, listPack(p, options.overlay)));
  return Promise.all(packs.map((p) => validatePack(p, options)));
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
