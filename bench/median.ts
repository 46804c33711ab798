/** The median of a figure's samples: one noisy run moves it less than it moves a mean. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
