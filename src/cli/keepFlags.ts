/**
 * The keep-rule flags of `autoexp run` and `autoexp autopilot`: --keep-rule, --alpha, --min-effect, --test, --secondary and
 * --metrics, read into the native engine's keep options. Every mistake is one line and exit 2, and a
 * flag the chosen rule would ignore is a mistake too: a user who typed --alpha expects it to matter.
 */
import { UserError } from '../core/errors';
import { defaultRepeat, GREEDY_KEEP, type KeepRuleOptions } from '../core/run/keepOptions';
import type { NativeKeepRule } from '../core/run/keepDecision';
import { parseMetricList, parseSecondary } from '../core/stats/multiMetric';
import { TEST_NAMES, type TestName } from '../core/stats/significance';
import { numberOption } from './args';

export const KEEP_FLAG_OPTIONS = {
  'keep-rule': { type: 'string' },
  alpha: { type: 'string' },
  'min-effect': { type: 'string' },
  test: { type: 'string' },
  secondary: { type: 'string' },
  metrics: { type: 'string' },
} as const;

export type KeepFlagValues = Partial<Record<keyof typeof KEEP_FLAG_OPTIONS, string>>;

const RULES: readonly NativeKeepRule[] = ['greedy', 'significant', 'pareto'];
const SIGNIFICANT_ONLY = ['alpha', 'min-effect', 'test'] as const;

/**
 * The options of the native engine, the keep flags among them: `autoexp run` and `autoexp autopilot`
 * take the same ones.
 */
export const NATIVE_FLAG_OPTIONS = {
  direction: { type: 'string' },
  repeat: { type: 'string' },
  margin: { type: 'string' },
  timeout: { type: 'string' },
  python: { type: 'string' },
  json: { type: 'boolean' },
  'no-diff': { type: 'boolean' },
  ...KEEP_FLAG_OPTIONS,
} as const;

/** The keep flags given, as the user typed them (`--alpha`), in the order the usage lists them. */
export function keepFlagsGiven(values: KeepFlagValues): string[] {
  return Object.keys(KEEP_FLAG_OPTIONS).filter((name) => values[name as keyof KeepFlagValues] !== undefined).map((name) => `--${name}`);
}

/** The keep options and the repeat count the flags ask for; undefined keep when none was given. */
export function parseKeepFlags(values: KeepFlagValues, repeat: number | undefined, command: 'run' | 'autopilot' = 'run'): { keep?: KeepRuleOptions; repeat?: number } {
  if (keepFlagsGiven(values).length === 0) return { repeat };
  const usage = (message: string) => new UserError(`autoexp ${command}: ${message}`, 2);
  const asked = values['keep-rule'] ?? 'greedy';
  if (!RULES.includes(asked as NativeKeepRule)) throw usage(`--keep-rule is greedy, significant or pareto, got "${asked}"`);
  const rule = asked as NativeKeepRule;
  if (rule !== 'significant') {
    const stray = SIGNIFICANT_ONLY.find((name) => values[name] !== undefined);
    if (stray) throw usage(`--${stray} belongs to --keep-rule significant`);
  }
  const test = values.test ?? GREEDY_KEEP.test;
  if (!TEST_NAMES.includes(test as TestName)) throw usage(`--test is welch or mann-whitney, got "${test}"`);
  if (rule === 'significant' && repeat !== undefined && repeat < 2) throw usage(`--repeat must be at least 2 with --keep-rule significant (a test needs a spread), got "${repeat}"`);
  if (values.metrics !== undefined && rule !== 'pareto') throw usage('--metrics belongs to --keep-rule pareto');
  if (rule === 'pareto' && values.metrics === undefined) throw usage('--keep-rule pareto needs --metrics, e.g. score:higher,latency_ms:lower');

  const keep: KeepRuleOptions = {
    rule,
    test: test as TestName,
    alpha: numberOption(command, 'alpha', values.alpha) ?? GREEDY_KEEP.alpha,
    minEffect: numberOption(command, 'min-effect', values['min-effect']) ?? GREEDY_KEEP.minEffect,
  };
  if (values.secondary !== undefined) {
    const secondary = parseSecondary(values.secondary);
    if (!secondary.ok) throw usage(secondary.error);
    keep.secondary = secondary.value;
  }
  if (values.metrics !== undefined) {
    const metrics = parseMetricList(values.metrics);
    if (!metrics.ok) throw usage(metrics.error);
    keep.metrics = metrics.value;
  }
  return { keep, repeat: repeat ?? defaultRepeat(rule) };
}
