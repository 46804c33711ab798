import * as path from 'node:path';
import { UserError } from '../../core/errors';
import { DEFAULT_TIMEOUT_SECONDS } from '../../core/measure';
import { restoreJournalBaseline } from '../../core/run/journalReset';
import { planReset, type ResetPlan } from '../../core/run/resetPlan';
import { resolvePython } from '../../core/python';
import { holdPackForReset, runReset } from '../../core/reset';
import { onePositional, parse, timeoutMs } from '../args';
import type { CliIO } from '../io';
import { packFolder } from '../packArg';


/**
 * Runs the pack's reset.py; its own output is passed through. Without reset.py, the target goes back
 * to the oldest "before" snapshot in the run journal, and the output says so.
 */
export async function resetCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('reset', args, { python: { type: 'string' }, timeout: { type: 'string' } });
  const limit = timeoutMs('reset', values.timeout, DEFAULT_TIMEOUT_SECONDS);
  const pack = await packFolder(io.cwd, onePositional('reset', positionals, 'PACK'));
  const hold = holdPackForReset(pack);
  try {
    for (const line of hold.recovered) io.err(`autoexp: ${line}`);
    const plan = await planReset(pack);
    if (plan.kind !== 'script') return resetFromJournal(pack, plan, io);
    const python = await resolvePython(values.python);
    const run = await runReset(pack, { python: python.command, timeoutMs: limit, signal: io.signal });
    for (const line of run.stdout.split(/\r?\n/)) if (line.trim()) io.out(line);
    return 0;
  } finally {
    hold.release();
  }
}

function resetFromJournal(pack: string, plan: Exclude<ResetPlan, { kind: 'script' }>, io: CliIO): number {
  if (plan.kind === 'none') {
    throw new UserError(`${path.join(pack, 'reset.py')}: not found, and the run journal holds no snapshot of the target to restore; nothing was changed`);
  }
  const baseline = plan.baseline;
  const changed = restoreJournalBaseline(pack, baseline);
  io.out(`${changed ? 'restored' : 'already at'} ${baseline.target} from the run journal (the state before trial ${baseline.trial} of run ${baseline.run}); this pack has no reset.py`);
  return 0;
}
