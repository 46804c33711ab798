/**
 * Measure noise: measure.py run N times on the unchanged target, summarised so a user can choose
 * `--repeat` and `--min-effect` from what their metric actually does.
 */
import { runMeasure, type MeasureOptions } from './measure';
import { summarizeNoise, type NoiseSummary } from './stats/describe';

export type NoiseOutcome = { ok: true; scores: number[]; summary: NoiseSummary } | { ok: false; message: string; scores: number[] };

export async function measureNoise(pack: string, repeat: number, options: MeasureOptions & { onScore?: (i: number, score: number) => void }): Promise<NoiseOutcome> {
  const scores: number[] = [];
  for (let i = 1; i <= repeat; i++) {
    const { outcome } = await runMeasure(pack, options);
    if (!outcome.ok) return { ok: false, message: `measurement ${i} of ${repeat}: ${outcome.error.message}`, scores };
    scores.push(outcome.score);
    options.onScore?.(i, outcome.score);
  }
  return { ok: true, scores, summary: summarizeNoise(scores) };
}

/** The lines `autoexp measure --repeat` prints and VS Code's Measure Noise shows. */
export function describeNoise(summary: NoiseSummary, digits = 4): string[] {
  const f = (v: number) => v.toFixed(digits);
  return [
    `median: ${f(summary.median)}`,
    `sd: ${f(summary.sd)}`,
    `mad: ${f(summary.mad)}`,
    `n: ${summary.n}`,
    `suggested --min-effect: ${f(summary.suggestedMinEffect)} (1.4826 × MAD, one robust σ of noise)`,
  ];
}
