/** Validation of packs, validate.py's rules and Autoexp's own: the entry point every shell calls. */
import type { Finding } from '../findings';
import type { PackRef } from '../discovery';
import { oneLine } from '../errors';
import { checkAppendOnly } from './appendOnly';
import { MAX_CHECKED_RESULTS_BYTES, checkRequiredAreFiles, checkResultsLog, checkScripts, checkTemplateLeftovers } from './extendedRules';
import { listPack, type Overlay, type PackListing } from './packListing';
import { type PackReport, referenceReportOf, referenceReports } from './reference';

export { isReferenceFinding, referenceReport, referenceReports, type PackReport } from './reference';

export const APPEND_ONLY_UNCHECKED_RULE = 'results-append-only-unchecked';

export interface ValidateOptions {
  /** Unsaved editor text by absolute path. */
  overlay?: Overlay;
  /** Run the rules beyond validate.py's four. */
  extended?: boolean;
  /** Compare results.tsv with its committed version. Off in untrusted workspaces: git reads repository config. */
  git?: boolean;
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

export async function validatePack(pack: PackRef, options: ValidateOptions = {}): Promise<PackReport> {
  const listing = listPack(pack, options.overlay);
  const report = referenceReportOf(pack, listing);
  if (options.extended && !listing.unreadable) report.findings.push(...(await extendedFindings(listing, options.git ?? false)));
  return report;
}

export async function validatePacks(packs: readonly PackRef[], options: ValidateOptions = {}): Promise<PackReport[]> {
  if (!options.extended) return referenceReports(packs, options.overlay);
  return Promise.all(packs.map((p) => validatePack(p, options)));
}
