/**
 * The bounded target of a pack: the one file a trial may change. Found without running anything
 * (untrusted workspaces get it too): a `candidate.*` file in the pack, else loop.py's
 * `DEFAULT_TARGET = …` read statically, else unknown, with the reason.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { errorCode, isMissing } from './fsErrors';
import { oneLine } from './errors';

export type TargetResolution =
  | { kind: 'candidate'; path: string; others: string[] }
  | { kind: 'loop-default'; path: string; expression: string }
  | { kind: 'unknown'; reason: string };

export async function resolveTarget(packDir: string): Promise<TargetResolution> {
  const candidates = await candidateFiles(packDir);
  if (candidates.length > 0) {
    return { kind: 'candidate', path: path.join(packDir, candidates[0]), others: candidates.slice(1).map((c) => path.join(packDir, c)) };
  }
  let loop: string;
  try {
    loop = await fs.readFile(path.join(packDir, 'loop.py'), 'utf8');
  } catch (err) {
    if (isMissing(err)) return { kind: 'unknown', reason: 'no candidate.* file in the pack and no loop.py to read DEFAULT_TARGET from' };
    return { kind: 'unknown', reason: `no candidate.* file in the pack, and loop.py cannot be read (${errorCode(err) ?? oneLine(err)})` };
  }
  const found = defaultTargetFromLoop(loop, path.join(packDir, 'loop.py'));
  if ('path' in found) return { kind: 'loop-default', path: found.path, expression: found.expression };
  return { kind: 'unknown', reason: `no candidate.* file in the pack, and ${found.reason}` };
}

export async function candidateFiles(packDir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(packDir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && /^candidate\.[^.]+/.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
}

/** Top-level `NAME = expression` assignments of a Python file (last one wins, as at run time). */
function topLevelAssignments(source: string): Map<string, string> {
  const found = new Map<string, string>();
  const pattern = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*[A-Za-z_.[\]| ]+)?=(?!=)\s*(.+?)\s*(?:#.*)?$/gm;
  for (const m of source.matchAll(pattern)) found.set(m[1], m[2]);
  return found;
}

/**
 * Evaluates the small path language loops use: `Path(__file__)`, `.resolve()`, `.parent`,
 * `.parents[N]`, `/ "name"`, names bound to such expressions, and string literals.
 * Returns undefined for anything else: a guess would point users at the wrong file.
 */
function evaluatePath(expr: string, names: Map<string, string>, file: string, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  const parts = splitOnSlash(expr);
  if (!parts) return undefined;
  let base = evaluateTerm(parts[0], names, file, depth);
  for (const part of parts.slice(1)) {
    if (base === undefined) return undefined;
    const literal = stringLiteral(part);
    if (literal === undefined) return undefined;
    base = path.join(base, literal);
  }
  return base;
}

function evaluateTerm(term: string, names: Map<string, string>, file: string, depth: number): string | undefined {
  let rest = term.trim();
  if (rest.startsWith('(') && rest.endsWith(')')) return evaluatePath(rest.slice(1, -1), names, file, depth + 1);
  let value: string | undefined;
  const head = /^(?:pathlib\.)?Path\(\s*(__file__|"[^"]*"|'[^']*')\s*\)/.exec(rest) ?? /^([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
  if (!head) return undefined;
  const arg = head[1];
  if (arg === '__file__') value = file;
  else if (head[0].includes('Path(')) value = stringLiteral(arg);
  else {
    const bound = names.get(arg);
    value = bound === undefined ? undefined : evaluatePath(bound, names, file, depth + 1);
  }
  rest = rest.slice(head[0].length);
  while (value !== undefined && rest.length > 0) {
    const step = /^\.(resolve\(\)|absolute\(\)|parent\b|parents\[(\d+)\])/.exec(rest);
    if (!step) return undefined;
    if (step[1].startsWith('parents')) {
      for (let i = 0; i <= Number(step[2]); i++) value = path.dirname(value);
    } else if (step[1] === 'parent') value = path.dirname(value);
    rest = rest.slice(step[0].length);
  }
  return value;
}

function stringLiteral(text: string): string | undefined {
  const m = /^\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*$/.exec(text);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Splits on `/` outside quotes and brackets; undefined when unbalanced. */
function splitOnSlash(expr: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === '/' && depth === 0) {
      parts.push(expr.slice(start, i));
      start = i + 1;
    }
  }
  if (quote || depth !== 0) return undefined;
  parts.push(expr.slice(start));
  return parts;
}

export function defaultTargetFromLoop(source: string, loopFile: string): { path: string; expression: string } | { reason: string } {
  const names = topLevelAssignments(source);
  const expression = names.get('DEFAULT_TARGET');
  if (expression === undefined) return { reason: 'loop.py has no DEFAULT_TARGET = … assignment' };
  const resolved = evaluatePath(expression, names, path.resolve(loopFile));
  if (resolved === undefined) return { reason: `loop.py's DEFAULT_TARGET = ${expression} is not a path Autoexp can read without running it` };
  return { path: resolved, expression };
}
