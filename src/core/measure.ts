/**
 * measure.py's contract: its last non-empty stdout line is a JSON object with a finite numeric
 * `score`. Anything else is a typed error that says what was wrong.
 */
import * as path from 'node:path';
import { z } from 'zod';
import { runProcess, type RunResult } from './process';

export const MeasurePayload = z
  .object({
    score: z.number(),
    passed: z.number().optional(),
    total: z.number().optional(),
    status: z.string().optional(),
  })
  .passthrough();
export type MeasurePayload = z.infer<typeof MeasurePayload>;

export type MeasureErrorKind = 'no-output' | 'not-json' | 'no-score' | 'not-finite' | 'exit-code' | 'timeout' | 'cancelled' | 'spawn';

export interface MeasureError {
  kind: MeasureErrorKind;
  message: string;
}

export type MeasureOutcome = { ok: true; score: number; payload: MeasurePayload } | { ok: false; error: MeasureError };

export const DEFAULT_TIMEOUT_SECONDS = 300;

function lastNonEmptyLine(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (line) return line;
  }
  return undefined;
}

function fail(kind: MeasureErrorKind, message: string): MeasureOutcome {
  return { ok: false, error: { kind, message } };
}

/** Python's json.dumps writes NaN and Infinity bare, which JSON.parse refuses: say "not finite", not "not JSON". */
const NON_FINITE_SCORE = /"score"\s*:\s*-?(NaN|Infinity)\b/;

/** Reads a finished measure.py run. `script` names the file in messages. */
export function readMeasureOutput(run: Pick<RunResult, 'stdout' | 'stderr' | 'exitCode'>, script = 'measure.py'): MeasureOutcome {
  if (run.exitCode !== 0) {
    const why = lastNonEmptyLine(run.stderr) ?? 'no error output';
    return fail('exit-code', `${script} exited with code ${run.exitCode}: ${why}`);
  }
  const line = lastNonEmptyLine(run.stdout);
  if (line === undefined) return fail('no-output', `${script} printed nothing; its last line must be a JSON object like {"score": 0.5}`);
  if (NON_FINITE_SCORE.test(line)) return fail('not-finite', `${script}: score is not a finite number in ${clip(line)}`);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    return fail('not-json', `${script}: last output line is not JSON: ${clip(line)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('not-json', `${script}: last output line is not a JSON object: ${clip(line)}`);
  }
  if (!('score' in value)) return fail('no-score', `${script}: the JSON object has no "score": ${clip(line)}`);
  const parsed = MeasurePayload.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.join('.') || 'payload';
    return fail('no-score', `${script}: ${where} is not valid (${issue.message}) in ${clip(line)}`);
  }
  if (!Number.isFinite(parsed.data.score)) return fail('not-finite', `${script}: score is not a finite number in ${clip(line)}`);
  return { ok: true, score: parsed.data.score, payload: parsed.data };
}

function clip(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export interface MeasureOptions {
  python: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  env?: Record<string, string | undefined>;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  onSpawn?: (pid: number) => void;
  /** Another script of the same contract, such as measure_holdout.py; measure.py when absent. */
  script?: string;
}

export interface MeasureRun {
  outcome: MeasureOutcome;
  process: RunResult;
}

/** Runs `python measure.py` in the pack folder and reads its verdict. */
export async function runMeasure(packDir: string, options: MeasureOptions): Promise<MeasureRun> {
  const name = options.script ?? 'measure.py';
  const script = path.join(packDir, name);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000;
  const proc = await runProcess(options.python, [script], {
    cwd: packDir,
    env: options.env,
    timeoutMs,
    signal: options.signal,
    onStdout: options.onStdout,
    onStderr: options.onStderr,
    onSpawn: options.onSpawn,
  });
  const shown = path.join(path.basename(packDir), name);
  if (proc.spawnError) return { process: proc, outcome: fail('spawn', `${options.python}: cannot start (${proc.spawnError})`) };
  if (proc.timedOut) return { process: proc, outcome: fail('timeout', `${shown} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`) };
  if (proc.cancelled) return { process: proc, outcome: fail('cancelled', `${shown} was cancelled`) };
  return { process: proc, outcome: readMeasureOutput(proc, shown) };
}
