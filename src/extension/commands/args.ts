/**
 * What each command accepts as its arguments, as zod schemas. Arguments come from tree nodes, Explorer
 * menus, CodeLenses, the results page, keybindings and tests, so they are checked like any data that
 * comes in. An argument of another shape reads as absent: the command then asks, as from the palette.
 * No `vscode` import: a URI is recognised by its shape, so these are unit-tested without VS Code.
 */
import { z } from 'zod';

/** A file URI as VS Code passes it from the Explorer or an editor menu. */
const FileUri = z.object({ scheme: z.literal('file'), fsPath: z.string() }).transform((uri) => ({ file: uri.fsPath }));

/** A pack by its folder (a tree node or a message) or by a file inside it (a URI). */
export type PackTarget = { dir: string } | { file: string };

const packShapes = z.union([
  z.object({ pack: z.object({ dir: z.string().min(1) }) }).transform((node) => ({ dir: node.pack.dir })),
  z.object({ spec: z.object({ packDir: z.string().min(1) }) }).transform((node) => ({ dir: node.spec.packDir })),
  FileUri,
]);
export const PackArg: z.ZodType<PackTarget | undefined, z.ZodTypeDef, unknown> = packShapes.optional().catch(undefined);

/** A row of results.tsv: the tree's trial nodes carry it in `spec`, the results page sends it bare. */
export const TrialRef = z.object({ packDir: z.string(), resultsLine: z.number() }).transform(({ packDir, resultsLine }) => ({ packDir, resultsLine }));
export type TrialRef = z.output<typeof TrialRef>;

/** Show Trial Diff: a trial, or else a pack whose trials to pick from. */
type TrialOrPack = { trial?: TrialRef; pack?: PackTarget };
export const TrialArg: z.ZodType<TrialOrPack, z.ZodTypeDef, unknown> = z
  .union([
    z.object({ spec: TrialRef }).transform((node): TrialOrPack => ({ trial: node.spec })),
    TrialRef.transform((trial): TrialOrPack => ({ trial })),
    packShapes.transform((pack): TrialOrPack => ({ pack })),
  ])
  .catch({});

/** Run Proposal: the tree's proposal node or a proposal file's URI name the file; any other pack argument, the pack. */
type FileOrPack = { file?: string; pack?: PackTarget };
export const ProposalArg: z.ZodType<FileOrPack, z.ZodTypeDef, unknown> = z
  .union([
    z.object({ spec: z.object({ kind: z.literal('proposal'), open: z.string() }) }).transform((node): FileOrPack => ({ file: node.spec.open })),
    FileUri.transform((uri): FileOrPack => uri),
    packShapes.transform((pack): FileOrPack => ({ pack })),
  ])
  .catch({});

/** A target's CodeLens: the pack and the target file whose history to show. */
export const TargetArg = z.object({ packDir: z.string().min(1), target: z.string().min(1) }).optional().catch(undefined);

/** Run Loop's proposals when a test or keybinding names them; absent, people choose them. */
export const ProposalNames = z.array(z.string()).optional().catch(undefined);

/** Reset Pack's options: `{ confirm: false }` skips the question (tests, keybindings). */
export const ResetOptions = z
  .object({ confirm: z.boolean().optional() })
  .optional()
  .catch(undefined)
  .transform((options) => ({ confirm: options?.confirm !== false }));

/** Measure Noise's number of measurements when given. */
export const Repeat = z.number().optional().catch(undefined);

/** The status bar's Show Run Terminal: the pack folder. */
export const PackDir = z.string().optional().catch(undefined);

/** A command without arguments ignores whatever it is given. */
export const None = z.unknown().transform(() => undefined);
