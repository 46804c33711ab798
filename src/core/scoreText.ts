/** A score as people read it, in every shell: four decimals, and one mark for "no value". */

/** An en dash: a hyphen would read as a minus sign next to negative scores. */
export const NO_VALUE = '–';

export function scoreText(score: number | undefined, digits = 4): string {
  return score === undefined ? NO_VALUE : score.toFixed(digits);
}
