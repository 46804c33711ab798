/**
 * The harness that must not move during a run: measure.py, loop.py, program.md, measure_holdout.py (a
 * holdout that changes mid-run would compare keeps on two different tests), and every module in the
 * pack that measure.py imports, directly or through another pack module. Hashed at run start and checked
 * before every decision, so an edit by another process or a person mid-run stops the run instead of
 * skewing what it keeps.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const HARNESS_FILES = ['measure.py', 'loop.py', 'program.md', 'measure_holdout.py'];

/** Module names a Python file imports: `import a.b, c as d` and `from a.b import x` (relative ones too). */
export function importedModules(source: string): string[] {
  const modules: string[] = [];
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const from = /^from\s+(\.*)([\w.]*)\s+import\s+(.+)$/.exec(line);
    if (from) {
      const base = from[2];
      if (base) modules.push(base);
      // `from . import helpers` and `from pkg import sub` may name modules too.
      for (const name of from[3].replace(/[()]/g, '').split(',')) {
        const imported = name.trim().split(/\s+as\s+/)[0];
        if (/^\w+$/.test(imported)) modules.push(base ? `${base}.${imported}` : imported);
      }
      continue;
    }
    const plain = /^import\s+(.+)$/.exec(line);
    if (plain) for (const name of plain[1].split(',')) modules.push(name.trim().split(/\s+as\s+/)[0].trim());
  }
  return modules.filter((m) => /^[\w.]+$/.test(m));
}

/** The pack file a module name refers to, if the pack holds it (`a.b` → a/b.py or a/b/__init__.py). */
function packModuleFile(pack: string, module: string): string | undefined {
  const base = path.join(pack, ...module.split('.'));
  for (const file of [`${base}.py`, path.join(base, '__init__.py')]) {
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

/** The harness: the fixed files plus the pack modules measure.py (or measure_holdout.py) reaches through imports. */
export function harnessFiles(pack: string, target?: string): string[] {
  const files = new Set(HARNESS_FILES.map((f) => path.join(pack, f)).filter((f) => existsSync(f)));
  const queue = ['measure.py', 'measure_holdout.py'].map((f) => path.join(pack, f)).filter((f) => existsSync(f));
  const seen = new Set(queue);
  while (queue.length) {
    const file = queue.shift()!;
    for (const module of importedModules(readFileSync(file, 'utf8'))) {
      const found = packModuleFile(pack, module);
      if (!found || seen.has(found)) continue;
      seen.add(found);
      // The bounded target may be a module measure.py imports: it is meant to change.
      if (target && path.resolve(found) === path.resolve(target)) continue;
      files.add(found);
      queue.push(found);
    }
  }
  return [...files].sort();
}

export type HarnessFingerprint = ReadonlyMap<string, string>;

export function fingerprintHarness(files: readonly string[]): HarnessFingerprint {
  return new Map(files.map((file) => [file, existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'missing']));
}

/** The first harness file whose content differs from the fingerprint, if any. */
export function movedHarnessFile(fingerprint: HarnessFingerprint): string | undefined {
  const now = fingerprintHarness([...fingerprint.keys()]);
  for (const [file, hash] of fingerprint) if (now.get(file) !== hash) return file;
  return undefined;
}
