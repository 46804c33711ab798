/**
 * What the chart draws from a trial's repeated measurements (`--repeat`): a whisker over the
 * candidate's interquartile range at its row, and the baseline's noise band (median ± one standard
 * deviation) from the first trial of the newest run that measured it. Trials measured once have neither.
 */
import { median, quantile, standardDeviation } from '../stats/describe';
import type { RunRecord, TrialRecord } from './journal';
import { trialsByResultsLine } from './trialDiff';

export interface SampleSpread {
  /** The results.tsv line of the trial's row. */
  line: number;
  low: number;
  high: number;
  /** How many measurements the whisker sums up. */
  n: number;
}

export interface NoiseBand {
  low: number;
  high: number;
}

const candidateSamples = (trial: TrialRecord): number[] => trial.samples?.candidate ?? [];
const baselineSamples = (trial: TrialRecord): number[] => trial.samples?.baseline ?? [];

export function sampleSpreads(runs: RunRecord[]): { spreads: SampleSpread[]; noise?: NoiseBand } {
  const byLine = [...trialsByResultsLine(runs)].sort(([a], [b]) => a - b);
  const spreads = byLine.flatMap(([line, { trial }]) => {
    const values = candidateSamples(trial);
    return values.length > 1 ? [{ line, low: quantile(values, 0.25), high: quantile(values, 0.75), n: values.length }] : [];
  });
  // The newest run's baseline: an older run's may sit far from where the scores are now.
  const newest = [...runs].reverse().find((run) => run.trials.some((t) => baselineSamples(t).length > 1));
  const first = newest?.trials.map(baselineSamples).find((values) => values.length > 1);
  if (!first) return { spreads };
  const centre = median(first);
  const sd = standardDeviation(first);
  return { spreads, noise: { low: centre - sd, high: centre + sd } };
}
