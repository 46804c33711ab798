/**
 * The keep rules' error rates from the calibration simulation (2,000 trials a case, seeded): the
 * false-keep rate at effect 0 and the power at 1σ, 2σ and 3σ, under Gaussian and Student-t(3) noise.
 */
import { calibrate, STANDARD_CASES, STANDARD_RULES } from '../src/core/stats/calibration';

type Figure = (name: string, value: number, unit: string, digits?: number) => void;

export function keepRuleFigures(figure: Figure): void {
  for (const row of calibrate(STANDARD_RULES, STANDARD_CASES, 2000)) {
    const rule = row.label.replace(/=/g, '').replace(/[ -]+/g, '_');
    const name = row.effect === 0 ? `false_keep_rate_${rule}_${row.noise}` : `power_${rule}_${row.noise}_${row.effect}sigma`;
    figure(name, row.rate, 'ratio', 3);
  }
}
