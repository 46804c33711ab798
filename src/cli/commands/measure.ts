import { UserError } from '../../core/errors';
import { DEFAULT_TIMEOUT_SECONDS, runMeasure } from '../../core/measure';
import { describeNoise, measureNoise } from '../../core/measureNoise';
import { resolvePython } from '../../core/python';
import { onePositional, parse, timeoutMs } from '../args';
import type { CliIO } from '../io';
import { packFolder } from '../packArg';

/** `--repeat N`: a whole number from 2 (one measurement has no spread). */
function repeatCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2) throw new UserError(`autoexp measure: --repeat must be a whole number of at least 2, got "${value}"`, 2);
  return n;
}

/** Runs measure.py once: `score: 0.2000`, or the whole payload with --json. With --repeat N, its noise. */
export async function measureCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('measure', args, {
    json: { type: 'boolean' },
    python: { type: 'string' },
    timeout: { type: 'string' },
    repeat: { type: 'string' },
  });
  const repeat = repeatCount(values.repeat);
  const limit = timeoutMs('measure', values.timeout, DEFAULT_TIMEOUT_SECONDS);
  const pack = await packFolder(io.cwd, onePositional('measure', positionals, 'PACK'));
  const python = await resolvePython(values.python);
  if (repeat !== undefined) {
    const noise = await measureNoise(pack, repeat, {
      python: python.command,
      timeoutMs: limit,
      signal: io.signal,
      onScore: values.json ? undefined : (i, score) => io.out(`measurement ${i}/${repeat}: ${score.toFixed(4)}`),
    });
    if (!noise.ok) throw new UserError(noise.message);
    if (values.json) io.out(JSON.stringify({ scores: noise.scores, ...noise.summary }));
    else for (const line of describeNoise(noise.summary)) io.out(line);
    return 0;
  }
  const { outcome, process } = await runMeasure(pack, { python: python.command, timeoutMs: limit, signal: io.signal });
  if (!outcome.ok) throw new UserError(outcome.error.message);
  if (values.json) io.out(JSON.stringify({ score: outcome.score, payload: outcome.payload, durationMs: Math.round(process.durationMs) }));
  else io.out(`score: ${outcome.score.toFixed(4)}`);
  return 0;
}
