/**
 * What the results chart draws, built from a parsed log: one point per trial, the running best as a
 * step line, the baseline, run boundaries, modality series and, for two-metric logs, the Pareto
 * front. Pure data: the webview draws it, tests check it without a browser.
 */
import { isBetter } from './columns';
import { runningBest } from './export';
import type { Direction, ResultsLog, Trial } from './model';

export interface ChartPoint {
  /** Position across the whole log in file order, from 1, so trial n of a one-run log is drawn at n. */
  x: number;
  /** The score; undefined when the trial has none (a crash, a status-only log). */
  y?: number;
  status: 'kept' | 'reverted' | 'error' | 'baseline' | 'unknown';
  run: number;
  /** The trial number the log wrote. */
  trial: number;
  line: number;
  oldScore?: number;
  proposal?: string;
  description?: string;
  timestamp?: string;
}

export interface ChartSeries {
  metric?: string;
  direction: Direction;
  points: ChartPoint[];
  /** One entry where the running best first exists and at each change. */
  best: Array<{ x: number; y: number }>;
  baseline?: number;
  yRange?: { min: number; max: number };
  /** x of the first trial of every run after the first. */
  runBoundaries: number[];
  runs: Array<{ index: number; id: string; kept: number; reverted: number; error: number }>;
  modalities?: Record<string, Array<{ x: number; y?: number }>>;
  /** Two-metric logs: the trials no other trial beats on both metrics, sorted by metric 1. */
  pareto?: Array<{ x: number; y: number; trial: number }>;
  /** Every trial with both metrics, the front among them. */
  paretoTrials?: Array<{ x: number; y: number; trial: number; status: ChartPoint['status'] }>;
  /** False when no trial has a score: the chart shows counts per run instead. */
  numeric: boolean;
}

const PADDING = 0.1;
/** Up to this many trials every score fits in the view; past it, the view runs from the baseline to the best. */
export const CLIP_FROM_TRIALS = 50;

/** Where a trial sits on the x axis: trial n (from 1) at n, in file order across runs. */
const xOf = (index: number) => index + 1;

function point(t: Trial): ChartPoint {
  return {
    x: xOf(t.index),
    y: t.score,
    status: t.status ?? 'unknown',
    run: t.run,
    trial: t.number,
    line: t.line,
    oldScore: t.oldScore,
    proposal: t.proposal ?? t.commit,
    description: t.description,
    timestamp: t.timestamp,
  };
}

function bestSteps(log: ResultsLog): ChartSeries['best'] {
  const steps: ChartSeries['best'] = [];
  runningBest(log).forEach((y, index) => {
    if (y !== undefined && steps[steps.length - 1]?.y !== y) steps.push({ x: xOf(index), y });
  });
  return steps;
}

/**
 * A short log shows every score, so a reverted trial below the baseline is not hidden. A long one
 * runs from the baseline to the best, with a little room, as researchers plot these runs: a wild
 * revert (a diverged run at 3.3 bpb) must not flatten the line that matters; the page marks what
 * falls outside with an arrow at the edge. Without a baseline or a best, all scores.
 */
function yRange(log: ResultsLog, best: ChartSeries['best']): ChartSeries['yRange'] {
  const scores = log.trials.map((t) => t.score).filter((s): s is number => s !== undefined);
  const anchors = [log.baseline, ...best.map((b) => b.y)].filter((v): v is number => v !== undefined);
  const values = log.trials.length < CLIP_FROM_TRIALS ? [...anchors, ...scores] : anchors.length ? anchors : scores;
  if (values.length === 0) return undefined;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = (max - min) * PADDING || Math.abs(max) * PADDING || 1;
  return { min: min - pad, max: max + pad };
}

function modalitySeries(log: ResultsLog): ChartSeries['modalities'] {
  if (!log.columns.modality) return undefined;
  const series: Record<string, Array<{ x: number; y?: number }>> = {};
  for (const t of log.trials) {
    for (const [name, y] of Object.entries(t.modalities ?? {})) (series[name] ??= []).push({ x: xOf(t.index), y });
  }
  return Object.keys(series).length ? series : undefined;
}

/** Metric 1 in the log's direction, metric 2 higher-is-better unless it is named like a cost. */
export function paretoFront(trials: Trial[], direction: Direction, direction2: Direction = 'higher'): ChartSeries['pareto'] {
  const candidates = trials.filter((t) => t.score !== undefined && t.score2 !== undefined);
  const dominated = (a: Trial, b: Trial) =>
    !isBetter(a.score!, b.score!, direction) &&
    !isBetter(a.score2!, b.score2!, direction2) &&
    (isBetter(b.score!, a.score!, direction) || isBetter(b.score2!, a.score2!, direction2));
  return candidates
    .filter((a) => !candidates.some((b) => b !== a && dominated(a, b)))
    .map((t) => ({ x: t.score!, y: t.score2!, trial: t.number }))
    .sort((a, b) => a.x - b.x || a.y - b.y);
}

export function buildSeries(log: ResultsLog): ChartSeries {
  const points = log.trials.map(point);
  const best = bestSteps(log);
  const twoMetrics = log.trials.some((t) => t.score2 !== undefined);
  return {
    metric: log.metric,
    direction: log.direction,
    points,
    best,
    baseline: log.baseline,
    yRange: yRange(log, best),
    runBoundaries: log.runs.slice(1).flatMap((r) => (r.trials[0] ? [xOf(r.trials[0].index)] : [])),
    runs: log.runs.map((r) => ({
      index: r.index,
      id: r.id,
      kept: r.trials.filter((t) => t.status === 'kept').length,
      reverted: r.trials.filter((t) => t.status === 'reverted').length,
      error: r.trials.filter((t) => t.status === 'error').length,
    })),
    modalities: modalitySeries(log),
    pareto: twoMetrics ? paretoFront(log.trials, log.direction) : undefined,
    paretoTrials: twoMetrics
      ? log.trials.filter((t) => t.score !== undefined && t.score2 !== undefined).map((t) => ({ x: t.score!, y: t.score2!, trial: t.number, status: t.status ?? 'unknown' }))
      : undefined,
    numeric: points.some((p) => p.y !== undefined),
  };
}

/** The series of one run (or all): its points, and the best line over their range. */
export function filterRun(series: ChartSeries, run: number | 'all'): ChartSeries {
  if (run === 'all') return series;
  const points = series.points.filter((p) => p.run === run);
  if (points.length === 0) return { ...series, points, best: [], runBoundaries: [] };
  const from = points[0].x;
  const to = points[points.length - 1].x;
  const before = series.best.filter((b) => b.x < from).pop();
  const best = [...(before ? [{ x: from, y: before.y }] : []), ...series.best.filter((b) => b.x >= from && b.x <= to)];
  return { ...series, points, best, runBoundaries: [] };
}
