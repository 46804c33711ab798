/** The Atris pack format, as the reference validate.py defines it. */

export const REQUIRED_FILES = ['program.md', 'measure.py', 'loop.py', 'results.tsv'] as const;
export type RequiredFile = (typeof REQUIRED_FILES)[number];

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const PROGRAM_MAX_CHARS = 1200;
export const RESULTS_MAX_BYTES = 64_000;

export const DEFAULT_EXPERIMENTS_FOLDERS = ['atris/experiments'];

/** Support folders inside an experiments folder; everything else starting with `_` or `.` is ignored. */
export const SUPPORT_FOLDERS = { examples: '_examples', template: '_template', fixtures: '_fixtures' } as const;

/** The header a new results.tsv gets: the canonical pack dialect. */
export const CANONICAL_HEADER = ['timestamp', 'trial', 'status', 'old_score', 'new_score', 'proposal', 'description'];

export function isValidSlug(name: string): boolean {
  return SLUG_PATTERN.test(name);
}

/** A folder name that validate.py skips: hidden or a support folder. */
export function isSkippedFolderName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_');
}

/** Why a slug cannot be used, or undefined when it can. Used by New Pack as the user types. */
export function slugProblem(slug: string): string | undefined {
  if (slug.length === 0) return 'a slug is required';
  if (!isValidSlug(slug)) return `"${slug}" is not a lowercase-hyphen slug (like word-count or prompt-v2)`;
  return undefined;
}
