import { UserError } from '../../core/errors';
import { DEFAULT_TIMEOUT_SECONDS } from '../../core/measure';
import { resolvePython } from '../../core/python';
import type { RunSummary } from '../../core/run/context';
import { runLoop } from '../../core/run/runLoop';
import { numberOption, onePositional, parse, timeoutMs } from '../args';
import type { CliIO } from '../io';
import { packFolder } from '../packArg';
import { KEEP_FLAG_OPTIONS, keepFlagsGiven, parseKeepFlags } from '../keepFlags';
import { seeAllCommand } from './diff';

const EXIT_BY_STATUS: Record<RunSummary['status'], number> = { finished: 0, stopped: 1, error: 1, interrupted: 1, cancelled: 130 };

/** `autoexp run PACK --proposal P …`: the keep/revert loop, every trial journalled, the target never lost. */
export async function runCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('run', args, {
    proposal: { type: 'string', multiple: true, short: 'p' },
    engine: { type: 'string' },
    direction: { type: 'string' },
    repeat: { type: 'string' },
    margin: { type: 'string' },
    timeout: { type: 'string' },
    python: { type: 'string' },
    verbose: { type: 'boolean' },
    json: { type: 'boolean' },
    'no-diff': { type: 'boolean' },
    ...KEEP_FLAG_OPTIONS,
  });
  const keepFlags = keepFlagsGiven(values);
  const nativeOnly = values.repeat !== undefined || values.margin !== undefined || values.direction !== undefined || keepFlags.length > 0;
  // Repeats, margins and a direction are the native engine's: asking for one asks for it.
  const engine = values.engine ?? (nativeOnly ? 'native' : undefined);
  if (engine !== undefined && engine !== 'pack' && engine !== 'native') throw new UserError(`autoexp run: --engine is pack or native, got "${engine}"`, 2);
  const direction = values.direction;
  if (direction !== undefined && direction !== 'higher' && direction !== 'lower') throw new UserError(`autoexp run: --direction is higher or lower, got "${direction}"`, 2);
  if (engine === 'pack' && keepFlags.length) throw new UserError(`autoexp run: ${keepFlags[0]} belongs to the native engine; the pack engine keeps by loop.py's own rule`, 2);
  const { keep, repeat } = parseKeepFlags(values, numberOption('run', 'repeat', values.repeat));
  const margin = numberOption('run', 'margin', values.margin) ?? 0;
  if (engine === 'pack' && nativeOnly) {
    throw new UserError('autoexp run: --repeat, --margin and --direction belong to the native engine; the pack engine keeps by loop.py\'s own rule', 2);
  }
  const limit = timeoutMs('run', values.timeout, DEFAULT_TIMEOUT_SECONDS);
  const pack = await packFolder(io.cwd, onePositional('run', positionals, 'PACK'));
  // A named interpreter is not probed first: a run starts it within milliseconds anyway, and a
  // missing one fails there with the same one-line error. (VS Code passes the one it already checked.)
  const python = values.python ? { command: values.python } : await resolvePython();
  const write = io.write ?? ((chunk: string) => io.out(chunk.replace(/\n$/, '')));
  const summary = await runLoop({
    pack,
    proposals: values.proposal ?? [],
    cwd: io.cwd,
    python: python.command,
    engine,
    direction,
    repeat,
    margin,
    keep,
    timeoutMs: limit,
    signal: io.signal,
    inlineDiffs: values['no-diff'] || values.json ? undefined : { color: io.color ?? false, seeAll: seeAllCommand(onePositional('run', positionals, 'PACK')) },
    reporter: {
      line: values.json ? (text) => io.err(text) : (text) => io.out(text),
      output: values.json ? () => undefined : write,
      log: values.verbose ? (text) => io.err(`autoexp: ${text}`) : () => undefined,
    },
  });
  if (values.json) io.out(JSON.stringify(summary));
  else if (summary.status !== 'finished') io.err(`autoexp: ${pack}: ${summary.message ?? summary.status}`);
  return EXIT_BY_STATUS[summary.status];
}
