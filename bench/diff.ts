/**
 * Inline diff figures: what printing a trial's diff costs, for a typical trial (one line changed
 * in a 1,000-line target), a busy one (100 scattered changes in 10,000 lines) and the worst case
 * (every line of 10,000 changed: the search stops at its budget and the change is one line).
 */
import { inlineDiffLines } from '../src/core/diff/inlineDiff';

const lines = (n: number, changed: (i: number) => boolean) => Buffer.from(Array.from({ length: n }, (_, i) => (changed(i) ? `changed line ${i}\n` : `line ${i} of the target\n`)).join(''));

export function diffFigures(time: (fn: () => void, runs: number) => number, figure: (name: string, value: number, unit: string, digits?: number) => void): void {
  const options = { color: true, seeAll: 'autoexp diff bench' };
  const cases: Array<[string, Buffer, Buffer]> = [
    ['inline_diff_1k_lines_1_change', lines(1000, () => false), lines(1000, (i) => i === 500)],
    ['inline_diff_10k_lines_100_changes', lines(10_000, () => false), lines(10_000, (i) => i % 100 === 7)],
    ['inline_diff_10k_lines_all_changed', lines(10_000, () => false), lines(10_000, () => true)],
  ];
  for (const [name, before, after] of cases) {
    inlineDiffLines(before, after, 1, options); // warm up the JIT
    figure(name, time(() => inlineDiffLines(before, after, 1, options), 7), 'ms', 2);
  }
}
