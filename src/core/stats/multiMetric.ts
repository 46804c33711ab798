/**
 * Decisions over more than one metric from measure.py's JSON (`{"score": 0.91, "latency_ms": 41}`):
 * a secondary metric that may not regress beyond a limit, and a Pareto rule that keeps a candidate no
 * earlier kept trial dominates.
 */
import type { Direction } from '../results/model';

export interface MetricSpec {
  name: string;
  direction: Direction;
}

export interface SecondarySpec extends MetricSpec {
  /** How much worse the secondary may get: a fraction of its current value, or an absolute amount. */
  maxRegress: { relative: number } | { absolute: number };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const DIRECTIONS: readonly Direction[] = ['higher', 'lower'];
const NAME = /^[A-Za-z_][\w.-]*$/;

function parseMetric(text: string, flag: string): Parsed<MetricSpec> {
  const [name, direction, ...rest] = text.split(':');
  if (!name || !NAME.test(name)) return { ok: false, error: `${flag}: "${text}" needs a metric name, e.g. latency_ms:lower` };
  if (!DIRECTIONS.includes(direction as Direction)) return { ok: false, error: `${flag}: "${text}" needs a direction, higher or lower (e.g. ${name}:lower)` };
  if (rest.length && flag !== '--secondary') return { ok: false, error: `${flag}: "${text}" has more than name:direction` };
  return { ok: true, value: { name, direction: direction as Direction } };
}

/** `latency_ms:lower:max-regress=5%` (or `=3` for an absolute amount; 0% when left out). */
export function parseSecondary(text: string): Parsed<SecondarySpec> {
  const metric = parseMetric(text, '--secondary');
  if (!metric.ok) return metric;
  const option = text.split(':').slice(2).join(':');
  if (!option) return { ok: true, value: { ...metric.value, maxRegress: { relative: 0 } } };
  const match = /^max-regress=(\d+(?:\.\d+)?)(%?)$/.exec(option);
  if (!match) return { ok: false, error: `--secondary: "${option}" must be max-regress=N% or max-regress=N` };
  const amount = Number(match[1]);
  return { ok: true, value: { ...metric.value, maxRegress: match[2] ? { relative: amount / 100 } : { absolute: amount } } };
}

/** `score:higher,latency_ms:lower`: at least two distinct metrics. */
export function parseMetricList(text: string): Parsed<MetricSpec[]> {
  const specs: MetricSpec[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const metric = parseMetric(part, '--metrics');
    if (!metric.ok) return metric;
    if (specs.some((s) => s.name === metric.value.name)) return { ok: false, error: `--metrics: ${metric.value.name} is named twice` };
    specs.push(metric.value);
  }
  if (specs.length < 2) return { ok: false, error: '--metrics needs at least two metrics, e.g. score:higher,latency_ms:lower' };
  return { ok: true, value: specs };
}

/** A finite number under `name` in measure.py's payload, if there is one. */
export function metricValue(payload: Record<string, unknown>, name: string): number | undefined {
  const value = payload[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Whether the secondary metric got no worse than its limit allows. */
export function secondaryHolds(spec: SecondarySpec, current: number, candidate: number): boolean {
  const worse = spec.direction === 'higher' ? current - candidate : candidate - current;
  const limit = 'relative' in spec.maxRegress ? Math.abs(current) * spec.maxRegress.relative : spec.maxRegress.absolute;
  return worse <= limit + 1e-12;
}

export type Point = ReadonlyMap<string, number>;

const better = (spec: MetricSpec, a: number, b: number) => (spec.direction === 'higher' ? a > b : a < b);

/** a dominates b: at least as good on every metric and better on one. */
export function dominates(a: Point, b: Point, specs: readonly MetricSpec[]): boolean {
  let strictly = false;
  for (const spec of specs) {
    const x = a.get(spec.name)!;
    const y = b.get(spec.name)!;
    if (better(spec, y, x)) return false;
    if (better(spec, x, y)) strictly = true;
  }
  return strictly;
}

/** Pareto keep: no kept point dominates the candidate, and it beats the current state on some metric. */
export function paretoKeeps(kept: readonly Point[], current: Point, candidate: Point, specs: readonly MetricSpec[]): boolean {
  if (kept.some((point) => dominates(point, candidate, specs))) return false;
  return specs.some((spec) => better(spec, candidate.get(spec.name)!, current.get(spec.name)!));
}
