import * as path from 'node:path';
import { UserError } from '../../core/errors';
import { DEFAULT_TIMEOUT_SECONDS } from '../../core/measure';
import { resolvePython } from '../../core/python';
import { chooseEngine } from '../../core/run/engineChoice';
import { EXIT_BY_STATUS } from '../../core/run/exitCodes';
import { runLoop } from '../../core/run/runLoop';
import { numberOption, onePositional, parse, timeoutMs } from '../args';
import type { CliIO } from '../io';
import { keepFlagsGiven, NATIVE_FLAG_OPTIONS, parseKeepFlags } from '../keepFlags';
import { packFolder } from '../packArg';
import { seeAllCommand } from './diff';

/** `autoexp run PACK --proposal P …`: the keep/revert loop, every trial journalled, the target never lost. */
export async function runCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('run', args, {
    proposal: { type: 'string', multiple: true, short: 'p' },
    engine: { type: 'string' },
    verbose: { type: 'boolean' },
    ...NATIVE_FLAG_OPTIONS,
  });
  const repeat = numberOption('run', 'repeat', values.repeat);
  const margin = numberOption('run', 'margin', values.margin);
  const packArg = onePositional('run', positionals, 'PACK');
  // Flags are judged before the pack is: a usage error names the flag even when PACK is wrong too.
  const choice = chooseEngine(path.resolve(io.cwd, packArg), { engine: values.engine, direction: values.direction, repeat, margin, nativeFlags: keepFlagsGiven(values) });
  if (!choice.ok) throw new UserError(`autoexp run: ${choice.usage}`, 2);
  const keep = parseKeepFlags(values, repeat);
  const limit = timeoutMs('run', values.timeout, DEFAULT_TIMEOUT_SECONDS);
  const pack = await packFolder(io.cwd, packArg);
  // A named interpreter is not probed first: a run starts it within milliseconds anyway, and a
  // missing one fails there with the same one-line error. (VS Code passes the one it already checked.)
  const python = values.python ? { command: values.python } : await resolvePython();
  const write = io.write ?? ((chunk: string) => io.out(chunk.replace(/\n$/, '')));
  const summary = await runLoop({
    pack,
    proposals: values.proposal ?? [],
    cwd: io.cwd,
    python: python.command,
    engine: choice.engine,
    engineWhy: choice.why,
    direction: choice.direction,
    repeat: keep.repeat,
    margin: margin ?? 0,
    keep: keep.keep,
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
