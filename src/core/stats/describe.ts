/** Summaries of repeated measurements: the centre, the spread, and the noise a decision must beat. */

export function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * The sample variance (n - 1 in the denominator); 0 for fewer than two values. Shifted by the first
 * value, so identical measurements give exactly 0 rather than a rounding residue.
 */
export function variance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const shift = values[0];
  let sum = 0;
  let squares = 0;
  for (const v of values) {
    sum += v - shift;
    squares += (v - shift) ** 2;
  }
  return Math.max(0, (squares - (sum * sum) / values.length) / (values.length - 1));
}

export function standardDeviation(values: readonly number[]): number {
  return Math.sqrt(variance(values));
}

/** The q-quantile by linear interpolation between order statistics (numpy's default). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The median absolute deviation from the median, unscaled. */
export function medianAbsoluteDeviation(values: readonly number[]): number {
  const centre = median(values);
  return median(values.map((v) => Math.abs(v - centre)));
}

/** MAD × 1.4826 estimates σ for normal noise, and one wild measurement cannot inflate it. */
export const MAD_TO_SIGMA = 1.4826;

export interface NoiseSummary {
  n: number;
  median: number;
  mean: number;
  sd: number;
  mad: number;
  /** The smallest gain worth keeping at this noise: one robust σ. */
  suggestedMinEffect: number;
}

export function summarizeNoise(values: readonly number[]): NoiseSummary {
  const mad = medianAbsoluteDeviation(values);
  return {
    n: values.length,
    median: median(values),
    mean: mean(values),
    sd: standardDeviation(values),
    mad,
    suggestedMinEffect: mad * MAD_TO_SIGMA,
  };
}
