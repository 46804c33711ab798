/**
 * The keep rule a native run is given, apart from the direction and margin it already had: which rule,
 * the test and its thresholds, and the metrics beyond the score. Greedy when a run names none, so a run
 * without the new flags keeps exactly what it kept before.
 */
import { SIGNIFICANT_DEFAULTS } from '../stats/keepRule';
import type { KeepConfig, NativeKeepRule } from './keepDecision';

export type KeepRuleOptions = Omit<KeepConfig, 'direction' | 'margin'>;

export const GREEDY_KEEP: KeepRuleOptions = { rule: 'greedy', test: SIGNIFICANT_DEFAULTS.test, alpha: SIGNIFICANT_DEFAULTS.alpha, minEffect: SIGNIFICANT_DEFAULTS.minEffect };

/** Measurements a side when the run names no --repeat: one compares medians of one; a test needs a spread. */
export function defaultRepeat(rule: NativeKeepRule): number {
  return rule === 'significant' ? SIGNIFICANT_DEFAULTS.repeat : 1;
}

/** The name of the second metric a log's metric_2 column records, if the rule has one. */
export function secondMetricName(keep: KeepRuleOptions): string | undefined {
  if (keep.secondary) return keep.secondary.name;
  return keep.metrics?.find((m) => m.name !== 'score')?.name;
}
