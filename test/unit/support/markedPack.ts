/**
 * The smoke pack with marks: with KILL_MARKERS set, measure.py and each proposal append a line to
 * that file when they start and when they end, and loop.py one after each row it writes. A crash
 * test waits for the n-th mark, so it kills at a known point of the run, not after a guessed sleep.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const mark = (what: string) => `open(__import__("os").environ["KILL_MARKERS"], "a").write("${what}\\n") if __import__("os").environ.get("KILL_MARKERS") else None\n`;

/** The proposals a marked run tries: reverted, kept, error. */
export const MARKED_PROPOSALS = ['bad_patch.py', 'fix_patch.py', 'crash.py'];
/**
 * Marks a full run writes: a measurement 2, a proposal 2 (crash.py 1: it exits first), a row 1 (pack
 * engine); crash.py is not measured.
 */
export const MARKS = { native: 2 + (2 + 2) + (2 + 2) + 1, pack: 2 + (2 + 2 + 1) + (2 + 2 + 1) + (1 + 1) };

function edit(file: string, change: (text: string) => string): void {
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}

export function markPack(pack: string): void {
  edit(path.join(pack, 'measure.py'), (t) => mark('measure start') + t.replace(/\nif __name__ == "__main__":\n    main\(\)\n$/, `\nif __name__ == "__main__":\n    main()\n    ${mark('measure end')}`));
  for (const name of MARKED_PROPOSALS) {
    edit(path.join(pack, 'proposals', name), (t) => `${mark(`${name} start`)}${t}${t.endsWith('\n') ? '' : '\n'}${mark(`${name} end`)}`);
  }
  edit(path.join(pack, 'loop.py'), (t) => t.replace(/\n(\s+)print\(f"TRIAL \{number\}/g, (_m, indent: string) => `\n${indent}${mark('row')}${indent}print(f"TRIAL {number}`));
}
