/** `autoexp autopilot PACK --agent NAME | --agent-command "CMD ARG..."`: an agent proposes, the native engine decides. */
import { UserError } from '../../core/errors';
import { DEFAULT_TIMEOUT_SECONDS } from '../../core/measure';
import { resolvePython } from '../../core/python';
import { DEFAULT_BUDGETS, type Budgets } from '../../core/autopilot/budget';
import { commandAgent, type Agent } from '../../core/autopilot/commandAgent';
import { PRESET_NAMES, type PresetName } from '../../core/autopilot/presets';
import { runAutopilot } from '../../core/autopilot/session';
import { sessionExitCode, sessionTerminal } from '../../core/autopilot/sessionOutput';
import { splitShellWords } from '../../core/autopilot/shellWords';
import { parse, onePositional, timeoutMs } from '../args';
import { NATIVE_FLAG_OPTIONS, parseKeepFlags } from '../keepFlags';
import type { CliIO } from '../io';
import { packFolder } from '../packArg';

function count(flag: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UserError(`autoexp autopilot: ${flag} must be a whole number of at least ${min}, got "${value}"`, 2);
  return n;
}

function amount(flag: string, value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UserError(`autoexp autopilot: ${flag} must be ${what}, got "${value}"`, 2);
  return n;
}

function chooseAgent(preset: string | undefined, command: string | undefined): Agent {
  if (preset && command) throw new UserError('autoexp autopilot: give --agent or --agent-command, not both', 2);
  if (command !== undefined) {
    const split = splitShellWords(command);
    if (!split.ok) throw new UserError(`autoexp autopilot: --agent-command: ${split.error}`, 2);
    return commandAgent({ argv: split.words });
  }
  if (!preset) throw new UserError(`autoexp autopilot: name an agent: --agent ${PRESET_NAMES.join('|')} or --agent-command "CMD ARG..."`, 2);
  if (!(PRESET_NAMES as readonly string[]).includes(preset)) throw new UserError(`autoexp autopilot: --agent is one of ${PRESET_NAMES.join(', ')}, got "${preset}"`, 2);
  return commandAgent({ preset: preset as PresetName });
}

export async function autopilotCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('autopilot', args, {
    agent: { type: 'string' },
    'agent-command': { type: 'string' },
    'agent-timeout': { type: 'string' },
    'max-trials': { type: 'string' },
    'max-minutes': { type: 'string' },
    'max-cost': { type: 'string' },
    'max-errors': { type: 'string' },
    patience: { type: 'string' },
    resume: { type: 'boolean' },
    ...NATIVE_FLAG_OPTIONS,
  });
  const agent = chooseAgent(values.agent, values['agent-command']);
  const budgets: Budgets = {
    maxTrials: count('--max-trials', values['max-trials'], DEFAULT_BUDGETS.maxTrials),
    maxMinutes: amount('--max-minutes', values['max-minutes'], 'a positive number of minutes') ?? DEFAULT_BUDGETS.maxMinutes,
    maxCostUsd: amount('--max-cost', values['max-cost'], 'an amount in US dollars, like 0.50'),
    maxErrors: count('--max-errors', values['max-errors'], DEFAULT_BUDGETS.maxErrors),
    patience: count('--patience', values.patience, DEFAULT_BUDGETS.patience),
  };
  const direction = values.direction;
  if (direction !== undefined && direction !== 'higher' && direction !== 'lower') throw new UserError(`autoexp autopilot: --direction is higher or lower, got "${direction}"`, 2);
  const keep = parseKeepFlags(values, values.repeat === undefined ? undefined : count('--repeat', values.repeat, 1), 'autopilot');
  const repeat = keep.repeat ?? 1;
  const margin = amount('--margin', values.margin, 'a number of at least 0') ?? 0;
  const limit = timeoutMs('autopilot', values.timeout, DEFAULT_TIMEOUT_SECONDS);
  const agentLimit = values['agent-timeout'] === undefined ? undefined : timeoutMs('autopilot', values['agent-timeout'], 0);
  const pack = await packFolder(io.cwd, onePositional('autopilot', positionals, 'PACK'));
  const python = values.python ? { command: values.python } : await resolvePython();
  const write = io.write ?? ((chunk: string) => io.out(chunk.replace(/\n$/, '')));
  const terminal = sessionTerminal({ out: io.out, write, color: io.color ?? false, pack: onePositional('autopilot', positionals, 'PACK'), noDiff: values['no-diff'] });
  const summary = await runAutopilot({
    pack,
    python: python.command,
    agent,
    budgets,
    native: { repeat, margin, direction, keep: keep.keep },
    timeoutMs: limit,
    agentTimeoutMs: agentLimit,
    resume: values.resume,
    signal: io.signal,
    // --json: stdout holds the summary alone, so the lines go to stderr and neither output nor diffs are shown.
    ...(values.json ? { reporter: { line: (text: string) => io.err(text), output: () => undefined, log: () => undefined } } : terminal),
  });
  if (values.json) io.out(JSON.stringify(summary));
  return sessionExitCode(summary);
}
