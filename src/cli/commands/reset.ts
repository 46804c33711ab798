import { DEFAULT_TIMEOUT_SECONDS } from '../../core/measure';
import { resolvePython } from '../../core/python';
import { runReset } from '../../core/reset';
import { onePositional, parse, timeoutMs } from '../args';
import type { CliIO } from '../io';
import { packFolder } from '../packArg';


/** Runs the pack's reset.py; its own output is passed through. */
export async function resetCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('reset', args, { python: { type: 'string' }, timeout: { type: 'string' } });
  const limit = timeoutMs('reset', values.timeout, DEFAULT_TIMEOUT_SECONDS);
  const pack = await packFolder(io.cwd, onePositional('reset', positionals, 'PACK'));
  const python = await resolvePython(values.python);
  const run = await runReset(pack, { python: python.command, timeoutMs: limit, signal: io.signal });
  for (const line of run.stdout.split(/\r?\n/)) if (line.trim()) io.out(line);
  return 0;
}
