import { UserError } from '../../core/errors';
import { DEFAULT_TIMEOUT_SECONDS, runMeasure } from '../../core/measure';
import { resolvePython } from '../../core/python';
import { onePositional, parse, timeoutMs } from '../args';
import type { CliIO } from '../io';
import { packFolder } from '../packArg';


/** Runs measure.py once: `score: 0.2000`, or the whole payload with --json. */
export async function measureCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('measure', args, {
    json: { type: 'boolean' },
    python: { type: 'string' },
    timeout: { type: 'string' },
  });
  const limit = timeoutMs('measure', values.timeout, DEFAULT_TIMEOUT_SECONDS);
  const pack = await packFolder(io.cwd, onePositional('measure', positionals, 'PACK'));
  const python = await resolvePython(values.python);
  const { outcome, process } = await runMeasure(pack, { python: python.command, timeoutMs: limit, signal: io.signal });
  if (!outcome.ok) throw new UserError(outcome.error.message);
  if (values.json) io.out(JSON.stringify({ score: outcome.score, payload: outcome.payload, durationMs: Math.round(process.durationMs) }));
  else io.out(`score: ${outcome.score.toFixed(4)}`);
  return 0;
}
