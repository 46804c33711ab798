/** A seeded generator for the calibration simulation, so its figures repeat exactly from run to run. */

export type Random = () => number;

/** mulberry32: 32 bits of state, uniform on [0, 1). Good enough for Monte Carlo rates at 2,000 trials. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller). */
export function normal(random: Random): number {
  const u = 1 - random(); // (0, 1]: log(0) is never taken
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A Student t draw with `df` (integer) degrees of freedom: Z / sqrt(χ²/df). */
export function studentT(random: Random, df: number): number {
  let chiSquare = 0;
  for (let i = 0; i < df; i++) chiSquare += normal(random) ** 2;
  return normal(random) / Math.sqrt(chiSquare / df);
}
