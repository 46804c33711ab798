/**
 * The native engine's keep decision, whatever the rule: greedy on medians, significant on a one-sided
 * test, Pareto over several metrics, each optionally held to a secondary metric's regression limit.
 * Pure: the engine gathers the measurements, this says keep or revert and why.
 */
import type { MeasurePayload } from '../measure';
import type { Direction } from '../results/model';
import { median } from '../stats/describe';
import { decideSignificant, decisionNote, type KeepRuleName, type SampleDecision, type SignificantOptions } from '../stats/keepRule';
import { metricValue, paretoKeeps, secondaryHolds, type MetricSpec, type Point, type SecondarySpec } from '../stats/multiMetric';

export type NativeKeepRule = KeepRuleName | 'pareto';

export interface KeepConfig extends SignificantOptions {
  rule: NativeKeepRule;
  direction: Direction;
  /** Greedy: a kept change must gain at least this much. */
  margin: number;
  secondary?: SecondarySpec;
  /** Pareto: the metrics and their directions (the first is the score). */
  metrics?: MetricSpec[];
}

/** One measurement: the score and every number measure.py printed beside it. */
export interface Sample {
  score: number;
  payload: MeasurePayload;
}

/** The state a candidate must beat: the current target's measurements and, for Pareto, every kept point. */
export interface Incumbent {
  samples: Sample[];
  front: Point[];
}

export interface KeepVerdict {
  keep: boolean;
  /** The candidate's score as the row records it: the median of its samples. */
  score: number;
  /** Every metric's median, for the journal and the log's extra columns. */
  metrics: Record<string, number>;
  /** Appended to the row's description and the terminal's trial line, e.g. `[Δ=+0.031 p=0.004]`. */
  note?: string;
  /** Why a candidate that improved the score was still reverted. */
  reason?: string;
  statistics?: SampleDecision;
}

/** The median of every finite number the samples share. */
export function metricMedians(samples: readonly Sample[]): Record<string, number> {
  const names = new Set(samples.flatMap((s) => Object.keys(s.payload)));
  const medians: Record<string, number> = {};
  for (const name of names) {
    const values = samples.map((s) => metricValue(s.payload, name)).filter((v): v is number => v !== undefined);
    if (values.length === samples.length) medians[name] = median(values);
  }
  medians.score = median(samples.map((s) => s.score));
  return medians;
}

export function pointOf(metrics: Record<string, number>, specs: readonly MetricSpec[]): Point | undefined {
  const entries = specs.map((s) => [s.name, metrics[s.name]] as const);
  return entries.every(([, v]) => v !== undefined) ? new Map(entries) : undefined;
}

function improves(candidate: number, best: number, direction: Direction, margin: number): boolean {
  const gain = direction === 'higher' ? candidate - best : best - candidate;
  return gain > 0 && gain >= margin;
}

export function decideKeep(config: KeepConfig, incumbent: Incumbent, candidate: readonly Sample[]): KeepVerdict {
  const before = metricMedians(incumbent.samples);
  const metrics = metricMedians(candidate);
  const score = metrics.score;
  const verdict = (keep: boolean, extra: Partial<KeepVerdict> = {}): KeepVerdict => ({ keep, score, metrics, ...extra });

  let base: KeepVerdict;
  if (config.rule === 'pareto') {
    const specs = config.metrics!;
    const point = pointOf(metrics, specs);
    const current = pointOf(before, specs);
    if (!point || !current) return verdict(false, { reason: `measure.py did not print every metric of --metrics (${specs.map((s) => s.name).join(', ')})` });
    base = verdict(paretoKeeps(incumbent.front, current, point, specs));
  } else if (config.rule === 'significant') {
    const statistics = decideSignificant(incumbent.samples.map((s) => s.score), candidate.map((s) => s.score), config.direction, config);
    base = verdict(statistics.keep, { statistics, note: decisionNote(statistics) });
  } else {
    base = verdict(improves(score, before.score, config.direction, config.margin));
  }
  if (!base.keep || !config.secondary) return base;

  const spec = config.secondary;
  const was = before[spec.name];
  const now = metrics[spec.name];
  if (was === undefined || now === undefined) return { ...base, keep: false, reason: `measure.py did not print the secondary metric ${spec.name}` };
  if (!secondaryHolds(spec, was, now)) return { ...base, keep: false, reason: `${spec.name} regressed from ${was} to ${now}` };
  return base;
}
