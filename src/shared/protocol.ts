/**
 * Messages between the VS Code client and the language server, beyond LSP itself. Each has a type
 * and a zod schema; the receiving side checks what arrives.
 */
import { z } from 'zod';

/**
 * What a client may say at initialize. Every field has a default in the server, so other editors may
 * send `{}`, null or nothing at all; unknown fields are ignored.
 */
export const InitializationOptions = z.object({
  /** Workspace trust: untrusted workspaces skip the git comparison (git reads repository config). Default true. */
  trusted: z.boolean().optional(),
  /** Default ["atris/experiments"]. */
  experimentsFolders: z.array(z.string()).min(1).optional(),
  /** Absolute path of the extension's templates/ folder, for "create the missing file" fixes. Default: the server's own. */
  templatesDir: z.string().optional(),
});
export type InitializationOptions = z.infer<typeof InitializationOptions>;

export const PackSummary = z.object({
  /** Absolute folder of the pack. */
  dir: z.string(),
  slug: z.string(),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
});
export type PackSummary = z.infer<typeof PackSummary>;

/** Server → client after each validation: the state of the packs it just checked (for folder badges). */
export const PacksValidated = z.object({ packs: z.array(PackSummary), removed: z.array(z.string()) });
export type PacksValidated = z.infer<typeof PacksValidated>;
export const PACKS_VALIDATED = 'autoexp/packsValidated';

/** Client → server: re-discover and re-validate every pack; answers with every pack's state. */
export const VALIDATE_ALL = 'autoexp/validateAll';
export const ValidateAllResult = z.object({ packs: z.array(PackSummary), durationMs: z.number() });
export type ValidateAllResult = z.infer<typeof ValidateAllResult>;

/** Client → server: workspace trust was granted. */
export const TRUST_CHANGED = 'autoexp/trustChanged';
export const TrustChanged = z.object({ trusted: z.boolean() });
export type TrustChanged = z.infer<typeof TrustChanged>;

/**
 * Client → server: the `autoexp.experimentsFolders` setting changed. The server was given the folders
 * at initialize; without this it would go on validating the old ones until restarted.
 */
export const EXPERIMENTS_FOLDERS_CHANGED = 'autoexp/experimentsFoldersChanged';
export const ExperimentsFoldersChanged = z.object({ experimentsFolders: InitializationOptions.shape.experimentsFolders.unwrap() });
export type ExperimentsFoldersChanged = z.infer<typeof ExperimentsFoldersChanged>;

/** What a diagnostic carries for its quick fix. */
export const FixData = z.object({ packDir: z.string(), file: z.string().optional() });
export type FixData = z.infer<typeof FixData>;
