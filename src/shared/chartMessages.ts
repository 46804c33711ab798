/**
 * Messages between the extension and the results chart webview. Both sides check what arrives with
 * these schemas; a message that does not fit is logged and dropped.
 */
import { z } from 'zod';

const Status = z.enum(['kept', 'reverted', 'error', 'baseline', 'unknown']);
const XY = z.object({ x: z.number(), y: z.number() });

export const ChartPointSchema = z.object({
  x: z.number(),
  y: z.number().optional(),
  status: Status,
  run: z.number().int(),
  trial: z.number(),
  line: z.number().int(),
  oldScore: z.number().optional(),
  proposal: z.string().optional(),
  description: z.string().optional(),
  timestamp: z.string().optional(),
});

export const ChartSeriesSchema = z.object({
  metric: z.string().optional(),
  direction: z.enum(['higher', 'lower']),
  points: z.array(ChartPointSchema),
  best: z.array(XY),
  baseline: z.number().optional(),
  yRange: z.object({ min: z.number(), max: z.number() }).optional(),
  runBoundaries: z.array(z.number()),
  runs: z.array(z.object({ index: z.number().int(), id: z.string(), kept: z.number(), reverted: z.number(), error: z.number() })),
  modalities: z.record(z.array(z.object({ x: z.number(), y: z.number().optional() }))).optional(),
  pareto: z.array(z.object({ x: z.number(), y: z.number(), trial: z.number() })).optional(),
  /** Every trial with both metrics, for the Pareto view: the front is drawn on top of them. */
  paretoTrials: z.array(z.object({ x: z.number(), y: z.number(), trial: z.number(), status: Status })).optional(),
  numeric: z.boolean(),
});
export type ChartSeriesMessage = z.infer<typeof ChartSeriesSchema>;

/** From the run journal: repeated measurements (`--repeat`) as whiskers at their rows, and the baseline's noise band. */
export const SamplesSchema = z.object({
  spreads: z.array(z.object({ line: z.number().int(), low: z.number(), high: z.number(), n: z.number().int() })),
  noise: z.object({ low: z.number(), high: z.number() }).optional(),
});
export type SamplesMessage = z.infer<typeof SamplesSchema>;

export const ToWebview = z.discriminatedUnion('type', [
  /**
   * Rows were appended: `series` is the whole new series except its points, which hold only the
   * ones from index `from` on. The page keeps the points it has, so a long log is not sent again.
   */
  z.object({ type: z.literal('append'), from: z.number().int().nonnegative(), series: ChartSeriesSchema, diffLines: z.array(z.number().int()), samples: SamplesSchema.optional() }),
  z.object({
    type: z.literal('series'),
    pack: z.string(),
    series: ChartSeriesSchema,
    /** results.tsv lines whose trial has a diff (the run journal holds its snapshots). */
    diffLines: z.array(z.number().int()),
    samples: SamplesSchema.optional(),
    /** Set when results.tsv could not be read: the page says why instead of drawing. */
    error: z.string().optional(),
  }),
]);
export type ToWebview = z.infer<typeof ToWebview>;

export const FromWebview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('openTrial'), line: z.number().int().positive() }),
  z.object({ type: z.literal('exportPng'), dataUrl: z.string().regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/) }),
  z.object({ type: z.literal('exportTable'), format: z.enum(['csv', 'md']) }),
  /** The page received something it could not read; the extension logs it. */
  z.object({ type: z.literal('invalid'), issue: z.string().max(500) }),
]);
export type FromWebview = z.infer<typeof FromWebview>;
